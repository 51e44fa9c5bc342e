#include "report/collect.h"

#include <algorithm>
#include <filesystem>
#include <future>
#include <map>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "contract/layout.h"
#include "energy/energy_format.h"
#include "report/html_report.h"
#include "report/result_tables.h"
#include "report/summary_json.h"
#include "report/sweep_dir.h"
#include "runfile/reader_process.h"
#include "runfile/record_bytes.h"
#include "runfile/run_file.h"
#include "runfile/environment_promise.h"
#include "util/error.h"
#include "util/files.h"
#include "util/parallel.h"
#include "util/text.h"

namespace rs::report {

namespace fs = std::filesystem;

namespace {

// What the inventory reads of each file: the root attributes (run_id, group_id, ...).
const runfile::ReadParts kRootAttributesOnly{false, false, false, false, false};

// The run files of one group, found by reading their root attributes only.
struct GroupFiles {
  std::string group_id;
  std::vector<std::string> paths;
  int64_t first_plan_index = 0;  // orders groups as the plan does
};

struct Inventory {
  std::vector<GroupFiles> groups;  // in plan order; groups outside any plan after, by group_id
  std::vector<SkippedRun> skipped;
  std::string sweep_name_from_runs;
};

// A skipped run file, its path (any bytes a file name may hold) made printable.
SkippedRun skipped_file(const std::string& path, const std::string& reason) {
  return {printable(path), reason};
}

// Reads every complete run file's metadata and sorts the usable ones into groups.
Inventory take_inventory(const SweepPlan& plan, const RunFiles& files, double read_timeout_s) {
  std::map<std::string, const contract::PlannedRun*> planned;
  for (const auto& run : plan.runs) planned[run.run_id] = &run;

  Inventory inventory;
  std::map<std::string, GroupFiles> by_group;
  runfile::ReaderProcess reader(files.complete, [](const std::string& path, std::string* bytes) {
    runfile::append_record_bytes(runfile::read_run_file(path, kRootAttributesOnly), bytes);
  }, read_timeout_s);
  for (const auto& path : files.complete) {
    runfile::ReadOutcome outcome = reader.next();
    if (!outcome.read) {
      inventory.skipped.push_back(skipped_file(path, outcome.reason));
      continue;
    }
    size_t offset = 0;
    runfile::RunRecord meta = runfile::record_from_bytes(outcome.bytes, &offset);
    if (meta.run_id != run_id_from_path(path)) {
      inventory.skipped.push_back(skipped_file(path, fmt::format("run_id attr is {}, file name says {}",
                                                                 meta.run_id, printable(run_id_from_path(path)))));
      continue;
    }
    auto in_plan = planned.find(meta.run_id);
    if (plan.found && in_plan == planned.end()) {
      inventory.skipped.push_back(skipped_file(path, "run_id not in plan.jsonl (left from an older plan?)"));
      continue;
    }
    if (plan.found && in_plan->second->group_id != meta.group_id) {
      inventory.skipped.push_back(skipped_file(path, fmt::format("group_id is {}, plan.jsonl says {}",
                                                                 meta.group_id, in_plan->second->group_id)));
      continue;
    }
    GroupFiles& group = by_group[meta.group_id];
    int64_t plan_index = plan.found ? in_plan->second->index : 0;
    if (group.paths.empty() || plan_index < group.first_plan_index) {
      group.first_plan_index = plan_index;
    }
    group.group_id = meta.group_id;
    group.paths.push_back(path);
    if (inventory.sweep_name_from_runs.empty()) inventory.sweep_name_from_runs = meta.sweep_name;
  }
  for (auto& entry : by_group) inventory.groups.push_back(std::move(entry.second));
  std::stable_sort(inventory.groups.begin(), inventory.groups.end(),
                   [](const GroupFiles& a, const GroupFiles& b) {
                     return a.first_plan_index < b.first_plan_index;
                   });
  return inventory;
}

// read_run() in the reader process: the run as bytes, or RunFileError saying why it is
// unusable.
void read_run_bytes(const std::string& path, stats::Metric metric, std::string* bytes) {
  std::string why_not;
  std::optional<EvaluatedRun> run = read_run(path, metric, &why_not);
  if (!run) throw runfile::RunFileError(why_not);
  runfile::append_record_bytes(run->record, bytes);
  const WeightsScan& scan = run->weights;
  runfile::append_bytes(&scan.size, sizeof scan.size, bytes);
  runfile::append_bytes(&scan.finite, sizeof scan.finite, bytes);
  runfile::append_bytes(&scan.norm, sizeof scan.norm, bytes);
}

EvaluatedRun run_from_bytes(const std::string& path, std::string_view bytes) {
  EvaluatedRun run;
  run.path = path;
  size_t offset = 0;
  run.record = runfile::record_from_bytes(bytes, &offset);
  WeightsScan& scan = run.weights;
  runfile::read_bytes(bytes, &offset, &scan.size, sizeof scan.size);
  runfile::read_bytes(bytes, &offset, &scan.finite, sizeof scan.finite);
  runfile::read_bytes(bytes, &offset, &scan.norm, sizeof scan.norm);
  return run;
}

// Loads one group's runs (all but their weights, see weight_blocks.h) from `reader`, whose
// next paths are the group's; files that fail now go to `skipped`. Later reads of the weights
// in blocks (weight_blocks.h) take the path the reader process took through the same file.
std::vector<EvaluatedRun> load_group(const GroupFiles& group, runfile::ReaderProcess* reader,
                                     std::vector<SkippedRun>* skipped) {
  std::vector<EvaluatedRun> runs;
  for (const auto& path : group.paths) {
    runfile::ReadOutcome outcome = reader->next();
    if (outcome.read) {
      runs.push_back(run_from_bytes(path, outcome.bytes));
    } else {
      skipped->push_back(skipped_file(path, outcome.reason));
    }
  }
  return runs;
}

GroupStats evaluate_group(const std::string& group_id, stats::Metric metric,
                          std::vector<EvaluatedRun> runs) {
  parallel_for(static_cast<int64_t>(runs.size()), [&](int64_t r) { evaluate(&runs[r], metric); });
  return compute_group_stats(group_id, std::move(runs));
}

// The plan's sweep name, else the run files', else the folder's name.
std::string sweep_name(const SweepPlan& plan, const Inventory& inventory,
                       const std::string& sweep_dir) {
  if (!plan.sweep_name.empty()) return plan.sweep_name;
  if (!inventory.sweep_name_from_runs.empty()) return inventory.sweep_name_from_runs;
  fs::path folder = fs::absolute(sweep_dir).lexically_normal();
  if (folder.filename().empty()) folder = folder.parent_path();  // "DIR/" ends in ""
  return folder.filename().string();
}

// `csv_table`: the table's CSV form where it differs (CSV has no footnotes), else nullptr.
void write_table(const std::string& results_dir, const std::string& name, const Table& table,
                 const std::string& banner, const Table* csv_table = nullptr) {
  std::string markdown = to_markdown(table);
  if (!banner.empty()) markdown = "**" + banner + "**\n\n" + markdown;
  write_file_atomic(results_dir + "/" + name + ".md", markdown);
  write_file_atomic(results_dir + "/" + name + ".csv", to_csv(csv_table ? *csv_table : table));
  write_file_atomic(results_dir + "/" + name + ".tex", to_latex(table));
}

// A metric that no run of the sweep can be compared by (AUC of a ten-class sweep) is the
// command line's mistake: refused before results/ is touched, so the results of an earlier
// collect stay.
void refuse_metric_for_no_run(const SweepSummary& summary, stats::Metric metric) {
  if (summary.runs_read > 0) return;
  for (const auto& skipped : summary.skipped) {
    if (skipped.reason.rfind("--metric", 0) == 0) {
      throw InputError(fmt::format("--metric {}: no run of this sweep can be compared by it ({}); "
                                   "nothing written",
                                   stats::metric_name(metric), skipped.reason));
    }
  }
}

// The tables that have rows for this sweep's design (with environments: their portability),
// then the runs that broke their environment's promise and one line of energy. When every
// ND-vs-D comparison is the CPU's (ND equal to D because the kernels are deterministic), the
// stability table, which a CPU does measure, comes first.
std::string terminal_report(const SweepSummary& summary) {
  if (summary.groups.empty()) return no_runs_sentence(summary) + "\n";
  std::vector<std::string> parts;
  if (std::string note = cpu_note(summary); !note.empty()) {
    parts.push_back(wrap_text(note, kTerminalWidth, ""));
  }
  bool only_cpu_comparisons = std::all_of(
      summary.groups.begin(), summary.groups.end(), [](const GroupStats& group) {
        return group.nd_vs_d.n_nd == 0 || group.nd_vs_d.n_d == 0 || nd_equals_d_on_cpu(group);
      });
  std::vector<Table> tables = {nd_vs_d_table(summary, true), stability_table(summary, true)};
  if (only_cpu_comparisons) std::swap(tables[0], tables[1]);
  if (has_portability(summary)) tables.push_back(portability_table(summary, true));
  if (!summary.adaptive.empty()) tables.push_back(adaptive_table(summary));
  if (summary.forecast) tables.push_back(forecast_table(summary));
  for (const Table& table : tables) {
    if (!table.rows.empty()) parts.push_back(to_terminal(table));
  }
  if (!summary.broken_promises.empty())
    parts.push_back(wrap_text(broken_promises_note(summary), kTerminalWidth));
  parts.push_back(wrap_text(energy::energy_line(total_energy(summary), summary.site),
                            kTerminalWidth));
  if (!summary.forecast_note.empty()) parts.push_back(wrap_text(summary.forecast_note, kTerminalWidth));
  return fmt::format("{}", fmt::join(parts, "\n"));
}

void remove_table(const std::string& results_dir, const std::string& name) {
  for (const char* extension : {".md", ".csv", ".tex"}) {
    fs::remove(results_dir + "/" + name + extension);
  }
}

}  // namespace

SweepSummary summarize_sweep(const CollectOptions& options) {
  // A mistyped folder is refused before anything is written: a sweep folder has a plan or a
  // runs/ folder (run files collected without their plan).
  std::error_code error;
  if (!fs::is_directory(options.sweep_dir, error)) {
    throw InputError(options.sweep_dir + ": no such folder");
  }
  if (!fs::exists(contract::plan_path(options.sweep_dir), error) &&
      !fs::is_directory(contract::runs_dir(options.sweep_dir), error)) {
    throw InputError(options.sweep_dir + ": not a sweep folder (no plan.jsonl and no runs/)");
  }
  SweepPlan plan = read_plan(options.sweep_dir);
  const std::vector<runfile::EnvironmentPromise> promises = runfile::read_environment_promises(options.sweep_dir);
  RunFiles files = list_run_files(options.sweep_dir);
  Inventory inventory = take_inventory(plan, files, options.read_timeout_s);

  SweepSummary summary;
  summary.site = options.site;
  summary.metric = options.metric;
  summary.runs_planned = static_cast<int64_t>(plan.runs.size());
  summary.skipped = inventory.skipped;
  for (const auto& path : files.partial) summary.skipped.push_back(skipped_file(path, "in progress"));

  // This thread reads group k + 1 (from the reader process, which reads ahead of it) while
  // group k is evaluated on others: reading is serial (HDF5 takes one call at a time) and
  // would otherwise leave a core idle. The files of group
  // k + 2 are meanwhile prefetched, so that the disk always has requests queued: 10,000 small
  // run files from a cold cache took 30 s instead of 37 s. (Prefetching the next file within
  // a group did not help 100 ResNet-18 files: the kernel's readahead already streams them.)
  std::set<std::string> used_run_ids;
  std::future<GroupStats> evaluating;
  std::vector<std::string> paths_in_group_order;
  for (const auto& group : inventory.groups)
    paths_in_group_order.insert(paths_in_group_order.end(), group.paths.begin(), group.paths.end());
  runfile::ReaderProcess reader(
      std::move(paths_in_group_order),
      [metric = options.metric](const std::string& path, std::string* bytes) {
        read_run_bytes(path, metric, bytes);
      },
      options.read_timeout_s);
  for (size_t g = 0; g < inventory.groups.size(); ++g) {
    const GroupFiles& group_files = inventory.groups[g];
    if (g + 1 < inventory.groups.size()) {
      for (const auto& path : inventory.groups[g + 1].paths) prefetch_file(path);
    }
    std::vector<EvaluatedRun> runs = load_group(group_files, &reader, &summary.skipped);
    if (runs.empty()) continue;
    for (const auto& run : runs) {
      used_run_ids.insert(run.record.run_id);
      std::vector<std::string> problems = runfile::broken_promises(promises, run.record);
      if (!problems.empty())
        summary.broken_promises.push_back({run.record.run_id, runfile::environment_name(run.record), std::move(problems)});
    }
    summary.runs_read += static_cast<int64_t>(runs.size());
    if (evaluating.valid()) summary.groups.push_back(evaluating.get());
    evaluating = std::async(std::launch::async, evaluate_group, group_files.group_id,
                            options.metric, std::move(runs));
  }
  if (evaluating.valid()) summary.groups.push_back(evaluating.get());
  refuse_metric_for_no_run(summary, options.metric);
  summary.adaptive = adaptive_stops(options.sweep_dir, plan.runs, summary.groups);
  std::set<std::string> not_needed;
  for (const auto& stop : summary.adaptive) not_needed.insert(stop.not_needed_run_ids.begin(), stop.not_needed_run_ids.end());
  for (const auto& run : plan.runs) {
    if (!used_run_ids.count(run.run_id) && !not_needed.count(run.run_id)) summary.missing_run_ids.push_back(run.run_id);
  }
  summary.sweep_name = sweep_name(plan, inventory, options.sweep_dir);
  MeasuredCost measured{summary.runs_read, 0, total_energy(summary)};
  for (const auto& group : summary.groups) measured.train_s += group.train_s;
  summary.forecast = check_forecast(options.sweep_dir, measured, summary.site, &summary.forecast_note);
  return summary;
}

CollectResult collect_sweep(const CollectOptions& options) {
  if (options.site.pue.source.empty() || options.site.carbon_intensity.source.empty()) {
    throw std::invalid_argument("collect_sweep: the site factors are not resolved (resolve_site)");
  }
  SweepSummary summary = summarize_sweep(options);

  std::string results_dir = contract::results_dir(options.sweep_dir);
  make_dirs(results_dir);
  std::string banner = determinism_banner(summary);
  write_file_atomic(results_dir + "/summary.json", summary_to_json(summary).dump(2) + "\n");
  write_table(results_dir, "nd_vs_d", nd_vs_d_table(summary, false), banner);
  write_table(results_dir, "stability", stability_table(summary, false), banner);
  write_table(results_dir, "significance", significance_table(summary), banner);
  write_table(results_dir, "per_class", per_class_table(summary), banner);
  write_table(results_dir, "overhead", overhead_table(summary), banner);
  Table energy_csv = energy_table(summary, true);
  write_table(results_dir, "energy", energy_table(summary, false), banner, &energy_csv);
  if (has_tta(summary)) {
    write_table(results_dir, "tta", tta_table(summary), banner);
  } else {
    remove_table(results_dir, "tta");  // left from an earlier collect
  }
  if (has_several_environments(summary)) {
    write_table(results_dir, "env", environment_table(summary), banner);
  } else {
    remove_table(results_dir, "env");  // left from an earlier collect, before runs were redone
  }
  if (has_portability(summary)) {
    write_table(results_dir, "portability", portability_table(summary, false), banner);
  } else {
    remove_table(results_dir, "portability");
  }
  if (!summary.adaptive.empty()) {
    write_table(results_dir, "adaptive", adaptive_table(summary), banner);
  } else {
    remove_table(results_dir, "adaptive");
  }
  if (summary.forecast) {
    write_table(results_dir, "forecast", forecast_table(summary), banner);
  } else {
    remove_table(results_dir, "forecast");
  }
  write_file_atomic(results_dir + "/report.html", html_report(summary));

  CollectResult result;
  result.runs_planned = summary.runs_planned;
  result.runs_read = summary.runs_read;
  result.skipped = summary.skipped;
  result.missing_run_ids = summary.missing_run_ids;
  result.determinism_failed = determinism_failed(summary);
  if (!banner.empty()) result.terminal_table = "!!! " + banner + " !!!\n\n";
  result.terminal_table += terminal_report(summary);
  return result;
}

}  // namespace rs::report
