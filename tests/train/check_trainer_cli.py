#!/usr/bin/python3
"""Runs the built trainer binary on a small plan and checks its run files with h5py.

Usage: check_trainer_cli.py TRAINER WORK_DIR

Checks: a complete run file per run (tests/runfile/check_run_file.py), bit-identical
/weights/flat for two runs of one mode-d config, what the shuffle and init seeds change,
a recorded bit flip, a run on an HDF5 data set made by env/convert_to_hdf5.py (with its test
groups, augmentation, dropout and test-time augmentation), the skip of a complete run, the
partial files of a trainer that died holding the run's lock removed by the next, exit status 2
for bad input, and `device: auto` given a GPU: CUDA where CUDA works, else exit 1
naming CUDA, or the CPU with REPROSWEEP_ALLOW_CPU=1 or an empty CUDA_VISIBLE_DEVICES.
"""
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
CHECK_RUN_FILE = os.path.join(HERE, "..", "runfile", "check_run_file.py")
CONVERT_TO_HDF5 = os.path.join(HERE, "..", "..", "env", "convert_to_hdf5.py")

BASE = {"dataset": "digits", "model": "small_cnn", "width": 8, "epochs": 2, "batch_size": 64,
        "mode": "d", "seed": 7, "device": "cpu"}


def with_seeds(**seeds):
    return dict(BASE, seeds=seeds)


PLAN = [
    BASE,                                   # 0
    with_seeds(shuffle=8),                  # 1
    with_seeds(init=8),                     # 2
    with_seeds(bitflip=3),                  # 3
    dict(BASE, width="wide"),               # 4: bad value
    dict(BASE, dataset="breast_cancer"),    # 5: small_cnn on tabular data
]


def hdf5_params(path):
    """Run 7: the HDF5 data set at `path`, with every image-only option."""
    return {"dataset": {"name": "hdf5", "path": path}, "model": "small_cnn", "width": 8, "epochs": 1,
            "batch_size": 16, "augment": True, "dropout": 0.2, "tta": "flip_crops", "mode": "d",
            "seeds": {"init": 4, "shuffle": 5, "augment": 6, "dropout": 7}}


