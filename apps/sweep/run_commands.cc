// sweep run | submit | resubmit | status | cancel | collect DIR: the commands that act on a
// planned sweep folder.
#include <algorithm>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "commands.h"
#include "contract/layout.h"
#include "energy/energy_format.h"
#include "options.h"
#include "report/collect.h"
#include "site_options.h"
#include "sweep/follow_up.h"
#include "sweep/jobs_file.h"
#include "sweep/local_run.h"
#include "sweep/planned_sweep.h"
#include "sweep/status.h"
#include "sweep/submit.h"
#include "util/error.h"
#include "util/text.h"

namespace rs::app {
namespace {

namespace po = boost::program_options;

// The last lines of a log, indented, to show why a run failed without opening files.
std::string log_tail(const std::string& path) {
  std::string out;
  std::string tail = sweep::last_lines(path, 5);
  for (size_t start = 0; start < tail.size();) {
    size_t end = tail.find('\n', start);
    out += "    " + tail.substr(start, end - start + 1);
    start = end + 1;
  }
  return out;
}

void print_submission(const sweep::Submission& s, const std::string& dir) {
  for (const auto& a : s.arrays) fmt::print("{} --array={}: job {}\n", a.script, a.tasks, a.job_id);
  if (!s.follow_up_job_id.empty())
    fmt::print("{}: job {} (after the arrays end: retries, the next runs, then the collector)\n",
               contract::kFollowUpScriptName, s.follow_up_job_id);
  else
    fmt::print("{}: job {} (after the arrays end)\n", contract::kCollectScriptName, s.collect_job_id);
  fmt::print("recorded in {}\n", contract::jobs_path(dir));
}

// What the waves of adaptive replicas decide on (sweep/waves.h): the run files' final test
// accuracies as `sweep collect` reads them.
sweep::RunAccuracies collected_accuracies(const std::string& dir) {
  report::CollectOptions options;
  options.sweep_dir = dir;
  return report::run_accuracies(report::summarize_sweep(options).groups);
}

}  // namespace

int run_command(const Args& args) {
  po::options_description options("sweep run options");
  sweep::LocalRunOptions run;
  options.add_options()
      ("dir", po::value(&run.dir)->required(), "planned sweep folder")
      ("jobs,j", po::value(&run.jobs)->default_value(0), "tasks at a time (0: CPUs / cpus_per_task)");
  po::variables_map values;
  if (!parse_args(args, "sweep run DIR [-j N]", options, {"dir"}, values)) return 0;

  sweep::LocalRunResult result = sweep::run_local(run, collected_accuracies);
  fmt::print("{} runs: {} done now, {} were already done, {} failed", result.total, result.succeeded,
             result.skipped, result.failed_logs.size());
  if (result.not_started > 0) fmt::print(", {} not started", result.not_started);
  fmt::print("\n");
  if (result.not_started > 0) {
    // Every task so far failed on the same bad input: one example, and what to do.
    fmt::print(stderr,
               "stopped: the first {} tasks all failed on bad input (exit status 2) the same "
               "way:\n  {}\nlog: {}\nfix the grid or the files it names, then run `sweep run {}` "
               "again (finished runs are kept)\n",
               result.stopped_after, result.stop_message, result.failed_logs[0], run.dir);
    return kExitInputError;
  }
  for (const auto& log : result.failed_logs) fmt::print(stderr, "failed: {}\n{}", log, log_tail(log));
  return result.failed_logs.empty() ? 0 : 1;
}

int submit_command(const Args& args) {
  po::options_description options("sweep submit options");
  std::string dir;
  options.add_options()
      ("dir", po::value(&dir)->required(), "planned sweep folder")
      ("test-only", "only check every script with sbatch --test-only")
      ("after-preflight", "run the arrays only once the last `sweep preflight DIR` succeeded (afterok)")
      ("force", "submit even while an earlier submission's tasks are queued or running");
  po::variables_map values;
  if (!parse_args(args, "sweep submit DIR [--test-only] [--after-preflight] [--force]", options, {"dir"}, values))
    return 0;

  bool test_only = values.count("test-only") > 0;
  sweep::Submission submission =
      sweep::submit_sweep(dir, test_only, values.count("after-preflight") > 0, values.count("force") > 0);
  if (test_only)
    fmt::print("every script in {}/slurm passes sbatch --test-only; nothing submitted\n", dir);
  else
    print_submission(submission, dir);
  return 0;
}

int resubmit_command(const Args& args) {
  po::options_description options("sweep resubmit options");
  std::string dir;
  options.add_options()
      ("dir", po::value(&dir)->required(), "planned sweep folder")
      ("failed", "resubmit runs whose task ended without a complete run file")
      ("missing", "resubmit runs never submitted or cancelled before they started");
  po::variables_map values;
  if (!parse_args(args, "sweep resubmit DIR [--failed] [--missing]  (neither: both)", options, {"dir"}, values))
    return 0;

  sweep::ResubmitOptions which;
  if (values.count("failed") || values.count("missing")) {
    which.failed = values.count("failed") > 0;
    which.missing = values.count("missing") > 0;
  }
  sweep::Submission submission = sweep::resubmit_sweep(dir, which);
  if (submission.arrays.empty()) {
    fmt::print("nothing to resubmit\n");
    return 0;
  }
  print_submission(submission, dir);
  return 0;
}

int status_command(const Args& args) {
  po::options_description options("sweep status options");
  std::string dir, format;
  options.add_options()
      ("dir", po::value(&dir)->required(), "planned sweep folder")
      ("format", po::value(&format)->default_value("text"), "text | json");
  po::variables_map values;
  if (!parse_args(args, "sweep status DIR [--format text|json]", options, {"dir"}, values)) return 0;
  if (format != "text" && format != "json") throw InputError("--format: expected text or json, got " + format);

  sweep::SweepStatus status = sweep::sweep_status(dir);
  // Runs a windowed sweep (slurm.max_queued_tasks) has not submitted yet: the follow-up job will.
  const std::vector<sweep::Submission> submitted = sweep::read_jobs(dir);
  const int64_t not_submitted =
      submitted.empty() ? -1 : sweep::runs_not_submitted(sweep::read_planned_sweep(dir), submitted);
  if (format == "json") {
    nlohmann::json counts, runs = nlohmann::json::array();
    for (size_t s = 0; s < sweep::kRunStateNames.size(); ++s) counts[sweep::kRunStateNames[s]] = status.counts[s];
    for (const auto& run : status.runs) {
      if (run.state == sweep::RunState::kDone) continue;
      runs.push_back({{"index", run.index}, {"run_id", run.run_id},
                      {"state", sweep::kRunStateNames[static_cast<size_t>(run.state)]},
                      {"log", run.log}, {"reason", run.reason}});
    }
    nlohmann::json failures = nlohmann::json::array();
    for (const auto& group : sweep::group_failures(status)) {
      nlohmann::json run_ids = nlohmann::json::array();
      for (size_t r : group.runs) run_ids.push_back(status.runs[r].run_id);
      failures.push_back({{"reason", group.reason}, {"message", group.message},
                          {"count", group.runs.size()}, {"run_ids", run_ids},
                          {"example_log", status.runs[group.runs[0]].log}});
    }
    nlohmann::json out = {{"sweep", status.name}, {"runs", status.runs.size()}, {"counts", counts},
                          {"not_done", runs}, {"failures", failures},
                          {"scheduler_reachable", status.scheduler_reachable},
                          {"accounting", status.accounting}};
    if (not_submitted >= 0) out["not_submitted"] = not_submitted;
    fmt::print("{}\n", out.dump(2));
    return 0;
  }
  fmt::print("sweep {}: {} runs\n ", status.name, status.runs.size());
  for (size_t s = 0; s < sweep::kRunStateNames.size(); ++s) fmt::print(" {} {}", sweep::kRunStateNames[s], status.counts[s]);
  fmt::print("\n");
  if (not_submitted > 0)
    fmt::print("  {} of the missing runs not submitted yet: the follow-up job submits them as the queue empties "
               "(slurm.max_queued_tasks)\n", not_submitted);
  if (const std::vector<bool> not_asked = sweep::runs_not_asked(sweep::read_planned_sweep(dir), submitted);
      std::count(not_asked.begin(), not_asked.end(), true) > 0) {
    int64_t waiting = 0;  // of the missing runs
    for (const auto& run : status.runs) waiting += run.state == sweep::RunState::kMissing && not_asked[static_cast<size_t>(run.index)];
    if (waiting > 0)
      fmt::print("  {} of the missing runs are replicas of adaptive points that no wave asked for (yet); `sweep collect` "
                 "says why each point stopped\n", waiting);
  }
  if (!status.scheduler_reachable) fmt::print("  (SLURM not reachable: queued or running runs show as failed or missing)\n");
  // Runs that failed the same way are shown once, with one of them as the example.
  for (const auto& group : sweep::group_failures(status)) {
    const sweep::RunStatus& example = status.runs[group.runs[0]];
    if (group.runs.size() == 1) {
      fmt::print("failed: run {} ({}): {}\n  {}\n{}", example.index, example.run_id, group.reason,
                 example.log, log_tail(example.log));
    } else {
      fmt::print("failed: {} runs the same way ({}), e.g. run {} ({}):\n  {}\n{}", group.runs.size(),
                 group.reason, example.index, example.run_id, example.log, log_tail(example.log));
    }
  }
  return 0;
}

int cancel_command(const Args& args) {
  po::options_description options("sweep cancel options");
  std::string dir;
  options.add_options()("dir", po::value(&dir)->required(), "planned sweep folder");
  po::variables_map values;
  if (!parse_args(args, "sweep cancel DIR", options, {"dir"}, values)) return 0;

  sweep::CancelResult result = sweep::cancel_sweep(dir);
  fmt::print("scancel {} job{}\n", result.job_ids.size(), result.job_ids.size() == 1 ? "" : "s");
  if (!result.messages.empty()) fmt::print(stderr, "{}", result.messages);
  return 0;
}

int follow_up_command(const Args& args) {
  po::options_description options("sweep follow-up options");
  std::string dir;
  options.add_options()("dir", po::value(&dir)->required(), "planned sweep folder");
  po::variables_map values;
  if (!parse_args(args, "sweep follow-up DIR  (run by DIR/slurm/follow-up.sbatch)", options, {"dir"}, values))
    return 0;
  std::vector<sweep::PointWave> waves;
  const sweep::Submission submission = sweep::follow_up(dir, collected_accuracies, &waves);
  // The follow-up job's log says why each adaptive point goes on or stopped.
  const std::vector<contract::AdaptivePoint> points = sweep::read_planned_sweep(dir).adaptive;
  for (size_t p = 0; p < waves.size(); ++p) fmt::print("adaptive {}\n", sweep::wave_text(points[p], waves[p]));
  print_submission(submission, dir);
  return 0;
}

int collect_command(const Args& args) {
  po::options_description options("sweep collect options");
  report::CollectOptions collect;
  SiteOptions site;
  std::string metric;
  options.add_options()
      ("dir", po::value(&collect.sweep_dir)->required(), "sweep folder")
      ("metric", po::value(&metric)->default_value("accuracy"),
       "value compared between runs: accuracy, macro_f1, balanced_accuracy or auc (two classes)");
  add_site_options(&options, &site);
  add_read_timeout_option(&options, &collect.read_timeout_s);
  po::variables_map values;
  if (!parse_args(args, fmt::format("sweep collect DIR [--metric M] {} {}", kSiteUsage, kReadTimeoutUsage),
                  options, {"dir"}, values))
    return 0;
  check_read_timeout(collect.read_timeout_s);
  collect.site = resolve_site_options(site, values);
  std::optional<stats::Metric> chosen = stats::parse_metric(metric);
  if (!chosen) {
    throw InputError(fmt::format("--metric: '{}' is not one of accuracy, macro_f1, balanced_accuracy, auc",
                                 metric));
  }
  collect.metric = *chosen;

  report::CollectResult result = report::collect_sweep(collect);
  fmt::print("{}", printable(result.terminal_table, true));
  for (const std::string& line : energy::site_lines(collect.site)) fmt::print("{}\n", line);
  for (const auto& s : result.skipped)
    fmt::print(stderr, "skipped {}: {}\n", printable(s.path_or_run_id), printable(s.reason));
  if (!result.missing_run_ids.empty())
    fmt::print(stderr,
               "{} of {} planned runs did not enter the statistics (no file yet, in progress, or "
               "skipped above); run them again: sweep resubmit, or sweep run\n",
               result.missing_run_ids.size(), result.runs_planned);
  fmt::print("{} run files read; results in {}/\n", result.runs_read, contract::results_dir(collect.sweep_dir));
  return result.determinism_failed ? 3 : 0;
}

}  // namespace rs::app
