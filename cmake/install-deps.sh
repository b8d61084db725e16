#!/usr/bin/env bash
# Installs the Debian packages podalloc builds, tests and runs with, when any is missing.
# Safe to run repeatedly; does nothing when everything is present.
set -euo pipefail

# clang and its runtimes (libFuzzer, ASan, UBSan) build the ASan+UBSan stage and the fuzz targets.
# libcli11-dev parses the podalloc command's flags (the command only, not the library).
packages=(cmake ninja-build g++ pkg-config bzip2 libabsl-dev nlohmann-json3-dev libhwloc-dev libxml2-dev
          libyaml-cpp-dev libcli11-dev catch2 libbenchmark-dev clang libclang-rt-14-dev librsvg2-bin)
if [[ "${PODALLOC_WITH_BINDINGS:-1}" == 1 ]]; then
  packages+=(golang-go cargo rustc)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "podalloc: installing ${missing[*]}" >&2
sudo=""
if [[ $(id -u) != 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
