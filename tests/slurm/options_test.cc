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

TEST_CASE("extra is matched as sbatch matches options: prefixes, --no- forms, one-letter options") {
  // Options of sbatch (22.05) that no ReproSweep line sets, some of them beginning like one that
  // does (--mem-per-cpu, --time-min, --gres-flags, --ntasks-per-node).
  for (const char* ok : {"--mail-type=FAIL", "--mail-user=me@example.org", "--exclusive", "--nodes=1",
                         "--mem-per-cpu=2G", "--time-min=10", "--no-kill", "--gres-flags=enforce-binding",
                         "--ntasks-per-node=1", "--comment=x", "--nice=10", "--reservation=r1", "--begin=now+60"}) {
    SlurmOptions o;
    INFO(ok);
    REQUIRE_NOTHROW(set_slurm_option(o, "extra", ok));
  }
  // Each names (sbatch would read it as) an option the scripts, a slurm key or `sweep submit` own.
  const std::pair<const char*, const char*> refused[] = {
      {"--sig=B:USR1@5", "--sig (sbatch reads it as --signal)"},
      {"--signal=B:USR1@5", "--signal is set by slurm.signal_lead"},
      {"--no-requeue", "--no-requeue is set by"},
      {"--no-req", "sbatch reads it as --no-requeue"},
      {"--no-", "--no- (sbatch reads it as"},
      {"--outp=/tmp/x", "--outp (sbatch reads it as --output)"},
      {"--arr=0-5", "--arr (sbatch reads it as --array)"},
      {"--depend=afterok:1", "--depend (sbatch reads it as --dependency)"},
      {"--open=truncate", "--open (sbatch reads it as --open-mode)"},
      {"--requ", "--requ (sbatch reads it as --requeue)"},
      {"--err=/tmp/e", "--err (sbatch reads it as --error)"},
      {"--job=x", "--job (sbatch reads it as --job-name)"},
      {"--ch=/tmp", "--ch (sbatch reads it as --chdir)"},
      {"--par", "--par (sbatch reads it as --parsable)"},
      {"--test", "--test (sbatch reads it as --test-only)"},
      {"--wait", "--wait is set by sweep submit"},
      {"--time=10", "slurm.time"},
      {"--partition=x", "slurm.partition"},
      {"--cpus=4", "slurm.cpus_per_task"},
      {"--gres=gpu:8", "slurm.gpus_per_task"},
      {"--mem=1T", "slurm.mem"},
      {"-o/tmp/x", "-o is sbatch's --output"},
      {"-a0-3", "-a is sbatch's --array"},
      {"-J", "-J is sbatch's --job-name"},
      {"-d", "-d is sbatch's --dependency"},
      {"-Ho/tmp/x", "as a long option"},
      {"-N2", "as a long option"}};
  for (const auto& [item, message] : refused) {
    SlurmOptions o;
    INFO(item);
    REQUIRE_THROWS_WITH(set_slurm_option(o, "extra", item), Catch::Matchers::Contains(message));
    REQUIRE(o.extra.empty());
  }
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

TEST_CASE("the signal lead and the requeue cap; a time limit shorter than three leads is refused") {
  SlurmOptions o;
  REQUIRE(o.signal_lead == 120);
  REQUIRE(o.max_requeues == 3);
  set_slurm_option(o, "signal_lead", "300");
  set_slurm_option(o, "max_requeues", "0");
  REQUIRE(o.signal_lead == 300);
  REQUIRE(o.max_requeues == 0);
  REQUIRE_THROWS_AS(set_slurm_option(o, "signal_lead", "0"), rs::InputError);
  REQUIRE_THROWS_AS(set_slurm_option(o, "signal_lead", "65536"), rs::InputError);
  REQUIRE_THROWS_AS(set_slurm_option(o, "max_requeues", "-1"), rs::InputError);
  // "2" is two minutes: the review's case, a warning due before the task starts.
  REQUIRE_THROWS_WITH(rs::slurm::check_time_covers_signal_lead("2", 120),
                      Catch::Matchers::Contains("slurm.time: \"2\" (120 s) is shorter than three signal leads"));
  REQUIRE_THROWS_AS(rs::slurm::check_time_covers_signal_lead("00:05:59", 120), rs::InputError);
  REQUIRE_NOTHROW(rs::slurm::check_time_covers_signal_lead("6", 120));
  REQUIRE_NOTHROW(rs::slurm::check_time_covers_signal_lead("2", 40));
  REQUIRE_NOTHROW(rs::slurm::check_time_covers_signal_lead("", 120));
  REQUIRE_NOTHROW(rs::slurm::check_time_covers_signal_lead("UNLIMITED", 120));
}
