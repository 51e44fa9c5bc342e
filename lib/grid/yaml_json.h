// YAML nodes to JSON values, the way a grid file's author means them.
//
// Plain scalars get the YAML 1.2 core schema types (int, float, bool, null, else string);
// quoted scalars are always strings, so `seed: "42"` stays text. Maps reject duplicate keys,
// which yaml-cpp would otherwise keep silently.
#pragma once

#include <string>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "grid/grid_spec.h"

namespace rs::grid {

SourceLocation location_of(const YAML::Node& node, const std::string& file);

// Throws rs::InputError("file:line:col: message").
[[noreturn]] void fail_at(const SourceLocation& where, const std::string& message);

nlohmann::json yaml_to_json(const YAML::Node& node, const std::string& file);

}  // namespace rs::grid
