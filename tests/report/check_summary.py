#!/usr/bin/python3
"""Recomputes every number of SWEEP_DIR/results/summary.json from the sweep's run files.

Usage: check_summary.py SWEEP_DIR

An independent check of `sweep collect`: it uses no project code, only h5py, numpy, scipy
(scipy.stats.ttest_1samp and ttest_ind(equal_var=False) for t and p) and scikit-learn (the
metrics other than accuracy), and the definitions of docs/statistics.md and docs/energy.md. The
metric compared is the one summary.json names. Every number must agree to 1e-9 relative (1e-12 absolute near zero); every
other value exactly; CO2 must be kWh x PUE x carbon intensity exactly, with the factors echoed;
and every group holding a null must have a note. Exits 1 listing each difference.

The sweep must have been collected with `--pue 1.25 --region DE` and no site file, as
make_fixture_sweep does. What each run's energy counts for is recomputed by
tests/energy/check_energy.py's reading of docs/energy.md, so that `sweep collect` is held to the
same numbers as `sweep energy`.
"""
import json
import math
import os
import sys
from pathlib import Path

import h5py
import numpy as np
from scipy import special, stats
from sklearn import metrics as sk_metrics

# What a run's energy counts for (docs/energy.md), as the check of `sweep energy` recomputes it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "energy"))
from check_energy import expected_groups  # noqa: E402

SCHEMA = "reprosweep-run/1"
BOOTSTRAP_SEED = 20240607
BOOTSTRAP_RESAMPLES = 2000
SIGNIFICANCE_LEVEL = 0.05
J_PER_KWH = 3.6e6
# make_fixture_sweep's site factors; DE's intensity is Our World in Data's 2023 value.
PUE = {"value": 1.25, "source": "--pue"}
INTENSITY = {"value": 0.381,
             "source": "--region DE: Germany 2023 (Our World in Data: Ember, Energy Institute)"}
MASK64 = (1 << 64) - 1
TTA_MEASURES = ("acc_sd", "ce_sd", "disagreement_pct", "correlation", "ensemble_delta_pct")


# ---- reading the sweep -------------------------------------------------------------------

def read_plan(sweep):
    path = sweep / "plan.jsonl"
    if not path.exists():
        return None
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def environment(env):
    """(name, device, driver, CUDA, cuDNN, torch); name = the grid's environment (/env
    environment, absent without one), device = gpu_name, or cpu_model without a GPU."""
    return (env.get("environment", ""), env["gpu_name"] or env["cpu_model"], env["driver_version"],
            env["cuda_version"], env["cudnn_version"], env["torch_version"])


def environment_label(key):
    """As the tables show an environment: "name: device, driver ..., torch ..."."""
    parts = [key[1]] + [f"{name} {value}" for name, value in
                        zip(("driver", "CUDA", "cuDNN", "torch"), key[2:]) if value]
    label = ", ".join(p for p in parts if p) or "unknown"
    return f"{key[0]}: {label}" if key[0] else label


def metric_value(metric, logits, labels):
    """The metric of one model, as scikit-learn computes it (None: undefined for this run)."""
    predicted = np.argmax(logits, axis=1)
    if metric == "accuracy":
        return float(np.mean(predicted == labels))
    if metric == "macro_f1":
        return float(sk_metrics.f1_score(labels, predicted, average="macro"))
    if metric == "balanced_accuracy":
        return float(sk_metrics.balanced_accuracy_score(labels, predicted))
    if metric == "auc":
        if logits.shape[1] != 2 or len(set(labels.tolist())) != 2:
            return None
        return float(sk_metrics.roc_auc_score(
            labels, special.softmax(logits.astype(np.float64), axis=1)[:, 1]))
    raise ValueError(metric)


