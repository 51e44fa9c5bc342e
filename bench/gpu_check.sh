#!/usr/bin/env bash
# The GPU checks of the trainer and the GPU benchmarks, in one call on a GPU machine that has
# torch 2.11 for Python but none of the project's other libraries (the `device` machines of
# this workplace: one H100 or H200, no network, 10 minutes per call). Prepare here, run there:
#
#   bench/gpu_prepare.sh [BUILD_DIR]      # here: .carry/ = the built trainer, test_train and
#                                         # sweep, the Debian libraries they load, h5py, sklearn data
#   bench/gpu_check.sh                    # there, with .carry carried; results in $OUT
#
# Stages, the most important first; each runs under its own time limit, and the limits add up
# to 505 s, within BUDGET_S (default 540) from the start with room for the set-up; each writes
# $OUT/<stage>.md as it goes (and a line per run to $OUT/<stage>.err), so a call cut short still
# returns what finished. Every trainer runs with REPROSWEEP_SYNC_CHECK=error: a training step
# that waits for the GPU fails its run (lib/train/sync_check.h).
#   environment  nvidia-smi, torch, CUDA and cuDNN versions, the commit the binaries were built from
#   determinism  mode d twice -> /weights/flat and /eval/logits byte-identical on CUDA (small CNN
#                with BatchNorm, dropout and augmentation; ResNet-18 fp32 and bf16 + channels_last);
#                mode nd twice -> how far the runs part; energy method, GPU joules, gpu_s; d and nd
#                record the same TF32 and cuDNN benchmark settings; NVML measured the GPU CUDA
#                used (its UUID); and d with tf32 off and the cuDNN benchmark on, reported only
#   speed        bench/train_bench.sh on the GPU: trainer vs Python (GPU-resident data in d and
#                nd, and in nd a DataLoader with 4 workers and pinned memory), fp32 and bf16-cl;
#                the trainer's d/nd time ratio
#   peak         bf16 matmul TFLOP/s, ResNet-18's FLOPs per image, the trainer's fraction of peak
#   packing      1, 2, 4 small-CNN runs at once on the GPU: runs per GPU-hour; mode d results
#                byte-identical to a run alone; their GPU joules add up to the GPU's counter
#   runs_per_task bench/pack_bench.sh on the GPU: a sweep of the demo's small CNN planned with
#                slurm.runs_per_task 1, 2, 4 and run by `sweep run`, K runs sharing the GPU and
#                8 CPUs: runs per hour; d runs at another K with the same threads byte-identical
#   preflight    `sweep preflight --local` on the demo on the GPU: d copies identical, nd differs?
#   resume       tests/train/check_trainer_resume.py on the GPU (KILL, TERM, USR2, then resume)
#   unit         test_train (Catch2), whose models land on CUDA when there is one
# $OUT/summary.md joins them. Environment: STAGES (a subset), DEVICE (cuda; cpu for a dry run
# here), SCALE (full; small for a dry run: every limit x 4), PYTHON (python3), BUDGET_S.
#
# A dry run of the whole script on this CPU machine (about 6 minutes; docs/benchmarks.md):
#   PY_VERSION=3.11 bench/gpu_prepare.sh build
#   OUT=/tmp/gpu-check DEVICE=cpu SCALE=small BUDGET_S=1800 PYTHON=$PWD/.venv/bin/python bench/gpu_check.sh
set -uo pipefail  # not -e: a failed stage is recorded and the next one runs
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
carry=$src/.carry
out=${OUT:-$src/gpu-check-out}
device=${DEVICE:-cuda}
scale=${SCALE:-full}
stages=${STAGES:-environment determinism speed peak packing runs_per_task preflight resume unit}
python=${PYTHON:-python3}
budget_s=${BUDGET_S:-540}
work=$(mktemp -d /tmp/rs-gpu-check.XXXXXX)
mkdir -p "$out"
summary=$out/summary.md
echo "# GPU check $(date -u '+%F %H:%M UTC'), binaries from $(head -1 "$carry/VERSION" 2>/dev/null || echo '?')" >"$summary"
export PYTHONUNBUFFERED=1  # a stage cut by its time limit keeps the lines it printed
export REPROSWEEP_SYNC_CHECK=error

log() { echo "[$(date +%T) +${SECONDS}s] $*" | tee -a "$out/log.txt" >&2; }

