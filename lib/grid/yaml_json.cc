#include "grid/yaml_json.h"

#include <regex>
#include <set>

#include <fmt/format.h>

#include "util/error.h"

namespace rs::grid {
namespace {

using nlohmann::json;

const std::regex kInt(R"([-+]?[0-9]+)");
const std::regex kFloat(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");

json scalar_to_json(const YAML::Node& node, const std::string& file) {
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") return text;  // quoted
  if (text == "null" || text == "Null" || text == "NULL" || text == "~" || text.empty()) return nullptr;
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  if (std::regex_match(text, kInt)) {
    try {
      return std::stoll(text);
    } catch (const std::out_of_range&) {
      fail_at(location_of(node, file), fmt::format("integer {} is out of range", text));
    }
  }
  if (std::regex_match(text, kFloat)) return std::stod(text);
  return text;
}

}  // namespace

SourceLocation location_of(const YAML::Node& node, const std::string& file) {
  YAML::Mark mark = node.Mark();
  return {file, mark.line + 1, mark.column + 1};
}

void fail_at(const SourceLocation& where, const std::string& message) {
  throw InputError(fmt::format("{}: {}", format_location(where), message));
}

json yaml_to_json(const YAML::Node& node, const std::string& file) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return scalar_to_json(node, file);
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const auto& item : node) out.push_back(yaml_to_json(item, file));
      return out;
    }
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& kv : node) {
        std::string key = kv.first.Scalar();
        if (out.contains(key)) fail_at(location_of(kv.first, file), fmt::format("duplicate key '{}'", key));
        out[key] = yaml_to_json(kv.second, file);
      }
      return out;
    }
    default:
      return nullptr;
  }
}

}  // namespace rs::grid
