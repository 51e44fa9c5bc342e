#include "forecast/forecast_text.h"

#include <fmt/format.h>

namespace rs::forecast {

namespace {

using nlohmann::json;

// "1.23 [1.01, 1.50] GPU-hours"; "- kWh" when unknown.
std::string range_text(const json& range, double scale, int decimals, const std::string& unit) {
  if (range.is_null()) return "- " + unit;
  std::string text = fmt::format("{:.{}f}", range["estimate"].get<double>() * scale, decimals);
  if (!range["low"].is_null()) {
    text += fmt::format(" [{:.{}f}, {:.{}f}]", range["low"].get<double>() * scale, decimals,
                        range["high"].get<double>() * scale, decimals);
  }
  return text + " " + unit;
}

// Seconds in s, min or h, by the size of the estimate.
std::string duration_text(const json& range) {
  double estimate = range.is_null() ? 0 : range["estimate"].get<double>();
  if (estimate < 120) return range_text(range, 1, 0, "s");
  if (estimate < 7200) return range_text(range, 1 / 60.0, 1, "min");
  return range_text(range, 1 / 3600.0, 1, "h");
}

std::string costs(const json& f) {
  return fmt::format("train {}, wall at the throttle {}, {}, {}, {}", duration_text(f["train_s"]),
                     duration_text(f["wall_s"]), range_text(f["gpu_hours"], 1, 3, "GPU-hours"),
                     range_text(f["kwh"], 1, 3, "kWh"), range_text(f["co2_kg"], 1, 3, "kg CO2"));
}

}  // namespace

std::string forecast_text(const json& forecast) {
  std::string text = fmt::format("  forecast (95 % intervals) from {} calibration runs: {}\n",
                                 forecast["calibration_runs"].get<int64_t>(), costs(forecast));
  for (const auto& a : forecast["arrays"]) {
    text += fmt::format("    {}: {} runs, {}{}\n", a["script"].get<std::string>(), a["runs"].get<int64_t>(),
                        costs(a),
                        a["time_limit_runs"].get<int64_t>() > 0
                            ? fmt::format(" ({} runs at their time limit: no similar run)",
                                          a["time_limit_runs"].get<int64_t>())
                            : "");
  }
  for (const auto& note : forecast["notes"]) text += "    note: " + note.get<std::string>() + "\n";
  return text;
}

}  // namespace rs::forecast
