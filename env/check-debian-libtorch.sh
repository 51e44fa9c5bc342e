#!/usr/bin/env bash
# Builds everything against Debian's own LibTorch (libtorch-dev 1.13.1, CPU only) instead of
# the torch 2.11.0 wheel, and runs the tests except the SLURM demo (which env/test.sh runs).
# The trainer keeps to the API both versions share; this keeps it that way. Build: build-debian-torch/.
# Its tests include integration:environments (seed 003's study), which needs this build's trainer
# and the wheel's in build/ (env/test.sh builds it first in CI): the run where both exist.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! dpkg-query -W -f='${Status}' libtorch-dev 2>/dev/null | grep -q "ok installed"; then
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    libtorch-dev >/dev/null
fi
if [ ! -f build-debian-torch/CMakeCache.txt ]; then
  # No .venv python: ProjectTorch.cmake then finds the system LibTorch.
  cmake -S . -B build-debian-torch -G Ninja -DREPROSWEEP_PYTHON=/nonexistent >/dev/null
fi
grep -q "Torch_DIR:PATH=/usr/" build-debian-torch/CMakeCache.txt ||
  { echo "check-debian-libtorch: did not find Debian's LibTorch" >&2; exit 1; }
cmake --build build-debian-torch
ctest --test-dir build-debian-torch --output-on-failure -j 2 -E integration:slurm_demo
