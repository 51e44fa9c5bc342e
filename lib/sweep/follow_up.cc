#include "sweep/follow_up.h"

#include <algorithm>
#include <fstream>
#include <limits>
#include <map>
#include <stdexcept>

#include "sweep/submit.h"

namespace rs::sweep {
namespace {

// The submissions of the current chain: from the last `sweep submit` on (a forced submit starts
// the sweep's chain afresh).
std::vector<Submission> current_chain(const std::vector<Submission>& submitted) {
  auto last = std::find_if(submitted.rbegin(), submitted.rend(), [](const Submission& s) { return s.kind == "submit"; });
  if (last == submitted.rend()) return {};
  return {std::prev(last.base()), submitted.end()};
}

// How many of `submitted` listed each run, by run index.
std::vector<int64_t> times_listed(const PlannedSweep& sweep, const std::vector<Submission>& submitted) {
  std::map<std::string, int64_t> offset_of_script;
  for (const auto& a : sweep.arrays) offset_of_script[a.script] = a.offset;
  std::vector<int64_t> listed(sweep.runs.size(), 0);
  for (const auto& s : submitted)
    for (const auto& a : s.arrays) {
      auto offset = offset_of_script.find(a.script);
      if (offset == offset_of_script.end()) continue;  // a script of an earlier plan
      for (int64_t task : task_ids(a.tasks)) {
        const size_t r = static_cast<size_t>(offset->second + task);
        if (r < listed.size()) ++listed[r];
      }
    }
  return listed;
}

// Where each run stands for the waves: asked once a submission of the chain listed it.
std::vector<RunOutcome> run_outcomes(const PlannedSweep& sweep, const SweepStatus* status,
                                     const std::vector<int64_t>& listed, const std::vector<bool>& retried,
                                     const RunAccuracies& accuracies) {
  std::vector<RunOutcome> outcomes(sweep.runs.size());
  for (size_t r = 0; r < sweep.runs.size(); ++r) {
    const RunState state = status != nullptr ? status->runs[r].state : RunState::kMissing;
    RunOutcome& outcome = outcomes[r];
    if (state == RunState::kDone) {
      outcome.standing = RunStanding::kDone;
      auto value = accuracies.find(sweep.runs[r].run_id);
      if (value != accuracies.end()) outcome.accuracy = value->second;
    } else if (state == RunState::kPending || state == RunState::kRunning || retried[r]) {
      outcome.standing = RunStanding::kBusy;
    } else if (listed[r] > 0) {
      outcome.standing = RunStanding::kFailed;
    }
  }
  return outcomes;
}

}  // namespace

std::optional<int> task_exit_status(const std::string& log) {
  static const std::string kPrefix = "reprosweep: run ", kEnded = " ended with status ";
  std::ifstream in(log);
  std::optional<int> status;
  for (std::string line; std::getline(in, line);) {
    const size_t ended = line.find(kEnded);
    if (line.rfind(kPrefix, 0) != 0 || ended == std::string::npos) continue;
    try {
      status = std::stoi(line.substr(ended + kEnded.size()));
    } catch (const std::exception&) {
      status.reset();
    }
  }
  return status;
}

Round next_round(const PlannedSweep& sweep, const SweepStatus* status, const std::vector<Submission>& submitted,
                 const RunAccuracies& accuracies) {
  const std::vector<Submission> chain = current_chain(submitted);
  const std::vector<int64_t> listed = times_listed(sweep, chain);
  std::vector<bool> chosen(sweep.runs.size(), false);
  Round round;
  int64_t queued = 0;
  if (status != nullptr) {
    queued = status->counts[static_cast<size_t>(RunState::kPending)] +
             status->counts[static_cast<size_t>(RunState::kRunning)];
    for (const RunStatus& run : status->runs) {
      const size_t r = static_cast<size_t>(run.index);
      if (run.state == RunState::kFailed && listed[r] >= 1 && listed[r] <= sweep.max_retries &&
          task_exit_status(run.log) == 1) {
        chosen[r] = true;
        ++round.retries;
      }
    }
  }
  std::vector<bool> allowed(sweep.runs.size(), true);
  if (!sweep.adaptive.empty()) {
    const std::vector<RunOutcome> outcomes = run_outcomes(sweep, status, listed, chosen, accuracies);
    round.waves = decide_waves(sweep.adaptive, outcomes);
    allowed = runs_waves_allow(sweep.adaptive, outcomes, round.waves);
  }
  int64_t room = sweep.max_queued_tasks > 0 ? sweep.max_queued_tasks - queued - round.retries
                                            : std::numeric_limits<int64_t>::max();
  for (size_t r = 0; r < sweep.runs.size() && room > 0; ++r) {
    if (listed[r] > 0 || (status != nullptr && status->runs[r].state == RunState::kDone) || !allowed[r]) continue;
    chosen[r] = true;
    ++round.new_runs;
    --room;
  }
  for (const auto& a : sweep.arrays) {
    std::vector<int64_t> tasks;
    for (int64_t task = 0; task < a.count; ++task)
      if (chosen[static_cast<size_t>(a.offset + task)]) tasks.push_back(task);
    for (size_t begin = 0; begin < tasks.size(); begin += kMaxTasksPerResubmit) {
      const size_t end = std::min(tasks.size(), begin + kMaxTasksPerResubmit);
      round.arrays.push_back({a.script, "", task_list(tasks, begin, end, a.max_parallel)});
    }
  }
  return round;
}

int64_t runs_not_submitted(const PlannedSweep& sweep, const std::vector<Submission>& submitted) {
  if (sweep.max_queued_tasks == 0) return -1;
  const std::vector<int64_t> listed = times_listed(sweep, current_chain(submitted));
  return std::count(listed.begin(), listed.end(), 0);
}

std::vector<bool> runs_not_asked(const PlannedSweep& sweep, const std::vector<Submission>& submitted) {
  const std::vector<int64_t> listed = times_listed(sweep, current_chain(submitted));
  std::vector<bool> not_asked(sweep.runs.size(), false);
  for (const auto& point : sweep.adaptive)
    for (int64_t r = 0; r < point.repeat.max; ++r) {
      const size_t index = static_cast<size_t>(point.first_run + r);
      not_asked[index] = listed[index] == 0;
    }
  return not_asked;
}

Submission follow_up(const std::string& dir, const ReadAccuracies& read_accuracies, std::vector<PointWave>* waves) {
  const PlannedSweep sweep = read_planned_sweep(dir);
  const SweepStatus status = sweep_status(sweep.dir);
  if (!status.scheduler_reachable)
    throw std::runtime_error("squeue does not answer: cannot tell failed runs from queued ones; nothing submitted "
                             "(`sweep resubmit` goes on by hand)");
  const Round round =
      next_round(sweep, &status, read_jobs(sweep.dir), sweep.adaptive.empty() ? RunAccuracies{} : read_accuracies(sweep.dir));
  if (waves != nullptr) *waves = round.waves;
  return submit_arrays(sweep, "follow-up", round.arrays);
}

}  // namespace rs::sweep
