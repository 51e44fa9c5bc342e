// `sweep preflight DIR`: before a long sweep, proof that each kind of node it will run on
// repeats a run bit for bit (docs/sweep-folder.md, "Preflight").
//
// For every combination of the sweep (one per distinct environment and `resources` of its
// arrays; one for a sweep without either), one array task with the combination's own #SBATCH
// options, software setup and trainer trains the combination's first run three times on one
// node: twice in mode d, then
// once in mode nd, each for `epochs` epochs on at most `samples` training and test samples
// (dataset.n_train and n_test; warm-up epochs and snapshot cycles that no longer fit are
// dropped). Then `sweep preflight DIR --check N` in the same task compares them: the two d
// copies must have identical /weights/flat and /eval/logits, byte for byte, and the task exits
// 1 when they do not, so `sweep submit --after-preflight` can hold the sweep on it (afterok).
// The nd copy against the first d copy says whether the node shows nondeterminism at all. In a
// grid with environments, the copies must also see what their environment promised (threads,
// expect: runfile/environment_promise.h), or the check fails too.
//
//   DIR/preflight/preflight.json     the combinations: number, resources, environment (when the
//                                    grid has environments), run index, script
//   DIR/preflight/plan.jsonl         3 lines per combination N: 3N, 3N+1 (d), 3N+2 (nd)
//   DIR/preflight/slurm/preflight-NNN.sbatch   one per combination (slurm/preflight.sbatch.in)
//   DIR/preflight/runs/, logs/       run files and task logs
//   DIR/preflight/jobs.json          how the scripts ran: submitted (job ids) or local
//
// DIR/preflight is laid out as a sweep folder (contract/layout.h). A new preflight replaces the
// folder of the last one.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runfile/run_file.h"
#include "sweep/jobs_file.h"

namespace rs::sweep {

struct PreflightOptions {
  std::string dir;    // the planned sweep
  std::string sweep;  // absolute path of `sweep`, which the scripts run for --check
  int64_t epochs = 2;
  int64_t samples = 512;
};

// Writes DIR/preflight anew. Throws rs::InputError when DIR is not a planned sweep, the
// options are out of range, or a shortened run is not a valid configuration.
void write_preflight(const PreflightOptions& options);

// Runs every combination's script here, one after the other, as `sweep run` runs array tasks,
// and records it in DIR/preflight/jobs.json.
void run_preflight_locally(const std::string& dir);

// Submits every combination's script with sbatch (after sbatch --test-only of all) and records
// the jobs in DIR/preflight/jobs.json. Throws std::runtime_error with sbatch's message.
Submission submit_preflight(const std::string& dir);

// Returns once none of the submitted preflight jobs is queued or running (squeue, every
// `poll_s` seconds). Throws std::runtime_error when squeue does not answer.
void wait_for_preflight(const std::string& dir, double poll_s = 2.0);

// What one combination's copies showed.
struct PreflightCheck {
  int64_t number = 0;
  nlohmann::json resources = nlohmann::json::object();
  std::string environment;   // the grid's environment; "" = none
  int64_t run_index = 0;     // the sweep's run they are copies of
  bool d_identical = false;  // the two d copies: /weights/flat and /eval/logits byte for byte
  bool nd_differs = false;   // the nd copy against the first d copy
  std::string error;         // why they could not be compared; "" when they were
  runfile::EnvInfo env;      // the first d copy's: node, GPU, versions
  std::string energy_method;
  std::map<std::string, std::string> settings;  // the first d copy's /settings
  std::string log;           // the task's log
  std::vector<std::string> broken_promises;  // what the copies saw that the environment did not promise

  bool passed() const { return d_identical && broken_promises.empty(); }
};

// Compares the copies of combination `number`; of every combination.
PreflightCheck check_preflight(const std::string& dir, int64_t number);
std::vector<PreflightCheck> check_preflight(const std::string& dir);

// The array job ids of the last submitted preflight. Throws rs::InputError when there is none
// (never run, or run with --local).
std::vector<std::string> preflight_job_ids(const std::string& dir);

}  // namespace rs::sweep
