#!/usr/bin/python3
"""Checks an adaptive sweep against the must-hold of adaptive replicas, from its files alone.

Usage: check_adaptive.py ADAPTIVE_DIR FIXED_DIR EXPECTED

ADAPTIVE_DIR was planned from a grid with `repeat: {min, max, step, until:
{acc_sd_ci_halfwidth: W}}` and run; FIXED_DIR was planned (not run) from the same grid with
`repeat: max`. No project code: plan.jsonl, sweep.json and the run files read with h5py, the
rule recomputed with numpy and scipy (docs/statistics.md, "Stopping rule"):
  - every adaptive point has between min and max run files, and a count a wave ends at
    (min, min + step, ..., max);
  - each point either meets its rule (the half-width of the chi-square 95 % interval of the
    sample SD of final test accuracy, in percentage points, at most W) or has max runs; the rule
    met with fewer runs than max is met at the last wave and was not met at the wave before;
  - each run file's seeds (/seeds, where the run uses the source; its params' seeds all) and
    replica are those of the run with its run id in the fixed plan;
  - EXPECTED ("met,max" say) lists each point's reason in order, so that the test shows both.
Exits 1 listing each failure.
"""
import json
import sys
from pathlib import Path

import h5py
import numpy as np
from scipy import stats

SOURCES = ["init", "shuffle", "augment", "dropout", "bitflip"]


def halfwidth_pp(accuracies):
    n = len(accuracies)
    if n < 2:
        return None
    s = 100 * float(np.std(accuracies, ddof=1))
    k = n - 1
    return s * (np.sqrt(k / stats.chi2.ppf(0.025, k)) - np.sqrt(k / stats.chi2.ppf(0.975, k))) / 2


def plan_lines(sweep):
    return [json.loads(line) for line in (sweep / "plan.jsonl").read_text().splitlines()]


def main():
    adaptive, fixed, expected = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3].split(",")
    failures = []
    points = json.loads((adaptive / "sweep.json").read_text())["adaptive"]
    planned = plan_lines(adaptive)
    fixed_by_id = {line["run_id"]: line for line in plan_lines(fixed)}
    reasons = []
    for p, point in enumerate(points):
        lo, hi, step, width = point["min"], point["max"], point["step"], point["until"]["acc_sd_ci_halfwidth"]
        waves = sorted({min(hi, lo + k * step) for k in range((hi - lo) // step + 2)})
        runs = []  # (replica, accuracy) of the point's run files, in replica order
        for line in planned[point["first_run"]:point["first_run"] + hi]:
            path = adaptive / "runs" / (line["run_id"] + ".h5")
            if not path.exists():
                continue
            with h5py.File(path, "r") as f:
                if f.attrs["status"] != "complete":
                    continue
                seeds = {s: int(f["seeds"].attrs[s]) for s in SOURCES}
                params = json.loads(f.attrs["params_json"])
                logits, labels = f["eval/logits"][()], f["eval/labels"][()]
            twin = fixed_by_id.get(line["run_id"])
            if twin is None:
                failures.append(f"{path.name}: no run with its id in the fixed plan")
                continue
            # The run file's /seeds holds -1 for a source the run does not use (run-file-v1).
            used = {s: twin["params"]["seeds"][s] for s in SOURCES if seeds[s] != -1}
            if (any(seeds[s] != v for s, v in used.items()) or "init" not in used or "shuffle" not in used
                    or twin["params"]["replica"] != line["params"]["replica"]):
                failures.append(f"{path.name}: seeds {seeds} replica {line['params']['replica']}, fixed sweep's "
                                f"{twin['params']['seeds']} replica {twin['params']['replica']}")
            if params["seeds"] != twin["params"]["seeds"]:
                failures.append(f"{path.name}: params' seeds differ from the fixed plan's")
            runs.append((line["params"]["replica"], float(np.mean(np.argmax(logits, axis=1) == labels))))
        n = len(runs)
        if not lo <= n <= hi or n not in waves:
            failures.append(f"point {p}: {n} runs, expected a wave's end in {waves}")
        if [r for r, _ in runs] != list(range(n)):
            failures.append(f"point {p}: replicas {[r for r, _ in runs]}, expected 0..{n - 1}")
        accuracies = [a for _, a in runs]
        w = halfwidth_pp(accuracies)
        met = w is not None and w <= width
        if not met and n != hi:
            failures.append(f"point {p}: stopped at {n} runs (half-width {w}) without meeting the rule nor max {hi}")
        if met and n > lo:
            before = halfwidth_pp(accuracies[:waves[waves.index(n) - 1]])
            if before is not None and before <= width:
                failures.append(f"point {p}: the rule held already at the wave before ({before} <= {width})")
        reasons.append("met" if met else "max")
        print(f"point {p}: {n} runs, half-width {w} pp, rule {width}: {reasons[-1]}")
    if reasons != expected:
        failures.append(f"reasons {reasons}, expected {expected}")
    summary = json.loads((adaptive / "results" / "summary.json").read_text())
    said = ["met" if a["stopped"] == "rule_met" else "max" if a["stopped"] == "reached_max" else a["stopped"]
            for a in summary["adaptive"]]
    if said != reasons:
        failures.append(f"the collector says {said}, recomputed {reasons}")
    if summary["missing"]:
        failures.append(f"the collector lists replicas never asked for as missing: {summary['missing']}")
    for failure in failures:
        print("FAIL:", failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
