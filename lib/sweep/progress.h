// A progress line for long work: "runs 12/54 (22%), 2 running, 0 failed, 1m02s, ETA 3m40s".
// On a terminal it redraws one line in place; in a batch log it prints a line at every tenth
// of the work, so logs stay short.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace rs::sweep {

class Progress {
 public:
  // `total` items to do; `stream` is where the line goes (stderr by default).
  explicit Progress(int64_t total, FILE* stream = stderr);

  // Reports the current state; `detail` is appended ("2 running, 1 failed").
  void update(int64_t done, const std::string& detail);

  // Ends the line on a terminal.
  void finish();

 private:
  int64_t total_;
  FILE* stream_;
  bool terminal_;
  int64_t last_printed_tenth_ = -1;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace rs::sweep
