#!/usr/bin/python3
"""Fuzzes the tools with files changed in a few random bytes, as bit rot, a half-synced parallel
file system or a bad disk change them (docs/fuzzing.md).

Usage: fuzz_inputs.py --sweep SWEEP --trainer TRAINER --example-run RUN.h5 --work DIR
                      [--seed N] [--scale K] [--grid GRID.yaml]

From a fixed seed, changes valid run files, checkpoints, plan lines, a grid file and CIFAR and
HDF5 data files in 1 to 4 bytes each and hands them to the command that reads them. Asserts
each time: no crash by a signal, no hang past a deadline, a clear message (one line of
printable UTF-8 naming what is wrong) for whatever was refused; and nothing corrupt accepted:
a run file `sweep verify` calls good holds exactly what the original held (compared by h5py in
a separate process), a changed checkpoint is never resumed from, and the run started over ends
byte-identical to one never interrupted. --scale multiplies the number of cases (1: the CTest
run, well under a minute; the longer campaign in docs/fuzzing.md used more). Prints what it
found per kind of file and exits 1 on any problem.
"""
import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent.parent
DEADLINE_S = 60          # for any one command
READ_TIMEOUT_S = 2       # --read-timeout of the commands that read run files
RUN_ID = "00000000000000f0"

problems = []
counts = {}


def problem(kind, message):
    problems.append(f"{kind}: {message}")
    print("PROBLEM", problems[-1], flush=True)


def count(kind, outcome):
    counts.setdefault(kind, {})
    counts[kind][outcome] = counts[kind].get(outcome, 0) + 1


def mutate(data, rng, first=None):
    """`data` with 1 to 4 bytes changed (XOR with a non-zero byte), among its first `first`
    bytes when given (where HDF5 keeps a small file's structure), else anywhere."""
    changed = bytearray(data)
    span = min(len(data), first) if first else len(data)
    for _ in range(rng.randint(1, 4)):
        changed[rng.randrange(span)] ^= rng.randrange(1, 256)
    return bytes(changed)


def run(kind, argv, timeout=DEADLINE_S, **kwargs):
    """Runs a command; a problem when it is killed by a signal or outlives `timeout`. Returns
    (exit status or None, stdout, stderr) with the output decoded."""
    start = time.monotonic()
    try:
        done = subprocess.run(argv, capture_output=True, timeout=timeout, **kwargs)
    except subprocess.TimeoutExpired:
        problem(kind, f"{' '.join(map(str, argv))} did not finish in {timeout} s")
        return None, "", ""
    if done.returncode < 0:
        problem(kind, f"{' '.join(map(str, argv))} was killed by signal {-done.returncode}")
    out, err = done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")
    for name, raw in (("stdout", done.stdout), ("stderr", done.stderr)):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            problem(kind, f"{argv[0]} wrote invalid UTF-8 to {name}: {e}")
            continue
        if re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text):
            problem(kind, f"{argv[0]} wrote a control character to {name}: {text[-300:]!r}")
    if time.monotonic() - start > timeout:
        problem(kind, f"{argv[0]} took {time.monotonic() - start:.1f} s")
    return done.returncode, out, err


def last_line(text):
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


# ---- run files: sweep verify, with h5py as the judge of what it calls good -------------------

COMPARE = r'''
import sys, h5py, numpy as np
def content(path):
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            for key in obj.attrs:
                out[(name, key)] = obj.attrs[key]
            if isinstance(obj, h5py.Dataset):
                out[(name, None)] = obj[()]
        visit("/", f)
        f.visititems(visit)
    return out
original = content(sys.argv[1])
for path in sys.argv[2:]:
    mutant = content(path)
    same = mutant.keys() == original.keys() and all(
        np.array_equal(np.asarray(mutant[k]), np.asarray(original[k])) for k in original)
    print(path, "same" if same else "differs", flush=True)
'''


