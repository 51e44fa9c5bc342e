#include "sweep/submit.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "slurm/queue.h"
#include "slurm/sbatch.h"
#include "contract/layout.h"
#include "sweep/follow_up.h"
#include "sweep/live_jobs.h"
#include "sweep/planned_sweep.h"
#include "sweep/preflight.h"
#include "sweep/status.h"
#include "util/error.h"
#include "util/text.h"

namespace rs::sweep {
namespace {

std::string script_path(const PlannedSweep& sweep, const std::string& script) {
  return contract::scripts_dir(sweep.dir) + "/" + script;
}

}  // namespace

Submission submit_arrays(const PlannedSweep& sweep, const std::string& kind, const std::vector<ArrayJob>& arrays,
                         const std::vector<std::string>& array_options) {
  Submission submission{kind, utc_now_iso8601(), {}, "", ""};
  try {
    for (ArrayJob a : arrays) {
      std::vector<std::string> options = array_options;
      if (kind != "submit" || sweep.has_follow_up()) options.push_back("--array=" + a.tasks);
      a.job_id = slurm::sbatch(script_path(sweep, a.script), options);
      submission.arrays.push_back(a);
    }
    std::vector<std::string> after;
    if (!submission.arrays.empty()) {
      std::string dependency = "--dependency=afterany";
      for (const auto& a : submission.arrays) dependency += ":" + a.job_id;
      after.push_back(dependency);
    }
    if (sweep.has_follow_up() && kind != "resubmit" && !submission.arrays.empty())
      submission.follow_up_job_id = slurm::sbatch(contract::follow_up_script_path(sweep.dir), after);
    else
      submission.collect_job_id = slurm::sbatch(contract::collect_script_path(sweep.dir), after);
  } catch (...) {
    if (!submission.arrays.empty()) append_submission(sweep.dir, submission);
    throw;
  }
  append_submission(sweep.dir, submission);
  return submission;
}

namespace {

// --dependency=afterok on the preflight's jobs while any is queued or running. Once they have
// all ended SLURM may have forgotten them (MinJobAge), so their results decide instead: no
// dependency when every d pair was identical, an error when one was not.
std::vector<std::string> preflight_dependency(const std::string& dir) {
  const std::vector<std::string> ids = preflight_job_ids(dir);
  const auto queued = slurm::queued_tasks();
  if (!queued) throw std::runtime_error("squeue does not answer: cannot tell whether the preflight has run");
  for (const auto& [task, state] : *queued) {
    if (std::find(ids.begin(), ids.end(), task.job_id) == ids.end()) continue;
    std::string dependency = "--dependency=afterok";
    for (const std::string& id : ids) dependency += ":" + id;
    return {dependency};
  }
  for (const PreflightCheck& check : check_preflight(dir))
    if (!check.d_identical)
      throw std::runtime_error(fmt::format(
          "the preflight failed for resources combination {} ({}): {}; nothing submitted (`sweep preflight {}` "
          "shows it)", check.number, check.resources.dump(),
          check.error.empty() ? "its two mode-d copies differ" : check.error, dir));
  return {};
}

}  // namespace

Submission submit_sweep(const std::string& dir, bool test_only, bool after_preflight, bool force) {
  PlannedSweep sweep = read_planned_sweep(dir);
  if (!force) {
    const LiveJobs live = live_jobs(sweep.dir);
    if (!live.job_ids.empty())
      throw InputError(fmt::format(
          "{} was submitted before and {} of its tasks are still queued or running (job{} {}); submitting it "
          "again would queue every run twice. `sweep status {}` shows where each run stands, `sweep resubmit "
          "{}` submits exactly the failed and missing ones (--force submits everything again anyway)",
          dir, live.tasks, live.job_ids.size() == 1 ? "" : "s", job_list(live.job_ids), dir, dir));
  }
  std::vector<std::string> array_options;
  if (after_preflight) array_options = preflight_dependency(sweep.dir);
  for (const auto& a : sweep.arrays) slurm::sbatch_test_only(script_path(sweep, a.script));
  slurm::sbatch_test_only(contract::collect_script_path(sweep.dir));
  if (sweep.has_follow_up()) slurm::sbatch_test_only(contract::follow_up_script_path(sweep.dir));
  if (test_only) return Submission{"test-only", utc_now_iso8601(), {}, "", ""};

  // The first window; the follow-up job after it submits the rest (follow_up.h).
  if (sweep.has_follow_up()) return submit_arrays(sweep, "submit", next_round(sweep, nullptr, {}).arrays, array_options);
  std::vector<ArrayJob> arrays;
  for (const auto& a : sweep.arrays)
    arrays.push_back({a.script, "", fmt::format("0-{}{}", a.tasks() - 1,
                                                a.max_parallel > 0 ? fmt::format("%{}", a.max_parallel) : "")});
  return submit_arrays(sweep, "submit", arrays, array_options);
}

Submission resubmit_sweep(const std::string& dir, const ResubmitOptions& options) {
  PlannedSweep sweep = read_planned_sweep(dir);
  SweepStatus status = sweep_status(dir);
  if (!status.scheduler_reachable)
    throw std::runtime_error("squeue does not answer: cannot tell queued runs from failed ones");

  // The tasks that train the selected runs. A task that packs runs (slurm.runs_per_task) starts
  // all of them again: those already complete end at once (the trainer checks), so only the
  // selected ones train.
  std::map<std::string, std::vector<int64_t>> tasks_of_script;
  std::map<std::string, const PlannedArray*> array_of_script;
  for (const auto& a : sweep.arrays) array_of_script[a.script] = &a;
  const std::vector<bool> not_asked = runs_not_asked(sweep, read_jobs(dir));
  for (const auto& run : status.runs) {
    bool wanted = (options.failed && run.state == RunState::kFailed) ||
                  (options.missing && run.state == RunState::kMissing && !not_asked[static_cast<size_t>(run.index)]);
    if (!wanted) continue;
    std::vector<int64_t>& tasks = tasks_of_script[run.script];
    const int64_t task = array_of_script.at(run.script)->task_of(run.index);
    if (tasks.empty() || tasks.back() != task) tasks.push_back(task);  // runs come in index order
  }
  std::vector<ArrayJob> arrays;
  for (const auto& [script, tasks] : tasks_of_script)
    for (size_t begin = 0; begin < tasks.size(); begin += kMaxTasksPerResubmit) {
      size_t end = std::min(tasks.size(), begin + kMaxTasksPerResubmit);
      arrays.push_back({script, "", task_list(tasks, begin, end, array_of_script.at(script)->max_parallel)});
    }
  if (arrays.empty()) return Submission{"resubmit", utc_now_iso8601(), {}, "", ""};
  return submit_arrays(sweep, "resubmit", arrays);
}

CancelResult cancel_sweep(const std::string& dir) {
  PlannedSweep sweep = read_planned_sweep(dir);
  CancelResult result;
  for (const auto& s : read_jobs(sweep.dir)) {
    if (s.kind == "local") continue;
    for (const auto& a : s.arrays) result.job_ids.push_back(a.job_id);
    if (!s.collect_job_id.empty()) result.job_ids.push_back(s.collect_job_id);
    if (!s.follow_up_job_id.empty()) result.job_ids.push_back(s.follow_up_job_id);  // ends the chain
  }
  result.messages = slurm::cancel_jobs(result.job_ids);
  return result;
}

}  // namespace rs::sweep
