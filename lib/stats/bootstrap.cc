#include "stats/bootstrap.h"

#include "stats/descriptive.h"
#include "util/splitmix64.h"

namespace rs::stats {

// splitmix64() adds the first step itself: its state here is seed + (counter + 1) * gamma.
uint64_t splitmix64_at(uint64_t seed, uint64_t counter) {
  return splitmix64(seed + counter * kSplitMix64Gamma);
}

std::optional<Interval> bootstrap_sd_ci95(const std::vector<double>& x, uint64_t seed,
                                          int resamples) {
  if (x.size() < 2 || resamples < 1) return std::nullopt;
  const uint64_t n = x.size();
  std::vector<double> sds;
  sds.reserve(resamples);
  std::vector<double> resample(n);
  for (uint64_t b = 0; b < static_cast<uint64_t>(resamples); ++b) {
    for (uint64_t k = 0; k < n; ++k) resample[k] = x[splitmix64_at(seed, b * n + k) % n];
    sds.push_back(*sample_sd(resample));
  }
  return Interval{*quantile(sds, 0.025), *quantile(sds, 0.975)};
}

}  // namespace rs::stats
