#!/usr/bin/env bash
# slurm.runs_per_task on a real (private, single-node) SLURM: six mode-d runs packed two to a
# task run in half the array tasks (three, in arrays chunked at max_array_size 2), all complete
# after one `sweep submit`, each run with its own log and one CPU thread of its task's two; their
# weights are byte-identical to the same runs planned unpacked with one CPU each (so one thread
# too). Then status and resubmit per run: a packed run whose file is gone shows as failed, and
# `sweep resubmit` queues its task alone, which trains it again and leaves its done partner be.
#   slurm_pack_test.sh BIN_DIR SOURCE_DIR PYTHON (Debian's python3, with h5py)
set -euo pipefail
bin=$1
src=$2
python=$3
source "$src/tests/integration/assert.sh"
source "$src/tests/integration/cluster.sh"
start_cluster rs-pack-test

# grid NAME SLURM: six mode-d runs that differ in their init seed.
grid() {
  printf '%s\n' "name: $1" "slurm: {gpus_per_task: 0, mem: 500M, time: \"00:10:00\", max_array_size: 2, $2}" \
    'base: {dataset: digits, model: small_cnn, width: 8, epochs: 2, batch_size: 128, mode: d}' \
    'noise: [init]' 'repeat: 6' >"$work/$1.yaml"
}
# count DIR STATE: how many runs `sweep status --format json` puts in STATE.
count() {
  "$bin/sweep" status "$1" --format json | "$python" -c "import json,sys; print(json.load(sys.stdin)['counts']['$2'])"
}
# tasks DIR: how many array tasks the sweep's scripts ask for.
tasks() {
  sed -n 's/^#SBATCH --array=0-\([0-9]*\)$/\1/p' "$1"/slurm/array-*.sbatch | awk '{n += $1 + 1} END {print n}'
}
wait_for_collector() {
  for ((i = 0; i < 1200; i++)); do
    [ -s "$1/results/summary.json" ] && [ -z "$(squeue -h -o %i)" ] && return 0
    sleep 0.5
  done
  fail "no collector results after 10 minutes: $(squeue); $("$bin/sweep" status "$1")"
}

echo "== runs_per_task: 2: half the array tasks, all six runs complete after one submit"
grid packed 'cpus_per_task: 2, runs_per_task: 2'
grid unpacked 'cpus_per_task: 1'
expect_status 0 "$bin/sweep" plan "$work/packed.yaml" -o "$work/packed"
expect_in "$out" "array-000.sbatch  tasks 0-1 = runs 0-3, 2 per task"
expect_in "$out" "array-001.sbatch  tasks 0-0 = runs 4-5, 2 per task"
expect_status 0 "$bin/sweep" plan "$work/unpacked.yaml" -o "$work/unpacked"
[ "$(tasks "$work/unpacked")" -eq 6 ] && [ "$(tasks "$work/packed")" -eq 3 ] ||
  fail "6 runs should take 6 tasks unpacked, 3 packed: $(tasks "$work/unpacked"), $(tasks "$work/packed")"
cmp -s <(cut -d, -f2 "$work/packed/plan.jsonl") <(cut -d, -f2 "$work/unpacked/plan.jsonl") ||
  fail "packing changed the run ids"
for d in "$work/packed" "$work/unpacked"; do
  expect_status 0 "$bin/sweep" submit "$d"
  wait_for_collector "$d"
  [ "$(count "$d" done)" -eq 6 ] || fail "all 6 runs of $d should be done: $("$bin/sweep" status "$d")"
done
task_logs=$(ls "$work/packed/logs" | grep -cE '^[0-9]+_[0-9]+\.out$')
run_logs=$(ls "$work/packed/logs" | grep -cE '^[0-9]+_[0-9]+\.run[0-9]+\.out$')
[ "$task_logs" -eq 3 ] && [ "$run_logs" -eq 6 ] ||
  fail "3 task logs and 6 run logs expected, found $task_logs and $run_logs: $(ls "$work/packed/logs")"
grep -q 'reprosweep: runs 0-1 on ' "$work/packed/logs/"*_0.out || fail "task 0 of array 0 did not start runs 0-1"

echo "== mode d packed is byte-identical to unpacked at the same thread count (one each)"
"$python" - "$work/packed/runs" "$work/unpacked/runs" <<'PY' || fail "packed and unpacked runs differ"
import glob, os, sys
import h5py
packed, unpacked = sys.argv[1], sys.argv[2]
names = sorted(os.path.basename(p) for p in glob.glob(packed + "/*.h5"))
assert len(names) == 6 and names == sorted(os.path.basename(p) for p in glob.glob(unpacked + "/*.h5")), names
weights = set()
for name in names:
    with h5py.File(os.path.join(packed, name)) as a, h5py.File(os.path.join(unpacked, name)) as b:
        threads = (int(a["settings"].attrs["cpu_threads"]), int(b["settings"].attrs["cpu_threads"]))
        assert threads == (1, 1), f"{name}: cpu_threads packed, unpacked: {threads}"
        wa, wb = a["weights/flat"][()].tobytes(), b["weights/flat"][()].tobytes()
        assert wa == wb, name + ": /weights/flat differs"
        weights.add(wa)
assert len(weights) == 6, "the init seeds should give six different runs"
print("6 runs byte-identical")
PY

echo "== status and resubmit per run: one packed run lost, its task alone comes again"
d="$work/packed"
lost=$("$python" -c 'import json,sys; print(json.loads(open(sys.argv[1]).readlines()[3])["run_id"])' "$d/plan.jsonl")
kept=$("$python" -c 'import json,sys; print(json.loads(open(sys.argv[1]).readlines()[2])["run_id"])' "$d/plan.jsonl")
rm "$d/runs/$lost.h5"
before=$(stat -c %Y "$d/runs/$kept.h5")
[ "$(count "$d" failed)" -eq 1 ] && [ "$(count "$d" done)" -eq 5 ] ||
  fail "run 3 alone should be failed: $("$bin/sweep" status "$d")"
expect_status 0 "$bin/sweep" resubmit "$d"
expect_in "$out" "array-000.sbatch --array=1: job"
wait_for_empty_queue 600
[ "$(count "$d" done)" -eq 6 ] || fail "run 3 should be done again: $("$bin/sweep" status "$d")"
[ "$(stat -c %Y "$d/runs/$kept.h5")" = "$before" ] || fail "run 2 (done) was trained again"
grep -q "already complete" "$d"/logs/*_1.run2.out || fail "run 2's trainer did not find its run complete"
echo "slurm_pack_test: ok"
