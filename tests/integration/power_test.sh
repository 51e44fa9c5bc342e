#!/usr/bin/env bash
# `sweep power` on a pilot sweep trained here (digits, 1 epoch): every replica count recomputed
# with scipy from the run files (tests/report/check_power.py), and bad input refused.
#   power_test.sh BIN_DIR SOURCE_DIR PYTHON (Debian's python3, with h5py and scipy)
set -euo pipefail
bin=$1
src=$2
python=$3
source "$src/tests/integration/assert.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/rs-power-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

# Two groups: lr 0.05 with three D runs that differ in their data order (Welch's test), lr 0.1
# with one D run (the one-sample test).
cat >pilot.yaml <<'YAML'
name: pilot
slurm: {gpus_per_task: 0, time: "00:06:00"}
base: {dataset: digits, model: small_cnn, width: 8, epochs: 1, batch_size: 128, optimizer: sgd}
grid: {mode: [nd, d], lr: [0.05, 0.1]}
noise: [shuffle]
repeat: 3
repeat_when:
  - {match: {mode: d, lr: 0.1}, repeat: 1}
YAML
expect_status 0 "$bin/sweep" plan pilot.yaml -o pilot
expect_status 0 env REPROSWEEP_ALLOW_CPU= "$bin/sweep" run pilot -j 2
expect_in "$out" "10 runs: 10 done now"

echo "== sweep power's counts are the stated formulas, recomputed with scipy"
for targets in "" "--sd-halfwidth 0.5 --difference 2 --alpha 0.01 --power 0.9"; do
  # shellcheck disable=SC2086  # the targets are words
  "$bin/sweep" power pilot --format json $targets >power.json
  "$python" "$src/tests/report/check_power.py" pilot power.json
done
"$python" - power.json <<'PY'
import json, sys
groups = json.load(open(sys.argv[1]))["groups"]
assert sorted(g["test"] for g in groups) == ["one-sample", "welch"], groups
assert all(g["acc_sd_pp"] > 0 for g in groups), "the pilot's runs should differ in data order"
PY
expect_status 0 "$bin/sweep" power pilot
expect_in "$out" "pilot: replicas needed"
expect_in "$out" "n for 0.5pp"

echo "== bad input: exit 2, with the option or folder named"
expect_status 2 "$bin/sweep" power pilot --alpha 1.5
expect_in "$out" "--alpha: expected a level between 0 and 1, got 1.5"
expect_status 2 "$bin/sweep" power pilot --sd-halfwidth 0
expect_in "$out" "--sd-halfwidth"
expect_status 2 "$bin/sweep" power pilot --format yaml
expect_status 2 "$bin/sweep" power no-such-folder
expect_in "$out" "no-such-folder: no such folder"
mkdir -p empty/runs
expect_status 2 "$bin/sweep" power empty
expect_in "$out" "No complete runs"
echo "power_test: ok"
