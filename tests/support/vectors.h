// File: tests/support/vectors.h
// Locating and loading the shared conformance vectors and machine fixtures from tests.
// Missing files fail the test loudly: a vector file that silently does not load would be a
// test that cannot fail.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace podalloc::testing {

// The shared/ folder beside the project (conformance/, fixtures/).
std::filesystem::path SharedDir();
// Where the sysfs tarballs of shared/fixtures were unpacked at configure time.
std::filesystem::path UnpackedFixturesDir();
// Parses shared/conformance/<relative>; FAILs the current test if it cannot.
nlohmann::json LoadVectors(const std::string& relative);
// Parses any JSON file; FAILs the current test if it cannot.
nlohmann::json LoadJsonFile(const std::filesystem::path& path);

}  // namespace podalloc::testing
