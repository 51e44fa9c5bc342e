// RS_AVX2_OR_DEFAULT before a function makes GCC compile it twice, for AVX2 and for baseline
// x86-64, and pick one when the program loads (target_clones): the hot loops of the collector
// use 256-bit vectors on CPUs that have them, and the binary still runs on any x86-64 login
// node. Elsewhere it does nothing.
#pragma once

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define RS_AVX2_OR_DEFAULT __attribute__((target_clones("avx2", "default")))
#else
#define RS_AVX2_OR_DEFAULT
#endif
