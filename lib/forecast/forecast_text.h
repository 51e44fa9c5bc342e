// The forecast (forecast.h) as `sweep plan` prints it: one line for the sweep, one per array.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace rs::forecast {

std::string forecast_text(const nlohmann::json& forecast);

}  // namespace rs::forecast
