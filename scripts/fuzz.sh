#!/usr/bin/env bash
# Fuzzes podalloc's input parsers through the C ABI with libFuzzer (tests/fuzz/fuzz_<kind>.cc;
# see docs/testing.md). Builds the targets in an ASan+UBSan clang build folder, runs each for
# a bounded time on a copy of its seed corpus (tests/fuzz/corpus/<kind>/) with its dictionary
# (tests/fuzz/<kind>.dict), and fails when any target crashes, leaks, times out or reports a
# broken promise. Crash inputs are saved as <build>/fuzz/<kind>/crash-<hash>, and the command
# that reproduces each is printed.
#
# Usage: scripts/fuzz.sh [-t SECONDS] [-b BUILD_DIR] [--no-build] [--ci] [TARGET...]
#        scripts/fuzz.sh --repro FILE TARGET      (run one input through a target)
#   TARGET      a kind (cpuset, pod_admit, ...) or fuzz_<kind>; default: every target built
#   -t SECONDS  time per target (default 300)
#   -b DIR      build folder (default build/asan, configured with clang when not there yet)
#   --no-build  use the targets as they are built
#   --ci        the short run of scripts/test.sh: a fixed mutation seed, and leaves out the
#               targets of ci_skip below
# Environment: PODALLOC_JOBS (build jobs, default nproc).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=300
build="$root/build/asan"
do_build=1
ci=0
repro=""
targets=()

# Targets left out of the short CI run, each with the known problem that stops it. Remove an
# entry once the problem is fixed (tests/data/repro/README.md numbers them).
ci_skip=()

while (($#)); do
  case "$1" in
    -t) seconds=$2; shift 2 ;;
    -b) build=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
    --no-build) do_build=0; shift ;;
    --ci) ci=1; shift ;;
    --repro) repro=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) targets+=("${1#fuzz_}"); shift ;;
  esac
done

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"

if ((do_build)); then
  if [[ ! -f "$build/CMakeCache.txt" ]]; then
    CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
      -DPODALLOC_SANITIZE=ON -DPODALLOC_BUILD_FUZZERS=ON -DPODALLOC_BUILD_BENCH=OFF
  else
    cmake "$build" -DPODALLOC_BUILD_FUZZERS=ON >/dev/null
  fi
  mapfile -t all < <(cd "$root/tests/fuzz" && ls fuzz_*.cc | sed 's/\.cc$//')
  cmake --build "$build" -j "${PODALLOC_JOBS:-$(nproc)}" --target "${all[@]}"
fi

bin_dir="$build/tests/fuzz"
if [[ -n "$repro" ]]; then
  ((${#targets[@]} == 1)) || { echo "fuzz: --repro needs exactly one TARGET" >&2; exit 2; }
  exec "$bin_dir/fuzz_${targets[0]}" "$repro"
fi
if ((${#targets[@]} == 0)); then
  mapfile -t targets < <(find "$bin_dir" -maxdepth 1 -type f -executable -name 'fuzz_*' \
                           -printf '%f\n' 2>/dev/null | sed 's/^fuzz_//' | sort)
fi
if ((${#targets[@]} == 0)); then
  echo "fuzz: no fuzz targets in $bin_dir (configure with -DPODALLOC_BUILD_FUZZERS=ON)" >&2
  exit 2
fi

passed=0
failed=0
for kind in "${targets[@]}"; do
  if ((ci)) && [[ " ${ci_skip[*]} " == *" $kind "* ]]; then
    echo "fuzz: $kind left out of the CI run (see ci_skip in scripts/fuzz.sh)"
    continue
  fi
  bin="$bin_dir/fuzz_$kind"
  work="$build/fuzz/$kind"
  mkdir -p "$work/corpus"
  args=(-max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -print_final_stats=1
        -artifact_prefix="$work/")
  [[ -f "$root/tests/fuzz/$kind.dict" ]] && args+=(-dict="$root/tests/fuzz/$kind.dict")
  # The CI run mutates from a fixed seed: every CI run tries the same inputs in the same order
  # (as far as its time allows), so a red CI is a finding that reproduces, not bad luck.
  ((ci)) && args+=(-seed=1)
  corpora=("$work/corpus")
  [[ -d "$root/tests/fuzz/corpus/$kind" ]] && corpora+=("$root/tests/fuzz/corpus/$kind")
  before=$(ls "$work" | grep -E '^(crash|leak|timeout|oom|slow-unit)-' || true)
  if "$bin" "${args[@]}" "${corpora[@]}" >"$work/log" 2>&1; then
    runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$work/log" | grep -Eo '[0-9]+$' ||
           echo "?")
    echo "fuzz: $kind passed ($runs inputs in ${seconds} s)"
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "fuzz: $kind FAILED; last lines of $work/log:"
    grep -v '^#' "$work/log" | tail -n 40 | sed 's/^/  /'
    for artifact in $(ls "$work" | grep -E '^(crash|leak|timeout|oom|slow-unit)-' || true); do
      if ! grep -qx "$artifact" <<<"$before"; then
        echo "fuzz: $kind input saved as $work/$artifact"
        echo "fuzz: reproduce with:" \
             "scripts/fuzz.sh -b $build --no-build --repro $work/$artifact $kind"
      fi
    done
  fi
done
echo "fuzz: $passed passed, $failed failed"
((failed == 0))
