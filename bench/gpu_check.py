"""The measuring parts of bench/gpu_check.sh, each printing a Markdown section.

  gpu_check.py determinism TRAINER WORK DEVICE SCALE
      For a few configurations: mode d twice and mode nd twice. d must give byte-identical
      /weights/flat and /eval/logits (exit status 1 otherwise); nd shows how far its two runs
      part. Also each run's energy method, GPU joules, gpu_s and settings, and checks (exit
      status 1 when one fails): d and nd record the same tf32* and cudnn_benchmark settings; on
      CUDA the run file's GPU UUID is the one NVML measured. A last configuration, tf32 off and
      the cuDNN benchmark on, is reported, not required to repeat (the benchmark may pick
      another algorithm in another run).
  gpu_check.py packing TRAINER WORK DEVICE SCALE K [K ...]
      K copies of one small-model run at once on the device (mode d for each K, mode nd for the
      first and last): runs per hour of the device, whether mode d's results stay
      byte-identical to a run alone, and on CUDA whether the K runs' GPU joules add up to what
      the GPU's own counter grew by (not K times it) (exit status 1 if not).
  gpu_check.py preflight SWEEP TRAINER WORK DEVICE
      `sweep plan` of the demo for DEVICE, then `sweep preflight --local --format json`: its
      table, exit status 1 unless every pair of d copies is identical.
  gpu_check.py peak SPEED_OUTPUT
      bf16 matmul TFLOP/s on this GPU, ResNet-18's training FLOPs per image (torch's
      FlopCounterMode on bench/train_reference.py's model) and the fraction of the peak that
      the trainer's bf16 ResNet-18 images/s (from bench/train_bench.sh's output) reaches.

SCALE is full (sizes for a GPU) or small (a dry run of the script on a CPU). Needs h5py.
"""
import ctypes
import hashlib
import json
import os
import re
import subprocess
import sys
import time

import h5py
import numpy as np

HYPER = {"batch_size": 128, "optimizer": "sgd", "lr": 0.05, "momentum": 0.9, "weight_decay": 0.0005}


def synthetic(n_train, n_test):
    return {"name": "synthetic", "n_train": n_train, "n_test": n_test}


def write_plan(path, params):
    """A one-line plan, as `sweep plan` writes it (the trainer reads nothing else)."""
    with open(path, "w") as f:
        f.write(json.dumps({"index": 0, "run_id": "00000000000000b1", "group_id": "00000000000000b0",
                            "sweep": "gpu-check", "params": params}) + "\n")


def attrs(group):
    """An HDF5 group's attributes as str (strings) or numbers."""
    return {k: (v.decode() if isinstance(v, bytes) else v) for k, v in group.attrs.items()}


def start_trainer(trainer, plan, runs, threads):
    os.makedirs(runs, exist_ok=True)
    log = open(os.path.join(runs, "trainer.log"), "w")
    env = dict(os.environ, SLURM_CPUS_PER_TASK=str(threads))
    return subprocess.Popen([trainer, "--plan", plan, "--index", "0", "--runs-dir", runs],
                            stdout=log, stderr=subprocess.STDOUT, env=env)


def finish(process, runs, others=()):
    """Waits for the trainer; on failure stops `others` (processes still running) and exits."""
    if process.wait() != 0:
        for other in others:
            other.kill()
        with open(os.path.join(runs, "trainer.log")) as f:
            sys.exit(f"trainer failed in {runs}:\n{f.read()[-3000:]}")
    return Run(os.path.join(runs, "00000000000000b1.h5"))


class Run:
    """What this script compares of one run file."""

    def __init__(self, path):
        with h5py.File(path, "r") as f:
            self.weights = f["weights/flat"][()]
            self.logits = f["eval/logits"][()]
            self.test_acc = float(f["metrics/test_acc"][-1])
            self.timing = attrs(f["timing"])
            self.energy = attrs(f["energy"])
            self.settings = attrs(f["settings"]) if "settings" in f else {}
            self.env = attrs(f["env"])
        self.hash = hashlib.sha256(self.weights.tobytes() + self.logits.tobytes()).hexdigest()[:16]


def run_once(trainer, work, name, params, threads=4):
    plan = os.path.join(work, name + ".jsonl")
    write_plan(plan, params)
    runs = os.path.join(work, name)
    start = time.monotonic()
    run = finish(start_trainer(trainer, plan, runs, threads), runs)
    print(f"{name}: {run.hash}, {time.monotonic() - start:.1f} s", file=sys.stderr)  # the stage's .err
    return run


