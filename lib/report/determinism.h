// The determinism check: D runs of a group that share all five seeds and ran in one environment
// (environments.h: the grid's environment and what /env measured) must be bit-identical.
// Across environments they need not be: how far apart they are is bitwise portability
// (portability.h), a finding, not a failure.
//
// "Identical" means byte-for-byte equal /weights/flat and /eval/logits. A group that fails is
// the loudest finding a sweep can have (the D value it reports is not reproducible), so the
// collector flags it in every output.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "report/evaluated_run.h"

namespace rs::report {

struct DeterminismCheck {
  // true: every set of D runs with equal seeds is bit-identical; false: at least one set is not;
  // nullopt: no two D runs share their seeds, so there is nothing to compare.
  std::optional<bool> d_identical;
  std::vector<std::string> differing_run_ids;  // every run of each set that is not identical
  std::vector<std::string> notes;
};

DeterminismCheck check_d_runs(const std::vector<EvaluatedRun>& d_runs);

// Byte-for-byte equal floats (/eval/logits).
bool same_bytes(const std::vector<float>& a, const std::vector<float>& b);

}  // namespace rs::report
