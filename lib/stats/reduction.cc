#include "stats/reduction.h"

namespace rs::stats {

std::optional<double> reduction_pct(double m_without, double m_with) {
  if (m_without == 0) return std::nullopt;
  return 100 * (1 - m_with / m_without);
}

std::optional<double> one_minus_corr_reduction_pct(double corr_without, double corr_with) {
  return reduction_pct(1 - corr_without, 1 - corr_with);
}

std::optional<double> corr_change_pct(double corr_without, double corr_with) {
  if (corr_without == 0) return std::nullopt;
  return 100 * (corr_with - corr_without) / corr_without;
}

}  // namespace rs::stats
