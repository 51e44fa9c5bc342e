#!/usr/bin/env bash
# Configures and builds into build/ (executables in build/bin/). Incremental and cached: ccache
# keeps compiled objects in ~/.cache/ccache, so a fresh clone rebuilds in a fraction of the time.
#
#   env/build.sh              everything: the tools, the tests and the benchmarks' helpers
#   env/build.sh TARGET...    only these targets and what they need (env/demo.sh: sweep trainer)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ ! -f build/CMakeCache.txt ]; then
  mkdir -p build
  if ! cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      >build/configure.log 2>build/configure-warnings.log; then
    cat build/configure.log build/configure-warnings.log >&2
    rm -f build/CMakeCache.txt  # configure again next time
    exit 1
  fi
  # LibTorch's own CMake files warn twice on every machine: it ignores CMAKE_CUDA_ARCHITECTURES
  # (the trainer compiles no CUDA code of its own) and finds no kineto (PyTorch's profiler,
  # which the trainer does not use). Say so once; show any other warning in full.
  warnings=$(grep -c '^CMake Warning' build/configure-warnings.log || true)
  known=$(grep -cE 'not compatible with .CMAKE_CUDA_ARCHITECTURES.|library kineto not found' \
            build/configure-warnings.log || true)
  if [ "$warnings" -gt "$known" ]; then
    cat build/configure-warnings.log >&2
  elif [ "$known" -gt 0 ]; then
    echo "build: LibTorch's CMake warnings (CMAKE_CUDA_ARCHITECTURES ignored, kineto not found)" \
         "are harmless here; see build/configure-warnings.log"
  fi
fi
cmake --build build ${1:+--target "$@"}
