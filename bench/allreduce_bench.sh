#!/usr/bin/env bash
# The all-reduce's share of training time at world_size 2 with Gloo on the CPU: two trainer
# ranks on this machine, as srun (or `sweep run`) starts them, on CIFAR-shaped synthetic data,
# small_cnn and ResNet-18, batch 128 (64 per rank). Each rank logs the wall seconds it spent
# waiting for the gradient all-reduce after the backward pass (GradientSum::finish: what the
# overlap with backward did not hide, the waits for the other rank included) against its
# training seconds; rank 0's line is printed as a table.
#
#   bench/allreduce_bench.sh [BUILD_DIR]
#
# Environment: THREADS per rank (default 1: 2 ranks on the 2-core VM), MODELS (default
# "small_cnn resnet18"), REPEATS (default 2). DEVICE=cuda (prepared for a machine with 2 GPUs,
# not run yet): NCCL, each rank on its own GPU (CUDA_VISIBLE_DEVICES=rank, as
# --gpus-per-task=1 gives it). The numbers depend on what else runs here.
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${1:-$src/build}/bin
threads=${THREADS:-1}
models=${MODELS:-small_cnn resnet18}
device=${DEVICE:-cpu}
repeats=${REPEATS:-2}
work=$(mktemp -d /tmp/rs-allreduce-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export OMP_NUM_THREADS=$threads SLURM_CPUS_PER_TASK=$threads OMP_WAIT_POLICY=passive
# model -> n_train epochs: a few hundred steps of small_cnn, a few dozen of ResNet-18.
declare -A size=([small_cnn]="4096 2" [resnet18]="512 1")

echo "| model | parameters | repeat | training s (rank 0) | all-reduce s | share |"
echo "|---|---:|---:|---:|---:|---:|"
job=$((($(date +%s) % 100000) * 10))
for rep in $(seq "$repeats"); do
  for model in $models; do
    read -r n_train epochs <<<"${size[$model]}"
    printf '{"index": 0, "run_id": "0000000000000002", "group_id": "0000000000000002", "sweep": "allreduce-bench", "params": {"dataset": {"name": "synthetic", "n_train": %d, "n_test": 128}, "model": "%s", "epochs": %d, "batch_size": 128, "optimizer": "sgd", "lr": 0.05, "momentum": 0.9, "mode": "nd", "device": "%s", "checkpoint_every": 0, "world_size": 2}}\n' \
      "$n_train" "$model" "$epochs" "$device" >"$work/plan.jsonl"
    rm -rf "$work/runs"
    job=$((job + 1))
    pids=()
    for rank in 0 1; do
      [ "$device" = cuda ] && export CUDA_VISIBLE_DEVICES=$rank
      SLURM_NTASKS=2 SLURM_PROCID=$rank SLURM_LOCALID=$rank SLURM_JOB_NODELIST=localhost SLURM_JOB_ID=$job \
        "$bin/trainer" --plan "$work/plan.jsonl" --index 0 --runs-dir "$work/runs" 2>"$work/log.$rank" &
      pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || { cat "$work"/log.* >&2; exit 1; }; done
    line=$(grep '^distributed: ' "$work/log.0")
    params=$(/usr/bin/python3 -c 'import h5py, sys; print(h5py.File(sys.argv[1])["weights/flat"].shape[0])' "$work"/runs/*.h5)
    # "distributed: A s of this process's T s of training in the all-reduce (P %)"
    read -r reduce train share <<<"$(sed -E 's/^distributed: ([0-9.]+) s of this process.s ([0-9.]+) s .*\(([0-9.]+) %\)$/\1 \2 \3/' <<<"$line")"
    echo "| $model | $params | $rep | $train | $reduce | $share % |"
  done
done
