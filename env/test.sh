#!/usr/bin/env bash
# The test command (README, .ci/run): set up, build, run every test. Idempotent.
#
# The integration tests start a private single-node SLURM (slurm/cluster.sh) and stop it again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
env/setup.sh
env/build.sh
ctest --test-dir build --output-on-failure -j 2 "$@"
