#include "report/adaptive_stops.h"

#include <map>

#include <fmt/format.h>

#include "contract/layout.h"
#include "util/error.h"
#include "util/files.h"

namespace rs::report {

using nlohmann::json;

sweep::RunAccuracies run_accuracies(const std::vector<GroupStats>& groups) {
  sweep::RunAccuracies accuracies;
  for (const auto& group : groups) {
    for (size_t i = 0; i < group.nd_run_ids.size(); ++i) accuracies[group.nd_run_ids[i]] = group.nd_accuracies[i];
    for (size_t i = 0; i < group.d_run_ids.size(); ++i) accuracies[group.d_run_ids[i]] = group.d_accuracies[i];
  }
  return accuracies;
}

namespace {

std::vector<contract::AdaptivePoint> read_adaptive_points(const std::string& sweep_dir) {
  const std::string path = contract::summary_path(sweep_dir);
  if (!path_exists(path)) return {};
  try {
    return contract::adaptive_points_from_json(json::parse(read_file(path)).value("adaptive", json::array()));
  } catch (const json::exception& e) {
    throw InputError(fmt::format("{}: unreadable: {}", path, e.what()));
  }
}

}  // namespace

std::vector<AdaptiveStop> adaptive_stops(const std::string& sweep_dir, const std::vector<contract::PlannedRun>& planned,
                                         const std::vector<GroupStats>& groups) {
  const std::vector<contract::AdaptivePoint> points = read_adaptive_points(sweep_dir);
  if (points.empty()) return {};
  const sweep::RunAccuracies accuracies = run_accuracies(groups);
  std::map<std::string, std::string> mode_of;
  for (const auto& group : groups) {
    for (const auto& id : group.nd_run_ids) mode_of[id] = "nd";
    for (const auto& id : group.d_run_ids) mode_of[id] = "d";
  }
  std::vector<AdaptiveStop> stops;
  for (const auto& point : points) {
    AdaptiveStop stop;
    stop.point = point;
    std::vector<double> values;
    int64_t replicas_read = 0;  // one past the last replica read
    for (int64_t r = 0; r < point.repeat.max; ++r) {
      const size_t index = static_cast<size_t>(point.first_run + r);
      if (index >= planned.size()) throw InputError(fmt::format("{}: adaptive point beyond plan.jsonl's runs", sweep_dir));
      const contract::PlannedRun& run = planned[index];
      stop.group_id = run.group_id;
      auto value = accuracies.find(run.run_id);
      if (value == accuracies.end()) continue;
      values.push_back(value->second);
      stop.mode = mode_of[run.run_id];
      replicas_read = r + 1;
    }
    stop.check = sweep::check_stopping_rule(point.repeat, values);
    if (stop.check.met) {
      stop.reason = StopReason::kRuleMet;
    } else if (stop.check.runs >= point.repeat.max) {
      stop.reason = StopReason::kReachedMax;
    }
    // The waves ask for replicas in order and stop at a wave's end: a replica after the wave of
    // the last one read was never asked for.
    if (stop.reason != StopReason::kOpen)
      for (int64_t r = sweep::wave_end(point.repeat, replicas_read); r < point.repeat.max; ++r)
        stop.not_needed_run_ids.push_back(planned[static_cast<size_t>(point.first_run + r)].run_id);
    stops.push_back(std::move(stop));
  }
  return stops;
}

std::string stop_reason_text(const AdaptiveStop& stop) {
  switch (stop.reason) {
    case StopReason::kRuleMet:
      return fmt::format("rule met at {} runs", stop.check.runs);
    case StopReason::kReachedMax:
      return fmt::format("reached max ({} runs); rule not met", stop.check.runs);
    case StopReason::kOpen:
      break;
  }
  return fmt::format("rule not met at {} of max {} runs: waves still to come, or runs failed", stop.check.runs,
                     stop.point.repeat.max);
}

json adaptive_stops_json(const std::vector<AdaptiveStop>& stops) {
  static const char* kReasonNames[] = {"rule_met", "reached_max", "open"};
  json out = json::array();
  for (const auto& stop : stops) {
    const auto& rule = stop.point.repeat;
    auto optional = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
    out.push_back({{"group_id", stop.group_id},
                   {"mode", stop.mode},
                   {"first_run", stop.point.first_run},
                   {"rule", {{"min", rule.min}, {"max", rule.max}, {"step", rule.step},
                             {"until", {{"acc_sd_ci_halfwidth", rule.acc_sd_ci_halfwidth_pp}}},
                             {"confidence", 1 - sweep::kStoppingAlpha}}},
                   {"runs", stop.check.runs},
                   {"acc_sd_pp", optional(stop.check.acc_sd_pp)},
                   {"acc_sd_ci_halfwidth_pp", optional(stop.check.halfwidth_pp)},
                   {"stopped", kReasonNames[static_cast<size_t>(stop.reason)]},
                   {"why", stop_reason_text(stop)},
                   {"not_needed_runs", stop.not_needed_run_ids.size()}});
  }
  return out;
}

}  // namespace rs::report
