// trainer: trains one run of a sweep's plan and writes its run file.
//
//   trainer --plan DIR/plan.jsonl --index N --runs-dir DIR/runs [--plan-id ID]
//   trainer --plan DIR/plan.jsonl --index N --print-params
//
// Reads line N (0-based) of the plan, checks its params, and trains unless
// <runs-dir>/<run_id>.h5 is already complete (a resubmitted array task then ends at once) or
// another live process holds <runs-dir>/<run_id>.lock (util/lock_file.h): that one trains it,
// and this one ends at once with status 0, so that no run is trained twice at the same time.
// With --plan-id (the array scripts pass the id of the plan they were written for), a plan
// planned anew since then (sweep.json's plan_id differs) is refused: index N may hold another
// run now (contract/plan_id.h). With --print-params it prints line N's entry, its params
// checked as for training, as JSON and exits.
// A run resumes from <runs-dir>/<run_id>.ckpt when that is its checkpoint (checkpoint.h).
// USR2 (SLURM's warning before the time limit, forwarded by the array script) and TERM make it
// write that checkpoint after the current batch and stop. A run with world_size > 1 is one
// trainer per rank (train/run.h); rank 0 writes the checkpoint and the run file. Progress goes to stderr, one line
// per epoch. Exit status: 0 done, 2 bad input (usage, plan line, params, data files),
// 3 checkpointed on a signal and stopped (run it again to go on), 1 any other failure.
#include <atomic>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>

#include <c10/util/Exception.h>
#include <fmt/format.h>
#include <torch/version.h>

#include "contract/layout.h"
#include "contract/params.h"
#include "contract/plan_file.h"
#include "contract/plan_id.h"
#include "runfile/reader_process.h"
#include "runfile/run_file.h"
#include "train/checkpoint.h"
#include "train/environment.h"
#include "contract/ranks_config.h"
#include "train/rendezvous.h"
#include "train/run.h"
#include "util/error.h"
#include "util/files.h"
#include "util/lock_file.h"
#include "util/text.h"

namespace {

constexpr char kUsage[] =
    "usage: trainer --plan DIR/plan.jsonl --index N --runs-dir DIR/runs [--plan-id ID]\n"
    "       trainer --plan DIR/plan.jsonl --index N --print-params\n"
    "       trainer --version";

// "trainer (ReproSweep) 0.1.0, LibTorch 2.11.0 with CUDA 13.0": what this binary was built
// against, which decides which GPUs and drivers it can use.
std::string version_text() {
  std::string cuda = rs::train::libtorch_cuda_version();
  return fmt::format("trainer (ReproSweep) {}, LibTorch {} {}", RS_VERSION, TORCH_VERSION,
                     cuda.empty() ? "CPU only" : "with CUDA " + cuda);
}

// The run stopped on a signal after writing its checkpoint; slurm/array.sbatch.in knows it.
constexpr int kExitCheckpointed = 3;

// Set by the signal handler, read after every batch. Lock-free, so async-signal-safe.
std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

void request_stop(int) { stop_requested.store(true); }

struct Options {
  std::string plan, runs_dir, plan_id;
  int64_t index = -1;
  bool print_params = false;
};

Options parse_options(int argc, char** argv) {
  Options options;
  std::string index;
  for (int i = 1; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--print-params") {
      options.print_params = true;
      --i;  // takes no value
      continue;
    }
    if (i + 1 >= argc) throw rs::InputError(fmt::format("{}: missing value\n{}", flag, kUsage));
    if (flag == "--plan")
      options.plan = argv[i + 1];
    else if (flag == "--index")
      index = argv[i + 1];
    else if (flag == "--runs-dir")
      options.runs_dir = argv[i + 1];
    else if (flag == "--plan-id")
      options.plan_id = argv[i + 1];
    else
      throw rs::InputError(fmt::format("unknown option {}\n{}", flag, kUsage));
  }
  if (options.plan.empty() || index.empty() || (options.runs_dir.empty() && !options.print_params))
    throw rs::InputError(kUsage);
  auto [end, ec] = std::from_chars(index.data(), index.data() + index.size(), options.index);
  if (ec != std::errc() || end != index.data() + index.size() || options.index < 0)
    throw rs::InputError(fmt::format("--index: expected an integer >= 0, got '{}'", index));
  return options;
}

