#!/usr/bin/env bash
# The follow-up job on a real (private, single-node) SLURM, each after one `sweep submit` and no
# other step:
#   - slurm.max_retries: 1: a run whose task fails once with status 1 is retried and completes;
#     one that fails with status 2 (bad input) is not retried; jobs.json lists every attempt.
#   - slurm.max_queued_tasks: 3 with max_array_size: 3: all 9 runs complete, and squeue (polled
#     throughout) never shows more than 3 of the sweep's array tasks; `sweep cancel` ends the
#     chain.
#   slurm_follow_up_test.sh BIN_DIR SOURCE_DIR PYTHON (Debian's python3)
set -euo pipefail
bin=$1
src=$2
python=$3
source "$src/tests/integration/assert.sh"
work=$(mktemp -d /tmp/rs-follow-up-test.XXXXXX)
state="$work/cluster"
cleanup() {
  "$src/slurm/cluster.sh" down "$state" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
eval "$("$src/slurm/cluster.sh" up "$state")"

# The real trainer behind a wrapper that fails run 1's first task with status 1 (a crash) and
# every task of run 2 with status 2 (bad input).
{
  echo '#!/bin/bash'
  echo 'index=$(sed -n "s/.*--index \([0-9]*\).*/\1/p" <<<"$*")'
  echo "if [ \"\$index\" = 1 ] && mkdir '$work/run-1-failed-once' 2>/dev/null; then echo 'trainer: crashed' >&2; exit 1; fi"
  echo "if [ \"\$index\" = 2 ]; then echo 'trainer: bad input' >&2; exit 2; fi"
  echo "exec '$bin/trainer' \"\$@\""
} >"$work/trainer"
chmod +x "$work/trainer"

# wait_for_collector DIR: the chain ends with the collector, then the queue empties.
wait_for_collector() {
  for ((i = 0; i < 1200; i++)); do
    [ -s "$1/results/summary.json" ] && [ -z "$(squeue -h -o %i)" ] && return 0
    sleep 0.5
  done
  fail "no collector results after 10 minutes: $(squeue); $("$bin/sweep" status "$1")"
}

# count DIR STATE: how many runs `sweep status --format json` puts in STATE.
count() {
  "$bin/sweep" status "$1" --format json | "$python" -c "import json,sys; print(json.load(sys.stdin)['counts']['$2'])"
}

# times_listed DIR INDEX: how many array submissions in jobs.json list run INDEX.
times_listed() {
  "$python" -c '
import json, sys
d, index = sys.argv[1], int(sys.argv[2])
offsets = {a["script"]: a["offset"] for a in json.load(open(d + "/sweep.json"))["arrays"]}
def ids(tasks):
    for item in tasks.split("%")[0].split(","):
        first, _, last = item.partition("-")
        yield from range(int(first), int(last or first) + 1)
print(sum(offsets[a["script"]] + t == index for s in json.load(open(d + "/jobs.json")) for a in s["arrays"]
          for t in ids(a["tasks"])))' "$1" "$2"
}

base='base: {dataset: digits, model: small_cnn, width: 8, epochs: 2, batch_size: 128, mode: d}'

echo "== max_retries: 1: a task that fails once with status 1 completes without a manual step"
printf '%s\n' 'name: retry' \
  'slurm: {gpus_per_task: 0, cpus_per_task: 1, mem: 500M, time: "00:10:00", max_retries: 1}' \
  "$base" 'noise: [init]' 'repeat: 4' >"$work/retry.yaml"
d="$work/retry"
expect_status 0 "$bin/sweep" plan "$work/retry.yaml" -o "$d" --trainer "$work/trainer"
grep -q 'ended with status' "$d/slurm/array-000.sbatch" || fail "the array script does not record its status"
expect_status 0 "$bin/sweep" submit "$d"
expect_in "$out" "follow-up.sbatch: job"
wait_for_collector "$d"
"$bin/sweep" status "$d"
[ "$(count "$d" done)" -eq 3 ] && [ "$(count "$d" failed)" -eq 1 ] ||
  fail "run 1 should be done after its retry, run 2 failed: $("$bin/sweep" status "$d")"
[ -d "$work/run-1-failed-once" ] || fail "run 1 never failed"
[ "$(times_listed "$d" 1)" -eq 2 ] || fail "run 1 should be listed twice in jobs.json (submit, retry)"
[ "$(times_listed "$d" 2)" -eq 1 ] || fail "run 2 (status 2, bad input) was retried"
[ "$(times_listed "$d" 0)" -eq 1 ] || fail "run 0 (done) was submitted again"
"$python" -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert [s["kind"] for s in j] == ["submit", "follow-up", "follow-up"], j
assert j[-1]["collect_job_id"] and not j[-1]["arrays"], j' "$d/jobs.json" ||
  fail "jobs.json should hold the submit, the retry round and the collector's round: $(cat "$d/jobs.json")"

echo "== max_queued_tasks: 3: 9 runs in arrays of 3 complete after one submit, never more than 3 queued"
printf '%s\n' 'name: window' \
  'slurm: {gpus_per_task: 0, cpus_per_task: 1, mem: 500M, time: "00:10:00", max_array_size: 3, max_queued_tasks: 3}' \
  "$base" 'noise: [init]' 'repeat: 9' >"$work/window.yaml"
d="$work/window"
expect_status 0 "$bin/sweep" plan "$work/window.yaml" -o "$d"
expect_status 0 "$bin/sweep" submit "$d"
expect_in "$out" "array-000.sbatch --array=0-2: job"
expect_status 0 "$bin/sweep" status "$d"
expect_in "$out" "6 of the missing runs not submitted yet"
most=0
for ((i = 0; i < 2400; i++)); do
  tasks=$(squeue -h -r -o %i | grep -c _ || true)
  [ "$tasks" -gt "$most" ] && most=$tasks
  [ -s "$d/results/summary.json" ] && [ -z "$(squeue -h -o %i)" ] && break
  sleep 0.25
done
[ -s "$d/results/summary.json" ] || fail "no collector results after 10 minutes: $("$bin/sweep" status "$d")"
[ "$most" -le 3 ] || fail "$most array tasks were queued at once; max_queued_tasks is 3"
[ "$most" -ge 1 ] || fail "squeue never showed a task"
[ "$(count "$d" done)" -eq 9 ] || fail "all 9 runs should be done: $("$bin/sweep" status "$d")"
for index in 0 1 2 3 4 5 6 7 8; do
  [ "$(times_listed "$d" "$index")" -eq 1 ] || fail "run $index was submitted more than once"
done

echo "== sweep cancel stops the chain"
expect_status 0 "$bin/sweep" plan "$work/window.yaml" -o "$work/cancelled"
expect_status 0 "$bin/sweep" submit "$work/cancelled"
expect_status 0 "$bin/sweep" cancel "$work/cancelled"
for ((i = 0; i < 120; i++)); do
  [ -z "$(squeue -h -o %i)" ] && break
  sleep 0.5
done
sleep 3
[ -z "$(squeue -h -o %i)" ] || fail "jobs left after sweep cancel: $(squeue)"
"$python" -c 'import json,sys; assert len(json.load(open(sys.argv[1]))) == 1' "$work/cancelled/jobs.json" ||
  fail "the chain went on after sweep cancel: $(cat "$work/cancelled/jobs.json")"
echo "slurm_follow_up_test: ok"
