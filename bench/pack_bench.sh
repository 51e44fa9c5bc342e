#!/usr/bin/env bash
# Runs per hour of a small-model sweep packed K runs to an array task (slurm.runs_per_task,
# issue 15; docs/sweep-folder.md, "Several runs per task"). For each K the same RUNS mode-d runs
# (the demo's small CNN on digits, each with its own init seed) are planned with runs_per_task: K
# and run by `sweep run -j 1`: one task at a time, with the whole machine's CPUS (at least K) as
# its cpus_per_task, so that the K runs of a task get CPUS / K threads each. The wall time of
# the whole sweep gives runs per hour. Then, as a check, runs planned at different K but
# trained with the same thread count must hold byte-identical /weights/flat (mode d).
# Timings follow the machine's load: note it (printed) and run it on an idle machine.
#   bench/pack_bench.sh [BUILD_DIR]
# Environment: KS (default "1 2 4"), RUNS (8), EPOCHS (6), CPUS (default the CPUs here),
# DEVICE (cpu; cuda on a GPU machine: each task asks for one GPU, which its K runs share),
# SWEEP and TRAINER (default BUILD_DIR/bin/sweep and trainer), PYTHON (with h5py; /usr/bin/python3).
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${1:-$src/build}/bin
sweep=${SWEEP:-$bin/sweep}
trainer=${TRAINER:-$bin/trainer}
python=${PYTHON:-/usr/bin/python3}
ks=${KS:-1 2 4}
runs=${RUNS:-8}
epochs=${EPOCHS:-6}
cpus=${CPUS:-$(nproc)}
device=${DEVICE:-cpu}
gpus=0
[ "$device" = cpu ] || gpus=1
work=$(mktemp -d "${TMPDIR:-/tmp}/rs-pack-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

"$trainer" --version >/dev/null  # LibTorch into the page cache: the first K pays no cold start
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs; device $device"
echo
echo "| K | tasks | threads per run | wall s | runs per hour | vs K = 1 |"
echo "|---:|---:|---:|---:|---:|---:|"
base_rate="" n=0
for k in $ks; do
  n=$((n + 1))  # a folder per measurement: a K measured twice trains its runs twice
  task_cpus=$((cpus > k ? cpus : k))
  printf '%s\n' "name: pack-$n" \
    "slurm: {gpus_per_task: $gpus, cpus_per_task: $task_cpus, time: \"01:00:00\", runs_per_task: $k}" \
    "base: {dataset: digits, model: small_cnn, width: 32, epochs: $epochs, batch_size: 64, mode: d, device: $device}" \
    'noise: [init]' "repeat: $runs" >"$work/pack-$n.yaml"
  "$sweep" plan "$work/pack-$n.yaml" -o "$work/pack-$n" --trainer "$trainer" >/dev/null
  start=$(date +%s.%N)
  "$sweep" run "$work/pack-$n" -j 1 >"$work/pack-$n.log" 2>&1 || { cat "$work/pack-$n.log" >&2; exit 1; }
  wall=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {print b - a}')
  rate=$(awk -v n="$runs" -v s="$wall" 'BEGIN {print n * 3600 / s}')
  [ -n "$base_rate" ] || base_rate=$rate
  printf '| %d | %d | %d | %.1f | %.0f | %.2fx |\n' "$k" $(((runs + k - 1) / k)) $((task_cpus / k)) "$wall" "$rate" \
    "$(awk -v a="$rate" -v b="$base_rate" 'BEGIN {print a / b}')"
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
"$python" - "$work" $ks <<'PY'
# Same run id and the same thread count -> the same bytes, whatever K packed it.
import glob, os, sys
import h5py
work, ks = sys.argv[1], sys.argv[2:]
seen, compared = {}, 0
for n, k in enumerate(ks, 1):
    for path in glob.glob(os.path.join(work, f"pack-{n}", "runs", "*.h5")):
        with h5py.File(path) as f:
            key = (os.path.basename(path), int(f["settings"].attrs["cpu_threads"]))
            weights = f["weights/flat"][()].tobytes()
        if key in seen:
            compared += 1
            assert seen[key][1] == weights, f"{key}: K = {seen[key][0]} and K = {k} differ"
        else:
            seen[key] = (k, weights)
print(f"mode d: {compared} runs trained again at another K with the same thread count, all byte-identical")
PY
