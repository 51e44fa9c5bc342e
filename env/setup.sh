#!/usr/bin/env bash
# Installs everything ReproSweep needs on Debian 12, idempotently.
#
#   env/setup.sh            apt packages + project-local venv with torch==2.11.0
#   env/setup.sh --no-torch apt packages only (enough for `sweep`, e.g. on a login node)
#
# The venv lives in .venv/ (ignored by git). pip's cache stays in ~/.cache/pip, outside the
# clone, so a fresh clone (CI) reuses the multi-GB CUDA wheels. A second run takes seconds:
# every step checks first and does nothing when its result is already there.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
torch_version=2.11.0
# The Gloo commit whose headers fit LibTorch 2.11's c10d (lib/train/CMakeLists.txt).
gloo_url=https://github.com/pytorch/gloo
gloo_commit=70dc360272dfc57e3617184c78ff9b06f8cd4757
want_torch=1
[ "${1:-}" = "--no-torch" ] && want_torch=0

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libhdf5-dev libyaml-cpp-dev libboost-program-options-dev libboost-math-dev
  libfmt-dev nlohmann-json3-dev catch2 libxxhash-dev zlib1g-dev
  python3 python3-venv python3-h5py python3-numpy python3-scipy python3-sklearn python3-yaml
  slurm-wlm munge chromium lmod iproute2
)

sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

if [ $want_torch -eq 1 ]; then
  venv="$here/.venv"
  if [ ! -x "$venv/bin/python" ]; then
    /usr/bin/python3 -m venv --system-site-packages "$venv"
  fi
  have=$("$venv/bin/python" -c 'import torch; print(torch.__version__)' 2>/dev/null || true)
  if [ "${have%%+*}" != "$torch_version" ]; then
    echo "setup: installing torch==$torch_version into $venv (several GB on first install)"
    # pip's progress bars on a terminal; a log (CI) gets its lines quietly.
    quiet=(-q)
    [ -t 1 ] && quiet=()
    "$venv/bin/pip" install "${quiet[@]}" --disable-pip-version-check "torch==$torch_version"
  fi
  # Gloo's headers, which c10d's Gloo header includes and the wheel does not ship: without them
  # the trainer builds without distributed training (docs/trainer.md, "Distributed runs").
  gloo_dir="$here/third_party/gloo"
  if [ ! -f "$gloo_dir/gloo/rendezvous/store.h" ]; then
    echo "setup: fetching Gloo's headers (github.com/pytorch/gloo at $gloo_commit) into $gloo_dir"
    rm -rf "$gloo_dir" && mkdir -p "$gloo_dir"
    if ! { git -C "$gloo_dir" init -q && git -C "$gloo_dir" fetch -q --depth 1 "$gloo_url" "$gloo_commit" &&
           git -C "$gloo_dir" checkout -q FETCH_HEAD; }; then
      rm -rf "$gloo_dir"
      echo "setup: could not fetch Gloo's headers; the trainer will refuse world_size > 1" >&2
    fi
  fi
fi
echo "setup: ok"
