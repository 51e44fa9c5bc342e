// Distances between two models' weight vectors (float32 as stored, computed in double).
//
// Both take pointers and a length so that one row of /weights/last_layer can be compared
// without copying it.
#pragma once

#include <cstddef>
#include <optional>

namespace rs::stats {

// || a / ||a|| - b / ||b|| ||: the L2 distance of the unit-normalised vectors, in [0, 2].
// nullopt when either vector is all zeros (it has no direction).
std::optional<double> unit_l2_distance(const float* a, const float* b, size_t n);

// a . b / (||a|| ||b||), in [-1, 1]; nullopt when either vector is all zeros.
std::optional<double> cosine_similarity(const float* a, const float* b, size_t n);

}  // namespace rs::stats
