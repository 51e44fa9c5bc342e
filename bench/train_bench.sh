#!/usr/bin/env bash
# Trainer vs Python PyTorch on the CPU (or a GPU: DEVICE=cuda): images/s of the C++ trainer and of
# bench/train_reference.py (the same model, optimizer, data and batches in Python, once with a
# torch DataLoader, once with the data resident in one tensor) on CIFAR-shaped synthetic data.
# Target (issue 7): the trainer >= 1.2x Python. Prints a Markdown table (median and best of the
# repeats) and the raw numbers.
#
#   bench/train_bench.sh [BUILD_DIR]
#
# Environment: REPEATS (default 2), THREADS (default 2, both sides), OMP_WAIT_POLICY (default
# passive, see below), SMALL_MODES (default
# "nd d"), RESNET_MODES (default "nd"; on the CPU d and nd run the same kernels and a ResNet-18
# run costs a minute here), MODELS (default "small_cnn resnet18"), SMALL_SIZE and RESNET_SIZE
# ("n_train n_test epochs", defaults below; e.g. SMALL_SIZE="256 64 2" for a quick check).
# On a GPU (bench/gpu_check.sh sets these): DEVICE=cuda, VARIANTS="fp32 bf16-cl" (bf16-cl:
# precision bf16 and channels_last on both sides), DL_WORKERS (the DataLoader side's worker
# processes, default 0), DL_MODES (modes that also run the DataLoader side; default: all),
# PYTHON (the reference's interpreter) and H5_PYTHON (one with h5py, to read run files).
#
# Start-up is left out on both sides: images/s counts the training epochs after the first
# (oneDNN builds its kernels in the first one), not process start, data generation or the test
# pass. The trainer's run file holds seconds per epoch including the test pass
# (/metrics/seconds) and the total test time (/timing eval_s), so its per-epoch training time
# is seconds[e] - eval_s / epochs; the test sets are small to keep that correction small (on a
# GPU, n_test = the batch size, so that the test pass runs the training shapes: bench/gpu_check.sh).
# The sides and configurations run alternately, the sides in a rotating order, so that load
# from other processes and the machine's drift hit them alike.
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${1:-$src/build}/bin
python=${PYTHON:-$src/.venv/bin/python}
h5_python=${H5_PYTHON:-/usr/bin/python3}
repeats=${REPEATS:-2}
threads=${THREADS:-2}
models=${MODELS:-small_cnn resnet18}
device=${DEVICE:-cpu}
variants=${VARIANTS:-fp32}
dl_workers=${DL_WORKERS:-0}
dl_modes=${DL_MODES:-nd d}
work=$(mktemp -d /tmp/rs-train-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export OMP_NUM_THREADS=$threads SLURM_CPUS_PER_TASK=$threads
# Both sides use the same libgomp. Its default spin-waiting made 2-thread small-CNN epochs about
# 5x slower on the shared 2-core VM (other processes own the cores the spinner waits for);
# passive waiting measures the frameworks, not the scheduler. OMP_WAIT_POLICY= (empty) restores
# the default.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY-passive}
[ -n "$OMP_WAIT_POLICY" ] || unset OMP_WAIT_POLICY

# model -> n_train n_test epochs: about 20-40 s of timed training per run on 2 CPU cores.
declare -A size=([small_cnn]="${SMALL_SIZE:-4096 256 3}" [resnet18]="${RESNET_SIZE:-384 128 2}")
declare -A modes=([small_cnn]="${SMALL_MODES:-nd d}" [resnet18]="${RESNET_MODES:-nd}")
hyper='"batch_size": 128, "optimizer": "sgd", "lr": 0.05, "momentum": 0.9, "weight_decay": 0.0005'

# The trainer's images/s, parameter count and test-label hash from its run file.
cpp_speed() {
  "$h5_python" - "$1" <<'PY'
import hashlib, json, sys
import h5py
with h5py.File(sys.argv[1], "r") as f:
    seconds = f["metrics/seconds"][()]
    eval_per_epoch = f["timing"].attrs["eval_s"] / len(seconds)
    n_train = json.loads(f.attrs["params_json"])["dataset"]["n_train"]
    print(json.dumps({
        "images_per_s": n_train * (len(seconds) - 1) / (seconds[1:].sum() - eval_per_epoch * (len(seconds) - 1)),
        "parameters": int(f["weights/flat"].shape[0]),
        "test_labels_sha1": hashlib.sha1(f["eval/labels"][()].astype("<i8").tobytes()).hexdigest()}))
PY
}

field() { "$h5_python" -c "import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

raw=$work/raw.tsv
# Repeats outermost and sides in a rotating order: the VM's speed drifts over minutes, and
# a run right after a DataLoader run with workers was often slower, so no configuration or
# side may always run in the same window or after the same other side.
for rep in $(seq "$repeats"); do
  for model in $models; do
    read -r n_train n_test epochs <<<"${size[$model]}"
    for mode in ${modes[$model]}; do
      for variant in $variants; do
        case $variant in
          fp32) speed='"precision": "fp32", "channels_last": false'; speed_flags=() ;;
          bf16-cl) speed='"precision": "bf16", "channels_last": true'; speed_flags=(--precision bf16 --channels-last) ;;
          *) echo "unknown variant $variant (fp32 | bf16-cl)" >&2; exit 2 ;;
        esac
        # A one-line plan, as `sweep plan` would write it (the trainer reads nothing else).
        printf '{"index": 0, "run_id": "0000000000000001", "group_id": "0000000000000001", "sweep": "train-bench", "params": {"dataset": {"name": "synthetic", "n_train": %d, "n_test": %d}, "model": "%s", "epochs": %d, "mode": "%s", "device": "%s", %s, %s}}\n' \
          "$n_train" "$n_test" "$model" "$epochs" "$mode" "$device" "$speed" "$hyper" >"$work/plan.jsonl"
        ref=("$python" "$src/bench/train_reference.py" --model "$model" --n-train "$n_train" --n-test "$n_test"
             --epochs "$epochs" --mode "$mode" --batch-size 128 --lr 0.05 --momentum 0.9 --weight-decay 0.0005
             --device "$device" "${speed_flags[@]}")
        sides="cpp resident"
        [[ " $dl_modes " == *" $mode "* ]] && sides="cpp dataloader resident"
        [ "$device" = cpu ] && [ "$model" = small_cnn ] && [ "$mode" = nd ] && sides="$sides dataloader-w2"
        # Each repeat starts one side later.
        read -r -a order <<<"$sides"
        shift_by=$(((rep - 1) % ${#order[@]}))
        for side in "${order[@]:shift_by}" "${order[@]:0:shift_by}"; do
          case $side in
            cpp)
              rm -rf "$work/runs"
              "$bin/trainer" --plan "$work/plan.jsonl" --index 0 --runs-dir "$work/runs" 2>"$work/log" ||
                { cat "$work/log" >&2; exit 1; }
              out=$(cpp_speed "$work"/runs/*.h5) ;;
            dataloader) out=$("${ref[@]}" --loader dataloader --workers "$dl_workers") ;;
            dataloader-w2) out=$("${ref[@]}" --loader dataloader --workers 2) ;;
            resident) out=$("${ref[@]}" --loader resident) ;;
          esac
          printf '%s\t%s\t%s\t%s\t%s\n' "$model" "$mode $variant" "$side" "$rep" "$out" >>"$raw"
          echo "$model $mode $variant $side #$rep: $(field "$out" images_per_s) images/s" >&2
        done
      done
    done
  done
done

# The table: median and best (highest) images/s per side, and the trainer's ratio to each
# Python side; then every raw number. Fails if the two sides' parameter counts or test labels
# differ (they must be training the same model on the same data).
"$h5_python" - "$raw" "$dl_workers" <<'PY'
import json, statistics, sys
from collections import defaultdict
dl_workers = int(sys.argv[2])
names = {"cpp": "C++ trainer", "dataloader": "Python DataLoader" + (
         f", {dl_workers} workers" if dl_workers else ""), "dataloader-w2":
         "Python DataLoader, 2 workers", "resident": "Python resident"}
runs, checks = defaultdict(list), defaultdict(set)
for line in open(sys.argv[1]):
    model, mode, side, rep, out = line.rstrip("\n").split("\t")
    out = json.loads(out)
    runs[model, mode, side].append(out["images_per_s"])
    checks[model].add((out["parameters"], out["test_labels_sha1"]))
for model, seen in checks.items():
    if len(seen) != 1:
        sys.exit(f"{model}: the sides differ in parameters or test labels: {seen}")
print("| model | parameters | mode, variant | side | runs | images/s median | images/s best | C++ / this (median) | C++ / this (best) |")
print("|---|---:|---|---|---:|---:|---:|---:|---:|")
for (model, mode, side), values in runs.items():
    cpp = runs[model, mode, "cpp"]
    med, best = statistics.median(values), max(values)
    ratio = lambda a, b: "" if side == "cpp" else f"{a / b:.2f}"  # noqa: E731
    params = next(iter(checks[model]))[0]
    print(f"| {model} | {params} | {mode} | {names[side]} | {len(values)} | {med:.1f} | {best:.1f} | "
          f"{ratio(statistics.median(cpp), med)} | {ratio(max(cpp), best)} |")
# Determinism's cost: the trainer's time per image in mode d over mode nd (median images/s).
overhead = [(model, variant, statistics.median(runs[model, "nd " + variant, "cpp"]) /
             statistics.median(runs[model, "d " + variant, "cpp"]))
            for (model, mode, side) in runs if side == "cpp" and mode.startswith("d ")
            for variant in [mode[2:]] if (model, "nd " + variant, "cpp") in runs]
if overhead:
    print("\n| model | variant | trainer d / nd time |\n|---|---|---:|")
    for model, variant, ratio in overhead:
        print(f"| {model} | {variant} | {ratio:.3f} |")
print("\nRaw images/s, in the order run:\n")
for (model, mode, side), values in runs.items():
    print(f"- {model} {mode} {names[side]}: " + ", ".join(f"{v:.1f}" for v in values))
PY
