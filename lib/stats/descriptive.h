// Mean, sample standard deviation and quantiles of a sample.
//
// Every SD in ReproSweep is the sample SD with ddof = 1 (divides by n - 1), as in the studies
// the tool reproduces (docs/statistics.md).
#pragma once

#include <optional>
#include <vector>

namespace rs::stats {

// Arithmetic mean; nullopt for an empty sample. A sample whose values are all equal has that
// value as its mean exactly: summing three 0.8s and dividing by 3 gives 0.8000000000000002,
// which would make equal ND and D results "significantly" different.
std::optional<double> mean(const std::vector<double>& x);

// True when x has no value or all its values are equal (==).
bool all_equal(const std::vector<double>& x);

// sqrt(sum_i (x_i - mean)^2 / (n - 1)); nullopt when n < 2. A sample whose values are all
// equal has SD exactly 0, not a rounding residue, so that the t-test's zero-spread rule applies.
std::optional<double> sample_sd(const std::vector<double>& x);

// max - min; nullopt for an empty sample.
std::optional<double> range(const std::vector<double>& x);

// The q-quantile (0 <= q <= 1) of the sample, interpolating linearly between the sorted values
// (numpy.percentile's default): position q * (n - 1) of the sorted sample. nullopt when empty.
std::optional<double> quantile(std::vector<double> x, double q);

}  // namespace rs::stats
