#!/usr/bin/env bash
# The main job: builds the podalloc CLI and runs the simulator on its built-in default
# (a synthetic 2-socket, 4-NUMA, 64-CPU machine, a kubelet-like configuration and the KEP-5526
# example pods). Extra arguments are passed to `podalloc simulate`; naming a machine
# (--host, --synthetic S, ...) replaces the built-in one.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PODALLOC_WITH_BINDINGS=0 "$root/cmake/install-deps.sh"
build="$root/build/release"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target podalloc_cli -j "${PODALLOC_JOBS:-$(nproc)}" >/dev/null
# The built-in machine unless the arguments name one.
machine=(--default)
for arg in "$@"; do
  case "$arg" in
    --default|--host|--synthetic|--xml|--sysfs|--json-topology|-i|--input|--synthetic=*|--xml=*|--sysfs=*|--json-topology=*|--input=*) machine=() ;;
  esac
done
exec "$build/tools/podalloc/podalloc" simulate "${machine[@]}" "$@"
