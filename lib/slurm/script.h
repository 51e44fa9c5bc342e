// The batch scripts `sweep plan` writes, one per array chunk and one collector, and those of
// `sweep preflight`, one per resources combination.
//
// Their text comes from slurm/array.sbatch.in, collect.sbatch.in, follow_up.sbatch.in and
// preflight.sbatch.in (compiled in), with the sweep folder's names from contract/layout.h and an
// environment's software setup (software.h). Options go into #SBATCH lines only, each already
// validated (options.h); paths go into the shell part single-quoted.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "slurm/options.h"
#include "slurm/software.h"

namespace rs::slurm {

struct ScriptPaths {
  std::string sweep_dir;  // absolute
  std::string trainer;    // absolute path of the trainer executable
  std::string sweep;      // absolute path of the sweep executable (runs the collector)
};

struct ArrayScript {
  std::string sweep_name;
  int64_t number = 0;  // 0, 1, ...: array-NNN
  int64_t offset = 0;  // its first run's index
  int64_t count = 0;   // runs offset..offset+count-1, options.runs_per_task per task
                       // (contract/task_runs.h)
  SlurmOptions options;
  Software software;  // an environment's modules and container (software.h); none by default
  std::string plan_id;  // contract/plan_id.h: the trainer refuses a task of another plan
  int64_t world_size = 1, nodes = 1;  // ranks per task, and the nodes they span
};

// Throws rs::InputError when a path holds characters that cannot go into an #SBATCH line. A
// CPU-only array (gpus_per_task 0) exports an empty CUDA_VISIBLE_DEVICES, so that a value the
// submitting shell passed on never gives its tasks a GPU (the trainer's device auto then means
// the CPU: train/device.h). With world_size > 1 each task is world_size ranks
// (--ntasks=world_size --nodes=nodes, cpus_per_task and gpus_per_task per rank), started by
// srun, or under `sweep run` by the script itself with the variables srun sets. With
// runs_per_task K > 1 each task starts K trainers (one rank each) side by side, each with
// cpus_per_task / K threads and its own log, passes signals on to all of them, requeues itself
// when any checkpointed on the time-limit warning, and ends with the highest status of a failed
// run, else 3 when one checkpointed, else 0 (slurm/array.sbatch.in).
std::string render_array_script(const ArrayScript& array, const ScriptPaths& paths);

std::string render_collect_script(const std::string& sweep_name, const SlurmOptions& options,
                                  const ScriptPaths& paths);

// The follow-up job (slurm/follow_up.sbatch.in, sweep/follow_up.h), on the collector's resources;
// written only when has_follow_up(options).
std::string render_follow_up_script(const std::string& sweep_name, const SlurmOptions& options,
                                    const ScriptPaths& paths);

struct PreflightScript {
  std::string sweep_name;
  int64_t number = 0;            // the resources combination: preflight-NNN
  std::vector<int64_t> indices;  // preflight/plan.jsonl lines its one task trains, in order
  // The combination's placement and resources, as its first array script asks for them
  // (resource_options()).
  std::vector<std::string> options;
  int64_t gpus_per_task = 0;
  Software software;  // the combination's environment's, as its array scripts set it up
};

// An array of one task: one node trains the lines in turn, then `sweep preflight --check`.
std::string render_preflight_script(const PreflightScript& preflight, const ScriptPaths& paths);

// The #SBATCH options of an array script that say where and with what a task runs (partition,
// account, time, memory, CPUs, GPUs, constraint and the grid's extra options), without those
// that belong to the array itself (job name, array, output, signal, requeue).
std::vector<std::string> resource_options(const std::string& array_script);

}  // namespace rs::slurm