def fuzz_run_files(args, rng, work):
    kind = "run file"
    folder = work / "run-files"
    folder.mkdir()
    original = Path(args.example_run).read_bytes()
    n = 60 * args.scale
    for i in range(n):
        # Most changes among the first 6 KB: the superblock, object headers and the global heap.
        (folder / f"m{i:04d}.h5").write_bytes(mutate(original, rng, 6144 if i % 4 else None))
    code, out, err = run(kind, [args.sweep, "verify", folder, "--read-timeout", str(READ_TIMEOUT_S)],
                         timeout=DEADLINE_S + n * READ_TIMEOUT_S)
    if code is None:
        return
    listed = {}
    for line in out.splitlines():
        match = re.fullmatch(r"(corrupt|unreadable) +(\S+): (.+)", line)
        if match:
            listed[Path(match.group(2)).name] = (match.group(1), match.group(3))
    summary = re.search(r"(\d+) run files: (\d+) good, (\d+) without digests", out)
    if not summary or int(summary.group(1)) != n:
        problem(kind, f"sweep verify did not account for {n} files: {out[-500:]} {err[-500:]}")
        return
    if int(summary.group(3)):
        problem(kind, f"{summary.group(3)} changed files pass as having no digests")
    expected_code = 3 if listed else 0
    if code != expected_code:
        problem(kind, f"sweep verify exited {code}, not {expected_code}")
    for name, (verdict, reason) in listed.items():
        count(kind, verdict)
        if not reason.strip():
            problem(kind, f"{name}: {verdict} without a reason")
    good = sorted(str(folder / f"m{i:04d}.h5") for i in range(n) if f"m{i:04d}.h5" not in listed)
    for _ in good:
        count(kind, "good")
    if good:
        code, out, _ = run(kind, ["/usr/bin/python3", "-c", COMPARE, args.example_run] + good)
        for line in out.splitlines():
            path, verdict = line.rsplit(" ", 1)
            if verdict != "same":
                problem(kind, f"sweep verify calls {path} good, but h5py reads other content from it")
        if len(out.splitlines()) != len(good):
            problem(kind, f"h5py could not read every file sweep verify calls good: {out[-300:]}")


def fuzz_reports(args, rng, work):
    """sweep collect and sweep energy on sweeps whose every run file was changed."""
    kind = "report"
    for round_ in range(2 * args.scale):
        sweep = work / f"sweep-{round_}"
        subprocess.run(["/usr/bin/python3", SOURCE / "bench" / "collect_make_runs.py", sweep, "--groups", "2",
                        "--runs", "4", "--weights", "500", "--test", "100", "--epochs", "3"],
                       check=True, capture_output=True)
        files = sorted((sweep / "runs").glob("*.h5"))
        for path in files:
            path.write_bytes(mutate(path.read_bytes(), rng, 6144))
        for command in (["collect", sweep], ["energy", sweep, "--format", "json"]):
            code, out, err = run(kind, [args.sweep, *command, "--read-timeout", str(READ_TIMEOUT_S)],
                                 timeout=DEADLINE_S + len(files) * READ_TIMEOUT_S)
            count(kind, f"{command[0]} exit {code}")
            if code not in (0, None):
                problem(kind, f"sweep {command[0]} exited {code}: {last_line(err)}")
            for line in err.splitlines():
                if line.startswith("skipped ") and not re.fullmatch(r"skipped \S+: \S.*", line):
                    problem(kind, f"sweep {command[0]}: unclear line {line!r}")


# ---- checkpoints: never resumed from once changed -------------------------------------------

def trainer_plan(folder, params):
    folder.mkdir(parents=True, exist_ok=True)
    plan = folder / "plan.jsonl"
    plan.write_text(json.dumps({"index": 0, "run_id": RUN_ID, "group_id": "00000000000000aa", "sweep": "fuzz",
                                "params": params}) + "\n")
    return plan


def train(kind, args, plan, runs, timeout=DEADLINE_S):
    return run(kind, [args.trainer, "--plan", plan, "--index", "0", "--runs-dir", runs], timeout=timeout,
               env=dict(os.environ, SLURM_CPUS_PER_TASK="1"))


