#!/usr/bin/python3
"""Writes a synthetic sweep of run files for the collector benchmark (bench/collect_bench.sh).

Usage: collect_make_runs.py OUT_DIR --groups G --runs R --weights P [--test N] [--classes C]
                            [--epochs E] [--last-layer K]

Writes OUT_DIR/runs/<run_id>.h5 for G groups of R runs each (one D run, R - 1 ND runs), in the
layout of docs/run-file.md (version 1), with h5py alone, digests included (computed with
tests/runfile/run_file_digests.py; --no-digests leaves them out, as in files written before
them). No plan.jsonl: the collector then counts every complete run file. The runs of a group share a base model and differ by small
noise, so accuracies sit near 90 % and every statistic has something to measure.
"""
import argparse
import json
import sys
from pathlib import Path

import h5py
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "runfile"))
from run_file_digests import add_digests  # noqa: E402  (after the path it is found on)

ENV_FIELDS = ["hostname", "user", "cpu_model", "gpu_name", "gpu_uuid", "driver_version",
              "cuda_version", "cudnn_version", "torch_version", "compiler", "git_commit",
              "slurm_job_id", "slurm_array_job_id", "slurm_array_task_id", "slurm_partition",
              "slurm_account"]
METRICS = ["lr", "train_loss", "train_acc", "test_loss", "test_acc", "seconds", "energy_j"]


def write_run(path, meta, logits, labels, weights, last_layer, epochs, train_s, digests):
    partial = path.with_name(path.name + ".partial")
    with h5py.File(partial, "w") as f:
        f.attrs["schema"] = "reprosweep-run/1"
        for key, value in meta.items():
            f.attrs[key] = value
        seeds = f.create_group("seeds")
        for source in ("init", "shuffle", "augment", "dropout"):
            seeds.attrs[source] = np.int64(meta["replica"])
        seeds.attrs["bitflip"] = np.int64(-1)
        env = f.create_group("env")
        for field in ENV_FIELDS:
            env.attrs[field] = ""
        env.attrs["cpu_model"] = "bench CPU"
        env.attrs["gpu_name"] = "bench GPU"
        metrics = f.create_group("metrics")
        metrics["epoch"] = np.arange(1, epochs + 1, dtype=np.int64)
        for name in METRICS:
            metrics[name] = np.linspace(0.1, 1.0, epochs)
        f["eval/logits"] = logits
        f["eval/labels"] = labels
        f["weights/flat"] = weights
        f["weights/last_layer"] = last_layer
        timing = f.create_group("timing")
        for name, value in (("wall_s", train_s + 10), ("train_s", train_s), ("eval_s", 2.0),
                            ("gpu_s", 0.8 * train_s)):
            timing.attrs[name] = value
        energy = f.create_group("energy")
        energy.attrs["gpu_j"] = 9000.0
        energy.attrs["cpu_j"] = 1000.0
        energy.attrs["avg_gpu_w"] = 150.0
        energy.attrs["method"] = "nvml-counter"
        if digests:
            add_digests(f)
        f.attrs["status"] = "complete"  # last, as the trainer writes it
    partial.rename(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--groups", type=int, required=True)
    parser.add_argument("--runs", type=int, required=True, help="runs per group")
    parser.add_argument("--weights", type=int, required=True, help="P, weights per run")
    parser.add_argument("--test", type=int, default=10000, help="N, test samples")
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--last-layer", type=int, default=640, help="K, classifier weights")
    parser.add_argument("--no-digests", action="store_true", help="files as written before digests")
    args = parser.parse_args()

    runs_dir = Path(args.out) / "runs"
    runs_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20240607)
    labels = rng.integers(0, args.classes, args.test, dtype=np.int64)
    for g in range(args.groups):
        params = {"dataset": "bench", "model": "bench", "optimizer": "sgd", "seed": g}
        group_id = f"{g:016x}"
        # The group's model: right on about 90 % of the samples, by a margin the noise can flip.
        base_logits = rng.standard_normal((args.test, args.classes)).astype(np.float32)
        right = rng.random(args.test) < 0.9
        base_logits[right, labels[right]] += 4.0
        base_weights = rng.standard_normal(args.weights).astype(np.float32)
        base_last = rng.standard_normal((args.epochs + 1, args.last_layer)).astype(np.float32)
        for r in range(args.runs):
            mode = "d" if r == 0 else "nd"
            run_params = dict(params, mode=mode, replica=r)
            meta = {"run_id": f"{g:08x}{r:08x}", "group_id": group_id, "sweep_name": "bench",
                    "params_json": json.dumps(run_params, sort_keys=True), "mode": mode,
                    "replica": np.int64(r), "started_at": "2026-11-25T11:20:00Z",
                    "finished_at": "2026-11-25T11:21:00Z"}
            noise = rng.standard_normal((args.test, args.classes)).astype(np.float32)
            logits = base_logits + np.float32(0.6) * noise
            weights = base_weights + np.float32(0.05) * rng.standard_normal(
                args.weights, dtype=np.float32)
            last = base_last + np.float32(0.1) * rng.standard_normal(
                base_last.shape, dtype=np.float32)
            train_s = 60.0 * (1.1 if mode == "d" else 1.0) + r % 3  # determinism costs ~10 %
            write_run(runs_dir / (meta["run_id"] + ".h5"), meta, logits, labels, weights, last,
                      args.epochs, train_s, not args.no_digests)
    print(f"{args.groups * args.runs} run files in {runs_dir}")


if __name__ == "__main__":
    main()
