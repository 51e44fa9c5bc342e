"""The digests of a run file (docs/run-file.md, "Digests") with h5py, numpy and libxxhash
through ctypes, no project code: computed to check a file (check_run_file.py) and to write
them into files made with h5py (bench/collect_make_runs.py).
"""
import ctypes

import numpy as np

DATASET_DIGEST = "xxh3"
ATTRS_DIGEST = "attrs_xxh3"
INT64 = np.dtype("<i8")
FLOAT64 = np.dtype("<f8")

# The attributes each digest covers, in the order it covers them; str means a UTF-8 string.
ROOT = {"schema": str, "run_id": str, "group_id": str, "sweep_name": str, "params_json": str,
        "mode": str, "replica": INT64, "started_at": str, "finished_at": str}
GROUPS = {
    "/seeds": dict.fromkeys(["init", "shuffle", "augment", "dropout", "bitflip"], INT64),
    "/env": dict.fromkeys(["hostname", "user", "cpu_model", "gpu_name", "gpu_uuid",
                           "driver_version", "cuda_version", "cudnn_version", "torch_version",
                           "compiler", "git_commit", "slurm_job_id", "slurm_array_job_id",
                           "slurm_array_task_id", "slurm_partition", "slurm_account"], str),
    "/timing": dict.fromkeys(["wall_s", "train_s", "eval_s", "gpu_s"], FLOAT64),
    "/energy": {"gpu_j": FLOAT64, "cpu_j": FLOAT64, "method": str, "avg_gpu_w": FLOAT64},
}
# The layout's element type of each dataset, whose values the dataset digest covers.
DATASETS = {"/metrics/epoch": INT64, "/eval/logits": np.dtype("<f4"), "/eval/logits_tta": np.dtype("<f4"),
            "/eval/labels": INT64, "/eval/groups": INT64, "/weights/flat": np.dtype("<f4"),
            "/weights/last_layer": np.dtype("<f4")}
for _metric in ("lr", "train_loss", "train_acc", "test_loss", "test_acc", "seconds", "energy_j"):
    DATASETS["/metrics/" + _metric] = FLOAT64

_libxxhash = ctypes.CDLL("libxxhash.so.0")
_libxxhash.XXH3_64bits.restype = ctypes.c_uint64
_libxxhash.XXH3_64bits.argtypes = [ctypes.c_char_p, ctypes.c_size_t]


def xxh3(data):
    """XXH3-64 (seed 0) of bytes."""
    return _libxxhash.XXH3_64bits(data, len(data))


def dataset_digest(values, dtype):
    return xxh3(np.ascontiguousarray(values, dtype=dtype).tobytes())


def attrs_digest(obj, fields):
    """The digest of the attributes `fields` (name -> type, in order) of h5py object `obj`:
    per attribute its name and a NUL, then 's', the UTF-8 bytes and a NUL for a string, 'i' and
    8 bytes for an integer, 'f' and 8 bytes for a float, little-endian."""
    data = b""
    for name, dtype in fields.items():
        value = obj.attrs[name]
        data += name.encode() + b"\0"
        if dtype is str:
            data += b"s" + value.encode() + b"\0"
        elif dtype == INT64:
            data += b"i" + np.int64(value).astype(INT64).tobytes()
        else:
            data += b"f" + np.float64(value).astype(FLOAT64).tobytes()
    return xxh3(data)


def settings_fields(group):
    """/settings: every attribute but the digest, in name order, all strings."""
    return {name: str for name in sorted(group.attrs, key=str.encode) if name != ATTRS_DIGEST}


def add_digests(f):
    """Writes every digest into an open h5py run file whose content is complete, as the trainer
    does (before the root's status)."""
    for path, dtype in DATASETS.items():
        if path in f:
            f[path].attrs[DATASET_DIGEST] = np.uint64(dataset_digest(f[path][()], dtype))
    f.attrs[ATTRS_DIGEST] = np.uint64(attrs_digest(f, ROOT))
    for path, fields in GROUPS.items():
        f[path].attrs[ATTRS_DIGEST] = np.uint64(attrs_digest(f[path], fields))
    if "/settings" in f:
        f["/settings"].attrs[ATTRS_DIGEST] = np.uint64(attrs_digest(f["/settings"], settings_fields(f["/settings"])))
