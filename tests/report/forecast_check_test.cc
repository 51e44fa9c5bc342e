// The forecast beside the measured totals (forecast_check.h): the forecast.json of this plan is
// compared, one of another plan is not; inside means low <= measured <= high; kWh is null when
// a run has no energy.
#include <catch2/catch.hpp>

#include "contract/layout.h"
#include "report/forecast_check.h"
#include "temp_dir.h"
#include "util/files.h"

namespace rs::report {
namespace {

using nlohmann::json;

energy::SiteConfig site(double pue, double intensity) {
  energy::SiteConfig s;
  s.pue = {pue, "--pue"};
  s.carbon_intensity = {intensity, "--carbon-intensity"};
  return s;
}

void write_forecast(const std::string& dir, const std::string& plan_id) {
  write_file_atomic(contract::summary_path(dir), json({{"plan_id", "abc"}}).dump());
  write_file_atomic(contract::forecast_path(dir),
                    json({{"plan_id", plan_id},
                          {"runs", 4},
                          {"train_s", {{"estimate", 100.0}, {"low", 80.0}, {"high", 125.0}}},
                          {"gpu_hours", {{"estimate", 0.05}, {"low", 0.04}, {"high", 0.06}}},
                          {"kwh", {{"estimate", 0.01}, {"low", nullptr}, {"high", nullptr}}},
                          {"co2_kg", nullptr},
                          {"pue", {{"value", 1.2}, {"source", "--pue"}}},
                          {"carbon_intensity", {{"value", 0.4}, {"source", "--carbon-intensity"}}}})
                        .dump());
}

}  // namespace

TEST_CASE("the forecast of this plan beside the measured totals") {
  testing::TempDir dir;
  write_forecast(dir.path(), "abc");
  MeasuredCost measured{3, 130.0, {}};
  measured.energy.runs = 3;
  measured.energy.gpu_j = 0.02 * energy::kJoulesPerKwh;
  measured.energy.methods["nvml-counter"] = {3, measured.energy.gpu_j};
  measured.energy.gpu_hours = 0.045;
  std::string stale;
  const std::optional<ForecastCheck> check = check_forecast(dir.path(), measured, site(1.2, 0.4), &stale);
  REQUIRE(check);
  CHECK(stale.empty());
  CHECK(check->runs_forecast == 4);
  CHECK(check->runs_measured == 3);
  REQUIRE(check->rows.size() == 4);
  CHECK(check->rows[0].measure == "train_s");
  CHECK(*check->rows[0].measured == 130.0);
  CHECK_FALSE(*check->rows[0].inside);  // above 125
  CHECK(*check->rows[1].inside);        // 0.045 in [0.04, 0.06]
  CHECK(*check->rows[2].measured == Approx(0.02));
  CHECK_FALSE(check->rows[2].inside);   // no interval
  CHECK(*check->rows[3].measured == Approx(0.02 * 1.2 * 0.4));
  CHECK_FALSE(check->rows[3].estimate);
  REQUIRE(check->notes.size() == 1);  // 4 runs forecast, 3 read; the factors are the same
  CHECK_THAT(check->notes[0], Catch::Matchers::Contains("the forecast is of 4 runs"));
  const json out = forecast_check_json(*check);
  CHECK(out["measures"]["train_s"]["inside"] == false);
  CHECK(out["measures"]["kwh"]["inside"].is_null());

  // Other site factors are named; a run without energy leaves kWh and CO2 unmeasured.
  measured.energy.methods["none"] = {1, 0};
  const std::optional<ForecastCheck> other = check_forecast(dir.path(), measured, site(1.5, 0.4), &stale);
  CHECK_FALSE(other->rows[2].measured);
  CHECK_FALSE(other->rows[3].measured);
  CHECK(other->notes.size() == 3);
}

TEST_CASE("a forecast of another plan, or none, is not compared") {
  testing::TempDir dir;
  std::string stale;
  CHECK_FALSE(check_forecast(dir.path(), {}, site(1, 0.4), &stale));
  CHECK(stale.empty());
  write_forecast(dir.path(), "older");
  CHECK_FALSE(check_forecast(dir.path(), {}, site(1, 0.4), &stale));
  CHECK_THAT(stale, Catch::Matchers::Contains("earlier plan"));
}

}  // namespace rs::report
