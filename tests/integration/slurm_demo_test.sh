#!/usr/bin/env bash
# The demo sweep on a real SLURM: a private single-node cluster (slurm/cluster.sh) with two fake
# GPUs; `sweep preflight` proves the node first, `sweep submit --after-preflight` hands the
# generated scripts to sbatch behind it and chains the collector.
#   slurm_demo_test.sh BIN_DIR SOURCE_DIR PYTHON (Debian's python3, with h5py)
set -euo pipefail
bin=$1
src=$2
python=$3
source "$src/tests/integration/assert.sh"
source "$src/tests/integration/cluster.sh"
blocker=""
stop_test_jobs() {
  if [ -n "$blocker" ]; then  # its sleep would outlive the cluster
    scancel "$blocker" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do [ -z "$(squeue -h -j "$blocker" 2>/dev/null)" ] && break; sleep 0.1; done
  fi
}
start_cluster rs-slurm-test
sinfo -h -N -o '%N %t %G' | grep -q 'gpu:2' || fail "the test cluster should offer gpu:2"

echo "== plan the demo; sweep preflight submits its check, waits for it, reports every d pair identical"
expect_status 0 "$bin/sweep" plan "$src/sweeps/demo.yaml" -o "$work/demo"
runs=$(wc -l <"$work/demo/plan.jsonl")
set +e
"$bin/sweep" preflight "$work/demo" --format json >"$work/preflight.json" 2>"$work/preflight.err"
rc=$?
set -e
[ $rc -eq 0 ] || fail "sweep preflight exited $rc: $(cat "$work/preflight.err" "$work/preflight.json")"
"$python" - "$work/preflight.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
# One check per environment of the demo (1 and 2 threads).
assert report["d_identical"] is True and len(report["checks"]) == 2, report
assert [c["environment"] for c in report["checks"]] == ["threads-1", "threads-2"], report
for c in report["checks"]:
    assert c["d_identical"] is True and c["error"] == "" and c["node"] != "", c
    # The cluster's GPUs are fake: its REPROSWEEP_ALLOW_CPU=1 let the copies train on the CPU.
    assert c["device"] == "cpu", c
PY
grep -qE "reprosweep preflight: combination 0 on .*CUDA_VISIBLE_DEVICES=[01]\)" "$work"/demo/preflight/logs/*_0.out ||
  fail "the preflight task's log should show the GPU SLURM assigned"

echo "== submit --after-preflight: the arrays wait for a preflight still pending (afterok)"
# Both GPUs taken, so that the preflight is still pending when the sweep is submitted.
blocker=$(sbatch --parsable --gres=gpu:2 --output=/dev/null --wrap "sleep 600")
for ((i = 0; i < 300; i++)); do
  [ "$(squeue -h -j "$blocker" -o %T)" = RUNNING ] && break
  sleep 0.1
done
[ "$(squeue -h -j "$blocker" -o %T)" = RUNNING ] || fail "the job holding both GPUs did not start"
expect_status 0 "$bin/sweep" preflight "$work/demo" --no-wait
preflight_job=$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))[-1]["arrays"][0]["job_id"])' \
  "$work/demo/preflight/jobs.json")
expect_status 0 "$bin/sweep" submit "$work/demo" --after-preflight
echo "$out"
collect_job=$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))[-1]["collect_job_id"])' \
  "$work/demo/jobs.json")
array_job=$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))[-1]["arrays"][0]["job_id"])' \
  "$work/demo/jobs.json")
squeue -h -j "$collect_job" -o '%E' | grep -q "afterany:$array_job" ||
  fail "collector should depend on the array with afterany"
squeue -h -r -j "$array_job" -o '%E' | grep -q "afterok:${preflight_job}" ||
  fail "the arrays should wait for the preflight with afterok: $(squeue -h -r -j "$array_job" -o '%E')"
scancel "$blocker"

echo "== wait for $runs runs and the collector (job $collect_job)"
wait_for_empty_queue 1500

echo "== every run file is complete; the collector's results exist"
"$python" - "$work/demo" "$runs" <<'PY'
import h5py, json, sys
d, runs = sys.argv[1], int(sys.argv[2])
plan = [json.loads(l) for l in open(f"{d}/plan.jsonl")]
assert len(plan) == runs
gpus = set()
for line in plan:
    with h5py.File(f"{d}/runs/{line['run_id']}.h5", "r") as f:
        assert f.attrs["status"] == "complete", line["run_id"]
        env = f["env"].attrs
        assert env["slurm_array_job_id"] != "" and env["slurm_job_id"] != "", dict(env)
summary = json.load(open(f"{d}/results/summary.json"))
assert len(summary["groups"]) > 0
for name in ("nd_vs_d.md", "nd_vs_d.csv"):
    open(f"{d}/results/{name}").read()
PY
ls "$work/demo/logs/" | grep -q "^collect_$collect_job.out$" || fail "no collector log"
# SLURM gave each task one of the two (fake) GPUs.
grep -qE "reprosweep: run 0 on .*CUDA_VISIBLE_DEVICES=[01]\)" "$work"/demo/logs/*_0.out ||
  fail "task 0's log should show the GPU SLURM assigned"

echo "== sweep energy on this cluster, which keeps no accounting: it says so and still reports"
expect_status 0 "$bin/sweep" energy "$work/demo" --by sweep
echo "$out"
expect_in "$out" "demo-digits"
grep -qE "SLURM cross-check skipped: |0 in sacct's accounting" <<<"$out" ||
  fail "sweep energy should say that SLURM's accounting had nothing"
echo "slurm_demo_test: ok"
