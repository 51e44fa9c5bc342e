// Carbon intensity of electricity by country, for `sweep energy --region CODE`.
//
// Source: Our World in Data, "Carbon intensity of electricity generation" (lifecycle grams of
// CO2-equivalents per kWh generated; data from Ember and the Energy Institute), the 2023 values
// of its table at https://ourworldindata.org/grapher/carbon-intensity-electricity?tab=table,
// as whole grams the way the table gives them. Only countries whose 2023 value was read off
// that table are here; for any other site, or for a supplier's own figure, give
// --carbon-intensity or a site file instead. A country's yearly average is a rough stand-in
// for a data centre's supply: its contract, time of day and year all move the real figure.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace rs::energy {

struct RegionIntensity {
  const char* code;  // ISO 3166-1 alpha-2, e.g. "DE"
  const char* country;
  int year;
  double kg_per_kwh;  // kg CO2e per kWh
};

// The whole table, sorted by code.
const std::vector<RegionIntensity>& region_intensities();

// The entry for `code`, any case; nullopt when the table does not have it.
std::optional<RegionIntensity> find_region(const std::string& code);

// "Germany 2023 (Our World in Data: Ember, Energy Institute)"
std::string describe_region(const RegionIntensity& region);

}  // namespace rs::energy