# stage NAME LIMIT_S COMMAND...: runs COMMAND (a program or a function below) with its output
# in $OUT/NAME.md, for at most LIMIT_S and never past the budget, then appends that output to
# the summary with how it ended. A stage with under 20 s of budget left is skipped.
stage() {
  local name=$1 limit=$2 start=$SECONDS rc how
  shift 2
  [[ " $stages " == *" $name "* ]] || return 0
  [ "$scale" = small ] && limit=$((limit * 4))  # a dry run on a CPU is slower at everything
  local left=$((budget_s - SECONDS))
  [ "$limit" -le "$left" ] || limit=$left
  if [ "$limit" -lt 20 ]; then
    log "$name: skipped, ${left} s of the budget left"
    printf '\n## %s: skipped (out of time)\n' "$name" >>"$summary"
    return 0
  fi
  log "$name: start (limit ${limit} s)"
  # bash -c, because timeout cannot run a shell function; set -o pipefail again in there.
  timeout --signal=TERM --kill-after=10 "$limit" bash -o pipefail -c '"$@"' stage "$@" \
    >"$out/$name.md" 2>"$out/$name.err"
  rc=$?
  how="ok"
  [ $rc -eq 0 ] || how="FAILED (exit $rc$([ $rc -eq 124 ] && echo ', time limit'))"
  log "$name: $how after $((SECONDS - start)) s"
  { printf '\n## %s: %s, %d s\n\n' "$name" "$how" $((SECONDS - start))
    cat "$out/$name.md"
    [ $rc -eq 0 ] || { echo; echo '```'; tail -30 "$out/$name.err"; echo '```'; }
  } >>"$summary"
}

