#!/usr/bin/python3
"""Runs the built trainer as two ranks (Gloo on the CPU), as srun would start them, and checks
distributed training (docs/trainer.md, "Distributed runs").

Usage: check_trainer_distributed.py TRAINER WORK_DIR FAKE_NVML
       check_trainer_distributed.py TRAINER WORK_DIR FAKE_NVML --unavailable

Checks, with a mode-d plan line (digits, small_cnn with BatchNorm, dropout, augmentation):
- two 2-rank runs are byte-identical (/weights/flat, /eval/logits, /metrics); rank 0 writes the
  one run file; /settings has world_size "2", nodes "1", dist_backend "gloo" and both ranks' hosts;
- energy and time per rank: each rank measures its own (fake) GPU, GPU r drawing POWER_W[r]
  (tests/energy/fake_nvml.c); /ranks holds each rank's gpu_j, cpu_j, gpu_s and per-epoch
  energy_j, /energy, /timing gpu_s and /metrics/energy_j their sums; also after a resume;
  a 1-rank run's file has no /ranks;
- the same meaning at every world size: without BatchNorm, dropout or augmentation, the 2-rank
  run's weights are those of the 1-rank run up to rounding (only the order of additions differs),
  while a different data order moves them far more; with BatchNorm and sync_batchnorm too (and
  its running statistics: the test loss), while per-rank BatchNorm moves them far more;
  sync_batchnorm leaves a 1-rank run as it was, and 2-rank d runs with it repeat; the same for
  ResNet-18, whose gradients fill several buckets summed during the backward pass;
- USR2 to rank 1 alone stops both ranks after the same batch (exit 3), rank 0 writes the one
  checkpoint, and the resumed run ends byte-identical to the uninterrupted one;
- a second task for the run while it trains leaves at once on every rank (exit 0);
- SIGKILL of rank 1 makes rank 0 exit 1 within seconds, naming rank 1.
With --unavailable (a trainer built without c10d): a 2-rank run exits 2 at its start and says why.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import h5py
import numpy as np

PARAMS = {"dataset": "digits", "model": "small_cnn", "width": 8, "batchnorm": True, "dropout": 0.2,
          "augment": True, "optimizer": "adam", "lr": 0.01, "epochs": 4, "batch_size": 32,
          "checkpoint_every": 1, "mode": "d", "seed": 3, "device": "cpu", "world_size": 2}
EXIT_CHECKPOINTED = 3
TIMEOUT_S = 240
POWER_W = [100, 300]  # the fake GPU of rank r draws POWER_W[r] watts
FAULT_TIMEOUT_S = 30  # a dead rank is noticed at the next collective: far sooner than this

problems = []
next_job_id = [int(time.time()) % 100000 * 7]


def expect(condition, message):
    if not condition:
        problems.append(message)
    return condition


def write_plan(path, params):
    with open(path, "w") as f:
        f.write(json.dumps({"index": 0, "run_id": "00000000000000d1", "group_id": "00000000000000aa",
                            "sweep": "distributed", "params": params}) + "\n")


class Ranks:
    """The ranks of one run: one trainer process each, with the variables srun sets."""

    def __init__(self, trainer, plan, runs, log, world_size):
        next_job_id[0] += 1
        os.makedirs(runs, exist_ok=True)
        self.logs = [f"{log}.rank{r}" for r in range(world_size)]
        self.processes = []
        for r in range(world_size):
            env = dict(os.environ, SLURM_CPUS_PER_TASK="1", SLURM_NTASKS=str(world_size), SLURM_PROCID=str(r),
                       SLURM_LOCALID=str(r), SLURM_JOB_NODELIST="localhost", SLURM_JOB_ID=str(next_job_id[0]),
                       REPROSWEEP_ENERGY_GPU=f"GPU-00000000-0000-0000-0000-{r:012d}")
            with open(self.logs[r], "w") as err:
                self.processes.append(subprocess.Popen(
                    [trainer, "--plan", plan, "--index", "0", "--runs-dir", runs],
                    stdout=subprocess.DEVNULL, stderr=err, env=env))

    def text(self, rank):
        with open(self.logs[rank]) as f:
            return f.read()

    def wait_for(self, ready, what):
        deadline = time.monotonic() + TIMEOUT_S
        while not ready():
            if any(p.poll() is not None for p in self.processes) or time.monotonic() > deadline:
                expect(False, f"a rank ended or timed out before {what}: {self.text(0)} {self.text(1)}")
                return False
            time.sleep(0.005)
        return True

    def finish(self, timeout=TIMEOUT_S):
        codes = []
        for p in self.processes:
            try:
                codes.append(p.wait(timeout))
            except subprocess.TimeoutExpired:
                p.kill()
                codes.append(f"killed after {timeout} s")
        return codes


def outputs(path):
    with h5py.File(path, "r") as f:
        return [f[name][()].tobytes() for name in ("weights/flat", "eval/logits", "metrics/train_loss",
                                                   "metrics/test_loss")]


def weights(path):
    with h5py.File(path, "r") as f:
        return f["weights/flat"][()]


def check_rank_figures(path, what):
    """Each rank's energy is its own fake GPU's; the run's fields hold their sums."""
    with h5py.File(path, "r") as f:
        expect("ranks" in f, f"{what}: no /ranks")
        if "ranks" not in f:
            return
        ranks = {name: f["ranks"][name][()] for name in ("gpu_j", "cpu_j", "gpu_s", "energy_j")}
        energy, timing, epoch_j = dict(f["energy"].attrs), dict(f["timing"].attrs), f["metrics/energy_j"][()]
    gpu_j, cpu_j, per_epoch = ranks["gpu_j"], ranks["cpu_j"], ranks["energy_j"]
    expect(gpu_j.shape == (2,) and per_epoch.shape == (2, len(epoch_j)),
           f"{what}: /ranks has shapes {gpu_j.shape} and {per_epoch.shape}")
    if gpu_j.shape != (2,) or per_epoch.shape != (2, len(epoch_j)):
        return
    expect(energy["method"] == "nvml-counter", f"{what}: /energy/method is {energy['method']}")
    # Sums, added in rank order as the trainer adds them.
    expect(energy["gpu_j"] == gpu_j[0] + gpu_j[1], f"{what}: /energy/gpu_j {energy['gpu_j']} is not {gpu_j}'s sum")
    expect(energy["cpu_j"] == cpu_j[0] + cpu_j[1], f"{what}: /energy/cpu_j {energy['cpu_j']} is not {cpu_j}'s sum")
    expect(np.array_equal(epoch_j, per_epoch[0] + per_epoch[1]),
           f"{what}: /metrics/energy_j {epoch_j} is not the sum of /ranks/energy_j {per_epoch}")
    # Each rank measured its own GPU, over about the same time: their joules are as their watts.
    ratio = gpu_j[1] / gpu_j[0] if gpu_j[0] > 0 else 0
    expect(abs(ratio - POWER_W[1] / POWER_W[0]) < 0.3,
           f"{what}: rank 1's GPU used {ratio:.2f} times rank 0's, its power is {POWER_W[1] / POWER_W[0]:.2f} times")
    for r in range(2):
        measured = gpu_j[r] + cpu_j[r]
        expect(abs(per_epoch[r].sum() - measured) < 0.05 * measured,
               f"{what}: rank {r}'s epochs add up to {per_epoch[r].sum()} J, its meter says {measured} J")
    # On the CPU no rank has GPU time: -1 each, and -1 for the run.
    expect(list(ranks["gpu_s"]) == [-1, -1] and timing["gpu_s"] == -1,
           f"{what}: gpu_s {ranks['gpu_s']} by rank, {timing['gpu_s']} for the run; on the CPU -1")


