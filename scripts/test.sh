#!/usr/bin/env bash
# Builds podalloc twice (optimised, and with ASan+UBSan) and runs every test in both, fuzzes
# each input parser for a short while in the ASan+UBSan build, then builds the multi-threaded
# stress tests (Catch2 tag [stress], CTest label "stress") with ThreadSanitizer and runs them;
# any sanitizer report or fuzzer finding fails the run. docs/testing.md describes the stages.
# Usage: scripts/test.sh            (from anywhere; installs missing Debian packages first)
# Environment: PODALLOC_JOBS (parallel jobs, default: nproc), PODALLOC_SKIP_SANITIZE=1 (skips
# the ASan+UBSan build and the fuzzing), PODALLOC_SKIP_FUZZ=1 (skips the fuzzing),
# PODALLOC_FUZZ_SECONDS (time per fuzz target, default 15), PODALLOC_SKIP_TSAN=1 (skips the
# ThreadSanitizer build).
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
  # With clang the ASan+UBSan build also holds the libFuzzer targets (sharing its objects;
  # clang compiles this build faster than GCC does). A folder configured with the other
  # compiler is configured afresh.
  asan="$root/build/asan"
  runtime=$(clang++ -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null || true)
  fuzz=OFF
  if [[ $runtime == /* ]]; then
    fuzz=ON
  else
    echo "podalloc: no clang with libFuzzer: GCC sanitizer build, no fuzzing" >&2
  fi
  cached=OFF
  if grep -qs '^CMAKE_CXX_COMPILER:.*clang' "$asan/CMakeCache.txt"; then cached=ON; fi
  if [[ -f "$asan/CMakeCache.txt" && $cached != "$fuzz" ]]; then
    rm -rf "$asan/CMakeCache.txt" "$asan/CMakeFiles"
  fi
  (
    if [[ $fuzz == ON ]]; then export CC=clang CXX=clang++; fi
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
      run_build "$asan" -DCMAKE_BUILD_TYPE=Debug -DPODALLOC_SANITIZE=ON \
        -DPODALLOC_BUILD_BENCH=OFF -DPODALLOC_BUILD_FUZZERS=$fuzz
  )
  if [[ $fuzz == ON && "${PODALLOC_SKIP_FUZZ:-0}" != 1 ]]; then
    "$root/scripts/fuzz.sh" -b "$asan" --no-build --ci -t "${PODALLOC_FUZZ_SECONDS:-15}"
  fi
fi
if [[ "${PODALLOC_SKIP_TSAN:-0}" != 1 ]]; then
  # Only the test binaries holding [stress] cases are built, so the stage costs minutes.
  targets=()
  for dir in $(grep -l '\[stress\]' "$root"/tests/unit/*/*.cc | xargs -n1 dirname | sort -u); do
    targets+=("test_$(basename "$dir")")
  done
  tsan="$root/build/tsan"
  cmake -S "$root" -B "$tsan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DPODALLOC_SANITIZE=ON -DPODALLOC_SANITIZER=thread \
    -DPODALLOC_BUILD_BENCH=OFF -DPODALLOC_BUILD_EXAMPLES=OFF
  cmake --build "$tsan" -j "$jobs" --target "${targets[@]}"
  # halt_on_error: the first report ends the test with a failure (exit code 66).
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}" \
    ctest --test-dir "$tsan" -L stress --no-tests=error --output-on-failure
fi
