#!/usr/bin/env bash
# `sweep plan --forecast-from`: a demo-like sweep (the demo's model and data, fewer runs and
# epochs) is the calibration, and a grid with twice its epochs is forecast from it. The forecast
# is recomputed here from the calibration run files by docs/forecast.md's formulas (geometric
# mean rate per cost key, the pooled log residuals' t interval), with scipy. Also: a grid without
# similar runs falls back to the time limit, planning without --forecast-from is unchanged, and
# `sweep collect` sets the measured totals beside a forecast kept in the sweep folder.
# How close a forecast comes to the measured time depends on the machine's load, so that is a
# benchmark (bench/forecast_bench.sh, docs/benchmarks.md), not a test.
#   forecast_test.sh BIN_DIR SOURCE_DIR PYTHON
set -euo pipefail
bin=$1
src=$2
python=$3
source "$src/tests/integration/assert.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/rs-forecast-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

# The demo's model and data (sweeps/demo.yaml), both modes, 3 replicas each.
cat >calibration.yaml <<'YAML'
name: calibration
slurm: {gpus_per_task: 1, cpus_per_task: 1, time: "00:15:00"}
base: {dataset: digits, model: small_cnn, width: 32, epochs: 3, batch_size: 64}
zip:
  - {optimizer: [sgd, adam], lr: [0.05, 0.003]}
grid: {mode: [nd, d]}
noise: [shuffle]
repeat: 3
YAML
sed 's/epochs: 3,/epochs: 6,/; s/^name: calibration/name: twice/' calibration.yaml >twice.yaml

echo "== sweep plan without --forecast-from prints what it printed before"
expect_status 0 "$bin/sweep" plan twice.yaml --dry-run --format json
"$python" -c 'import json, sys; assert "forecast" not in json.loads(sys.argv[1])' "$out"

echo "== calibration sweep, then the forecast of twice the epochs"
expect_status 0 "$bin/sweep" plan calibration.yaml -o before
expect_status 0 env REPROSWEEP_ALLOW_CPU= "$bin/sweep" run before
expect_status 0 "$bin/sweep" plan twice.yaml -o twice --forecast-from before
expect_in "$out" "forecast (95 % intervals) from 12 calibration runs"
"$bin/sweep" plan twice.yaml --dry-run --forecast-from before --format json >forecast.json

"$python" - forecast.json before/runs <<'PY'
import json, math, sys
from pathlib import Path
import h5py
from scipy import stats
forecast = json.load(open(sys.argv[1]))["forecast"]
# Cost key here: the mode (the optimizer is not part of it); work = samples x epochs, the same
# samples in both grids, so each run of `twice` is predicted 2 x its key's geometric mean.
logs = {"nd": [], "d": []}
for path in sorted(Path(sys.argv[2]).glob("*.h5")):
    with h5py.File(path, "r") as f:
        mode = f.attrs["mode"].decode() if isinstance(f.attrs["mode"], bytes) else f.attrs["mode"]
        logs[mode].append(math.log(float(f["timing"].attrs["train_s"])))
assert len(logs["nd"]) == len(logs["d"]) == 6, logs
means = {k: sum(v) / len(v) for k, v in logs.items()}
df = 12 - 2
s = math.sqrt(sum((x - means[k]) ** 2 for k, v in logs.items() for x in v) / df)
factor = math.exp(stats.t.ppf(0.975, df) * s * math.sqrt(1 + 1 / 6))
estimate = sum(6 * 2 * math.exp(m) for m in means.values())
low = sum(6 * 2 * math.exp(m) / factor for m in means.values())
high = sum(6 * 2 * math.exp(m) * factor for m in means.values())
train = forecast["train_s"]
print(f"forecast train_s {train['estimate']:.2f} s [{train['low']:.2f}, {train['high']:.2f}], "
      f"recomputed {estimate:.2f} s [{low:.2f}, {high:.2f}]")
assert forecast["runs"] == forecast["calibrated_runs"] == 12, forecast
assert forecast["calibration_runs"] == 12 and forecast["time_limit_runs"] == 0, forecast
for name, want in (("estimate", estimate), ("low", low), ("high", high)):
    assert math.isclose(train[name], want, rel_tol=1e-6), (name, train[name], want)
