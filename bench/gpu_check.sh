#!/usr/bin/env bash
# The GPU checks of the trainer and the GPU benchmarks, in one call on a GPU machine that has
# torch 2.11 for Python but none of the project's other libraries (the `device` machines of
# this workplace: one H100 or H200, no network). Prepare here, run there:
#
#   bench/gpu_prepare.sh [BUILD_DIR]      # here: .carry/ = the built trainer and test_train,
#                                         # the Debian libraries they load, an h5py wheel
#   bench/gpu_check.sh                    # there, with .carry carried; results in $OUT
#
# Stages, the most important first; each runs under its own time limit and writes
# $OUT/<stage>.md as it ends, so a call cut short still returns what finished:
#   environment  nvidia-smi, torch, CUDA and cuDNN versions
#   determinism  mode d twice -> /weights/flat and /eval/logits byte-identical on CUDA (small CNN
#                with BatchNorm, dropout and augmentation; ResNet-18 fp32 and bf16 + channels_last);
#                mode nd twice -> how far the runs part; energy method, GPU joules, gpu_s
#   speed        bench/train_bench.sh on the GPU: trainer vs Python (DataLoader with workers and
#                pinned memory, and GPU-resident), fp32 and bf16-cl, modes d and nd; d/nd ratio
#   peak         bf16 matmul TFLOP/s, ResNet-18's FLOPs per image, the trainer's fraction of peak
#   packing      1, 2, 4, 8 small-CNN runs at once on the GPU: runs per GPU-hour; mode d results
#                byte-identical to a run alone
#   resume       tests/train/check_trainer_resume.py on the GPU (KILL, TERM, USR2, then resume)
#   unit         test_train (Catch2), whose models now land on CUDA
# $OUT/summary.md joins them. Environment: STAGES (a subset, in the order above), DEVICE (cuda;
# cpu for a dry run here), SCALE (full; small for a dry run), PYTHON (python3).
#
# A dry run of the whole script on this CPU machine, a few minutes:
#   OUT=/tmp/gpu-check DEVICE=cpu SCALE=small bench/gpu_check.sh
set -uo pipefail  # not -e: a failed stage is recorded and the next one runs
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
carry=$src/.carry
out=${OUT:-$src/gpu-check-out}
device=${DEVICE:-cuda}
scale=${SCALE:-full}
stages=${STAGES:-environment determinism speed peak packing resume unit}
python=${PYTHON:-python3}
work=$(mktemp -d /tmp/rs-gpu-check.XXXXXX)
mkdir -p "$out"
summary=$out/summary.md
echo "# GPU check $(date -u '+%F %H:%M UTC'), git $(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo '?')" >"$summary"

log() { echo "[$(date +%T) +${SECONDS}s] $*" | tee -a "$out/log.txt" >&2; }

# stage NAME LIMIT_S COMMAND...: runs COMMAND with its output in $OUT/NAME.md, then appends that
# to the summary with how it ended.
stage() {
  local name=$1 limit=$2 start=$SECONDS rc
  shift 2
  [[ " $stages " == *" $name "* ]] || return 0
  log "$name: start (limit $((limit * limit_factor)) s)"
  # bash -c: COMMAND may be one of the functions below (exported), which timeout cannot run.
  timeout --signal=TERM --kill-after=10 $((limit * limit_factor)) bash -c '"$@"' stage "$@" \
    >"$out/$name.md" 2>"$out/$name.err"
  rc=$?
  local how="ok"
  [ $rc -eq 0 ] || how="FAILED (exit $rc$([ $rc -eq 124 ] && echo ', time limit'))"
  log "$name: $how after $((SECONDS - start)) s"
  { printf '\n## %s: %s, %d s\n\n' "$name" "$how" $((SECONDS - start))
    cat "$out/$name.md"
    [ $rc -eq 0 ] || { echo; echo '```'; tail -30 "$out/$name.err"; echo '```'; }
  } >>"$summary"
}

