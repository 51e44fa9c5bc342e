// The pieces `sweep energy` and `sweep collect` share: totals, their cells and JSON, the lines
// that echo the site factors.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "energy/energy_format.h"
#include "energy/energy_totals.h"
#include "energy_runs.h"

using rs::energy::testing::energy_run;

namespace {

const rs::energy::SiteConfig kSite{{1.25, "--pue"}, {0.4, "site file x: carbon_intensity"}};

}  // namespace

TEST_CASE("kWh read with three decimals, or three significant digits below 0.1") {
  using rs::energy::kwh_text;
  CHECK(kwh_text(0) == "0.000");
  CHECK(kwh_text(2.1) == "2.100");
  CHECK(kwh_text(1234.5678) == "1234.568");
  CHECK(kwh_text(0.35) == "0.350");
  CHECK(kwh_text(0.0999) == "0.0999");
  CHECK(kwh_text(0.00538889) == "0.00539");
  CHECK(kwh_text(1400 / 3.6e6) == "0.000389");
}

TEST_CASE("the totals of groups added up are the totals of all their runs") {
  std::vector<rs::runfile::RunRecord> runs = {energy_run("a", "nvml-counter", 1000, 100, "NVIDIA H100 PCIe", 10),
                                              energy_run("b", "none", 0, 0, "NVIDIA H100 PCIe", 30),
                                              energy_run("c", "none", 0, 0, "", 5)};
  rs::energy::EnergyTotals all, first, rest;
  for (const auto& run : runs) rs::energy::add_run(&all, rs::energy::run_energy(run));
  rs::energy::add_run(&first, rs::energy::run_energy(runs[0]));
  for (size_t r = 1; r < runs.size(); ++r) rs::energy::add_run(&rest, rs::energy::run_energy(runs[r]));
  rs::energy::EnergyTotals sum;
  rs::energy::add_totals(&sum, first);
  rs::energy::add_totals(&sum, rest);

  CHECK(sum.runs == 3);
  CHECK(sum.kwh() == all.kwh());
  CHECK(sum.estimated_j == all.estimated_j);
  CHECK(sum.gpu_hours == all.gpu_hours);
  CHECK(sum.runs_by("estimate") == 1);
  CHECK(sum.runs_by("none") == 1);
  CHECK(sum.runs_by("rapl") == 0);
  CHECK(rs::energy::totals_json(sum, kSite) == rs::energy::totals_json(all, kSite));
}

TEST_CASE("cells and JSON compute CO2 from the factors, which the site lines echo with sources") {
  rs::energy::EnergyTotals totals;
  rs::energy::add_run(&totals, rs::energy::run_energy(energy_run("a", "nvml-counter", 7.2e6, 3.6e5, "", 10)));
  std::vector<std::string> cells = rs::energy::energy_cells(totals, kSite);
  REQUIRE(cells.size() == rs::energy::energy_columns().headers.size());
  CHECK(cells[4] == "2.100");  // kWh
  CHECK(cells[5] == "1.050");  // 2.1 x 1.25 x 0.4
  nlohmann::json json = rs::energy::totals_json(totals, kSite);
  CHECK(json["co2_kg"] == json["kwh"].get<double>() * 1.25 * 0.4);
  CHECK(rs::energy::site_json(kSite)["carbon_intensity_kg_per_kwh"]["source"] == "site file x: carbon_intensity");
  CHECK(rs::energy::site_lines(kSite) ==
        std::vector<std::string>{"PUE 1.25; source: --pue",
                                 "carbon intensity 0.4 kg CO2e/kWh; source: site file x: carbon_intensity"});
}
