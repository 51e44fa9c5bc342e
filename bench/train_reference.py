"""The Python PyTorch reference for the trainer benchmark (bench/train_bench.sh).

Trains what the C++ trainer trains for the same params, written the way users write it:

  --loader dataloader  TensorDataset + DataLoader(shuffle=True), optionally with worker processes
  --loader resident    the whole set as one tensor, batches cut from a randperm with index_select
                       (what lib/train/batches.cc does), to separate loader cost from framework cost

Same model (lib/train/plain_cnn.cc, resnet.cc: layers, widths, BatchNorm, mean over H x W,
dropout only when p > 0, linear classifier), same optimizer (lib/train/optimizer.cc), same data
(dataset `synthetic`: lib/train/synthetic_data.cc's counter hash, standardised per channel with
the training split's mean and population std, lib/train/dataset.cc), same batches and epochs.
Augmentation is not implemented (the benchmark keeps it off on both sides).

On a GPU (--device cuda) the DataLoader yields pinned CPU batches that are copied with
non_blocking=True, and the resident set lives on the GPU. The DataLoader loop reads the loss
back after every batch (loss.item(), as users write it), the resident loop sums on the device
and reads once per epoch, like the trainer. The modes set what the trainer's apply_settings()
sets (lib/train/determinism.cc) with tf32 and cudnn_benchmark at their defaults: both modes
TF32 off for matmuls and on for cuDNN, cuDNN's benchmark off; d adds deterministic algorithms,
cuDNN deterministic and CUBLAS_WORKSPACE_CONFIG. --precision
bf16 autocasts forward passes and the loss like lib/train/precision.cc; --channels-last puts the
weights and every batch in NHWC order.

Prints one JSON object: parameter count, seconds per epoch (training and test pass apart) and
images/s over the epochs after --warmup. Run with the project venv's python (torch 2.11.0).
"""
import argparse
import hashlib
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

def splitmix64(z):
    """lib/train/counter_hash.h on uint64 arrays (numpy wraps around like C++)."""
    z = z + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def counter_hash(a, b, c):
    return splitmix64(splitmix64(splitmix64(np.uint64(a)) ^ np.uint64(b)) ^ c)


def synthetic_part(part, n, classes, channels, size):
    """Samples of lib/train/synthetic_data.cc: pixel k = top byte of hash(0, part, k)."""
    with np.errstate(over="ignore"):
        k = np.arange(n * channels * size * size, dtype=np.uint64)
        x = (counter_hash(0, part, k) >> np.uint64(56)).astype(np.float32)
        y = counter_hash(0, 2 + part, np.arange(n, dtype=np.uint64)) % np.uint64(classes)
    return x.reshape(n, channels, size, size), y.astype(np.int64)


def synthetic_data(n_train, n_test, classes=10, channels=3, size=32):
    train_x, train_y = synthetic_part(0, n_train, classes, channels, size)
    test_x, test_y = synthetic_part(1, n_test, classes, channels, size)
    # Per-channel standardisation with the training split's statistics, in double.
    mean = train_x.mean(axis=(0, 2, 3), dtype=np.float64)[None, :, None, None]
    std = train_x.std(axis=(0, 2, 3), dtype=np.float64)[None, :, None, None]
    std[std == 0] = 1.0
    norm = lambda x: torch.from_numpy(((x - mean) / std).astype(np.float32))  # noqa: E731
    return norm(train_x), torch.from_numpy(train_y), norm(test_x), torch.from_numpy(test_y)


class Classifier(nn.Module):
    """features -> mean over H x W -> dropout (if p > 0) -> linear, as Model::classify."""

    def __init__(self, features, width, classes, dropout):
        super().__init__()
        self.features = features
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.classifier = nn.Linear(width, classes)

    def forward(self, x):
        return self.classifier(self.dropout(self.features(x).mean((2, 3))))


