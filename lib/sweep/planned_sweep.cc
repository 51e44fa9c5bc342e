#include "sweep/planned_sweep.h"

#include <fmt/format.h>

#include "contract/layout.h"
#include "util/error.h"
#include "util/files.h"

namespace rs::sweep {

using nlohmann::json;

PlannedSweep read_planned_sweep(const std::string& dir_arg) {
  PlannedSweep sweep;
  sweep.dir = absolute_path(dir_arg);
  if (!path_exists(contract::summary_path(sweep.dir)) || !path_exists(contract::plan_path(sweep.dir)))
    throw InputError(fmt::format("{}: not a planned sweep folder (no sweep.json or plan.jsonl); "
                                 "run `sweep plan GRID.yaml -o {}` first", dir_arg, dir_arg));
  json summary;
  try {
    summary = json::parse(read_file(contract::summary_path(sweep.dir)));
    sweep.name = summary.at("name").get<std::string>();
    sweep.points = summary.at("points").get<int64_t>();
    sweep.trainer = summary.at("trainer").get<std::string>();
    for (const auto& a : summary.at("arrays")) {
      PlannedArray array;
      array.script = a.at("script").get<std::string>();
      array.offset = a.at("offset").get<int64_t>();
      array.count = a.at("count").get<int64_t>();
      array.runs_per_task = a.value("runs_per_task", int64_t{1});
      array.cpus_per_task = a.at("cpus_per_task").get<int64_t>();
      array.gpus_per_task = a.at("gpus_per_task").get<int64_t>();
      array.max_parallel = a.at("max_parallel").get<int64_t>();
      array.world_size = a.value("world_size", int64_t{1});
      array.nodes = a.value("nodes", int64_t{1});
      array.resources = a.at("resources");
      array.environment = a.value("environment", "");
      sweep.arrays.push_back(std::move(array));
    }
    if (summary.contains("follow_up")) {
      sweep.max_retries = summary["follow_up"].at("max_retries").get<int64_t>();
      sweep.max_queued_tasks = summary["follow_up"].at("max_queued_tasks").get<int64_t>();
    }
    sweep.adaptive = contract::adaptive_points_from_json(summary.value("adaptive", json::array()));
    for (const auto& e : summary.value("environments", json::array())) {
      PlannedEnvironment environment{e.at("name").get<std::string>(), e.at("trainer").get<std::string>(), {}};
      environment.software.modules = e.at("modules").get<std::vector<std::string>>();
      environment.software.container = e.at("container").get<std::string>();
      sweep.environments.push_back(std::move(environment));
    }
  } catch (const json::exception& e) {
    throw InputError(fmt::format("{}: unreadable: {}", contract::summary_path(sweep.dir), e.what()));
  }

  sweep.runs = contract::read_plan_ids(contract::plan_path(sweep.dir)).runs;
  return sweep;
}

}  // namespace rs::sweep
