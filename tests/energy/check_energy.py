#!/usr/bin/python3
"""Checks `sweep energy` end to end against numbers computed here from the run files with h5py.

Usage: check_energy.py SWEEP_BINARY EXAMPLE_RUN_FILE WORK_DIR

Writes run files with h5py as docs/run-file.md describes them (no project code), next to one
the project's writer made (EXAMPLE_RUN_FILE), plus files that are no run files; then runs
`sweep energy` with every --by key and checks, against an independent reading of the files:
the groups and their totals, CO2 = kWh x PUE x carbon intensity exactly with the factors it
echoes, where those factors come from, --since, the output formats, and the SLURM
cross-check with sacct absent, failing, and answering. Then runs `sweep collect` on the same
sweep folder with the same factors: its summary.json must agree with `sweep energy` (kWh, CO2,
estimates, factors and their sources) and with the numbers computed here, group by group.
Exits 1 listing each difference.
"""
import csv
import io
import json
import math
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np

SCHEMA = "reprosweep-run/1"
J_PER_KWH = 3.6e6
# The few models the runs below use, from NVIDIA's data sheets.
TDP_W = {"NVIDIA H100 PCIe": 350.0, "Tesla T4": 70.0}
GROUP_FIELDS = {"sweep": ("", "sweep_name"), "user": ("env", "user"), "account": ("env", "slurm_account"),
                "partition": ("env", "slurm_partition"), "gpu_model": ("env", "gpu_name"),
                "node": ("env", "hostname"), "day": ("", "finished_at")}
ENV_KEYS = ["hostname", "user", "cpu_model", "gpu_name", "gpu_uuid", "driver_version", "cuda_version",
            "cudnn_version", "torch_version", "compiler", "git_commit", "slurm_job_id",
            "slurm_array_job_id", "slurm_array_task_id", "slurm_partition", "slurm_account"]

problems = []


def check(condition, message):
    if not condition:
        problems.append(message)


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9)


# ---- writing run files with h5py -----------------------------------------------------------