def outputs(path):
    import h5py
    with h5py.File(path, "r") as f:
        return f["weights/flat"][()].tobytes(), f["eval/logits"][()].tobytes()


def fuzz_checkpoints(args, rng, work):
    kind = "checkpoint"
    params = {"dataset": "digits", "model": "small_cnn", "width": 4, "epochs": 3, "batch_size": 64,
              "checkpoint_every": 1, "mode": "d", "seed": 5, "optimizer": "adam", "lr": 0.01}
    folder = work / "checkpoints"
    plan = trainer_plan(folder, params)
    reference = folder / "reference"
    code, _, err = train(kind, args, plan, reference)
    if code != 0:
        problem(kind, f"the reference run failed: {err[-500:]}")
        return
    expected = outputs(reference / f"{RUN_ID}.h5")
    # A checkpoint of epoch 1: the trainer killed as soon as it is there.
    runs = folder / "runs"
    ckpt = runs / f"{RUN_ID}.ckpt"
    with open(folder / "first.log", "w") as log:
        process = subprocess.Popen([args.trainer, "--plan", plan, "--index", "0", "--runs-dir", runs],
                                   stdout=subprocess.DEVNULL, stderr=log, env=dict(os.environ, SLURM_CPUS_PER_TASK="1"))
        deadline = time.monotonic() + DEADLINE_S
        while not ckpt.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        process.send_signal(signal.SIGKILL)
        process.wait()
    if not ckpt.exists():
        problem(kind, "no checkpoint to change: the first run ended before writing one")
        return
    good = ckpt.read_bytes()
    for _ in range(4 * args.scale):
        ckpt.write_bytes(mutate(good, rng))
        for leftover in (runs / f"{RUN_ID}.h5", runs / f"{RUN_ID}.ckpt.corrupt"):
            leftover.unlink(missing_ok=True)
        code, _, err = train(kind, args, plan, runs)
        if code != 0:
            problem(kind, f"the run with a changed checkpoint exited {code}: {last_line(err)}")
            continue
        if "resuming" in err or "corrupt (" not in err:
            problem(kind, f"a changed checkpoint was not refused as corrupt: {err[-800:]}")
        if "frame #" in err or "Exception raised from" in err:
            problem(kind, f"a backtrace reached the log: {err[-800:]}")
        count(kind, "refused, started over")
        if outputs(runs / f"{RUN_ID}.h5") != expected:
            problem(kind, "the run started over differs from the uninterrupted one")


# ---- plan lines, the grid file, data files: refused with a message, never a crash or hang ----

def expect_refusal_or_success(kind, code, err, tool, keep=None):
    """`keep`: (path, bytes) of the changed input, copied beside it when it shows a problem."""
    count(kind, f"exit {code}")
    before = len(problems)
    if code not in (0, 2, None):
        problem(kind, f"{tool} exited {code} (expected 0, or 2 for bad input): {err[-500:]}")
    if code == 2 and not last_line(err).startswith(f"{tool}"):
        problem(kind, f"{tool} exited 2 without a message: {err[-300:]!r}")
    if keep and len(problems) > before:
        kept = keep[0].with_name(keep[0].name + ".problem")
        kept.write_bytes(keep[1])
        print(f"  kept as {kept}", flush=True)


def fuzz_plan_lines(args, rng, work):
    kind = "plan line"
    params = {"dataset": {"name": "synthetic", "n_train": 64, "n_test": 16, "shape": [1, 4, 4], "classes": 3},
              "model": "mlp", "epochs": 1, "batch_size": 16, "mode": "d", "seed": 1, "optimizer": "sgd", "lr": 0.1}
    folder = work / "plan-lines"
    good = trainer_plan(folder, params).read_bytes()
    for i in range(6 * args.scale):
        case = folder / f"case-{i}"
        plan = trainer_plan(case, params)
        plan.write_bytes(mutate(good, rng))
        code, _, err = train(kind, args, plan, case / "runs")
        expect_refusal_or_success(kind, code, err, "trainer")
        # The collector reads the same file as a sweep's plan.jsonl.
        code, _, err = run(kind, [args.sweep, "collect", case, "--read-timeout", str(READ_TIMEOUT_S)])
        expect_refusal_or_success(kind, code, err, "sweep collect")


