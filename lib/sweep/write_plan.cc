#include "sweep/write_plan.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <future>
#include <set>

#include <fmt/format.h>

#include "contract/layout.h"
#include "contract/plan_file.h"
#include "contract/plan_id.h"
#include "contract/plan_index.h"
#include "contract/task_runs.h"
#include "slurm/script.h"
#include "sweep/live_jobs.h"
#include "util/error.h"
#include "util/files.h"
#include "util/text.h"

namespace rs::sweep {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::set<std::string> run_ids_of(const std::string& plan_file) {
  std::set<std::string> ids;
  for (const auto& run : contract::read_plan_ids(plan_file).runs) ids.insert(run.run_id);
  return ids;
}

// Installs the new plan unless the folder holds a different one and `force` is false: the same
// folder would then hold run files of two designs and `sweep collect` would mix them.
void replace_plan(const std::string& dir, const std::string& new_plan, const std::string& new_index, bool force) {
  if (path_exists(contract::plan_path(dir)) && !force && !files_equal(contract::plan_path(dir), new_plan)) {
    std::set<std::string> old_ids = run_ids_of(contract::plan_path(dir)), new_ids = run_ids_of(new_plan);
    std::remove(new_plan.c_str());
    std::remove(new_index.c_str());
    size_t kept = 0;
    for (const auto& id : new_ids) kept += old_ids.count(id);
    throw InputError(fmt::format(
        "{} already holds a different plan ({} runs; the new one has {}, {} of them unchanged). "
        "Plan into a new folder, or pass --force to replace the plan (run files are kept; runs "
        "whose parameters did not change keep their run_id and are not rerun)",
        dir, old_ids.size(), new_ids.size(), kept));
  }
  if (path_exists(contract::plan_path(dir)) && !files_equal(contract::plan_path(dir), new_plan)) {
    const LiveJobs live = live_jobs(dir);
    if (!live.job_ids.empty()) {
      std::remove(new_plan.c_str());
      std::remove(new_index.c_str());
      throw InputError(fmt::format(
          "{} has {} task{} queued or running (job{} {}): each would train whatever run the new plan puts at "
          "its index. Wait for them to end (`sweep status {}`) or cancel them (`sweep cancel {}`), then plan "
          "again",
          dir, live.tasks, live.tasks == 1 ? "" : "s", live.job_ids.size() == 1 ? "" : "s", job_list(live.job_ids),
          dir, dir));
    }
  }
  // The plan first: a task that starts in between finds an index of the old plan's size and
  // scans the new plan instead (contract/plan_index.h).
  install_file(new_plan, contract::plan_path(dir));
  install_file(new_index, contract::plan_index_path(contract::plan_path(dir)));
}

// Array scripts (and a follow-up script) of an earlier plan that the new one no longer has.
void remove_stale_scripts(const std::string& dir, const grid::Plan& plan, bool follow_up) {
  std::set<std::string> current;
  for (const auto& a : plan.arrays) current.insert(a.script);
  for (const auto& entry : fs::directory_iterator(contract::scripts_dir(dir))) {
    std::string name = entry.path().filename().string();
    if (name.rfind("array-", 0) == 0 && !current.count(name)) fs::remove(entry.path());
    if (name == contract::kFollowUpScriptName && !follow_up) fs::remove(entry.path());
  }
}

// The follow-up job runs retries, windows and waves (follow_up.h).
bool needs_follow_up(const grid::GridSpec& spec, const grid::Plan& plan) {
  return slurm::has_follow_up(spec.slurm) || !grid::adaptive_points(plan).empty();
}

}  // namespace

json environments_json(const grid::GridSpec& spec) {
  json out = json::array();
  for (const auto& e : spec.environments) {
    json slurm = json::object();
    for (const auto& [key, value] : e.slurm) {
      if (key == "extra") slurm[key].push_back(value);
      else slurm[key] = value;
    }
    out.push_back({{"name", e.name},
                   {"slurm", slurm},
                   {"modules", e.software.modules},
                   {"container", e.software.container},
                   {"trainer", e.trainer},
                   {"threads", e.threads},
                   {"expect", e.expect}});
  }
  return out;
}

