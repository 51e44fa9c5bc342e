// Bitwise portability (seed 003): do the D runs of a group that share all five seeds give the
// same model in every environment? For each such pair of runs in two environments
// (environments.h): whether /weights/flat and /eval/logits are byte-identical, and how far
// apart they are when not: the relative L2 distance of the weights and the share of test
// predictions that differ. Formulas: docs/statistics.md, "Environments".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "contract/noise_source.h"
#include "report/environments.h"
#include "report/evaluated_run.h"

namespace rs::report {

struct PortabilityPair {
  Environment environment_a, environment_b;  // a < b
  std::string run_a, run_b;
  contract::SourceSeeds seeds;
  bool weights_identical = false, logits_identical = false;
  // ||w_a - w_b|| / max(||w_a||, ||w_b||) on /weights/flat; nullopt when the weights differ
  // in length or are all zero.
  std::optional<double> rel_l2_weights;
  double disagreement_pct = 0;  // 100 * fraction of test samples whose argmax differs
};

struct Portability {
  // One entry per set of equal seeds and pair of environments that both have a D run with
  // them (the first of each environment's), sorted by seeds, then environments.
  std::vector<PortabilityPair> pairs;
  // true: every pair is byte-identical; false: some pair is not; nullopt: no pairs.
  std::optional<bool> identical;
  std::vector<std::string> notes;
};

// `d_runs`: a group's D runs.
Portability measure_portability(const std::vector<EvaluatedRun>& d_runs);

}  // namespace rs::report
