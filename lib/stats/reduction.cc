#include "stats/reduction.h"

namespace rs::stats {

std::optional<double> reduction_pct(double sd_without, double sd_with) {
  if (sd_without == 0) return std::nullopt;
  return 100 * (1 - sd_with / sd_without);
}

}  // namespace rs::stats
