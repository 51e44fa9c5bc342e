#!/usr/bin/env bash
# Collector speed and memory: `sweep collect` on synthetic sweeps written by
# bench/collect_make_runs.py (h5py, the layout of docs/run-file.md). Prints wall time, CPU time
# and peak RSS per case (GNU time). Targets (issue 5): 10,000 small-CNN run files in < 30 s and
# 100 ResNet-18-sized ones in < 20 s on 2 cores, memory bounded.
#
#   bench/collect_bench.sh [BUILD_DIR]
#
# The run files go to $RS_BENCH_DIR (default /tmp/rs-collect-bench, about 19 GB) and are kept
# for the next run, since writing them takes minutes; delete the folder when done.
# RS_BENCH_CASES="small-500x20 ..." runs only the cases named. RS_BENCH_OTHER=PATH/sweep also
# collects each case with that binary, alternating with this build's (before and after a change). Each case
# is collected twice: the first run may read from disk, the second from the page cache. With
# RS_BENCH_DROP_CACHES=1 (as root) the page cache is emptied before the first, which then
# reads every file from disk.
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${1:-$src/build}/bin
work=${RS_BENCH_DIR:-/tmp/rs-collect-bench}
make_runs=(/usr/bin/python3 "$src/bench/collect_make_runs.py")

# name, then collect_make_runs.py options: 10,000 files of a small CNN (50,000 weights, 10,000
# test samples x 10 classes) as 500 groups of 20 runs (seed 000's 10-20 ND runs per setting)
# and as 100 groups of 100 (seed 002's 100 models per source); 100 ResNet-18-sized files
# (11,173,962 weights, a 512 x 10 classifier over 30 epochs) in one group.
cases=(
  "small-500x20 --groups 500 --runs 20 --weights 50000"
  "small-100x100 --groups 100 --runs 100 --weights 50000"
  "resnet18-1x100 --groups 1 --runs 100 --weights 11173962 --epochs 30 --last-layer 5120"
)

echo "| case | run files | pass | binary | wall s | user s | sys s | peak RSS MB |"
echo "|---|---:|---|---|---:|---:|---:|---:|"
for entry in "${cases[@]}"; do
  read -r name options <<<"$entry"
  if [ -n "${RS_BENCH_CASES:-}" ] && [[ " $RS_BENCH_CASES " != *" $name "* ]]; then continue; fi
  dir=$work/$name
  if [ ! -f "$dir/complete" ]; then
    rm -rf "$dir"
    # shellcheck disable=SC2086  # options are words on purpose
    "${make_runs[@]}" "$dir" $options >&2
    touch "$dir/complete"
  fi
  files=$(find "$dir/runs" -name '*.h5' | wc -l)
  for pass in 1 2; do
    for binary in "$bin/sweep" ${RS_BENCH_OTHER:-}; do
      if [ "$pass" = 1 ] && [ "${RS_BENCH_DROP_CACHES:-0}" = 1 ]; then
        sync && echo 3 >/proc/sys/vm/drop_caches
      fi
      /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$binary" collect "$dir" >/dev/null
      read -r wall user sys kb <"$work/time"
      echo "| $name | $files | $pass | $binary | $wall | $user | $sys | $((kb / 1024)) |"
    done
  done
done
