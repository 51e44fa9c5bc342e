// Starting other programs without a shell: arguments go to execvp() as they are, so no value
// is ever interpreted by a shell.
#pragma once

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

namespace rs {

struct ProcessResult {
  int exit_code = -1;   // exit status, or 128 + signal number when killed by a signal
  std::string out;      // everything the program wrote to stdout
  std::string err;      // everything it wrote to stderr
  bool timed_out = false;  // killed (SIGKILL) when its time limit ran out
};

using EnvVars = std::vector<std::pair<std::string, std::string>>;

// Runs argv (argv[0] looked up in PATH), waits, returns its status and output. With
// timeout_s > 0, a program still running after that many seconds is killed (timed_out).
// Throws std::runtime_error when the program cannot be started.
ProcessResult run_capture(const std::vector<std::string>& argv, double timeout_s = 0);

// Starts argv with `env` added to the environment and stdout+stderr appended to `log_path`.
// Returns the child's pid; reap it with wait_any().
pid_t spawn_logged(const std::vector<std::string>& argv, const EnvVars& env,
                   const std::string& log_path);

// Waits for any child; returns its pid and sets *exit_code (128 + signal when killed).
pid_t wait_any(int* exit_code);

// True when `program` is found in PATH.
bool program_in_path(const std::string& program);

}  // namespace rs