def read_run(path, metric):
    """The run's fields, or a string saying why it is unusable."""
    try:
        f = h5py.File(path, "r")
    except OSError:
        return "not HDF5"
    with f:
        if f.attrs.get("schema") != SCHEMA or f.attrs.get("status") != "complete":
            return "wrong schema or not complete"
        run = {
            "run_id": f.attrs["run_id"], "group_id": f.attrs["group_id"],
            "sweep": f.attrs["sweep_name"], "mode": f.attrs["mode"],
            "replica": int(f.attrs["replica"]), "params": json.loads(f.attrs["params_json"]),
            "seeds": tuple(int(f["seeds"].attrs[k])
                           for k in ("init", "shuffle", "augment", "dropout", "bitflip")),
            "logits": f["eval/logits"][()], "labels": f["eval/labels"][()],
            "logits_tta": f["eval/logits_tta"][()] if "logits_tta" in f["eval"] else None,
            "groups": f["eval/groups"][()] if "groups" in f["eval"] else None,
            "weights": f["weights/flat"][()], "last_layer": f["weights/last_layer"][()],
            "environment": environment(f["env"].attrs),
            "train_s": float(f["timing"].attrs["train_s"]),
            "gpu_s": float(f["timing"].attrs["gpu_s"]),
            "env": dict(f["env"].attrs),
            "settings": dict(f["settings"].attrs) if "settings" in f else {},
            "wall_s": float(f["timing"].attrs["wall_s"]),
            "gpu_j": float(f["energy"].attrs["gpu_j"]),
            "cpu_j": float(f["energy"].attrs["cpu_j"]),
            "method": f["energy"].attrs["method"],
        }
    if run["mode"] not in ("nd", "d"):
        return "bad mode"
    n_test, n_classes = run["logits"].shape
    if n_test == 0 or run["labels"].min() < 0 or run["labels"].max() >= n_classes:
        return "bad eval"
    for key in ("logits", "logits_tta", "weights", "last_layer"):
        if run[key] is not None and not np.all(np.isfinite(run[key])):
            return "non-finite " + key
    for key in ("train_s", "gpu_s", "wall_s", "gpu_j", "cpu_j"):
        if not math.isfinite(run[key]):
            return "non-finite " + key
    run["value"] = metric_value(metric, run["logits"], run["labels"])
    if run["value"] is None:
        return "metric undefined"
    logits = run["logits"].astype(np.float64)
    run["predicted"] = np.argmax(run["logits"], axis=1)  # first index on ties
    run["accuracy"] = float(np.mean(run["predicted"] == run["labels"]))
    run["cross_entropy"] = float(np.mean(
        special.logsumexp(logits, axis=1) - logits[np.arange(n_test), run["labels"]]))
    run["tta_accuracy"] = None
    if run["logits_tta"] is not None:
        tta = run["logits_tta"].astype(np.float64)
        run["tta_predicted"] = np.argmax(run["logits_tta"], axis=1)
        run["tta_accuracy"] = float(np.mean(run["tta_predicted"] == run["labels"]))
        run["tta_cross_entropy"] = float(np.mean(
            special.logsumexp(tta, axis=1) - tta[np.arange(n_test), run["labels"]]))
    return run


# ---- statistics, straight from the definitions ------------------------------------------

def mean(values):
    if not len(values):
        return None
    if all(v == values[0] for v in values):
        return values[0]  # equal values: that value exactly (documented rule)
    return float(np.mean(values))


def sample_sd(values):
    if len(values) < 2:
        return None
    if all(v == values[0] for v in values):
        return 0.0  # equal values: exactly 0 (documented rule)
    return float(np.std(values, ddof=1))


def splitmix64_at(seed, counter):
    z = (seed + (counter + 1) * 0x9E3779B97F4A7C15) & MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


def bootstrap_sd_ci95(values):
    n = len(values)
    if n < 2:
        return None
    sds = []
    for b in range(BOOTSTRAP_RESAMPLES):
        resample = [values[splitmix64_at(BOOTSTRAP_SEED, b * n + k) % n] for k in range(n)]
        sds.append(sample_sd(resample))
    return [float(np.percentile(sds, 2.5)), float(np.percentile(sds, 97.5))]


def t_test(x, y, d_runs):
    """(test, t, df, p) of ND values x against D values y: one-sample when the D runs are one
    run (byte-identical logits), Welch's test when they differ."""
    if len(x) < 2 or not y:
        return None, None, None, None
    same_run = all(r["logits"].tobytes() == d_runs[0]["logits"].tobytes() for r in d_runs)
    no_spread = sample_sd(x) == 0 and (len(y) < 2 or sample_sd(y) == 0)
    if same_run:
        d = y[0]
        if no_spread:
            return ("one-sample", 0.0, len(x) - 1, 1.0) if x[0] == d else \
                ("one-sample", None, len(x) - 1, 0.0)
        result = stats.ttest_1samp(x, d)
        return "one-sample", float(result.statistic), len(x) - 1, float(result.pvalue)
    if no_spread:
        return ("welch", 0.0, None, 1.0) if x[0] == y[0] else ("welch", None, None, 0.0)
    result = stats.ttest_ind(x, y, equal_var=False)
    vx, vy = np.var(x, ddof=1) / len(x), np.var(y, ddof=1) / len(y)
    df = (vx + vy) ** 2 / (vx ** 2 / (len(x) - 1) + vy ** 2 / (len(y) - 1))
    return "welch", float(result.statistic), float(df), float(result.pvalue)


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def sd_across(values):
    return None if any(v is None for v in values) else sample_sd(values)


