#!/usr/bin/env bash
# Fills .carry/ (ignored by git) with what bench/gpu_check.sh needs on a GPU machine that has
# Python and torch 2.11 but none of the project's other libraries and no network:
#   .carry/bin           trainer, test_train and sweep from BUILD_DIR (default build/), stripped.
#                        Built against the .venv's torch 2.11.0+cu130 wheel, trainer and
#                        test_train are CUDA binaries; there they load that machine's copy of the
#                        same LibTorch
#   .carry/debs          the Debian 12 package of every library they load (ldd: HDF5, yaml-cpp,
#                        fmt, xxHash, Boost.Program_options, ...) but the C and C++ runtimes, the
#                        CUDA runtime and LibTorch, fetched with apt-get download (nothing is
#                        installed here)
#   .carry/debs-dev      the headers, for a build there if the carried binaries do not start
#   .carry/wheels        h5py (and numpy, used only where there is none) for the GPU machine's
#                        Python (PY_VERSION, default 3.12)
#   .carry/sklearn-data  digits.csv.gz and breast_cancer.csv, which some of test_train's cases
#                        and the kill-and-resume check train on
#   .carry/VERSION       the commit (and local changes) the binaries were built from
# The device tool carries at most 64 MiB; this script fails above 60 MiB.
#
#   bench/gpu_prepare.sh [BUILD_DIR]
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$src/build}
carry=$src/.carry
py_version=${PY_VERSION:-3.12}
rm -rf "$carry"
mkdir -p "$carry/bin" "$carry/debs" "$carry/debs-dev" "$carry/wheels" "$carry/sklearn-data"

executables=(bin/trainer tests/test_train bin/sweep)
for exe in "${executables[@]}"; do
  [ -x "$build/$exe" ] || { echo "no $build/$exe: build first (env/build.sh; ninja -C $build test_train)" >&2; exit 1; }
  strip -o "$carry/bin/$(basename "$exe")" "$build/$exe"
done
{ git -C "$src" rev-parse HEAD; git -C "$src" status --short -- lib apps tests; } >"$carry/VERSION"

# apt-get download: each package's .deb into the current folder; every one must arrive.
download() {
  local folder=$1
  shift
  (cd "$folder" && apt-get download -qq "$@" 2>&1 | grep -v unsandboxed || true)
  for package in "$@"; do
    compgen -G "$folder/${package}_*.deb" >/dev/null || { echo "apt-get download $package failed" >&2; exit 1; }
  done
}
# The package of every library the executables load (ldd lists them all, dependencies of
# dependencies included), found with dpkg -S under either name usrmerge gives it; not the C and
# C++ runtimes (libc6, libgcc-s1, libstdc++6: the machine's own), the CUDA runtime or LibTorch
# (the machine's torch has them).
packages=$(for lib in $(ldd "${executables[@]/#/$build/}" | awk '/=> \// {print $3}' | sort -u); do
  case $lib in */site-packages/* | /usr/local/cuda*) continue ;; esac
  owner=$(dpkg -S "$lib" 2>/dev/null || dpkg -S "/usr$lib" 2>/dev/null || dpkg -S "${lib#/usr}" 2>/dev/null) ||
    { echo "no Debian package owns $lib" >&2; exit 1; }
  echo "${owner%%:*}"
done | sort -u | grep -vxE 'libc6|libgcc-s1|libstdc\+\+6') || exit 1
echo "carrying the libraries of: $(echo $packages)"
download "$carry/debs" $packages
download "$carry/debs-dev" libhdf5-dev libaec-dev libyaml-cpp-dev libboost1.74-dev \
  libboost-program-options1.74-dev libboost-math1.74-dev libboost-math1.74.0 libfmt-dev nlohmann-json3-dev \
  libxxhash-dev catch2 zlib1g-dev

"$src/.venv/bin/python" -m pip download -q --only-binary=:all: --python-version "$py_version" \
  --platform manylinux2014_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux_2_28_x86_64 \
  -d "$carry/wheels" h5py numpy

sklearn=/usr/lib/python3/dist-packages/sklearn/datasets/data
cp "$sklearn/digits.csv.gz" "$sklearn/breast_cancer.csv" "$carry/sklearn-data/"

du -sh "$carry"/*
size_mib=$(($(du -sk "$carry" | cut -f1) / 1024))
echo "$size_mib MiB in all"
[ "$size_mib" -le 60 ] || { echo "over 60 MiB: the device tool carries at most 64 MiB" >&2; exit 1; }
echo "device run: carry [\".carry\"], command: bench/gpu_check.sh (its header lists the stages)"
