// File: tests/support/vectors.h
// Locating and loading the conformance vectors, machine fixtures and reproducers in tests/data.
// Missing files fail the test loudly: a vector file that silently does not load would be a
// test that cannot fail.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace podalloc::testing {

// tests/data (conformance/, fixtures/, repro/), or PODALLOC_TEST_DATA_DIR at configure time.
std::filesystem::path TestDataDir();
// Where the sysfs tarballs of fixtures/ were unpacked at configure time.
std::filesystem::path UnpackedFixturesDir();
// Parses conformance/<relative>; FAILs the current test if it cannot.
nlohmann::json LoadVectors(const std::string& relative);
// Parses any JSON file; FAILs the current test if it cannot.
nlohmann::json LoadJsonFile(const std::filesystem::path& path);

}  // namespace podalloc::testing
