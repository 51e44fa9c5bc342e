#!/usr/bin/python3
"""Kills and signals the built trainer binary mid-run and checks that the resumed run ends
bit-identical to an uninterrupted one.

Usage: check_trainer_resume.py TRAINER WORK_DIR [PARAMS_JSON]

PARAMS_JSON, a JSON object, replaces keys of the plan line's params (bench/gpu_check.sh runs the
same scenarios on a GPU with {"device": "cuda"}).

One mode-d plan line (digits, small_cnn with BatchNorm, dropout, augmentation, Adam, warm-up
and cosine, a checkpoint after every epoch). Each scenario runs it in its own runs folder,
interrupts it at moments found by polling (a checkpoint appearing, an epoch's log line), runs
it again until it completes, and compares /weights/flat and /eval/logits byte for byte with an
uninterrupted run. Also checks: exit status 3 after USR2 or TERM, no .ckpt left once the run
file is complete, a broken checkpoint is ignored with a log line, a checkpoint with one byte
changed (at eight places, its digest included) is renamed to .corrupt and the run starts from
scratch, ending identical too, and a complete run removes a stale checkpoint.
"""
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import h5py

PARAMS = {"dataset": "digits", "model": "small_cnn", "width": 8, "batchnorm": True, "dropout": 0.2,
          "augment": True, "optimizer": "adam", "lr": 0.01, "schedule": "cosine", "warmup_epochs": 1,
          "epochs": 8, "batch_size": 16, "checkpoint_every": 1, "mode": "d", "seed": 11, "device": "cpu"}
RUN_ID = "00000000000000c0"
EXIT_CHECKPOINTED = 3
TIMEOUT_S = 120

problems = []


def expect(condition, message):
    if not condition:
        problems.append(message)
    return condition