def binary_rates(predicted, labels):
    tp = np.sum((predicted == 1) & (labels == 1))
    fp = np.sum((predicted == 1) & (labels != 1))
    tn = np.sum((predicted != 1) & (labels != 1))
    fn = np.sum((predicted != 1) & (labels == 1))
    fpr = fp / (fp + tn) if fp + tn else None
    fnr = fn / (fn + tp) if fn + tp else None
    return fpr, fnr


def class_spread(runs):
    n_classes = runs[0]["logits"].shape[1]
    labels = runs[0]["labels"]
    acc_sd = sample_sd([r["accuracy"] for r in runs])
    per_class = []
    for c in range(n_classes):
        mask = labels == c
        per_class.append(None if not mask.any() else
                         sample_sd([float(np.mean(r["predicted"][mask] == c)) for r in runs]))
    defined = [sd for sd in per_class if sd is not None]
    spread = {"per_class_acc_sd": per_class,
              "per_class_sd_ratio": ratio(max(defined) if defined else None, acc_sd),
              "subgroups": []}
    groups = runs[0]["groups"]
    if groups is None or any(r["groups"] is None or not np.array_equal(r["groups"], groups)
                             for r in runs):
        return spread
    binary = n_classes == 2
    overall = [binary_rates(r["predicted"], labels) for r in runs]
    overall_fpr_sd = sd_across([o[0] for o in overall]) if binary else None
    overall_fnr_sd = sd_across([o[1] for o in overall]) if binary else None
    for g in sorted(set(groups.tolist())):
        mask = groups == g
        sub_acc_sd = sample_sd([float(np.mean(r["predicted"][mask] == labels[mask])) for r in runs])
        rates = [binary_rates(r["predicted"][mask], labels[mask]) for r in runs]
        fpr_sd = sd_across([x[0] for x in rates]) if binary else None
        fnr_sd = sd_across([x[1] for x in rates]) if binary else None
        spread["subgroups"].append({
            "subgroup": g, "n_samples": int(mask.sum()),
            "acc_sd": sub_acc_sd, "acc_sd_ratio": ratio(sub_acc_sd, acc_sd),
            "fpr_sd": fpr_sd, "fpr_sd_ratio": ratio(fpr_sd, overall_fpr_sd),
            "fnr_sd": fnr_sd, "fnr_sd_ratio": ratio(fnr_sd, overall_fnr_sd)})
    return spread


def unit(v):
    v = v.astype(np.float64)
    norm = np.linalg.norm(v)
    return None if norm == 0 else v / norm


def prediction_spread(models):
    """Seed 002's five measures of models {logits, predicted, labels, accuracy, cross_entropy}."""
    out = {k: None for k in TTA_MEASURES}
    if len(models) < 2:
        return out, False
    out["acc_sd"] = sample_sd([m["accuracy"] for m in models])
    out["ce_sd"] = sample_sd([m["cross_entropy"] for m in models])
    same_test_set = all(m["logits"].shape[1] == models[0]["logits"].shape[1] and
                        np.array_equal(m["labels"], models[0]["labels"]) for m in models)
    if not same_test_set:
        return out, False
    pairs = [(a, b) for i, a in enumerate(models) for b in models[i + 1:]]
    out["disagreement_pct"] = 100 * mean(
        [float(np.mean(a["predicted"] != b["predicted"])) for a, b in pairs])
    gains = []
    for a, b in pairs:
        averaged = (a["logits"].astype(np.float64) + b["logits"].astype(np.float64)) / 2
        ensemble = float(np.mean(np.argmax(averaged, axis=1) == a["labels"]))
        gains.append(ensemble - (a["accuracy"] + b["accuracy"]) / 2)
    out["ensemble_delta_pct"] = 100 * mean(gains)
    flat = [(a["logits"].ravel().astype(np.float64), b["logits"].ravel().astype(np.float64))
            for a, b in pairs]
    if all(np.std(x) > 0 and np.std(y) > 0 for x, y in flat):
        out["correlation"] = mean([float(np.corrcoef(x, y)[0, 1]) for x, y in flat])
    return out, True


