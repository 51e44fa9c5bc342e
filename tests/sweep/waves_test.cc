// Adaptive replicas in waves (waves.h): the rule's statistic, the decision per point from where
// its runs stand, and the rounds the follow-up job builds from it (follow_up.h).
#include <catch2/catch.hpp>

#include "sweep/follow_up.h"
#include "sweep/waves.h"

namespace rs::sweep {
namespace {

// One adaptive point, replicas 0..5 (min 2, step 2, max 6), then one fixed run (index 6).
contract::AdaptivePoint point_of_six(double halfwidth_pp) { return {0, {2, 6, 2, halfwidth_pp}}; }

std::vector<RunOutcome> outcomes(const std::vector<RunStanding>& standings, const std::vector<double>& accuracies) {
  std::vector<RunOutcome> out;
  for (size_t r = 0; r < standings.size(); ++r) {
    out.push_back({standings[r], std::nullopt});
    if (standings[r] == RunStanding::kDone) out.back().accuracy = accuracies.at(r);
  }
  return out;
}

const auto kNot = RunStanding::kNotAsked, kBusy = RunStanding::kBusy, kDone = RunStanding::kDone,
           kFailed = RunStanding::kFailed;

std::vector<bool> allowed(const contract::AdaptivePoint& point, const std::vector<RunOutcome>& runs) {
  return runs_waves_allow({point}, runs, decide_waves({point}, runs));
}

}  // namespace

TEST_CASE("the rule: chi-square interval of the accuracy SD in percentage points, as `sweep power`") {
  // 90, 91 and 92 %: SD 1 pp; half-width from scipy.stats.chi2 (tests/report/check_power.py's
  // formula): 2.8820382148932824.
  const StoppingCheck wide = check_stopping_rule({2, 6, 1, 2.88}, {0.90, 0.91, 0.92});
  CHECK(wide.runs == 3);
  CHECK(*wide.acc_sd_pp == Approx(1.0));
  CHECK(*wide.halfwidth_pp == Approx(2.8820382148932824).epsilon(1e-9));
  CHECK_FALSE(wide.met);
  CHECK(check_stopping_rule({2, 6, 1, 2.89}, {0.90, 0.91, 0.92}).met);
  const StoppingCheck one = check_stopping_rule({2, 6, 1, 1.0}, {0.9});
  CHECK_FALSE(one.halfwidth_pp);
  CHECK_FALSE(one.met);
}

TEST_CASE("waves end at min, min + step, ..., max") {
  const contract::AdaptiveRepeat rule{5, 17, 5, 0.1};
  CHECK(wave_end(rule, 0) == 5);
  CHECK(wave_end(rule, 5) == 5);
  CHECK(wave_end(rule, 6) == 10);
  CHECK(wave_end(rule, 15) == 15);
  CHECK(wave_end(rule, 16) == 17);
}

TEST_CASE("the first wave asks for min replicas and the fixed run after the point is not held back") {
  const auto runs = outcomes({kNot, kNot, kNot, kNot, kNot, kNot, kNot}, {});
  const auto waves = decide_waves({point_of_six(0.1)}, runs);
  CHECK(waves[0].state == WaveState::kNextWave);
  CHECK(waves[0].target == 2);
  CHECK(allowed(point_of_six(0.1), runs) == std::vector<bool>{true, true, false, false, false, false, true});
}

TEST_CASE("a settled wave whose rule does not hold asks for step more, one whose rule holds stops") {
  const std::vector<double> spread = {0.90, 0.92, 0, 0, 0, 0, 0}, close = {0.9, 0.9001, 0, 0, 0, 0, 0};
  const auto runs_spread = outcomes({kDone, kDone, kNot, kNot, kNot, kNot, kNot}, spread);
  const PointWave next = decide_waves({point_of_six(0.5)}, runs_spread)[0];
  CHECK(next.state == WaveState::kNextWave);
  CHECK(next.asked == 2);
  CHECK(next.target == 4);
  CHECK(allowed(point_of_six(0.5), runs_spread) == std::vector<bool>{true, true, true, true, false, false, true});

  const auto runs_close = outcomes({kDone, kDone, kNot, kNot, kNot, kNot, kNot}, close);
  const PointWave met = decide_waves({point_of_six(0.5)}, runs_close)[0];
  CHECK(met.state == WaveState::kRuleMet);
  CHECK(met.target == 2);
  CHECK(allowed(point_of_six(0.5), runs_close) == std::vector<bool>{true, true, false, false, false, false, true});
}

TEST_CASE("a wave with runs still queued or retried waits, one cut short is completed first") {
  const std::vector<double> values = {0.90, 0.92, 0.95, 0, 0, 0, 0};
  const PointWave waiting = decide_waves({point_of_six(0.5)}, outcomes({kDone, kBusy, kNot, kNot, kNot, kNot, kNot}, values))[0];
  CHECK(waiting.state == WaveState::kWaiting);
  CHECK(waiting.target == 2);
  // Three asked (a window cut the second wave short): the wave ends at 4 before any decision.
  const PointWave cut = decide_waves({point_of_six(0.5)}, outcomes({kDone, kDone, kDone, kNot, kNot, kNot, kNot}, values))[0];
  CHECK(cut.state == WaveState::kNextWave);
  CHECK(cut.target == 4);
}

TEST_CASE("failed runs count as asked, the rule is checked on the runs that completed, max stops") {
  const std::vector<double> values = {0.90, 0.0, 0.95, 0.91, 0.80, 0.99, 0};
  const PointWave failed = decide_waves({point_of_six(0.5)}, outcomes({kDone, kFailed, kNot, kNot, kNot, kNot, kNot}, values))[0];
  CHECK(failed.state == WaveState::kNextWave);  // one value: no SD, the rule cannot hold
  CHECK(failed.check.runs == 1);
  CHECK(failed.target == 4);
  const PointWave at_max = decide_waves({point_of_six(0.5)}, outcomes({kDone, kFailed, kDone, kDone, kDone, kDone, kNot}, values))[0];
  CHECK(at_max.state == WaveState::kReachedMax);
  CHECK(at_max.check.runs == 5);
  CHECK(at_max.target == 6);
}

TEST_CASE("the follow-up job's log line per point says what was decided and why") {
  const contract::AdaptivePoint point = point_of_six(0.5);
  const std::vector<double> values = {0.90, 0.92, 0, 0, 0, 0, 0};
  auto text = [&](const std::vector<RunStanding>& standings) {
    const auto runs = outcomes(standings, values);
    return wave_text(point, decide_waves({point}, runs)[0]);
  };
  CHECK(text({kNot, kNot, kNot, kNot, kNot, kNot, kNot}) == "runs 0-5: 0 asked, 2 more now (the first wave)");
  CHECK(text({kDone, kBusy, kNot, kNot, kNot, kNot, kNot}) == "runs 0-5: 2 asked, waiting for its runs");
  // 90 and 92 %: SD 1.41 pp, half-width 22.2 pp over 2 runs (scipy.stats.chi2: 22.248...).
  CHECK(text({kDone, kDone, kNot, kNot, kNot, kNot, kNot}) == "runs 0-5: 2 asked, 2 more now (half-width 22.2 pp > 0.5 pp over 2 runs)");
  CHECK(text({kDone, kDone, kDone, kNot, kNot, kNot, kNot}) == "runs 0-5: 3 asked, 1 more now (completing its wave)");
}

TEST_CASE("the follow-up's rounds: min first, then only the points whose rule does not hold") {
  PlannedSweep sweep;
  sweep.arrays.push_back({"array-000.sbatch", 0, 13, 1, 0, 0, 1, 1, nlohmann::json::object(), ""});
  sweep.runs.resize(13);
  for (size_t r = 0; r < sweep.runs.size(); ++r) sweep.runs[r] = {static_cast<int64_t>(r), "run" + std::to_string(r), ""};
  // Two adaptive points of six (runs 0-5 and 6-11), min 2, step 2; run 12 is fixed.
  sweep.adaptive = {{0, {2, 6, 2, 0.5}}, {6, {2, 6, 2, 0.5}}};

  const Round first = next_round(sweep, nullptr, {});
  REQUIRE(first.arrays.size() == 1);
  CHECK(first.arrays[0].tasks == "0,1,6,7,12");

  SweepStatus status;
  for (int64_t r = 0; r < 13; ++r) status.runs.push_back({r, sweep.runs[r].run_id, RunState::kMissing, "", "", ""});
  for (int64_t r : {0, 1, 6, 7, 12}) status.runs[r].state = RunState::kDone;
  const std::vector<Submission> submitted = {{"submit", "t", {{"array-000.sbatch", "10", "0,1,6,7,12"}}, "", "11"}};
  // The first point's two runs agree closely (rule met), the second's do not.
  const RunAccuracies accuracies = {{"run0", 0.9}, {"run1", 0.9001}, {"run6", 0.90}, {"run7", 0.95}, {"run12", 0.5}};
  const Round second = next_round(sweep, &status, submitted, accuracies);
  REQUIRE(second.arrays.size() == 1);
  CHECK(second.arrays[0].tasks == "8,9");
  REQUIRE(second.waves.size() == 2);
  CHECK(second.waves[0].state == WaveState::kRuleMet);
  CHECK(second.waves[1].state == WaveState::kNextWave);

  // Without a value for any run, neither rule can hold: both points go on.
  const Round blind = next_round(sweep, &status, submitted, {});
  CHECK(blind.arrays[0].tasks == "2,3,8,9");
}

}  // namespace rs::sweep
