// apply_override(): `sweep plan --set KEY=VALUE`.
#include <algorithm>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "contract/params.h"
#include "grid/grid_spec.h"
#include "grid/noise.h"
#include "grid/yaml_json.h"
#include "util/error.h"
#include "util/text.h"

namespace rs::grid {

using nlohmann::json;

void apply_override(GridSpec& spec, const std::string& assignment) {
  auto fail = [&](const std::string& why) { throw InputError(fmt::format("--set {}: {}", assignment, why)); };
  size_t equals = assignment.find('=');
  if (equals == std::string::npos || equals == 0) fail("expected KEY=VALUE, e.g. dataset.path=/scratch/cifar");
  if (!is_valid_utf8(assignment)) fail("not UTF-8 text");
  std::string key = assignment.substr(0, equals);
  spec.overrides.push_back(assignment);

  json value;
  try {
    value = yaml_to_json(YAML::Load(assignment.substr(equals + 1)), "--set");
  } catch (const YAML::Exception& e) {
    fail(e.what());
  }

  // "dataset.path" -> ["dataset", "path"]
  std::vector<std::string> path;
  for (size_t start = 0; start <= key.size();) {
    size_t dot = key.find('.', start);
    if (dot == std::string::npos) dot = key.size();
    if (dot == start) fail("empty key segment");
    path.push_back(key.substr(start, dot - start));
    start = dot + 1;
  }
  const auto& known = contract::train_config_keys();
  if (std::find(known.begin(), known.end(), path[0]) == known.end()) fail(fmt::format("unknown key '{}'", path[0]));
  auto defined = spec.key_locations.find(path[0]);
  if (path[0] != "noise" && !spec.base.contains(path[0]) && defined != spec.key_locations.end())
    fail(fmt::format("'{}' is an axis (defined at {}); only base values can be set", path[0],
                     format_location(defined->second)));

  if (path == std::vector<std::string>{"noise"}) {  // the top-level default, when not an axis
    if (defined != spec.key_locations.end() && !spec.noise)
      fail(fmt::format("'noise' is an axis (defined at {})", format_location(defined->second)));
    try {
      spec.noise = normalize_noise(value);
    } catch (const InputError& e) {
      fail(e.what());
    }
    return;
  }

  json* target = &spec.base;
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    json& next = (*target)[path[i]];
    if (next.is_string()) next = json{{"name", next}};  // dataset: digits -> {name: digits}
    if (!next.is_object() && !next.is_null()) fail(fmt::format("'{}' is not a map", path[i]));
    target = &next;
  }
  (*target)[path.back()] = value;
}

}  // namespace rs::grid