def write_tiny_hdf5(work):
    """A 3-class data set of 8x8 colour images, converted from .npz; returns (path, arrays)."""
    rng = np.random.default_rng(0)
    arrays = {"train_images": rng.integers(0, 256, (40, 8, 8, 3), dtype=np.uint8),
              "train_labels": np.arange(40) % 3,
              "test_images": rng.integers(0, 256, (10, 8, 8, 3), dtype=np.uint8),
              "test_labels": np.arange(10) % 3,
              "test_groups": np.arange(10) // 5}
    npz, h5 = os.path.join(work, "tiny.npz"), os.path.join(work, "tiny.h5")
    np.savez(npz, **arrays)
    subprocess.run([sys.executable, CONVERT_TO_HDF5, npz, h5, "--channels-last"], check=True,
                   capture_output=True)
    return h5, arrays


def write_plan(path, hdf5_path):
    with open(path, "w") as f:
        for index, params in enumerate(PLAN):
            line = {"index": index, "run_id": f"{index:016x}", "group_id": "00000000000000aa",
                    "sweep": "cli", "params": params}
            f.write(json.dumps(line) + "\n")
        # Line 6 claims to be run 7: an out-of-order plan.
        f.write(json.dumps(dict(line, index=7)) + "\n")
        f.write(json.dumps(dict(line, index=7, run_id=f"{7:016x}", params=hdf5_params(hdf5_path))) + "\n")
        f.write(json.dumps(dict(line, index=8, run_id=f"{8:016x}", params=dict(BASE, device="auto", epochs=1)))
                + "\n")


def run_trainer(trainer, plan, index, runs_dir, **env):
    environment = dict(os.environ, SLURM_CPUS_PER_TASK="1", **env)
    if "REPROSWEEP_ALLOW_CPU" not in env:
        environment.pop("REPROSWEEP_ALLOW_CPU", None)
    result = subprocess.run([trainer, "--plan", plan, "--index", str(index), "--runs-dir", runs_dir],
                            capture_output=True, text=True, env=environment)
    return result.returncode, result.stderr


def settings(path):
    with h5py.File(path, "r") as f:
        return {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f["settings"].attrs.items()}


def run_file(runs_dir, index):
    return os.path.join(runs_dir, f"{index:016x}.h5")


def weights_hash(path):
    with h5py.File(path, "r") as f:
        return hashlib.sha256(f["weights/flat"][()].tobytes()).hexdigest()


def initial_last_layer(path):
    with h5py.File(path, "r") as f:
        return f["weights/last_layer"][0].tobytes()


def main():
    trainer, work = sys.argv[1], sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    plan = os.path.join(work, "plan.jsonl")
    hdf5_path, arrays = write_tiny_hdf5(work)
    write_plan(plan, hdf5_path)
    runs_a, runs_b = os.path.join(work, "runs-a"), os.path.join(work, "runs-b")
    problems = []

    def expect(condition, message):
        if not condition:
            problems.append(message)

    for index in (0, 1, 2, 3, 7):
        code, err = run_trainer(trainer, plan, index, runs_a)
        expect(code == 0, f"run {index}: exit {code}: {err}")
    code, err = run_trainer(trainer, plan, 0, runs_b)
    expect(code == 0, f"run 0 again: exit {code}: {err}")
    if problems:
        sys.exit("\n".join(problems))

    files = [run_file(runs_a, i) for i in (0, 1, 2, 3, 7)] + [run_file(runs_b, 0)]
    check = subprocess.run([sys.executable, CHECK_RUN_FILE] + files, capture_output=True, text=True)
    expect(check.returncode == 0, "check_run_file.py: " + check.stdout + check.stderr)

    base = run_file(runs_a, 0)
    expect(weights_hash(base) == weights_hash(run_file(runs_b, 0)),
           "two runs of one mode-d config differ in /weights/flat")
    expect(initial_last_layer(base) == initial_last_layer(run_file(runs_a, 1)),
           "the shuffle seed changed the initial weights")
    expect(weights_hash(base) != weights_hash(run_file(runs_a, 1)),
           "the shuffle seed did not change the trained weights")
    expect(initial_last_layer(base) != initial_last_layer(run_file(runs_a, 2)),
           "the init seed did not change the initial weights")
    with h5py.File(run_file(runs_a, 3), "r") as f:
        expect(f["seeds"].attrs["bitflip"] == 3, "the bit flip seed is not recorded")
        expect(json.loads(f.attrs["params_json"]) == PLAN[3], "params_json is not the plan's params")
    expect(weights_hash(base) != weights_hash(run_file(runs_a, 3)), "the bit flip changed nothing")
    with h5py.File(base, "r") as f:
        labels = f["eval/labels"][()]
        expect(list(labels[:4]) == [0, 5, 0, 5], f"test labels start {labels[:4]}, not digits 0, 5, 0, 5")
        expect(f["eval/logits"].shape == (360, 10), "logits are not [360, 10]")
        expect(np.all(np.isfinite(f["metrics/train_loss"][()])), "train_loss is not finite")

    with h5py.File(run_file(runs_a, 7), "r") as f:
        expect(list(f["eval/labels"][()]) == list(arrays["test_labels"]), "HDF5 run: test labels differ")
        expect(list(f["eval/groups"][()]) == list(arrays["test_groups"]), "HDF5 run: /eval/groups differ")
        expect(f["eval/logits_tta"].shape == (10, 3), "HDF5 run: /eval/logits_tta is not [10, 3]")
        seeds = {name: int(f["seeds"].attrs[name]) for name in ("augment", "dropout", "bitflip")}
        expect(seeds == {"augment": 6, "dropout": 7, "bitflip": -1}, f"HDF5 run: seeds {seeds}")
    with h5py.File(base, "r") as f:
        expect("logits_tta" not in f["eval"] and "groups" not in f["eval"], "digits run: extra /eval data")
        expect(f["seeds"].attrs["augment"] == -1 and f["seeds"].attrs["dropout"] == -1,
               "digits run: unused augment/dropout seeds are not -1")

    mtime = os.path.getmtime(base)
    code, err = run_trainer(trainer, plan, 0, runs_a)
    expect(code == 0 and "already complete" in err, f"rerun of a complete run: exit {code}: {err}")
    expect(os.path.getmtime(base) == mtime, "rerun of a complete run rewrote its file")

    # A trainer killed while writing leaves its lock file and its own partial files; the next one
    # takes the stale lock over and removes them (another process's partial file stays).
    runs_c = os.path.join(work, "runs-c")
    os.makedirs(runs_c)
    dead = subprocess.Popen(["true"])
    dead.wait()
    run_id = f"{1:016x}"
    with open(os.path.join(runs_c, run_id + ".lock"), "w") as f:
        f.write(f"{socket.gethostname()} {dead.pid}\n")
    tag = f"{socket.gethostname()} {dead.pid}".replace(" ", "-").replace(".", "-")
    left = [os.path.join(runs_c, f"{run_id}{suffix}.{tag}.partial") for suffix in (".h5", ".ckpt")]
    other = os.path.join(runs_c, f"{run_id}.h5.node7-4242.partial")
    for path in left + [other]:
        with open(path, "w") as f:
            f.write("half a file")
    code, err = run_trainer(trainer, plan, 1, runs_c)
    expect(code == 0 and os.path.exists(run_file(runs_c, 1)), f"run 1 after a dead holder: exit {code}: {err}")
    expect(not any(os.path.exists(path) for path in left), "the dead holder's partial files are still there")
    expect(os.path.exists(other), "another process's partial file was removed")

    for index, why in [(4, "width"), (5, "small_cnn"), (6, "expected 6"), (99, "no line 99")]:
        code, err = run_trainer(trainer, plan, index, runs_a)
        expect(code == 2 and why in err, f"index {index}: expected exit 2 naming '{why}', got {code}: {err}")
    code, err = run_trainer(trainer, plan, "x", runs_a)
    expect(code == 2, f"--index x: expected exit 2, got {code}")

    # device: auto, given a GPU (CUDA_VISIBLE_DEVICES=0): CUDA where it works; here, without a usable
    # CUDA, exit 1 naming CUDA and the switch, never a silent run on the CPU.
    code, err = run_trainer(trainer, plan, 8, os.path.join(work, "runs-gpu"), CUDA_VISIBLE_DEVICES="0")
    if code == 0:
        device = settings(run_file(os.path.join(work, "runs-gpu"), 8))["device"]
        expect(device == "cuda:0", f"device auto with a usable GPU trained on {device}")
    else:
        expect(code == 1 and "CUDA" in err and "REPROSWEEP_ALLOW_CPU=1" in err,
               f"device auto given a GPU CUDA cannot use: expected exit 1 about CUDA, got {code}: {err}")
        code, err = run_trainer(trainer, plan, 8, os.path.join(work, "runs-allowed"), CUDA_VISIBLE_DEVICES="0",
                                REPROSWEEP_ALLOW_CPU="1")
        expect(code == 0, f"REPROSWEEP_ALLOW_CPU=1: exit {code}: {err}")
        if code == 0:
            s = settings(run_file(os.path.join(work, "runs-allowed"), 8))
            expect(s["device"] == "cpu" and "REPROSWEEP_ALLOW_CPU=1" in s.get("device_note", ""),
                   f"REPROSWEEP_ALLOW_CPU=1: settings say {s}")
    code, err = run_trainer(trainer, plan, 8, os.path.join(work, "runs-no-gpu"), CUDA_VISIBLE_DEVICES="")
    expect(code == 0, f"device auto without a GPU given (CUDA_VISIBLE_DEVICES=): exit {code}: {err}")
    if code == 0:
        s = settings(run_file(os.path.join(work, "runs-no-gpu"), 8))
        expect(s["device"] == "cpu" and "device_note" not in s, f"device auto without a GPU: settings say {s}")

    if problems:
        sys.exit("\n".join(problems))
    print("trainer CLI: ok")


if __name__ == "__main__":
    main()
