// sweep: plan, run, submit and collect reproducibility sweeps (docs/usage.md).
#include <cstdio>
#include <exception>
#include <map>
#include <string>

#include <fmt/format.h>

#include "commands.h"
#include "util/error.h"
#include "util/text.h"

namespace {

const char* kUsage = R"(usage: sweep COMMAND [ARGS]

  plan GRID.yaml -o DIR   expand a grid into DIR (plan.jsonl, SLURM array scripts)
  run DIR [-j N]          run every array task here, N at a time (skips finished runs)
  preflight DIR           prove each kind of node repeats a run bit for bit (--local: here)
  submit DIR              sbatch the arrays, then the collector after them
  status DIR              done / running / pending / failed / missing runs
  resubmit DIR            sbatch exactly the failed and missing runs again
  cancel DIR              scancel the sweep's jobs
  follow-up DIR           (the follow-up job's) retries and the next window, then itself again
  collect DIR             tables of ND vs D and stability from DIR's run files
  power DIR               replicas a question needs, from a pilot sweep's spread
  energy PATH...          energy, GPU-hours and CO2 of run files, per sweep, user, account, ...
  verify PATH...          good, corrupt or unreadable: run files checked against their digests

`sweep COMMAND --help` describes each command; `sweep --version` prints the version.)";

}  // namespace

int main(int argc, char** argv) {
  const std::map<std::string, int (*)(const rs::app::Args&)> commands = {
      {"plan", rs::app::plan_command},
      {"run", rs::app::run_command},
      {"preflight", rs::app::preflight_command},
      {"submit", rs::app::submit_command},
      {"resubmit", rs::app::resubmit_command},
      {"status", rs::app::status_command},
      {"cancel", rs::app::cancel_command},
      {"follow-up", rs::app::follow_up_command},
      {"collect", rs::app::collect_command},
      {"power", rs::app::power_command},
      {"energy", rs::app::energy_command},
      {"verify", rs::app::verify_command}};
  if (argc == 2 && std::string(argv[1]) == "--version") {
    fmt::print("sweep (ReproSweep) {}\n", RS_VERSION);
    return 0;
  }
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    fmt::print(argc < 2 ? stderr : stdout, "{}\n", kUsage);
    return argc < 2 ? rs::kExitInputError : 0;
  }
  auto command = commands.find(argv[1]);
  if (command == commands.end()) {
    fmt::print(stderr, "sweep: unknown command '{}'\n\n{}\n", argv[1], kUsage);
    return rs::kExitInputError;
  }
  try {
    return command->second(rs::app::Args(argv + 2, argv + argc));
  } catch (const rs::InputError& e) {
    // Messages may quote what a file or an argument holds: escaped for the terminal.
    fmt::print(stderr, "sweep {}: error: {}\n", argv[1], rs::printable(e.what(), true));
    return rs::kExitInputError;
  } catch (const std::exception& e) {
    fmt::print(stderr, "sweep {}: failed: {}\n", argv[1], rs::printable(e.what(), true));
    return 1;
  }
}