def plain_model(run):
    return {k: run[k] for k in ("logits", "predicted", "labels", "accuracy", "cross_entropy")}


def tta_model(run):
    return {"logits": run["logits_tta"], "predicted": run["tta_predicted"],
            "labels": run["labels"], "accuracy": run["tta_accuracy"],
            "cross_entropy": run["tta_cross_entropy"]}


def stability(runs):
    out = {"stability_n": len(runs)}
    null_fields = ["acc_sd", "acc_sd_ci95", "ce_sd", "ce_sd_ci95", "disagreement_pct",
                   "correlation", "ensemble_delta_pct", "l2_normalized", "per_class_sd_ratio",
                   "metric_sd", "metric_sd_ci95"]
    out.update({k: None for k in null_fields})
    out.update({"cosine_last_layer": {"epoch": [], "max": [], "min": [], "mean": []},
                "per_class_acc_sd": [], "subgroups": []})
    if len(runs) < 2:
        return out
    accuracies = [r["accuracy"] for r in runs]
    cross_entropies = [r["cross_entropy"] for r in runs]
    values = [r["value"] for r in runs]
    spread, same_test_set = prediction_spread([plain_model(r) for r in runs])
    out.update(spread)
    out.update({"acc_sd_ci95": bootstrap_sd_ci95(accuracies),
                "ce_sd_ci95": bootstrap_sd_ci95(cross_entropies),
                "metric_sd": sample_sd(values), "metric_sd_ci95": bootstrap_sd_ci95(values)})
    pairs = [(a, b) for i, a in enumerate(runs) for b in runs[i + 1:]]
    if same_test_set:
        out.update(class_spread(runs))
    if all(len(r["weights"]) == len(runs[0]["weights"]) for r in runs):
        units = [(unit(a["weights"]), unit(b["weights"])) for a, b in pairs]
        if all(x is not None and y is not None for x, y in units):
            out["l2_normalized"] = float(np.mean([np.linalg.norm(x - y) for x, y in units]))
    if all(r["last_layer"].shape == runs[0]["last_layer"].shape for r in runs):
        cosine = out["cosine_last_layer"]
        for e in range(runs[0]["last_layer"].shape[0]):
            values = []
            for a, b in pairs:
                x, y = unit(a["last_layer"][e]), unit(b["last_layer"][e])
                values.append(None if x is None or y is None else float(np.dot(x, y)))
            defined = None not in values
            cosine["epoch"].append(e)
            cosine["max"].append(max(values) if defined else None)
            cosine["min"].append(min(values) if defined else None)
            cosine["mean"].append(float(np.mean(values)) if defined else None)
    return out


def environments(runs):
    by_environment = {}
    for r in runs:
        by_environment.setdefault(r["environment"], []).append(r)
    out = []
    for key in sorted(by_environment):
        members = by_environment[key]
        accuracies = [r["accuracy"] for r in members]
        out.append({
            "name": key[0], "label": environment_label(key),
            "device": key[1], "driver_version": key[2], "cuda_version": key[3],
            "cudnn_version": key[4], "torch_version": key[5],
            "run_ids": [r["run_id"] for r in members], "n": len(members),
            "mean": mean(accuracies), "sd": sample_sd(accuracies),
            "min": min(accuracies), "max": max(accuracies)})
    means = [e["mean"] for e in out]
    accuracies = [r["accuracy"] for r in runs]
    several = len(means) >= 2
    return {"environments": out,
            "env_range": max(means) - min(means) if several else None,
            "env_range_runs": max(accuracies) - min(accuracies) if several else None}


def reduction(without, with_):
    return None if without is None or with_ is None or without == 0 else \
        100 * (1 - with_ / without)


