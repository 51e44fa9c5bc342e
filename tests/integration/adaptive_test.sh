#!/usr/bin/env bash
# Adaptive replicas (`repeat: {min: 2, max: 5, step: 2, until: {acc_sd_ci_halfwidth: 0.001}}`)
# end to end, with `sweep run` here and then with `sweep submit` on a private SLURM, whose
# follow-up job runs the waves. Two points: noise [] (mode d on a CPU: every replica the same,
# SD 0, the rule holds at min) and noise [shuffle] (replicas differ far more than 0.001 pp:
# waves of 2, 4, then 5 = max). tests/integration/check_adaptive.py checks each sweep's run
# files against the must-hold (counts, rule or max recomputed with scipy, seeds those of the
# fixed sweep's replica) and the collector's "why it stopped".
#   adaptive_test.sh BIN_DIR SOURCE_DIR PYTHON (Debian's python3, with h5py and scipy)
set -euo pipefail
bin=$1
src=$2
python=$3
source "$src/tests/integration/assert.sh"
source "$src/tests/integration/cluster.sh"

grid() {  # grid NAME REPEAT
  printf '%s\n' "name: $1" 'slurm: {gpus_per_task: 0, cpus_per_task: 1, mem: 500M, time: "00:10:00"}' \
    'base: {dataset: digits, model: small_cnn, width: 8, epochs: 1, batch_size: 128, optimizer: sgd, lr: 0.05, mode: d}' \
    'grid: {noise: [[], [shuffle]]}' "repeat: $2"
}
start_cluster rs-adaptive-test
cd "$work"
rule='{min: 2, max: 5, step: 2, until: {acc_sd_ci_halfwidth: 0.001}}'
grid adaptive "$rule" >adaptive.yaml
grid adaptive 5 >fixed.yaml
expect_status 0 "$bin/sweep" plan fixed.yaml -o fixed

echo "== bad adaptive repeats: exit 2 at file:line:col"
grid bad '{min: 4, max: 3, until: {acc_sd_ci_halfwidth: 0.1}}' >bad.yaml
expect_status 2 "$bin/sweep" plan bad.yaml -o bad
expect_in "$out" "bad.yaml:5:23: repeat.max: expected an integer >= min (4), got 3"
grid bad '{min: 2, max: 3, until: {acc_sd_ci_halfwith: 0.1}}' >bad.yaml
expect_status 2 "$bin/sweep" plan bad.yaml -o bad
expect_in "$out" "unknown repeat.until key 'acc_sd_ci_halfwith' (did you mean 'acc_sd_ci_halfwidth'?)"

echo "== sweep run: waves here"
expect_status 0 "$bin/sweep" plan adaptive.yaml -o local
expect_status 0 env REPROSWEEP_ALLOW_CPU= "$bin/sweep" run local -j 2
expect_in "$out" "7 runs: 7 done now, 0 were already done, 0 failed"
expect_status 0 "$bin/sweep" collect local
expect_in "$out" "rule met at 2 runs"
expect_in "$out" "reached max (5 runs); rule not met"
"$python" "$src/tests/integration/check_adaptive.py" local fixed met,max || fail "sweep run's waves"
# Every point has stopped: a second `sweep run` trains nothing.
expect_status 0 env REPROSWEEP_ALLOW_CPU= "$bin/sweep" run local -j 2
expect_in "$out" "7 runs: 0 done now, 7 were already done, 0 failed"

echo "== sweep submit: the follow-up job runs the waves on SLURM"
expect_status 0 "$bin/sweep" plan adaptive.yaml -o cluster
expect_status 0 "$bin/sweep" submit cluster
expect_in "$out" "array-000.sbatch --array=0,1,5,6: job"
expect_in "$out" "follow-up.sbatch: job"
for ((i = 0; i < 1200; i++)); do
  [ -s cluster/results/summary.json ] && [ -z "$(squeue -h -o %i)" ] && break
  sleep 0.5
done
[ -s cluster/results/summary.json ] || fail "no collector results after 10 minutes: $(squeue); $("$bin/sweep" status cluster)"
"$python" "$src/tests/integration/check_adaptive.py" cluster fixed met,max || fail "the follow-up job's waves"
# The waves' rounds: the first (min of each point), then 2 more and 1 more of the [shuffle]
# point, then the collector.
"$python" -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert [s["kind"] for s in j] == ["submit", "follow-up", "follow-up", "follow-up"], j
assert [[a["tasks"] for a in s["arrays"]] for s in j] == [["0,1,5,6"], ["7,8"], ["9"], []], j
assert j[-1]["collect_job_id"], j' cluster/jobs.json || fail "jobs.json: $(cat cluster/jobs.json)"
# Each follow-up job's log says what it decided per point.
grep -h '^adaptive runs 0-4: 2 asked, rule met (half-width 0 pp <= 0.001 pp over 2 runs)' cluster/logs/follow-up_*.out >/dev/null ||
  fail "no follow-up log says that runs 0-4 met their rule: $(cat cluster/logs/follow-up_*.out)"
grep -h '^adaptive runs 5-9: 5 asked, reached max' cluster/logs/follow-up_*.out >/dev/null ||
  fail "no follow-up log says that runs 5-9 reached max: $(cat cluster/logs/follow-up_*.out)"
# The replicas no wave asked for are not missing runs to resubmit.
expect_status 0 "$bin/sweep" status cluster
expect_in "$out" "3 of the missing runs are replicas of adaptive points that no wave asked for"
expect_status 0 "$bin/sweep" resubmit cluster
expect_in "$out" "nothing to resubmit"
echo "adaptive_test: ok"
