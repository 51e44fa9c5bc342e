#include "report/sweep_dir.h"

#include <algorithm>
#include <filesystem>

#include "contract/layout.h"

namespace rs::report {

namespace fs = std::filesystem;

namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

const std::string kRunSuffix = contract::kRunFileSuffix;
const std::string kPartialRunSuffix = kRunSuffix + contract::kPartialSuffix;

}  // namespace

SweepPlan read_plan(const std::string& sweep_dir) {
  SweepPlan plan;
  std::string path = contract::plan_path(sweep_dir);
  if (!fs::exists(path)) return plan;
  contract::PlanIds ids = contract::read_plan_ids(path);
  plan.found = true;
  plan.sweep_name = ids.sweep;
  plan.runs = std::move(ids.runs);
  return plan;
}

RunFiles list_run_files(const std::string& sweep_dir) {
  RunFiles files;
  fs::path runs_dir = contract::runs_dir(sweep_dir);
  std::error_code ec;
  if (!fs::is_directory(runs_dir, ec)) return files;
  for (const auto& entry : fs::directory_iterator(runs_dir)) {
    if (!entry.is_regular_file()) continue;
    std::string name = entry.path().filename().string();
    if (ends_with(name, kRunSuffix)) files.complete.push_back(entry.path().string());
    if (ends_with(name, kPartialRunSuffix)) files.partial.push_back(entry.path().string());
  }
  std::sort(files.complete.begin(), files.complete.end());
  std::sort(files.partial.begin(), files.partial.end());
  return files;
}

std::string run_id_from_path(const std::string& path) {
  std::string name = fs::path(path).filename().string();
  for (const std::string& suffix : {kPartialRunSuffix, kRunSuffix}) {
    if (ends_with(name, suffix)) return name.substr(0, name.size() - suffix.size());
  }
  return name;
}

}  // namespace rs::report
