// The `slurm:` section of a grid file: resources every array task asks for.
//
// Each option becomes one #SBATCH line in the generated scripts. Values are checked against a
// strict character set when set, so nothing a grid file says can break out of its #SBATCH line
// or reach a shell.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rs::slurm {

struct SlurmOptions {
  std::string partition, account, qos, constraint;
  std::string time;            // SLURM time format, e.g. "04:00:00", "1-12:00:00", "90"
  std::string mem;             // e.g. "32G", "4000M", "8000"
  int64_t gpus_per_task = 1;   // --gres=gpu:N; 0 = CPU-only runs
  std::string gpu_type;        // --gres=gpu:TYPE:N, e.g. "a100"; "" = any GPU
  int64_t cpus_per_task = 1;
  int64_t max_parallel = 0;    // array throttle %N; 0 = none
  int64_t max_array_size = 0;  // 0 = MaxArraySize from `scontrol show config`, else 1001
  int64_t signal_lead = 120;   // seconds before the time limit that USR2 asks for a checkpoint
  int64_t max_requeues = 3;    // self-requeues after such a checkpoint, by SLURM_RESTART_COUNT
  // The follow-up job (follow_up.h): set either, and `sweep submit` chains one after the arrays.
  int64_t max_retries = 0;       // resubmissions per run of tasks that ended with status 1
  int64_t max_queued_tasks = 0;  // the sweep's array tasks in the queue at most; 0 = all at once
  // Runs packed into one array task (pack.h): K trainers side by side on the task's GPUs and
  // CPUs, cpus_per_task / K threads each. A SLURM setting, not a run parameter: run ids stay.
  int64_t runs_per_task = 1;
  std::vector<std::string> extra;  // each a single --key=value that no ReproSweep line sets (extra_option.h)
};

// Whether `options` asks for the follow-up job (max_retries or max_queued_tasks).
inline bool has_follow_up(const SlurmOptions& options) {
  return options.max_retries > 0 || options.max_queued_tasks > 0;
}

// Names of the options a `slurm:` map may hold.
const std::vector<std::string>& slurm_option_keys();

// Sets option `key` from its text value. Throws rs::InputError("expected ...") when the key is
// unknown or the value is not valid for it; the caller adds the file location. `extra` takes
// one item per call (appended).
void set_slurm_option(SlurmOptions& options, const std::string& key, const std::string& value);

// Throws rs::InputError ("slurm.cpus_per_task: ...") when cpus_per_task leaves a packed run
// (runs_per_task) less than one CPU thread.
void check_cpus_cover_runs_per_task(int64_t cpus_per_task, int64_t runs_per_task);

// "1-12:00:00" -> 129600 seconds; -1 when `time` is empty or "UNLIMITED".
int64_t time_limit_seconds(const std::string& time);

// Throws rs::InputError ("slurm.time: ...") when `time` is shorter than three signal leads:
// SLURM may send the warning up to 60 s early, and a task warned at once, or before it has
// trained a while, would only checkpoint and requeue itself.
void check_time_covers_signal_lead(const std::string& time, int64_t signal_lead);

}  // namespace rs::slurm
