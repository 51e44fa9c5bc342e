#!/usr/bin/env bash
# Environments (issue 19, seed 003's design) end to end:
#  1. an environment's software setup runs for real: `sweep run` executes an array script that
#     loads its modules and starts the trainer through `apptainer exec --nv` (both stand-ins on
#     PATH that log their arguments), every grid value arriving as one argument;
#  2. sweeps/seed003-environments.yaml on a private SLURM cluster with two partitions: the
#     trainer built against the torch wheel and the one built against Debian's LibTorch 1.13,
#     each with 1 and 2 threads. `sweep preflight` checks each environment; then each
#     configuration must be one group holding runs of all four environments, summary.json must
#     list them per group, and the mode-d runs of each seed must be reported as not
#     byte-identical across the two builds, with their relative weight distance.
#
#   environments_test.sh BIN_DIR SOURCE_DIR PYTHON (Debian's python3, with h5py)
#
# It needs both trainers: this build's and the other's (SOURCE_DIR/build/bin/trainer for the
# wheel, SOURCE_DIR/build-debian-torch/bin/trainer for Debian's LibTorch, or the paths in
# REPROSWEEP_WHEEL_TRAINER and REPROSWEEP_DEBIAN_TRAINER). Without one it exits 77, which CTest
# reports as skipped, saying which is missing. CI runs env/test.sh (build/) and then
# env/check-debian-libtorch.sh, whose tests in build-debian-torch/ find both and run it.
set -euo pipefail
bin=$1
src=$2
python=$3
source "$src/tests/integration/assert.sh"
source "$src/tests/integration/cluster.sh"

# The first trainer of the candidates that says it was built against LibTorch $1.
find_trainer() {
  local want=$1 candidate
  shift
  for candidate in "$@"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    if "$candidate" --version 2>/dev/null | grep -q "LibTorch $want"; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}
wheel=$(find_trainer 2. "${REPROSWEEP_WHEEL_TRAINER:-}" "$bin/trainer" "$src/build/bin/trainer") || {
  echo "SKIP: no trainer built against the torch 2.x wheel (looked at \$REPROSWEEP_WHEEL_TRAINER," \
    "$bin/trainer, $src/build/bin/trainer; env/build.sh builds it)"
  exit 77
}
debian=$(find_trainer 1.13 "${REPROSWEEP_DEBIAN_TRAINER:-}" "$bin/trainer" "$src/build-debian-torch/bin/trainer") || {
  echo "SKIP: no trainer built against Debian's LibTorch 1.13 (looked at \$REPROSWEEP_DEBIAN_TRAINER," \
    "$bin/trainer, $src/build-debian-torch/bin/trainer; env/check-debian-libtorch.sh builds it, and CI" \
    "runs this test there)"
  exit 77
}
echo "wheel trainer: $wheel ($("$wheel" --version))"
echo "debian trainer: $debian ($("$debian" --version))"

# The cluster of part 2, started now: its node has two partitions, one per trainer.
export CLUSTER_PARTITIONS="debug second"
start_cluster rs-environments-test

echo "== an environment's modules and container: the script loads them and runs the trainer inside"
mkdir -p "$work/fake" "$work/images"
cat >"$work/fake/module" <<'SH'
#!/bin/bash
printf '%s\n' "$@" >"$FAKE_LOG/module.args"
SH
# apptainer exec --nv --bind DIR IMAGE TRAINER ARGS...: logs the words before TRAINER, runs the rest.
cat >"$work/fake/apptainer" <<'SH'
#!/bin/bash
printf '%s\n' "${@:1:5}" >"$FAKE_LOG/apptainer.args"
shift 5
exec "$@"
SH
chmod +x "$work/fake/module" "$work/fake/apptainer"
cat >"$work/site.yaml" <<YAML
name: site
slurm: {gpus_per_task: 0, time: "00:10:00"}
base: {dataset: digits, model: small_cnn, width: 8, epochs: 1, batch_size: 128, mode: d}
environments:
  - name: site-image
    modules: [CUDA/12.1.1, "PyTorch/2.1.2-foss-2023a+x"]
    container: images/torch@2.1.sif
    trainer: $wheel
    threads: 1
