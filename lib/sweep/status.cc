#include "sweep/status.h"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "runfile/reader_process.h"
#include "slurm/queue.h"
#include "sweep/jobs_file.h"
#include "contract/layout.h"
#include "sweep/planned_sweep.h"
#include "util/files.h"
#include "util/lock_file.h"

namespace rs::sweep {
namespace {

using contract::PlannedRun;

// Modification time of `path`, or -1 when it does not exist.
int64_t mtime(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_mtime) : -1;
}

RunState queue_state(const std::string& state) {
  return state == "PENDING" || state == "REQUEUED" || state == "REQUEUE_HOLD" || state == "SUSPENDED"
             ? RunState::kPending
             : RunState::kRunning;
}

}  // namespace

std::string last_lines(const std::string& path, size_t n) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::string out;
  for (size_t i = lines.size() > n ? lines.size() - n : 0; i < lines.size(); ++i) out += lines[i] + "\n";
  return out;
}

std::string last_message(const std::string& path) {
  std::ifstream in(path);
  std::string message;
  for (std::string line; std::getline(in, line);) {
    bool blank = line.find_first_not_of(" \t\r") == std::string::npos;
    if (!blank && line.rfind("reprosweep: ", 0) != 0) message = line;
  }
  if (!message.empty() && message.back() == '\r') message.pop_back();
  return message;
}

std::vector<FailureGroup> group_failures(const SweepStatus& status) {
  std::vector<FailureGroup> groups;
  std::map<std::pair<std::string, std::string>, size_t> group_of;
  for (size_t r = 0; r < status.runs.size(); ++r) {
    const RunStatus& run = status.runs[r];
    if (run.state != RunState::kFailed) continue;
    std::pair<std::string, std::string> key{run.reason, last_message(run.log)};
    auto found = group_of.find(key);
    if (found == group_of.end()) {
      found = group_of.emplace(key, groups.size()).first;
      groups.push_back({key.first, key.second, {}});
    }
    groups[found->second].runs.push_back(r);
  }
  std::stable_sort(groups.begin(), groups.end(), [](const FailureGroup& a, const FailureGroup& b) {
    return a.runs.size() > b.runs.size();
  });
  return groups;
}

SweepStatus sweep_status(const std::string& dir_arg) {
  PlannedSweep sweep = read_planned_sweep(dir_arg);
  std::vector<Submission> submissions = read_jobs(sweep.dir);

  // Every array job id that ever ran each script.
  std::map<std::string, std::vector<std::string>> jobs_of_script;
  std::vector<std::string> all_job_ids;
  for (const auto& s : submissions)
    for (const auto& a : s.arrays) {
      jobs_of_script[a.script].push_back(a.job_id);
      if (s.kind != "local") all_job_ids.push_back(a.job_id);
    }

  auto queued = slurm::queued_tasks();
  auto finished = slurm::finished_tasks(all_job_ids);
  SweepStatus status;
  status.name = sweep.name;
  status.scheduler_reachable = queued.has_value();
  status.accounting = finished.has_value();
  // Read in a reader process with a time limit: a damaged run file must not hang `status`.
  std::vector<std::string> run_files;
  for (const auto& run : sweep.runs) run_files.push_back(contract::run_file_path(contract::runs_dir(sweep.dir), run.run_id));
  const std::vector<bool> complete = runfile::runs_complete_in_time(run_files, runfile::kDefaultReadTimeoutS);

  for (const auto& array : sweep.arrays) {
    for (int64_t r_in_array = 0; r_in_array < array.count; ++r_in_array) {
      const size_t r = static_cast<size_t>(array.offset + r_in_array);
      const int64_t task = array.task_of(array.offset + r_in_array);
      const PlannedRun& planned = sweep.runs.at(r);
      RunStatus run{planned.index, planned.run_id, RunState::kMissing, array.script, "", ""};
      std::string finished_state;
      int64_t newest_log = -1;
      for (const auto& job_id : jobs_of_script[array.script]) {
        slurm::TaskKey key{job_id, static_cast<long>(task)};
        if (queued && queued->count(key)) run.state = queue_state(queued->at(key));
        if (finished && finished->count(key)) finished_state = finished->at(key);
        std::string log = array.runs_per_task == 1 ? contract::task_log_path(sweep.dir, job_id, task)
                                                   : contract::run_log_path(sweep.dir, job_id, task, planned.index);
        if (mtime(log) > newest_log) {
          newest_log = mtime(log);
          run.log = log;
        }
      }
      const std::string runs_dir = contract::runs_dir(sweep.dir);
      if (complete[r]) {
        run.state = RunState::kDone;
      } else if (run.state != RunState::kRunning &&
                 !live_lock_holder(contract::lock_path(runs_dir, run.run_id)).empty()) {
        // A trainer holds it: a task of `sweep run`, which squeue does not know, or one that
        // SLURM has already forgotten while its process still runs.
        run.state = RunState::kRunning;
      } else if (run.state == RunState::kMissing && !run.log.empty()) {
        run.state = RunState::kFailed;
        run.reason = finished_state.empty() ? "ended without a complete run file" : finished_state;
      }
      ++status.counts[static_cast<size_t>(run.state)];
      status.runs.push_back(std::move(run));
    }
  }
  return status;
}

}  // namespace rs::sweep
