// The follow-up job's rounds (follow_up.h): which runs it retries and which it submits next,
// from where the runs stand and what jobs.json lists; and the --array lists it writes.
#include <catch2/catch.hpp>

#include <fstream>

#include "sweep/follow_up.h"
#include "sweep/jobs_file.h"
#include "temp_dir.h"
#include "util/error.h"

namespace rs::sweep {
namespace {

using testing::TempDir;

// Nine runs in three arrays of three (max_array_size 3), throttled to 2 at a time.
PlannedSweep nine_runs(int64_t max_retries, int64_t max_queued_tasks) {
  PlannedSweep sweep;
  for (int64_t a = 0; a < 3; ++a) {
    PlannedArray array;
    array.script = "array-00" + std::to_string(a) + ".sbatch";
    array.offset = 3 * a;
    array.count = 3;
    array.max_parallel = 2;
    sweep.arrays.push_back(array);
  }
  sweep.runs.resize(9);
  sweep.max_retries = max_retries;
  sweep.max_queued_tasks = max_queued_tasks;
  return sweep;
}

SweepStatus all_in(RunState state) {
  SweepStatus status;
  for (int64_t r = 0; r < 9; ++r) status.runs.push_back({r, "", state, "", "", ""});
  status.counts[static_cast<size_t>(state)] = 9;
  return status;
}

void set_state(SweepStatus* status, int64_t r, RunState state, const std::string& log = "") {
  --status->counts[static_cast<size_t>(status->runs[r].state)];
  ++status->counts[static_cast<size_t>(state)];
  status->runs[r].state = state;
  status->runs[r].log = log;
}

std::string write_log(const TempDir& dir, const std::string& name, int status) {
  const std::string path = dir.path() + "/" + name;
  std::ofstream(path) << "reprosweep: run 1 on node1 (job 7, restart 0, CUDA_VISIBLE_DEVICES=)\n"
                      << "trainer: out of luck\n"
                      << "reprosweep: run 1 ended with status " << status << "\n";
  return path;
}

std::vector<std::string> lists(const Round& round) {
  std::vector<std::string> out;
  for (const auto& a : round.arrays) out.push_back(a.script + " " + a.tasks);
  return out;
}

}  // namespace

TEST_CASE("task lists for --array: runs of three or more as ranges, the throttle kept, read back") {
  const std::vector<int64_t> tasks = {0, 1, 2, 3, 7, 9, 10, 12};
  CHECK(task_list(tasks, 0, tasks.size(), 0) == "0-3,7,9,10,12");
  CHECK(task_list(tasks, 4, 6, 50) == "7,9%50");
  CHECK(task_ids("0-3,7,9,10,12%4") == tasks);
  CHECK(task_ids("5") == std::vector<int64_t>{5});
  CHECK_THROWS_AS(task_ids("0-3;rm"), InputError);
}

TEST_CASE("the first window is the first runs in order; each next one fills what the queue leaves") {
  const PlannedSweep sweep = nine_runs(0, 4);
  const Round first = next_round(sweep, nullptr, {});
  CHECK(lists(first) == std::vector<std::string>{"array-000.sbatch 0-2%2", "array-001.sbatch 0%2"});
  CHECK(first.new_runs == 4);

  // Runs 0-3 submitted; 0-2 done, 3 still running: room for 3 more under 4.
  const std::vector<Submission> submitted = {{"submit", "t", {{"array-000.sbatch", "10", "0-2%2"},
                                                              {"array-001.sbatch", "11", "0%2"}}, "", "12"}};
  SweepStatus status = all_in(RunState::kMissing);
  for (int64_t r = 0; r < 3; ++r) set_state(&status, r, RunState::kDone);
  set_state(&status, 3, RunState::kRunning);
  const Round second = next_round(sweep, &status, submitted);
  CHECK(lists(second) == std::vector<std::string>{"array-001.sbatch 1,2%2", "array-002.sbatch 0%2"});
  CHECK(runs_not_submitted(sweep, submitted) == 5);
  CHECK(runs_not_submitted(nine_runs(1, 0), submitted) == -1);  // no window

  // Everything submitted and ended: an empty round (the follow-up job then queues the collector).
  const std::vector<Submission> all = {{"submit", "t", {{"array-000.sbatch", "10", "0-2"},
                                                        {"array-001.sbatch", "11", "0-2"},
                                                        {"array-002.sbatch", "13", "0-2"}}, "", "12"}};
  const SweepStatus done = all_in(RunState::kDone);
  CHECK(next_round(sweep, &done, all).arrays.empty());
  // A forced submit starts the chain afresh: what earlier chains listed does not count.
  std::vector<Submission> forced = all;
  forced.push_back({"submit", "t", {{"array-000.sbatch", "20", "0-2"}}, "", "21"});
  CHECK(runs_not_submitted(sweep, forced) == 6);
}

TEST_CASE("retries: status 1 only, at most max_retries times per run, before new runs") {
  TempDir dir;
  const PlannedSweep sweep = nine_runs(1, 3);
  std::vector<Submission> submitted = {{"submit", "t", {{"array-000.sbatch", "10", "0-2"}}, "", "12"}};
  SweepStatus status = all_in(RunState::kMissing);
  set_state(&status, 0, RunState::kFailed, write_log(dir, "10_0.out", 1));  // crashed: retried
  set_state(&status, 1, RunState::kFailed, write_log(dir, "10_1.out", 2));  // bad input: not
  set_state(&status, 2, RunState::kFailed, dir.path() + "/none.out");       // killed, no line: not
  CHECK(task_exit_status(status.runs[0].log) == 1);
  CHECK(task_exit_status(status.runs[1].log) == 2);
  CHECK_FALSE(task_exit_status(status.runs[2].log).has_value());

  const Round round = next_round(sweep, &status, submitted);
  CHECK(round.retries == 1);
  CHECK(round.new_runs == 2);
  CHECK(lists(round) == std::vector<std::string>{"array-000.sbatch 0%2", "array-001.sbatch 0,1%2"});

  // Retried once and failed again with status 1: max_retries 1 is used up.
  submitted.push_back({"follow-up", "t", {{"array-000.sbatch", "13", "0"}}, "", "14"});
  set_state(&status, 0, RunState::kFailed, write_log(dir, "13_0.out", 1));
  CHECK(next_round(sweep, &status, submitted).retries == 0);
  CHECK(next_round(nine_runs(2, 3), &status, submitted).retries == 1);
}

TEST_CASE("packed runs (runs_per_task 2): the window and the queue count tasks, retries stay per run") {
  TempDir dir;
  PlannedSweep sweep = nine_runs(1, 2);
  sweep.arrays.resize(1);
  sweep.arrays[0].count = 9;  // tasks 0-4: runs 0-1, 2-3, 4-5, 6-7 and 8
  sweep.arrays[0].runs_per_task = 2;
  sweep.arrays[0].max_parallel = 0;
  const Round first = next_round(sweep, nullptr, {});
  CHECK(lists(first) == std::vector<std::string>{"array-000.sbatch 0,1"});
  CHECK(first.new_runs == 4);

  // Tasks 0-1 ran; run 3 crashed (status 1): its task comes again, beside one new task.
  std::vector<Submission> submitted = {{"submit", "t", {{"array-000.sbatch", "10", "0,1"}}, "", "12"}};
  CHECK(runs_not_submitted(sweep, submitted) == 5);
  SweepStatus status = all_in(RunState::kMissing);
  for (int64_t r = 0; r < 3; ++r) set_state(&status, r, RunState::kDone);
  set_state(&status, 3, RunState::kFailed, write_log(dir, "10_1.run3.out", 1));
  const Round second = next_round(sweep, &status, submitted);
  CHECK(lists(second) == std::vector<std::string>{"array-000.sbatch 1,2"});
  CHECK(second.retries == 1);
  CHECK(second.new_runs == 2);

  // Both runs of task 2 in the queue are one task: room for one more under 2.
  submitted.push_back({"follow-up", "t", {{"array-000.sbatch", "13", "1,2"}}, "", "14"});
  set_state(&status, 3, RunState::kDone);
  set_state(&status, 4, RunState::kRunning);
  set_state(&status, 5, RunState::kRunning);
  CHECK(lists(next_round(sweep, &status, submitted)) == std::vector<std::string>{"array-000.sbatch 3"});
}

}  // namespace rs::sweep
