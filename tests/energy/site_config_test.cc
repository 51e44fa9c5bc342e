// Where PUE and carbon intensity come from, and the bundled tables behind --region and the
// estimates.
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "energy/carbon_table.h"
#include "energy/gpu_tdp.h"
#include "energy/site_config.h"
#include "temp_dir.h"
#include "util/error.h"

namespace {

using rs::energy::resolve_site;
using rs::energy::SiteConfig;
using rs::energy::SiteFile;
using rs::energy::SiteOverrides;

std::string write_file(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

}  // namespace

TEST_CASE("without any setting, the defaults are used and say so") {
  rs::testing::TempDir dir;
  SiteConfig site = resolve_site({}, {{dir.path() + "/absent.yaml", false}});
  REQUIRE(site.pue.value == 1.0);
  REQUIRE(site.carbon_intensity.value == 0.475);
  REQUIRE(starts_with(site.pue.source, "default"));
  REQUIRE(starts_with(site.carbon_intensity.source, "default: world average"));
}

TEST_CASE("each factor comes from the first source that sets it") {
  rs::testing::TempDir dir;
  std::string user_file = write_file(dir.path() + "/user.yaml", "pue: 1.4\n");
  std::string system_file = write_file(dir.path() + "/site.yaml", "pue: 1.2\ncarbon_intensity: 0.3\n");
  const std::vector<SiteFile> files = {{user_file, true}, {system_file, false}};

  SiteConfig from_files = resolve_site({}, files);
  REQUIRE(from_files.pue.value == 1.4);
  REQUIRE(from_files.pue.source == user_file + ": pue");
  REQUIRE(from_files.carbon_intensity.value == 0.3);
  REQUIRE(from_files.carbon_intensity.source == system_file + ": carbon_intensity");

  SiteOverrides command_line;
  command_line.pue = 1.1;
  command_line.carbon_intensity = 0.2;
  SiteConfig overridden = resolve_site(command_line, files);
  REQUIRE(overridden.pue.value == 1.1);
  REQUIRE(overridden.pue.source == "--pue");
  REQUIRE(overridden.carbon_intensity.value == 0.2);
  REQUIRE(overridden.carbon_intensity.source == "--carbon-intensity");
}

TEST_CASE("a region takes its intensity from the bundled table, with the table's source") {
  rs::testing::TempDir dir;
  SiteOverrides command_line;
  command_line.region = "de";
  SiteConfig site = resolve_site(command_line, {});
  REQUIRE(site.carbon_intensity.value == 0.381);
  REQUIRE(site.carbon_intensity.source ==
          "--region DE: Germany 2023 (Our World in Data: Ember, Energy Institute)");

  std::string file = write_file(dir.path() + "/site.yaml", "region: FR\npue: 1.5\n");
  SiteConfig from_file = resolve_site({}, {{file, true}});
  REQUIRE(from_file.carbon_intensity.value == 0.056);
  REQUIRE(starts_with(from_file.carbon_intensity.source, file + ": region FR: France 2023"));
}

TEST_CASE("site settings that cannot be right are refused") {
  rs::testing::TempDir dir;
  auto refused = [&](const std::string& yaml) {
    std::string file = write_file(dir.path() + "/bad.yaml", yaml);
    REQUIRE_THROWS_AS(resolve_site({}, {{file, true}}), rs::InputError);
  };
  refused("pue: 0.9\n");
  refused("carbon_intensity: 381\n");  // g/kWh
  refused("carbon_intensity: 0.3\nregion: DE\n");
  refused("region: XX\n");
  refused("pue: high\n");
  refused("carbon: 0.3\n");
  refused("- pue\n");
  REQUIRE_THROWS_AS(resolve_site({}, {{dir.path() + "/absent.yaml", true}}), rs::InputError);
  SiteOverrides both;
  both.carbon_intensity = 0.3;
  both.region = "DE";
  REQUIRE_THROWS_AS(resolve_site(both, {}), rs::InputError);
}

TEST_CASE("an unknown site file key gets a suggestion") {
  rs::testing::TempDir dir;
  std::string file = write_file(dir.path() + "/site.yaml", "carbon_intensty: 0.3\n");
  REQUIRE_THROWS_WITH(resolve_site({}, {{file, true}}), Catch::Contains("did you mean carbon_intensity?"));
}

TEST_CASE("CO2 is kWh x PUE x intensity") {
  SiteConfig site{{1.3, "--pue"}, {0.381, "--carbon-intensity"}};
  REQUIRE(rs::energy::co2_kg(275.22, site) == 275.22 * 1.3 * 0.381);
}

TEST_CASE("the region table is keyed by country code, any case") {
  REQUIRE(rs::energy::find_region("fr")->kg_per_kwh == 0.056);
  REQUIRE(std::string(rs::energy::find_region("IN")->country) == "India");
  REQUIRE_FALSE(rs::energy::find_region("US"));  // not in the table: no value to justify
  std::string previous;
  for (const rs::energy::RegionIntensity& region : rs::energy::region_intensities()) {
    REQUIRE(region.code > previous);
    REQUIRE(region.year == 2023);
    REQUIRE(region.kg_per_kwh > 0);
    REQUIRE(region.kg_per_kwh < 1);
    previous = region.code;
  }
}

TEST_CASE("GPU names as NVML reports them find their TDP, whole words only") {
  auto watts = [](const std::string& name) { return rs::energy::find_gpu_tdp(name)->watts; };
  REQUIRE(watts("NVIDIA H100 80GB HBM3") == 700);
  REQUIRE(watts("NVIDIA H100 PCIe") == 350);
  REQUIRE(watts("NVIDIA H100 NVL") == 400);
  REQUIRE(watts("NVIDIA A100-SXM4-80GB") == 400);
  REQUIRE(watts("NVIDIA A100-PCIE-40GB") == 250);
  REQUIRE(watts("NVIDIA A100 80GB PCIe") == 300);
  REQUIRE(watts("NVIDIA A10") == 150);
  REQUIRE(watts("NVIDIA L4") == 72);
  REQUIRE(watts("NVIDIA L40S") == 350);
  REQUIRE(watts("Tesla V100-SXM2-16GB") == 300);
  REQUIRE(watts("Tesla V100S-PCIE-32GB") == 250);
  REQUIRE(watts("tesla t4") == 70);
  REQUIRE_FALSE(rs::energy::find_gpu_tdp("NVIDIA GeForce RTX 4090"));
  REQUIRE_FALSE(rs::energy::find_gpu_tdp("NVIDIA GH200 480GB"));
  REQUIRE_FALSE(rs::energy::find_gpu_tdp(""));
}
