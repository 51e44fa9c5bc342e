// `sweep collect DIR`: reads a sweep's run files and writes its statistics (docs/statistics.md).
//
// Reads DIR/plan.jsonl (the runs expected; optional) and DIR/runs/*.h5 (never modified), groups
// the runs by group_id and writes, each atomically:
//   DIR/results/summary.json                 every number, its formula, skipped and missing runs
//   DIR/results/nd_vs_d.{md,csv,tex}         ND vs D per group
//   DIR/results/stability.{md,csv,tex}       stability across runs per group
//   DIR/results/significance.{md,csv,tex}    significant groups per data set and optimizer
//
// With a plan, only planned runs count: a run file whose run_id is not in plan.jsonl is skipped
// (it belongs to an older plan). Runs are loaded one group at a time, so memory holds one
// group's weights and logits, not the sweep's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "report/sweep_summary.h"

namespace rs::report {

struct CollectOptions {
  std::string sweep_dir;
  CarbonFactors carbon;  // for co2_kg in summary.json
};

struct CollectResult {
  int64_t runs_planned = 0, runs_read = 0;
  // Unusable run files (path and why) and runs still being written (their .partial path,
  // reason "in progress").
  std::vector<SkippedRun> skipped;
  // Planned runs that did not enter the statistics: no file yet, in progress, or skipped.
  std::vector<std::string> missing_run_ids;
  // The ND-vs-D table for a 100-column terminal, with a DETERMINISM FAILED banner on top when
  // any group failed.
  std::string terminal_table;
  bool determinism_failed = false;
};

// Throws rs::InputError for a malformed plan.jsonl, std::runtime_error when DIR/results cannot
// be written. A bad run file never throws: it is listed in `skipped`.
CollectResult collect_sweep(const CollectOptions& options);

}  // namespace rs::report