def small_cnn(channels, classes, width, batchnorm, dropout):
    layers, c_in = [], channels
    for c_out, stride in ((max(1, width // 2), 1), (width, 2), (width, 2)):
        layers.append(nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1))
        if batchnorm:
            layers.append(nn.BatchNorm2d(c_out))
        layers.append(nn.ReLU())
        c_in = c_out
    return Classifier(nn.Sequential(*layers), c_in, classes, dropout)


def conv(c_in, c_out, kernel, stride):
    return nn.Conv2d(c_in, c_out, kernel, stride=stride, padding=kernel // 2, bias=False)


class BasicBlock(nn.Module):
    def __init__(self, c_in, c_out, stride):
        super().__init__()
        self.conv1, self.bn1 = conv(c_in, c_out, 3, stride), nn.BatchNorm2d(c_out)
        self.conv2, self.bn2 = conv(c_out, c_out, 3, 1), nn.BatchNorm2d(c_out)
        self.shortcut = None
        if stride != 1 or c_in != c_out:
            self.shortcut = nn.Sequential(conv(c_in, c_out, 1, stride), nn.BatchNorm2d(c_out))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + (x if self.shortcut is None else self.shortcut(x)))


def resnet18(channels, classes, dropout):
    layers, c_in = [conv(channels, 64, 3, 1), nn.BatchNorm2d(64), nn.ReLU()], 64
    for stage, c_out in enumerate((64, 128, 256, 512)):
        for block in range(2):
            layers.append(BasicBlock(c_in, c_out, 2 if stage > 0 and block == 0 else 1))
            c_in = c_out
    return Classifier(nn.Sequential(*layers), c_in, classes, dropout)


def resident_batches(x, y, batch_size, generator):
    """One epoch the way lib/train/batches.cc cuts it: a permutation, index_select per batch."""
    order = torch.randperm(x.shape[0], generator=generator).to(x.device)
    for start in range(0, x.shape[0], batch_size):
        idx = order[start:start + batch_size]
        yield x.index_select(0, idx), y.index_select(0, idx)


def apply_mode(mode):
    """What the trainer's apply_settings() sets (lib/train/determinism.cc) for a run without tf32
    and cudnn_benchmark params, before CUDA starts."""
    deterministic = mode == "d"
    if deterministic:
        os.environ["CUBLAS_WORKSPACE_CONFIG"] = ":4096:8"
    torch.use_deterministic_algorithms(deterministic)
    torch.backends.cudnn.deterministic = deterministic
    torch.backends.cudnn.benchmark = False
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = True


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", choices=["small_cnn", "resnet18"], default="small_cnn")
    p.add_argument("--width", type=int, default=32)
    p.add_argument("--batchnorm", action="store_true")
    p.add_argument("--dropout", type=float, default=0.0)
    p.add_argument("--n-train", type=int, default=4096)
    p.add_argument("--n-test", type=int, default=256)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--warmup", type=int, default=1, help="epochs left out of images/s")
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--nesterov", action="store_true")
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--mode", choices=["nd", "d"], default="nd")
    p.add_argument("--loader", choices=["dataloader", "resident"], default="dataloader")
    p.add_argument("--workers", type=int, default=0, help="DataLoader worker processes")
    p.add_argument("--threads", type=int, default=int(os.environ.get("SLURM_CPUS_PER_TASK", "2")))
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    p.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    p.add_argument("--channels-last", action="store_true")
    p.add_argument("--profile", action="store_true",
                   help="print the torch profiler's op table for the last epoch (stderr)")
    a = p.parse_args()

    torch.set_num_threads(a.threads)  # the trainer: at::set_num_threads($SLURM_CPUS_PER_TASK)
    apply_mode(a.mode)
    torch.manual_seed(a.seed)
    device = torch.device(a.device)
    train_x, train_y, test_x, test_y = synthetic_data(a.n_train, a.n_test)
    test_x, test_y = test_x.to(device), test_y.to(device)
    if a.loader == "resident":
        train_x, train_y = train_x.to(device), train_y.to(device)
    memory_format = torch.channels_last if a.channels_last else torch.contiguous_format
    autocast = lambda: torch.autocast(a.device, dtype=torch.bfloat16,  # noqa: E731
                                      enabled=a.precision == "bf16")

    if a.model == "small_cnn":
        model = small_cnn(3, 10, a.width, a.batchnorm, a.dropout)
    else:
        model = resnet18(3, 10, a.dropout)
    model.to(device, memory_format=memory_format)
    optimizer = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=a.momentum,
                                nesterov=a.nesterov, weight_decay=a.weight_decay)
    generator = torch.Generator().manual_seed(a.seed)
    loader = None
    if a.loader == "dataloader":
        loader = torch.utils.data.DataLoader(
            torch.utils.data.TensorDataset(train_x, train_y), batch_size=a.batch_size,
            shuffle=True, generator=generator, num_workers=a.workers,
            persistent_workers=a.workers > 0, pin_memory=a.device == "cuda")

    epochs = []
    for epoch in range(a.epochs):
        profiler = None
        if a.profile and epoch == a.epochs - 1:
            activities = [torch.profiler.ProfilerActivity.CPU]
            if a.device == "cuda":
                activities.append(torch.profiler.ProfilerActivity.CUDA)
            profiler = torch.profiler.profile(activities=activities)
            profiler.__enter__()
        start = time.perf_counter()
        model.train()
        # The DataLoader side reads the loss back every batch into Python numbers, as users'
        # loops do; the resident side sums on the device and reads once per epoch, as the
        # trainer does.
        loss_sum, hits = 0.0, 0
        if loader is None:
            loss_sum = torch.zeros((), device=device)
            hits = torch.zeros((), dtype=torch.int64, device=device)
        batches = loader if loader is not None else resident_batches(
            train_x, train_y, a.batch_size, generator)
        for x, y in batches:
            x = x.to(device, non_blocking=True, memory_format=memory_format)
            y = y.to(device, non_blocking=True)
            with autocast():
                logits = model(x)
                loss = F.cross_entropy(logits, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if loader is not None:
                loss_sum += loss.item() * y.shape[0]
                hits += (logits.argmax(1) == y).sum().item()
            else:
                loss_sum += loss.detach() * y.shape[0]
                hits += (logits.argmax(1) == y).sum()
        if a.device == "cuda":
            torch.cuda.synchronize()
        train_s = time.perf_counter() - start
        if profiler is not None:
            profiler.__exit__(None, None, None)
            sort = "self_device_time_total" if a.device == "cuda" else "self_cpu_time_total"
            print(profiler.key_averages().table(sort_by=sort, row_limit=25),
                  file=sys.stderr)

        # The test pass, in chunks of 1024 like lib/train/evaluate.cc; timed apart.
        start = time.perf_counter()
        model.eval()
        with torch.no_grad(), autocast():
            logits = torch.cat([model(c) for c in test_x.split(1024)])  # NCHW, like evaluate.cc
            test_acc = (logits.argmax(1) == test_y).float().mean().item()
        epochs.append({"train_s": train_s, "eval_s": time.perf_counter() - start,
                       "train_loss": float(loss_sum) / a.n_train, "train_acc": int(hits) / a.n_train,
                       "test_acc": test_acc})

    timed = sum(e["train_s"] for e in epochs[a.warmup:])
    print(json.dumps({
        "model": a.model, "loader": a.loader, "workers": a.workers, "mode": a.mode,
        "device": a.device, "precision": a.precision, "channels_last": a.channels_last,
        "threads": torch.get_num_threads(), "torch": torch.__version__,
        "parameters": sum(t.numel() for t in model.parameters()),
        "test_labels_sha1": hashlib.sha1(test_y.cpu().numpy().tobytes()).hexdigest(),
        "images_per_s": a.n_train * (a.epochs - a.warmup) / timed, "epochs": epochs}))


if __name__ == "__main__":
    main()
