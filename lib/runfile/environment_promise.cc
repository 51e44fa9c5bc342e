#include "runfile/environment_promise.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "contract/layout.h"
#include "util/error.h"
#include "util/files.h"

namespace rs::runfile {

namespace {

// The /env fields an environment may promise (grid/grid_spec.h, expectable_env_fields()).
std::string env_field(const EnvInfo& env, const std::string& field) {
  if (field == "torch_version") return env.torch_version;
  if (field == "cuda_version") return env.cuda_version;
  if (field == "cudnn_version") return env.cudnn_version;
  if (field == "driver_version") return env.driver_version;
  if (field == "gpu_name") return env.gpu_name;
  if (field == "cpu_model") return env.cpu_model;
  if (field == "compiler") return env.compiler;
  return "";
}

}  // namespace

std::string environment_name(const RunRecord& record) {
  const nlohmann::json params = nlohmann::json::parse(record.params_json, nullptr, /*allow_exceptions=*/false);
  if (!params.is_object()) return "";
  const auto it = params.find("environment");
  return it != params.end() && it->is_string() ? it->get<std::string>() : "";
}

std::vector<EnvironmentPromise> read_environment_promises(const std::string& sweep_dir) {
  const std::string path = contract::summary_path(sweep_dir);
  std::vector<EnvironmentPromise> promises;
  if (!path_exists(path)) return promises;
  nlohmann::json summary;
  try {
    summary = nlohmann::json::parse(read_file(path));
    for (const auto& e : summary.value("environments", nlohmann::json::array())) {
      EnvironmentPromise promise{e.at("name").get<std::string>(), e.value("threads", int64_t{0}), {}};
      const nlohmann::json expect = e.value("expect", nlohmann::json::object());
      for (const auto& [field, value] : expect.items()) promise.expect[field] = value.get<std::string>();
      promises.push_back(std::move(promise));
    }
  } catch (const nlohmann::json::exception& e) {
    throw InputError(fmt::format("{}: environments: {}", path, e.what()));
  }
  return promises;
}

std::vector<std::string> broken_promises(const std::vector<EnvironmentPromise>& promises,
                                         const RunRecord& record) {
  std::vector<std::string> broken;
  const std::string environment = environment_name(record);
  for (const auto& promise : promises) {
    if (promise.name != environment) continue;
    for (const auto& [field, expected] : promise.expect) {
      const std::string seen = env_field(record.env, field);
      if (seen != expected)
        broken.push_back(fmt::format("{}: expected {}, the run saw {}", field, expected, seen.empty() ? "\"\"" : seen));
    }
    if (promise.threads > 0) {
      std::string used;
      for (const auto& [name, value] : record.settings)
        if (name == "cpu_threads") used = value;
      if (used != std::to_string(promise.threads))
        broken.push_back(fmt::format("threads: expected {}, the run used {} (/settings cpu_threads)", promise.threads,
                                     used.empty() ? "an unknown number" : used));
    }
  }
  return broken;
}

}  // namespace rs::runfile
