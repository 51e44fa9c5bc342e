#!/usr/bin/python3
"""Checks run files against layout version 1 (docs/run-file.md) with h5py and no project code.

Usage: check_run_file.py [--require-digests] RUN_FILE.h5 [RUN_FILE.h5 ...]

Every group, attribute and dataset of the layout must be there with its stated type and shape.
Digests are optional in layout version 1; where a file has them (its root has attrs_xxh3),
every one must be there and match the content, recomputed here with libxxhash through ctypes.
--require-digests: a file without them is a problem too. Prints every problem found and exits
1 if there was any.
"""
import json
import re
import sys

import h5py
import numpy as np

import run_file_digests
from run_file_digests import ATTRS_DIGEST, DATASET_DIGEST, DATASETS, GROUPS, attrs_digest, dataset_digest, \
    settings_fields

INT64 = np.dtype("<i8")
FLOAT64 = np.dtype("<f8")
FLOAT32 = np.dtype("<f4")

# Attributes of the root and of the attribute-only groups: name -> dtype, where str means
# variable-length UTF-8.
ROOT = {"schema": str, "run_id": str, "group_id": str, "sweep_name": str, "status": str,
        "params_json": str, "mode": str, "replica": INT64, "started_at": str, "finished_at": str}
METRICS = {"epoch": INT64, "lr": FLOAT64, "train_loss": FLOAT64, "train_acc": FLOAT64,
           "test_loss": FLOAT64, "test_acc": FLOAT64, "seconds": FLOAT64, "energy_j": FLOAT64}
UINT64 = np.dtype("<u8")
ENERGY_METHODS = {"nvml-counter", "nvml-power", "rapl", "estimate", "none"}
ISO_8601_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")


class Checker:
    """Collects problems instead of stopping at the first, so one run shows them all."""

    def __init__(self, f, require_digests):
        self.f = f
        self.problems = []
        self.digests = ATTRS_DIGEST in f.attrs
        if require_digests and not self.digests:
            self.fail(f"no digests (root attribute {ATTRS_DIGEST})")

    def fail(self, message):
        self.problems.append(message)

    def group(self, path):
        if not isinstance(self.f.get(path), h5py.Group):
            self.fail(f"missing group {path}")
            return None
        return self.f[path]

    def attr(self, obj, name, dtype):
        """The value of scalar attribute `name`; dtype is str (variable-length UTF-8) or numpy's."""
        where = f"{obj.name} attribute {name}"
        if name not in obj.attrs:
            self.fail(f"missing {where}")
            return None
        stored = obj.attrs.get_id(name)
        if stored.shape != ():
            self.fail(f"{where}: shape {stored.shape}, expected a scalar")
        if dtype is str:
            info = h5py.check_string_dtype(stored.dtype)
            if info is None or info.encoding != "utf-8" or info.length is not None:
                self.fail(f"{where}: {stored.dtype} is not a variable-length UTF-8 string")
        elif stored.dtype != dtype:
            self.fail(f"{where}: dtype {stored.dtype}, expected {dtype}")
        value = obj.attrs[name]
        if dtype is str and not isinstance(value, str):
            self.fail(f"{where}: reads as {type(value).__name__}, expected str")
        return value

    def digest(self, obj, name, computed):
        """Checks digest attribute `name` of `obj` against `computed`, when the file has digests."""
        if not self.digests:
            return
        stored = self.attr(obj, name, UINT64)
        if stored is not None and int(stored) != computed:
            self.fail(f"{obj.name}: {name} is {int(stored):016x}, the content's is {computed:016x}")

    def attrs_digest(self, obj, fields):
        """`fields`: name -> dtype of the attributes the digest covers, in the layout's order."""
        if all(name in obj.attrs for name in fields):
            self.digest(obj, ATTRS_DIGEST, attrs_digest(obj, fields))

    def dataset(self, path, dtype, ndim):
        if not isinstance(self.f.get(path), h5py.Dataset):
            self.fail(f"missing dataset {path}")
            return None
        data = self.f[path]
        if data.dtype != dtype:
            self.fail(f"{path}: dtype {data.dtype}, expected {dtype}")
        if data.ndim != ndim:
            self.fail(f"{path}: {data.ndim}-D, expected {ndim}-D")
            return None
        values = data[()]
        self.digest(data, DATASET_DIGEST, dataset_digest(values, DATASETS[path]))
        return values

    def expect(self, condition, message):
        if not condition:
            self.fail(message)