def fuzz_grid(args, rng, work):
    kind = "grid YAML"
    good = Path(args.grid).read_bytes()
    folder = work / "grids"
    folder.mkdir()
    for i in range(15 * args.scale):
        grid = folder / f"grid-{i}.yaml"
        grid.write_bytes(mutate(good, rng))
        code, _, err = run(kind, [args.sweep, "plan", grid, "-o", folder / f"out-{i}"])
        expect_refusal_or_success(kind, code, err, "sweep plan")


def fuzz_data_files(args, rng, work):
    import h5py
    kind = "data file"
    folder = work / "data"
    # CIFAR-10's binary layout: 1 label byte, 3072 pixel bytes per record; 8 records a file.
    cifar = folder / "cifar"
    cifar.mkdir(parents=True)
    data_rng = np.random.default_rng(7)
    names = [f"data_batch_{b}.bin" for b in range(1, 6)] + ["test_batch.bin"]
    for name in names:
        records = np.concatenate([data_rng.integers(0, 10, (8, 1)), data_rng.integers(0, 256, (8, 3072))], axis=1)
        (cifar / name).write_bytes(records.astype(np.uint8).tobytes())
    hdf5 = folder / "data.h5"
    with h5py.File(hdf5, "w") as f:
        for part, n in (("train", 48), ("test", 16)):
            f[f"{part}/images"] = data_rng.integers(0, 256, (n, 1, 8, 8), dtype=np.uint8)
            f[f"{part}/labels"] = data_rng.integers(0, 3, n).astype(np.int64)
    base = {"model": "mlp", "epochs": 1, "batch_size": 16, "mode": "d", "seed": 1, "optimizer": "sgd", "lr": 0.1}
    cases = [(cifar / name, {"name": "cifar10", "path": str(cifar)}) for name in names] + \
            [(hdf5, {"name": "hdf5", "path": str(hdf5)})] * 3
    for i in range(4 * args.scale):
        path, dataset = cases[i % len(cases)] if i < len(cases) else rng.choice(cases)
        good = path.read_bytes()
        changed = mutate(good, rng, 6144 if path.suffix == ".h5" else None)
        path.write_bytes(changed)
        case = folder / f"case-{i}"
        plan = trainer_plan(case, dict(base, dataset=dataset))
        code, _, err = train(kind, args, plan, case / "runs")
        expect_refusal_or_success(kind, code, err, "trainer", (case / path.name, changed))
        path.write_bytes(good)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", required=True)
    parser.add_argument("--trainer", required=True)
    parser.add_argument("--example-run", required=True, help="a valid run file with digests")
    parser.add_argument("--work", required=True)
    parser.add_argument("--grid", default=str(SOURCE / "sweeps" / "demo.yaml"))
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--stages", default="", help="comma-separated, e.g. data_files (default: all)")
    args = parser.parse_args()
    work = Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    start = time.monotonic()
    for stage in (fuzz_run_files, fuzz_reports, fuzz_checkpoints, fuzz_plan_lines, fuzz_grid, fuzz_data_files):
        name = stage.__name__[len("fuzz_"):]
        if args.stages and name not in args.stages.split(","):
            continue
        stage_start = time.monotonic()
        stage(args, random.Random(f"{args.seed}-{name}"), work)  # each stage repeatable on its own
        print(f"{stage.__name__}: {time.monotonic() - stage_start:.1f} s", flush=True)
        for kind, outcomes in counts.items():
            print(f"  {kind}: " + ", ".join(f"{outcome} {n}" for outcome, n in sorted(outcomes.items())), flush=True)
        counts.clear()
    print(f"{len(problems)} problems in {time.monotonic() - start:.1f} s (seed {args.seed}, scale {args.scale})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