assert len(forecast["arrays"]) == 1 and forecast["arrays"][0]["train_s"] == train, forecast["arrays"]
# One GPU per task: the GPU-hours are the runs' predicted wall seconds.
gpu = forecast["gpu_hours"]
assert gpu["low"] <= gpu["estimate"] <= gpu["high"] and gpu["estimate"] * 3600 >= train["estimate"]
for key in ("kwh", "co2_kg"):  # no energy measured on a CPU without RAPL: no prediction
    assert forecast[key] is None or forecast[key]["estimate"] >= 0, forecast[key]
PY

echo "== sweep collect puts the forecast beside the measured totals"
# The calibration's own grid planned again with a forecast from its runs: the same plan, so its
# run files count, and the collector compares the forecast with what they measured.
expect_status 0 "$bin/sweep" plan calibration.yaml -o before --forecast-from before
[ -s before/forecast.json ] || fail "sweep plan --forecast-from wrote no forecast.json"
expect_status 0 "$bin/sweep" collect before
expect_in "$out" "calibration: forecast (sweep plan --forecast-from) and measured"
"$python" - before <<'PY'
import json, math, sys
from pathlib import Path
import h5py
d = Path(sys.argv[1])
forecast = json.loads((d / "forecast.json").read_text())
assert forecast["plan_id"] == json.loads((d / "sweep.json").read_text())["plan_id"]
check = json.loads((d / "results" / "summary.json").read_text())["forecast"]
assert check["runs_forecast"] == check["runs_measured"] == 12, check
train_s = gpu_hours = 0.0
for path in sorted((d / "runs").glob("*.h5")):
    with h5py.File(path, "r") as f:
        train_s += float(f["timing"].attrs["train_s"])
        wall_s = float(f["timing"].attrs["wall_s"])
        gpu_hours += wall_s / 3600 if f["env"].attrs.get("gpu_name", "") not in ("", b"") else 0.0
for key, measured in (("train_s", train_s), ("gpu_hours", gpu_hours)):
    row = check["measures"][key]
    assert math.isclose(row["measured"], measured, rel_tol=1e-9, abs_tol=1e-12), (key, row, measured)
    for bound in ("estimate", "low", "high"):
        assert row[bound] == forecast[key][bound], (key, bound, row, forecast[key])
    assert row["inside"] == (row["low"] <= measured <= row["high"]), (key, row)
print(f"train_s: forecast {check['measures']['train_s']['estimate']:.2f} s, measured {train_s:.2f} s, "
      f"inside: {check['measures']['train_s']['inside']}")
PY
# A forecast of another plan is not compared.
"$python" -c 'import json, sys; p = sys.argv[1]; f = json.load(open(p)); f["plan_id"] = "0" * 16; json.dump(f, open(p, "w"))' \
  before/forecast.json
expect_status 0 "$bin/sweep" collect before
expect_in "$out" "was made for an earlier plan of this folder: not compared"
"$python" -c 'import json, sys; assert "forecast" not in json.load(open(sys.argv[1]))' before/results/summary.json
[ ! -e before/results/forecast.md ] || fail "results/forecast.md left from the collect before"

echo "== a point with no similar calibration run counts at its time limit, labelled"
sed 's/width: 32/width: 16/' twice.yaml >other.yaml
"$bin/sweep" plan other.yaml --dry-run --forecast-from before --format json >other.json
"$python" - other.json <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))["forecast"]
assert f["time_limit_runs"] == 12 and f["calibrated_runs"] == 0, f
assert f["train_s"] == {"estimate": 12 * 900.0, "low": 12 * 900.0, "high": 12 * 900.0}, f["train_s"]
assert any("time limit" in note for note in f["notes"]), f["notes"]
PY
expect_status 0 "$bin/sweep" plan other.yaml --dry-run --forecast-from before
expect_in "$out" "12 runs at their time limit: no similar run"

echo "== bad input: exit 2"
expect_status 2 "$bin/sweep" plan twice.yaml --dry-run --forecast-from no-such-folder
expect_in "$out" "no-such-folder"
expect_status 2 "$bin/sweep" plan twice.yaml --dry-run --forecast-from before --pue 0.5
echo "forecast_test: ok"
