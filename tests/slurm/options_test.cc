// SLURM option validation: every value that reaches an #SBATCH line is checked.
#include <catch2/catch.hpp>

#include "slurm/options.h"
#include "util/error.h"

using rs::slurm::SlurmOptions;
using rs::slurm::set_slurm_option;

TEST_CASE("time limits in every SLURM format") {
  SlurmOptions o;
  for (const char* ok : {"90", "90:30", "04:00:00", "2-12", "2-12:30", "2-12:30:15", "UNLIMITED"}) {
    INFO(ok);
    REQUIRE_NOTHROW(set_slurm_option(o, "time", ok));
  }
  for (const char* bad : {"4h", "", "1:2:3:4", "-1", "04:00:00;id"}) {
    INFO(bad);
    REQUIRE_THROWS_AS(set_slurm_option(o, "time", bad), rs::InputError);
  }
  REQUIRE(rs::slurm::time_limit_seconds("90") == 5400);
  REQUIRE(rs::slurm::time_limit_seconds("90:30") == 5430);
  REQUIRE(rs::slurm::time_limit_seconds("04:00:00") == 14400);
  REQUIRE(rs::slurm::time_limit_seconds("2-12") == 216000);
  REQUIRE(rs::slurm::time_limit_seconds("1-00:00:10") == 86410);
  REQUIRE(rs::slurm::time_limit_seconds("") == -1);
}

TEST_CASE("memory sizes") {
  SlurmOptions o;
  for (const char* ok : {"32G", "4000M", "8000", "1T"}) REQUIRE_NOTHROW(set_slurm_option(o, "mem", ok));
  for (const char* bad : {"32GB", "G", "3.5G", "32 G"}) REQUIRE_THROWS_AS(set_slurm_option(o, "mem", bad), rs::InputError);
}

TEST_CASE("injection attempts are rejected in every text field") {
  const char* attacks[] = {"x$(id)", "x`id`", "x;id", "x'y", "x\"y", "x\ny", "x y", "x&&id", "x|id>f"};
  for (const char* key : {"partition", "account", "qos", "constraint", "time", "mem", "extra"}) {
    for (const char* attack : attacks) {
      SlurmOptions o;
      INFO(key << " = " << attack);
      if (std::string(key) == "constraint" && (std::string(attack) == "x&&id")) continue;  // & is a feature AND
      REQUIRE_THROWS_AS(set_slurm_option(o, key, attack), rs::InputError);
    }
  }
}

TEST_CASE("extra takes single long options and never ones ReproSweep sets") {
  SlurmOptions o;
  set_slurm_option(o, "extra", "--mail-type=FAIL");
  set_slurm_option(o, "extra", "--exclusive");
  REQUIRE(o.extra.size() == 2);
  for (const char* bad : {"--wrap=id", "--array=0-5", "--output=/tmp/x", "--dependency=afterok:1", "-p gpu",
                          "--mail-type=FAIL --wrap=id", "mail-type=FAIL"})
    REQUIRE_THROWS_AS(set_slurm_option(o, "extra", bad), rs::InputError);
}

TEST_CASE("integers are range-checked") {
  SlurmOptions o;
  set_slurm_option(o, "gpus_per_task", "0");
  REQUIRE(o.gpus_per_task == 0);
  set_slurm_option(o, "max_array_size", "4000001");
  REQUIRE(o.max_array_size == 4000001);
  REQUIRE_THROWS_AS(set_slurm_option(o, "cpus_per_task", "0"), rs::InputError);
  REQUIRE_THROWS_AS(set_slurm_option(o, "max_array_size", "4000002"), rs::InputError);
  REQUIRE_THROWS_AS(set_slurm_option(o, "max_parallel", "-5"), rs::InputError);
  REQUIRE_THROWS_AS(set_slurm_option(o, "gpus", "1"), rs::InputError);
}
