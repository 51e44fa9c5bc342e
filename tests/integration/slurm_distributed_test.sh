#!/usr/bin/env bash
# Distributed runs on a real (private, single-node) SLURM: a grid with world_size 1 and 2, mode
# d, 2 replicas with no noise, through `sweep submit`. The 2-rank runs are started by srun with
# Gloo on the CPU: both run files complete, /settings world_size "2" and dist_backend "gloo",
# the two /weights/flat byte-identical; `sweep run` of the same grid gives the same bytes; the
# collector keeps world_size 1 and 2 apart as two groups and compares them (results/world_size.*);
# the 2-rank run files hold each rank's energy and GPU time (/ranks).
#   slurm_distributed_test.sh BIN_DIR SOURCE_DIR PYTHON (Debian's python3)
set -euo pipefail
bin=$1
src=$2
python=$3
source "$src/tests/integration/assert.sh"
source "$src/tests/integration/cluster.sh"
start_cluster rs-distributed-test

cat >"$work/grid.yaml" <<'YAML'
name: distributed
slurm: {gpus_per_task: 0, cpus_per_task: 1, mem: 500M, time: "00:10:00"}
base: {dataset: digits, model: small_cnn, width: 8, batchnorm: true, epochs: 3, batch_size: 64,
       mode: d, device: cpu}
grid: {world_size: [1, 2]}
noise: []
repeat: 2
YAML
d="$work/slurm"
expect_status 0 "$bin/sweep" plan "$work/grid.yaml" -o "$d"
grep -q -- "--ntasks=2" "$d/slurm/array-001.sbatch" || fail "array-001 does not ask for 2 tasks"

echo "== sweep submit: the 2-rank runs start under srun"
expect_status 0 "$bin/sweep" submit "$d"
wait_for_empty_queue 600
expect_status 0 "$bin/sweep" status "$d"
expect_in "$out" "done 4"

echo "== sweep run of the same grid here"
l="$work/local"
expect_status 0 "$bin/sweep" plan "$work/grid.yaml" -o "$l"
expect_status 0 "$bin/sweep" run "$l" -j 1
expect_in "$out" "4 done now"

echo "== settings, bytes, groups"
expect_status 0 "$bin/sweep" collect "$d"
"$python" - "$d" "$l" <<'PY' || fail "distributed checks failed"
import json, sys
import h5py

slurm_dir, local_dir = sys.argv[1], sys.argv[2]
plan = [json.loads(line) for line in open(f"{slurm_dir}/plan.jsonl")]
two = [p["run_id"] for p in plan if p["params"]["world_size"] == 2]
assert len(two) == 2, two

def read(folder, run_id):
    with h5py.File(f"{folder}/runs/{run_id}.h5", "r") as f:
        status = f.attrs["status"]
        return status.decode() if isinstance(status, bytes) else status, dict(f["settings"].attrs), \
            f["weights/flat"][()].tobytes()

flats = []
for run_id in two:
    status, settings, flat = read(slurm_dir, run_id)
    assert status == "complete", status
    assert settings["world_size"] == "2" and settings["dist_backend"] == "gloo", settings
    flats.append(flat)
    assert read(local_dir, run_id)[2] == flat, f"{run_id}: sweep run and SLURM differ"
assert flats[0] == flats[1], "the two 2-rank d runs differ"
one = [p["run_id"] for p in plan if p["params"]["world_size"] == 1]
assert read(slurm_dir, one[0])[1]["dist_backend"] == "none"

summary = json.load(open(f"{slurm_dir}/results/summary.json"))
sizes = sorted(g["params"]["world_size"] for g in summary["groups"])
assert sizes == [1, 2], sizes
# ...and compares them: one configuration at two world sizes (D runs: no ND in this grid).
compared = summary["world_sizes"]
assert len(compared) == 1 and compared[0]["over"] == "d", compared
assert [s["world_size"] for s in compared[0]["sizes"]] == [1, 2], compared
with open(f"{slurm_dir}/results/world_size.csv") as f:
    assert len(f.read().strip().splitlines()) == 3, "world_size.csv: not a header and two rows"
# Each rank's figures beside their sum (on the CPU without NVML: gpu_s -1 on each rank).
with h5py.File(f"{slurm_dir}/runs/{two[0]}.h5", "r") as f:
    assert list(f["ranks/gpu_s"][()]) == [-1, -1], f["ranks/gpu_s"][()]
    assert f["ranks/energy_j"].shape == (2, len(f["metrics/epoch"])), f["ranks/energy_j"].shape
    assert f["energy"].attrs["gpu_j"] == sum(f["ranks/gpu_j"][()]), "/energy/gpu_j is not the ranks' sum"
print("2-rank runs identical under srun and sweep run; world sizes in groups", sizes, "and compared")
PY
grep -q "srun" "$d/slurm/array-001.sbatch" || fail "no srun in the 2-rank array"
echo "slurm_distributed_test: ok"
