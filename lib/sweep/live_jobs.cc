#include "sweep/live_jobs.h"

#include <algorithm>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "slurm/queue.h"
#include "sweep/jobs_file.h"

namespace rs::sweep {

LiveJobs live_jobs(const std::string& dir) {
  std::vector<std::string> submitted;
  for (const auto& s : read_jobs(dir))
    if (s.kind != "local")
      for (const auto& a : s.arrays) submitted.push_back(a.job_id);
  LiveJobs live;
  if (submitted.empty()) return live;
  const auto queued = slurm::queued_tasks();
  if (!queued)
    throw std::runtime_error("squeue does not answer: cannot tell whether the sweep's jobs are still queued");
  std::set<std::string> seen;
  for (const auto& [task, state] : *queued) {
    if (std::find(submitted.begin(), submitted.end(), task.job_id) == submitted.end()) continue;
    ++live.tasks;
    seen.insert(task.job_id);
  }
  for (const auto& id : submitted)
    if (seen.count(id) && std::find(live.job_ids.begin(), live.job_ids.end(), id) == live.job_ids.end())
      live.job_ids.push_back(id);
  return live;
}

std::string job_list(const std::vector<std::string>& job_ids) {
  constexpr size_t kShown = 5;
  std::string list;
  for (size_t i = 0; i < std::min(job_ids.size(), kShown); ++i) list += (i == 0 ? "" : ", ") + job_ids[i];
  if (job_ids.size() > kShown) list += fmt::format(" and {} more", job_ids.size() - kShown);
  return list;
}

}  // namespace rs::sweep
