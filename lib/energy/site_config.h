// The two site factors that turn kWh into CO2: the data centre's PUE (facility energy / IT
// energy, >= 1) and the carbon intensity of its electricity (kg CO2e per kWh).
//
//   CO2 kg = kWh x PUE x carbon intensity
//
// Each factor comes from the first of these that sets it, and remembers which one did:
//   1. the command line: --pue, --carbon-intensity or --region CODE (carbon_table.h);
//   2. the YAML file $REPROSWEEP_SITE_FILE names (an error when it does not exist);
//   3. /etc/reprosweep/site.yaml, when it exists;
//   4. the defaults: PUE 1.0 and the world average 0.475 kg CO2e/kWh.
// A site file holds any of:
//   pue: 1.3
//   carbon_intensity: 0.381   # kg CO2e/kWh; or instead
//   region: DE
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace rs::energy {

inline constexpr char kSiteFileVariable[] = "REPROSWEEP_SITE_FILE";
inline constexpr char kSystemSiteFile[] = "/etc/reprosweep/site.yaml";

struct SiteValue {
  double value = 0;
  std::string source;  // e.g. "--pue", "site file /etc/reprosweep/site.yaml: region DE, Germany 2023, ..."
};

struct SiteConfig {
  SiteValue pue;
  SiteValue carbon_intensity;  // kg CO2e per kWh
};

// What the command line said; unset fields leave the choice to the files and defaults.
struct SiteOverrides {
  std::optional<double> pue;
  std::optional<double> carbon_intensity;
  std::string region;
};

struct SiteFile {
  std::string path;
  bool required = false;  // false: skipped when it does not exist
};

// The site files to read, in order: $REPROSWEEP_SITE_FILE (required) when set, then
// /etc/reprosweep/site.yaml.
std::vector<SiteFile> site_files();

// Resolves both factors as described above from `command_line` and `files`. Throws
// rs::InputError for a required file that is missing, a file that is not such YAML, an
// unknown region, a carbon intensity and a region from one source, a PUE below 1, or an
// intensity above 2 kg/kWh (a value in g/kWh, most likely).
SiteConfig resolve_site(const SiteOverrides& command_line, const std::vector<SiteFile>& files);

// kWh x PUE x carbon intensity, in that order.
double co2_kg(double kwh, const SiteConfig& site);

}  // namespace rs::energy
