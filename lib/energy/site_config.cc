#include "energy/site_config.h"

#include <cstdlib>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "energy/carbon_table.h"
#include "util/error.h"
#include "util/files.h"
#include "util/text.h"

namespace rs::energy {
namespace {

// PUE 1.0 counts the IT equipment alone, as CodeCarbon does by default; the world average is
// Our World in Data's (Ember, Energy Institute). Both are printed with their reason.
constexpr double kDefaultPue = 1.0;
constexpr double kWorldIntensity = 0.475;
const char kDefaultPueSource[] =
    "default: IT energy only, no facility overhead, as CodeCarbon assumes (Green Algorithms assumes 1.56); "
    "set --pue or a site file";
const char kDefaultIntensitySource[] =
    "default: world average, Our World in Data (Ember, Energy Institute); "
    "set --carbon-intensity, --region or a site file";

// The settings of one source, and how to name each of them in a SiteValue's source.
struct Source {
  std::string where;  // the file's path, or "" for the command line
  std::optional<double> pue, carbon_intensity;
  std::string region;

  std::string label(const char* file_key, const char* flag) const {
    return where.empty() ? flag : where + ": " + file_key;
  }
};

void check(const Source& s) {
  std::string where = s.where.empty() ? "command line" : s.where;
  if (s.pue && !(*s.pue >= 1.0))
    throw InputError(fmt::format("{}: PUE is facility energy / IT energy and at least 1, got {}", where, *s.pue));
  if (s.carbon_intensity && !(*s.carbon_intensity >= 0))
    throw InputError(fmt::format("{}: carbon intensity must be >= 0, got {}", where, *s.carbon_intensity));
  if (s.carbon_intensity && *s.carbon_intensity > 2)
    throw InputError(fmt::format("{}: carbon intensity {} kg CO2e/kWh is implausible; a value in g/kWh? "
                                 "(381 g/kWh is 0.381)", where, *s.carbon_intensity));
  if (s.carbon_intensity && !s.region.empty())
    throw InputError(where + ": give a carbon intensity or a region, not both");
  if (!s.region.empty() && !find_region(s.region)) {
    std::string codes;
    for (const RegionIntensity& r : region_intensities()) codes += std::string(" ") + r.code;
    throw InputError(fmt::format("{}: no bundled carbon intensity for region '{}'; bundled:{}; "
                                 "otherwise give the intensity itself", where, s.region, codes));
  }
}

Source read_site_file(const std::string& path) {
  Source s;
  s.where = path;
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    throw InputError(path + ": " + e.what());
  }
  if (root.IsNull()) return s;
  if (!root.IsMap()) throw InputError(path + ": expected keys pue, carbon_intensity and/or region");
  const std::vector<std::string> keys = {"pue", "carbon_intensity", "region"};
  for (const auto& item : root) {
    std::string key = item.first.as<std::string>();
    try {
      if (key == "pue") {
        s.pue = item.second.as<double>();
      } else if (key == "carbon_intensity") {
        s.carbon_intensity = item.second.as<double>();
      } else if (key == "region") {
        s.region = item.second.as<std::string>();
      } else {
        std::string hint = nearest_word(key, keys);
        throw InputError(fmt::format("{}: unknown key '{}'{}; expected pue, carbon_intensity or region", path,
                                     key, hint.empty() ? "" : " (did you mean " + hint + "?)"));
      }
    } catch (const YAML::Exception&) {
      throw InputError(fmt::format("{}: {}: expected {}", path, key, key == "region" ? "a code" : "a number"));
    }
  }
  return s;
}

}  // namespace

std::vector<SiteFile> site_files() {
  std::vector<SiteFile> files;
  const char* named = std::getenv(kSiteFileVariable);
  if (named != nullptr && *named != '\0') files.push_back({named, true});
  files.push_back({kSystemSiteFile, false});
  return files;
}

SiteConfig resolve_site(const SiteOverrides& command_line, const std::vector<SiteFile>& files) {
  std::vector<Source> sources(1);
  sources[0].pue = command_line.pue;
  sources[0].carbon_intensity = command_line.carbon_intensity;
  sources[0].region = command_line.region;
  for (const SiteFile& file : files) {
    if (path_exists(file.path))
      sources.push_back(read_site_file(file.path));
    else if (file.required)
      throw InputError(fmt::format("{}: no such site file (named by ${})", file.path, kSiteFileVariable));
  }

  std::optional<SiteValue> pue, intensity;
  for (const Source& s : sources) {
    check(s);
    if (!pue && s.pue) pue = SiteValue{*s.pue, s.label("pue", "--pue")};
    if (!intensity && s.carbon_intensity)
      intensity = SiteValue{*s.carbon_intensity, s.label("carbon_intensity", "--carbon-intensity")};
    if (!intensity && !s.region.empty()) {
      RegionIntensity region = *find_region(s.region);
      intensity = SiteValue{region.kg_per_kwh,
                            fmt::format("{} {}: {}", s.label("region", "--region"), region.code, describe_region(region))};
    }
  }
  return {pue.value_or(SiteValue{kDefaultPue, kDefaultPueSource}),
          intensity.value_or(SiteValue{kWorldIntensity, kDefaultIntensitySource})};
}

double co2_kg(double kwh, const SiteConfig& site) { return kwh * site.pue.value * site.carbon_intensity.value; }

}  // namespace rs::energy
