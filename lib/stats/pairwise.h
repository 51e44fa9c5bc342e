// The arithmetic of comparing two models, on blocks of their values: the collector compares
// every pair of a group's runs one cache-sized block at a time (report/pair_measures.h,
// report/weight_blocks.h) and adds up what these return over the blocks.
//
// Sums are in double. They run over sixteen interleaved partial sums, added in a fixed tree at
// the end: the sixteen do not wait on each other and fill the SIMD units, while the order of
// the additions, and so the result, stays the same on every run and every x86-64 CPU (unlike
// the cross-entropy's exp: vector_math.h).
#pragma once

#include <cstdint>

namespace rs::stats {

// sum_k a[k], in double.
double sum(const float* a, int64_t n);

// sum_k a[k] * b[k], for float32 values as stored or double values as computed.
double dot_product(const float* a, const float* b, int64_t n);
double dot_product(const double* a, const double* b, int64_t n);

// sum_k (a[k] - b[k])^2.
double squared_distance(const double* a, const double* b, int64_t n);

// How two models' predictions on the same test samples compare.
struct PredictionCounts {
  int64_t differing = 0;         // samples whose predicted classes differ
  int64_t ensemble_correct = 0;  // samples whose label is argmax((logits_a + logits_b) / 2)
};

// Over `n_samples` samples: logits row-major [n_samples, n_classes] as stored, predicted the
// argmax of each row (ties to the first class, as classification.h computes it), labels in
// [0, n_classes). The averaged logits are computed in double; ties go to the first class.
PredictionCounts compare_predictions(const float* logits_a, const float* logits_b,
                                     const int64_t* predicted_a, const int64_t* predicted_b,
                                     const int64_t* labels, int64_t n_samples,
                                     int64_t n_classes);

}  // namespace rs::stats
