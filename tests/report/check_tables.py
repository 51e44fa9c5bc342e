#!/usr/bin/python3
"""Checks the numbers of SWEEP_DIR/results/*.{md,csv,tex} against summary.json.

Usage: check_tables.py SWEEP_DIR

Every row of the ND-vs-D, stability, overhead, significance, TTA, environment and portability
tables must show summary.json's values as docs/statistics.md says they are rounded (percent with
two decimals, ...; "-" for null), the .md and .tex forms must hold the same cells as the .csv,
and no file of results/ may print a negative zero ("-0.00"). Exits 1 listing each difference.
Uses no project code.
"""
import csv
import io
import json
import re
import sys
from pathlib import Path

UNDEFINED = "-"


# ---- how a value reads in a cell (docs/statistics.md) -----------------------------------

def fixed(value, decimals):
    if value is None:
        return UNDEFINED
    text = f"{value:.{decimals}f}"
    return text[1:] if re.fullmatch(r"-[0.]+", text) else text  # no negative zero


def signed(value, decimals):
    text = fixed(value, decimals)
    if text == UNDEFINED or text.startswith("-") or re.fullmatch(r"[0.]+", text):
        return text
    return "+" + text


def percent(value):
    return UNDEFINED if value is None else fixed(100 * value, 2)


def interval(ci):
    return UNDEFINED if ci is None else f"[{fixed(100 * ci[0], 2)}, {fixed(100 * ci[1], 2)}]"


def p_cell(p):
    if p is None:
        return UNDEFINED
    if p == 0:
        return "0"
    return f"{p:.1e}" if p < 0.001 else f"{p:.3f}"


def det_cell(d_identical):
    return UNDEFINED if d_identical is None else "ok" if d_identical else "FAILED"


def last_cosine(group):
    means = group["cosine_last_layer"]["mean"]
    return means[-1] if means else None


# ---- expected cells per table, by column name ---------------------------------------------

def nd_vs_d_cells(g):
    return {"n_nd": str(g["n_nd"]), "n_d": str(g["n_d"]), "nd_mean": percent(g["nd_mean"]),
            "nd_sd": percent(g["nd_sd"]), "d": percent(g["d_value"]), "d_sd": percent(g["d_sd"]),
            "delta%": signed(g["delta_pct"], 2), "dS": fixed(g["delta_s"], 2),
            "test": g["test"] or UNDEFINED, "t": fixed(g["t_stat"], 2),
            "df": fixed(g["t_df"], 1 if g["test"] == "welch" else 0), "p": p_cell(g["p_value"]),
            "time D/ND": fixed(g["overhead_train"], 2), "det": det_cell(g["d_identical"])}


def stability_cells(g, metric):
    cells = {"over": g["stability_over"], "n": str(g["stability_n"]),
             "acc_sd%": percent(g["acc_sd"]), "acc_sd 95% CI": interval(g["acc_sd_ci95"]),
             f"{metric}_sd%": percent(g["metric_sd"]),
             f"{metric}_sd 95% CI": interval(g["metric_sd_ci95"]),
             "ce_sd": fixed(g["ce_sd"], 4), "disagree%": fixed(g["disagreement_pct"], 2),
             "corr": fixed(g["correlation"], 4), "ens_gain pp": signed(g["ensemble_delta_pct"], 2),
             "l2_norm": fixed(g["l2_normalized"], 4), "cos_last": fixed(last_cosine(g), 4),
             "class_sd x": fixed(g["per_class_sd_ratio"], 1)}
    return cells


def overhead_cells(g):
    reliable = g["overhead_reliable"]
    return {"n_nd": str(g["n_nd"]), "n_d": str(g["n_d"]), "ND train s": fixed(g["nd_train_s"], 2),
            "ND sd": fixed(g["nd_train_s_sd"], 2), "D sd": fixed(g["d_train_s_sd"], 2),
            "timed": UNDEFINED if reliable is None else "ok" if reliable else "too short",
            "D train s": fixed(g["d_train_s"], 2), "train D/ND": fixed(g["overhead_train"], 2),
            "train (ND-D)/D %": signed(g["overhead_train_pct"], 1),
            "ND GPU s": fixed(g["nd_gpu_s"], 2), "D GPU s": fixed(g["d_gpu_s"], 2),
            "GPU D/ND": fixed(g["overhead_gpu"], 2),
            "GPU (ND-D)/D %": signed(g["overhead_gpu_pct"], 1)}