def tta(runs):
    """Seed 002's five measures without and with TTA over the runs that have TTA logits, the
    reduction of each and their two averages (correlation as 1 - corr, as relative change)."""
    with_tta = [r for r in runs if r["tta_accuracy"] is not None]
    plain = [r["accuracy"] for r in with_tta]
    augmented = [r["tta_accuracy"] for r in with_tta]
    plain_spread, _ = prediction_spread([plain_model(r) for r in with_tta])
    tta_spread, _ = prediction_spread([tta_model(r) for r in with_tta])
    out = {"tta_n": len(with_tta), "tta_run_ids": [r["run_id"] for r in with_tta],
           "tta_accuracies": augmented, "tta_plain_acc_mean": mean(plain),
           "tta_acc_mean": mean(augmented)}
    for key in TTA_MEASURES:
        out["tta_plain_" + key] = plain_spread[key]
        out["tta_" + key] = tta_spread[key]
    c0, c1 = plain_spread["correlation"], tta_spread["correlation"]
    reductions = {key: reduction(plain_spread[key], tta_spread[key])
                  for key in ("acc_sd", "ce_sd", "disagreement_pct")}
    reductions["correlation_one_minus_corr"] = (
        None if c0 is None or c1 is None else reduction(1 - c0, 1 - c1))
    reductions["correlation_corr_change"] = (
        None if c0 is None or c1 is None or c0 == 0 else 100 * (c1 - c0) / c0)
    reductions["ensemble_delta_pct"] = reduction(plain_spread["ensemble_delta_pct"],
                                                 tta_spread["ensemble_delta_pct"])
    out["tta_reduction_pct"] = reductions

    def average(correlation_key):
        keys = ["acc_sd", "ce_sd", "disagreement_pct", correlation_key, "ensemble_delta_pct"]
        values = [reductions[k] for k in keys]
        return None if None in values else mean(values)

    out["tta_reduction_mean_pct_one_minus_corr"] = average("correlation_one_minus_corr")
    out["tta_reduction_mean_pct_corr_change"] = average("correlation_corr_change")
    return out


def devices(runs):
    """The runs by device (gpu_name, or cpu_model without a GPU), sorted as summary.json."""
    counts = {}
    for r in runs:
        gpu = bool(r["env"]["gpu_name"])
        key = (r["env"]["gpu_name"] if gpu else r["env"]["cpu_model"], gpu)
        counts[key] = counts.get(key, 0) + 1
    return [{"device": d, "gpu": gpu, "runs": n} for (d, gpu), n in sorted(counts.items())]


def group_numbers(numbers):
    """'#1-#3, #5' for 1 2 3 5, as the tables write group numbers."""
    parts, i = [], 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        parts.append(f"#{numbers[i]}" if i == j else f"#{numbers[i]}-#{numbers[j]}")
        i = j + 1
    return ", ".join(parts)


def cpu_note_groups(groups):
    """Numbers of the groups that ran on CPUs alone and whose ND values equal their D value."""
    numbers = []
    for i, g in enumerate(groups, 1):
        if g["cpu_only"] and g["n_nd"] and g["n_d"] and len(set(g["d_values"])) == 1 and \
                all(x == g["d_values"][0] for x in g["nd_values"]):
            numbers.append(i)
    return numbers


def co2_kg(kwh):
    return kwh * PUE["value"] * INTENSITY["value"]


def energy_totals(key, runs):
    """`sweep energy`'s totals of the runs, as check_energy.py recomputes them, with CO2."""
    totals = expected_groups(runs, lambda run: key)[key] if runs else {
        "runs": 0, "gpu_j": 0.0, "cpu_j": 0.0, "estimated_j": 0.0, "gpu_hours": 0.0, "methods": {}}
    totals["key"] = key
    totals["kwh"] = (totals["gpu_j"] + totals["cpu_j"]) / J_PER_KWH
    totals["co2_kg"] = co2_kg(totals["kwh"])
    totals["estimated_kwh"] = totals["estimated_j"] / J_PER_KWH
    totals["estimated_co2_kg"] = co2_kg(totals["estimated_kwh"])
    return totals


def portability(d_runs):
    """D runs with the same seeds in two environments: byte-identical, or how far apart."""
    by_seeds = {}
    for r in d_runs:
        by_seeds.setdefault(r["seeds"], {}).setdefault(r["environment"], r)  # first of each
    pairs = []
    for seeds in sorted(by_seeds):
        by_environment = by_seeds[seeds]
        keys = sorted(by_environment)
        for i, key_a in enumerate(keys):
            for key_b in keys[i + 1:]:
                a, b = by_environment[key_a], by_environment[key_b]
                wa, wb = a["weights"].astype(np.float64), b["weights"].astype(np.float64)
                weights_identical = a["weights"].tobytes() == b["weights"].tobytes()
                norm = max(np.linalg.norm(wa), np.linalg.norm(wb))
                rel = (0.0 if weights_identical else
                       float(np.linalg.norm(wa - wb) / norm) if len(wa) == len(wb) and norm > 0 else None)
                pairs.append({
                    "environments": [key_a[0], key_b[0]],
                    "labels": [environment_label(key_a), environment_label(key_b)],
                    "run_ids": [a["run_id"], b["run_id"]],
                    "seeds": dict(zip(("init", "shuffle", "augment", "dropout", "bitflip"), seeds)),
                    "weights_identical": weights_identical,
                    "logits_identical": a["logits"].tobytes() == b["logits"].tobytes(),
                    "rel_l2_weights": rel,
                    "disagreement_pct": 100 * float(np.mean(a["predicted"] != b["predicted"])),
                })
    identical = None
    if pairs:
        identical = all(p["weights_identical"] and p["logits_identical"] for p in pairs)
    return {"identical": identical, "pairs": pairs}


