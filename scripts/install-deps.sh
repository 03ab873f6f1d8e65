#!/usr/bin/env bash
# Installs the Debian packages tapegrad builds against: only the missing ones, and only when root.
# Otherwise it prints the exact command to run and fails, so nothing half-builds.
set -euo pipefail

packages=(cmake g++ make pkg-config
          doctest-dev libbenchmark-dev libopenblas-dev liblapacke-dev libcli11-dev nlohmann-json3-dev
          gnuplot-nox graphviz
          libstb-dev                     # image_demo's pictures: stb_image and stb_image_write (io/image)
          libspectra-dev libeigen3-dev)  # the benchmarks' reference for the truncated SVD (bench/ only)
packages+=("$@")  # extra packages a target needs (make bench-pytorch passes python3-torch)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0

install=(apt-get install -y --no-install-recommends "${missing[@]}")
if [[ $(id -u) -ne 0 ]]; then
  echo "tapegrad needs these Debian packages: ${missing[*]}" >&2
  echo "run: sudo apt-get update && sudo ${install[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
"${install[@]}"
