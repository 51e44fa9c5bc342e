#include "contract/plan_id.h"

#include <nlohmann/json.hpp>

#include "contract/layout.h"
#include "util/error.h"
#include "util/files.h"
#include "util/hash.h"

namespace rs::contract {

std::string plan_id(const std::vector<std::string>& run_ids) {
  std::string all;
  all.reserve(run_ids.size() * 17);
  for (const auto& id : run_ids) all += id + "\n";
  return short_hash(all);
}

std::string planned_plan_id(const std::string& plan_path) {
  const size_t slash = plan_path.rfind('/');
  const std::string summary = summary_path(slash == std::string::npos ? "." : plan_path.substr(0, slash));
  if (!path_exists(summary)) return "";
  try {
    return nlohmann::json::parse(read_file(summary)).value("plan_id", "");
  } catch (const nlohmann::json::exception& e) {
    throw InputError(summary + ": unreadable: " + e.what());
  }
}

}  // namespace rs::contract
