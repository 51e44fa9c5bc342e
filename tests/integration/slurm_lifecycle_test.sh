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
source "$src/tests/integration/cluster.sh"
start_cluster rs-lifecycle-test

# Six runs, one at a time (max_parallel 1), each a few seconds long.
cat >"$work/grid.yaml" <<'YAML'
name: lifecycle
slurm: {gpus_per_task: 1, cpus_per_task: 1, mem: 1G, time: "00:10:00", max_parallel: 1}
base: {dataset: digits, model: small_cnn, width: 8, epochs: 100, batch_size: 128, mode: d}
noise: [init]
repeat: 6
YAML
d="$work/s"
expect_status 0 "$bin/sweep" plan "$work/grid.yaml" -o "$d"

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

echo "== while its tasks are queued, a second submit and a plan --force are refused and change nothing"
queued_before=$(squeue -h -r -o %i | sort)
expect_status 2 "$bin/sweep" submit "$d"
expect_in "$out" "still queued or running (job $job)"
expect_in "$out" "sweep resubmit"
[ "$(squeue -h -r -o %i | sort)" = "$queued_before" ] || fail "a refused submit queued something"
"$python" -c 'import json,sys; assert len(json.load(open(sys.argv[1]))) == 1' "$d/jobs.json" ||
  fail "a refused submit was recorded in jobs.json"
cp "$d/plan.jsonl" "$work/plan.before"
sed 's/repeat: 6/repeat: 7/' "$work/grid.yaml" >"$work/grid7.yaml"
expect_status 2 "$bin/sweep" plan "$work/grid7.yaml" -o "$d" --force
expect_in "$out" "queued or running (job $job)"
cmp "$work/plan.before" "$d/plan.jsonl" || fail "a refused plan --force changed plan.jsonl"
# Cancelled in its first epochs: a task that squeue still shows RUNNING may have trained its
# run to the end already (on an idle machine a run takes a second or two).
for ((i = 0; i < 600; i++)); do
  grep -q "^epoch 1/" "$d/logs/${job}_0.out" 2>/dev/null && break
  sleep 0.1
done
grep -q "^epoch 1/" "$d/logs/${job}_0.out" 2>/dev/null || fail "task 0 never trained"
[ ! -e "$d/runs/$(sed -n 1p "$d/plan.jsonl" | "$python" -c 'import json,sys; print(json.load(sys.stdin)["run_id"])').h5" ] ||
  fail "run 0 ended before it could be cancelled"
scancel "${job}_0" "${job}_4" "${job}_5"
wait_for_empty_queue 300
expect_status 0 "$bin/sweep" status "$d"
echo "$out"
expect_in "$out" "done 3 running 0 pending 0 failed 1 missing 2"
expect_in "$out" "failed: run 0"

echo "== resubmit --failed runs exactly run 0 again"
expect_status 0 "$bin/sweep" resubmit "$d" --failed
expect_in "$out" "--array=0%1"
wait_for_empty_queue 300
[ "$(count done)" -eq 4 ] && [ "$(count missing)" -eq 2 ] || fail "after resubmit --failed: $("$bin/sweep" status "$d")"

echo "== resubmit the missing runs, cancel them with sweep cancel"
expect_status 0 "$bin/sweep" resubmit "$d" --missing
expect_in "$out" "--array=4,5%1"
expect_status 0 "$bin/sweep" cancel "$d"
wait_for_empty_queue 300
[ "$(count done)" -eq 4 ] || fail "cancel should leave 4 runs done"

echo "== a plain resubmit completes the sweep"
expect_status 0 "$bin/sweep" resubmit "$d"
wait_for_empty_queue 300
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

echo "== a hung controller does not hang sweep: squeue is given up after its time limit and tries"
ctld=$(cat "$cluster_state/slurmctld.pid")
kill -STOP "$ctld"
started=$SECONDS
set +e
out=$(env REPROSWEEP_SLURM_TIMEOUT_S=2 "$bin/sweep" status "$d" 2>&1)
got=$?
set -e
kill -CONT "$ctld"
[ "$got" -eq 0 ] || fail "sweep status with a hung controller: exit $got: $out"
expect_in "$out" "SLURM not reachable"
expect_in "$out" "done 6"
# Three tries of 2 s, 1 s and 2 s apart; squeue alone would wait for SLURM's MessageTimeout and retry.
[ $((SECONDS - started)) -lt 30 ] || fail "sweep status took $((SECONDS - started)) s with a hung controller"
echo "slurm_lifecycle_test: ok"