int run(const Options& options) {
  const rs::contract::PlanEntry entry = rs::contract::read_plan_entry(options.plan, options.index);
  if (!options.plan_id.empty()) {
    const std::string now = rs::contract::planned_plan_id(options.plan);
    if (!now.empty() && now != options.plan_id)
      throw rs::InputError(fmt::format(
          "{} was planned anew (plan {}) since this task was submitted (plan {}): index {} may hold another "
          "run now, which is not trained here; `sweep resubmit` submits the new plan's runs",
          options.plan, now, options.plan_id, options.index));
  }
  const rs::contract::TrainConfig config = rs::contract::parse_train_config(entry.params);
  if (options.print_params) {
    const nlohmann::json printed = {{"index", entry.index}, {"run_id", entry.run_id}, {"group_id", entry.group_id},
                                    {"sweep", entry.sweep}, {"params", entry.params}};
    fmt::print("{}\n", printed.dump(2));
    return 0;
  }
  const std::string path = rs::contract::run_file_path(options.runs_dir, entry.run_id);
  const std::string checkpoint = rs::contract::checkpoint_path(options.runs_dir, entry.run_id);
  rs::make_dirs(options.runs_dir);
  const int64_t world_size = rs::contract::parse_ranks_config(entry.params).world_size;
  const int64_t rank = world_size > 1 ? rs::train::rendezvous_from_slurm(world_size).rank : 0;
  // Taken before the run file is looked at: a holder that has just finished wrote it first.
  const std::string lock_path = rs::contract::lock_path(options.runs_dir, entry.run_id, rank);
  const rs::LockFile lock(lock_path);
  if (!lock.held()) {
    fmt::print(stderr, "trainer: run {} is being trained by another live process ({}, {}); nothing to do here\n",
               entry.run_id, lock.holder(), lock_path);
    return 0;
  }
  std::string unreadable;  // a run file changed on disk may hang libhdf5: asked in a reader process
  if (rs::runfile::run_is_complete_in_time(path, rs::runfile::kDefaultReadTimeoutS, &unreadable)) {
    rs::train::remove_checkpoint(checkpoint);  // left by a process killed after its rename
    fmt::print(stderr, "trainer: {} is already complete; nothing to do\n", path);
    return 0;
  }
  if (!unreadable.empty()) fmt::print(stderr, "trainer: {}: {}; running it again\n", path, unreadable);
  fmt::print(stderr, "trainer: run {} (index {} of sweep {})\n", entry.run_id, entry.index, entry.sweep);
  const rs::train::Checkpointing checkpointing{checkpoint, [] { return stop_requested.load(); }};
  const std::optional<rs::runfile::RunRecord> record =
      rs::train::run_training(entry, config, stderr, checkpointing);
  if (!record) return kExitCheckpointed;
  if (rank != 0) return 0;  // rank 0 writes the run file
  rs::runfile::write_run_file(options.runs_dir, *record);
  rs::train::remove_checkpoint(checkpoint);
  fmt::print(stderr, "trainer: wrote {} ({:.1f} s)\n", path, record->timing.wall_s);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // The array script forwards SLURM's warning before the time limit (USR2) and TERM (scancel,
  // preemption, the time limit itself; SLURM sends KILL KillWait seconds later): both end the
  // run at the next batch boundary with a checkpoint, not at the next epoch, which may be
  // further away than SLURM waits.
  std::signal(SIGUSR2, request_stop);
  std::signal(SIGTERM, request_stop);
  if (argc == 2 && std::string(argv[1]) == "--version") {
    fmt::print("{}\n", version_text());
    return 0;
  }
  // Messages may quote bytes of the files read (a plan line, a data set): the log gets them
  // escaped. LibTorch's own errors without the C++ backtrace that some builds append.
  try {
    return run(parse_options(argc, argv));
  } catch (const rs::InputError& e) {
    fmt::print(stderr, "trainer: {}\n", rs::printable(e.what(), true));
    return rs::kExitInputError;
  } catch (const c10::Error& e) {
    fmt::print(stderr, "trainer: error: {}\n", rs::printable(e.what_without_backtrace(), true));
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "trainer: error: {}\n", rs::printable(e.what(), true));
    return 1;
  }
}
