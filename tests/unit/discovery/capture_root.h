// File: tests/unit/discovery/capture_root.h
// Where a sysfs tarball of tests/data/fixtures was unpacked: the folder holding its sys/.
#pragma once

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "support/vectors.h"

namespace podalloc::testing {

inline std::filesystem::path CaptureRoot(const std::string& tarball) {
  std::filesystem::path dir = UnpackedFixturesDir() / tarball;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (std::filesystem::exists(entry.path() / "sys")) return entry.path();
  }
  FAIL("no capture with a sys/ folder under " << dir);
  return {};
}

}  // namespace podalloc::testing
