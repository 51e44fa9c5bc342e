// RAPL counters read from a made-up powercap folder.
#include <stdlib.h>

#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "energy/energy_meter.h"
#include "energy/rapl.h"
#include "util/files.h"
#include "temp_dir.h"

namespace {

void write(const std::string& path, const std::string& text) {
  std::ofstream file(path);
  file << text << "\n";
}

// A zone as Linux shows it: name, energy_uj, max_energy_range_uj.
void make_zone(const std::string& powercap, const std::string& zone, const std::string& name,
               uint64_t energy_uj, uint64_t range_uj) {
  std::string dir = powercap + "/" + zone;
  rs::make_dirs(dir);
  write(dir + "/name", name);
  write(dir + "/energy_uj", std::to_string(energy_uj));
  write(dir + "/max_energy_range_uj", std::to_string(range_uj));
}

void set_energy(const std::string& powercap, const std::string& zone, uint64_t energy_uj) {
  write(powercap + "/" + zone + "/energy_uj", std::to_string(energy_uj));
}

}  // namespace

TEST_CASE("RAPL sums the package zones and follows a counter through its wrap") {
  rs::testing::TempDir powercap;
  make_zone(powercap.path(), "intel-rapl:0", "package-0", 1000, 10000);
  make_zone(powercap.path(), "intel-rapl:0:0", "core", 500, 10000);  // inside package 0
  make_zone(powercap.path(), "intel-rapl:1", "psys", 800, 10000);    // overlaps the packages
  make_zone(powercap.path(), "intel-rapl:2", "package-1", 500, 10000);

  rs::energy::RaplCounter rapl(powercap.path());
  REQUIRE(rapl.available());
  REQUIRE(rapl.joules() == 0);

  set_energy(powercap.path(), "intel-rapl:0", 4000);
  set_energy(powercap.path(), "intel-rapl:0:0", 9000);
  set_energy(powercap.path(), "intel-rapl:1", 9000);
  set_energy(powercap.path(), "intel-rapl:2", 700);
  rapl.update();
  REQUIRE(rapl.joules() == Approx(3200e-6));

  set_energy(powercap.path(), "intel-rapl:0", 1000);  // wrapped: 6000 to the top, then 1000
  rapl.update();
  REQUIRE(rapl.joules() == Approx(10200e-6));
}

TEST_CASE("RAPL without zones is unavailable and says why") {
  rs::testing::TempDir powercap;
  rs::energy::RaplCounter rapl(powercap.path());
  REQUIRE_FALSE(rapl.available());
  REQUIRE(rapl.why_not() == "no RAPL package zones in " + powercap.path());
}

TEST_CASE("a run without a GPU reports RAPL's CPU energy with method rapl") {
  rs::testing::TempDir powercap;
  make_zone(powercap.path(), "intel-rapl:0", "package-0", 1000, 100000000);
  rs::energy::EnergyMeter meter("", powercap.path());
  meter.start();
  set_energy(powercap.path(), "intel-rapl:0", 3001000);
  double epoch = meter.epoch_mark();
  rs::energy::EnergyResult r = meter.stop();
  REQUIRE(epoch == Approx(3.0));
  REQUIRE(r.method == "rapl");
  REQUIRE(r.cpu_j == Approx(3.0));
  REQUIRE(r.gpu_j == 0);
  REQUIRE(r.note == "no GPU");
}
