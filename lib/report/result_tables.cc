#include "report/result_tables.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "contract/mode.h"
#include "contract/noise_source.h"
#include "energy/energy_format.h"
#include "report/number_text.h"
#include "report/significance.h"
#include "stats/metric.h"

namespace rs::report {

namespace {

using nlohmann::json;

// How a parameter value reads in a table cell: strings bare, lists as [a,b], the rest as JSON.
std::string param_cell(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (!value.is_array()) return value.dump();
  std::string text = "[";
  for (size_t i = 0; i < value.size(); ++i) text += (i > 0 ? "," : "") + param_cell(value[i]);
  return text + "]";
}

// {"dataset": {"name": "digits"}} -> {"dataset.name": "digits"}.
void flatten_params(const json& params, const std::string& prefix,
                    std::map<std::string, std::string>* out) {
  for (const auto& [key, value] : params.items()) {
    std::string name = prefix.empty() ? key : prefix + "." + key;
    if (value.is_object()) {
      flatten_params(value, name, out);
    } else {
      (*out)[name] = param_cell(value);
    }
  }
}

struct KeyParams {
  std::vector<std::string> names;                          // parameters that differ
  std::vector<std::map<std::string, std::string>> values;  // per group, every flattened param
};

KeyParams key_params(const std::vector<GroupStats>& groups) {
  KeyParams keys;
  std::set<std::string> all_names;
  for (const auto& group : groups) {
    keys.values.emplace_back();
    flatten_params(group.params, "", &keys.values.back());
    for (const auto& entry : keys.values.back()) all_names.insert(entry.first);
  }
  for (const auto& name : all_names) {
    std::set<std::string> distinct;
    for (const auto& values : keys.values) {
      auto found = values.find(name);
      distinct.insert(found == values.end() ? kUndefined : found->second);
    }
    if (distinct.size() > 1) keys.names.push_back(name);
  }
  return keys;
}

std::string param_value(const KeyParams& keys, size_t group, const std::string& name) {
  auto found = keys.values[group].find(name);
  return found == keys.values[group].end() ? kUndefined : found->second;
}

std::string determinism_cell(std::optional<bool> d_identical) {
  if (!d_identical) return kUndefined;
  return *d_identical ? "ok" : "FAILED";
}

std::string percent_interval(const std::optional<stats::Interval>& ci) {
  if (!ci) return kUndefined;
  return fmt::format("[{}, {}]", fixed(100 * ci->lo, 2), fixed(100 * ci->hi, 2));
}

std::optional<double> final_epoch_mean_cosine(const Stability& stability) {
  if (stability.cosine_last_layer.empty()) return std::nullopt;
  return stability.cosine_last_layer.back().mean;
}

// Notes name the fields they explain before the first ": " ("nd_sd, delta_s: null: ...");
// a table footnotes the notes about the fields it shows. A field matches where a name starts
// with it ("per_class" matches per_class_sd_ratio), never inside a name (acc_sd does not
// match tta_plain_acc_sd or tta_reduction_pct.acc_sd, which belong to the TTA table).
bool note_is_about(const std::string& note, const std::vector<std::string>& fields) {
  std::string subject = note.substr(0, note.find(": "));
  auto starts_a_name = [&](size_t pos) {
    if (pos == 0) return true;
    char before = subject[pos - 1];
    return !(std::isalnum(static_cast<unsigned char>(before)) || before == '_' || before == '.');
  };
  for (const auto& field : fields) {
    for (size_t pos = subject.find(field); pos != std::string::npos; pos = subject.find(field, pos + 1)) {
      if (starts_a_name(pos)) return true;
    }
  }
  return false;
}

// Footnotes for the groups' notes about `fields`: one per distinct note, naming the groups it
// applies to ("#1-#4: d_sd: null: ..."), in the order the notes first occur. `shown`: the
// groups the table has rows for; empty for every group.
void add_group_notes(const SweepSummary& summary, const std::vector<std::string>& fields,
                     Table* table, const std::vector<bool>& shown = {}) {
  std::vector<std::string> notes;
  std::map<std::string, std::vector<size_t>> groups_of;
  for (size_t g = 0; g < summary.groups.size(); ++g) {
    if (!shown.empty() && !shown[g]) continue;
    for (const auto& note : group_notes(summary.groups[g])) {
      if (!note_is_about(note, fields)) continue;
      std::vector<size_t>& numbers = groups_of[note];
      if (numbers.empty()) notes.push_back(note);
      if (numbers.empty() || numbers.back() != g + 1) numbers.push_back(g + 1);
    }
  }
  if (notes.empty()) return;
  table->footnotes.push_back("Notes per group (why a value is -, or the rule that set it):");
  for (const auto& note : notes) {
    table->footnotes.push_back(fmt::format("{}: {}", group_numbers(groups_of[note]), note));
  }
}

// The columns that say which group a row is about: #, group_id (optional) and the parameters
// that differ between groups.
void add_group_headers(const KeyParams& keys, bool with_group_id, Table* table) {
  table->group_columns = 1 + (with_group_id ? 1 : 0) + keys.names.size();
  table->headers.push_back("#");
  table->align += 'r';
  if (with_group_id) {
    table->headers.push_back("group_id");
    table->align += 'l';
  }
  for (const auto& name : keys.names) {
    table->headers.push_back(name);
    table->align += 'l';
  }
}

std::vector<std::string> group_cells(const SweepSummary& summary, const KeyParams& keys,
                                     size_t g, bool with_group_id) {
  std::vector<std::string> row = {std::to_string(g + 1)};
  if (with_group_id) row.push_back(summary.groups[g].group_id);
  for (const auto& name : keys.names) row.push_back(param_value(keys, g, name));
  return row;
}

void add_numeric_headers(const std::vector<std::string>& headers, Table* table) {
  for (const auto& header : headers) {
    table->headers.push_back(header);
    table->align += 'r';
  }
}

// Starts a table with the group columns and one row per group.
void add_group_columns(const SweepSummary& summary, const KeyParams& keys, bool with_group_id,
                       Table* table) {
  add_group_headers(keys, with_group_id, table);
  for (size_t g = 0; g < summary.groups.size(); ++g) {
    table->rows.push_back(group_cells(summary, keys, g, with_group_id));
  }
}

void add_banner_footnote(const SweepSummary& summary, Table* table) {
  std::string banner = determinism_banner(summary);
  if (!banner.empty()) table->footnotes.insert(table->footnotes.begin(), banner);
}

// The last part of a flattened name: "dataset.name" -> "name".
std::string short_name(const std::string& name) { return name.substr(name.rfind('.') + 1); }

}  // namespace

std::vector<std::string> group_labels(const SweepSummary& summary) {
  KeyParams keys = key_params(summary.groups);
  std::vector<std::string> labels;
  for (const auto& group : summary.groups) {
    std::vector<std::string> values, named;
    for (const auto& name : keys.names) {
      std::string path = "/" + name;
      std::replace(path.begin(), path.end(), '.', '/');
      json::json_pointer pointer(path);
      if (!group.params.contains(pointer)) continue;  // the group has no such parameter
      const json& value = group.params.at(pointer);
      if (value.is_string()) {
        values.push_back(value.get<std::string>());
      } else {
        named.push_back(short_name(name) + " " + param_cell(value));
      }
    }
    values.insert(values.end(), named.begin(), named.end());
    labels.push_back(values.empty() ? "all runs" : fmt::format("{}", fmt::join(values, " · ")));
  }
  return labels;
}

Table nd_vs_d_table(const SweepSummary& summary, bool for_terminal) {
  Table table;
  table.title = fmt::format("{}: ND vs D, final test {} (%)", summary.sweep_name,
                            stats::metric_label(summary.metric));
  KeyParams keys = key_params(summary.groups);
  add_group_headers(keys, !for_terminal, &table);
  // The terminal form counts runs in one "nd/d" column ("5/1") to stay within 100 columns.
  if (for_terminal) {
    add_numeric_headers({"nd/d", "nd_mean", "nd_sd", "d", "delta%", "dS", "test", "p", "det"},
                        &table);
  } else {
    add_numeric_headers({"n_nd", "n_d", "nd_mean", "nd_sd", "d", "d_sd", "delta%", "dS",
                         "test", "t", "df", "p", "det"},
                        &table);
  }
  std::vector<bool> shown;
  for (size_t g = 0; g < summary.groups.size(); ++g) {
    const GroupStats& group = summary.groups[g];
    const NdVsD& r = group.nd_vs_d;
    // On the terminal only the groups that have both modes: the others' rows are all "-".
    shown.push_back(!for_terminal || (r.n_nd > 0 && r.n_d > 0));
    if (!shown.back()) continue;
    std::vector<std::string> row = group_cells(summary, keys, g, !for_terminal);
    if (for_terminal) {
      row.push_back(fmt::format("{}/{}", r.n_nd, r.n_d));
    } else {
      row.push_back(std::to_string(r.n_nd));
      row.push_back(std::to_string(r.n_d));
    }
    row.push_back(percent(r.nd_mean));
    row.push_back(percent(r.nd_sd));
    row.push_back(percent(r.d_value));
    if (!for_terminal) row.push_back(percent(r.d_sd));
    row.push_back(signed_fixed(r.delta_pct, 2));
    row.push_back(fixed(r.nd_range_pp, 2));
    if (!r.test) {
      row.push_back(kUndefined);
    } else if (for_terminal && *r.test == stats::TTestKind::kOneSample) {
      row.push_back("1-s");
    } else {
      row.push_back(stats::t_test_name(*r.test));
    }
    if (!for_terminal) {
      row.push_back(fixed(r.t_stat, 2));
      row.push_back(fixed(r.t_df, r.test == stats::TTestKind::kWelch ? 1 : 0));
    }
    row.push_back(p_value_text(r.p_value));
    row.push_back(determinism_cell(group.determinism.d_identical));
    table.rows.push_back(row);
  }
  table.footnotes = {
      fmt::format("nd_mean, d: mean {0} of the ND / D runs (d is exactly their value when the "
                  "D runs agree); nd_sd{1}: sample SD (ddof = 1).",
                  stats::metric_label(summary.metric), for_terminal ? "" : ", d_sd"),
      "delta% = 100 (nd_mean - d) / d; dS = 100 (max - min) of the ND runs only, in points.",
      fmt::format("p: two-sided t-test of the ND values against D. test {}: one-sample against "
                  "d, the D runs being one run (identical logits); welch: Welch's two-sample "
                  "test, the D runs differ (df Welch-Satterthwaite).",
                  for_terminal ? "1-s" : "one-sample"),
      "det: ok / FAILED = D runs with identical seeds are / are not bit-identical; - = no two "
      "share seeds.",
  };
  if (for_terminal) {
    table.footnotes.push_back("Groups without both ND and D runs are left out here; the files "
                              "in results/ list every group. The time D runs take: overhead.md.");
  } else {
    table.footnotes.push_back("The time D runs take against ND runs: the overhead table.");
  }
  std::vector<std::string> noted = {"nd_mean", "nd_sd", "d_value", "delta_pct", "delta_s",
                                    "test", "p_value"};
  if (!for_terminal) noted.insert(noted.end(), {"d_sd", "t_stat", "t_df"});
  add_group_notes(summary, noted, &table, shown);
  add_banner_footnote(summary, &table);
  return table;
}

Table stability_table(const SweepSummary& summary, bool for_terminal) {
  const bool other_metric = summary.metric != stats::Metric::kAccuracy;
  const std::string metric = stats::metric_name(summary.metric);
  Table table;
  table.title = fmt::format("{}: stability across runs", summary.sweep_name);
  KeyParams keys = key_params(summary.groups);
  add_group_headers(keys, !for_terminal, &table);
  // The files have the accuracy's SD and, with another metric, that metric's too; the terminal
  // only the metric compared, to stay narrow.
  const std::string metric_sd = other_metric ? metric + "_sd" : "acc_sd";
  std::vector<std::string> headers = {"over", "n"};
  if (!for_terminal) headers.insert(headers.end(), {"acc_sd%", "acc_sd 95% CI"});
  if (for_terminal || other_metric) {
    headers.insert(headers.end(), {metric_sd + "%", metric_sd + " 95% CI"});
  }
  if (for_terminal) {
    headers.insert(headers.end(), {"disagree%", "corr", "ens_gain pp"});
  } else {
    headers.insert(headers.end(), {"ce_sd", "disagree%", "corr", "ens_gain pp", "l2_norm",
                                   "cos_last", "class_sd x"});
  }
  add_numeric_headers(headers, &table);
  std::vector<bool> shown;
  for (size_t g = 0; g < summary.groups.size(); ++g) {
    const GroupStats& group = summary.groups[g];
    const Stability& s = group.stability;
    // On the terminal only the groups with runs to compare: the others' rows are all "-".
    shown.push_back(!for_terminal || s.n_runs >= 2);
    if (!shown.back()) continue;
    std::vector<std::string> row = group_cells(summary, keys, g, !for_terminal);
    row.push_back(contract::mode_name(group.stability_over));
    row.push_back(std::to_string(s.n_runs));
    if (!for_terminal) {
      row.push_back(percent(s.acc_sd));
      row.push_back(percent_interval(s.acc_sd_ci95));
    }
    if (for_terminal || other_metric) {
      row.push_back(percent(s.metric_sd));
      row.push_back(percent_interval(s.metric_sd_ci95));
    }
    if (!for_terminal) row.push_back(fixed(s.ce_sd, 4));
    row.push_back(fixed(s.disagreement_pct, 2));
    row.push_back(fixed(s.correlation, 4));
    row.push_back(signed_fixed(s.ensemble_delta_pct, 2));
    if (!for_terminal) {
      row.push_back(fixed(s.l2_normalized, 4));
      row.push_back(fixed(final_epoch_mean_cosine(s), 4));
      row.push_back(fixed(s.class_spread.per_class_sd_ratio, 1));
    }
    table.rows.push_back(row);
  }
  // What the SD columns are SDs of.
  const std::string label = stats::metric_label(summary.metric);
  std::string sd_names = metric_sd, sd_of = "the test " + label + " (%)";
  if (!for_terminal && other_metric) {
    sd_names = "acc_sd, " + metric_sd + ", ce_sd";
    sd_of = "test accuracy (%), " + label + " (%) and cross-entropy";
  } else if (!for_terminal) {
    sd_names = "acc_sd, ce_sd";
    sd_of = "test accuracy (%) and cross-entropy";
  }
  table.footnotes = {
      "over: the runs measured (nd; d when the group has fewer than two ND runs); n: how many.",
      fmt::format("{}: sample SD (ddof = 1) across the runs of {}; 95% CI: percentile "
                  "bootstrap, {} resamples, seed {} (too narrow to read as 95 % below {} runs).",
                  sd_names, sd_of, stats::kBootstrapResamples, stats::kBootstrapSeed,
                  kBootstrapCaveatBelow),
      "disagree%: mean over pairs of the share of test samples predicted differently; corr: "
      "mean Pearson r of the logits; ens_gain pp: mean gain of a two-model ensemble.",
  };
  if (for_terminal) {
    table.footnotes.push_back("Groups with fewer than two runs of one mode are left out here; "
                              "results/stability.md has every group and measure.");
  } else {
    table.footnotes.push_back(
        "l2_norm: mean distance of unit-normalised weights; cos_last: mean cosine of last-layer "
        "weights after the last epoch; class_sd x: max per-class accuracy SD / acc_sd.");
  }
  std::vector<std::string> noted = {"acc_sd", "metric_sd", "disagreement_pct", "correlation",
                                    "ensemble_delta_pct", "stability measures"};
  if (!for_terminal) {
    noted.insert(noted.end(),
                 {"ce_sd", "l2_normalized", "cosine_last_layer", "per_class_sd_ratio"});
  }
  add_group_notes(summary, noted, &table, shown);
  add_banner_footnote(summary, &table);
  return table;
}

Table significance_table(const SweepSummary& summary) {
  Table table;
  table.title = fmt::format("{}: groups where ND differs significantly from D in {}",
                            summary.sweep_name, stats::metric_label(summary.metric));
  table.headers = {"dataset", "optimizer", "groups", "tested", "one-sample", "welch",
                   "p<=0.05", "mean |delta%| significant", "mean |delta%| all"};
  table.align = "llrrrrrrr";
  for (const auto& row : significance_by_dataset_optimizer(summary.groups)) {
    table.rows.push_back({row.dataset.empty() ? kUndefined : row.dataset,
                          row.optimizer.empty() ? kUndefined : row.optimizer,
                          std::to_string(row.n_groups), std::to_string(row.n_tested),
                          std::to_string(row.n_one_sample), std::to_string(row.n_welch),
                          std::to_string(row.n_significant),
                          fixed(row.mean_abs_delta_pct_significant, 2),
                          fixed(row.mean_abs_delta_pct_all, 2)});
  }
  table.footnotes = {
      "tested: groups with a p-value (two or more ND runs and a D run), by the test that fits "
      "their D runs: one-sample (the D runs are one run) or welch (they differ); p<=0.05: "
      "of which significant (two-sided).",
      "mean |delta%|: over the significant groups / over all groups with a delta%; - where there "
      "is none.",
  };
  add_banner_footnote(summary, &table);
  return table;
}

Table per_class_table(const SweepSummary& summary) {
  Table table;
  table.title = fmt::format("{}: per-class accuracy SD across runs", summary.sweep_name);
  add_group_columns(summary, key_params(summary.groups), true, &table);
  size_t n_classes = 0;
  for (const auto& group : summary.groups) {
    n_classes = std::max(n_classes, group.stability.class_spread.per_class_acc_sd.size());
  }
  bool class_columns = n_classes <= kMaxClassColumns;
  add_numeric_headers({"over", "n", "acc_sd%", "max class_sd%", "class", "ratio"}, &table);
  for (size_t c = 0; class_columns && c < n_classes; ++c) {
    add_numeric_headers({fmt::format("c{}", c)}, &table);
  }
  for (size_t g = 0; g < summary.groups.size(); ++g) {
    const GroupStats& group = summary.groups[g];
    const ClassSpread& spread = group.stability.class_spread;
    std::optional<double> max_sd;
    std::string max_class = kUndefined;
    for (size_t c = 0; c < spread.per_class_acc_sd.size(); ++c) {
      const std::optional<double>& sd = spread.per_class_acc_sd[c];
      if (sd && (!max_sd || *sd > *max_sd)) {
        max_sd = sd;
        max_class = std::to_string(c);
      }
    }
    std::vector<std::string>& row = table.rows[g];
    row.push_back(contract::mode_name(group.stability_over));
    row.push_back(std::to_string(group.stability.n_runs));
    row.push_back(percent(group.stability.acc_sd));
    row.push_back(percent(max_sd));
    row.push_back(max_class);
    row.push_back(fixed(spread.per_class_sd_ratio, 2));
    for (size_t c = 0; class_columns && c < n_classes; ++c) {
      row.push_back(c < spread.per_class_acc_sd.size() ? percent(spread.per_class_acc_sd[c]) : "");
    }
  }
  table.footnotes = {
      "over, n: the runs measured, as in the stability table. acc_sd: sample SD (ddof = 1) of "
      "their test accuracy (%).",
      "max class_sd: the largest per-class accuracy SD (%), of class `class`; ratio = max "
      "class_sd / acc_sd (seed 001 reports up to 4x on CIFAR-10).",
      class_columns ? "c<k>: SD across runs of the accuracy on the test samples of class k (%); "
                      "blank where the group has fewer classes."
                    : fmt::format("The sweep has {} classes, too many for a column each: "
                                  "summary.json lists every class's SD (per_class_acc_sd).",
                                  n_classes),
  };
  add_group_notes(summary, {"per_class", "per-class", "acc_sd", "stability measures"}, &table);
  add_banner_footnote(summary, &table);
  return table;
}

Table overhead_table(const SweepSummary& summary) {
  Table table;
  table.title = fmt::format("{}: determinism overhead, time of D runs / ND runs",
                            summary.sweep_name);
  add_group_columns(summary, key_params(summary.groups), true, &table);
  add_numeric_headers({"n_nd", "n_d", "ND train s", "ND sd", "D train s", "D sd", "train D/ND",
                       "train (ND-D)/D %", "ND GPU s", "D GPU s", "GPU D/ND", "GPU (ND-D)/D %",
                       "timed"},
                      &table);
  for (size_t g = 0; g < summary.groups.size(); ++g) {
    const NdVsD& r = summary.groups[g].nd_vs_d;
    std::vector<std::string>& row = table.rows[g];
    row.push_back(std::to_string(r.n_nd));
    row.push_back(std::to_string(r.n_d));
    row.push_back(fixed(r.nd_train_s, 2));
    row.push_back(fixed(r.nd_train_s_sd, 2));
    row.push_back(fixed(r.d_train_s, 2));
    row.push_back(fixed(r.d_train_s_sd, 2));
    row.push_back(fixed(r.overhead_train, 2));
    row.push_back(signed_fixed(r.overhead_train_pct, 1));
    row.push_back(fixed(r.nd_gpu_s, 2));
    row.push_back(fixed(r.d_gpu_s, 2));
    row.push_back(fixed(r.overhead_gpu, 2));
    row.push_back(signed_fixed(r.overhead_gpu_pct, 1));
    row.push_back(!r.overhead_reliable ? kUndefined : *r.overhead_reliable ? "ok" : "too short");
  }
  table.footnotes = {
      "ND / D train s: mean train_s of the group's ND / D runs. Two forms of the overhead: "
      "train D/ND = D train s / ND train s (seed 001; above 1: determinism costs time), and "
      "train (ND-D)/D % = 100 (ND train s - D train s) / D train s (seed 000, Table IV; below "
      "0: determinism costs time).",
      "ND sd, D sd: the sample SD (ddof = 1) of train_s over those runs: an overhead smaller "
      "than them is within the runs' own spread.",
      "GPU: the same for gpu_s, shown when every run of the group measured it.",
      fmt::format("timed: ok when both modes' mean train_s reach {} s; too short: shorter runs "
                  "are dominated by start-up and timer resolution, so their overhead is "
                  "unreliable.",
                  kMinTimedSeconds),
  };
  // The GPU columns' rule is the footnote above; a note per CPU-only group would repeat it.
  add_group_notes(summary, {"train_s", "overhead_train"}, &table);
  add_banner_footnote(summary, &table);
  return table;
}

Table energy_table(const SweepSummary& summary, bool for_csv) {
  const energy::SiteConfig& site = summary.site;
  Table table;
  table.title = fmt::format("{}: energy and CO2 (PUE {}, {} kg CO2e/kWh)", summary.sweep_name,
                            site.pue.value, site.carbon_intensity.value);
  add_group_columns(summary, key_params(summary.groups), true, &table);
  energy::EnergyColumns columns = energy::energy_columns();
  table.headers.insert(table.headers.end(), columns.headers.begin(), columns.headers.end());
  table.align += columns.align;
  for (size_t g = 0; g < summary.groups.size(); ++g) {
    std::vector<std::string> cells = energy::energy_cells(summary.groups[g].energy, site);
    table.rows[g].insert(table.rows[g].end(), cells.begin(), cells.end());
  }
  std::vector<std::string> total(table.headers.size() - columns.headers.size(), "");
  total[1] = "total";
  std::vector<std::string> cells = energy::energy_cells(total_energy(summary), site);
  total.insert(total.end(), cells.begin(), cells.end());
  table.rows.push_back(total);
  if (for_csv) {
    table.headers.insert(table.headers.end(),
                         {"PUE", "PUE source", "kg CO2e/kWh", "intensity source"});
    table.align += "rlrl";
    for (auto& row : table.rows) {
      row.insert(row.end(), {fmt::format("{}", site.pue.value), site.pue.source,
                             fmt::format("{}", site.carbon_intensity.value),
                             site.carbon_intensity.source});
    }
  }
  table.footnotes = energy::site_lines(site);
  std::vector<std::string> definitions = energy::energy_footnotes();
  table.footnotes.insert(table.footnotes.end(), definitions.begin(), definitions.end());
  add_group_notes(summary, {"energy"}, &table);
  add_banner_footnote(summary, &table);
  return table;
}

bool has_tta(const SweepSummary& summary) {
  return std::any_of(summary.groups.begin(), summary.groups.end(), [](const GroupStats& group) {
    return !group.tta.run_ids.empty();
  });
}

namespace {

// How one TTA measure reads in the table: its values without and with TTA.
struct TtaMeasureCells {
  std::string plain, tta;
};

TtaMeasureCells tta_measure_cells(const TtaReduction& tta, const std::string& key) {
  const PredictionSpread &a = tta.plain, &b = tta.tta;
  if (key == "acc_sd") return {percent(a.acc_sd), percent(b.acc_sd)};
  if (key == "ce_sd") return {fixed(a.ce_sd, 4), fixed(b.ce_sd, 4)};
  if (key == "disagreement_pct") {
    return {fixed(a.disagreement_pct, 2), fixed(b.disagreement_pct, 2)};
  }
  if (key == "ensemble_delta_pct") {
    return {signed_fixed(a.ensemble_delta_pct, 2), signed_fixed(b.ensemble_delta_pct, 2)};
  }
  if (key.rfind("correlation", 0) == 0) return {fixed(a.correlation, 4), fixed(b.correlation, 4)};
  return {"", ""};  // the averages have no measure of their own
}

}  // namespace

Table tta_table(const SweepSummary& summary) {
  Table table;
  table.title = fmt::format("{}: test-time augmentation (TTA) and the spread across runs",
                            summary.sweep_name);
  KeyParams keys = key_params(summary.groups);
  add_group_headers(keys, true, &table);
  add_numeric_headers({"over", "n", "acc% plain", "acc% TTA"}, &table);
  table.headers.push_back("measure");
  table.align += 'l';
  add_numeric_headers({"plain", "TTA", "reduction%"}, &table);
  table.headers.push_back("formula");
  table.align += 'l';
  std::vector<bool> shown;
  for (size_t g = 0; g < summary.groups.size(); ++g) {
    const GroupStats& group = summary.groups[g];
    const TtaReduction& tta = group.tta;
    shown.push_back(!tta.run_ids.empty());
    if (!shown.back()) continue;
    // A row per reduction: the five measures (correlation in both forms), then the averages.
    for (const auto& reduction : all_reductions(tta)) {
      std::vector<std::string> row = group_cells(summary, keys, g, true);
      row.push_back(contract::mode_name(group.stability_over));
      row.push_back(std::to_string(tta.run_ids.size()));
      row.push_back(percent(tta.plain_acc_mean));
      row.push_back(percent(tta.tta_acc_mean));
      row.push_back(reduction.key);
      TtaMeasureCells cells = tta_measure_cells(tta, reduction.key);
      row.push_back(cells.plain);
      row.push_back(cells.tta);
      row.push_back(signed_fixed(reduction.pct, 1));
      row.push_back(reduction.formula);
      table.rows.push_back(row);
    }
  }
  table.footnotes = {
      "over: the runs measured, as in the stability table; n: how many of them have TTA logits "
      "(/eval/logits_tta). Only those runs enter this table; acc% plain / TTA is their mean "
      "test accuracy from /eval/logits / from /eval/logits_tta.",
      "measure: seed 002's five measures of spread over those runs, plain and with TTA: acc_sd "
      "(%), ce_sd, disagreement_pct (%), correlation, ensemble_delta_pct (pp); reduction% by "
      "the formula beside it, in summary.json's names: 100 = TTA makes the runs agree exactly, "
      "0 = no effect, below 0 = more spread with TTA.",
      "Correlation enters twice: as 1 - corr and as its relative change; seed 002's original "
      "and replication differ in this, so the average of the five (mean_*) is given both ways.",
      "Groups without TTA logits are left out; every other table uses /eval/logits alone.",
  };
  add_group_notes(summary, {"tta_"}, &table, shown);
  add_banner_footnote(summary, &table);
  return table;
}

bool has_several_environments(const SweepSummary& summary) {
  return std::any_of(summary.groups.begin(), summary.groups.end(), [](const GroupStats& group) {
    return group.environments.environments.size() > 1;
  });
}

Table environment_table(const SweepSummary& summary) {
  Table table;
  table.title = fmt::format("{}: accuracy per environment", summary.sweep_name);
  KeyParams keys = key_params(summary.groups);
  add_group_headers(keys, true, &table);
  table.headers.push_back("over");
  table.headers.push_back("environment");
  table.align += "ll";
  add_numeric_headers({"n", "mean%", "sd%", "min%", "max%", "range pp (means)",
                       "range pp (runs)"},
                      &table);
  for (size_t g = 0; g < summary.groups.size(); ++g) {
    const GroupStats& group = summary.groups[g];
    if (group.environments.environments.size() < 2) continue;
    std::optional<double> range_pp, range_runs_pp;
    if (group.environments.range) range_pp = 100 * *group.environments.range;
    if (group.environments.range_runs) range_runs_pp = 100 * *group.environments.range_runs;
    for (const auto& entry : group.environments.environments) {
      std::vector<std::string> row = group_cells(summary, keys, g, true);
      row.push_back(contract::mode_name(group.stability_over));
      row.push_back(environment_label(entry.environment));
      row.push_back(std::to_string(entry.run_ids.size()));
      row.push_back(percent(entry.mean));
      row.push_back(percent(entry.sd));
      row.push_back(percent(entry.min));
      row.push_back(percent(entry.max));
      row.push_back(fixed(range_pp, 2));
      row.push_back(fixed(range_runs_pp, 2));
      table.rows.push_back(row);
    }
  }
  table.footnotes = {
      "environment: the grid's environment (its name, before the colon, where the grid has "
      "environments), the GPU model (the CPU model for runs without GPU), driver, CUDA, cuDNN "
      "and torch versions from the run files' /env; over: the runs measured, as in the "
      "stability table.",
      "mean, sd (ddof = 1), min, max: test accuracy (%) of the group's runs in that environment. "
      "Two ranges of the group, in percentage points: range pp (means) = max - min of its "
      "environment means; range pp (runs) = max - min over all its runs in every environment "
      "(seed 003's form).",
      "Groups whose runs all ran in one environment are left out; summary.json has every "
      "group's environments.",
  };
  if (!summary.broken_promises.empty())
    table.footnotes.push_back(broken_promises_note(summary));
  add_group_notes(summary, {"environments"}, &table);
  add_banner_footnote(summary, &table);
  return table;
}

std::string broken_promises_note(const SweepSummary& summary) {
  std::vector<std::string> runs;
  for (const auto& broken : summary.broken_promises)
    runs.push_back(fmt::format("{} ({}: {})", broken.run_id, broken.environment, fmt::join(broken.problems, "; ")));
  return fmt::format("ENVIRONMENT MISMATCH: {} run(s) did not see what their environment promised: {}.",
                     runs.size(), fmt::join(runs, ", "));
}

bool has_portability(const SweepSummary& summary) {
  return std::any_of(summary.groups.begin(), summary.groups.end(),
                     [](const GroupStats& group) { return !group.portability.pairs.empty(); });
}

namespace {

// What the terminal calls an environment of `group`: its name from the grid, or the whole label
// where there is no name or two of the group's environments share it (a broken promise).
std::string environment_short_label(const GroupStats& group, const Environment& environment) {
  if (environment.name.empty()) return environment_label(environment);
  for (const auto& entry : group.environments.environments) {
    if (entry.environment.name == environment.name && !(entry.environment == environment))
      return environment_label(environment);
  }
  for (const auto& pair : group.portability.pairs) {
    for (const Environment* other : {&pair.environment_a, &pair.environment_b}) {
      if (other->name == environment.name && !(*other == environment)) return environment_label(environment);
    }
  }
  return environment.name;
}

// A group's portability pairs gathered by the two environments, over their seeds.
struct EnvironmentPairs {
  int64_t seeds = 0, identical = 0;  // identical: weights and logits byte for byte
  std::optional<double> max_rel_l2_weights;
  double max_disagreement_pct = 0;
};

std::map<std::pair<Environment, Environment>, EnvironmentPairs> pairs_by_environments(const Portability& portability) {
  std::map<std::pair<Environment, Environment>, EnvironmentPairs> out;
  for (const auto& pair : portability.pairs) {
    EnvironmentPairs& entry = out[{pair.environment_a, pair.environment_b}];
    ++entry.seeds;
    entry.identical += pair.weights_identical && pair.logits_identical;
    if (pair.rel_l2_weights)
      entry.max_rel_l2_weights = std::max(entry.max_rel_l2_weights.value_or(0.0), *pair.rel_l2_weights);
    entry.max_disagreement_pct = std::max(entry.max_disagreement_pct, pair.disagreement_pct);
  }
  return out;
}

}  // namespace

Table portability_table(const SweepSummary& summary, bool for_terminal) {
  Table table;
  table.title = fmt::format("{}: bitwise portability of the D runs across environments", summary.sweep_name);
  KeyParams keys = key_params(summary.groups);
  add_group_headers(keys, !for_terminal, &table);
  if (for_terminal) {
    for (const char* header : {"environment A", "environment B"}) {
      table.headers.push_back(header);
      table.align += 'l';
    }
    add_numeric_headers({"identical", "rel L2 weights", "disagree%"}, &table);
    for (size_t g = 0; g < summary.groups.size(); ++g) {
      const GroupStats& group = summary.groups[g];
      for (const auto& [environments, pairs] : pairs_by_environments(group.portability)) {
        std::vector<std::string> row = group_cells(summary, keys, g, false);
        row.push_back(environment_short_label(group, environments.first));
        row.push_back(environment_short_label(group, environments.second));
        row.push_back(fmt::format("{} of {}", pairs.identical, pairs.seeds));
        row.push_back(scientific(pairs.max_rel_l2_weights));
        row.push_back(fixed(pairs.max_disagreement_pct, 2));
        table.rows.push_back(row);
      }
    }
    table.footnotes = {
        "D runs with the same seeds in two environments: identical: for how many of the seeds "
        "both give byte-identical weights and logits (bitwise portability); rel L2 weights = "
        "||w_A - w_B|| / max(||w_A||, ||w_B||) and disagree% (the test samples predicted "
        "differently): the largest over those seeds.",
        "results/portability.md has every pair of runs; results/env.md the accuracy per "
        "environment.",
    };
    add_banner_footnote(summary, &table);
    return table;
  }
  for (const char* header : {"environment A", "environment B", "run A", "run B"}) {
    table.headers.push_back(header);
    table.align += 'l';
  }
  add_numeric_headers({"init seed", "weights identical", "logits identical", "rel L2 weights",
                       "disagreement%"},
                      &table);
  for (size_t g = 0; g < summary.groups.size(); ++g) {
    for (const auto& pair : summary.groups[g].portability.pairs) {
      std::vector<std::string> row = group_cells(summary, keys, g, true);
      row.push_back(environment_label(pair.environment_a));
      row.push_back(environment_label(pair.environment_b));
      row.push_back(pair.run_a);
      row.push_back(pair.run_b);
      row.push_back(std::to_string(pair.seeds[contract::NoiseSource::kInit]));
      row.push_back(pair.weights_identical ? "yes" : "no");
      row.push_back(pair.logits_identical ? "yes" : "no");
      row.push_back(scientific(pair.rel_l2_weights));
      row.push_back(fixed(pair.disagreement_pct, 2));
      table.rows.push_back(row);
    }
  }
  table.footnotes = {
      "One row per two D runs of a group with the same five seeds in two environments (the first "
      "D run of each environment with those seeds); init seed: the seed of the weight "
      "initialisation, the others in summary.json.",
      "weights / logits identical: /weights/flat / /eval/logits byte for byte (bitwise "
      "portability); rel L2 weights = ||w_A - w_B|| / max(||w_A||, ||w_B||) on /weights/flat; "
      "disagreement% = 100 x the fraction of test samples whose predicted class differs.",
      "Within one environment, D runs with the same seeds must be identical (the determinism "
      "check); across environments they need not be, and this table says how far apart they are.",
  };
  add_group_notes(summary, {"portability"}, &table);
  add_banner_footnote(summary, &table);
  return table;
}

std::string determinism_banner(const SweepSummary& summary) {
  std::vector<std::string> failed;
  for (size_t g = 0; g < summary.groups.size(); ++g) {
    const GroupStats& group = summary.groups[g];
    if (group.determinism.d_identical == false) {
      failed.push_back(fmt::format("#{} ({})", g + 1, group.group_id));
    }
  }
  if (failed.empty()) return "";
  return fmt::format("DETERMINISM FAILED in {} group(s): {}: D runs with identical seeds differ.",
                     failed.size(), fmt::join(failed, ", "));
}

Table adaptive_table(const SweepSummary& summary) {
  Table table;
  table.title = fmt::format("{}: adaptive replicas, why each point stopped", summary.sweep_name);
  KeyParams keys = key_params(summary.groups);
  add_group_headers(keys, true, &table);
  table.headers.insert(table.headers.end(), {"mode", "rule"});
  table.align += "ll";
  add_numeric_headers({"runs", "acc SD (pp)", "SD CI half-width (pp)"}, &table);
  table.headers.push_back("stopped");
  table.align += 'l';
  for (const AdaptiveStop& stop : summary.adaptive) {
    auto group = std::find_if(summary.groups.begin(), summary.groups.end(),
                              [&](const GroupStats& g) { return g.group_id == stop.group_id; });
    std::vector<std::string> row;
    if (group != summary.groups.end()) {
      row = group_cells(summary, keys, static_cast<size_t>(group - summary.groups.begin()), true);
    } else {  // none of the group's runs was read
      row = {kUndefined, stop.group_id};
      row.resize(table.group_columns, kUndefined);
    }
    const contract::AdaptiveRepeat& rule = stop.point.repeat;
    row.push_back(stop.mode.empty() ? kUndefined : stop.mode);
    row.push_back(fmt::format("{}..{} step {}, until half-width <= {:g}", rule.min, rule.max, rule.step,
                              rule.acc_sd_ci_halfwidth_pp));
    row.push_back(std::to_string(stop.check.runs));
    row.push_back(fixed(stop.check.acc_sd_pp, 3));
    row.push_back(fixed(stop.check.halfwidth_pp, 3));
    row.push_back(stop_reason_text(stop));
    table.rows.push_back(row);
  }
  table.footnotes = {
      fmt::format("Replicas came in waves (min, then step more while the rule did not hold, up to max); the rule is "
                  "checked on the runs read: the half-width of the chi-square {:g} % interval of the sample SD "
                  "(ddof = 1) of final test accuracy. A point that stopped early has a CI of its SD whose coverage is "
                  "no longer exactly {:g} % (optional stopping; docs/statistics.md, \"Stopping rule\").",
                  100 * (1 - sweep::kStoppingAlpha), 100 * (1 - sweep::kStoppingAlpha)),
  };
  add_banner_footnote(summary, &table);
  return table;
}

Table forecast_table(const SweepSummary& summary) {
  const ForecastCheck& check = *summary.forecast;
  Table table;
  table.title = fmt::format("{}: forecast (sweep plan --forecast-from) and measured", summary.sweep_name);
  table.headers = {"measure", "forecast", "95 % interval", "measured", "measured / forecast", "inside"};
  table.align = "lrlrrl";
  for (const ForecastRow& row : check.rows) {
    auto value = [&](const std::optional<double>& v) {
      if (!v) return std::string(kUndefined);
      return row.measure == "train_s" ? fixed(v, 1) : fmt::format("{:.3g}", *v);
    };
    std::optional<double> ratio;
    if (row.measured && row.estimate && *row.estimate > 0) ratio = *row.measured / *row.estimate;
    table.rows.push_back({row.measure, value(row.estimate),
                          row.low && row.high ? fmt::format("[{}, {}]", value(row.low), value(row.high))
                                              : std::string(kUndefined),
                          value(row.measured), fixed(ratio, 2),
                          row.inside ? (*row.inside ? "yes" : "no") : std::string(kUndefined)});
  }
  table.footnotes = {fmt::format("forecast of {} runs; measured: the {} runs read. train_s in seconds, summed over "
                                 "the runs; kwh: measured joules, or estimated where a run measured none "
                                 "(docs/forecast.md).",
                                 check.runs_forecast, check.runs_measured)};
  table.footnotes.insert(table.footnotes.end(), check.notes.begin(), check.notes.end());
  return table;
}

}  // namespace rs::report