TTA_PLAIN_TTA = {
    "acc_sd": lambda v: percent(v), "ce_sd": lambda v: fixed(v, 4),
    "disagreement_pct": lambda v: fixed(v, 2), "ensemble_delta_pct": lambda v: signed(v, 2),
    "correlation_one_minus_corr": lambda v: fixed(v, 4),
    "correlation_corr_change": lambda v: fixed(v, 4)}


def tta_rows(g, formulas):
    """The rows of one group in tta.csv after the group columns, keyed by measure."""
    rows = {}
    reductions = dict(g["tta_reduction_pct"])
    reductions["mean_one_minus_corr"] = g["tta_reduction_mean_pct_one_minus_corr"]
    reductions["mean_corr_change"] = g["tta_reduction_mean_pct_corr_change"]
    for key, pct in reductions.items():
        measure = "correlation" if key.startswith("correlation") else key
        plain = tta = ""
        if key in TTA_PLAIN_TTA:
            plain = TTA_PLAIN_TTA[key](g["tta_plain_" + measure])
            tta = TTA_PLAIN_TTA[key](g["tta_" + measure])
        rows[key] = {"over": g["stability_over"], "n": str(g["tta_n"]),
                     "acc% plain": percent(g["tta_plain_acc_mean"]),
                     "acc% TTA": percent(g["tta_acc_mean"]), "measure": key, "plain": plain,
                     "TTA": tta, "reduction%": signed(pct, 1), "formula": formulas[key]}
    return rows


def env_rows(g):
    rows = []
    for e in g["environments"]:
        rows.append({"over": g["stability_over"], "environment": e["label"], "n": str(e["n"]),
                     "mean%": percent(e["mean"]),
                     "sd%": percent(e["sd"]), "min%": percent(e["min"]),
                     "max%": percent(e["max"]),
                     "range pp (means)": fixed(None if g["env_range"] is None
                                               else 100 * g["env_range"], 2),
                     "range pp (runs)": fixed(None if g["env_range_runs"] is None
                                              else 100 * g["env_range_runs"], 2)})
    return rows


def scientific(value):
    if value is None:
        return UNDEFINED
    return "0" if value == 0 else f"{value:.2e}"


def portability_rows(g):
    """{(run A, run B): cells} of the group's portability pairs."""
    rows = {}
    for p in g["portability"]["pairs"]:
        rows[tuple(p["run_ids"])] = {
            "environment A": p["labels"][0], "environment B": p["labels"][1],
            "init seed": str(p["seeds"]["init"]),
            "weights identical": "yes" if p["weights_identical"] else "no",
            "logits identical": "yes" if p["logits_identical"] else "no",
            "rel L2 weights": scientific(p["rel_l2_weights"]),
            "disagreement%": fixed(p["disagreement_pct"], 2)}
    return rows


def significance_cells(row):
    return {"groups": str(row["n_groups"]), "tested": str(row["n_tested"]),
            "one-sample": str(row["n_one_sample"]), "welch": str(row["n_welch"]),
            "p<=0.05": str(row["n_significant"]),
            "mean |delta%| significant": fixed(row["mean_abs_delta_pct_significant"], 2),
            "mean |delta%| all": fixed(row["mean_abs_delta_pct_all"], 2)}


# ---- reading the three forms ---------------------------------------------------------------

def read_csv(path):
    rows = list(csv.reader(io.StringIO(path.read_text(), newline="")))
    return rows[0], rows[1:]


def read_markdown(path):
    """The pipe table's header and rows ("\\|" inside a cell is a literal bar)."""
    lines = [l for l in path.read_text().splitlines() if l.startswith("|")]

    def cells(line):
        parts = re.split(r"(?<!\\)\|", line)[1:-1]
        return [p.strip().replace("\\|", "|") for p in parts]

    return cells(lines[0]), [cells(l) for l in lines[2:]]


