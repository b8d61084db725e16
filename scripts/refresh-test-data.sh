#!/usr/bin/env bash
# Copies the conformance vectors, machine fixtures and reproducers from the shared material into
# tests/data/, then shows what changed. Usage: scripts/refresh-test-data.sh [SHARED_DIR]
# (default: ../shared beside the repository). Review the diff and commit it.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${1:-"$root/../shared"}
for dir in conformance fixtures repro; do
  if [[ ! -d "$shared/$dir" ]]; then
    echo "refresh-test-data: $shared/$dir is not a folder" >&2
    exit 1
  fi
done
for dir in conformance fixtures repro; do
  rm -rf "${root:?}/tests/data/$dir"
  cp -r "$shared/$dir" "$root/tests/data/$dir"
  chmod -R u+w "$root/tests/data/$dir"
done
git -C "$root" status --short -- tests/data