def gpu_counter_j():
    """GPU 0's energy counter in joules, read through NVML as the trainer does; None without."""
    try:
        nvml = ctypes.CDLL("libnvidia-ml.so.1")
    except OSError:
        return None
    handle, millijoules = ctypes.c_void_p(), ctypes.c_ulonglong()
    if (nvml.nvmlInit_v2() != 0 or nvml.nvmlDeviceGetHandleByIndex_v2(0, ctypes.byref(handle)) != 0
            or nvml.nvmlDeviceGetTotalEnergyConsumption(handle, ctypes.byref(millijoules)) != 0):
        return None
    return millijoules.value / 1000


def compare(a, b):
    """Byte-identical?, weights that differ, max |difference| of weights and of logits."""
    differ = int(np.count_nonzero(a.weights != b.weights))
    return (a.hash == b.hash, differ, float(np.max(np.abs(a.weights - b.weights))),
            float(np.max(np.abs(a.logits - b.logits))))


def determinism(trainer, work, device, scale):
    small = scale == "small"
    cases = {
        "small_cnn, BatchNorm, dropout, augmentation": dict(
            model="small_cnn", batchnorm=True, dropout=0.2, augment=True,
            dataset=synthetic(*((256, 64) if small else (8192, 1024))), epochs=2 if small else 3),
        "resnet18": dict(model="resnet18", dataset=synthetic(*((64, 32) if small else (4096, 512))),
                         epochs=1 if small else 2),
        "resnet18, bf16 + channels_last": dict(
            model="resnet18", precision="bf16", channels_last=True,
            dataset=synthetic(*((64, 32) if small else (4096, 512))), epochs=1 if small else 2),
        "small_cnn, tf32 off, cuDNN benchmark on": dict(
            model="small_cnn", batchnorm=True, tf32="off", cudnn_benchmark=True,
            dataset=synthetic(*((256, 64) if small else (8192, 1024))), epochs=2),
    }
    informational = {"small_cnn, tf32 off, cuDNN benchmark on"}  # d need not repeat: see the docstring
    print("| configuration | mode | byte-identical | weights that differ | max abs weight diff | "
          "max abs logit diff | test acc (runs 1, 2) | energy method | GPU J | GPU J / wall_s (W) | "
          "gpu_s | train_s |")
    print("|---|---|---|---:|---:|---:|---|---|---:|---:|---:|---:|")
    failed = False
    settings, env, problems = {}, {}, []
    for case, params in cases.items():
        for mode in ("d", "nd"):
            p = dict(HYPER, **params, mode=mode, device=device, seed=7)
            name = re.sub(r"\W+", "-", case) + "-" + mode
            a, b = (run_once(trainer, work, f"{name}-{i}", p) for i in (1, 2))
            same, differ, dw, dl = compare(a, b)
            if mode == "d" and not same and case not in informational:
                failed = True
            settings[mode], env = a.settings, a.env
            problems += check_run(case, a, device)
            print(f"| {case} | {mode} | {'yes' if same else 'no'} | {differ} of {a.weights.size} | {dw:.3g} | "
                  f"{dl:.3g} | {a.test_acc:.4f}, {b.test_acc:.4f} | {a.energy.get('method')} | "
                  f"{a.energy.get('gpu_j', 0):.1f} | {a.energy.get('gpu_j', 0) / a.timing['wall_s']:.0f} | "
                  f"{a.timing.get('gpu_s', -1):.2f} | {a.timing.get('train_s', 0):.2f} |")
        same_settings = {k: (settings["d"].get(k), settings["nd"].get(k))
                         for k in ("tf32", "tf32_cublas", "tf32_cudnn", "cudnn_benchmark")}
        if any(d != nd for d, nd in same_settings.values()):
            problems.append(f"{case}: d and nd record different settings {same_settings}")
    print("\nEnvironment recorded: " + " ".join(
        f"{k}={env.get(k, '')!r}" for k in ("gpu_name", "gpu_uuid", "driver_version", "cuda_version",
                                            "cudnn_version", "torch_version", "compiler")))
    for mode, s in settings.items():
        print(f"\nSettings recorded in mode {mode}: " + " ".join(f"{k}={v}" for k, v in sorted(s.items())))
    print("\nChecks: " + ("; ".join(problems) if problems else
                           "d and nd record the same TF32 and cuDNN benchmark settings in every configuration"
                           + ("; the run file's GPU UUID is the one NVML measured" if device == "cuda" else "")))
    print("\nMode d " + ("FAILED: a pair of runs differs" if failed else "passed: every pair byte-identical")
          + f" (the configurations but {', '.join(sorted(informational))})")
    return 1 if failed or problems else 0