def check_run_file(f, require_digests=False):
    c = Checker(f, require_digests)
    root = {name: c.attr(f, name, dtype) for name, dtype in ROOT.items()}
    c.attrs_digest(f, run_file_digests.ROOT)  # all of ROOT but status, written after the digest
    c.expect(root["schema"] == "reprosweep-run/1", f"schema is {root['schema']!r}")
    c.expect(root["status"] == "complete", f"status is {root['status']!r}")
    c.expect(root["mode"] in ("d", "nd"), f"mode is {root['mode']!r}")
    for name in ("started_at", "finished_at"):
        value = root[name]
        c.expect(isinstance(value, str) and ISO_8601_UTC.fullmatch(value), f"{name} is {value!r}")
    try:
        json.loads(root["params_json"] or "")
    except ValueError:
        c.fail("params_json is not JSON")

    for path, fields in GROUPS.items():
        group = c.group(path)
        if group is not None:
            for name, dtype in fields.items():
                c.attr(group, name, dtype)
            c.attrs_digest(group, fields)
    if "/settings" in f:  # optional
        c.attrs_digest(f["/settings"], settings_fields(f["/settings"]))
    if "/energy" in f and "method" in f["/energy"].attrs:
        method = f["/energy"].attrs["method"]
        c.expect(method in ENERGY_METHODS, f"/energy method is {method!r}")

    metrics = {name: c.dataset(f"/metrics/{name}", dtype, 1) for name, dtype in METRICS.items()}
    epochs = None if metrics["epoch"] is None else len(metrics["epoch"])
    for name, values in metrics.items():
        if values is not None and epochs is not None:
            c.expect(len(values) == epochs,
                     f"/metrics/{name} has {len(values)} entries, epoch has {epochs}")
    for name in ("train_acc", "test_acc"):
        if metrics[name] is not None:
            c.expect(np.all((0 <= metrics[name]) & (metrics[name] <= 1)), f"{name} outside [0, 1]")

    logits = c.dataset("/eval/logits", FLOAT32, 2)
    labels = c.dataset("/eval/labels", INT64, 1)
    groups = c.dataset("/eval/groups", INT64, 1) if "/eval/groups" in f else None  # optional
    logits_tta = c.dataset("/eval/logits_tta", FLOAT32, 2) if "/eval/logits_tta" in f else None  # optional
    if logits is not None:
        n_test, n_classes = logits.shape
        if logits_tta is not None:
            c.expect(logits_tta.shape == logits.shape,
                     f"/eval/logits_tta is {logits_tta.shape}, logits {logits.shape}")
        for name, values in (("labels", labels), ("groups", groups)):
            if values is not None:
                c.expect(len(values) == n_test,
                         f"/eval/{name} has {len(values)} entries, logits {n_test} rows")
        if labels is not None:
            c.expect(np.all((0 <= labels) & (labels < n_classes)), "labels outside [0, C)")

    c.dataset("/weights/flat", FLOAT32, 1)
    last_layer = c.dataset("/weights/last_layer", FLOAT32, 2)
    if last_layer is not None and epochs is not None:
        rows = last_layer.shape[0]
        c.expect(rows == epochs + 1, f"/weights/last_layer has {rows} rows, not epochs + 1")
    return c.problems


def main(args):
    require_digests = "--require-digests" in args
    paths = [a for a in args if a != "--require-digests"]
    if not paths:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    failed = False
    for path in paths:
        with h5py.File(path, "r") as f:
            problems = check_run_file(f, require_digests)
        for problem in problems:
            print(f"{path}: {problem}")
        if not problems:
            print(f"{path}: ok")
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
