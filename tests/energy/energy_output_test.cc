// The report's tables and JSON carry the site factors, keep estimates apart and compute CO2
// from the factors they print.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "energy/energy_output.h"
#include "energy_runs.h"

using rs::energy::testing::energy_run;

namespace {

struct Fixture {
  std::vector<rs::runfile::RunRecord> runs = {energy_run("a", "nvml-counter", 7.2e6, 3.6e5, "NVIDIA H100 PCIe", 10),
                                              energy_run("b", "none", 0, 0, "NVIDIA H100 PCIe", 3600)};
  rs::energy::EnergyReport report = rs::energy::summarize(runs, rs::energy::GroupBy::kSweep);
  rs::energy::SiteConfig site{{1.25, "--pue"}, {0.4, "site file x: carbon_intensity"}};
  rs::energy::SlurmCheck check;
  rs::energy::ScannedRuns scanned;
};

}  // namespace

TEST_CASE("JSON rows hold energy, CO2 from the echoed factors, estimates and the method mix") {
  Fixture f;
  f.check.summary = "SLURM cross-check skipped: sacct not found";
  nlohmann::json json = rs::energy::energy_json(f.report, f.site, f.check, f.scanned);
  REQUIRE(json["pue"]["value"] == 1.25);
  REQUIRE(json["pue"]["source"] == "--pue");
  REQUIRE(json["carbon_intensity_kg_per_kwh"]["source"] == "site file x: carbon_intensity");
  const nlohmann::json& row = json["groups"][0];
  REQUIRE(row["key"] == "sweep-a");
  REQUIRE(row["runs"] == 2);
  REQUIRE(row["gpu_j"] == 7.2e6);
  REQUIRE(row["cpu_j"] == 3.6e5);
  REQUIRE(row["kwh"] == 7.56e6 / 3.6e6);
  REQUIRE(row["co2_kg"] == row["kwh"].get<double>() * 1.25 * 0.4);
  REQUIRE(row["estimated_j"] == 350.0 * 3600);
  REQUIRE(row["estimated_co2_kg"] == row["estimated_kwh"].get<double>() * 1.25 * 0.4);
  REQUIRE(row["gpu_hours"] == Approx(3610 / 3600.0));
  REQUIRE(row["methods"]["estimate"]["runs"] == 1);
  REQUIRE(row["methods"]["nvml-counter"]["joules"] == 7.56e6);
  REQUIRE(json["total"]["key"] == "all");
  REQUIRE(json["slurm"]["done"] == false);
  REQUIRE(json["slurm"]["summary"] == "SLURM cross-check skipped: sacct not found");
}

TEST_CASE("the table has a row per group and one for all; the notes name the factors' sources") {
  Fixture f;
  rs::Table table = rs::energy::energy_table(f.report, f.site);
  REQUIRE(table.rows.size() == 2);
  REQUIRE(table.rows[1][0] == "all");
  REQUIRE(table.rows[0][5] == "2.100");  // kWh measured: 7.56e6 J
  REQUIRE(table.rows[0][7] == "0.350");  // est. kWh: 350 W for an hour
  REQUIRE(table.rows[0][9] == "estimate 1 (0.350 kWh), nvml-counter 1 (2.100 kWh)");

  f.check.summary = "SLURM cross-check skipped: sacct not found";
  std::vector<std::string> notes = rs::energy::energy_notes(f.report, f.site, f.check, f.scanned);
  REQUIRE(notes[0] == "PUE 1.25; source: --pue");
  REQUIRE(notes[1] == "carbon intensity 0.4 kg CO2e/kWh; source: site file x: carbon_intensity");
  REQUIRE(notes.back() == "SLURM cross-check skipped: sacct not found");
}
