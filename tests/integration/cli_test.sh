#!/usr/bin/env bash
# `sweep` end to end without SLURM: planning rules, bad input, and the local executor on a tiny
# real sweep (digits, 1 epoch).
#   cli_test.sh BIN_DIR SOURCE_DIR PYTHON (Debian's python3, with h5py)
set -euo pipefail
bin=$1
src=$2
python=$3
source "$src/tests/integration/assert.sh"
work=$(mktemp -d /tmp/rs-cli-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"

cat >tiny.yaml <<'YAML'
name: tiny
slurm: {gpus_per_task: 0, time: "00:06:00"}
base: {dataset: digits, model: small_cnn, width: 8, epochs: 1, batch_size: 128}
grid: {mode: [nd, d]}
noise: [shuffle]
repeat: 2
YAML

echo "== plan writes the sweep folder; planning twice gives the same plan"
expect_status 0 "$bin/sweep" plan tiny.yaml -o s
expect_in "$out" "2 points, 4 runs, 1 array"
for f in grid.yaml plan.jsonl sweep.json slurm/array-000.sbatch slurm/collect.sbatch; do
  [ -f "s/$f" ] || fail "missing s/$f"
done
[ -d s/logs ] && [ -d s/runs ] || fail "logs/ and runs/ must exist at plan time"
cp s/plan.jsonl first.jsonl && cp s/slurm/array-000.sbatch first.sbatch
expect_status 0 "$bin/trainer" --plan s/plan.jsonl --index 3 --print-params
"$python" -c 'import json,sys; p=json.loads(sys.argv[1]); l=json.loads(open("s/plan.jsonl").readlines()[3]); assert p==l, (p,l)' "$out"
expect_status 2 "$bin/trainer" --plan s/plan.jsonl --index 4 --print-params
expect_in "$out" "no line 4"
# The plan's index: the plan's size, then where each line starts (contract/plan_index.h).
"$python" - s/plan.jsonl <<'PY'
import struct, sys
plan = open(sys.argv[1], "rb").read()
idx = open(sys.argv[1] + ".idx", "rb").read()
assert idx[:8] == b"RSPIDX01" and struct.unpack("<Q", idx[8:16])[0] == len(plan), idx[:16]
starts = [0] + [i + 1 for i, c in enumerate(plan) if c == ord("\n")][:-1]
assert list(struct.unpack(f"<{len(starts)}Q", idx[16:])) == starts, (idx, starts)
PY
expect_status 0 "$bin/sweep" plan tiny.yaml -o s
cmp first.jsonl s/plan.jsonl || fail "planning twice changed plan.jsonl"
[ "$(wc -l <s/plan.jsonl)" -eq 4 ] || fail "plan.jsonl should have 4 lines"

echo "== --dry-run writes nothing; --format json is machine-readable"
expect_status 0 "$bin/sweep" plan tiny.yaml --dry-run --format json
"$python" -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["runs"]==4 and d["arrays"][0]["count"]==4, d' "$out"
expect_status 0 "$bin/sweep" plan tiny.yaml -o never --dry-run
[ ! -e never ] || fail "--dry-run created a folder"

echo "== bad input: exit 2, clear message, nothing written"
rm -f /tmp/owned
printf 'name: "x$(touch /tmp/owned)"\nbase: {dataset: digits}\n' >evil.yaml
expect_status 2 "$bin/sweep" plan evil.yaml -o evil
expect_in "$out" "evil.yaml:1:7"
[ ! -e /tmp/owned ] && [ ! -e evil ] || fail "injection attempt had an effect"
printf 'name: t\nslurm: {partition: "gpu\\"; touch /tmp/owned"}\nbase: {dataset: digits}\n' >quote.yaml
expect_status 2 "$bin/sweep" plan quote.yaml -o evil
expect_in "$out" "slurm.partition"
printf 'name: t\nslurm: {partition: "gpu\\nx"}\nbase: {dataset: digits}\n' >newline.yaml
expect_status 2 "$bin/sweep" plan newline.yaml -o evil
[ ! -e evil ] || fail "a rejected grid wrote a folder"
expect_status 2 "$bin/sweep" plan missing.yaml -o evil
for extra in '--sig=B:USR1@5' '--no-requeue' '--outp=/tmp/x'; do
  printf 'name: t\nslurm:\n  extra: ["%s"]\nbase: {dataset: digits}\n' "$extra" >extra.yaml
  expect_status 2 "$bin/sweep" plan extra.yaml -o evil
  expect_in "$out" "extra.yaml:3:11: slurm.extra: ${extra%%=*}"
done
[ ! -e evil ] || fail "a refused slurm.extra wrote a folder"

echo "== no command-line value reaches a shell: the review's folder and trainer, and placeholders"
expect_status 2 "$bin/sweep" plan tiny.yaml -o '/x/d@TRAINER@x' --trainer '/t;touch PWNED;#'
expect_in "$out" "use only letters, digits and _./+- in its path"
expect_status 2 "$bin/sweep" plan tiny.yaml -o 'logs%j'
[ ! -e /x ] && [ ! -e 'logs%j' ] || fail "a refused folder was written"
# A trainer path that holds every placeholder and a quote: the scripts run it as one word, and
# it does not exist, so every task fails and nothing else runs.
expect_status 0 "$bin/sweep" plan tiny.yaml -o hostile \
  --trainer "$work/t@SWEEP_DIR@@OFFSET@@PLAN_FILE@@GPU_VISIBILITY@';touch PWNED;#"
expect_status 1 "$bin/sweep" run hostile -j 1
[ -z "$(find "$work" -name PWNED)" ] || fail "a command in the trainer path ran"
rm -rf hostile
expect_status 2 "$bin/sweep" plan tiny.yaml
expect_status 2 "$bin/sweep" frobnicate

echo "== the command line refuses nonsense the same way everywhere"
expect_status 2 "$bin/sweep" plan
expect_in "$out" "missing GRID.yaml"
expect_status 2 "$bin/sweep" collect
expect_in "$out" "missing DIR"
expect_status 2 "$bin/sweep" plan tiny.yaml --dry-run --set dataset.pth=/x
expect_in "$out" "--set dataset.pth=/x: dataset.pth: unknown key (did you mean 'path'?)"
expect_status 2 "$bin/sweep" collect does-not-exist
[ ! -e does-not-exist ] || fail "collect created the folder it was given"
mkdir empty-dir
expect_status 2 "$bin/sweep" collect empty-dir
expect_in "$out" "not a sweep folder"
[ -z "$(ls -A empty-dir)" ] || fail "collect wrote into a folder that is not a sweep"
expect_status 2 "$bin/sweep" energy empty-dir
expect_status 2 "$bin/sweep" energy does-not-exist
expect_status 0 "$bin/sweep" --version
expect_in "$out" "sweep (ReproSweep) "
expect_status 0 "$bin/trainer" --version
expect_in "$out" "LibTorch "
expect_status 0 "$bin/sweep" plan tiny.yaml --dry-run
expect_in "$out" "CPU-hours"

echo "== a different plan into the same folder is refused without --force"
sed 's/repeat: 2/repeat: 3/' tiny.yaml >more.yaml
expect_status 2 "$bin/sweep" plan more.yaml -o s
expect_in "$out" "--force"
cmp first.jsonl s/plan.jsonl || fail "a refused re-plan changed plan.jsonl"
cmp first.sbatch s/slurm/array-000.sbatch || fail "a refused re-plan changed an array script"
[ -z "$(find s -name '*.tmp.*' -o -name '*.new')" ] || fail "a refused re-plan left temporary files"

echo "== sweep run executes the array script for every task, then skips finished runs"
# A CPU-only array gives its tasks no GPU, whatever the shell had: device auto trains on the CPU
# (without the empty CUDA_VISIBLE_DEVICES the trainer would stop: CUDA_VISIBLE_DEVICES=0 here
# names a GPU that this machine's CUDA cannot use).
grep -q "^export CUDA_VISIBLE_DEVICES=  #" s/slurm/array-000.sbatch || fail "a CPU-only array must hide the GPUs"
expect_status 0 env CUDA_VISIBLE_DEVICES=0 REPROSWEEP_ALLOW_CPU= "$bin/sweep" run s -j 2
expect_in "$out" "4 runs: 4 done now, 0 were already done, 0 failed"
[ "$(ls s/runs/*.h5 | wc -l)" -eq 4 ] || fail "expected 4 run files"
[ -z "$(ls s/runs | grep -v '\.h5$' || true)" ] || fail "leftover files in runs/"
grep -q "reprosweep: run 0 on" s/logs/*_0.out || fail "no log for task 0"
expect_status 0 "$bin/sweep" run s
expect_in "$out" "4 runs: 0 done now, 4 were already done"

echo "== a run file that hangs libhdf5 costs its run, not sweep status"
cp -r s hung
hung_file=$(ls hung/runs/*.h5 | head -1)
# The global heap's first object made free space of size 0 (tests/runfile/example_run.cc,
# make_hdf5_hang): libhdf5 1.10 loops on it for ever when it reads a string attribute.
"$python" - "$hung_file" <<'PY'
import sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
heap = data.find(b"GCOL")
assert heap >= 0, "no global heap"
data[heap + 16:heap + 18] = bytes(2)
data[heap + 24:heap + 32] = bytes(8)
open(path, "wb").write(data)
PY
expect_status 0 timeout 120 "$bin/sweep" status hung --format json
"$python" -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["counts"]["done"] == 3, d["counts"]' "$out"
rm -rf hung

echo "== the run files carry the plan's ids and the SLURM variables of their task"
"$python" - s <<'PY'
import h5py, json, sys, glob
d = sys.argv[1]
plan = [json.loads(l) for l in open(f"{d}/plan.jsonl")]
for line in plan:
    with h5py.File(f"{d}/runs/{line['run_id']}.h5", "r") as f:
        assert f.attrs["status"] == "complete"
        assert f.attrs["group_id"] == line["group_id"]
        assert json.loads(f.attrs["params_json"]) == line["params"]
        assert f["env"].attrs["slurm_array_task_id"] == str(line["index"]), dict(f["env"].attrs)
PY

echo "== sweep collect writes the results and prints the ND-vs-D table"
expect_status 0 "$bin/sweep" collect s
expect_in "$out" "4 run files read"
expect_status 2 "$bin/sweep" energy s --since 2026-13-45
expect_status 0 "$bin/sweep" energy s --since 2024-02-29
"$python" - s <<'PY'
import json, sys
d = sys.argv[1]
summary = json.load(open(f"{d}/results/summary.json"))
assert len(summary["groups"]) == 1, summary["groups"]
g = summary["groups"][0]
assert g["n_nd"] == 2 and g["n_d"] == 2, g
for name in ("nd_vs_d.md", "nd_vs_d.csv", "nd_vs_d.tex", "stability.md"):
    assert open(f"{d}/results/{name}").read(), name
# noise [shuffle] gives the D runs seeds of their own: Welch's test unless they happen to agree.
assert g["test"] == ("one-sample" if len(set(g["d_values"])) == 1 else "welch"), g
PY

echo "== sweep collect --metric compares another metric; a wrong one changes nothing"
expect_status 0 "$bin/sweep" collect s --metric macro_f1
expect_in "$out" "ND vs D, final test macro F1 (%)"
cp s/results/summary.json summary.before
expect_status 2 "$bin/sweep" collect s --metric f1
expect_in "$out" "--metric: 'f1' is not one of accuracy, macro_f1, balanced_accuracy, auc"
cmp -s summary.before s/results/summary.json || fail "a refused collect changed summary.json"
expect_status 2 "$bin/sweep" collect s --metric auc
expect_in "$out" "--metric auc: no run of this sweep can be compared by it"
cmp -s summary.before s/results/summary.json || fail "a refused --metric auc changed summary.json"
"$python" -c 'import json,sys; assert json.load(open(sys.argv[1]))["metric"] == "macro_f1"' \
  s/results/summary.json

echo "== re-planning with --force keeps finished runs; only new ones run"
expect_status 0 "$bin/sweep" plan more.yaml -o s --force
expect_status 0 "$bin/sweep" run s -j 2
expect_in "$out" "6 runs: 2 done now, 4 were already done"

echo "== a task of the old plan refuses to train what the new plan puts at its index"
expect_status 2 env SLURM_ARRAY_TASK_ID=0 bash first.sbatch
expect_in "$out" "was planned anew"
expect_in "$out" "since this task was submitted"

echo "== sweep run's task is running to sweep status; a second trainer of its run ends at once (status 0)"
sed 's/name: tiny/name: locked/; s/epochs: 1,/epochs: 40,/; s/repeat: 2/repeat: 1/; s/mode: \[nd, d\]/mode: [d]/' \
  tiny.yaml >locked.yaml
expect_status 0 "$bin/sweep" plan locked.yaml -o l
"$bin/sweep" run l >first.log 2>&1 &
first=$!
for ((i = 0; i < 300; i++)); do
  compgen -G 'l/runs/*.lock' >/dev/null && break
  sleep 0.1
done
compgen -G 'l/runs/*.lock' >/dev/null || fail "the task's trainer took no lock"
expect_status 0 "$bin/sweep" status l
expect_in "$out" "done 0 running 1 pending 0 failed 0 missing 0"
expect_status 0 "$bin/trainer" --plan l/plan.jsonl --index 0 --runs-dir l/runs
expect_in "$out" "is being trained by another live process ($(hostname) "
wait "$first" || fail "sweep run failed: $(cat first.log)"
grep -q "1 runs: 1 done now" first.log || fail "sweep run did not train the run: $(cat first.log)"
[ -z "$(ls l/runs | grep -v '\.h5$' || true)" ] || fail "the lock file outlived its trainer"
expect_status 0 "$bin/sweep" status l
expect_in "$out" "done 1 running 0"

echo "== after a checkpoint on the time-limit warning a task requeues itself, at most max_requeues times"
# The array script as SLURM runs it (not local), with a trainer that checkpoints on USR2 (exit 3)
# and an scontrol that records what it is asked: restarted once it requeues, restarted twice
# (max_requeues: 2) it does not.
mkdir -p fakebin
printf '#!/bin/sh\necho "$*" >>"$SCONTROL_LOG"\n' >fakebin/scontrol
printf '#!/bin/bash\ntrap "exit 3" USR2\ntouch "$TRAINER_STARTED"\nwhile true; do sleep 0.1; done\n' >checkpointing-trainer
chmod +x fakebin/scontrol checkpointing-trainer
printf 'name: requeue\nslurm: {gpus_per_task: 0, time: "00:10:00", max_requeues: 2}\nbase: {dataset: digits}\n' >requeue.yaml
expect_status 0 "$bin/sweep" plan requeue.yaml -o rq --trainer "$work/checkpointing-trainer"
for restarts in 1 2; do
  rm -f scontrol.log started
  PATH="$work/fakebin:$PATH" SCONTROL_LOG="$work/scontrol.log" TRAINER_STARTED="$work/started" \
    SLURM_CLUSTER_NAME=test SLURM_ARRAY_JOB_ID=77 SLURM_ARRAY_TASK_ID=0 SLURM_RESTART_COUNT=$restarts \
    bash rq/slurm/array-000.sbatch >"task$restarts.log" 2>&1 &
  task=$!
  for ((i = 0; i < 300; i++)); do [ -e started ] && break; sleep 0.1; done
  sleep 0.5  # the script's USR2 trap is set right after it starts the trainer
  kill -USR2 "$task"
  set +e; wait "$task"; status=$?; set -e
  [ "$status" -eq 3 ] || fail "the task should end with the trainer's status 3, got $status: $(cat "task$restarts.log")"
  requeued=$(cat scontrol.log 2>/dev/null || true)
  if [ "$restarts" = 1 ]; then
    [ "$requeued" = "requeue 77_0" ] || fail "restarted once, the task should requeue itself: $(cat task1.log)"
  else
    [ -z "$requeued" ] || fail "restarted twice (max_requeues 2), the task requeued itself again"
    expect_in "$(cat task2.log)" "restarted 2 times already (slurm.max_requeues 2), so not requeued"
  fi
done

echo "== a failing run is reported with its log and a non-zero exit"
sed 's/name: tiny/name: broken/' tiny.yaml >broken.yaml
expect_status 0 "$bin/sweep" plan broken.yaml -o b --trainer /bin/false
expect_status 1 "$bin/sweep" run b
expect_in "$out" "4 failed"
expect_in "$out" "failed: "
expect_status 0 "$bin/sweep" status b
expect_in "$out" "failed 4 missing 0"
expect_in "$out" "failed: 4 runs the same way"
expect_status 0 "$bin/sweep" status b --format json
"$python" -c 'import json,sys; f=json.loads(sys.argv[1])["failures"]; assert len(f)==1 and f[0]["count"]==4 and len(f[0]["run_ids"])==4, f' "$out"

echo "== sweep run stops when its first tasks all fail on the same bad input"
cat >nodata.yaml <<'YAML'
name: nodata
slurm: {gpus_per_task: 0, time: "00:06:00"}
base: {dataset: {name: cifar10, path: /nonexistent/cifar}, model: small_cnn, width: 8, epochs: 1}
grid: {seed: [0, 1, 2, 3, 4, 5, 6, 7]}
YAML
expect_status 0 "$bin/sweep" plan nodata.yaml -o n
expect_status 2 "$bin/sweep" run n -j 1
expect_in "$out" "not started"
expect_in "$out" "stopped: the first 2 tasks all failed on bad input (exit status 2) the same way"
expect_in "$out" "/nonexistent/cifar"
expect_status 0 "$bin/sweep" status s --format json
"$python" -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["counts"]["done"]==6 and d["not_done"]==[], d' "$out"

echo "== cudnn_benchmark as an axis plans and runs; d and nd record the same settings; tf32: sometimes is refused"
cat >factors.yaml <<'YAML'
name: factors
slurm: {gpus_per_task: 0}
base: {dataset: digits, model: small_cnn, width: 8, epochs: 1, batch_size: 128, tf32: "off"}
grid: {cudnn_benchmark: [false, true], mode: [nd, d]}
YAML
expect_status 0 "$bin/sweep" plan factors.yaml -o f
expect_status 0 "$bin/sweep" run f -j 2
"$python" - f <<'PY'
import json, sys
import h5py
d = sys.argv[1]
seen = {}
for line in open(f"{d}/plan.jsonl"):
    run = json.loads(line)
    with h5py.File(f"{d}/runs/{run['run_id']}.h5", "r") as f:
        s = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f["settings"].attrs.items()}
    p = run["params"]
    assert s["cudnn_benchmark"] == ("on" if p["cudnn_benchmark"] else "off"), s
    assert s["tf32"] == "off" and s["tf32_cublas"] == "off" and s["tf32_cudnn"] == "off", s
    assert s["deterministic_algorithms"] == ("on" if p["mode"] == "d" else "off"), s
    seen.setdefault(p["cudnn_benchmark"], []).append({k: s[k] for k in ("tf32_cublas", "tf32_cudnn", "cudnn_benchmark")})
assert len(seen) == 2 and all(len(v) == 2 and v[0] == v[1] for v in seen.values()), seen
PY
sed 's/tf32: "off"/tf32: sometimes/' factors.yaml >sometimes.yaml
expect_status 2 "$bin/sweep" plan sometimes.yaml -o never
expect_in "$out" "sometimes.yaml:3:"
expect_in "$out" "tf32: expected one of default | off | on, got \"sometimes\""

echo "== sweep preflight --local: two short d copies and one nd of each combination's first run, compared"
expect_status 0 "$bin/sweep" plan "$src/sweeps/demo.yaml" -o demo
set +e
"$bin/sweep" preflight demo --local --format json >preflight.json 2>preflight.err
rc=$?
set -e
[ $rc -eq 0 ] || fail "sweep preflight --local exited $rc: $(cat preflight.err preflight.json)"
"$python" - demo preflight.json <<'PY'
import json, sys
import h5py
d, report = sys.argv[1], json.load(open(sys.argv[2]))
checks = report["checks"]
# No resources section; one check per environment (1 and 2 threads).
assert report["d_identical"] is True and len(checks) == 2, report
assert [c["environment"] for c in checks] == ["threads-1", "threads-2"], checks
for c in checks:
    assert c["d_identical"] is True and c["error"] == "", c
    assert c["nd_differs"] is False, c  # on the CPU nd repeats too
    assert c["device"] == "cpu" and c["resources"] == {}, c
    for key in ("node", "torch", "energy_method", "tf32_cublas", "tf32_cudnn", "cudnn_benchmark", "log"):
        assert c[key] != "", key
assert checks[0]["run_index"] == 0, checks
source = json.loads(open(f"{d}/plan.jsonl").readline())["params"]
plan = [json.loads(line) for line in open(f"{d}/preflight/plan.jsonl")]
assert [p["params"]["mode"] for p in plan] == ["d", "d", "nd"] * 2, plan
assert [p["params"]["environment"] for p in plan] == ["threads-1"] * 3 + ["threads-2"] * 3, plan
assert len({p["run_id"] for p in plan}) == 6, plan
for p in plan:
    params = p["params"]
    assert params["epochs"] == 2 and params["dataset"] == {"name": "digits", "n_train": 512, "n_test": 512}, params
    if params["environment"] == "threads-1":
        assert {k: v for k, v in params.items() if k not in ("mode", "epochs", "dataset")} == \
            {k: v for k, v in source.items() if k not in ("mode", "epochs", "dataset")}, (params, source)
    with h5py.File(f"{d}/preflight/runs/{p['run_id']}.h5", "r") as f:
        assert f["eval/logits"].shape == (360, 10), f["eval/logits"].shape  # 512 caps digits' 360 at 360
        assert len(f["metrics/epoch"]) == 2
PY
expect_status 0 "$bin/sweep" preflight demo --local --epochs 1 --samples 64
expect_in "$out" "preflight passed: every pair of mode-d copies is identical"
expect_in "$out" "d identical"

echo "== one preflight per resources combination, each on its combination's #SBATCH options"
cat >combos.yaml <<'YAML'
name: combos
slurm: {gpus_per_task: 0, max_array_size: 3, time: "00:06:00"}
base: {dataset: digits, model: small_cnn, width: 8, epochs: 1, batch_size: 128}
grid: {seed: [0, 1, 2, 3]}
resources:
  partition: [alpha, beta]
YAML
expect_status 0 "$bin/sweep" plan combos.yaml -o c
expect_status 0 "$bin/sweep" preflight c --local --epochs 1 --samples 32
"$python" - c <<'PY'
import json, sys
d = sys.argv[1]
summary = json.load(open(f"{d}/sweep.json"))
combinations = json.load(open(f"{d}/preflight/preflight.json"))["combinations"]
# 8 runs in arrays of at most 3: two arrays per partition, one preflight per partition.
assert [a["resources"] for a in summary["arrays"]] == [{"partition": "alpha"}] * 2 + [{"partition": "beta"}] * 2
assert [c["resources"] for c in combinations] == [{"partition": "alpha"}, {"partition": "beta"}], combinations
assert [c["run_index"] for c in combinations] == [0, 4], combinations
for c in combinations:
    script = open(f"{d}/preflight/slurm/{c['script']}").read()
    assert f"#SBATCH --partition={c['resources']['partition']}\n" in script, script
    assert "#SBATCH --array=0\n" in script and "--requeue" not in script, script
plan = [json.loads(line) for line in open(f"{d}/preflight/plan.jsonl")]
assert [p["params"]["resources"] for p in plan] == [{"partition": "alpha"}] * 3 + [{"partition": "beta"}] * 3
PY
expect_in "$out" "preflight passed"

echo "== a preflight whose copies do not train fails, naming the log; bad options are input errors"
expect_status 1 "$bin/sweep" preflight b --local
expect_in "$out" "has no complete run file"
expect_in "$out" "preflight FAILED"
expect_status 2 "$bin/sweep" preflight demo --local --epochs 0
expect_in "$out" "--epochs: expected an integer >= 1"
expect_status 2 "$bin/sweep" submit demo --after-preflight
expect_in "$out" "no preflight was submitted"

echo "== --explain lists every run with its seeds"
expect_status 0 "$bin/sweep" plan tiny.yaml --dry-run --explain
expect_in "$out" "point 1 (group"
[ "$(grep -c '  run ' <<<"$out")" -eq 4 ] || fail "--explain should list 4 runs"

echo "cli_test: ok"
