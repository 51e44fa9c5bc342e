// Mean and sample standard deviation of a sample.
//
// Every SD in ReproSweep is the sample SD with ddof = 1 (divides by n - 1), as in the studies
// the tool reproduces (docs/statistics.md).
#pragma once

#include <optional>
#include <vector>

namespace rs::stats {

// Arithmetic mean; nullopt for an empty sample.
std::optional<double> mean(const std::vector<double>& x);

// sqrt(sum_i (x_i - mean)^2 / (n - 1)); nullopt when n < 2. A sample whose values are all
// equal has SD exactly 0, not a rounding residue, so that the t-test's zero-spread rule applies.
std::optional<double> sample_sd(const std::vector<double>& x);

// max - min; nullopt for an empty sample.
std::optional<double> range(const std::vector<double>& x);

}  // namespace rs::stats
