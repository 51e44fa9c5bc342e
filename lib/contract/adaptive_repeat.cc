#include "contract/adaptive_repeat.h"

namespace rs::contract {

using nlohmann::json;

json adaptive_points_json(const std::vector<AdaptivePoint>& points) {
  json out = json::array();
  for (const auto& p : points)
    out.push_back({{"first_run", p.first_run},
                   {"min", p.repeat.min},
                   {"max", p.repeat.max},
                   {"step", p.repeat.step},
                   {"until", {{"acc_sd_ci_halfwidth", p.repeat.acc_sd_ci_halfwidth_pp}}}});
  return out;
}

std::vector<AdaptivePoint> adaptive_points_from_json(const json& list) {
  std::vector<AdaptivePoint> points;
  for (const auto& p : list) {
    AdaptivePoint point;
    point.first_run = p.at("first_run").get<int64_t>();
    point.repeat.min = p.at("min").get<int64_t>();
    point.repeat.max = p.at("max").get<int64_t>();
    point.repeat.step = p.at("step").get<int64_t>();
    point.repeat.acc_sd_ci_halfwidth_pp = p.at("until").at("acc_sd_ci_halfwidth").get<double>();
    points.push_back(point);
  }
  return points;
}

}  // namespace rs::contract
