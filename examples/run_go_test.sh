#!/bin/sh
# Builds and tests the Go binding (examples/go) against a podalloc build tree, offline, with
# the Go caches inside the build tree. Exits 77 (reported by CTest as skipped) without Go.
# Usage: run_go_test.sh <source dir> <work dir> <pkg-config dir> <library dir>
set -eu
src=$1 work=$2 pcdir=$3 libdir=$4
go=${GO:-go}
if ! command -v "$go" >/dev/null 2>&1; then
  echo "SKIP: no Go toolchain (install golang-go) - the Go binding was not tested"
  exit 77
fi
if [ "${PODALLOC_SANITIZE:-OFF}" = ON ]; then
  echo "SKIP: sanitizer build - a Go program cannot load an instrumented libpodalloc"
  exit 77
fi
mkdir -p "$work"
export GOPATH="$work/gopath" GOCACHE="$work/gocache" GOMODCACHE="$work/gopath/pkg/mod"
export GOPROXY=off GOSUMDB=off GOFLAGS= GOTOOLCHAIN=local GOTELEMETRY=off
# No LD_LIBRARY_PATH: the run path comes from podalloc.pc, as for a user of the binding.
export CGO_ENABLED=1 PKG_CONFIG_PATH="$pcdir"
cd "$src"
"$go" version
unformatted=$(gofmt -l . 2>/dev/null || true)
if [ -n "$unformatted" ]; then
  echo "gofmt: not formatted: $unformatted"
  exit 1
fi
"$go" vet ./...
"$go" test -count=1 -v ./...
"$go" run ./cmd/podalloc-admit
