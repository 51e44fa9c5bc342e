#include "stats/pairwise.h"

#include "stats/cpu_clones.h"

namespace rs::stats {

namespace {

// The sums below keep kLanes partial sums, each over every kLanes-th element, and add them up
// in a fixed tree at the end: enough independent additions to keep the vector units busy (the
// additions into one partial sum wait on each other). The order of the additions is fixed
// here, not by the compiler, and neither clone (cpu_clones.h) fuses multiply-adds, so the
// AVX2 and the baseline code compute the same values. Measured on 100 ResNet-18-sized runs
// (docs/benchmarks.md): 4 partial sums in SSE2 took 20 s, 16 in AVX2 15 s.
constexpr int64_t kLanes = 16;

double add_lanes(const double* sum) {
  double pairs[kLanes / 2];
  for (int64_t i = 0; i < kLanes / 2; ++i) pairs[i] = sum[2 * i] + sum[2 * i + 1];
  double quads[kLanes / 4];
  for (int64_t i = 0; i < kLanes / 4; ++i) quads[i] = pairs[2 * i] + pairs[2 * i + 1];
  return (quads[0] + quads[1]) + (quads[2] + quads[3]);
}

template <class T>
RS_AVX2_OR_DEFAULT double dot(const T* a, const T* b, int64_t n) {
  double sum[kLanes] = {};
  int64_t k = 0;
  for (; k + kLanes <= n; k += kLanes) {
    for (int64_t lane = 0; lane < kLanes; ++lane) {
      sum[lane] += static_cast<double>(a[k + lane]) * static_cast<double>(b[k + lane]);
    }
  }
  for (; k < n; ++k) sum[k % kLanes] += static_cast<double>(a[k]) * static_cast<double>(b[k]);
  return add_lanes(sum);
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

RS_AVX2_OR_DEFAULT double sum(const float* a, int64_t n) {
  double sum[kLanes] = {};
  int64_t k = 0;
  for (; k + kLanes <= n; k += kLanes) {
    for (int64_t lane = 0; lane < kLanes; ++lane) sum[lane] += a[k + lane];
  }
  for (; k < n; ++k) sum[k % kLanes] += a[k];
  return add_lanes(sum);
}

double dot_product(const float* a, const float* b, int64_t n) { return dot(a, b, n); }

double dot_product(const double* a, const double* b, int64_t n) { return dot(a, b, n); }

RS_AVX2_OR_DEFAULT double squared_distance(const double* a, const double* b, int64_t n) {
  double sum[kLanes] = {};
  int64_t k = 0;
  for (; k + kLanes <= n; k += kLanes) {
    for (int64_t lane = 0; lane < kLanes; ++lane) {
      double d = a[k + lane] - b[k + lane];
      sum[lane] += d * d;
    }
  }
  for (; k < n; ++k) sum[k % kLanes] += (a[k] - b[k]) * (a[k] - b[k]);
  return add_lanes(sum);
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
