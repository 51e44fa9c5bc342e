#!/usr/bin/env bash
# The main job (README): set up, build what the demo needs (sweep and trainer, no tests), plan
# sweeps/demo.yaml, run every array task with the local executor, and collect, which prints the
# result: on a CPU, first that ND equals D there and why, then the tables the design has data
# for. Idempotent: a second run skips the runs that are already complete. Results:
# demo-out/demo-digits/results/ (report.html, summary.json and the tables).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
env/setup.sh
env/build.sh sweep trainer
out=demo-out/demo-digits
build/bin/sweep plan sweeps/demo.yaml -o "$out"
build/bin/sweep run "$out"
build/bin/sweep collect "$out"
echo "report: $out/results/report.html"
