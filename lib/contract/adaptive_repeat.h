// Adaptive replicas: a `repeat: {min, max, step, until}` of the grid file (docs/grid-file.md,
// "Adaptive replicas"). `sweep plan` writes every replica up to max into plan.jsonl, with the
// seeds and run ids a fixed `repeat: max` would give them, and lists the adaptive points in
// sweep.json; the runs are then asked for in waves (sweep/waves.h) until the rule holds.
#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

namespace rs::contract {

struct AdaptiveRepeat {
  int64_t min = 2, max = 2, step = 1;  // 2 <= min <= max, step >= 1
  // until.acc_sd_ci_halfwidth: the half-width of the 95 % confidence interval of the SD of final
  // test accuracy, in percentage points, at which the point has replicas enough.
  double acc_sd_ci_halfwidth_pp = 0;
};

// The `until` keys a grid may give, in the order the docs list them.
inline const std::vector<const char*> kUntilKeys = {"acc_sd_ci_halfwidth"};

// One adaptive point of a plan: its replicas 0..max-1 are runs first_run..first_run+max-1.
struct AdaptivePoint {
  int64_t first_run = 0;
  AdaptiveRepeat repeat;
};

// sweep.json's "adaptive": [{"first_run", "min", "max", "step", "until": {...}}, ...].
nlohmann::json adaptive_points_json(const std::vector<AdaptivePoint>& points);

// Reads it back; throws nlohmann::json::exception when malformed.
std::vector<AdaptivePoint> adaptive_points_from_json(const nlohmann::json& list);

}  // namespace rs::contract
