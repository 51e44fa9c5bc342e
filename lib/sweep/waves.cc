#include "sweep/waves.h"

#include <algorithm>

#include <fmt/format.h>

#include "stats/descriptive.h"
#include "stats/replicas.h"

namespace rs::sweep {

StoppingCheck check_stopping_rule(const contract::AdaptiveRepeat& rule, const std::vector<double>& accuracies) {
  StoppingCheck check;
  check.runs = static_cast<int64_t>(accuracies.size());
  const std::optional<double> sd = stats::sample_sd(accuracies);
  if (!sd) return check;
  check.acc_sd_pp = 100 * *sd;
  check.halfwidth_pp = stats::sd_ci_halfwidth(*check.acc_sd_pp, check.runs, kStoppingAlpha);
  check.met = *check.halfwidth_pp <= rule.acc_sd_ci_halfwidth_pp;
  return check;
}

int64_t wave_end(const contract::AdaptiveRepeat& rule, int64_t asked) {
  if (asked <= rule.min) return rule.min;
  const int64_t waves = (asked - rule.min + rule.step - 1) / rule.step;
  return std::min(rule.max, rule.min + waves * rule.step);
}

namespace {

PointWave decide(const contract::AdaptivePoint& point, const std::vector<RunOutcome>& runs) {
  PointWave wave;
  bool busy = false;
  std::vector<double> accuracies;
  for (int64_t r = 0; r < point.repeat.max; ++r) {
    const RunOutcome& run = runs.at(static_cast<size_t>(point.first_run + r));
    if (run.standing != RunStanding::kNotAsked) ++wave.asked;
    busy = busy || run.standing == RunStanding::kBusy;
    if (run.standing == RunStanding::kDone && run.accuracy) accuracies.push_back(*run.accuracy);
  }
  // A wave cut short (the window of max_queued_tasks, an interrupted `sweep run`) is completed
  // before anything is decided: waves always end at the same counts.
  wave.target = wave_end(point.repeat, wave.asked);
  if (wave.target > wave.asked) {
    wave.state = WaveState::kNextWave;
    return wave;
  }
  if (busy) {
    wave.state = WaveState::kWaiting;
    return wave;
  }
  wave.check = check_stopping_rule(point.repeat, accuracies);
  wave.checked = true;
  if (wave.check.met) {
    wave.state = WaveState::kRuleMet;
  } else if (wave.asked >= point.repeat.max) {
    wave.state = WaveState::kReachedMax;
  } else {
    wave.state = WaveState::kNextWave;
    wave.target = std::min(point.repeat.max, wave.asked + point.repeat.step);
  }
  return wave;
}

}  // namespace

std::string wave_text(const contract::AdaptivePoint& point, const PointWave& wave) {
  const std::string head = fmt::format("runs {}-{}: {} asked", point.first_run, point.first_run + point.repeat.max - 1,
                                       wave.asked);
  std::string rule = "no SD yet";
  if (wave.check.halfwidth_pp)
    rule = fmt::format("half-width {:.3g} pp {} {:g} pp over {} runs", *wave.check.halfwidth_pp,
                       wave.check.met ? "<=" : ">", point.repeat.acc_sd_ci_halfwidth_pp, wave.check.runs);
  switch (wave.state) {
    case WaveState::kWaiting:
      return head + ", waiting for its runs";
    case WaveState::kRuleMet:
      return fmt::format("{}, rule met ({})", head, rule);
    case WaveState::kReachedMax:
      return fmt::format("{}, reached max ({})", head, rule);
    case WaveState::kNextWave:
      break;
  }
  return fmt::format("{}, {} more now ({})", head, wave.target - wave.asked,
                     wave.checked ? rule : wave.asked == 0 ? "the first wave" : "completing its wave");
}

std::vector<PointWave> decide_waves(const std::vector<contract::AdaptivePoint>& points,
                                    const std::vector<RunOutcome>& runs) {
  std::vector<PointWave> waves;
  for (const auto& point : points) waves.push_back(decide(point, runs));
  return waves;
}

std::vector<bool> runs_waves_allow(const std::vector<contract::AdaptivePoint>& points,
                                   const std::vector<RunOutcome>& runs, const std::vector<PointWave>& waves) {
  std::vector<bool> allowed(runs.size(), true);
  for (size_t p = 0; p < points.size(); ++p) {
    int64_t room = waves[p].target - waves[p].asked;
    for (int64_t r = 0; r < points[p].repeat.max; ++r) {
      const size_t i = static_cast<size_t>(points[p].first_run + r);
      if (runs[i].standing != RunStanding::kNotAsked) continue;
      allowed[i] = room > 0;
      if (room > 0) --room;
    }
  }
  return allowed;
}

}  // namespace rs::sweep
