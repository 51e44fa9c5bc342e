// Bootstrap 95 % interval of the sample SD.
//
// Percentile bootstrap: draw `resamples` samples of size n with replacement, take the sample SD
// (ddof = 1) of each, and report the 2.5th and 97.5th percentiles of those SDs (linear
// interpolation between order statistics, as numpy.percentile's default does).
//
// The random indices are fixed so that a summary is reproducible and can be recomputed outside
// the tool: index k of resample b is splitmix64_at(seed, b * n + k) mod n. (The modulo bias is
// below n / 2^64, far under anything a 2000-resample bootstrap can show.)
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace rs::stats {

inline constexpr uint64_t kBootstrapSeed = 20240607;
inline constexpr int kBootstrapResamples = 2000;

struct Interval {
  double lo = 0, hi = 0;
};

// The counter-th output of a SplitMix64 generator started at `seed`: SplitMix64's mixing
// function applied to seed + (counter + 1) * 0x9E3779B97F4A7C15 (arithmetic mod 2^64).
// splitmix64_at(0, 0) == 0xE220A8397B1DCDAF, the reference generator's first output.
uint64_t splitmix64_at(uint64_t seed, uint64_t counter);

// nullopt when x has fewer than two values (no SD to resample).
std::optional<Interval> bootstrap_sd_ci95(const std::vector<double>& x,
                                          uint64_t seed = kBootstrapSeed,
                                          int resamples = kBootstrapResamples);

}  // namespace rs::stats