def run_to_end(trainer, work, name, params):
    runs = os.path.join(work, name)
    plan = os.path.join(work, name + ".jsonl")
    write_plan(plan, params)
    ranks = Ranks(trainer, plan, runs, runs, params.get("world_size", 1))
    codes = ranks.finish()
    expect(codes == [0] * len(codes), f"{name}: exit codes {codes}: {ranks.text(0)}")
    return os.path.join(runs, "00000000000000d1.h5")


def check_unavailable(trainer, work):
    plan = os.path.join(work, "plan.jsonl")
    write_plan(plan, PARAMS)
    ranks = Ranks(trainer, plan, os.path.join(work, "runs"), os.path.join(work, "unavailable"), 2)
    codes = ranks.finish(60)
    expect(codes == [2, 2], f"a 2-rank run without c10d exited {codes}, not 2 and 2")
    expect("without it" in ranks.text(0) and "world_size: 2 ranks" in ranks.text(0),
           f"no clear message: {ranks.text(0)}")


def main():
    trainer, work, fake_nvml = sys.argv[1], sys.argv[2], sys.argv[3]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    # Every rank's meter reads its fake GPU (Ranks gives rank r GPU r).
    os.environ.update(REPROSWEEP_NVML_LIBRARY=fake_nvml, FAKE_NVML_GPUS="2",
                      FAKE_NVML_POWER_W=",".join(str(w) for w in POWER_W))
    if sys.argv[4:] == ["--unavailable"]:
        check_unavailable(trainer, work)
        return report()

    first = run_to_end(trainer, work, "first", PARAMS)
    second = run_to_end(trainer, work, "second", PARAMS)
    expected = outputs(first)
    expect(outputs(second) == expected, "two 2-rank d runs differ")
    with h5py.File(first, "r") as f:
        settings = dict(f["settings"].attrs)
    for key, value in {"world_size": "2", "nodes": "1", "dist_backend": "gloo"}.items():
        expect(settings.get(key) == value, f"/settings {key} is {settings.get(key)!r}, not {value!r}")
    host = socket.gethostname()
    expect(settings.get("rank_hosts") == f"{host},{host}", f"/settings rank_hosts is {settings.get('rank_hosts')!r}")
    check_rank_figures(first, "a 2-rank run")

    # The same meaning at every world size.
    plain = dict(PARAMS, batchnorm=False, dropout=0.0, augment=False)
    one_path = run_to_end(trainer, work, "plain-1", {k: v for k, v in plain.items() if k != "world_size"})
    one = weights(one_path)
    with h5py.File(one_path, "r") as f:
        expect("ranks" not in f, "a 1-rank run's file has /ranks")
    two = weights(run_to_end(trainer, work, "plain-2", plain))
    other_order = weights(run_to_end(trainer, work, "plain-2-shuffle", dict(plain, seeds={"shuffle": 4})))
    rounding, order = np.abs(one - two).max(), np.abs(one - other_order).max()
    expect(0 < rounding < 1e-3 and rounding * 100 < order,
           f"1 vs 2 ranks differ by {rounding}, another data order by {order}: not the same training")

    # sync_batchnorm: BatchNorm's statistics over the whole batch, as one process has them. With
    # SGD: Adam would turn the rounding noise in the gradients of the convolutions' biases before
    # BatchNorm, which are 0 but for rounding, into steps of the full learning rate.
    with_bn = dict(plain, batchnorm=True, optimizer="sgd", lr=0.05, momentum=0.9)
    one_rank = {k: v for k, v in with_bn.items() if k != "world_size"}
    one_path = run_to_end(trainer, work, "bn-1", one_rank)
    one_sync_path = run_to_end(trainer, work, "bn-1-sync", dict(one_rank, sync_batchnorm=True))
    expect(outputs(one_sync_path) == outputs(one_path), "sync_batchnorm changed a 1-rank run")
    synced_path = run_to_end(trainer, work, "bn-2-sync", dict(with_bn, sync_batchnorm=True))
    synced_again_path = run_to_end(trainer, work, "bn-2-sync-again", dict(with_bn, sync_batchnorm=True))
    expect(outputs(synced_path) == outputs(synced_again_path), "two 2-rank d runs with sync_batchnorm differ")
    per_rank = weights(run_to_end(trainer, work, "bn-2", with_bn))
    one, synced = weights(one_path), weights(synced_path)
    rounding, per_rank_gap = np.abs(one - synced).max(), np.abs(one - per_rank).max()
    print(f"BatchNorm: 1 vs 2 ranks differ by {rounding} synced, {per_rank_gap} per rank")
    expect(rounding < 1e-3 and rounding * 100 < per_rank_gap,
           f"with sync_batchnorm 1 vs 2 ranks differ by {rounding}, per-rank BatchNorm by {per_rank_gap}")
    # The running statistics are the whole batch's too: rank 0 evaluates with them.
    with h5py.File(one_path, "r") as a, h5py.File(synced_path, "r") as b:
        test_gap = np.abs(a["metrics/test_loss"][()] - b["metrics/test_loss"][()]).max()
    expect(test_gap < 1e-4, f"with sync_batchnorm the test loss of 1 and 2 ranks differs by {test_gap}")

    # ResNet-18's 43 MiB of gradients fill several buckets, summed while backward goes on: the
    # overlapped sums are the whole batch's as with small_cnn's one bucket.
    resnet = {"dataset": {"name": "synthetic", "n_train": 64, "n_test": 32}, "model": "resnet18", "epochs": 1,
              "batch_size": 32, "optimizer": "sgd", "lr": 0.05, "momentum": 0.9, "mode": "d", "seed": 3,
              "device": "cpu", "checkpoint_every": 0, "world_size": 2}
    one = weights(run_to_end(trainer, work, "resnet-1", {k: v for k, v in resnet.items() if k != "world_size"}))
    synced = weights(run_to_end(trainer, work, "resnet-2-sync", dict(resnet, sync_batchnorm=True)))
    per_rank = weights(run_to_end(trainer, work, "resnet-2", resnet))
    rounding, per_rank_gap = np.abs(one - synced).max(), np.abs(one - per_rank).max()
    print(f"ResNet-18: 1 vs 2 ranks differ by {rounding} synced, {per_rank_gap} per rank")
    expect(rounding < 2e-3 and rounding * 10 < per_rank_gap,
           f"ResNet-18 with sync_batchnorm: 1 vs 2 ranks differ by {rounding}, per-rank BatchNorm by {per_rank_gap}")

    # USR2 to rank 1 alone: both stop after the same batch; the resumed run is the same.
    runs = os.path.join(work, "usr2")
    plan = os.path.join(work, "usr2.jsonl")
    write_plan(plan, PARAMS)
    ckpt = os.path.join(runs, "00000000000000d1.ckpt")
    ranks = Ranks(trainer, plan, runs, runs + ".1", 2)
    if ranks.wait_for(lambda: "epoch 2/" in ranks.text(0), "epoch 2"):
        ranks.processes[1].send_signal(signal.SIGUSR2)
        codes = ranks.finish()
        expect(codes == [EXIT_CHECKPOINTED] * 2, f"USR2 to rank 1: exit codes {codes}, not 3 and 3")
        expect("checkpoint: stopped in epoch 3" in ranks.text(0), f"rank 0 did not stop: {ranks.text(0)}")
        expect(os.path.exists(ckpt), "no checkpoint after USR2")
        ranks = Ranks(trainer, plan, runs, runs + ".2", 2)
        codes = ranks.finish()
        expect(codes == [0, 0], f"resumed run: exit codes {codes}: {ranks.text(0)}")
        expect("checkpoint: resuming from epoch 3" in ranks.text(0), f"did not resume: {ranks.text(0)}")
        expect(outputs(os.path.join(runs, "00000000000000d1.h5")) == expected,
               "the resumed 2-rank run differs from the uninterrupted one")
        check_rank_figures(os.path.join(runs, "00000000000000d1.h5"), "a resumed 2-rank run")
        expect(not os.path.exists(ckpt), "the checkpoint is left after the run completed")

    # A second task for the same run while the first trains it (long enough to outlast the
    # second): each of the second's ranks finds its lock held and leaves at once.
    runs = os.path.join(work, "twice")
    twice_plan = os.path.join(work, "twice.jsonl")
    write_plan(twice_plan, dict(PARAMS, epochs=1000))
    first_task = Ranks(trainer, twice_plan, runs, runs + ".1", 2)
    if first_task.wait_for(lambda: "epoch 1/" in first_task.text(0), "epoch 1"):
        second_task = Ranks(trainer, twice_plan, runs, runs + ".2", 2)
        codes = second_task.finish(60)
        expect(codes == [0, 0], f"a second task for a run in training exited {codes}, not 0 and 0")
        for r in range(2):
            expect("being trained by another live process" in second_task.text(r),
                   f"rank {r} of the second task does not say why it left: {second_task.text(r)}")
        first_task.processes[0].send_signal(signal.SIGUSR2)
        codes = first_task.finish()
        expect(codes == [EXIT_CHECKPOINTED] * 2, f"the first task exited {codes} beside a second one, not 3 and 3")

    # SIGKILL of rank 1: rank 0 ends soon, naming it.
    runs = os.path.join(work, "kill")
    ranks = Ranks(trainer, plan, runs, runs, 2)
    if ranks.wait_for(lambda: "epoch 1/" in ranks.text(0), "epoch 1"):
        ranks.processes[1].kill()
        start = time.monotonic()
        code = ranks.finish(FAULT_TIMEOUT_S)[0]
        expect(code == 1, f"rank 0 exited {code} after rank 1 died, not 1 (within {FAULT_TIMEOUT_S} s)")
        expect("rank 1 did not answer" in ranks.text(0), f"rank 0 does not name rank 1: {ranks.text(0)}")
        print(f"rank 0 ended {time.monotonic() - start:.1f} s after rank 1 was killed")
    return report()


def report():
    for p in problems:
        print("FAIL:", p)
    print("ok" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
