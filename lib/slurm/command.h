// Every SLURM command `sweep` runs (sbatch, squeue, sacct, scontrol, scancel) goes through
// run_slurm(): with a time limit, so that a hung controller never hangs `sweep`, and retried a
// few times, a little later each time, when it failed in a way that says the controller was
// out of reach for a moment.
#pragma once

#include <string>
#include <vector>

#include "util/process.h"

namespace rs::slurm {

inline constexpr double kDefaultTimeoutS = 60;
inline constexpr int kAttempts = 3;

// Seconds one command may take: $REPROSWEEP_SLURM_TIMEOUT_S when it holds a number > 0, else
// kDefaultTimeoutS.
double command_timeout_s();

enum class Repeat {
  kSafe,         // asks or cancels: running it twice does no harm (squeue, sacct, scontrol show, scancel)
  kIfNotQueued,  // sbatch: retried only when the controller cannot have received it (no
                 // connection), never after a time-out, which may have queued the job already
};

// Runs argv like run_capture() with command_timeout_s(), up to kAttempts times while the
// failure is transient for `repeat`. The last attempt's result; timed_out when it ran out of
// time. Throws std::runtime_error when the program cannot be started.
ProcessResult run_slurm(const std::vector<std::string>& argv, Repeat repeat);

// "squeue did not answer within 60 s" or "squeue: <its message>": one line about a failed result.
std::string failure_message(const std::string& program, const ProcessResult& result);

}  // namespace rs::slurm