YAML
expect_status 0 "$bin/sweep" plan "$work/site.yaml" -o "$work/site"
PATH="$work/fake:$PATH" FAKE_LOG="$work" expect_status 0 "$bin/sweep" run "$work/site"
[ "$(cat "$work/module.args")" = $'load\nCUDA/12.1.1\nPyTorch/2.1.2-foss-2023a+x' ] ||
  fail "module load got: $(cat "$work/module.args")"
[ "$(cat "$work/apptainer.args")" = "exec"$'\n'"--nv"$'\n'"--bind"$'\n'"$work/site"$'\n'"$work/images/torch@2.1.sif" ] ||
  fail "apptainer got: $(cat "$work/apptainer.args")"
"$python" - "$work/site" <<'PY'
import h5py, json, sys
d = sys.argv[1]
[line] = [json.loads(l) for l in open(f"{d}/plan.jsonl")]
assert line["params"]["environment"] == "site-image", line
with h5py.File(f"{d}/runs/{line['run_id']}.h5", "r") as f:
    assert f.attrs["status"] == "complete"
    assert f["env"].attrs["environment"] == "site-image", dict(f["env"].attrs)
    assert f["settings"].attrs["cpu_threads"] == "1", dict(f["settings"].attrs)
PY

echo "== the study: four environments on two partitions of a private SLURM cluster"
# The study as a site would adapt it: its environments pointed at this cluster's partitions and
# at the two trainers found above, everything else as in sweeps/.
"$python" - "$src/sweeps/seed003-environments.yaml" "$work/study.yaml" "$wheel" "$debian" <<'PY'
import sys, yaml
study, out, wheel, debian = sys.argv[1:]
grid = yaml.safe_load(open(study))
for env in grid["environments"]:
    wheel_env = env["name"].startswith("wheel")
    env["trainer"] = wheel if wheel_env else debian
    env["slurm"] = {"partition": "debug" if wheel_env else "second"}
yaml.safe_dump(grid, open(out, "w"), sort_keys=False)
PY
[ "$(sinfo -h -o %R | sort | tr '\n' ' ')" = "debug second " ] || fail "the cluster should have two partitions: $(sinfo)"
d="$work/study"
expect_status 0 "$bin/sweep" plan "$work/study.yaml" -o "$d"
"$python" - "$d" <<'PY'
import json, sys
d = sys.argv[1]
summary = json.load(open(f"{d}/sweep.json"))
names = [a["environment"] for a in summary["arrays"]]
assert names == ["wheel-1t", "wheel-2t", "debian-1t", "debian-2t"], names
for a in summary["arrays"]:
    script = open(f"{d}/slurm/{a['script']}").read()
    partition = "debug" if a["environment"].startswith("wheel") else "second"
    threads = a["environment"][-2]
    assert f"#SBATCH --partition={partition}\n" in script and f"#SBATCH --cpus-per-task={threads}\n" in script, script
    assert a["cpus_per_task"] == int(threads), a
PY

echo "== sweep preflight: one check per environment, each with its trainer, threads and partition"
set +e
"$bin/sweep" preflight "$d" --format json >"$work/preflight.json" 2>"$work/preflight.err"
rc=$?
set -e
[ $rc -eq 0 ] || fail "sweep preflight exited $rc: $(cat "$work/preflight.err" "$work/preflight.json")"
"$python" - "$work/preflight.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
checks = report["checks"]
assert report["passed"] is True, report
assert [c["environment"] for c in checks] == ["wheel-1t", "wheel-2t", "debian-1t", "debian-2t"], checks
for c in checks:
    assert c["d_identical"] and c["broken_promises"] == [] and c["error"] == "", c
    assert c["torch"] == ("2.11.0" if c["environment"].startswith("wheel") else "1.13.0"), c
PY

