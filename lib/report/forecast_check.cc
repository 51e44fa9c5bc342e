#include "report/forecast_check.h"

#include <fmt/format.h>

#include "contract/layout.h"
#include "util/error.h"
#include "util/files.h"

namespace rs::report {

using nlohmann::json;

namespace {

std::optional<double> number(const json& value) {
  return value.is_number() ? std::optional<double>(value.get<double>()) : std::nullopt;
}

json optional_json(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

std::string plan_id_of(const std::string& path) {
  if (!path_exists(path)) return "";
  return json::parse(read_file(path)).value("plan_id", "");
}

}  // namespace

std::optional<ForecastCheck> check_forecast(const std::string& sweep_dir, const MeasuredCost& measured,
                                            const energy::SiteConfig& site, std::string* stale) {
  const std::string path = contract::forecast_path(sweep_dir);
  if (!path_exists(path)) return std::nullopt;
  ForecastCheck check;
  json forecast;
  try {
    forecast = json::parse(read_file(path));
    if (forecast.value("plan_id", "") != plan_id_of(contract::summary_path(sweep_dir))) {
      *stale = fmt::format("{} was made for an earlier plan of this folder: not compared (plan again with "
                           "--forecast-from for a forecast of this one)", path);
      return std::nullopt;
    }
    check.runs_forecast = forecast.at("runs").get<int64_t>();
  } catch (const json::exception& e) {
    throw InputError(fmt::format("{}: unreadable: {}", path, e.what()));
  }
  check.runs_measured = measured.runs;
  // kWh as the forecast predicts it: measured joules, or estimated where a run measured none;
  // unknown when some run has neither.
  std::optional<double> kwh;
  if (measured.energy.runs_by("none") == 0) kwh = measured.energy.kwh() + measured.energy.estimated_kwh();
  const std::vector<std::pair<std::string, std::optional<double>>> values = {
      {"train_s", measured.train_s},
      {"gpu_hours", measured.energy.gpu_hours},
      {"kwh", kwh},
      {"co2_kg", kwh ? std::optional<double>(energy::co2_kg(*kwh, site)) : std::nullopt}};
  for (const auto& [measure, value] : values) {
    ForecastRow row;
    row.measure = measure;
    const json& predicted = forecast.value(measure, json(nullptr));
    if (predicted.is_object()) {
      row.estimate = number(predicted.value("estimate", json(nullptr)));
      row.low = number(predicted.value("low", json(nullptr)));
      row.high = number(predicted.value("high", json(nullptr)));
    }
    row.measured = value;
    if (row.low && row.high && row.measured) row.inside = *row.low <= *row.measured && *row.measured <= *row.high;
    check.rows.push_back(row);
  }
  if (check.runs_measured != check.runs_forecast)
    check.notes.push_back(fmt::format("the forecast is of {} runs, the measured totals of the {} runs read: a sweep "
                                      "not yet complete, failed runs, or adaptive points that stopped before max",
                                      check.runs_forecast, check.runs_measured));
  if (!kwh)
    check.notes.push_back("kwh, co2_kg: measured null: some runs measured no energy and have none to estimate from");
  const double pue = forecast.contains("pue") ? forecast["pue"].value("value", 0.0) : 0.0;
  const double intensity = forecast.contains("carbon_intensity") ? forecast["carbon_intensity"].value("value", 0.0) : 0.0;
  if (pue != site.pue.value || intensity != site.carbon_intensity.value)
    check.notes.push_back(fmt::format("co2_kg: the forecast used PUE {:g} and {:g} kg CO2e/kWh, the measured value "
                                      "PUE {:g} and {:g} kg CO2e/kWh",
                                      pue, intensity, site.pue.value, site.carbon_intensity.value));
  return check;
}

json forecast_check_json(const ForecastCheck& check) {
  json rows = json::object();
  for (const auto& row : check.rows) {
    rows[row.measure] = {{"estimate", optional_json(row.estimate)},
                         {"low", optional_json(row.low)},
                         {"high", optional_json(row.high)},
                         {"measured", optional_json(row.measured)},
                         {"inside", row.inside ? json(*row.inside) : json(nullptr)}};
  }
  return {{"runs_forecast", check.runs_forecast}, {"runs_measured", check.runs_measured},
          {"measures", rows}, {"notes", check.notes}};
}

}  // namespace rs::report