def broken_promises(promises, run):
    """What the run saw that its environment (sweep.json) did not promise."""
    problems = []
    promise = promises.get(run["env"].get("environment", ""))
    if promise is None:
        return problems
    for field, expected in sorted(promise.get("expect", {}).items()):
        seen = run["env"][field]
        if seen != expected:
            problems.append(f"{field}: expected {expected}, the run saw {seen or chr(34) * 2}")
    if promise.get("threads", 0) > 0:
        used = run["settings"].get("cpu_threads", "")
        if used != str(promise["threads"]):
            problems.append(f"threads: expected {promise['threads']}, the run used "
                            f"{used or 'an unknown number'} (/settings cpu_threads)")
    return problems


def group_summary(group_id, runs):
    runs = sorted(runs, key=lambda r: (r["mode"], r["replica"], r["run_id"]))
    nd = [r for r in runs if r["mode"] == "nd"]
    d = [r for r in runs if r["mode"] == "d"]
    x = [r["value"] for r in nd]
    y = [r["value"] for r in d]
    nd_mean, nd_sd, d_value = mean(x), sample_sd(x), mean(y)
    test, t, df, p = t_test(x, y, d)
    params = dict(runs[0]["params"])
    for key in ("mode", "replica", "seeds", "environment"):
        params.pop(key, None)

    def mean_time(mode_runs, key):
        if any(r[key] < 0 for r in runs):  # gpu_s = -1: not measured
            return None
        return mean([r[key] for r in mode_runs])

    def overhead(key):
        if not nd or not d:
            return None
        return ratio(mean_time(d, key), mean_time(nd, key))

    def overhead_pct(key):
        if not nd or not d or mean_time(nd, key) is None:
            return None
        nd_s, d_s = mean_time(nd, key), mean_time(d, key)
        return None if d_s == 0 else 100 * (nd_s - d_s) / d_s

    by_seeds = {}  # D runs with the same seeds in the same environment (name and /env)
    for r in d:
        by_seeds.setdefault((r["environment"], r["seeds"]), []).append(r)
    d_identical, differing = None, []
    for same_seeds in by_seeds.values():
        if len(same_seeds) < 2:
            continue
        first = same_seeds[0]
        identical = all(r["weights"].tobytes() == first["weights"].tobytes() and
                        r["logits"].tobytes() == first["logits"].tobytes() for r in same_seeds)
        d_identical = identical and (d_identical is not False)
        if not identical:
            differing += [r["run_id"] for r in same_seeds]

    stability_over = "d" if len(nd) < 2 and len(d) >= 2 else "nd"
    summary = {
        "group_id": group_id, "params": params,
        "nd_run_ids": [r["run_id"] for r in nd], "d_run_ids": [r["run_id"] for r in d],
        "nd_values": x, "d_values": y,
        "nd_accuracies": [r["accuracy"] for r in nd], "d_accuracies": [r["accuracy"] for r in d],
        "n_nd": len(nd), "n_d": len(d),
        "nd_mean": nd_mean, "nd_sd": nd_sd, "d_value": d_value, "d_sd": sample_sd(y),
        "delta_pct": (100 * (nd_mean - d_value) / d_value
                      if nd_mean is not None and d_value else None),
        "delta_s": 100 * (max(x) - min(x)) if len(x) >= 2 else None,
        "test": test, "t_stat": t, "t_df": df,
        "p_value": p, "significant": None if p is None else p <= SIGNIFICANCE_LEVEL,
        "nd_train_s": mean_time(nd, "train_s"), "d_train_s": mean_time(d, "train_s"),
        "nd_gpu_s": mean_time(nd, "gpu_s"), "d_gpu_s": mean_time(d, "gpu_s"),
        "overhead_train": overhead("train_s"), "overhead_gpu": overhead("gpu_s"),
        "overhead_train_pct": overhead_pct("train_s"), "overhead_gpu_pct": overhead_pct("gpu_s"),
        "nd_train_s_sd": sample_sd([r["train_s"] for r in nd]),
        "d_train_s_sd": sample_sd([r["train_s"] for r in d]),
        "overhead_reliable": (None if not nd or not d else
                              min(mean_time(nd, "train_s"), mean_time(d, "train_s")) >= 10),
        "devices": devices(runs), "cpu_only": not any(r["env"]["gpu_name"] for r in runs),
        "d_identical": d_identical, "determinism_failed": d_identical is False,
        "d_differing_run_ids": differing, "stability_over": stability_over,
        "energy": energy_totals(group_id, runs),
        "portability": portability(d),
    }
    stability_runs = d if stability_over == "d" else nd
    summary.update(stability(stability_runs))
    summary.update(tta(stability_runs))
    summary.update(environments(stability_runs))
    return summary


