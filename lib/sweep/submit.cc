#include "sweep/submit.h"

#include <nlohmann/json.hpp>

#include "slurm/sbatch.h"
#include "sweep/layout.h"
#include "sweep/planned_sweep.h"
#include "util/files.h"
#include "util/text.h"

namespace rs::sweep {
namespace {

using nlohmann::json;

void record(const std::string& dir, const SubmitResult& result, const std::string& submitted_at) {
  json jobs = path_exists(jobs_path(dir)) ? json::parse(read_file(jobs_path(dir))) : json::array();
  json arrays = json::array();
  for (const auto& a : result.arrays) arrays.push_back({{"script", a.script}, {"job_id", a.job_id}});
  jobs.push_back({{"submitted_at", submitted_at},
                  {"arrays", arrays},
                  {"collect", {{"script", result.collect.script}, {"job_id", result.collect.job_id}}}});
  write_file_atomic(jobs_path(dir), jobs.dump(2) + "\n");
}

}  // namespace

SubmitResult submit_sweep(const std::string& dir_arg) {
  PlannedSweep sweep = read_planned_sweep(dir_arg);
  std::string submitted_at = utc_now_iso8601();
  SubmitResult result;
  try {
    for (const auto& a : sweep.arrays)
      result.arrays.push_back({a.script, slurm::sbatch(scripts_dir(sweep.dir) + "/" + a.script)});
    std::string dependency = "--dependency=afterany";
    for (const auto& a : result.arrays) dependency += ":" + a.job_id;
    result.collect = {"collect.sbatch", slurm::sbatch(collect_script_path(sweep.dir), {dependency})};
  } catch (...) {
    if (!result.arrays.empty()) record(sweep.dir, result, submitted_at);
    throw;
  }
  record(sweep.dir, result, submitted_at);
  return result;
}

}  // namespace rs::sweep
