// Adaptive replicas in waves (contract/adaptive_repeat.h; docs/statistics.md, "Stopping rule").
//
// Every replica up to max is planned, so replica r of a point has the run id and seeds it has in
// a fixed sweep; waves only decide which of them are asked for. A point's first wave asks for
// replicas 0..min-1; once none of its asked runs is queued, running or about to be retried, the
// rule is checked on the runs that completed, and the point either stops (the rule holds, or it
// has asked for max replicas) or asks for the next `step` replicas (at most max). Waves thus end
// at min, min + step, min + 2 step, ..., max asked replicas. A run that failed for good still
// counts as asked: its replica is not replaced by a later one, and the rule is checked on the
// runs that have a value.
//
// The decision is one function of where the runs stand, used by the SLURM follow-up job
// (follow_up.h's next_round) and by `sweep run` (local_run.h) alike; the collector reports each
// point's rule with check_stopping_rule().
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "contract/adaptive_repeat.h"

namespace rs::sweep {

// The level of the interval the rule's half-width is of: 95 %, as `sweep power`'s default.
inline constexpr double kStoppingAlpha = 0.05;

// The rule on the final test accuracies (fractions) of a point's completed runs: the sample SD
// (ddof = 1) in percentage points and the half-width of its chi-square (1 - kStoppingAlpha)
// interval (stats/replicas.h, as `sweep power`); met when that is at most the rule's.
struct StoppingCheck {
  int64_t runs = 0;
  std::optional<double> acc_sd_pp, halfwidth_pp;  // null below two runs
  bool met = false;
};
StoppingCheck check_stopping_rule(const contract::AdaptiveRepeat& rule, const std::vector<double>& accuracies);

// The end of the wave that the `asked`-th replica falls in: min, min + step, ..., max.
int64_t wave_end(const contract::AdaptiveRepeat& rule, int64_t asked);

// Where one planned run stands, for the decision.
enum class RunStanding {
  kNotAsked,  // never submitted (nor run here), no run file
  kBusy,      // queued, running, or failed and retried in this round
  kDone,      // complete run file
  kFailed,    // asked, ended without a usable run file, not retried
};
struct RunOutcome {
  RunStanding standing = RunStanding::kNotAsked;
  std::optional<double> accuracy;  // final test accuracy as the collector read it (kDone only)
};

enum class WaveState {
  kWaiting,     // runs of its wave are still queued or running
  kNextWave,    // asks for more replicas now
  kRuleMet,     // stopped: the rule holds
  kReachedMax,  // stopped: max replicas asked, the rule does not hold
};

struct PointWave {
  int64_t asked = 0;   // replicas asked for before this decision
  int64_t target = 0;  // replicas asked for after it
  StoppingCheck check;   // on the completed runs, when `checked`
  bool checked = false;  // the wave had ended: the rule was checked
  WaveState state = WaveState::kWaiting;
};

// The final test accuracy of every run that entered the collector's statistics, by run id
// (report/run_accuracies.h reads them with the collector's own code; lib/sweep sits below it).
using RunAccuracies = std::map<std::string, double>;
using ReadAccuracies = std::function<RunAccuracies(const std::string& dir)>;

// One line for the follow-up job's log: "runs 0-4: 4 asked, rule met (half-width 0.08 pp <= 0.1
// pp over 4 runs)", "... 4 asked, 4 more now (half-width 0.31 pp > 0.1 pp over 4 runs)", ...
std::string wave_text(const contract::AdaptivePoint& point, const PointWave& wave);

// One decision per adaptive point, in the order of `points`; `runs` by plan index.
std::vector<PointWave> decide_waves(const std::vector<contract::AdaptivePoint>& points,
                                    const std::vector<RunOutcome>& runs);

// Which not-yet-asked runs a round may add: every run outside adaptive points, and per adaptive
// point the first not-asked replicas up to its target.
std::vector<bool> runs_waves_allow(const std::vector<contract::AdaptivePoint>& points,
                                   const std::vector<RunOutcome>& runs, const std::vector<PointWave>& waves);

}  // namespace rs::sweep