# --- Set-up: libraries, Python packages, binaries (not a stage: everything needs it) ---
deps=/tmp/rs-deps
if [ -d "$carry/debs" ]; then
  mkdir -p "$deps"
  for deb in "$carry"/debs/*.deb; do dpkg -x "$deb" "$deps"; done
  export LD_LIBRARY_PATH=$deps/usr/lib/x86_64-linux-gnu:$deps/usr/lib/x86_64-linux-gnu/hdf5/serial:${LD_LIBRARY_PATH:-}
fi
# The carried binaries were linked against the project's .venv wheel; the same LibTorch
# version is this machine's torch, found through the library path.
# The CUDA runtime they link comes with that torch (the nvidia-cuda-runtime wheel) or from the
# machine's CUDA toolkit.
torch_lib=$("$python" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
export LD_LIBRARY_PATH=$torch_lib:$torch_lib/../../nvidia/cu13/lib:/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}
if ! "$python" -c 'import h5py' 2>/dev/null && [ -d "$carry/wheels" ]; then
  for wheel in "$carry"/wheels/*.whl; do
    # numpy only where there is none: torch's own numpy must not be shadowed.
    case $(basename "$wheel") in numpy-*) "$python" -c 'import numpy' 2>/dev/null && continue ;; esac
    "$python" -m pip install -q --no-index --no-deps --target /tmp/rs-pydeps "$wheel" >>"$out/log.txt" 2>&1
  done
  export PYTHONPATH=/tmp/rs-pydeps${PYTHONPATH:+:$PYTHONPATH}
fi
bin=$carry/bin
# Without arguments the trainer prints its usage and exits with 2, if its libraries load.
"$bin/trainer" >/dev/null 2>>"$out/log.txt"
if [ $? -ne 2 ] || ldd "$bin/test_train" | grep 'not found' >>"$out/log.txt"; then
  log "the carried trainer does not start here (see above): building from source"
  prefix=$("$python" -c 'import torch.utils; print(torch.utils.cmake_prefix_path)')
  CPATH=$deps/usr/include:$deps/usr/include/hdf5/serial${CPATH:+:$CPATH} \
    cmake -S "$src" -B /tmp/rs-build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREPROSWEEP_PYTHON="$python" \
      -DCMAKE_PREFIX_PATH="$prefix;$deps/usr" -DHDF5_ROOT="$deps/usr/lib/x86_64-linux-gnu/hdf5/serial" \
      >"$out/build.log" 2>&1 &&
    CPATH=$deps/usr/include:$deps/usr/include/hdf5/serial${CPATH:+:$CPATH} \
      ninja -C /tmp/rs-build trainer test_train >>"$out/build.log" 2>&1 ||
    { log "build failed"; tail -40 "$out/build.log" >&2; exit 1; }
  mkdir -p /tmp/rs-build/carry-bin
  ln -sf /tmp/rs-build/bin/trainer /tmp/rs-build/tests/test_train /tmp/rs-build/carry-bin/
  bin=/tmp/rs-build/carry-bin
fi
log "set-up done: trainer $bin/trainer, python $("$python" -c 'import sys; print(sys.version.split()[0])')"

environment() {
  { nvidia-smi --query-gpu=name,uuid,driver_version,memory.total,power.limit,clocks.max.sm --format=csv 2>&1 ||
      echo "no nvidia-smi here"; } | sed 's/^/    /'
  echo
  "$python" -c 'import torch; print("- torch", torch.__version__, "CUDA", torch.version.cuda,
    "cuDNN", torch.backends.cudnn.version(), "devices", torch.cuda.device_count())'
  echo "- CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
}

speed() {
  local sizes=("16384 1024 3" "8192 1024 3")
  [ "$scale" = small ] && sizes=("256 64 2" "64 32 2")
  DEVICE=$device VARIANTS="fp32 bf16-cl" SMALL_MODES="nd d" RESNET_MODES="nd d" REPEATS=1 THREADS=4 \
    DL_WORKERS=4 DL_MODES=nd SMALL_SIZE=${sizes[0]} RESNET_SIZE=${sizes[1]} OMP_WAIT_POLICY= \
    PYTHON=$python H5_PYTHON=$python "$src/bench/train_bench.sh" "$(dirname "$bin")"
}

resume() {
  local params='{"dataset": {"name": "synthetic", "n_train": 512, "n_test": 128}, "batch_size": 64}'
  [ "$scale" = small ] && params='{"dataset": {"name": "synthetic", "n_train": 128, "n_test": 32}}'
  params=${params%\}}", \"device\": \"$device\"}"
  "$python" "$src/tests/train/check_trainer_resume.py" "$bin/trainer" "$work/resume" "$params" &&
    echo "Kill-and-resume (KILL, TERM, USR2 at several points) equals the uninterrupted run, byte for byte, on $device."
}

unit() {
  echo '```'
  "$bin/test_train" 2>&1 | tail -25
  echo '```'
}

export -f environment speed resume unit
export src out device scale python bin work
counts=(1 2 4 8)
limit_factor=1
[ "$scale" = small ] && counts=(1 2) limit_factor=4  # a CPU is slower at everything
stage environment 30 environment
stage determinism 150 "$python" "$src/bench/gpu_check.py" determinism "$bin/trainer" "$work" "$device" "$scale"
stage speed 240 speed
if [ "$device" = cuda ]; then stage peak 60 "$python" "$src/bench/gpu_check.py" peak "$out/speed.md"; fi
stage packing 120 "$python" "$src/bench/gpu_check.py" packing "$bin/trainer" "$work" "$device" "$scale" "${counts[@]}"
stage resume 120 resume
stage unit 150 unit
rm -rf "$work"
log "done: $summary"
