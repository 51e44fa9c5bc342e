// What a grid's environment promised about its runs, and whether a run kept it.
//
// `sweep plan` lists a grid's environments in sweep.json (write_plan.h, environments_json):
// their threads and `expect:` (/env fields such as torch_version). A run that saw something
// else, another torch version or another thread count, did not run in the environment its
// params name: the collector lists it in summary.json and `sweep preflight` fails on it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "runfile/run_file.h"

namespace rs::runfile {

struct EnvironmentPromise {
  std::string name;
  int64_t threads = 0;                        // 0 = none promised
  std::map<std::string, std::string> expect;  // /env field -> value
};

// The grid's environment `record` belongs to: its params' `environment` (which the trainer also
// writes into the run file's /env); "" for a run of a grid without environments.
std::string environment_name(const RunRecord& record);

// The environments of DIR/sweep.json; none for a sweep without them (or without sweep.json).
// Throws rs::InputError when sweep.json does not parse.
std::vector<EnvironmentPromise> read_environment_promises(const std::string& sweep_dir);

// Each way `record` (read with run_info) breaks the promise of the environment it belongs to,
// e.g. "torch_version: expected 2.11.0, the run saw 1.13.1" or "threads: expected 2, the run
// used 1 (/settings cpu_threads)"; none when it keeps it or names no listed environment.
std::vector<std::string> broken_promises(const std::vector<EnvironmentPromise>& promises,
                                         const RunRecord& record);

}  // namespace rs::runfile