def dataset_optimizer_rows(groups):
    def text(params, key):
        value = params.get(key)
        if isinstance(value, dict) and isinstance(value.get("name"), str):
            return value["name"]
        return "" if value is None else value if isinstance(value, str) else json.dumps(value)

    rows = {}
    for g in groups:
        key = (text(g["params"], "dataset"), text(g["params"], "optimizer"))
        rows.setdefault(key, []).append(g)
    out = []
    for (dataset, optimizer), members in sorted(rows.items()):
        significant = [g for g in members if g["significant"]]
        out.append({
            "dataset": dataset, "optimizer": optimizer, "n_groups": len(members),
            "n_tested": sum(g["p_value"] is not None for g in members),
            "n_significant": len(significant),
            "n_one_sample": sum(g["p_value"] is not None and g["test"] == "one-sample"
                                for g in members),
            "n_welch": sum(g["p_value"] is not None and g["test"] == "welch" for g in members),
            "mean_abs_delta_pct_significant": mean(
                [abs(g["delta_pct"]) for g in significant if g["delta_pct"] is not None]),
            "mean_abs_delta_pct_all": mean(
                [abs(g["delta_pct"]) for g in members if g["delta_pct"] is not None])})
    return out


def expected_summary(sweep, metric):
    plan = read_plan(sweep)
    planned = {e["run_id"]: e for e in plan} if plan is not None else None
    runs_dir = sweep / "runs"
    names = sorted(os.listdir(runs_dir)) if runs_dir.is_dir() else []
    # <run_id>.h5.<host>-<pid>.partial: a run file being written (contract/layout.h)
    skipped = [str(runs_dir / n) for n in names if n.endswith(".partial") and ".h5." in n]
    by_group = {}
    for name in (n for n in names if n.endswith(".h5")):
        run = read_run(runs_dir / name, metric)
        if isinstance(run, dict) and run["run_id"] != name[:-3]:
            run = "run_id differs from file name"
        if isinstance(run, dict) and planned is not None:
            entry = planned.get(run["run_id"])
            if entry is None or entry["group_id"] != run["group_id"]:
                run = "not in plan"
        if isinstance(run, str):
            skipped.append(str(runs_dir / name))
        else:
            by_group.setdefault(run["group_id"], []).append(run)

    def first_index(group_id):
        if planned is None:
            return 0
        return min(planned[r["run_id"]]["index"] for r in by_group[group_id])

    order = sorted(sorted(by_group), key=first_index)
    sweep_json = sweep / "sweep.json"
    promises = {e["name"]: e for e in
                (json.loads(sweep_json.read_text()).get("environments", []) if sweep_json.exists() else [])}
    # In the order the collector reads them: group by group, each group's files by name.
    mismatches = []
    for g in order:
        for r in sorted(by_group[g], key=lambda r: r["run_id"]):
            problems = broken_promises(promises, r)
            if problems:
                mismatches.append({"run_id": r["run_id"], "environment": r["env"].get("environment", ""),
                                   "problems": problems})
    groups = [group_summary(g, by_group[g]) for g in order]
    used = {r["run_id"] for runs in by_group.values() for r in runs}
    counted_runs = [r for g in order for r in by_group[g]]
    first_run = next((runs[0] for runs in by_group.values()), None)
    sweep_name = (plan[0]["sweep"] if plan else first_run["sweep"] if first_run
                  else sweep.resolve().name)
    all_runs = [r for g in order for r in by_group[g]]
    return {
        "sweep": sweep_name,
        "metric": metric,
        "devices": devices(all_runs),
        "runs_planned": len(plan) if plan is not None else 0,
        "runs_read": len(used),
        "n_groups": len(groups),
        "determinism_failed": any(g["determinism_failed"] for g in groups),
        "determinism_failed_groups": [g["group_id"] for g in groups if g["determinism_failed"]],
        "environment_mismatches": mismatches,
        "missing": [e["run_id"] for e in plan if e["run_id"] not in used] if plan else [],
        "energy": {"pue": PUE, "carbon_intensity_kg_per_kwh": INTENSITY,
                   "total": energy_totals("all", counted_runs)},
        "bootstrap": {"resamples": BOOTSTRAP_RESAMPLES, "seed": BOOTSTRAP_SEED},
        "by_dataset_optimizer": dataset_optimizer_rows(groups),
        "groups": groups,
    }, sorted(skipped)