echo "== submit the study and wait for its runs and the collector"
expect_status 0 "$bin/sweep" submit "$d"
wait_for_empty_queue 900
# The collector job ran with the site's defaults; collect again with the factors the
# independent check expects.
expect_status 0 "$bin/sweep" collect "$d" --pue 1.25 --region DE
echo "$out"

echo "== must hold: one group per configuration with all four environments; the two builds differ"
"$python" - "$d" <<'PY'
import h5py, json, math, sys
d = sys.argv[1]
plan = [json.loads(l) for l in open(f"{d}/plan.jsonl")]
assert len(plan) == 24, len(plan)
for line in plan:
    with h5py.File(f"{d}/runs/{line['run_id']}.h5", "r") as f:
        env = f["env"].attrs
        name = line["params"]["environment"]
        assert f.attrs["status"] == "complete" and env["environment"] == name, (name, dict(env))
        assert env["slurm_partition"] == ("debug" if name.startswith("wheel") else "second"), dict(env)
        assert f["settings"].attrs["cpu_threads"] == name[-2], dict(f["settings"].attrs)
summary = json.load(open(f"{d}/results/summary.json"))
names = ["debian-1t", "debian-2t", "wheel-1t", "wheel-2t"]
assert summary["schema"] == "reprosweep-summary/3" and summary["n_groups"] == 2, summary["n_groups"]
assert summary["environment_mismatches"] == [] and summary["determinism_failed"] is False
for g in summary["groups"]:
    assert "environment" not in g["params"] and g["n_d"] == 12, (g["params"], g["n_d"])
    assert [e["name"] for e in g["environments"]] == names, g["environments"]
    assert all(e["n"] == 3 for e in g["environments"]), g["environments"]
    pairs = g["portability"]["pairs"]
    assert len(pairs) == 3 * 6, len(pairs)  # three seeds, six pairs of four environments
    across = [p for p in pairs if {n.split("-")[0] for n in p["environments"]} == {"wheel", "debian"}]
    assert len(across) == 3 * 4, len(across)
    for p in across:
        assert not (p["weights_identical"] and p["logits_identical"]), p
        assert p["rel_l2_weights"] is not None and 0 < p["rel_l2_weights"] < 1, p
    assert g["portability"]["identical"] is False
    print(g["params"]["optimizer"], "wheel vs debian rel L2:",
          ", ".join(f"{p['rel_l2_weights']:.2e}" for p in across))
    print(g["params"]["optimizer"], "same build, 1 vs 2 threads rel L2:",
          ", ".join(f"{p['rel_l2_weights']:.2e}" for p in pairs if p not in across))
PY
"$python" "$src/tests/report/check_summary.py" "$d"
"$python" "$src/tests/report/check_tables.py" "$d"
for f in env.csv portability.csv portability.md portability.tex; do
  [ -f "$d/results/$f" ] || fail "results/$f missing"
done
grep -q 'class="heat-' "$d/results/report.html" || fail "report.html has no environment heat-map"
grep -q 'id="environments"' "$d/results/report.html" || fail "report.html has no environments section"

echo "== a broken promise is reported: the collector names every run that saw another torch"
cp "$d/sweep.json" "$work/sweep.json.orig"
"$python" - "$d/sweep.json" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
summary["environments"][2]["expect"]["torch_version"] = "9.9.9"  # debian-1t
json.dump(summary, open(sys.argv[1], "w"))
PY
expect_status 0 "$bin/sweep" collect "$d" --pue 1.25 --region DE
expect_in "$out" "ENVIRONMENT MISMATCH: 6 run(s)"
expect_in "$out" "torch_version: expected 9.9.9, the run saw 1.13.0"
"$python" "$src/tests/report/check_summary.py" "$d"
"$python" -c 'import json,sys; m=json.load(open(sys.argv[1]))["environment_mismatches"]; assert len(m)==6 and {x["environment"] for x in m}=={"debian-1t"}, m' \
  "$d/results/summary.json"
cp "$work/sweep.json.orig" "$d/sweep.json"
echo "environments_test: ok"
