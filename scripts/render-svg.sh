#!/usr/bin/env bash
# Renders an SVG (a demo's loss plot, the benchmark report's) to a PNG with headless Chromium, to look at it
# without a desktop browser. Optional: nothing in the build or the tests uses it. It needs Chromium
# (Debian: apt-get install --no-install-recommends chromium).
#
#   scripts/render-svg.sh plot.svg [plot.png]     the PNG defaults to the SVG's name with .png
set -euo pipefail

if (($# < 1 || $# > 2)); then
  echo "usage: $0 FILE.svg [FILE.png]" >&2
  exit 2
fi
svg=$(realpath "$1")
png=$(realpath -m "${2:-${1%.svg}.png}")
[[ -f $svg ]] || { echo "$0: $1: no such file" >&2; exit 1; }
command -v chromium >/dev/null || { echo "$0: needs chromium (apt-get install --no-install-recommends chromium)" >&2; exit 1; }

# The window is the figure's own size (its width="..." height="..."), so the PNG has no margin around it.
width=$(sed -n 's/^<svg [^>]*width="\([0-9]*\)".*/\1/p' "$svg" | head -n 1)
height=$(sed -n 's/^<svg [^>]*height="\([0-9]*\)".*/\1/p' "$svg" | head -n 1)

# A throwaway profile, and no network: the page is a local file.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
rm -f "$png"
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" \
  --window-size="${width:-900},${height:-600}" --screenshot="$png" "file://$svg" >/dev/null 2>&1 || true
[[ -s $png ]] || { echo "$0: chromium wrote no $png" >&2; exit 1; }
echo "$png"
