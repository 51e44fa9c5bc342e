#!/usr/bin/env bash
# The installed tree works on its own: `cmake --install` into a temporary prefix, then the
# installed sweep plans an installed example grid, its scripts name the installed trainer, and
# that trainer (found LibTorch through its RPATH, no LD_LIBRARY_PATH) writes a complete run
# file. With Lmod present, `module load reprosweep` from the installed modulefile puts that
# sweep first on PATH.
#   install_test.sh BUILD_DIR SOURCE_DIR PYTHON (Debian's python3, with h5py)
set -euo pipefail
build=$1
src=$2
python=$3
source "$src/tests/integration/assert.sh"
prefix=$(mktemp -d /tmp/rs-install-test.XXXXXX)
trap 'rm -rf "$prefix"' EXIT

echo "== cmake --install"
expect_status 0 cmake --install "$build" --prefix "$prefix"
for f in bin/sweep bin/trainer share/reprosweep/sweeps/demo.yaml share/reprosweep/docs/grid-file.md; do
  [ -e "$prefix/$f" ] || fail "not installed: $f"
done
module_file=$(ls "$prefix"/share/modulefiles/reprosweep/*.lua)
expect_in "$(cat "$module_file")" "local prefix = \"$prefix\""

echo "== the installed sweep and trainer run one demo run"
expect_status 0 env -u LD_LIBRARY_PATH "$prefix/bin/sweep" plan "$prefix/share/reprosweep/sweeps/demo.yaml" \
  -o "$prefix/demo" --set epochs=1
expect_in "$(grep "^trainer=" "$prefix/demo/slurm/array-000.sbatch")" "$prefix/bin/trainer"
expect_status 0 env -u LD_LIBRARY_PATH SLURM_CPUS_PER_TASK=1 "$prefix/bin/trainer" \
  --plan "$prefix/demo/plan.jsonl" --index 0 --runs-dir "$prefix/demo/runs"
"$python" - "$prefix/demo/runs" <<'PY' || fail "the installed trainer's run file is not complete"
import glob, sys, h5py
(path,) = glob.glob(sys.argv[1] + "/*.h5")
with h5py.File(path, "r") as f:
    assert f.attrs["status"] == "complete", f.attrs["status"]
    assert f["metrics/epoch"].shape == (1,)
PY

lmod_init=/usr/share/lmod/lmod/init/bash
if [ -f "$lmod_init" ]; then
  echo "== module load reprosweep (Lmod)"
  found=$(bash -c 'source "$1" && module use "$2/share/modulefiles" && module load reprosweep &&
                   command -v sweep && echo "root=$REPROSWEEP_ROOT"' _ "$lmod_init" "$prefix" 2>&1) ||
    fail "module load failed: $found"
  expect_in "$found" "$prefix/bin/sweep"
  expect_in "$found" "root=$prefix"
else
  echo "== Lmod not installed: module check skipped"
fi
echo "install test passed"
