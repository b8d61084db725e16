#!/bin/sh
# The Go hello world of docs/c-abi.md, built as a user would: a module outside the source tree
# that requires podalloc.dev/podalloc, replaced by the binding installed under the prefix,
# linked through the installed podalloc.pc (no LD_LIBRARY_PATH: the .pc carries the run
# path), offline. Exits 77 (skipped) without Go or in a sanitizer build.
# Usage: go_hello.sh <prefix> <work dir> <hello source dir>
set -eu
prefix=$1 work=$2 src=$3
go=${GO:-go}
if ! command -v "$go" >/dev/null 2>&1; then
  echo "SKIP: no Go toolchain (install golang-go)"
  exit 77
fi
if [ "${PODALLOC_SANITIZE:-OFF}" = ON ]; then
  echo "SKIP: sanitizer build - a Go program cannot load an instrumented libpodalloc"
  exit 77
fi
pc=$(dirname "$(find "$prefix" -name podalloc.pc | head -n 1)")
binding=$(find "$prefix" -path '*/podalloc/go/go.mod' | head -n 1)
if [ -z "$binding" ]; then
  echo "no Go binding installed under $prefix"
  exit 1
fi
rm -rf "$work/hello"
mkdir -p "$work/hello"
cp "$src/main.go" "$work/hello/"
cat > "$work/hello/go.mod" <<MOD
module example.org/hello

go 1.19

require podalloc.dev/podalloc v0.1.0

replace podalloc.dev/podalloc => $(dirname "$binding")
MOD
export GOPATH="$work/gopath" GOCACHE="$work/gocache" GOMODCACHE="$work/gopath/pkg/mod"
export GOPROXY=off GOSUMDB=off GOFLAGS=-mod=mod GOTOOLCHAIN=local GOTELEMETRY=off
export CGO_ENABLED=1 PKG_CONFIG_PATH="$pc"
unset LD_LIBRARY_PATH
cd "$work/hello"
"$go" build -o hello .
./hello
