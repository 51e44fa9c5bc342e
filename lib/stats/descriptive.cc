#include "stats/descriptive.h"

#include <algorithm>
#include <cmath>

namespace rs::stats {

bool all_equal(const std::vector<double>& x) {
  return std::all_of(x.begin(), x.end(), [&](double v) { return v == x[0]; });
}

std::optional<double> mean(const std::vector<double>& x) {
  if (x.empty()) return std::nullopt;
  if (all_equal(x)) return x[0];
  double sum = 0;
  for (double v : x) sum += v;
  return sum / static_cast<double>(x.size());
}

std::optional<double> sample_sd(const std::vector<double>& x) {
  if (x.size() < 2) return std::nullopt;
  if (all_equal(x)) return 0.0;
  double m = *mean(x);
  double sum_sq = 0;
  for (double v : x) sum_sq += (v - m) * (v - m);
  return std::sqrt(sum_sq / static_cast<double>(x.size() - 1));
}

std::optional<double> range(const std::vector<double>& x) {
  if (x.empty()) return std::nullopt;
  auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  return *hi - *lo;
}

std::optional<double> quantile(std::vector<double> x, double q) {
  if (x.empty()) return std::nullopt;
  std::sort(x.begin(), x.end());
  double position = q * static_cast<double>(x.size() - 1);
  size_t below = static_cast<size_t>(std::floor(position));
  if (below + 1 >= x.size()) return x.back();
  double fraction = position - static_cast<double>(below);
  return x[below] + fraction * (x[below + 1] - x[below]);
}

}  // namespace rs::stats
