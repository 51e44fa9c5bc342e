// trainer: trains one run of a sweep's plan and writes its run file.
//
//   trainer --plan DIR/plan.jsonl --index N --runs-dir DIR/runs
//
// Reads line N (0-based) of the plan, checks its params, and trains unless
// <runs-dir>/<run_id>.h5 is already complete (a resubmitted array task then ends at once).
// Progress goes to stderr, one line per epoch. Exit status: 0 done, 2 bad input (usage, plan
// line, params, data files), 1 any other failure.
#include <charconv>
#include <csignal>
#include <cstdio>
#include <exception>
#include <string>

#include <fmt/format.h>

#include "runfile/run_file.h"
#include "train/config.h"
#include "sweep/plan_file.h"
#include "train/run.h"
#include "util/error.h"
#include "util/files.h"

namespace {

constexpr char kUsage[] = "usage: trainer --plan DIR/plan.jsonl --index N --runs-dir DIR/runs";

struct Options {
  std::string plan, runs_dir;
  int64_t index = -1;
};

Options parse_options(int argc, char** argv) {
  Options options;
  std::string index;
  for (int i = 1; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) throw rs::InputError(fmt::format("{}: missing value\n{}", flag, kUsage));
    if (flag == "--plan")
      options.plan = argv[i + 1];
    else if (flag == "--index")
      index = argv[i + 1];
    else if (flag == "--runs-dir")
      options.runs_dir = argv[i + 1];
    else
      throw rs::InputError(fmt::format("unknown option {}\n{}", flag, kUsage));
  }
  if (options.plan.empty() || index.empty() || options.runs_dir.empty()) throw rs::InputError(kUsage);
  auto [end, ec] = std::from_chars(index.data(), index.data() + index.size(), options.index);
  if (ec != std::errc() || end != index.data() + index.size() || options.index < 0)
    throw rs::InputError(fmt::format("--index: expected an integer >= 0, got '{}'", index));
  return options;
}

int run(const Options& options) {
  const rs::sweep::PlanEntry entry = rs::sweep::read_plan_entry(options.plan, options.index);
  const rs::train::TrainConfig config = rs::train::parse_train_config(entry.params);
  const std::string path = rs::runfile::run_file_path(options.runs_dir, entry.run_id);
  if (rs::runfile::run_is_complete(path)) {
    fmt::print(stderr, "trainer: {} is already complete; nothing to do\n", path);
    return 0;
  }
  fmt::print(stderr, "trainer: run {} (index {} of sweep {})\n", entry.run_id, entry.index, entry.sweep);
  rs::make_dirs(options.runs_dir);
  const rs::runfile::RunRecord record = rs::train::run_training(entry, config, stderr);
  rs::runfile::write_run_file(options.runs_dir, record);
  fmt::print(stderr, "trainer: wrote {} ({:.1f} s)\n", path, record.timing.wall_s);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // The array script forwards SLURM's early warning (USR2, 120 s before the time limit). Until
  // the trainer can checkpoint, it lets the run go on: it may still finish in time, and the
  // signal's default action would kill it for certain.
  std::signal(SIGUSR2, SIG_IGN);
  try {
    return run(parse_options(argc, argv));
  } catch (const rs::InputError& e) {
    fmt::print(stderr, "trainer: {}\n", e.what());
    return rs::kExitInputError;
  } catch (const std::exception& e) {
    fmt::print(stderr, "trainer: error: {}\n", e.what());
    return 1;
  }
}