json plan_summary(const grid::GridSpec& spec, const grid::Plan& plan) {
  json arrays = json::array();
  double gpu_seconds = 0, cpu_seconds = 0;  // cpu_seconds: of the arrays that ask for no GPU
  bool time_known = true;
  for (size_t i = 0; i < plan.arrays.size(); ++i) {
    const auto& a = plan.arrays[i];
    arrays.push_back({{"script", a.script},
                      {"offset", a.offset},
                      {"count", a.count},
                      {"resources", a.resources},
                      {"cpus_per_task", a.slurm.cpus_per_task},
                      {"gpus_per_task", a.slurm.gpus_per_task},
                      {"max_parallel", a.slurm.max_parallel},
                      {"time", a.slurm.time}});
    if (!a.environment.empty()) arrays.back()["environment"] = a.environment;
    const int64_t tasks = contract::task_count(a.count, a.slurm.runs_per_task);
    if (a.slurm.runs_per_task > 1) {  // absent: one run per task
      arrays.back()["runs_per_task"] = a.slurm.runs_per_task;
      arrays.back()["tasks"] = tasks;
    }
    if (a.world_size > 1) {  // absent: one rank on one node
      arrays.back()["world_size"] = a.world_size;
      arrays.back()["nodes"] = a.nodes;
    }
    int64_t limit = slurm::time_limit_seconds(a.slurm.time);
    if (limit < 0) time_known = false;
    gpu_seconds += static_cast<double>(limit * tasks * a.world_size * a.slurm.gpus_per_task);
    if (a.slurm.gpus_per_task == 0) {
      cpu_seconds += static_cast<double>(limit * tasks * a.world_size * a.slurm.cpus_per_task);
    }
  }
  std::vector<std::string> run_ids;
  for (const auto& run : plan.runs) run_ids.push_back(run.run_id);
  json summary = {{"name", spec.name},
                  {"plan_id", contract::plan_id(run_ids)},
                  {"grid_file", spec.file},
                  {"points", plan.points.size()},
                  {"runs", plan.runs.size()},
                  {"arrays", arrays},
                  {"warnings", plan.warnings},
                  {"overrides", spec.overrides}};
  if (!spec.environments.empty()) summary["environments"] = environments_json(spec);
  // Upper bounds: every run using its whole time limit. GPU-hours of the arrays that ask for
  // GPUs, CPU-hours (cores x hours) of those that ask for none.
  summary["gpu_hours_at_time_limit"] = time_known ? json(gpu_seconds / 3600.0) : json(nullptr);
  summary["cpu_hours_at_time_limit"] = time_known ? json(cpu_seconds / 3600.0) : json(nullptr);
  // Only when set: sweep.json stays as it was for every other grid.
  if (slurm::has_follow_up(spec.slurm))
    summary["follow_up"] = {{"max_retries", spec.slurm.max_retries}, {"max_queued_tasks", spec.slurm.max_queued_tasks}};
  const std::vector<contract::AdaptivePoint> adaptive = grid::adaptive_points(plan);
  if (!adaptive.empty()) summary["adaptive"] = contract::adaptive_points_json(adaptive);
  return summary;
}

void write_plan(const grid::GridSpec& spec, const grid::Plan& plan, const WriteOptions& options) {
  std::string dir = absolute_path(options.dir);

  // Render everything before writing anything, so a rejected path leaves the folder as it was.
  slurm::ScriptPaths paths{dir, options.trainer, options.sweep};
  json summary = plan_summary(spec, plan);
  const std::string id = summary["plan_id"];
  std::vector<FileToWrite> scripts;
  for (size_t i = 0; i < plan.arrays.size(); ++i) {
    const auto& a = plan.arrays[i];
    slurm::ArrayScript script{spec.name, static_cast<int64_t>(i), a.offset, a.count, a.slurm, a.software, id,
                              a.world_size, a.nodes};
    slurm::ScriptPaths array_paths = paths;
    if (!a.trainer.empty()) array_paths.trainer = a.trainer;  // the environment's build
    scripts.push_back({contract::scripts_dir(dir) + "/" + a.script, slurm::render_array_script(script, array_paths), 0755});
  }
  scripts.push_back({contract::collect_script_path(dir), slurm::render_collect_script(spec.name, spec.slurm, paths), 0755});
  const bool follow_up = needs_follow_up(spec, plan);
  if (follow_up)
    scripts.push_back({contract::follow_up_script_path(dir), slurm::render_follow_up_script(spec.name, spec.slurm, paths),
                       0755});

  for (const auto& sub : {dir, contract::runs_dir(dir), contract::logs_dir(dir), contract::scripts_dir(dir)}) make_dirs(sub);
  // The scripts are staged while plan.jsonl is written: creating a thousand small files waits on
  // the file system much as the plan's lines wait on the CPU.
  auto staging = std::async(std::launch::async, [&] { stage_files(scripts); });
  std::string new_plan = contract::plan_path(dir) + ".new";
  std::string new_index = contract::plan_index_path(contract::plan_path(dir)) + ".new";
  try {
    contract::write_plan_file(new_plan, new_index, static_cast<int64_t>(plan.runs.size()),
                              [&](std::string& out, int64_t i) {
                                grid::append_plan_line(out, plan, plan.runs[static_cast<size_t>(i)]);
                              });
    staging.get();
    replace_plan(dir, new_plan, new_index, options.force);
    write_file_atomic(contract::grid_copy_path(dir), spec.text);
  } catch (...) {
    if (staging.valid()) staging.wait();
    discard_staged_files(scripts);
    std::remove(new_plan.c_str());  // gone already when replace_plan refused or installed it
    std::remove(new_index.c_str());
    throw;
  }
  install_staged_files(scripts);
  remove_stale_scripts(dir, plan, follow_up);

  summary["planned_at"] = utc_now_iso8601();
  summary["trainer"] = options.trainer;
  write_file_atomic(contract::summary_path(dir), summary.dump(2) + "\n");
}

}  // namespace rs::sweep
