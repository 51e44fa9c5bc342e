#!/usr/bin/env bash
# Configures and builds into build/ (executables in build/bin/). Incremental and cached: ccache
# keeps compiled objects in ~/.cache/ccache, so a fresh clone rebuilds in a fraction of the time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build build
