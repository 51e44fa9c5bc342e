#include "forecast/forecast.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "forecast/run_cost.h"
#include "slurm/options.h"

namespace rs::forecast {

namespace {

using nlohmann::json;

constexpr double kJoulesPerKwh = 3.6e6;

// A sum of ranges: the bounds add up too (the runs' errors taken as one: a slower machine
// slows every run), and a bound is unknown once one part's is.
struct Total {
  double estimate = 0, low = 0, high = 0;
  bool bounded = true, known = true;

  void add(const std::optional<Range>& range) {
    if (!range) {
      known = false;
      return;
    }
    estimate += range->estimate;
    if (range->low && range->high) {
      low += *range->low;
      high += *range->high;
    } else {
      bounded = false;
    }
  }

  Total scaled(double factor) const {
    Total t = *this;
    t.estimate *= factor;
    t.low *= factor;
    t.high *= factor;
    return t;
  }

  json to_json() const {
    if (!known) return nullptr;
    return {{"estimate", estimate}, {"low", bounded ? json(low) : json(nullptr)},
            {"high", bounded ? json(high) : json(nullptr)}};
  }
};

// Wall time of an array whose tasks start as soon as the throttle (max_parallel; 0: all at
// once) lets them: the longest run, or the runs' seconds spread over the parallel slots,
// whichever is longer.
double throttled(const std::vector<double>& seconds, int64_t max_parallel) {
  if (seconds.empty()) return 0;
  double sum = 0, longest = 0;
  for (double s : seconds) {
    sum += s;
    longest = std::max(longest, s);
  }
  double slots = static_cast<double>(max_parallel > 0 ? max_parallel : static_cast<int64_t>(seconds.size()));
  return std::max(longest, sum / std::min(slots, static_cast<double>(seconds.size())));
}

struct ArrayForecast {
  Total train_s, gpu_s, joules, wall_s;
  int64_t runs = 0, calibrated_runs = 0, time_limit_runs = 0;
  std::set<std::string> keys_used;
};

json array_json(const ArrayForecast& a, const energy::SiteConfig& site, int64_t calibration_runs) {
  Total kwh = a.joules.scaled(1 / kJoulesPerKwh);
  return {{"runs", a.runs},
          {"calibration_runs", calibration_runs},
          {"calibrated_runs", a.calibrated_runs},
          {"time_limit_runs", a.time_limit_runs},
          {"train_s", a.train_s.to_json()},
          {"wall_s", a.wall_s.to_json()},
          {"gpu_hours", a.gpu_s.scaled(1 / 3600.0).to_json()},
          {"kwh", kwh.to_json()},
          {"co2_kg", kwh.scaled(site.pue.value * site.carbon_intensity.value).to_json()}};
}

}  // namespace

json forecast_plan(const grid::Plan& plan, const CostModel& model, const energy::SiteConfig& site) {
  std::map<size_t, std::optional<RunPrediction>> by_point;  // a point's runs cost the same
  ArrayForecast total;
  json arrays_json = json::array();
  Total wall_total;
  bool any_array = false;
  for (const auto& a : plan.arrays) {
    ArrayForecast array;
    double limit_s = static_cast<double>(slurm::time_limit_seconds(a.slurm.time));
    double gpus = static_cast<double>(a.slurm.gpus_per_task * a.world_size);
    std::vector<double> wall_est, wall_low, wall_high;
    bool wall_bounded = true, wall_known = true;
    for (int64_t r = a.offset; r < a.offset + a.count; ++r) {
      size_t point = plan.runs[static_cast<size_t>(r)].point;
      auto cached = by_point.find(point);
      if (cached == by_point.end()) {
        cached = by_point.emplace(point, predict_run(model, plan.points[point].params)).first;
      }
      std::optional<Range> train, wall, joules;
      if (cached->second) {
        ++array.calibrated_runs;
        train = cached->second->train_s;
        wall = cached->second->wall_s;
        joules = cached->second->joules;
        array.keys_used.insert(run_cost(plan.points[point].params).key);
      } else {
        ++array.time_limit_runs;
        if (limit_s >= 0) train = wall = Range{limit_s, limit_s, limit_s};
      }
      ++array.runs;
      array.train_s.add(train);
      array.joules.add(joules);
      if (wall) {
        array.gpu_s.add(Range{wall->estimate * gpus, wall->low ? std::optional(*wall->low * gpus) : std::nullopt,
                              wall->high ? std::optional(*wall->high * gpus) : std::nullopt});
        wall_est.push_back(wall->estimate);
        if (wall->low && wall->high) {
          wall_low.push_back(*wall->low);
          wall_high.push_back(*wall->high);
        } else {
          wall_bounded = false;
        }
      } else {
        array.gpu_s.add(std::nullopt);
        wall_known = false;
      }
    }
    array.wall_s.known = wall_known;
    array.wall_s.bounded = wall_bounded;
    array.wall_s.estimate = throttled(wall_est, a.slurm.max_parallel);
    array.wall_s.low = throttled(wall_low, a.slurm.max_parallel);
    array.wall_s.high = throttled(wall_high, a.slurm.max_parallel);
    // The arrays are submitted together and run side by side: the sweep takes the longest.
    wall_total.known = wall_total.known && wall_known;
    wall_total.bounded = wall_total.bounded && wall_bounded;
    wall_total.estimate = std::max(wall_total.estimate, array.wall_s.estimate);
    wall_total.low = std::max(wall_total.low, array.wall_s.low);
    wall_total.high = std::max(wall_total.high, array.wall_s.high);
    any_array = true;

    int64_t calibration_runs = 0;
    for (const auto& key : array.keys_used) calibration_runs += model.keys.at(key).runs;
    json entry = array_json(array, site, calibration_runs);
    entry["script"] = a.script;
    arrays_json.push_back(entry);
    for (Total ArrayForecast::*part : {&ArrayForecast::train_s, &ArrayForecast::gpu_s, &ArrayForecast::joules}) {
      Total& sum = total.*part;
      const Total& add = array.*part;
      sum.known = sum.known && add.known;
      sum.bounded = sum.bounded && add.bounded;
      sum.estimate += add.estimate;
      sum.low += add.low;
      sum.high += add.high;
    }
    total.runs += array.runs;
    total.calibrated_runs += array.calibrated_runs;
    total.time_limit_runs += array.time_limit_runs;
    total.keys_used.insert(array.keys_used.begin(), array.keys_used.end());
  }
  if (any_array) total.wall_s = wall_total;
  int64_t calibration_runs = 0;
  for (const auto& key : total.keys_used) calibration_runs += model.keys.at(key).runs;
  json forecast = array_json(total, site, calibration_runs);
  forecast["arrays"] = arrays_json;
  forecast["pue"] = {{"value", site.pue.value}, {"source", site.pue.source}};
  forecast["carbon_intensity"] = {{"value", site.carbon_intensity.value}, {"source", site.carbon_intensity.source}};
  forecast["residual_sd_log"] = model.residual_sd ? json(*model.residual_sd) : json(nullptr);
  forecast["method"] =
      "per cost key (data set, model and size, batch size, precision, mode, ...): train_s = "
      "rate x samples x epochs, rate the geometric mean over the key's calibration runs; wall_s "
      "adds their mean wall_s - train_s; 95 % prediction interval exp(+-t s sqrt(1 + 1/m)) from "
      "the pooled log residuals, summed over runs as one error; runs without a calibration run "
      "of their key count with their whole time limit (time_limit_runs)";
  json notes = json::array();
  if (total.time_limit_runs > 0)
    notes.push_back(fmt::format("{} of {} runs have no calibration run like them: counted at their "
                                "time limit (an upper bound), and without energy",
                                total.time_limit_runs, total.runs));
  if (!model.residual_sd)
    notes.push_back("low, high: null: too few calibration runs for an interval (need more runs than cost keys)");
  if (!total.joules.known && total.calibrated_runs > 0)
    notes.push_back("kwh, co2_kg: null: some runs have no energy prediction (their calibration runs measured no energy)");
  std::set<std::string> devices;
  for (const auto& key : total.keys_used) devices.insert(model.keys.at(key).devices.begin(), model.keys.at(key).devices.end());
  forecast["calibration_devices"] = devices;
  forecast["notes"] = notes;
  return forecast;
}

}  // namespace rs::forecast