class Trainer:
    """One trainer process of a scenario, its stderr in a file that can be polled."""

    def __init__(self, trainer, plan, runs, log):
        self.log = log
        with open(log, "w") as err:
            self.process = subprocess.Popen(
                [trainer, "--plan", plan, "--index", "0", "--runs-dir", runs], stdout=subprocess.DEVNULL,
                stderr=err, env=dict(os.environ, SLURM_CPUS_PER_TASK="1"))

    def text(self):
        with open(self.log) as f:
            return f.read()

    def wait_for(self, ready, what):
        """Polls until ready() is true; False (and a problem) when the process ended first."""
        deadline = time.monotonic() + TIMEOUT_S
        while not ready():
            if self.process.poll() is not None or time.monotonic() > deadline:
                expect(False, f"the trainer ended or timed out before {what}: {self.text()}")
                return False
            time.sleep(0.005)
        return True

    def signal(self, sig):
        self.process.send_signal(sig)
        return self.finish()

    def finish(self):
        try:
            return self.process.wait(TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


class Scenario:
    def __init__(self, trainer, plan, work, name):
        self.trainer, self.plan, self.name = trainer, plan, name
        self.runs = os.path.join(work, name)
        self.ckpt = os.path.join(self.runs, RUN_ID + ".ckpt")
        self.count = 0

    def start(self):
        self.count += 1
        return Trainer(self.trainer, self.plan, self.runs, os.path.join(self.runs + f".{self.count}.log"))

    def complete(self):
        """Runs the trainer to the end; returns its log."""
        process = self.start()
        code = process.finish()
        expect(code == 0, f"{self.name}: the last run exited {code}: {process.text()}")
        expect(not os.path.exists(self.ckpt), f"{self.name}: {self.ckpt} is left after the run completed")
        left = glob.glob(glob.escape(self.ckpt) + ".*.partial")  # <run_id>.ckpt.<host>-<pid>.partial
        expect(not left, f"{self.name}: {left} is left")
        return process.text()

    def run_file(self):
        return os.path.join(self.runs, RUN_ID + ".h5")


def outputs(path):
    with h5py.File(path, "r") as f:
        return f["weights/flat"][()].tobytes(), f["eval/logits"][()].tobytes(), f["metrics/test_loss"][()].tobytes()


def epoch_done(process, epoch):
    return lambda: f"epoch {epoch}/{PARAMS['epochs']} " in process.text()


def main():
    trainer, work = sys.argv[1], sys.argv[2]
    if len(sys.argv) > 3:
        PARAMS.update(json.loads(sys.argv[3]))
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    plan = os.path.join(work, "plan.jsonl")
    with open(plan, "w") as f:
        f.write(json.dumps({"index": 0, "run_id": RUN_ID, "group_id": "00000000000000aa", "sweep": "resume",
                            "params": PARAMS}) + "\n")

    def scenario(name):
        return Scenario(trainer, plan, work, name)

    reference = scenario("reference")
    reference.complete()
    expected = outputs(reference.run_file())

    def check_same(s, log):
        expect("checkpoint: resuming from epoch" in log, f"{s.name}: the last run did not resume: {log}")
        if os.path.exists(s.run_file()):
            expect(outputs(s.run_file()) == expected,
                   f"{s.name}: /weights/flat, /eval/logits or test_loss differ from the uninterrupted run")

    # SIGKILL as soon as the first checkpoint (after epoch 1) is there.
    s = scenario("kill-after-first-checkpoint")
    p = s.start()
    if p.wait_for(lambda: os.path.exists(s.ckpt), "the first checkpoint"):
        p.signal(signal.SIGKILL)
        check_same(s, s.complete())

    # SIGTERM within epoch 3: exit 3, the checkpoint says where it stopped.
    s = scenario("term-mid-epoch")
    p = s.start()
    if p.wait_for(epoch_done(p, 2), "epoch 2"):
        code = p.signal(signal.SIGTERM)
        expect(code == EXIT_CHECKPOINTED, f"{s.name}: exit {code} after TERM, not {EXIT_CHECKPOINTED}")
        expect("checkpoint: stopped in epoch" in p.text(), f"{s.name}: no stop line: {p.text()}")
        expect(os.path.exists(s.ckpt), f"{s.name}: no checkpoint after TERM")
        check_same(s, s.complete())

    # USR2 during the first epoch, then SIGKILL in epoch 5 of the resumed run, then TERM right
    # after the next checkpoint: four processes for one run.
    s = scenario("usr2-kill-term")
    p = s.start()
    if p.wait_for(lambda: "settings:" in p.text(), "the settings line"):
        code = p.signal(signal.SIGUSR2)
        expect(code == EXIT_CHECKPOINTED, f"{s.name}: exit {code} after USR2, not {EXIT_CHECKPOINTED}")
        expect("stopped in epoch 1 after batch" in p.text(), f"{s.name}: USR2 did not stop epoch 1: {p.text()}")
        p = s.start()
        if p.wait_for(epoch_done(p, 4), "epoch 4"):
            p.signal(signal.SIGKILL)
            mtime = os.path.getmtime(s.ckpt)
            p = s.start()
            if p.wait_for(lambda: os.path.getmtime(s.ckpt) != mtime, "a new checkpoint"):
                code = p.signal(signal.SIGTERM)
                expect(code == EXIT_CHECKPOINTED, f"{s.name}: exit {code} after TERM, not {EXIT_CHECKPOINTED}")
                log = s.complete()
                check_same(s, log)
                with h5py.File(s.run_file(), "r") as f:
                    resumed = f["settings"].attrs.get("resumed", "")
                    expect(resumed.count(";") == 2, f"{s.name}: setting resumed is '{resumed}', not 3 resumes")

    # A truncated checkpoint: ignored with a log line, the run starts from scratch.
    s = scenario("truncated-checkpoint")
    p = s.start()
    if p.wait_for(lambda: os.path.exists(s.ckpt), "the first checkpoint"):
        p.signal(signal.SIGKILL)
        with open(s.ckpt, "r+b") as f:
            f.truncate(os.path.getsize(s.ckpt) // 2)
        log = s.complete()
        expect("checkpoint: ignoring" in log and "starting from scratch" in log and "resuming" not in log,
               f"{s.name}: a truncated checkpoint was not ignored: {log}")
        expect(outputs(s.run_file()) == expected, f"{s.name}: the run from scratch differs")

    # One byte of the checkpoint changed, at eight places from its start to its digest at the end:
    # never resumed, kept aside as .corrupt, the run from scratch identical, no backtrace.
    s = scenario("changed-byte")
    p = s.start()
    if p.wait_for(epoch_done(p, 2), "epoch 2"):
        code = p.signal(signal.SIGTERM)
        expect(code == EXIT_CHECKPOINTED, f"{s.name}: exit {code} after TERM, not {EXIT_CHECKPOINTED}")
        with open(s.ckpt, "rb") as f:
            good = f.read()
        for at in [len(good) * k // 7 for k in range(7)] + [len(good) - 1]:
            changed = bytearray(good)
            changed[at] ^= 0x01
            with open(s.ckpt, "wb") as f:
                f.write(changed)
            if os.path.exists(s.run_file()):
                os.remove(s.run_file())
            log = s.complete()
            expect("checkpoint: ignoring" in log and "corrupt (digest mismatch), renamed to" in log
                   and "starting from scratch" in log and "resuming" not in log,
                   f"{s.name}: byte {at} of {len(good)}: not refused as corrupt: {log}")
            expect("frame #" not in log and "Exception raised from" not in log, f"{s.name}: a backtrace: {log}")
            expect(os.path.exists(s.ckpt + ".corrupt"), f"{s.name}: byte {at}: no .corrupt kept aside")
            expect(os.path.exists(s.run_file()) and outputs(s.run_file()) == expected,
                   f"{s.name}: byte {at}: no run file, or it differs from the uninterrupted run")

    # A complete run removes a stale checkpoint and trains nothing.
    with open(reference.ckpt, "w") as f:
        f.write("stale\n")
    log = reference.complete()
    expect("already complete" in log, f"rerun of a complete run: {log}")

    if problems:
        sys.exit("\n".join(problems))
    print("trainer resume: ok")


if __name__ == "__main__":
    main()
