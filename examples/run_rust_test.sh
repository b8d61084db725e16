#!/bin/sh
# Builds and tests the Rust binding (examples/rust) against a podalloc build tree, offline
# and with no crates. The crate is copied into the work folder so Cargo.lock and target/
# stay out of the source tree. Exits 77 (reported by CTest as skipped) without cargo.
# Usage: run_rust_test.sh <source dir> <work dir> <library dir>
set -eu
src=$1 work=$2 libdir=$3
cargo=${CARGO:-cargo}
if ! command -v "$cargo" >/dev/null 2>&1; then
  if [ -x "${HOME:-/nonexistent}/.cargo/bin/cargo" ]; then
    cargo="$HOME/.cargo/bin/cargo"
  else
    echo "SKIP: no cargo (install cargo and rustc) - the Rust binding was not tested"
    exit 77
  fi
fi
if [ "${PODALLOC_SANITIZE:-OFF}" = ON ]; then
  echo "SKIP: sanitizer build - a Rust program cannot load an instrumented libpodalloc"
  exit 77
fi
rm -rf "$work/crate"
mkdir -p "$work/crate"
cp -R "$src/Cargo.toml" "$src/build.rs" "$src/src" "$src/tests" "$src/examples" "$work/crate/"
export CARGO_TARGET_DIR="$work/target" PODALLOC_LIB_DIR="$libdir"
cd "$work/crate"
"$cargo" --version
"$cargo" test --offline
"$cargo" run --offline --example take -- "pack:2 numa:2 core:8 pu:2" 4
