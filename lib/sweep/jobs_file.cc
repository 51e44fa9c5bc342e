#include "sweep/jobs_file.h"

#include <regex>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "contract/layout.h"
#include "util/error.h"
#include "util/files.h"

namespace rs::sweep {

using nlohmann::json;

namespace {

json to_json(const Submission& s) {
  json arrays = json::array();
  for (const auto& a : s.arrays) arrays.push_back({{"script", a.script}, {"job_id", a.job_id}, {"tasks", a.tasks}});
  json out = {{"kind", s.kind}, {"submitted_at", s.submitted_at}, {"arrays", arrays}, {"collect_job_id", s.collect_job_id}};
  if (!s.follow_up_job_id.empty()) out["follow_up_job_id"] = s.follow_up_job_id;
  return out;
}

}  // namespace

std::vector<Submission> read_jobs(const std::string& dir) {
  std::vector<Submission> submissions;
  if (!path_exists(contract::jobs_path(dir))) return submissions;
  try {
    for (const auto& s : json::parse(read_file(contract::jobs_path(dir)))) {
      Submission submission{s.at("kind"), s.at("submitted_at"), {}, s.value("collect_job_id", ""),
                            s.value("follow_up_job_id", "")};
      for (const auto& a : s.at("arrays"))
        submission.arrays.push_back({a.at("script"), a.at("job_id"), a.at("tasks")});
      submissions.push_back(std::move(submission));
    }
  } catch (const json::exception& e) {
    throw InputError(contract::jobs_path(dir) + ": unreadable: " + e.what());
  }
  return submissions;
}

std::string task_list(const std::vector<int64_t>& tasks, size_t begin, size_t end, int64_t max_parallel) {
  std::string list;
  for (size_t i = begin; i < end;) {
    size_t last = i;
    while (last + 1 < end && tasks[last + 1] == tasks[last] + 1) ++last;
    if (!list.empty()) list += ",";
    if (last - i >= 2) {
      list += fmt::format("{}-{}", tasks[i], tasks[last]);
      i = last + 1;
    } else {
      list += std::to_string(tasks[i++]);
    }
  }
  return max_parallel > 0 ? fmt::format("{}%{}", list, max_parallel) : list;
}

std::vector<int64_t> task_ids(const std::string& tasks) {
  static const std::regex kList(R"((\d+(-\d+)?)(,\d+(-\d+)?)*(%\d+)?)");
  if (!std::regex_match(tasks, kList)) throw InputError(fmt::format("'{}' is not an --array task list", tasks));
  std::vector<int64_t> ids;
  std::istringstream in(tasks.substr(0, tasks.find('%')));
  for (std::string item; std::getline(in, item, ',');) {
    const size_t dash = item.find('-');
    const int64_t first = std::stoll(item.substr(0, dash));
    const int64_t last = dash == std::string::npos ? first : std::stoll(item.substr(dash + 1));
    for (int64_t id = first; id <= last; ++id) ids.push_back(id);
  }
  return ids;
}

void append_submission(const std::string& dir, const Submission& submission) {
  json jobs = json::array();
  for (const auto& s : read_jobs(dir)) jobs.push_back(to_json(s));
  jobs.push_back(to_json(submission));
  write_file_atomic(contract::jobs_path(dir), jobs.dump(2) + "\n");
}

}  // namespace rs::sweep
