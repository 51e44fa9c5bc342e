#!/usr/bin/env bash
# The main job (README): set up, build, plan sweeps/demo.yaml, run every array task with the
# local executor, collect, and print the ND-vs-D table. Idempotent: a second run skips the
# runs that are already complete. Results: demo-out/demo-digits/results/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
env/setup.sh
env/build.sh
out=demo-out/demo-digits
build/bin/sweep plan sweeps/demo.yaml -o "$out"
build/bin/sweep run "$out"
build/bin/sweep collect "$out"
echo
cat "$out/results/stability.md"
