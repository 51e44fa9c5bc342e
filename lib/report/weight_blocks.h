// What the collector measures on the runs' /weights/flat, reading the run files in blocks
// (runfile::RunFileReader) instead of holding whole weight vectors: a group of 100 ResNet-18
// runs has 4.4 GB of weights. Memory holds at most kWeightBlockBytes of blocks at a time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runfile/run_file.h"

namespace rs::report {

inline constexpr int64_t kWeightBlockBytes = int64_t{128} << 20;

// One pass over a run's weights.
struct WeightsScan {
  int64_t size = 0;    // P, the number of weights
  bool finite = true;  // no NaN or infinite weight
  double norm = 0;     // L2 norm, in double
};

// Each throws runfile::RunFileError when a file cannot be read.
WeightsScan scan_weights(runfile::RunFileReader* file);

// True when both files hold the same weights, byte for byte.
bool same_weights(const std::string& path_a, const std::string& path_b);

// || w_i / norms[i] - w_j / norms[j] || for every pair i < j of the runs, in the order
// (0,1), (0,2), ..., (0,n-1), (1,2), ...: the L2 distance of the unit-normalised weights. Needs
// two runs or more, each with the same number of weights (>= 1) and norms[i] > 0 (scan_weights).
// `block_bytes` bounds the memory held (tests set it small to cross block boundaries).
std::vector<double> unit_l2_distances(const std::vector<std::string>& paths,
                                      const std::vector<double>& norms,
                                      int64_t block_bytes = kWeightBlockBytes);

}  // namespace rs::report
