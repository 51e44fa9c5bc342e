#include "report/environments.h"

#include <cmath>

#include <catch2/catch.hpp>

using rs::report::environment_label;
using rs::report::environment_of;
using rs::report::EnvironmentAxis;
using rs::report::EvaluatedRun;
using rs::report::measure_environments;

namespace {

// measure_environments reads the run id, /env and the accuracy.
EvaluatedRun run(const std::string& run_id, const std::string& gpu, double accuracy) {
  EvaluatedRun run;
  run.record.run_id = run_id;
  run.record.env.cpu_model = "Xeon";
  run.record.env.gpu_name = gpu;
  run.record.env.cuda_version = gpu.empty() ? "" : "12.2";
  run.accuracy = accuracy;
  return run;
}

}  // namespace

TEST_CASE("an environment is the GPU model, or the CPU model without one", "[environments]") {
  rs::runfile::EnvInfo env;
  env.cpu_model = "Xeon";
  CHECK(environment_label(environment_of(env)) == "Xeon");
  env.gpu_name = "Tesla T4";
  env.driver_version = "535.1";
  env.cuda_version = "12.2";
  env.cudnn_version = "8902";
  env.torch_version = "2.1.0";
  env.hostname = "node7";  // not part of the environment
  CHECK(environment_label(environment_of(env)) ==
        "Tesla T4, driver 535.1, CUDA 12.2, cuDNN 8902, torch 2.1.0");
  CHECK(environment_label({}) == "unknown");
}

TEST_CASE("runs split by environment, each summarised", "[environments]") {
  EnvironmentAxis axis = measure_environments({run("a", "V100", 0.90), run("b", "A100", 0.80),
                                               run("c", "V100", 0.94), run("d", "A100", 0.84),
                                               run("e", "", 0.70)});
  REQUIRE(axis.environments.size() == 3);
  // Sorted by device: "A100" < "V100" < "Xeon" (the CPU run).
  CHECK(axis.environments[0].environment.device == "A100");
  CHECK(axis.environments[0].run_ids == std::vector<std::string>{"b", "d"});
  CHECK(*axis.environments[0].mean == Approx(0.82).epsilon(1e-14));
  CHECK(*axis.environments[0].sd == Approx(std::sqrt(0.0008)).epsilon(1e-12));
  CHECK(*axis.environments[0].min == 0.80);
  CHECK(*axis.environments[0].max == 0.84);
  CHECK(axis.environments[1].environment.device == "V100");
  CHECK(*axis.environments[1].mean == Approx(0.92).epsilon(1e-14));
  CHECK(axis.environments[2].environment.device == "Xeon");
  CHECK_FALSE(axis.environments[2].sd.has_value());
  // Means 0.82, 0.92 and 0.70.
  CHECK(*axis.range == Approx(0.22).epsilon(1e-13));
  REQUIRE(axis.notes.size() == 1);
  CHECK(axis.notes[0].rfind("environments: sd null", 0) == 0);
}

TEST_CASE("one environment has no range", "[environments]") {
  EnvironmentAxis axis = measure_environments({run("a", "T4", 0.9), run("b", "T4", 0.8)});
  REQUIRE(axis.environments.size() == 1);
  CHECK_FALSE(axis.range.has_value());
  REQUIRE(axis.notes.size() == 1);
  CHECK(axis.notes[0].rfind("env_range, env_range_runs: null", 0) == 0);
  CHECK(measure_environments({}).environments.empty());
}

TEST_CASE("a named environment comes first in its label and in the order", "[environments]") {
  rs::runfile::EnvInfo env;
  env.cpu_model = "Xeon";
  env.torch_version = "1.13.0";
  CHECK(environment_label(environment_of(env, "debian-1t")) == "debian-1t: Xeon, torch 1.13.0");
  EvaluatedRun a = run("a", "", 0.90), b = run("b", "", 0.80), c = run("c", "", 0.70);
  a.environment = "wheel";
  b.environment = "debian";
  c.environment = "debian";
  c.record.env.torch_version = "1.13.0";  // the same name, another fingerprint: two environments
  EnvironmentAxis axis = measure_environments({a, b, c});
  REQUIRE(axis.environments.size() == 3);
  CHECK(axis.environments[0].environment.name == "debian");
  CHECK(axis.environments[0].run_ids == std::vector<std::string>{"b"});
  CHECK(axis.environments[1].run_ids == std::vector<std::string>{"c"});
  CHECK(axis.environments[2].environment.name == "wheel");
  CHECK(*axis.range_runs == Approx(0.2).epsilon(1e-13));
}
