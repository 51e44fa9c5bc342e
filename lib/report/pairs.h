// Pairs i < j of n runs, numbered row by row: (0,1) is 0, (0,2) is 1, ..., (0,n-1) is n-2,
// (1,2) is n-1, and so on. Pairwise results are stored and averaged in this order, so that an
// average does not depend on which thread computed which pair.
#pragma once

#include <cstdint>

namespace rs::report {

inline int64_t pair_count(int64_t n) { return n * (n - 1) / 2; }

inline int64_t pair_index(int64_t i, int64_t j, int64_t n) {
  return i * (2 * n - i - 1) / 2 + (j - i - 1);
}

}  // namespace rs::report
