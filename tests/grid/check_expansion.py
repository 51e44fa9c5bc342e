"""Independent expansion of grid files (docs/grid-file.md), compared with `sweep plan`.

For each grid file given, plans it with the real `sweep plan`, expands it again here from the
documented rules alone (no project code), and checks that both give the same runs in the same
order with the same seeds, that run ids are unique, that each configuration has one group id in
every environment, and that the arrays cover every run index exactly once, each array the runs
of one environment.

    check_expansion.py SWEEP_BINARY WORK_DIR GRID.yaml...
"""
import itertools
import json
import os
import subprocess
import sys

import yaml

SOURCES = ["init", "shuffle", "augment", "dropout", "bitflip"]
PRESETS = {"algo+impl": (["init", "shuffle", "augment", "dropout"], "nd"),
           "algo": (["init", "shuffle", "augment", "dropout"], "d"),
           "impl": ([], "nd"), "control": ([], "d")}
MASK = (1 << 64) - 1


def splitmix64(z):
    z = (z + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def derive_seed(seed, source_number, replica):
    x = splitmix64(seed & MASK)
    x = splitmix64(x ^ source_number)
    x = splitmix64(x ^ replica)
    return x >> 1


def normalize_noise(setting):
    if isinstance(setting, str):
        return setting
    return [s for s in SOURCES if s in setting]


def matches(params, match):
    for key, value in match.items():
        if key == "noise":
            value = normalize_noise(value)
        actual = params.get(key, params.get("resources", {}).get(key))
        if actual != value:
            return False
    return True


def expand(grid):
    base = dict(grid.get("base", {}))
    top_noise = normalize_noise(grid["noise"]) if "noise" in grid else []
    axes = [[{k: v} for v in values] for k, values in grid.get("grid", {}).items()]
    for entry in grid.get("zip", []):
        keys = list(entry)
        axes.append([dict(zip(keys, row)) for row in zip(*entry.values())])
    resource_axes = [[{k: v} for v in values] for k, values in grid.get("resources", {}).items()]

    environments = [e["name"] for e in grid.get("environments", [])] or [None]

    def resolve(params, resources, environment):
        params = dict(params)
        noise = normalize_noise(params["noise"]) if "noise" in params else top_noise
        params["noise"] = noise
        if isinstance(noise, str):
            params["mode"] = PRESETS[noise][1]
        params.setdefault("mode", "nd")
        params.setdefault("seed", 0)
        if grid.get("resources"):
            params["resources"] = resources
        if environment is not None:
            params["environment"] = environment
        return params

    points = []
    for environment, combo in itertools.product(environments, itertools.product(*resource_axes)):
        resources = {k: v for part in combo for k, v in part.items()}
        for choice in itertools.product(*axes):
            params = dict(base)
            for part in choice:
                params.update(part)
            params = resolve(params, resources, environment)
            if any(matches(params, e) for e in grid.get("exclude", [])):
                continue
            points.append(params)
        for entry in grid.get("include", []):
            keys = list(entry)
            lists = [v if isinstance(v, list) else [v] for v in entry.values()]  # lists expand
            for values in itertools.product(*lists):
                params = dict(base)
                skip = False
                for k, v in zip(keys, values):
                    if k in resources:
                        skip = skip or resources[k] != v
                    elif k == "environment" and environment is not None:
                        skip = skip or environment != v
                    else:
                        params[k] = v
                if not skip:
                    points.append(resolve(params, resources, environment))

    runs, adaptive_points = [], []
    for params in points:
        replicas = grid.get("repeat", 1)
        for rule in grid.get("repeat_when", []):
            if matches(params, rule["match"]):
                replicas = rule["repeat"]
                break
        adaptive = replicas if isinstance(replicas, dict) else None
        if adaptive:  # every replica up to max is planned, the waves choose (docs/grid-file.md)
            replicas = adaptive["max"]
            adaptive_points.append({"first_run": len(runs), "min": adaptive["min"], "max": adaptive["max"],
                                    "step": adaptive.get("step", 1), "until": adaptive["until"]})
        noise = params["noise"]
        varying = PRESETS[noise][0] if isinstance(noise, str) else noise
        for r in range(replicas):
            seeds = {}
            for number, source in enumerate(SOURCES, start=1):
                if source in varying:
                    seeds[source] = derive_seed(params["seed"], number, r)
                else:
                    seeds[source] = -1 if source == "bitflip" else params["seed"]
            runs.append(dict(params, replica=r, seeds=seeds))
    return runs, adaptive_points


def canonical(obj):
    return json.dumps(obj, sort_keys=True)


def check(sweep, work, grid_path):
    out = os.path.join(work, os.path.basename(grid_path) + ".out")
    subprocess.run([sweep, "plan", grid_path, "-o", out, "--force"], check=True, stdout=subprocess.DEVNULL)
    plan = [json.loads(line) for line in open(os.path.join(out, "plan.jsonl"))]
    summary = json.load(open(os.path.join(out, "sweep.json")))
    with open(grid_path) as f:
        expected, adaptive_points = expand(yaml.safe_load(f))
    assert summary.get("adaptive", []) == adaptive_points, \
        f"{grid_path}: sweep.json's adaptive {summary.get('adaptive')}, expected {adaptive_points}"

    assert len(plan) == len(expected), f"{grid_path}: {len(plan)} runs planned, {len(expected)} expected"
    for line, want in zip(plan, expected):
        assert canonical(line["params"]) == canonical(want), \
            f"{grid_path}: run {line['index']}:\n planned  {canonical(line['params'])}\n expected {canonical(want)}"
    assert [line["index"] for line in plan] == list(range(len(plan)))
    assert len({line["run_id"] for line in plan}) == len(plan), f"{grid_path}: duplicate run ids"
    groups = {}
    for line in plan:
        # The environment is part of the run (its id), not of its configuration (group).
        key = canonical({k: v for k, v in line["params"].items()
                         if k not in ("mode", "replica", "seeds", "environment")})
        groups.setdefault(key, set()).add(line["group_id"])
    assert all(len(ids) == 1 for ids in groups.values()), f"{grid_path}: one configuration, several group ids"
    assert len({next(iter(ids)) for ids in groups.values()}) == len(groups), f"{grid_path}: group ids collide"

    covered = []
    for array in summary["arrays"]:
        assert array["count"] <= grid_max_array_size(grid_path)
        covered.extend(range(array["offset"], array["offset"] + array["count"]))
    assert covered == list(range(len(plan))), f"{grid_path}: arrays do not cover every run exactly once"
    for array in summary["arrays"]:  # each environment's runs in arrays of their own
        names = {plan[i]["params"].get("environment") for i in range(array["offset"], array["offset"] + array["count"])}
        assert names == {array.get("environment")}, f"{grid_path}: {array['script']} mixes environments {names}"
    print(f"{grid_path}: {len(plan)} runs, {len(summary['arrays'])} arrays: ok")


def grid_max_array_size(grid_path):
    with open(grid_path) as f:
        return yaml.safe_load(f).get("slurm", {}).get("max_array_size", 1001)


if __name__ == "__main__":
    sweep_binary, work_dir, grids = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(work_dir, exist_ok=True)
    for grid_file in grids:
        check(sweep_binary, work_dir, grid_file)
