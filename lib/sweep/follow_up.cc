#include "sweep/follow_up.h"

#include <algorithm>
#include <fstream>
#include <limits>
#include <map>
#include <set>
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

// Which array (into PlannedSweep::arrays) holds each run, by run index.
std::vector<size_t> array_of_runs(const PlannedSweep& sweep) {
  std::vector<size_t> array_of(sweep.runs.size(), 0);
  for (size_t a = 0; a < sweep.arrays.size(); ++a)
    for (int64_t i = 0; i < sweep.arrays[a].count; ++i) array_of[static_cast<size_t>(sweep.arrays[a].offset + i)] = a;
  return array_of;
}

// How many of `submitted` listed each run (in a task of its), by run index.
std::vector<int64_t> times_listed(const PlannedSweep& sweep, const std::vector<Submission>& submitted) {
  std::map<std::string, const PlannedArray*> array_of_script;
  for (const auto& a : sweep.arrays) array_of_script[a.script] = &a;
  std::vector<int64_t> listed(sweep.runs.size(), 0);
  for (const auto& s : submitted)
    for (const auto& a : s.arrays) {
      auto array = array_of_script.find(a.script);
      if (array == array_of_script.end()) continue;  // a script of an earlier plan
      for (int64_t task : task_ids(a.tasks))
        for (int64_t i = 0; i < array->second->runs_of(task); ++i) {
          const size_t r = static_cast<size_t>(array->second->first_run(task) + i);
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
  const std::vector<size_t> array_of = array_of_runs(sweep);
  // The queue holds tasks, and a task may pack several runs (slurm.runs_per_task): runs are
  // chosen, their tasks submitted, and max_queued_tasks counts tasks.
  std::vector<bool> retried(sweep.runs.size(), false);
  std::vector<std::set<int64_t>> chosen(sweep.arrays.size());  // task ids, by array
  auto task_of = [&](size_t r) { return sweep.arrays[array_of[r]].task_of(static_cast<int64_t>(r)); };
  auto is_chosen = [&](size_t r) { return chosen[array_of[r]].count(task_of(r)) > 0; };
  Round round;
  int64_t queued = 0, retry_tasks = 0;
  if (status != nullptr) {
    std::set<std::pair<size_t, int64_t>> queued_tasks;
    for (const RunStatus& run : status->runs)
      if (run.state == RunState::kPending || run.state == RunState::kRunning)
        queued_tasks.insert({array_of[static_cast<size_t>(run.index)], task_of(static_cast<size_t>(run.index))});
    queued = static_cast<int64_t>(queued_tasks.size());
    for (const RunStatus& run : status->runs) {
      const size_t r = static_cast<size_t>(run.index);
      if (run.state == RunState::kFailed && listed[r] >= 1 && listed[r] <= sweep.max_retries &&
          task_exit_status(run.log) == 1) {
        retried[r] = true;
        retry_tasks += chosen[array_of[r]].insert(task_of(r)).second ? 1 : 0;
        ++round.retries;
      }
    }
  }
  std::vector<bool> allowed(sweep.runs.size(), true);
  if (!sweep.adaptive.empty()) {
    const std::vector<RunOutcome> outcomes = run_outcomes(sweep, status, listed, retried, accuracies);
    round.waves = decide_waves(sweep.adaptive, outcomes);
    allowed = runs_waves_allow(sweep.adaptive, outcomes, round.waves);
  }
  int64_t room = sweep.max_queued_tasks > 0 ? sweep.max_queued_tasks - queued - retry_tasks
                                            : std::numeric_limits<int64_t>::max();
  for (size_t r = 0; r < sweep.runs.size(); ++r) {
    if (listed[r] > 0 || (status != nullptr && status->runs[r].state == RunState::kDone) || !allowed[r]) continue;
    if (!is_chosen(r)) {  // a run whose task another run brought in already costs no room
      if (room <= 0) break;
      chosen[array_of[r]].insert(task_of(r));
      --room;
    }
    ++round.new_runs;
  }
  for (size_t a = 0; a < sweep.arrays.size(); ++a) {
    const std::vector<int64_t> tasks(chosen[a].begin(), chosen[a].end());
    for (size_t begin = 0; begin < tasks.size(); begin += kMaxTasksPerResubmit) {
      const size_t end = std::min(tasks.size(), begin + kMaxTasksPerResubmit);
      round.arrays.push_back({sweep.arrays[a].script, "", task_list(tasks, begin, end, sweep.arrays[a].max_parallel)});
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
