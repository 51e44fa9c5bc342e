#!/usr/bin/env bash
# The forecast's accuracy (issue 17): the demo sweep (sweeps/demo.yaml) is the calibration; the
# same grid at twice the epochs is forecast from it (`sweep plan --forecast-from`) and then run.
# Prints the forecast total train_s with its 95 % interval, the measured total, the error, and
# whether the measured total lies inside the interval. Target: within 30 %, inside the interval.
# The runs' speed follows the machine's load: run it on an otherwise idle machine.
#   bench/forecast_bench.sh [BUILD_DIR]
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${1:-$src/build}/bin
work=$(mktemp -d /tmp/rs-forecast-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
epochs=$(sed -n 's/.*epochs: *\([0-9]*\).*/\1/p' "$src/sweeps/demo.yaml" | head -1)
sed "s/epochs: *$epochs/epochs: $((2 * epochs))/" "$src/sweeps/demo.yaml" >"$work/twice.yaml"
export REPROSWEEP_ALLOW_CPU=
"$bin/sweep" plan "$src/sweeps/demo.yaml" -o "$work/demo" >/dev/null
"$bin/sweep" run "$work/demo" -j 2 >/dev/null
"$bin/sweep" plan "$work/twice.yaml" --dry-run --forecast-from "$work/demo" --format json >"$work/forecast.json"
"$bin/sweep" plan "$work/twice.yaml" -o "$work/twice" >/dev/null
"$bin/sweep" run "$work/twice" -j 2 >/dev/null
/usr/bin/python3 - "$work/forecast.json" "$work/twice/runs" "$epochs" <<'PY'
import json, sys
from pathlib import Path
import h5py
forecast = json.load(open(sys.argv[1]))["forecast"]
files = sorted(Path(sys.argv[2]).glob("*.h5"))
measured = 0.0
for path in files:
    with h5py.File(path, "r") as f:
        measured += float(f["timing"].attrs["train_s"])
train = forecast["train_s"]
error = 100 * (train["estimate"] - measured) / measured
inside = train["low"] <= measured <= train["high"]
print(f"demo at {2 * int(sys.argv[3])} epochs, {len(files)} runs, forecast from "
      f"{forecast['calibration_runs']} calibration runs:")
print(f"forecast train_s {train['estimate']:.1f} s [{train['low']:.1f}, {train['high']:.1f}], "
      f"measured {measured:.1f} s, error {error:+.1f} %, measured {'inside' if inside else 'OUTSIDE'} the interval")
PY