# --- Set-up (not a stage: everything needs it) ---
# The binaries get the Debian libraries and LibTorch through wrappers in $run/bin, so that the
# machine's own Python, torch and nvidia-smi never see Debian's copies of libssl and the like.
deps=/tmp/rs-deps
mkdir -p "$deps"
for deb in "$carry"/debs/*.deb; do dpkg -x "$deb" "$deps"; done
torch_lib=$("$python" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
# The CUDA runtime the binaries link comes with that torch (nvidia-cuda-runtime) or the toolkit.
lib_path=$deps/usr/lib/x86_64-linux-gnu:$deps/usr/lib/x86_64-linux-gnu/hdf5/serial:$torch_lib:$torch_lib/../../nvidia/cu13/lib:/usr/local/cuda/lib64
if ! "$python" -c 'import h5py' 2>/dev/null; then
  tag=cp$("$python" -c 'import sys; print(f"{sys.version_info[0]}{sys.version_info[1]}")')
  for wheel in "$carry"/wheels/*-"$tag"-*.whl; do
    # numpy only where there is none: torch's own numpy must not be shadowed.
    case $(basename "$wheel") in numpy-*) "$python" -c 'import numpy' 2>/dev/null && continue ;; esac
    "$python" -m zipfile -e "$wheel" /tmp/rs-pydeps  # a wheel is a zip file; no pip needed
  done
  export PYTHONPATH=/tmp/rs-pydeps${PYTHONPATH:+:$PYTHONPATH}
fi
[ -d "$carry/sklearn-data" ] && export REPROSWEEP_SKLEARN_DATA=$carry/sklearn-data

run=/tmp/rs-run  # laid out as a build folder: bin/trainer, bin/test_train, bin/sweep
mkdir -p "$run/bin"
wrap() {  # wrap EXECUTABLE: $run/bin/<name> runs it with the libraries above
  printf '#!/bin/sh\nLD_LIBRARY_PATH=%s${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} exec "%s" "$@"\n' \
    "$lib_path" "$1" >"$run/bin/$(basename "$1")"
  chmod +x "$run/bin/$(basename "$1")"
}
wrap "$carry/bin/trainer"
wrap "$carry/bin/test_train"
wrap "$carry/bin/sweep"
# Without arguments the trainer prints its usage and exits with 2, if its libraries load.
"$run/bin/trainer" >/dev/null 2>>"$out/log.txt"
started=$?
missing=$(LD_LIBRARY_PATH=$lib_path ldd "$carry/bin/test_train" "$carry/bin/sweep" 2>&1 | grep 'not found')
if [ $started -ne 2 ] || [ -n "$missing" ]; then
  log "the carried binaries do not start here ($missing): building from source, at most 300 s"
  for deb in "$carry"/debs-dev/*.deb; do dpkg -x "$deb" "$deps"; done
  prefix=$("$python" -c 'import torch.utils; print(torch.utils.cmake_prefix_path)')
  export CPATH=$deps/usr/include:$deps/usr/include/hdf5/serial${CPATH:+:$CPATH}
  timeout 300 bash -c "cmake -S '$src' -B /tmp/rs-build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DREPROSWEEP_PYTHON='$python' -DCMAKE_PREFIX_PATH='$prefix;$deps/usr' \
      -DHDF5_ROOT='$deps/usr/lib/x86_64-linux-gnu/hdf5/serial' && ninja -C /tmp/rs-build trainer test_train sweep" \
    >"$out/build.log" 2>&1 || { log "build failed"; tail -40 "$out/build.log" >&2; exit 1; }
  wrap /tmp/rs-build/bin/trainer
  wrap /tmp/rs-build/tests/test_train
  wrap /tmp/rs-build/bin/sweep
fi
log "set-up done, python $("$python" -c 'import sys; print(sys.version.split()[0])')"

environment() {
  { nvidia-smi --query-gpu=name,uuid,driver_version,memory.total,power.limit,clocks.max.sm --format=csv 2>&1 ||
      echo "no nvidia-smi here"; } | sed 's/^/    /'
  echo
  "$python" -c 'import torch; print("- torch", torch.__version__, "CUDA", torch.version.cuda,
    "cuDNN", torch.backends.cudnn.version(), "devices", torch.cuda.device_count())'
  echo "- CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
  echo "- binaries built from: $(tr '\n' ' ' <"$carry/VERSION" 2>/dev/null)"
}

speed() {
  # n_test = the batch size: the test pass reuses the training shapes (no new cuDNN search),
  # so the trainer's per-epoch test time, subtracted as an average, is small and even.
  local sizes=("32768 128 4" "8192 128 4")
  [ "$scale" = small ] && sizes=("256 128 2" "64 64 2")  # bf16 ResNet-18 on a CPU: about 3 images/s
  DEVICE=$device VARIANTS="fp32 bf16-cl" SMALL_MODES="nd d" RESNET_MODES="nd d" REPEATS=1 THREADS=4 \
    DL_WORKERS=4 DL_MODES=nd SMALL_SIZE=${sizes[0]} RESNET_SIZE=${sizes[1]} OMP_WAIT_POLICY= \
    PYTHON=$python H5_PYTHON=$python "$src/bench/train_bench.sh" "$run"
}

resume() {
  # CI's scenario (digits, from the carried sklearn data), on the device.
  "$python" "$src/tests/train/check_trainer_resume.py" "$run/bin/trainer" "$work/resume" "{\"device\": \"$device\"}" &&
    echo "Kill-and-resume (KILL, TERM, USR2 at several points) equals the uninterrupted run, byte for byte, on $device."
}

unit() {
  "$run/bin/test_train" >"$out/unit.log" 2>&1
  local rc=$?
  echo '```'
  tail -25 "$out/unit.log"
  echo '```'
  return $rc
}

export -f environment speed resume unit
export src out carry device scale python run work
counts=(1 2 4)
[ "$scale" = small ] && counts=(1 2)
# Limits: 10 + 100 + 120 + 25 + 70 + 45 + 35 + 45 + 55 = 505 s of the 540.
stage environment 10 environment
stage determinism 100 "$python" "$src/bench/gpu_check.py" determinism "$run/bin/trainer" "$work" "$device" "$scale"
stage speed 120 speed
if [ "$device" = cuda ]; then stage peak 25 "$python" "$src/bench/gpu_check.py" peak "$out/speed.md"; fi
stage packing 70 "$python" "$src/bench/gpu_check.py" packing "$run/bin/trainer" "$work" "$device" "$scale" "${counts[@]}"
pack_scale=(RUNS=8 EPOCHS=6 KS="1 2 4")
[ "$scale" = small ] && pack_scale=(RUNS=4 EPOCHS=1 KS="1 2")
stage runs_per_task 45 env "${pack_scale[@]}" SWEEP="$run/bin/sweep" TRAINER="$run/bin/trainer" DEVICE="$device" CPUS=8 \
  PYTHON="$python" TMPDIR="$work" bash "$src/bench/pack_bench.sh"
stage preflight 35 "$python" "$src/bench/gpu_check.py" preflight "$run/bin/sweep" "$run/bin/trainer" "$work" "$device"
stage resume 45 resume
stage unit 55 unit
rm -rf "$work"
log "done: $summary"
