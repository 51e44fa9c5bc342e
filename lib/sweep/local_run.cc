#include "sweep/local_run.h"

#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <deque>
#include <map>
#include <thread>

#include <fmt/format.h>

#include "runfile/reader_process.h"
#include "sweep/jobs_file.h"
#include "contract/layout.h"
#include "sweep/planned_sweep.h"
#include "sweep/progress.h"
#include "sweep/status.h"
#include "sweep/waves.h"
#include "util/error.h"
#include "util/files.h"
#include "util/process.h"
#include "util/text.h"

namespace rs::sweep {
namespace {

using contract::PlannedRun;

struct Task {
  size_t array = 0;     // into PlannedSweep::arrays
  int64_t task_id = 0;  // SLURM_ARRAY_TASK_ID
  std::string log;
};

int64_t default_jobs(const PlannedSweep& sweep) {
  int64_t cpus_per_task = 1;  // of a task: all its ranks
  for (const auto& a : sweep.arrays) cpus_per_task = std::max(cpus_per_task, a.world_size * a.cpus_per_task);
  int64_t cpus = std::max<int64_t>(1, std::thread::hardware_concurrency());
  return std::max<int64_t>(1, cpus / cpus_per_task);
}

}  // namespace

EnvVars local_task_environment(const LocalTask& task) {
  return {{"SLURM_CLUSTER_NAME", "local"},
          {"SLURM_JOB_ID", std::to_string(task.job_id)},
          {"SLURM_ARRAY_JOB_ID", std::to_string(task.array_job_id)},
          {"SLURM_ARRAY_TASK_ID", std::to_string(task.task_id)},
          {"SLURM_ARRAY_TASK_COUNT", std::to_string(task.count)},
          {"SLURM_ARRAY_TASK_MIN", "0"},
          {"SLURM_ARRAY_TASK_MAX", std::to_string(task.count - 1)},
          {"SLURM_ARRAY_TASK_STEP", "1"},
          {"SLURM_JOB_NAME", task.job_name},
          {"SLURM_CPUS_PER_TASK", std::to_string(task.cpus_per_task)},
          {"SLURM_NTASKS", std::to_string(task.ntasks)},
          {"SLURM_NNODES", "1"},
          {"SLURM_JOB_NODELIST", "localhost"},
          {"SLURM_SUBMIT_DIR", absolute_path(".")},
          {"SLURM_RESTART_COUNT", "0"}};
}

namespace {

// Runs the tasks whose run is not complete and that `allowed` lets in (empty: all), marking each
// in `tried`. Array a is made-up job base_id + a in every wave: a task runs once per call.
LocalRunResult run_wave(const PlannedSweep& sweep, const LocalRunOptions& options, int64_t base_id,
                        const std::vector<bool>& allowed, std::vector<bool>* tried) {
  int64_t jobs = options.jobs > 0 ? options.jobs : default_jobs(sweep);

  auto task_job_id = [&](const Task& task) { return std::to_string(base_id + static_cast<int64_t>(task.array)); };

  LocalRunResult result;
  std::deque<Task> queue;
  int64_t queued_runs = 0;  // marked in `tried` by this wave
  // Run files are read in a reader process with a time limit: a damaged one is trained again
  // rather than hanging `sweep run`.
  std::vector<std::string> run_files;
  for (const auto& run : sweep.runs) run_files.push_back(contract::run_file_path(contract::runs_dir(sweep.dir), run.run_id));
  const std::vector<bool> complete = runfile::runs_complete_in_time(run_files, runfile::kDefaultReadTimeoutS);
  for (size_t a = 0; a < sweep.arrays.size(); ++a) {
    const PlannedArray& array = sweep.arrays[a];
    for (int64_t t = 0; t < array.tasks(); ++t) {
      // The task's runs that are this wave's: not those not asked for (yet), nor those run by an
      // earlier wave of this call (adaptive sweeps pack no runs, so it is all of the task's or
      // none, and with no waves, all).
      std::vector<size_t> wave_runs;
      int64_t done = 0;
      for (int64_t i = 0; i < array.runs_of(t); ++i) {
        const size_t index = static_cast<size_t>(array.first_run(t) + i);
        if (tried->at(index) || (!allowed.empty() && !allowed[index] && !complete.at(index))) continue;
        wave_runs.push_back(index);
        done += complete.at(index) ? 1 : 0;
      }
      result.total += static_cast<int64_t>(wave_runs.size());
      result.skipped += done;
      if (done == static_cast<int64_t>(wave_runs.size())) continue;
      for (size_t index : wave_runs)
        if (!complete.at(index)) {
          tried->at(index) = true;
          ++queued_runs;
        }
      queue.push_back({a, t, contract::task_log_path(sweep.dir, task_job_id({a, t, ""}), t)});
    }
  }

  // Recorded like a submission, so that `sweep status` finds these tasks' logs.
  Submission local{"local", utc_now_iso8601(), {}, "", ""};
  for (size_t a = 0; a < sweep.arrays.size(); ++a)
    local.arrays.push_back({sweep.arrays[a].script, std::to_string(base_id + static_cast<int64_t>(a)),
                            fmt::format("0-{}", sweep.arrays[a].tasks() - 1)});
  // Recorded once: the listing covers every task of every later wave.
  if (!queue.empty() && std::count(tried->begin(), tried->end(), true) == queued_runs)
    append_submission(sweep.dir, local);

  Progress progress(result.total - result.skipped);  // in runs, as a task may train several
  std::map<pid_t, Task> running;
  int64_t finished = 0, next_job_id = base_id + static_cast<int64_t>(sweep.arrays.size());
  // The first tasks to finish decide whether the input is bad for all (see local_run.h).
  const int64_t probe = std::max<int64_t>(2, jobs);
  int64_t same_bad_input = 0;
  auto report = [&] {
    const int64_t failed = static_cast<int64_t>(result.failed_logs.size());
    progress.update(result.succeeded + failed, fmt::format("{} task{} running, {} failed, {} already done", running.size(),
                                                           running.size() == 1 ? "" : "s", failed, result.skipped));
  };
  while (!queue.empty() || !running.empty()) {
    while (!queue.empty() && static_cast<int64_t>(running.size()) < jobs) {
      Task task = queue.front();
      queue.pop_front();
      std::string script = contract::scripts_dir(sweep.dir) + "/" + sweep.arrays[task.array].script;
      const PlannedArray& array = sweep.arrays[task.array];
      EnvVars env = local_task_environment({fmt::format("{}-{:03d}", sweep.name, task.array), array.tasks(),
                                            task.task_id, array.cpus_per_task,
                                            base_id + static_cast<int64_t>(task.array), next_job_id++,
                                            array.world_size});
      running[spawn_logged({"bash", script}, env, task.log)] = task;
    }
    report();
    int exit_code = 0;
    pid_t pid = wait_any(&exit_code);
    auto it = running.find(pid);
    if (it == running.end()) continue;
    const Task& task = it->second;
    const PlannedArray& array = sweep.arrays[task.array];
    // Each run the task trained (a task that packs runs starts those already complete too,
    // which end at once): done when its run file is complete and, with one run per task, the
    // task ended with 0; else failed, with the log its trainer wrote to (contract/layout.h).
    std::vector<std::string> failed_logs;
    for (int64_t i = 0; i < array.runs_of(task.task_id); ++i) {
      const size_t r = static_cast<size_t>(array.first_run(task.task_id) + i);
      if (complete[r]) continue;  // counted as skipped
      std::string unreadable;
      const bool run_complete = runfile::run_is_complete_in_time(
          contract::run_file_path(contract::runs_dir(sweep.dir), sweep.runs[r].run_id), runfile::kDefaultReadTimeoutS,
          &unreadable);
      if (run_complete && (exit_code == 0 || array.runs_per_task > 1))
        ++result.succeeded;
      else
        failed_logs.push_back(array.runs_per_task == 1 ? task.log
                                                       : contract::run_log_path(sweep.dir, task_job_id(task),
                                                                                task.task_id, sweep.runs[r].index));
    }
    result.failed_logs.insert(result.failed_logs.end(), failed_logs.begin(), failed_logs.end());
    if (finished < probe && exit_code == kExitInputError) {
      std::string message = last_message(failed_logs.empty() ? task.log : failed_logs.front());
      if (same_bad_input == finished && (finished == 0 || message == result.stop_message)) {
        ++same_bad_input;
        result.stop_message = message;
      }
    }
    running.erase(it);
    ++finished;
    if (finished == probe && same_bad_input == probe && !queue.empty()) {
      for (const Task& left : queue) result.not_started += sweep.arrays[left.array].runs_of(left.task_id);
      result.stopped_after = probe;
      queue.clear();
    }
  }
  if (result.not_started == 0) result.stop_message.clear();
  report();
  progress.finish();
  return result;
}

// The runs' standing after the waves so far (waves.h): done when the collector read a value
// from it, failed when this call ran it without one.
std::vector<RunOutcome> local_outcomes(const PlannedSweep& sweep, const std::vector<bool>& tried,
                                       const RunAccuracies& accuracies) {
  std::vector<RunOutcome> outcomes(sweep.runs.size());
  for (size_t r = 0; r < sweep.runs.size(); ++r) {
    auto value = accuracies.find(sweep.runs[r].run_id);
    if (value != accuracies.end()) outcomes[r] = {RunStanding::kDone, value->second};
    else if (tried[r]) outcomes[r].standing = RunStanding::kFailed;
  }
  return outcomes;
}

}  // namespace

LocalRunResult run_local(const LocalRunOptions& options, const ReadAccuracies& read_accuracies) {
  const PlannedSweep sweep = read_planned_sweep(options.dir);
  // Made-up job ids: array a is job base_id + a, its tasks get the ids after the last array's.
  const int64_t base_id = static_cast<int64_t>(std::time(nullptr)) * 1000000;
  std::vector<bool> tried(sweep.runs.size(), false);
  if (sweep.adaptive.empty()) return run_wave(sweep, options, base_id, {}, &tried);
  // Waves, decided as the follow-up job decides them, until a wave has nothing to run.
  LocalRunResult result;
  for (bool first_wave = true;;) {
    const std::vector<RunOutcome> outcomes = local_outcomes(sweep, tried, read_accuracies(sweep.dir));
    const std::vector<PointWave> waves = decide_waves(sweep.adaptive, outcomes);
    const bool more = std::any_of(waves.begin(), waves.end(), [](const PointWave& w) { return w.state == WaveState::kNextWave; });
    if (!first_wave && !more) break;
    first_wave = false;
    const LocalRunResult wave = run_wave(sweep, options, base_id, runs_waves_allow(sweep.adaptive, outcomes, waves), &tried);
    // Every wave counts the runs complete before this call as skipped again.
    result.total += wave.total - wave.skipped;
    result.skipped = wave.skipped;
    result.succeeded += wave.succeeded;
    result.failed_logs.insert(result.failed_logs.end(), wave.failed_logs.begin(), wave.failed_logs.end());
    if (wave.not_started > 0 || wave.total == wave.skipped) {
      result.not_started = wave.not_started;
      result.stopped_after = wave.stopped_after;
      result.stop_message = wave.stop_message;
      break;
    }
  }
  result.total += result.skipped;
  return result;
}

}  // namespace rs::sweep
