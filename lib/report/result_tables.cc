#include "report/result_tables.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "energy/energy_format.h"
#include "report/significance.h"

namespace rs::report {

namespace {

using nlohmann::json;

const char kUndefined[] = "-";

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

std::string fixed(std::optional<double> value, int decimals) {
  return value ? fmt::format("{:.{}f}", *value, decimals) : kUndefined;
}

std::string percent(std::optional<double> fraction) {
  return fraction ? fixed(100 * *fraction, 2) : kUndefined;
}

std::string signed_fixed(std::optional<double> value, int decimals) {
  return value ? fmt::format("{:+.{}f}", *value, decimals) : kUndefined;
}

std::string p_value_cell(std::optional<double> p) {
  if (!p) return kUndefined;
  if (*p == 0) return "0";
  return *p < 0.001 ? fmt::format("{:.1e}", *p) : fmt::format("{:.3f}", *p);
}

std::string determinism_cell(std::optional<bool> d_identical) {
  if (!d_identical) return kUndefined;
  return *d_identical ? "ok" : "FAILED";
}

std::string percent_interval(const std::optional<stats::Interval>& ci) {
  if (!ci) return kUndefined;
  return fmt::format("[{:.2f}, {:.2f}]", 100 * ci->lo, 100 * ci->hi);
}

std::optional<double> final_epoch_mean_cosine(const Stability& stability) {
  if (stability.cosine_last_layer.empty()) return std::nullopt;
  return stability.cosine_last_layer.back().mean;
}

// Notes name the fields they explain before the first ": " ("nd_sd, delta_s: null: ...");
// a table footnotes the notes about the fields it shows. A field matches where a name starts
// with it ("per_class" matches per_class_sd_ratio), never inside a name (acc_sd does not
// match tta_plain_acc_sd, which belongs to the TTA table).
bool note_is_about(const std::string& note, const std::vector<std::string>& fields) {
  std::string subject = note.substr(0, note.find(": "));
  auto starts_a_name = [&](size_t pos) {
    return pos == 0 || !(std::isalnum(static_cast<unsigned char>(subject[pos - 1])) || subject[pos - 1] == '_');
  };
  for (const auto& field : fields) {
    for (size_t pos = subject.find(field); pos != std::string::npos; pos = subject.find(field, pos + 1)) {
      if (starts_a_name(pos)) return true;
    }
  }
  return false;
}

// `shown`: the groups the table has rows for; empty for every group.
void add_group_notes(const SweepSummary& summary, const std::vector<std::string>& fields,
                     Table* table, const std::vector<bool>& shown = {}) {
  bool first = true;
  for (size_t g = 0; g < summary.groups.size(); ++g) {
    if (!shown.empty() && !shown[g]) continue;
    for (const auto& note : group_notes(summary.groups[g])) {
      if (!note_is_about(note, fields)) continue;
      if (first) table->footnotes.push_back("Notes per group (why a value is -, or the rule that set it):");
      first = false;
      table->footnotes.push_back(fmt::format("#{}: {}", g + 1, note));
    }
  }
}

// The columns that say which group a row is about: #, group_id (optional) and the parameters
// that differ between groups.
void add_group_headers(const KeyParams& keys, bool with_group_id, Table* table) {
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

}  // namespace

Table nd_vs_d_table(const SweepSummary& summary, bool for_terminal) {
  Table table;
  table.title = fmt::format("{}: ND vs D, final test accuracy (%)", summary.sweep_name);
  add_group_columns(summary, key_params(summary.groups), !for_terminal, &table);
  // The terminal form counts runs in one "nd/d" column ("5/1") to stay within 100 columns.
  std::vector<std::string> numeric_headers;
  if (for_terminal) {
    numeric_headers = {"nd/d", "nd_mean", "nd_sd", "d", "delta%", "dS", "p", "det"};
  } else {
    numeric_headers = {"n_nd", "n_d", "nd_mean", "nd_sd",     "d",  "delta%",
                       "dS",   "t",   "p",       "time D/ND", "det"};
  }
  for (const auto& header : numeric_headers) {
    table.headers.push_back(header);
    table.align += 'r';
  }
  for (size_t g = 0; g < summary.groups.size(); ++g) {
    const GroupStats& group = summary.groups[g];
    const NdVsD& r = group.nd_vs_d;
    std::vector<std::string>& row = table.rows[g];
    if (for_terminal) {
      row.push_back(fmt::format("{}/{}", r.n_nd, r.n_d));
    } else {
      row.push_back(std::to_string(r.n_nd));
      row.push_back(std::to_string(r.n_d));
    }
    row.push_back(percent(r.nd_mean));
    row.push_back(percent(r.nd_sd));
    row.push_back(percent(r.d_value));
    row.push_back(signed_fixed(r.delta_pct, 2));
    row.push_back(fixed(r.delta_s, 2));
    if (!for_terminal) row.push_back(fixed(r.t_stat, 2));
    row.push_back(p_value_cell(r.p_value));
    if (!for_terminal) row.push_back(fixed(r.overhead_train, 2));
    row.push_back(determinism_cell(group.determinism.d_identical));
  }
  table.footnotes = {
      "nd_mean, d: mean accuracy of the ND / D runs; nd_sd: sample SD (ddof = 1) of the ND runs.",
      "delta% = 100 (nd_mean - d) / d; dS = 100 (max - min) of the ND runs only, in points.",
      "p: two-sided one-sample t-test of the ND accuracies against d (df = n_nd - 1).",
      "det: ok / FAILED = D runs with identical seeds are / are not bit-identical; - = no two "
      "share seeds.",
  };
  if (!for_terminal) {
    table.footnotes.push_back("time D/ND: mean train_s of the D runs / of the ND runs.");
  }
  add_group_notes(summary, {"nd_mean", "nd_sd", "d_value", "delta_pct", "delta_s", "t_stat",
                            "p_value", "overhead_train"},
                  &table);
  add_banner_footnote(summary, &table);
  return table;
}

Table stability_table(const SweepSummary& summary) {
  Table table;
  table.title = fmt::format("{}: stability across runs", summary.sweep_name);
  add_group_columns(summary, key_params(summary.groups), true, &table);
  for (const char* header : {"over", "n", "acc_sd%", "acc_sd 95% CI", "ce_sd", "disagree%",
                             "corr", "ens_gain pp", "l2_norm", "cos_last", "class_sd x"}) {
    table.headers.push_back(header);
    table.align += 'r';
  }
  for (size_t g = 0; g < summary.groups.size(); ++g) {
    const GroupStats& group = summary.groups[g];
    const Stability& s = group.stability;
    std::vector<std::string>& row = table.rows[g];
    row.push_back(group.stability_over);
    row.push_back(std::to_string(s.n_runs));
    row.push_back(percent(s.acc_sd));
    row.push_back(percent_interval(s.acc_sd_ci95));
    row.push_back(fixed(s.ce_sd, 4));
    row.push_back(fixed(s.disagreement_pct, 2));
    row.push_back(fixed(s.correlation, 4));
    row.push_back(signed_fixed(s.ensemble_delta_pct, 2));
    row.push_back(fixed(s.l2_normalized, 4));
    row.push_back(fixed(final_epoch_mean_cosine(s), 4));
    row.push_back(fixed(s.class_spread.per_class_sd_ratio, 1));
  }
  table.footnotes = {
      "over: the runs measured (nd; d when the group has fewer than two ND runs); n: how many.",
      fmt::format("acc_sd, ce_sd: sample SD (ddof = 1) of test accuracy (%) and cross-entropy; "
                  "95% CI: percentile bootstrap, {} resamples, seed {}.",
                  stats::kBootstrapResamples, stats::kBootstrapSeed),
      "disagree%: mean over pairs of the share of test samples predicted differently; corr: "
      "mean Pearson r of the logits; ens_gain pp: mean gain of a two-model ensemble.",
      "l2_norm: mean distance of unit-normalised weights; cos_last: mean cosine of last-layer "
      "weights after the last epoch; class_sd x: max per-class accuracy SD / acc_sd.",
  };
  add_group_notes(summary, {"acc_sd", "ce_sd", "disagreement_pct", "correlation",
                            "ensemble_delta_pct", "l2_normalized", "cosine_last_layer",
                            "per_class_sd_ratio", "stability measures"},
                  &table);
  add_banner_footnote(summary, &table);
  return table;
}

Table significance_table(const SweepSummary& summary) {
  Table table;
  table.title = fmt::format("{}: groups where ND differs significantly from D", summary.sweep_name);
  table.headers = {"dataset", "optimizer", "groups", "tested", "p<=0.05",
                   "mean |delta%| significant", "mean |delta%| all"};
  table.align = "llrrrrr";
  for (const auto& row : significance_by_dataset_optimizer(summary.groups)) {
    table.rows.push_back({row.dataset.empty() ? kUndefined : row.dataset,
                          row.optimizer.empty() ? kUndefined : row.optimizer,
                          std::to_string(row.n_groups), std::to_string(row.n_tested),
                          std::to_string(row.n_significant),
                          fixed(row.mean_abs_delta_pct_significant, 2),
                          fixed(row.mean_abs_delta_pct_all, 2)});
  }
  table.footnotes = {
      "tested: groups with a p-value (two or more ND runs and a D run); p<=0.05: of which "
      "significant (two-sided one-sample t-test).",
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
    row.push_back(group.stability_over);
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
  add_numeric_headers({"n_nd", "n_d", "ND train s", "D train s", "train D/ND", "ND GPU s",
                       "D GPU s", "GPU D/ND"},
                      &table);
  for (size_t g = 0; g < summary.groups.size(); ++g) {
    const NdVsD& r = summary.groups[g].nd_vs_d;
    std::vector<std::string>& row = table.rows[g];
    row.push_back(std::to_string(r.n_nd));
    row.push_back(std::to_string(r.n_d));
    row.push_back(fixed(r.nd_train_s, 2));
    row.push_back(fixed(r.d_train_s, 2));
    row.push_back(fixed(r.overhead_train, 2));
    row.push_back(fixed(r.nd_gpu_s, 2));
    row.push_back(fixed(r.d_gpu_s, 2));
    row.push_back(fixed(r.overhead_gpu, 2));
  }
  table.footnotes = {
      "ND / D train s: mean train_s of the group's ND / D runs; train D/ND = D train s / ND "
      "train s (above 1: determinism costs time).",
      "GPU: the same for gpu_s, shown when every run of the group measured it.",
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

Table tta_table(const SweepSummary& summary) {
  Table table;
  table.title = fmt::format("{}: test-time augmentation (TTA) and the spread across runs",
                            summary.sweep_name);
  KeyParams keys = key_params(summary.groups);
  add_group_headers(keys, true, &table);
  add_numeric_headers({"over", "n", "acc% plain", "acc% TTA", "sd% plain", "sd% TTA",
                       "reduction%"},
                      &table);
  std::vector<bool> shown;
  for (size_t g = 0; g < summary.groups.size(); ++g) {
    const GroupStats& group = summary.groups[g];
    const TtaReduction& tta = group.tta;
    shown.push_back(!tta.run_ids.empty());
    if (!shown.back()) continue;
    std::vector<std::string> row = group_cells(summary, keys, g, true);
    row.push_back(group.stability_over);
    row.push_back(std::to_string(tta.run_ids.size()));
    row.push_back(percent(tta.plain_acc_mean));
    row.push_back(percent(tta.tta_acc_mean));
    row.push_back(percent(tta.plain_acc_sd));
    row.push_back(percent(tta.tta_acc_sd));
    row.push_back(signed_fixed(tta.reduction_pct, 1));
    table.rows.push_back(row);
  }
  table.footnotes = {
      "over: the runs measured, as in the stability table; n: how many of them have TTA logits "
      "(/eval/logits_tta). Only those runs enter this table.",
      "acc% plain / TTA: their mean test accuracy from /eval/logits / from /eval/logits_tta; sd%: "
      "the sample SD (ddof = 1) of it across the runs.",
      "reduction% = " + tta_reduction_formula() + " (tta_* as in summary.json): 100 = TTA makes "
      "the runs agree exactly, 0 = no effect, below 0 = more spread with TTA.",
      "Groups without TTA logits are left out; every other measure uses /eval/logits alone.",
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
  add_numeric_headers({"n", "mean%", "sd%", "min%", "max%", "range pp"}, &table);
  for (size_t g = 0; g < summary.groups.size(); ++g) {
    const GroupStats& group = summary.groups[g];
    if (group.environments.environments.size() < 2) continue;
    std::optional<double> range_pp;
    if (group.environments.range) range_pp = 100 * *group.environments.range;
    for (const auto& entry : group.environments.environments) {
      std::vector<std::string> row = group_cells(summary, keys, g, true);
      row.push_back(group.stability_over);
      row.push_back(environment_label(entry.environment));
      row.push_back(std::to_string(entry.run_ids.size()));
      row.push_back(percent(entry.mean));
      row.push_back(percent(entry.sd));
      row.push_back(percent(entry.min));
      row.push_back(percent(entry.max));
      row.push_back(fixed(range_pp, 2));
      table.rows.push_back(row);
    }
  }
  table.footnotes = {
      "environment: the GPU model (the CPU model for runs without GPU), driver, CUDA, cuDNN and "
      "torch versions from the run files' /env; over: the runs measured, as in the stability "
      "table.",
      "mean, sd (ddof = 1), min, max: test accuracy (%) of the group's runs in that environment; "
      "range pp: max - min of the group's environment means, in percentage points.",
      "Groups whose runs all ran in one environment are left out; summary.json has every "
      "group's environments.",
  };
  add_group_notes(summary, {"environments"}, &table);
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

}  // namespace rs::report
