// Variability reduction: by how much a change (test-time augmentation, ...) lowers a measure of
// how much runs differ (an SD, the disagreement, ...), in percent of the measure without it:
//
//   reduction_pct = 100 * (1 - m_with / m_without)
//
// 100: with the change the runs agree exactly; 0: no effect; below 0: more spread. Correlation
// rises as runs agree more, so it enters in one of two forms, which seed 002's original and its
// replication used without saying so (their averages differ by about 20 %):
//
//   as 1 - corr:             100 * (1 - (1 - corr_with) / (1 - corr_without))
//   as a relative change:    100 * (corr_with - corr_without) / corr_without
//
// Whatever prints a reduction prints its formula next to it.
#pragma once

#include <optional>

namespace rs::stats {

// nullopt when m_without is 0: the runs do not differ without the change, nothing to reduce.
std::optional<double> reduction_pct(double m_without, double m_with);

// The reduction of 1 - corr; nullopt when corr_without is 1.
std::optional<double> one_minus_corr_reduction_pct(double corr_without, double corr_with);

// The relative change of corr; nullopt when corr_without is 0.
std::optional<double> corr_change_pct(double corr_without, double corr_with);

}  // namespace rs::stats
