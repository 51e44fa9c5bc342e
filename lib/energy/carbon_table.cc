#include "energy/carbon_table.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace rs::energy {

const std::vector<RegionIntensity>& region_intensities() {
  // grams per kWh as published / 1000
  static const std::vector<RegionIntensity> table = {
      {"AT", "Austria", 2023, 0.111},   {"AU", "Australia", 2023, 0.549}, {"BE", "Belgium", 2023, 0.138},
      {"BR", "Brazil", 2023, 0.098},    {"CA", "Canada", 2023, 0.170},    {"CN", "China", 2023, 0.582},
      {"CZ", "Czechia", 2023, 0.450},   {"DE", "Germany", 2023, 0.381},   {"DK", "Denmark", 2023, 0.152},
      {"FI", "Finland", 2023, 0.079},   {"FR", "France", 2023, 0.056},    {"GR", "Greece", 2023, 0.337},
      {"HU", "Hungary", 2023, 0.204},   {"IE", "Ireland", 2023, 0.291},   {"IN", "India", 2023, 0.713},
  };
  return table;
}

std::optional<RegionIntensity> find_region(const std::string& code) {
  std::string upper = code;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  for (const RegionIntensity& region : region_intensities())
    if (upper == region.code) return region;
  return std::nullopt;
}

std::string describe_region(const RegionIntensity& region) {
  return fmt::format("{} {} (Our World in Data: Ember, Energy Institute)", region.country, region.year);
}

}  // namespace rs::energy