def check_run(case, run, device):
    """What a run file must show on `device`: the device, and on CUDA the GPU NVML measured is
    the one CUDA used (energy_gpu starts with the physical GPU's UUID; under MIG, /env/gpu_uuid
    is the slice's MIG-...)."""
    problems = []
    if run.settings.get("device", "").split(":")[0] != device:
        problems.append(f"{case}: trained on {run.settings.get('device')}, not {device}")
    if device == "cuda":
        uuid, measured = run.env.get("gpu_uuid", ""), run.settings.get("energy_gpu", "")
        if not (uuid.startswith("GPU-") or uuid.startswith("MIG-")):
            problems.append(f"{case}: /env/gpu_uuid is '{uuid}'")
        elif uuid.startswith("GPU-") and not measured.startswith(uuid):
            problems.append(f"{case}: NVML measured '{measured}', the run used {uuid}")
    return problems


def packing(trainer, work, device, scale, counts):
    small = scale == "small"
    params = dict(HYPER, model="small_cnn", dataset=synthetic(*((512, 128) if small else (16384, 1024))),
                  epochs=2 if small else 8, device=device, seed=3)
    # The same CPU threads for every process of every K: in mode d the thread count is part of
    # the configuration (recorded as cpu_threads), and CPU-side sums depend on it.
    threads = max(1, len(os.sched_getaffinity(0)) // max(counts))
    print("| runs at once | mode | wall s | mean train_s | runs per device-hour | vs one at a time | "
          "distinct results | same as a run alone |")
    print("|---:|---|---:|---:|---:|---:|---:|---|")
    failed = False
    energy_lines = []
    for mode in ("d", "nd"):
        p = dict(params, mode=mode)
        alone, base_rate = None, None
        # Mode d answers both questions (throughput, byte-identity); nd only adds the noise
        # of sharing, seen at the largest K.
        for k in (counts if mode == "d" else [counts[0], counts[-1]]):
            plan = os.path.join(work, f"pack-{mode}-{k}.jsonl")
            write_plan(plan, p)
            counter_before = gpu_counter_j() if device == "cuda" else None
            start = time.monotonic()
            procs = [(start_trainer(trainer, plan, os.path.join(work, f"pack-{mode}-{k}-{i}"), threads),
                      os.path.join(work, f"pack-{mode}-{k}-{i}")) for i in range(k)]
            runs = [finish(proc, d, [p for p, _ in procs]) for proc, d in procs]
            wall = time.monotonic() - start
            for i, r in enumerate(runs):
                print(f"pack-{mode}-{k}-{i}: {r.hash}, gpu_j {r.energy.get('gpu_j', 0):.1f}", file=sys.stderr)
            counter_after = gpu_counter_j() if counter_before is not None else None
            if counter_after is not None:
                # The runs measure their training only, inside the batch's wall time: together
                # at most what the counter grew by; before the split each counted all of it.
                total = sum(r.energy.get("gpu_j", 0) for r in runs)
                ratio = total / max(counter_after - counter_before, 1e-9)
                energy_lines.append(f"- {k} runs at once, mode {mode}: their gpu_j add up to {total:.0f} J, "
                                    f"{ratio:.2f} x the GPU counter's {counter_after - counter_before:.0f} J over "
                                    f"the batch ({'ok' if ratio <= 1.1 else 'TOO HIGH'}); notes: "
                                    f"{sorted({r.settings.get('energy_note', '') for r in runs})}")
                if ratio > 1.1:
                    failed = True
            rate = k * 3600 / wall
            if alone is None:
                alone, base_rate = runs[0], rate
            same = all(r.hash == alone.hash for r in runs)
            if mode == "d" and not same:
                failed = True
            train_s = sum(r.timing["train_s"] for r in runs) / k
            print(f"| {k} | {mode} | {wall:.1f} | {train_s:.1f} | {rate:.0f} | {rate / base_rate:.2f}x | "
                  f"{len({r.hash for r in runs})} | {'yes' if same else 'no'} |")
    print(f"\nsmall_cnn, {params['dataset']['n_train']} images x {params['epochs']} epochs, batch 128; "
          f"{threads} CPU threads per process. Mode d packed "
          + ("FAILED: results differ from a run alone, or energy does not add up" if failed
             else "results equal a run alone, byte for byte"))
    if energy_lines:
        print("\nEnergy of runs sharing the GPU (lib/energy/energy_meter.h splits the GPU's energy among its "
              "processes):\n" + "\n".join(energy_lines))
    return 1 if failed else 0


def preflight(sweep, trainer, work, device):
    folder = os.path.join(work, "preflight")
    subprocess.run([sweep, "plan", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sweeps", "demo.yaml"),
                    "-o", folder, "--trainer", trainer, "--set", f"device={device}"], check=True,
                   stdout=subprocess.DEVNULL)
    result = subprocess.run([sweep, "preflight", folder, "--local", "--format", "json"], capture_output=True,
                            text=True)
    print(result.stderr, file=sys.stderr)
    try:
        checks = json.loads(result.stdout)["checks"]
    except (json.JSONDecodeError, KeyError):
        print(f"`sweep preflight` printed no report (exit status {result.returncode}):\n{result.stdout}")
        return 1
    for c in checks:
        print(f"- combination {c['combination']} {c['resources']} on {c['node']}, {c['gpu'] or 'CPU'} ({c['device']}): "
              f"d identical {c['d_identical']}, nd differs {c['nd_differs']}; energy {c['energy_method']}, "
              f"driver {c['driver']}, CUDA {c['cuda']}, cuDNN {c['cudnn']}, LibTorch {c['torch']}; TF32 "
              f"cuBLAS/cuDNN {c['tf32_cublas']}/{c['tf32_cudnn']}, cuDNN benchmark {c['cudnn_benchmark']}"
              + (f"; error: {c['error']}" if c["error"] else ""))
    print(f"\n`sweep preflight --local` on the demo: exit status {result.returncode} (0: every d pair identical)")
    return result.returncode


def peak(speed_output):
    import torch
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import train_reference
    from torch.utils.flop_counter import FlopCounterMode

    n = 8192
    a = torch.randn(n, n, device="cuda", dtype=torch.bfloat16)
    b = torch.randn(n, n, device="cuda", dtype=torch.bfloat16)
    for _ in range(3):
        a @ b
    torch.cuda.synchronize()
    reps, start = 50, time.perf_counter()
    for _ in range(reps):
        a @ b
    torch.cuda.synchronize()
    tflops = 2 * n ** 3 * reps / (time.perf_counter() - start) / 1e12

    model = train_reference.resnet18(3, 10, 0.0).cuda()
    x = torch.randn(128, 3, 32, 32, device="cuda")
    y = torch.randint(0, 10, (128,), device="cuda")
    with FlopCounterMode(display=False) as counter:
        torch.nn.functional.cross_entropy(model(x), y).backward()
    flops_per_image = counter.get_total_flops() / 128

    print(f"- bf16 matmul {n}x{n}x{n} on {torch.cuda.get_device_name()}: {tflops:.1f} TFLOP/s (measured peak)")
    print(f"- ResNet-18 (CIFAR) training, forward + backward: {flops_per_image / 1e9:.3f} GFLOP per image "
          "(FlopCounterMode; the optimizer step is not counted)")
    found = False
    for line in open(speed_output).read().splitlines():
        m = re.match(r"- resnet18 (nd|d) bf16-cl C\+\+ trainer: ([\d.]+)", line)
        if m:
            found = True
            images_per_s = float(m.group(2))
            achieved = images_per_s * flops_per_image / 1e12
            print(f"- trainer, ResNet-18 bf16 + channels_last, mode {m.group(1)}: {images_per_s:.0f} images/s = "
                  f"{achieved:.1f} TFLOP/s = {100 * achieved / tflops:.1f} % of the measured bf16 peak")
    if not found:
        print(f"- no ResNet-18 bf16-cl trainer figure in {speed_output}: the speed stage did not get there")
    return 0 if found else 1


def main():
    command, args = sys.argv[1], sys.argv[2:]
    if command == "determinism":
        return determinism(*args)
    if command == "packing":
        return packing(args[0], args[1], args[2], args[3], [int(k) for k in args[4:]])
    if command == "peak":
        return peak(*args)
    if command == "preflight":
        return preflight(*args)
    sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    sys.exit(main())
