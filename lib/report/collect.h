// `sweep collect DIR`: reads a sweep's run files and writes its statistics (docs/statistics.md).
//
// Reads DIR/plan.jsonl (the runs expected; optional) and DIR/runs/*.h5 (never modified), groups
// the runs by group_id and writes, each atomically:
//   DIR/results/summary.json                 every number, its formula, skipped and missing runs
//   DIR/results/nd_vs_d.{md,csv,tex}         ND vs D per group
//   DIR/results/stability.{md,csv,tex}       stability across runs per group
//   DIR/results/significance.{md,csv,tex}    significant groups per data set and optimizer
//   DIR/results/per_class.{md,csv,tex}       per-class accuracy SD per group
//   DIR/results/overhead.{md,csv,tex}        time of D runs / ND runs per group
//   DIR/results/energy.{md,csv,tex}          kWh and CO2 per group and in total, with the PUE
//                                            and carbon intensity used and their sources
//   DIR/results/tta.{md,csv,tex}             accuracy SD without and with test-time
//                                            augmentation, only when some run has TTA logits
//                                            (else an old one is removed)
//   DIR/results/env.{md,csv,tex}             accuracy per environment, only when some group ran
//                                            in more than one (else an old one is removed)
//   DIR/results/portability.{md,csv,tex}     D runs with equal seeds across environments,
//                                            only when some group has such runs
//   DIR/results/adaptive.{md,csv,tex}        why each adaptive point stopped adding replicas,
//                                            only for a sweep with adaptive points
//   DIR/results/forecast.{md,csv,tex}        `sweep plan --forecast-from`'s forecast beside the
//                                            measured totals, only with a DIR/forecast.json of
//                                            this plan
//   DIR/results/report.html                  all of it on one page, with plots
//
// With a plan, only planned runs count: a run file whose run_id is not in plan.jsonl is skipped
// (it belongs to an older plan). Runs are loaded one group at a time, and weights are read in
// blocks (weight_blocks.h), so memory holds one group's logits and one block of its weights.
// Every file is read first in a reader process (runfile/reader_process.h), with its digests
// checked: a file that does not read within the time limit, crashes the reader or does not
// match its digests is skipped and the report goes on.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "energy/site_config.h"
#include "report/sweep_summary.h"
#include "runfile/reader_process.h"
#include "stats/metric.h"

namespace rs::report {

struct CollectOptions {
  std::string sweep_dir;
  // The PUE and carbon intensity, as energy::resolve_site() found them (the caller resolves
  // them so that `sweep collect` and `sweep energy` take them from the same places). Required:
  // collect_sweep() refuses factors without a source rather than print an unexplained CO2.
  energy::SiteConfig site;
  // The value compared between runs (the ND-vs-D table, its test, the stability tables'
  // metric SD); stats/metric.h. A run for which it is undefined (AUC of a run that is not a
  // two-class task) is skipped with the reason.
  stats::Metric metric = stats::Metric::kAccuracy;
  // How long reading one run file may take before it is skipped as unreadable.
  double read_timeout_s = runfile::kDefaultReadTimeoutS;
};

struct CollectResult {
  int64_t runs_planned = 0, runs_read = 0;
  // Unusable run files (path and why) and runs still being written (their .partial path,
  // reason "in progress"). Paths and reasons are printable text (util/text.h).
  std::vector<SkippedRun> skipped;
  // Planned runs that did not enter the statistics: no file yet, in progress, or skipped.
  std::vector<std::string> missing_run_ids;
  // What the terminal shows, for a 100-column terminal: a DETERMINISM FAILED banner on top
  // when any group failed, then the tables that have data for the sweep's design (ND vs D for
  // the groups with both modes, stability for the groups with replicas) and the energy line.
  std::string terminal_table;
  bool determinism_failed = false;
};

// Reads the sweep and computes every group's statistics, writing nothing (what collect_sweep()
// writes is made from it; `sweep power` plans replicas from it). options.site is only echoed.
// Throws rs::InputError as collect_sweep() does.
SweepSummary summarize_sweep(const CollectOptions& options);

// Throws std::invalid_argument for options.site without sources, rs::InputError for a folder
// that does not exist or is not a sweep folder (neither plan.jsonl nor runs/; nothing is
// written then) and for a malformed plan.jsonl, std::runtime_error when DIR/results cannot be
// written. A bad run file never throws: it is listed in `skipped`.
CollectResult collect_sweep(const CollectOptions& options);

}  // namespace rs::report