def write_run(path, run_id, sweep, method, gpu_j, cpu_j, gpu_name, wall_s, finished_at, env=None,
              status="complete", schema=SCHEMA):
    """A complete layout-1 run file of 2 epochs; `env` overrides /env attributes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    env_values = dict.fromkeys(ENV_KEYS, "")
    env_values.update({"hostname": "node1", "user": "ada", "gpu_name": gpu_name})
    env_values.update(env or {})
    with h5py.File(path, "w") as f:
        f.attrs.update({"schema": schema, "run_id": run_id, "group_id": "g" + run_id, "sweep_name": sweep,
                        "params_json": "{}", "mode": "nd", "replica": np.int64(0),
                        "started_at": "2026-11-20T00:00:00Z", "finished_at": finished_at})
        f.create_group("seeds").attrs.update({k: np.int64(-1) for k in
                                               ("init", "shuffle", "augment", "dropout", "bitflip")})
        f.create_group("env").attrs.update(env_values)
        metrics = f.create_group("metrics")
        metrics["epoch"] = np.array([1, 2], dtype="<i8")
        for name in ("lr", "train_loss", "train_acc", "test_loss", "test_acc", "seconds", "energy_j"):
            metrics[name] = np.array([0.5, 0.25], dtype="<f8")
        f["eval/logits"] = np.zeros((3, 2), dtype="<f4")
        f["eval/labels"] = np.array([0, 1, 0], dtype="<i8")
        f["weights/flat"] = np.zeros(4, dtype="<f4")
        f["weights/last_layer"] = np.zeros((3, 2), dtype="<f4")
        f.create_group("timing").attrs.update({"wall_s": float(wall_s), "train_s": wall_s * 0.9,
                                               "eval_s": wall_s * 0.05,
                                               "gpu_s": wall_s * 0.95 if gpu_name else -1.0})
        f.create_group("energy").attrs.update({"gpu_j": float(gpu_j), "cpu_j": float(cpu_j), "method": method,
                                               "avg_gpu_w": gpu_j / wall_s})
        f.create_group("extra_tool").attrs["note"] = "other tools may add groups"  # readers ignore it
        if status is not None:
            f.attrs["status"] = status


def make_files(work, example_run):
    sweep = work / "sweep-a"
    runs = sweep / "runs"
    local = {"slurm_job_id": "9001", "slurm_array_job_id": "9000", "slurm_account": "lab"}
    write_run(runs / "a1.h5", "a1", "sweep-a", "nvml-counter", 123456.5, 2345.25, "NVIDIA H100 PCIe", 400.5,
              "2026-11-25T10:00:00Z", {**local, "slurm_partition": "gpu"})
    write_run(runs / "a2.h5", "a2", "sweep-a", "nvml-power", 99999.125, 0.0, "Tesla T4", 1000.0,
              "2026-11-25T23:59:59Z", {**local, "user": "bob"})
    write_run(runs / "a3.h5", "a3", "sweep-a", "none", 0.0, 0.0, "NVIDIA H100 PCIe", 3600.0,
              "2026-11-26T08:00:00Z", local)
    (runs / "a4.h5.node1-4242.partial").write_bytes(b"still being written")
    (sweep / "jobs.json").write_text(json.dumps([{"kind": "local", "submitted_at": "2026-11-25T09:00:00Z",
                                                  "arrays": [{"script": "array-000.sbatch", "job_id": "9000",
                                                              "tasks": "0-2"}], "collect_job_id": ""}]))
    other = work / "other" / "x" / "y"
    slurm = {"slurm_job_id": "5001", "slurm_array_job_id": "5000", "slurm_partition": "gpu",
             "slurm_account": "lab"}
    write_run(other / "b1.h5", "b1", "sweep-b", "rapl", 0.0, 777.75, "", 30.0, "2026-11-24T12:00:00Z",
              {"hostname": "node2", "user": "bob"})
    write_run(other / "b2.h5", "b2", "sweep-b", "estimate", 5000.0, 100.0, "NVIDIA H100 PCIe", 20.0,
              "2026-11-26T12:00:00Z", slurm)
    write_run(other / "b3.h5", "b3", "sweep-b", "none", 0.0, 0.0, "Fake GPU 9000", 50.0,
              "2026-11-26T13:00:00Z", {**slurm, "slurm_job_id": "5002", "hostname": "node2"})
    write_run(other / "b4.h5", "b4", "sweep-b", "rapl", 0.0, 10.0, "Tesla T4", 100.0,
              "2026-11-27T00:00:00Z", {"user": "cy"})
    write_run(other / "foreign.h5", "f", "x", "none", 0, 0, "", 1.0, "2026-11-26T00:00:00Z",
              schema="someone-else/2")
    write_run(other / "unfinished.h5", "u", "x", "none", 0, 0, "", 1.0, "2026-11-26T00:00:00Z",
              status="running")
    (work / "other" / "broken.h5").write_text("not HDF5")
    shutil.copy(example_run, work / "other" / "example.h5")


# ---- the same report, computed here ---------------------------------------------------------

def read_runs(work):
    """Complete layout-1 run files under `work`, by resolved path; each a dict of what matters."""
    runs = []
    for path in sorted(p.resolve() for p in work.rglob("*.h5")):
        try:
            f = h5py.File(path, "r")
        except OSError:
            continue
        with f:
            if f.attrs.get("schema") != SCHEMA or f.attrs.get("status") != "complete":
                continue
            energy = f["energy"].attrs
            runs.append({"root": dict(f.attrs), "env": dict(f["env"].attrs),
                         "wall_s": float(f["timing"].attrs["wall_s"]), "method": energy["method"],
                         "gpu_j": float(energy["gpu_j"]), "cpu_j": float(energy["cpu_j"])})
    return runs


def counted(run):
    """(measured gpu J, measured cpu J, estimated J, method listed under) per docs/energy.md."""
    method, gpu_name = run["method"], run["env"]["gpu_name"]
    if method in ("nvml-counter", "nvml-power"):
        return run["gpu_j"], run["cpu_j"], 0.0, method
    if method == "estimate":
        return 0.0, 0.0, run["gpu_j"] + run["cpu_j"], "estimate"
    cpu = run["cpu_j"] if method == "rapl" else 0.0
    if not gpu_name:
        return 0.0, cpu, 0.0, method
    if gpu_name in TDP_W:
        return 0.0, cpu, TDP_W[gpu_name] * run["wall_s"], "estimate"
    return 0.0, cpu, 0.0, "none"


def key_of(run, by):
    group, name = GROUP_FIELDS[by]
    value = run["env"][name] if group else run["root"][name]
    return value[:10] if by == "day" else value


def expected_groups(runs, key):
    """Totals per key(run)."""
    groups = {}
    for run in runs:
        gpu_j, cpu_j, estimated_j, method = counted(run)
        g = groups.setdefault(key(run), {"runs": 0, "gpu_j": 0.0, "cpu_j": 0.0, "estimated_j": 0.0,
                                         "gpu_hours": 0.0, "methods": {}})
        g["runs"] += 1
        g["gpu_j"] += gpu_j
        g["cpu_j"] += cpu_j
        g["estimated_j"] += estimated_j
        g["gpu_hours"] += run["wall_s"] / 3600 if run["env"]["gpu_name"] else 0.0
        share = g["methods"].setdefault(method, {"runs": 0, "joules": 0.0})
        share["runs"] += 1
        share["joules"] += gpu_j + cpu_j + estimated_j
    return groups


# ---- running sweep energy -------------------------------------------------------------------

def run_sweep(sweep_bin, command, args, env_updates=None, expect_rc=0):
    env = {k: v for k, v in os.environ.items() if k != "REPROSWEEP_SITE_FILE"}
    env.update(env_updates or {})
    result = subprocess.run([sweep_bin, command, *args], capture_output=True, text=True, env=env)
    check(result.returncode == expect_rc,
          f"sweep {command} {' '.join(args)}: exit {result.returncode}, expected {expect_rc}: {result.stderr}")
    return result


def sweep_energy(sweep_bin, args, env_updates=None, expect_rc=0):
    return run_sweep(sweep_bin, "energy", args, env_updates, expect_rc)


def check_row(where, row, expected, pue, intensity):
    check(row["runs"] == expected["runs"], f"{where}: runs {row['runs']} != {expected['runs']}")
    for name in ("gpu_j", "cpu_j", "estimated_j", "gpu_hours"):
        check(close(row[name], expected[name]), f"{where}: {name} {row[name]} != {expected[name]}")
    check(row["kwh"] == (row["gpu_j"] + row["cpu_j"]) / J_PER_KWH, f"{where}: kwh is not (gpu_j + cpu_j) / 3.6e6")
    check(row["co2_kg"] == row["kwh"] * pue * intensity, f"{where}: co2_kg != kwh * pue * intensity exactly")
    check(row["estimated_kwh"] == row["estimated_j"] / J_PER_KWH, f"{where}: estimated_kwh")
    check(row["estimated_co2_kg"] == row["estimated_kwh"] * pue * intensity, f"{where}: estimated_co2_kg")
    check(set(row["methods"]) == set(expected["methods"]),
          f"{where}: methods {sorted(row['methods'])} != {sorted(expected['methods'])}")
    for method, share in expected["methods"].items():
        got = row["methods"].get(method, {"runs": -1, "joules": math.nan})
        check(got["runs"] == share["runs"] and close(got["joules"], share["joules"]),
              f"{where}: method {method}: {got} != {share}")


def check_groupings(sweep_bin, paths, runs):
    pue, intensity = 1.2, 0.31
    for by in GROUP_FIELDS:
        out = sweep_energy(sweep_bin, [*paths, "--by", by, "--format", "json", "--pue", str(pue),
                                       "--carbon-intensity", str(intensity)])
        report = json.loads(out.stdout)
        check(report["pue"] == {"value": pue, "source": "--pue"}, f"--by {by}: pue echoed as {report['pue']}")
        check(report["carbon_intensity_kg_per_kwh"] == {"value": intensity, "source": "--carbon-intensity"},
              f"--by {by}: intensity echoed as {report['carbon_intensity_kg_per_kwh']}")
        expected = expected_groups(runs, lambda run: key_of(run, by))
        keys = [row["key"] for row in report["groups"]]
        check(keys == sorted(expected), f"--by {by}: groups {keys} != {sorted(expected)}")
        for row in report["groups"]:
            if row["key"] in expected:
                check_row(f"--by {by} group {row['key']!r}", row, expected[row["key"]], pue, intensity)
        check_row(f"--by {by} total", report["total"], expected_groups(runs, lambda run: "all")["all"], pue,
                  intensity)
        skipped = sorted(Path(s["path"]).name for s in report["skipped"])
        check(skipped == ["broken.h5", "foreign.h5", "unfinished.h5"], f"--by {by}: skipped {skipped}")
        check(report["unknown_gpu_models"] == {"Fake GPU 9000": 1}, f"unknown models {report['unknown_gpu_models']}")


def check_site_sources(sweep_bin, paths, work):
    site_file = work / "site.yaml"
    site_file.write_text("pue: 1.5\nregion: FR\n")
    report = json.loads(sweep_energy(sweep_bin, [*paths, "--format", "json"],
                                     {"REPROSWEEP_SITE_FILE": str(site_file)}).stdout)
    check(report["pue"] == {"value": 1.5, "source": f"{site_file}: pue"}, f"site file pue: {report['pue']}")
    intensity = report["carbon_intensity_kg_per_kwh"]
    check(intensity["value"] == 0.056 and intensity["source"].startswith(f"{site_file}: region FR: France 2023")
          and "Our World in Data" in intensity["source"], f"site file region: {intensity}")
    total = report["total"]
    check(total["co2_kg"] == total["kwh"] * 1.5 * 0.056, "site file: co2_kg != kwh * 1.5 * 0.056 exactly")

    report = json.loads(sweep_energy(sweep_bin, [*paths, "--format", "json", "--region", "DE"],
                                     {"REPROSWEEP_SITE_FILE": str(site_file)}).stdout)
    check(report["carbon_intensity_kg_per_kwh"]["value"] == 0.381
          and report["carbon_intensity_kg_per_kwh"]["source"].startswith("--region DE: Germany 2023"),
          f"--region over the site file: {report['carbon_intensity_kg_per_kwh']}")
    check(report["pue"]["value"] == 1.5, "--region must leave the site file's pue")

    if not Path("/etc/reprosweep/site.yaml").exists():
        report = json.loads(sweep_energy(sweep_bin, [*paths, "--format", "json"]).stdout)
        check(report["pue"]["value"] == 1.0 and report["pue"]["source"].startswith("default"),
              f"default pue: {report['pue']}")
        check(report["carbon_intensity_kg_per_kwh"]["value"] == 0.475
              and report["carbon_intensity_kg_per_kwh"]["source"].startswith("default: world average"),
              f"default intensity: {report['carbon_intensity_kg_per_kwh']}")

    sweep_energy(sweep_bin, [*paths, "--pue", "0.8"], expect_rc=2)
    sweep_energy(sweep_bin, [*paths, "--carbon-intensity", "0.3", "--region", "DE"], expect_rc=2)
    sweep_energy(sweep_bin, [*paths, "--by", "host"], expect_rc=2)
    sweep_energy(sweep_bin, [*paths, "--format", "xml"], expect_rc=2)


def fake_program(directory, name, script):
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def check_slurm(sweep_bin, paths, work):
    # No sacct at all: the report goes on and says so.
    empty_bin = work / "bin-empty"
    empty_bin.mkdir(exist_ok=True)
    no_sacct = {"PATH": str(empty_bin)}
    report = json.loads(sweep_energy(sweep_bin, [*paths, "--format", "json"], no_sacct).stdout)
    check(report["slurm"]["done"] is False and report["slurm"]["summary"] == "SLURM cross-check skipped: sacct not found",
          f"without sacct: {report['slurm']}")
    check(report["slurm"]["local_runs"] == 3, f"local runs: {report['slurm']['local_runs']}")
    check(report["total"]["runs"] == 8, "without sacct the report must still count every run")
    text = sweep_energy(sweep_bin, paths, no_sacct).stdout
    check("SLURM cross-check skipped: sacct not found" in text, "the table output must say sacct is missing")

    # sacct there, accounting disabled.
    failing = work / "bin-failing"
    fake_program(failing, "sacct", "echo 'sacct: error: Slurm accounting storage is disabled' >&2\nexit 1\n")
    report = json.loads(sweep_energy(sweep_bin, [*paths, "--format", "json"], {"PATH": str(failing)}).stdout)
    check(report["slurm"]["summary"] == "SLURM cross-check skipped: sacct failed (no accounting on this cluster?): "
          "sacct: error: Slurm accounting storage is disabled", f"failing sacct: {report['slurm']['summary']}")

    # sacct answering: it must be asked about the real jobs only.
    answering = work / "bin-answering"
    fake_program(answering, "sacct",
                 f"echo \"$@\" > {work / 'sacct-args'}\n"
                 "echo '123456|260|billing=8,cpu=8,gres/gpu=1,node=1|0|gpu-node-07'\n"
                 "echo '5001|30|cpu=1,gres/gpu=1,node=1|52000|node1'\n")
    report = json.loads(sweep_energy(sweep_bin, [*paths, "--format", "json"], {"PATH": str(answering)}).stdout)
    asked = (work / "sacct-args").read_text()
    check("--jobs=123456,5001,5002 " in asked, f"sacct asked: {asked}")
    jobs = {job["job_id"]: job for job in report["slurm"]["jobs"]}
    check(report["slurm"]["done"] and sorted(jobs) == ["123456", "5001", "5002"], f"jobs compared: {sorted(jobs)}")
    example = jobs.get("123456", {})
    check(example.get("slurm", {}).get("consumed_j") == 0 and "0 J" in example.get("note", ""),
          f"SLURM's 0 J must be flagged: {example}")
    check(close(example.get("wall_s", 0), 253.5) and close(example.get("measured_j", 0), 61234.5 + 8123.25),
          f"our numbers for job 123456: {example}")
    check("node-level" in jobs.get("5001", {}).get("note", ""), f"node-level energy must be flagged: {jobs.get('5001')}")
    check(jobs.get("5002", {}).get("slurm") is None and jobs["5002"]["note"] == "not in SLURM's accounting",
          f"a job sacct does not know: {jobs.get('5002')}")


def check_since_and_formats(sweep_bin, paths, runs):
    later = [r for r in runs if r["root"]["finished_at"] >= "2026-11-26"]
    report = json.loads(sweep_energy(sweep_bin, [*paths, "--since", "2026-11-26", "--format", "json"]).stdout)
    check(report["total"]["runs"] == len(later), f"--since: {report['total']['runs']} runs, expected {len(later)}")
    check(report["runs_before_since"] == len(runs) - len(later), "--since: runs_before_since")

    out = sweep_energy(sweep_bin, [*paths, "--format", "csv", "--pue", "1.1"])
    rows = list(csv.reader(io.StringIO(out.stdout)))
    check(rows[0][:3] == ["sweep", "runs", "GPU-h"] and rows[-1][0] == "all" and len(rows) == 5,
          f"csv rows: {rows}")
    check("PUE 1.1; source: --pue" in out.stderr, f"csv: the factors belong on stderr: {out.stderr}")

    md = sweep_energy(sweep_bin, [*paths, "--format", "md"]).stdout
    check(md.startswith("## Energy by sweep") and "\n- PUE " in md and "\n- carbon intensity " in md,
          f"md output: {md[:300]}")


def check_collect_agrees(sweep_bin, work, runs):
    """`sweep collect` and `sweep energy` on one sweep folder, with the factors from the command
    line and from a site file: the same factors, sources, kWh and CO2."""
    sweep = work / "sweep-a"
    in_sweep = [r for r in runs if r["root"]["sweep_name"] == "sweep-a"]
    site_file = work / "collect-site.yaml"
    site_file.write_text("pue: 1.5\nregion: FR\n")
    settings = [(["--pue", "1.2", "--region", "DE"], {}, 1.2, 0.381),
                ([], {"REPROSWEEP_SITE_FILE": str(site_file)}, 1.5, 0.056)]
    for args, env, pue, intensity in settings:
        where = f"collect {' '.join(args) or 'with a site file'}"
        out = run_sweep(sweep_bin, "collect", [str(sweep), *args], env)
        ours = json.loads((sweep / "results" / "summary.json").read_text())["energy"]
        theirs = json.loads(sweep_energy(sweep_bin, [str(sweep), "--format", "json", *args], env).stdout)
        for factor in ("pue", "carbon_intensity_kg_per_kwh"):
            check(ours[factor] == theirs[factor], f"{where}: {factor} {ours[factor]} != sweep energy's {theirs[factor]}")
            line = "PUE" if factor == "pue" else "carbon intensity"
            check(f"{line} {ours[factor]['value']}" in out.stdout and ours[factor]["source"] in out.stdout,
                  f"{where}: the terminal output must print the {line} and its source: {out.stdout[-500:]}")
        check(ours["pue"]["value"] == pue and ours["carbon_intensity_kg_per_kwh"]["value"] == intensity,
              f"{where}: factors {ours['pue']}, {ours['carbon_intensity_kg_per_kwh']}")
        # The collector's total is sweep energy's group for the sweep: every run of sweep-a counts.
        check_row(f"{where}: total", ours["total"], expected_groups(in_sweep, lambda run: "all")["all"], pue,
                  intensity)
        check_row(f"{where}: sweep energy's sweep-a", theirs["groups"][0],
                  expected_groups(in_sweep, lambda run: "all")["all"], pue, intensity)
        for name in ("kwh", "co2_kg", "estimated_kwh", "estimated_co2_kg", "gpu_hours"):
            check(close(ours["total"][name], theirs["total"][name]),
                  f"{where}: {name} {ours['total'][name]} != sweep energy's {theirs['total'][name]}")
        expected = expected_groups(in_sweep, lambda run: run["root"]["group_id"])
        groups = json.loads((sweep / "results" / "summary.json").read_text())["groups"]
        check(sorted(g["group_id"] for g in groups) == sorted(expected), f"{where}: groups {groups}")
        for group in groups:
            if group["group_id"] in expected:
                check_row(f"{where}: group {group['group_id']}", group["energy"], expected[group["group_id"]], pue,
                          intensity)
    run_sweep(sweep_bin, "collect", [str(sweep), "--pue", "0.8"], expect_rc=2)
    run_sweep(sweep_bin, "collect", [str(sweep), "--carbon-intensity", "0.3", "--region", "DE"], expect_rc=2)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sweep_bin, example_run, work = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    make_files(work, example_run)
    paths = [str(work / "sweep-a"), str(work / "other")]
    runs = read_runs(work)
    check(len(runs) == 8, f"{len(runs)} complete run files written, expected 8")

    check_groupings(sweep_bin, paths, runs)
    check_site_sources(sweep_bin, paths, work)
    check_slurm(sweep_bin, paths, work)
    check_since_and_formats(sweep_bin, paths, runs)
    check_collect_agrees(sweep_bin, work, runs)

    for problem in problems:
        print(problem)
    print(f"check_energy: {len(problems)} problem(s)")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
