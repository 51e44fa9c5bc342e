#include "sweep/jobs_file.h"

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
  return {{"kind", s.kind}, {"submitted_at", s.submitted_at}, {"arrays", arrays}, {"collect_job_id", s.collect_job_id}};
}

}  // namespace

std::vector<Submission> read_jobs(const std::string& dir) {
  std::vector<Submission> submissions;
  if (!path_exists(contract::jobs_path(dir))) return submissions;
  try {
    for (const auto& s : json::parse(read_file(contract::jobs_path(dir)))) {
      Submission submission{s.at("kind"), s.at("submitted_at"), {}, s.value("collect_job_id", "")};
      for (const auto& a : s.at("arrays"))
        submission.arrays.push_back({a.at("script"), a.at("job_id"), a.at("tasks")});
      submissions.push_back(std::move(submission));
    }
  } catch (const json::exception& e) {
    throw InputError(contract::jobs_path(dir) + ": unreadable: " + e.what());
  }
  return submissions;
}

void append_submission(const std::string& dir, const Submission& submission) {
  json jobs = json::array();
  for (const auto& s : read_jobs(dir)) jobs.push_back(to_json(s));
  jobs.push_back(to_json(submission));
  write_file_atomic(contract::jobs_path(dir), jobs.dump(2) + "\n");
}

}  // namespace rs::sweep
