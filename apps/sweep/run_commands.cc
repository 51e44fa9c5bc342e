// sweep run | submit | collect DIR: the commands that act on a planned sweep folder.
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.h"
#include "options.h"
#include "report/collect.h"
#include "sweep/local_run.h"
#include "sweep/submit.h"

namespace rs::app {
namespace {

namespace po = boost::program_options;

// The last `n` lines of a log, to show why a run failed without opening files.
std::string tail_lines(const std::string& path, size_t n) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::string out;
  for (size_t i = lines.size() > n ? lines.size() - n : 0; i < lines.size(); ++i) out += "    " + lines[i] + "\n";
  return out;
}

}  // namespace

int run_command(const Args& args) {
  po::options_description options("sweep run options");
  sweep::LocalRunOptions run;
  options.add_options()
      ("dir", po::value(&run.dir)->required(), "planned sweep folder")
      ("jobs,j", po::value(&run.jobs)->default_value(0), "tasks at a time (0: CPUs / cpus_per_task)");
  po::variables_map values;
  if (!parse_args(args, "sweep run DIR [-j N]", options, {"dir"}, values)) return 0;

  sweep::LocalRunResult result = sweep::run_local(run);
  fmt::print("{} runs: {} done now, {} were already done, {} failed\n", result.total, result.succeeded,
             result.skipped, result.failed_logs.size());
  for (const auto& log : result.failed_logs) fmt::print(stderr, "failed: {}\n{}", log, tail_lines(log, 5));
  return result.failed_logs.empty() ? 0 : 1;
}

int submit_command(const Args& args) {
  po::options_description options("sweep submit options");
  std::string dir;
  options.add_options()("dir", po::value(&dir)->required(), "planned sweep folder");
  po::variables_map values;
  if (!parse_args(args, "sweep submit DIR", options, {"dir"}, values)) return 0;

  sweep::SubmitResult result = sweep::submit_sweep(dir);
  for (const auto& a : result.arrays) fmt::print("{}: job {}\n", a.script, a.job_id);
  fmt::print("{}: job {} (after the arrays end)\nrecorded in {}/jobs.json\n", result.collect.script,
             result.collect.job_id, dir);
  return 0;
}

int collect_command(const Args& args) {
  po::options_description options("sweep collect options");
  report::CollectOptions collect;
  options.add_options()("dir", po::value(&collect.sweep_dir)->required(), "sweep folder");
  po::variables_map values;
  if (!parse_args(args, "sweep collect DIR", options, {"dir"}, values)) return 0;

  report::CollectResult result = report::collect_sweep(collect);
  fmt::print("{}", result.terminal_table);
  for (const auto& s : result.skipped) fmt::print(stderr, "skipped {}: {}\n", s.path_or_run_id, s.reason);
  if (!result.missing_run_ids.empty())
    fmt::print(stderr, "{} of {} planned runs have no complete run file yet\n", result.missing_run_ids.size(),
               result.runs_planned);
  fmt::print("{} run files read; results in {}/results/\n", result.runs_read, collect.sweep_dir);
  return result.determinism_failed ? 3 : 0;
}

}  // namespace rs::app
