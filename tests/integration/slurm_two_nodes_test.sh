#!/usr/bin/env bash
# A 2-rank run whose ranks span two nodes: a private SLURM with two slurmd, each in a network
# namespace of the test's own (two_node_cluster.sh). A grid with world_size 2 at nodes 1 and 2,
# mode d, 2 replicas with no noise, through `sweep submit`: all run files complete; the nodes 2
# runs have /settings nodes "2", dist_backend "gloo" and rank_hosts naming the two nodes, and
# their /weights/flat are byte-identical to each other and to the nodes 1 runs (where both ranks
# share one node): the same ranks over TCP between namespaces reduce in the same order.
#   slurm_two_nodes_test.sh BIN_DIR SOURCE_DIR PYTHON (Debian's python3)
set -euo pipefail
bin=$1
src=$2
python=$3
source "$src/tests/integration/assert.sh"
source "$src/tests/integration/cluster.sh"  # wait_for_empty_queue
source "$src/tests/integration/two_node_cluster.sh"
if [ "$(id -u)" != 0 ]; then
  echo "skipped: network namespaces need root"
  exit 77
fi
command -v ip >/dev/null || fail "no ip (Debian's iproute2, which env/setup.sh installs)"
start_two_node_cluster rs-two-nodes-test

cat >"$work/grid.yaml" <<'YAML'
name: two-nodes
slurm: {gpus_per_task: 0, cpus_per_task: 1, mem: 500M, time: "00:10:00"}
base: {dataset: digits, model: small_cnn, width: 8, batchnorm: true, epochs: 2, batch_size: 64,
       mode: d, device: cpu, world_size: 2}
grid: {nodes: [1, 2]}
noise: []
repeat: 2
YAML
d="$work/slurm"
expect_status 0 "$bin/sweep" plan "$work/grid.yaml" -o "$d"
grep -q -- "--nodes=2" "$d"/slurm/array-*.sbatch || fail "no array asks for 2 nodes"

echo "== sweep submit: ranks on $node_a and $node_b"
expect_status 0 "$bin/sweep" submit "$d"
wait_for_empty_queue 600
expect_status 0 "$bin/sweep" status "$d"
expect_in "$out" "done 4"

"$python" - "$d" "$node_a" "$node_b" <<'PY' || fail "two-node checks failed"
import json, sys
import h5py

folder, node_a, node_b = sys.argv[1:]
plan = [json.loads(line) for line in open(f"{folder}/plan.jsonl")]

def read(run_id):
    with h5py.File(f"{folder}/runs/{run_id}.h5", "r") as f:
        status = f.attrs["status"]
        settings = {k: v.decode() if isinstance(v, bytes) else v for k, v in f["settings"].attrs.items()}
        return status.decode() if isinstance(status, bytes) else status, settings, f["weights/flat"][()].tobytes()

flats = {1: [], 2: []}
for p in plan:
    status, settings, flat = read(p["run_id"])
    nodes = p["params"]["nodes"]
    assert status == "complete", (p["run_id"], status)
    assert settings["world_size"] == "2" and settings["dist_backend"] == "gloo", settings
    assert settings["nodes"] == str(nodes), settings
    hosts = settings["rank_hosts"].split(",")
    if nodes == 2:
        assert sorted(hosts) == sorted([node_a, node_b]), hosts
    else:
        assert len(hosts) == 2 and hosts[0] == hosts[1], hosts
    flats[nodes].append(flat)
assert len(flats[2]) == 2 and flats[2][0] == flats[2][1], "the two 2-node d runs differ"
assert flats[1][0] == flats[1][1], "the two 1-node d runs differ"
assert flats[1][0] == flats[2][0], "2 ranks on one node and on two nodes differ"
print("2-node runs complete, ranks on", node_a, "and", node_b, "; identical to each other and to 1 node")
PY
echo "slurm_two_nodes_test: ok"
