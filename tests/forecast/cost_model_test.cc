#include "forecast/cost_model.h"

#include <cmath>
#include <string>

#include <catch2/catch.hpp>

#include "forecast/forecast.h"
#include "grid/grid_test_util.h"

using rs::forecast::CostModel;
using rs::forecast::fit_cost_model;
using rs::forecast::predict_run;

namespace {

const char* kBase = R"("dataset":"digits","model":"small_cnn","width":8,"batch_size":64)";

rs::runfile::RunRecord calibration_run(const std::string& id, const std::string& mode, int epochs,
                                       double train_s, double wall_s, double cpu_j = 0) {
  rs::runfile::RunRecord run;
  run.run_id = id;
  run.mode = mode;
  run.params_json = std::string("{") + kBase + R"(,"epochs":)" + std::to_string(epochs) +
                    R"(,"mode":")" + mode + R"(","optimizer":"sgd"})";
  run.timing.train_s = train_s;
  run.timing.wall_s = wall_s;
  run.env.cpu_model = "test CPU";
  if (cpu_j > 0) {
    run.energy.cpu_j = cpu_j;
    run.energy.method = "rapl";
  }
  return run;
}

nlohmann::json params(const std::string& mode, int epochs, const std::string& optimizer = "adam") {
  return nlohmann::json::parse(std::string("{") + kBase + R"(,"epochs":)" + std::to_string(epochs) +
                               R"(,"mode":")" + mode + R"(","optimizer":")" + optimizer + "\"}");
}

// t(0.975; 1), from scipy: stats.t.ppf(0.975, 1)
constexpr double kT975df1 = 12.706204736432095;

}  // namespace

TEST_CASE("the cost of a run scales with its epochs, per cost key", "[forecast]") {
  // Key nd: 5 and 6 s per epoch (2 epochs: 10 s and 12 s); key d: one run, 8 s per epoch.
  CostModel model = fit_cost_model({calibration_run("a", "nd", 2, 10, 11, 100),
                                    calibration_run("b", "nd", 2, 12, 13, 130),
                                    calibration_run("c", "d", 1, 8, 8.5)});
  REQUIRE(model.runs == 3);
  REQUIRE(model.keys.size() == 2);
  REQUIRE(model.residual_df == 1);
  // Residuals +-(log 6 - log 5) / 2 in key nd, 0 in key d: s^2 = 2 e^2 / 1.
  double e = (std::log(6.0) - std::log(5.0)) / 2;
  REQUIRE(*model.residual_sd == Approx(std::sqrt(2 * e * e)).epsilon(1e-12));

  // Another optimizer and twice the epochs: the same key, rate sqrt(5 x 6) per epoch.
  auto nd = predict_run(model, params("nd", 4));
  REQUIRE(nd.has_value());
  CHECK(nd->calibration_runs == 2);
  double estimate = std::sqrt(30.0) * 4;
  double factor = std::exp(kT975df1 * std::sqrt(2 * e * e) * std::sqrt(1 + 1.0 / 2));
  CHECK(nd->train_s.estimate == Approx(estimate).epsilon(1e-12));
  // scipy's and Boost's t quantiles differ in the 12th digit, which exp() spreads.
  CHECK(*nd->train_s.low == Approx(estimate / factor).epsilon(1e-9));
  CHECK(*nd->train_s.high == Approx(estimate * factor).epsilon(1e-9));
  // wall_s adds the mean overhead, 1 s; the energy is the runs' mean power over wall seconds.
  CHECK(nd->wall_s.estimate == Approx(estimate + 1).epsilon(1e-12));
  REQUIRE(nd->joules.has_value());
  CHECK(nd->joules->estimate == Approx(230.0 / 24 * (estimate + 1)).epsilon(1e-12));

  auto d = predict_run(model, params("d", 3));
  REQUIRE(d.has_value());
  CHECK(d->train_s.estimate == Approx(24.0).epsilon(1e-12));
  CHECK_FALSE(d->joules.has_value());  // its run measured no energy

  // Another model size: no similar run.
  nlohmann::json wider = params("nd", 2);
  wider["width"] = 16;
  CHECK_FALSE(predict_run(model, wider).has_value());
}

TEST_CASE("without more runs than keys there is no interval", "[forecast]") {
  CostModel model = fit_cost_model({calibration_run("a", "nd", 2, 10, 11)});
  CHECK_FALSE(model.residual_sd.has_value());
  auto nd = predict_run(model, params("nd", 2));
  REQUIRE(nd.has_value());
  CHECK(nd->train_s.estimate == Approx(10).epsilon(1e-12));
  CHECK_FALSE(nd->train_s.low.has_value());
}

TEST_CASE("runs without usable timing or params are left out, with the reason", "[forecast]") {
  auto no_time = calibration_run("t", "nd", 2, 0, 1);
  auto bad_params = calibration_run("p", "nd", 2, 10, 11);
  bad_params.params_json = R"({"model":"no_such_model","dataset":"digits"})";
  CostModel model = fit_cost_model({no_time, bad_params});
  CHECK(model.runs == 0);
  REQUIRE(model.skipped.size() == 2);
  CHECK(model.skipped[0].first == "t");
  CHECK(model.skipped[1].second.rfind("params: model", 0) == 0);
}

TEST_CASE("a sweep's forecast sums its runs; unlike runs count at their time limit", "[forecast]") {
  CostModel model = fit_cost_model({calibration_run("a", "nd", 2, 10, 11),
                                    calibration_run("b", "nd", 2, 12, 13)});
  // Two points of the calibrated key (2 replicas each) and one wider point: 6 runs, throttle 2.
  rs::grid::Plan plan = rs::grid::testing::plan(R"(
name: f
slurm: {gpus_per_task: 1, time: "00:10:00", max_parallel: 2}
base: {dataset: digits, model: small_cnn, batch_size: 64, epochs: 4, mode: nd}
grid: {width: [8, 16], optimizer: [sgd]}
include:
  - {width: 8, optimizer: adam}
repeat: 2
)");
  rs::energy::SiteConfig site{{1.5, "test"}, {0.4, "test"}};
  nlohmann::json f = rs::forecast::forecast_plan(plan, model, site);
  CHECK(f["runs"] == 6);
  CHECK(f["calibrated_runs"] == 4);
  CHECK(f["time_limit_runs"] == 2);
  CHECK(f["calibration_runs"] == 2);
  double per_run = std::sqrt(30.0) * 4;  // 4 epochs at sqrt(5 x 6) s each
  CHECK(f["train_s"]["estimate"].get<double>() == Approx(4 * per_run + 2 * 600.0).epsilon(1e-12));
  // One GPU per run: GPU-hours are the predicted wall seconds (train + 1 s) and the limits.
  CHECK(f["gpu_hours"]["estimate"].get<double>() ==
        Approx((4 * (per_run + 1) + 2 * 600.0) / 3600).epsilon(1e-12));
  // Two at a time: the 1200 s of the two wider runs and 4 shorter runs over two slots.
  CHECK(f["wall_s"]["estimate"].get<double>() == Approx((4 * (per_run + 1) + 1200.0) / 2).epsilon(1e-12));
  CHECK(f["kwh"].is_null());  // no calibration run measured energy
  CHECK(f["arrays"].size() == 1);
  CHECK(f["notes"][0].get<std::string>().find("2 of 6 runs") != std::string::npos);
}
