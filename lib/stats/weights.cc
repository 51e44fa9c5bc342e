#include "stats/weights.h"

#include <cmath>

namespace rs::stats {

namespace {

double l2_norm(const float* v, size_t n) {
  double sum_sq = 0;
  for (size_t i = 0; i < n; ++i) sum_sq += static_cast<double>(v[i]) * v[i];
  return std::sqrt(sum_sq);
}

}  // namespace

std::optional<double> unit_l2_distance(const float* a, const float* b, size_t n) {
  double norm_a = l2_norm(a, n), norm_b = l2_norm(b, n);
  if (norm_a == 0 || norm_b == 0) return std::nullopt;
  // Summing the squared differences directly (rather than 2 - 2 cos) keeps the precision of
  // small distances between nearly identical models.
  double sum_sq = 0;
  for (size_t i = 0; i < n; ++i) {
    double d = a[i] / norm_a - b[i] / norm_b;
    sum_sq += d * d;
  }
  return std::sqrt(sum_sq);
}

std::optional<double> cosine_similarity(const float* a, const float* b, size_t n) {
  double norm_a = l2_norm(a, n), norm_b = l2_norm(b, n);
  if (norm_a == 0 || norm_b == 0) return std::nullopt;
  double dot = 0;
  for (size_t i = 0; i < n; ++i) dot += static_cast<double>(a[i]) * b[i];
  return dot / (norm_a * norm_b);
}

}  // namespace rs::stats
