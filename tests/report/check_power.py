#!/usr/bin/python3
"""Recomputes every replica count of `sweep power --format json` from the sweep's run files.

Usage: check_power.py SWEEP_DIR POWER_JSON

An independent check of `sweep power`: no project code, only h5py, numpy and scipy, and the
formulas of docs/statistics.md "Replica planning":
  - the SD's (1 - alpha) chi-square interval from n normal values, half-width
    s/2 (sqrt((n-1)/chi2.ppf(alpha/2, n-1)) - sqrt((n-1)/chi2.ppf(1-alpha/2, n-1)));
  - the power of the collector's two-sided t-test from scipy.stats.nct, one-sample
    (df = n-1, ncp = diff / (nd_sd / sqrt(n))) when D is one value, Welch with n runs in
    each mode (ncp = diff / sqrt((nd_sd^2 + d_sd^2) / n), Welch-Satterthwaite df) when the
    D runs differ;
each count the smallest n >= 2 that reaches its target, found by counting up from 2, and the
half-width and power that count gives. The numbers must agree to 1e-9 relative, the counts
exactly. Exits 1 listing each difference.
"""
import json
import sys
from collections import defaultdict
from pathlib import Path

import h5py
import numpy as np
from scipy import stats


def read_runs(sweep):
    """{group_id: {"nd": [(run_id, accuracy, logits bytes)], "d": [...]}} of the complete runs."""
    groups = defaultdict(lambda: {"nd": [], "d": []})
    for path in sorted((sweep / "runs").glob("*.h5")):
        with h5py.File(path, "r") as f:
            if f.attrs.get("status") != "complete":
                continue
            logits = f["eval/logits"][()]
            labels = f["eval/labels"][()]
            accuracy = float(np.mean(np.argmax(logits, axis=1) == labels))
            groups[f.attrs["group_id"]][f.attrs["mode"]].append(
                (f.attrs["run_id"], accuracy, logits.tobytes()))
    return groups


def sd_pp(values):
    if len(values) < 2:
        return None
    if all(v == values[0] for v in values):
        return 0.0
    return 100 * float(np.std(values, ddof=1))


def halfwidth(s, n, alpha):
    k = n - 1
    return s * (np.sqrt(k / stats.chi2.ppf(alpha / 2, k))
                - np.sqrt(k / stats.chi2.ppf(1 - alpha / 2, k))) / 2


def power(diff, nd_sd, d_sd, n, alpha):
    a, b = nd_sd ** 2, d_sd ** 2
    if a + b == 0:
        return 1.0
    ncp = diff / np.sqrt((a + b) / n)
    df = (n - 1) * (a + b) ** 2 / (a * a + b * b)
    critical = stats.t.ppf(1 - alpha / 2, df)
    # scipy 1.10's nct warns of a division by zero inside Boost for df < 4 yet returns the right
    # values (they equal the integral of nct.pdf to 1e-15): the warnings are silenced.
    with np.errstate(divide="ignore", invalid="ignore"):
        return stats.nct.sf(critical, df, ncp) + stats.nct.cdf(-critical, df, ncp)


def smallest_n(enough, limit=100000):
    n = 2
    while not enough(n):
        n += 1
        if n > limit:
            return None
    return n


def close(a, b):
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b)) or abs(a - b) <= 1e-12


def main():
    sweep, result_path = Path(sys.argv[1]), Path(sys.argv[2])
    result = json.loads(result_path.read_text())
    targets = result["targets"]
    alpha = targets["alpha"]
    runs = read_runs(sweep)
    errors = []
    if sorted(g["group_id"] for g in result["groups"]) != sorted(runs):
        errors.append(f"groups: {sorted(runs)} in the run files")
    for group in result["groups"]:
        gid, found = group["group_id"], runs.get(group["group_id"], {"nd": [], "d": []})
        nd = [acc for _, acc, _ in sorted(found["nd"])]
        d = [acc for _, acc, _ in sorted(found["d"])]
        over = "nd" if len(nd) >= 2 or len(d) < 2 else "d"
        sd = sd_pp(nd if over == "nd" else d)
        expected = {"sd_over": over, "sd_runs": len(nd if over == "nd" else d), "acc_sd_pp": sd,
                    "n_nd": len(nd), "n_d": len(d), "nd_sd_pp": sd_pp(nd)}
        if sd is not None:
            expected["acc_sd_ci_halfwidth_pp"] = float(halfwidth(sd, expected["sd_runs"], alpha))
            n = smallest_n(lambda n: halfwidth(sd, n, alpha) <= targets["sd_halfwidth_pp"])
            expected["replicas_for_sd_halfwidth"] = n
            expected["sd_ci_halfwidth_at_replicas_pp"] = float(halfwidth(sd, n, alpha))
        else:
            for key in ("acc_sd_ci_halfwidth_pp", "replicas_for_sd_halfwidth",
                        "sd_ci_halfwidth_at_replicas_pp"):
                expected[key] = None
        nd_sd = expected["nd_sd_pp"]
        if nd_sd is None or not d:
            expected.update({"test": None, "d_sd_pp": None, "replicas_for_difference": None,
                             "power_at_replicas": None})
        else:
            # D is one value when there is one D run or the D runs are the same run (equal logits).
            one_value = len({logits for _, _, logits in found["d"]}) == 1
            expected["test"] = "one-sample" if one_value else "welch"
            d_sd = 0.0 if one_value else sd_pp(d)
            expected["d_sd_pp"] = d_sd
            n = smallest_n(
                lambda n: power(targets["difference_pp"], nd_sd, d_sd, n, alpha) >= targets["power"])
            expected["replicas_for_difference"] = n
            expected["power_at_replicas"] = float(power(targets["difference_pp"], nd_sd, d_sd, n, alpha))
        for key, want in expected.items():
            got = group[key]
            same = close(got, want) if isinstance(want, float) else got == want
            if not same:
                errors.append(f"group {group['group']} ({gid}) {key}: sweep power says {got}, "
                              f"scipy {want}")
    if errors:
        print("\n".join(errors))
        return 1
    print(f"{len(result['groups'])} groups: every replica count agrees with scipy")
    return 0


if __name__ == "__main__":
    sys.exit(main())
