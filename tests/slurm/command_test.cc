// SLURM commands under a time limit, retried on transient failures only (slurm/command.h). The
// "commands" are small bash scripts that answer as sbatch and squeue do when the controller is
// out of reach or hangs; each counts its calls in a file.
#include <catch2/catch.hpp>

#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "slurm/command.h"
#include "temp_dir.h"
#include "util/files.h"

using rs::slurm::Repeat;
using rs::slurm::run_slurm;

namespace {

// argv of a command that appends a line to `count_file` and then runs `body` (bash).
std::vector<std::string> counting(const std::string& count_file, const std::string& body) {
  return {"bash", "-c", "echo x >>\"$0\"; n=$(wc -l <\"$0\"); " + body, count_file};
}

size_t calls(const std::string& count_file) {
  const std::string text = rs::read_file(count_file);
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

struct ShortTimeout {
  ShortTimeout() { ::setenv("REPROSWEEP_SLURM_TIMEOUT_S", "0.5", 1); }
  ~ShortTimeout() { ::unsetenv("REPROSWEEP_SLURM_TIMEOUT_S"); }
};

}  // namespace

TEST_CASE("a controller out of reach for a moment: sbatch is tried again and succeeds") {
  rs::testing::TempDir dir;
  const std::string count = dir.path() + "/calls";
  const auto r = run_slurm(counting(count, "if [ $n = 1 ]; then echo 'sbatch: error: Batch job submission failed: "
                                           "Unable to contact slurm controller (connect failure)' >&2; exit 1; fi; "
                                           "echo 4711"),
                           Repeat::kIfNotQueued);
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.out == "4711\n");
  REQUIRE(calls(count) == 2);
}

TEST_CASE("errors that are not transient are not tried again") {
  rs::testing::TempDir dir;
  const std::string count = dir.path() + "/calls";
  const auto r = run_slurm(counting(count, "echo 'sbatch: error: invalid partition specified: gpu' >&2; exit 1"),
                           Repeat::kSafe);
  REQUIRE(r.exit_code == 1);
  REQUIRE(calls(count) == 1);
  REQUIRE(rs::slurm::failure_message("sbatch", r) == "sbatch: sbatch: error: invalid partition specified: gpu");
}

TEST_CASE("a hung command is killed at its time limit; only one that is safe to repeat is repeated") {
  const ShortTimeout timeout;
  REQUIRE(rs::slurm::command_timeout_s() == 0.5);
  rs::testing::TempDir dir;
  const std::string count = dir.path() + "/calls";
  const auto start = std::chrono::steady_clock::now();
  auto r = run_slurm(counting(count, "exec sleep 30"), Repeat::kIfNotQueued);
  REQUIRE(r.timed_out);
  REQUIRE(calls(count) == 1);  // the job may be queued already: never submitted twice
  REQUIRE(rs::slurm::failure_message("sbatch", r) == "sbatch did not answer within 0.5 s");
  r = run_slurm(counting(count, "exec sleep 30"), Repeat::kSafe);
  REQUIRE(r.timed_out);
  REQUIRE(calls(count) == 1 + rs::slurm::kAttempts);
  // Far less than one `sleep 30`: every attempt was cut off at its limit.
  REQUIRE(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));
}
