#!/usr/bin/env bash
# Fills the generated blocks of README.md and docs/*.md with what the programs print, so no number in the docs is
# typed in. A block is
#
#     <!-- generated: build/bin/svd_timing 200 -->
#     (the command's output, replaced on every run)
#     <!-- end generated -->
#
# and its command runs from the repository's root; it must succeed, or the file is left as it was. make bench runs
# this script after the benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
for file in README.md docs/*.md; do
  grep -q '^<!-- generated: ' "$file" || continue
  awk -v file="$file" '
    /^<!-- end generated -->$/ { skipping = 0 }
    skipping { next }
    { print }
    /^<!-- generated: .* -->$/ {
      command = $0
      sub(/^<!-- generated: /, "", command)
      sub(/ -->$/, "", command)
      while ((command | getline line) > 0) print line
      if (close(command) != 0) { print file ": failed: " command > "/dev/stderr"; exit 1 }
      skipping = 1
    }' "$file" > "$file.generated" || { rm -f "$file.generated"; exit 1; }
  [[ -s "$file.generated" ]] || { rm -f "$file.generated"; exit 1; }
  if cmp -s "$file" "$file.generated"; then rm "$file.generated"; else mv "$file.generated" "$file"; echo "wrote $file"; fi
done
