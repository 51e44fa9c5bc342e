#!/usr/bin/env bash
# The SLURM life cycle on a real (private, single-node) SLURM: submit --test-only, submit,
# status while tasks fail and get cancelled, resubmit of exactly the failed or missing runs,
# cancel; in the end every run is complete and none was trained twice.
#   slurm_lifecycle_test.sh BIN_DIR SOURCE_DIR PYTHON (Debian's python3)
set -euo pipefail
bin=$1
src=$2
python=$3
source "$src/tests/integration/assert.sh"
work=$(mktemp -d /tmp/rs-lifecycle-test.XXXXXX)
state="$work/cluster"
cleanup() {
  "$src/slurm/cluster.sh" down "$state" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
eval "$("$src/slurm/cluster.sh" up "$state")"

# Six runs, one at a time (max_parallel 1), each a few seconds long.
cat >"$work/grid.yaml" <<'YAML'
name: lifecycle
slurm: {gpus_per_task: 1, cpus_per_task: 1, mem: 1G, time: "00:10:00", max_parallel: 1}
base: {dataset: digits, model: small_cnn, width: 8, epochs: 30, batch_size: 128, mode: d}
noise: [init]
repeat: 6
YAML
d="$work/s"
expect_status 0 "$bin/sweep" plan "$work/grid.yaml" -o "$d"

wait_for_empty_queue() {
  for ((i = 0; i < 600; i++)); do
    [ -z "$(squeue -h -o %i)" ] && return 0
    sleep 0.5
  done
  fail "queue not empty after 5 minutes: $(squeue)"
}

# count STATE: how many runs `sweep status --format json` puts in STATE.
count() {
  "$bin/sweep" status "$d" --format json | "$python" -c "import json,sys; print(json.load(sys.stdin)['counts']['$1'])"
}

echo "== submit --test-only checks every script and queues nothing"
expect_status 0 "$bin/sweep" submit "$d" --test-only
expect_in "$out" "nothing submitted"
[ -z "$(squeue -h -o %i)" ] && [ ! -e "$d/jobs.json" ] || fail "--test-only submitted something"
[ "$(count missing)" -eq 6 ] || fail "before submitting, all 6 runs are missing"

echo "== submit; kill task 0 while it runs, cancel tasks 4 and 5 while they wait"
expect_status 0 "$bin/sweep" submit "$d"
job=$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))[-1]["arrays"][0]["job_id"])' "$d/jobs.json")
for ((i = 0; i < 600; i++)); do
  squeue -h -r -o '%i %T' | grep -q "^${job}_0 RUNNING" && break
  sleep 0.1
done
squeue -h -r -o '%i %T' | grep -q "^${job}_0 RUNNING" || fail "task 0 never ran"
scancel "${job}_0" "${job}_4" "${job}_5"
wait_for_empty_queue
expect_status 0 "$bin/sweep" status "$d"
echo "$out"
expect_in "$out" "done 3 running 0 pending 0 failed 1 missing 2"
expect_in "$out" "failed: run 0"

echo "== resubmit --failed runs exactly run 0 again"
expect_status 0 "$bin/sweep" resubmit "$d" --failed
expect_in "$out" "--array=0%1"
wait_for_empty_queue
[ "$(count done)" -eq 4 ] && [ "$(count missing)" -eq 2 ] || fail "after resubmit --failed: $("$bin/sweep" status "$d")"

echo "== resubmit the missing runs, cancel them with sweep cancel"
expect_status 0 "$bin/sweep" resubmit "$d" --missing
expect_in "$out" "--array=4,5%1"
expect_status 0 "$bin/sweep" cancel "$d"
wait_for_empty_queue
[ "$(count done)" -eq 4 ] || fail "cancel should leave 4 runs done"

echo "== a plain resubmit completes the sweep"
expect_status 0 "$bin/sweep" resubmit "$d"
wait_for_empty_queue
[ "$(count done)" -eq 6 ] || fail "all 6 runs should be done: $("$bin/sweep" status "$d")"
expect_status 0 "$bin/sweep" resubmit "$d"
expect_in "$out" "nothing to resubmit"

echo "== no run was trained twice, and the collector ran after every submission"
run_ids=$("$python" -c 'import json,sys; [print(json.loads(l)["run_id"]) for l in open(sys.argv[1])]' "$d/plan.jsonl")
for run_id in $run_ids; do
  n=$(cat "$d"/logs/*.out | grep -c "trainer: wrote .*/$run_id.h5" || true)
  [ "$n" -eq 1 ] || fail "run $run_id was written $n times"
done
[ -s "$d/results/summary.json" ] || fail "no collector results"
echo "slurm_lifecycle_test: ok"