# ---- comparing -------------------------------------------------------------------------

def compare(expected, actual, where, problems, counter):
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            problems.append(f"{where}: expected an object, got {actual!r}")
            return
        for key, value in expected.items():
            if key not in actual:
                problems.append(f"{where}.{key}: missing")
            else:
                compare(value, actual[key], f"{where}.{key}", problems, counter)
        return
    if isinstance(expected, (list, tuple)):
        if not isinstance(actual, list) or len(actual) != len(expected):
            problems.append(f"{where}: expected {len(expected)} entries, got {actual!r}")
            return
        for i, (e, a) in enumerate(zip(expected, actual)):
            compare(e, a, f"{where}[{i}]", problems, counter)
        return
    is_number = isinstance(expected, (int, float, np.integer, np.floating)) and \
        not isinstance(expected, bool)
    if is_number and isinstance(actual, (int, float)) and not isinstance(actual, bool):
        counter[0] += 1
        e, a = float(expected), float(actual)
        if not math.isfinite(a) or abs(e - a) > 1e-9 * max(abs(e), abs(a)) + 1e-12:
            problems.append(f"{where}: expected {e!r}, got {a!r}")
        return
    if expected != actual:
        problems.append(f"{where}: expected {expected!r}, got {actual!r}")


def has_null(value):
    if value is None:
        return True
    if isinstance(value, dict):
        return any(has_null(v) for v in value.values())
    if isinstance(value, list):
        return any(has_null(v) for v in value)
    return False


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sweep = Path(sys.argv[1])
    actual = json.loads((sweep / "results" / "summary.json").read_text())
    metric = actual["metric"]
    if metric not in ("accuracy", "macro_f1", "balanced_accuracy", "auc"):
        sys.exit(f"summary.json names an unknown metric {metric!r}")
    expected, expected_skipped = expected_summary(sweep, metric)
    problems, counter = [], [0]

    compare(expected, actual, "summary", problems, counter)
    named = group_numbers(cpu_note_groups(actual["groups"]))
    if (actual["cpu_note"] is None) != (named == "") or named not in (actual["cpu_note"] or ""):
        problems.append(f"cpu_note is {actual['cpu_note']!r}; it should name groups {named!r}")
    actual_skipped = sorted(os.path.realpath(s["path_or_run_id"]) for s in actual["skipped"])
    expected_skipped = [os.path.realpath(p) for p in expected_skipped]
    if actual_skipped != expected_skipped:
        problems.append(f"skipped: expected {expected_skipped}, got {actual_skipped}")
    if actual["sd_convention"] != "sample SD, ddof = 1":
        problems.append("sd_convention is not stated as ddof = 1")
    for where, totals in [("energy.total", actual["energy"]["total"])] + \
            [(f"group {g['group_id']} energy", g["energy"]) for g in actual["groups"]]:
        if totals["co2_kg"] != co2_kg(totals["kwh"]) or \
                totals["estimated_co2_kg"] != co2_kg(totals["estimated_kwh"]):
            problems.append(f"{where}: CO2 is not kWh x PUE x carbon intensity exactly")
    for group in actual["groups"]:
        if has_null({k: v for k, v in group.items() if k != "notes"}) and not group["notes"]:
            problems.append(f"group {group['group_id']}: holds null values but no notes")
        extra = set(group) - set(expected["groups"][0]) - {"notes"}
        if extra:
            problems.append(f"group {group['group_id']}: fields not checked here: {sorted(extra)}")

    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(f"summary.json agrees with the run files: {counter[0]} numbers checked, "
          f"{len(actual['groups'])} groups, metric {metric}")


if __name__ == "__main__":
    main()
