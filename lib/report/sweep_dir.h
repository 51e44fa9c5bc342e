// The parts of a sweep folder (contract/layout.h) the collector reads:
//
//   DIR/plan.jsonl                 one planned run per line (written by `sweep plan`)
//   DIR/runs/<run_id>.h5           complete run files
//   DIR/runs/<run_id>.h5.partial   runs still being written
//
// and writes: DIR/results/ (see collect.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "contract/plan_file.h"

namespace rs::report {

struct SweepPlan {
  bool found = false;  // false when DIR/plan.jsonl does not exist
  std::string sweep_name;
  std::vector<contract::PlannedRun> runs;  // in file order
};

// Reads DIR/plan.jsonl (contract/plan_file.h). Throws rs::InputError("DIR/plan.jsonl:LINE: ...")
// on a line that is not a plan entry.
SweepPlan read_plan(const std::string& sweep_dir);

struct RunFiles {
  std::vector<std::string> complete;  // paths of DIR/runs/*.h5, sorted
  std::vector<std::string> partial;   // paths of DIR/runs/*.h5.partial, sorted
};

// Lists DIR/runs/; both lists are empty when the folder does not exist yet.
RunFiles list_run_files(const std::string& sweep_dir);

// "abc.h5" -> "abc", "abc.h5.partial" -> "abc": the run_id a run file's name claims.
std::string run_id_from_path(const std::string& path);

}  // namespace rs::report
