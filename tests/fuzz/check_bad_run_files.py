#!/usr/bin/python3
"""Issue 18's "must hold" for reports, with the built `sweep` and its default settings.

Usage: check_bad_run_files.py SWEEP WORK_DIR

Writes a sweep of good run files (bench/collect_make_runs.py, digests included), collects it
without two of them, then puts those two back changed: one whose global heap makes libhdf5 (and
h5py) loop forever, one with a string attribute that is not UTF-8. `sweep collect` and `sweep
energy` must finish within 60 s, exit 0 and name both files as skipped with their reasons, and
the statistics of the other runs must be those collected without the two files.
"""
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2]
LIMIT_S = 60

problems = []


def expect(condition, message):
    if not condition:
        problems.append(message)


def hang_libhdf5(path):
    """Zeroes the index and size of the first object of the global heap: libhdf5 1.10's
    H5HG__cache_heap_deserialize then never moves on (tests/runfile/example_run.h)."""
    data = bytearray(path.read_bytes())
    heap = data.find(b"GCOL")
    data[heap + 16:heap + 18] = bytes(2)
    data[heap + 24:heap + 32] = bytes(8)
    path.write_bytes(bytes(data))


def break_utf8(path):
    data = path.read_bytes()
    assert b"bench CPU" in data
    path.write_bytes(data.replace(b"bench CPU", b"bench\xffCPU", 1))


def run(argv):
    start = time.monotonic()
    try:
        done = subprocess.run(argv, capture_output=True, text=True, errors="replace", timeout=LIMIT_S)
    except subprocess.TimeoutExpired:
        problems.append(f"{' '.join(map(str, argv))} did not finish in {LIMIT_S} s")
        return None
    print(f"{' '.join(map(str, argv[:2]))}: exit {done.returncode} in {time.monotonic() - start:.1f} s")
    expect(done.returncode == 0, f"{argv[1]} exited {done.returncode}: {done.stderr[-800:]}")
    return done


def groups(sweep):
    return json.loads((sweep / "results" / "summary.json").read_text())["groups"]


def main():
    sweep_bin, work = sys.argv[1], Path(sys.argv[2])
    shutil.rmtree(work, ignore_errors=True)
    sweep = work / "sweep"
    subprocess.run(["/usr/bin/python3", SOURCE / "bench" / "collect_make_runs.py", sweep, "--groups", "3", "--runs",
                    "5", "--weights", "2000", "--test", "500"], check=True, capture_output=True)
    files = sorted((sweep / "runs").glob("*.h5"))
    hanging, not_utf8 = files[1], files[7]  # ND runs of the first and second group
    aside = work / "aside"
    aside.mkdir()
    for path in (hanging, not_utf8):
        path.rename(aside / path.name)
    if run([sweep_bin, "collect", sweep]) is None:
        sys.exit("\n".join(problems))
    without = groups(sweep)
    for path in (hanging, not_utf8):
        (aside / path.name).rename(path)
    hang_libhdf5(hanging)
    break_utf8(not_utf8)

    collect = run([sweep_bin, "collect", sweep])
    if collect is not None:
        expect(f"skipped {hanging}: unreadable: read did not finish in 20 s" in collect.stderr,
               f"collect does not name {hanging.name} as unreadable: {collect.stderr}")
        expect(f"skipped {not_utf8}: attribute cpu_model on /env is not valid UTF-8" in collect.stderr,
               f"collect does not name {not_utf8.name} as not UTF-8: {collect.stderr}")
        expect(groups(sweep) == without, "the other runs' statistics changed")
    energy = run([sweep_bin, "energy", sweep, "--format", "json"])
    if energy is not None:
        skipped = {Path(s["path"]).name: s["reason"] for s in json.loads(energy.stdout)["skipped"]}
        expect(skipped.get(hanging.name) == "unreadable: read did not finish in 20 s",
               f"energy does not name {hanging.name} as unreadable: {skipped}")
        expect(skipped.get(not_utf8.name) == "attribute cpu_model on /env is not valid UTF-8",
               f"energy does not name {not_utf8.name} as not UTF-8: {skipped}")
    if problems:
        sys.exit("\n".join(problems))
    print("bad run files: ok")


if __name__ == "__main__":
    main()
