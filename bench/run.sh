#!/usr/bin/env bash
# The CPU benchmarks in one command: writes bench/results/YYYY-MM-DD[-HHMM].md with the machine,
# the versions, each command and its Markdown table (docs/benchmarks.md keeps the latest
# results and what they mean).
#
#   bench/run.sh [PART...]     PART: plan | collect | train (default: all three)
#
# BUILD_DIR (default build/) holds bin/sweep and bin/trainer. collect needs about 19 GB under
# $RS_BENCH_DIR (default /tmp/rs-collect-bench) and writes it first if missing (minutes);
# train takes about 15 minutes on 2 cores. Nothing here is a timed test: the numbers depend on
# the machine and on what else runs on it.
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$src/build}
parts=("$@")
[ $# -eq 0 ] && parts=(plan collect train)
for part in "${parts[@]}"; do
  case $part in plan | collect | train) ;; *) echo "unknown part: $part (plan | collect | train)" >&2; exit 2 ;; esac
done

mkdir -p "$src/bench/results"
out=$src/bench/results/$(date +%F).md
[ -e "$out" ] && out=$src/bench/results/$(date +%F-%H%M).md  # keep earlier runs of the day

{
  echo "# Benchmarks $(date '+%F %H:%M %Z')"
  echo
  echo "- machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores," \
    "$(free -g | awk '/^Mem:/ {print $2}') GiB memory, $(uname -sr)"
  echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- compiler: $(c++ --version | head -1)"
  echo "- torch (venv, also the trainer's LibTorch): $("$src/.venv/bin/python" -c 'import torch; print(torch.__version__)' 2>/dev/null || echo none)"
  echo "- git: $(git -C "$src" rev-parse --short HEAD)$(git -C "$src" diff --quiet HEAD -- lib apps || echo ' + local changes in lib/ or apps/')"
  echo "- build: $build"
} >"$out"

for part in "${parts[@]}"; do
  cmd="bench/${part}_bench.sh $build"
  echo "running $cmd" >&2
  start=$(date +%s)
  table=$("$src/bench/${part}_bench.sh" "$build")
  printf '\n## %s\n\n`%s` (%d s)\n\n%s\n' "$part" "$cmd" $(($(date +%s) - start)) "$table" >>"$out"
done
echo -e "\nLoad average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out"
echo "wrote $out" >&2
