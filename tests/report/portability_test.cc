#include "report/portability.h"

#include <cmath>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "run_files.h"
#include "temp_dir.h"

using rs::report::EvaluatedRun;
using rs::report::measure_portability;
using rs::report::Portability;
using rs::report::testing::test_record;
using rs::report::testing::written_run;

namespace {

// A D run file of `environment` with two test samples, both of class 1.
EvaluatedRun d_run(const rs::testing::TempDir& dir, const std::string& run_id, const std::string& environment,
                   int64_t seed, std::vector<float> weights, std::vector<float> logits = {0.1f, 0.9f, 0.2f, 0.8f}) {
  rs::runfile::RunRecord record = test_record(run_id);
  record.mode = "d";
  record.params_json = nlohmann::json{{"environment", environment}}.dump();
  record.seeds = {seed, seed, -1, -1, -1};
  record.n_test = 2;
  record.n_classes = 2;
  record.labels = {1, 1};
  record.logits = std::move(logits);
  record.weights_flat = std::move(weights);
  return written_run(dir.path(), record);
}

}  // namespace

TEST_CASE("D runs with equal seeds in two environments: identical, or how far apart", "[portability]") {
  rs::testing::TempDir dir;
  // Seed 1: the two builds agree bit for bit. Seed 2: the debian run's weights are off by
  // (0, 0.03, 0.04): ||dw|| = 0.05 against norms 5 (3, 4, 0) and ~5.04; its second prediction
  // flips. Seed 3 ran in one environment only: no pair.
  std::vector<EvaluatedRun> runs = {
      d_run(dir, "w1", "wheel", 1, {3.0f, 4.0f, 0.0f}), d_run(dir, "d1", "debian", 1, {3.0f, 4.0f, 0.0f}),
      d_run(dir, "w2", "wheel", 2, {3.0f, 4.0f, 0.0f}),
      d_run(dir, "d2", "debian", 2, {3.0f, 4.03f, 0.04f}, {0.1f, 0.9f, 0.8f, 0.2f}),
      d_run(dir, "w3", "wheel", 3, {1.0f, 1.0f, 1.0f})};
  Portability portability = measure_portability(runs);
  REQUIRE(portability.pairs.size() == 2);
  CHECK(portability.identical == false);
  CHECK(portability.notes.empty());
  const auto& same = portability.pairs[0];
  CHECK(same.environment_a.name == "debian");  // sorted: "debian" < "wheel"
  CHECK(same.environment_b.name == "wheel");
  CHECK(same.run_a == "d1");
  CHECK(same.seeds[rs::contract::NoiseSource::kInit] == 1);
  CHECK(same.weights_identical);
  CHECK(same.logits_identical);
  CHECK(*same.rel_l2_weights == 0.0);
  CHECK(same.disagreement_pct == 0.0);
  const auto& apart = portability.pairs[1];
  CHECK(apart.run_a == "d2");
  CHECK(apart.run_b == "w2");
  CHECK_FALSE(apart.weights_identical);
  CHECK_FALSE(apart.logits_identical);
  const double dw = std::hypot(double{4.03f} - 4.0, double{0.04f});
  const double norm = std::sqrt(9.0 + double{4.03f} * double{4.03f} + double{0.04f} * double{0.04f});
  CHECK(*apart.rel_l2_weights == Approx(dw / norm).epsilon(1e-12));
  CHECK(apart.disagreement_pct == 50.0);

  // Only the identical pair: identical; no pairs: nullopt, with a note only when the D runs did
  // run in several environments.
  CHECK(measure_portability({runs[0], runs[1]}).identical == true);
  Portability none = measure_portability({runs[0], runs[4]});
  CHECK_FALSE(none.identical.has_value());
  CHECK(none.notes.empty());
  none = measure_portability({runs[1], runs[4]});
  CHECK_FALSE(none.identical.has_value());
  REQUIRE(none.notes.size() == 1);
  CHECK(none.notes[0].rfind("portability: none", 0) == 0);
}