LATEX_UNESCAPE = [(r"\textbackslash{}", "\\"), (r"\textasciitilde{}", "~"),
                  (r"\textasciicircum{}", "^")] + [("\\" + c, c) for c in "&%$#_{}"]


def read_latex(path):
    text = path.read_text()
    body = text[text.index("\\toprule\n") + len("\\toprule\n"):text.index("\\bottomrule")]
    rows = []
    for line in body.splitlines():
        if line == "\\midrule" or not line.endswith(" \\\\"):
            continue
        cells = re.split(r"(?<!\\) & ", line[:-3])
        for i, cell in enumerate(cells):
            for escaped, plain in LATEX_UNESCAPE:
                cell = cell.replace(escaped, plain)
            cells[i] = cell
        rows.append(cells)
    return rows[0], rows[1:]


# ---- checking ----------------------------------------------------------------------------

def check_table(results, name, expected_rows, key_columns, problems):
    """expected_rows: {key: {column: cell}}, the key being the row's cells in key_columns."""
    path = results / f"{name}.csv"
    if not path.exists():
        if expected_rows:
            problems.append(f"{name}.csv: missing")
        return
    header, rows = read_csv(path)
    for form, reader in (("md", read_markdown), ("tex", read_latex)):
        other = reader(results / f"{name}.{form}")
        if other != (header, rows):
            problems.append(f"{name}.{form}: cells differ from {name}.csv")
    seen = set()
    for row in rows:
        cells = dict(zip(header, row))
        key = tuple(cells[c] for c in key_columns)
        seen.add(key)
        if key not in expected_rows:
            problems.append(f"{name}.csv: unexpected row {key}")
            continue
        for column, want in expected_rows[key].items():
            if column not in cells:
                continue  # a column this table leaves out
            if cells[column] != want:
                problems.append(f"{name}.csv row {key} column {column!r}: "
                                f"expected {want!r}, got {cells[column]!r}")
    for key in set(expected_rows) - seen:
        problems.append(f"{name}.csv: no row {key}")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    results = Path(sys.argv[1]) / "results"
    summary = json.loads((results / "summary.json").read_text())
    metric = summary["metric"]
    groups = summary["groups"]
    problems = []

    def by_group(cells_of):
        return {(str(i + 1), g["group_id"]): cells_of(g) for i, g in enumerate(groups)}

    check_table(results, "nd_vs_d", by_group(nd_vs_d_cells), ("#", "group_id"), problems)
    check_table(results, "stability", by_group(lambda g: stability_cells(g, metric)),
                ("#", "group_id"), problems)
    check_table(results, "overhead", by_group(overhead_cells), ("#", "group_id"), problems)
    check_table(results, "significance",
                {(r["dataset"] or UNDEFINED, r["optimizer"] or UNDEFINED): significance_cells(r)
                 for r in summary["by_dataset_optimizer"]},
                ("dataset", "optimizer"), problems)
    formulas = summary["formulas"]["tta_reduction_formulas"]
    tta = {}
    for i, g in enumerate(groups):
        if g["tta_n"] > 0:
            for key, cells in tta_rows(g, formulas).items():
                tta[(str(i + 1), g["group_id"], key)] = cells
    check_table(results, "tta", tta, ("#", "group_id", "measure"), problems)
    env = {}
    for i, g in enumerate(groups):
        if len(g["environments"]) > 1:
            for e, cells in zip(g["environments"], env_rows(g)):
                env[(str(i + 1), g["group_id"], e["label"])] = cells
    check_table(results, "env", env, ("#", "group_id", "environment"), problems)
    portability = {}
    for i, g in enumerate(groups):
        for runs, cells in portability_rows(g).items():
            portability[(str(i + 1), g["group_id"]) + runs] = cells
    check_table(results, "portability", portability, ("#", "group_id", "run A", "run B"), problems)

    negative_zero = re.compile(r"(?<![\w.])-0(\.0+)?(?![\d.])")
    for path in sorted(results.iterdir()):
        if path.suffix in (".md", ".csv", ".tex", ".html"):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if negative_zero.search(line):
                    problems.append(f"{path.name}:{number}: a negative zero: {line.strip()[:120]}")

    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(f"tables agree with summary.json: {len(groups)} groups, metric {metric}")


if __name__ == "__main__":
    main()
