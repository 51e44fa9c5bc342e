// Compiled with -O3 -ffast-math (lib/stats/CMakeLists.txt), which is what lets GCC replace the
// loops' std::exp / std::log by libmvec's vector versions. Nothing else lives in this file, so
// fast-math's assumptions (finite values, reassociation) reach no other code; these loops do
// not reassociate anything.
#include "stats/vector_math.h"

#include "stats/cpu_clones.h"

#include <cmath>

namespace rs::stats {

RS_AVX2_OR_DEFAULT void exp_in_place(double* values, size_t n) {
  for (size_t i = 0; i < n; ++i) values[i] = std::exp(values[i]);
}

RS_AVX2_OR_DEFAULT void log_in_place(double* values, size_t n) {
  for (size_t i = 0; i < n; ++i) values[i] = std::log(values[i]);
}

}  // namespace rs::stats
