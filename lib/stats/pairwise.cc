#include "stats/pairwise.h"

namespace rs::stats {

namespace {

template <class T>
double dot(const T* a, const T* b, int64_t n) {
  double sum[4] = {0, 0, 0, 0};
  int64_t k = 0;
  for (; k + 4 <= n; k += 4) {
    for (int lane = 0; lane < 4; ++lane) {
      sum[lane] += static_cast<double>(a[k + lane]) * static_cast<double>(b[k + lane]);
    }
  }
  for (; k < n; ++k) sum[0] += static_cast<double>(a[k]) * static_cast<double>(b[k]);
  return (sum[0] + sum[1]) + (sum[2] + sum[3]);
}

// The class of the largest (a[c] + b[c]) / 2, the first one on ties. Halving a double is
// exact, so the largest a[c] + b[c] is the same class and the halving is left out.
int64_t ensemble_class(const float* a, const float* b, int64_t n_classes) {
  int64_t best = 0;
  double best_value = static_cast<double>(a[0]) + b[0];
  for (int64_t c = 1; c < n_classes; ++c) {
    double value = static_cast<double>(a[c]) + b[c];
    if (value > best_value) {
      best = c;
      best_value = value;
    }
  }
  return best;
}

}  // namespace

double sum(const float* a, int64_t n) {
  double sum[4] = {0, 0, 0, 0};
  int64_t k = 0;
  for (; k + 4 <= n; k += 4) {
    for (int lane = 0; lane < 4; ++lane) sum[lane] += a[k + lane];
  }
  for (; k < n; ++k) sum[0] += a[k];
  return (sum[0] + sum[1]) + (sum[2] + sum[3]);
}

double dot_product(const float* a, const float* b, int64_t n) { return dot(a, b, n); }

double dot_product(const double* a, const double* b, int64_t n) { return dot(a, b, n); }

double squared_distance(const double* a, const double* b, int64_t n) {
  double sum[4] = {0, 0, 0, 0};
  int64_t k = 0;
  for (; k + 4 <= n; k += 4) {
    for (int lane = 0; lane < 4; ++lane) {
      double d = a[k + lane] - b[k + lane];
      sum[lane] += d * d;
    }
  }
  for (; k < n; ++k) sum[0] += (a[k] - b[k]) * (a[k] - b[k]);
  return (sum[0] + sum[1]) + (sum[2] + sum[3]);
}

PredictionCounts compare_predictions(const float* logits_a, const float* logits_b,
                                     const int64_t* predicted_a, const int64_t* predicted_b,
                                     const int64_t* labels, int64_t n_samples,
                                     int64_t n_classes) {
  PredictionCounts counts;
  for (int64_t i = 0; i < n_samples; ++i) {
    // When both models put class c first, so does their average, and the averaging can be
    // skipped (it is most of the work, and most samples agree). For k > c, a[c] >= a[k] and
    // b[c] >= b[k]; for k < c both are strict (ties go to the first class). Rounding to double
    // keeps >=, and keeps > too: the exact sums then differ by at least one float step of the
    // largest of the four values (2^-24 of it), far more than double rounding can close (2^-52).
    int64_t ensemble = predicted_a[i];
    if (predicted_a[i] != predicted_b[i]) {
      ++counts.differing;
      ensemble = ensemble_class(logits_a + i * n_classes, logits_b + i * n_classes, n_classes);
    }
    counts.ensemble_correct += ensemble == labels[i];
  }
  return counts;
}

}  // namespace rs::stats
