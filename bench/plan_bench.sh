#!/usr/bin/env bash
# Planner speed and memory: `sweep plan` on grids of 10^4, 10^5 and 10^6 runs (100 seeds x
# 2 optimizers x N replicas of algo+impl), writing a full sweep folder. Prints wall time and peak
# RSS per size (GNU time). Targets (issue 7): 10^6 runs in < 2 s and < 1 GB.
#   bench/plan_bench.sh [BUILD_DIR]
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${1:-$src/build}/bin
work=$(mktemp -d /tmp/rs-plan-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
seeds=$(seq -s, 0 99)
echo "| runs | plan (write folder) s | peak RSS MB | dry run s |"
echo "|---:|---:|---:|---:|"
for replicas in 50 500 5000; do
  cat >"$work/grid.yaml" <<YAML
name: bench
slurm: {time: "01:00:00"}
base: {dataset: digits, model: small_cnn, epochs: 10}
grid: {seed: [$seeds], optimizer: [sgd, adam]}
noise: algo+impl
repeat: $replicas
YAML
  rm -rf "$work/out"
  /usr/bin/time -f "%e %M" -o "$work/time" "$bin/sweep" plan "$work/grid.yaml" -o "$work/out" >/dev/null
  read -r seconds kb <"$work/time"
  /usr/bin/time -f "%e" -o "$work/time" "$bin/sweep" plan "$work/grid.yaml" --dry-run >/dev/null
  runs=$(wc -l <"$work/out/plan.jsonl")
  echo "| $runs | $seconds | $((kb / 1024)) | $(cat "$work/time") |"
done
