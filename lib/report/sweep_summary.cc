#include "report/sweep_summary.h"

#include <algorithm>

namespace rs::report {

bool determinism_failed(const SweepSummary& summary) {
  return std::any_of(summary.groups.begin(), summary.groups.end(), [](const GroupStats& group) {
    return group.determinism.d_identical == false;
  });
}

}  // namespace rs::report
