// Variability reduction: by how much a change (test-time augmentation, ...) lowers the SD of a
// result across runs, in percent of the SD without it:
//
//   reduction_pct = 100 * (1 - sd_with / sd_without)
//
// 100: with the change the runs agree exactly; 0: no effect; below 0: more spread. Seed 002's
// replication found a paper's reduction percentages about 20 % too high because their formula
// was never stated, so whatever prints a reduction prints kReductionFormula next to it.
#pragma once

#include <optional>

namespace rs::stats {

inline constexpr char kReductionFormula[] = "100 * (1 - sd_with / sd_without)";

// nullopt when sd_without is 0: the runs do not vary without the change, nothing to reduce.
std::optional<double> reduction_pct(double sd_without, double sd_with);

}  // namespace rs::stats
