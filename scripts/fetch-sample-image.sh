#!/usr/bin/env bash
# Fetches a sample photograph for make demo-image into DIR: by default camera.png (512x512, 8-bit grey, public
# domain, from the Library of Congress), one of the pictures Debian's python3-skimage ships in skimage/data/.
# `apt-get download` fetches the package (about 20 MB) without installing it or its many Python dependencies,
# and the one file is taken out of it. Nothing is fetched when DIR already has the picture.
#
#   scripts/fetch-sample-image.sh DIR [NAME]     e.g. NAME moon.png, astronaut.png (RGB: image_demo makes it grey)
set -euo pipefail
dir=${1:?usage: fetch-sample-image.sh DIR [NAME]}
name=${2:-camera.png}
[[ -s $dir/$name ]] && exit 0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! (cd "$work" && apt-get download python3-skimage) >"$work/log" 2>&1; then
  echo "cannot download Debian's python3-skimage, which ships $name; apt-get said:" >&2
  sed 's/^/  /' "$work/log" >&2
  echo "Run apt-get update (as root) and try again, or run the demo on a picture of your own:" >&2
  echo "  build/bin/image_demo --image FILE" >&2
  exit 1
fi
if ! dpkg-deb --fsys-tarfile "$work"/python3-skimage_*.deb |
     tar -xO "./usr/lib/python3/dist-packages/skimage/data/$name" >"$work/$name" 2>"$work/log"; then
  echo "python3-skimage has no skimage/data/$name:" >&2
  sed 's/^/  /' "$work/log" >&2
  exit 1
fi
mkdir -p "$dir"
mv "$work/$name" "$dir/$name"
echo "fetched $dir/$name (from Debian's python3-skimage)"
