#include "slurm/queue.h"

#include <sstream>

#include "slurm/command.h"

namespace rs::slurm {
namespace {

// "123|4|RUNNING" or "123_4|FAILED" lines into the map; lines of non-array jobs are skipped.
std::map<TaskKey, std::string> parse_task_lines(const std::string& text, bool split_job_field) {
  std::map<TaskKey, std::string> tasks;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> fields;
    std::istringstream parts(line);
    for (std::string field; std::getline(parts, field, '|');) fields.push_back(field);
    std::string job, task, state;
    if (split_job_field && fields.size() >= 2) {
      size_t underscore = fields[0].find('_');
      if (underscore == std::string::npos) continue;
      job = fields[0].substr(0, underscore);
      task = fields[0].substr(underscore + 1);
      state = fields[1];
    } else if (!split_job_field && fields.size() >= 3) {
      job = fields[0];
      task = fields[1];
      state = fields[2];
    }
    if (task.empty() || task.find_first_not_of("0123456789") != std::string::npos) continue;
    tasks[{job, std::stol(task)}] = state.substr(0, state.find(' '));  // "CANCELLED by 0"
  }
  return tasks;
}

}  // namespace

std::optional<std::map<TaskKey, std::string>> queued_tasks() {
  if (!program_in_path("squeue")) return std::nullopt;
  ProcessResult r = run_slurm({"squeue", "--noheader", "--array", "--me", "--format=%F|%K|%T"}, Repeat::kSafe);
  if (r.exit_code != 0) return std::nullopt;
  return parse_task_lines(r.out, false);
}

std::optional<std::map<TaskKey, std::string>> finished_tasks(const std::vector<std::string>& job_ids) {
  if (job_ids.empty() || !program_in_path("sacct")) return std::nullopt;
  std::string list;
  for (const auto& id : job_ids) list += (list.empty() ? "" : ",") + id;
  ProcessResult r = run_slurm({"sacct", "--noheader", "--parsable2", "--allocations", "--jobs=" + list,
                               "--format=JobID,State"},
                              Repeat::kSafe);
  if (r.exit_code != 0) return std::nullopt;
  return parse_task_lines(r.out, true);
}

std::string cancel_jobs(const std::vector<std::string>& job_ids) {
  if (job_ids.empty()) return "";
  std::vector<std::string> argv = {"scancel"};
  argv.insert(argv.end(), job_ids.begin(), job_ids.end());
  ProcessResult r = run_slurm(argv, Repeat::kSafe);
  return r.exit_code == 0 ? "" : failure_message("scancel", r) + "\n";
}

}  // namespace rs::slurm
