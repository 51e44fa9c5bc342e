// exp and log over whole arrays, for the collector's hot loop (cross-entropy of 10^4 runs x 10^5
// logits is 10^9 exponentials).
//
// Built so that GCC calls glibc's vector math library (libmvec) four or two values at a time
// (AVX2 where the CPU has it, SSE2 otherwise): about four times faster than std::exp per value,
// within 1e-15 relative of it (tests/stats/vector_math_test.cc). The AVX2 and the SSE2 code may
// differ in the last bit, so a cross-entropy can differ in its last digit between CPUs. Inputs
// must be finite; exp may underflow to 0.
#pragma once

#include <cstddef>

namespace rs::stats {

void exp_in_place(double* values, size_t n);
void log_in_place(double* values, size_t n);  // values > 0

}  // namespace rs::stats
