#!/usr/bin/env bash
# Builds podalloc twice (optimised, and with ASan+UBSan) and runs every test in both.
# Usage: scripts/test.sh            (from anywhere; installs missing Debian packages first)
# Environment: PODALLOC_JOBS (parallel jobs, default: nproc), PODALLOC_SKIP_SANITIZE=1.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/cmake/install-deps.sh"
jobs=${PODALLOC_JOBS:-$(nproc)}

run_build() {
  local dir=$1; shift
  cmake -S "$root" -B "$dir" -G Ninja "$@"
  cmake --build "$dir" -j "$jobs"
  ctest --test-dir "$dir" -j "$jobs" --output-on-failure
}

run_build "$root/build/release" -DCMAKE_BUILD_TYPE=Release -DPODALLOC_BUILD_BENCH=ON
if [[ "${PODALLOC_SKIP_SANITIZE:-0}" != 1 ]]; then
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    run_build "$root/build/asan" -DCMAKE_BUILD_TYPE=Debug -DPODALLOC_SANITIZE=ON \
      -DPODALLOC_BUILD_BENCH=OFF
fi
