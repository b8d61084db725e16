#include "support/vectors.h"

#include <fstream>

#include <catch2/catch.hpp>

namespace podalloc::testing {

std::filesystem::path TestDataDir() { return PODALLOC_TEST_DATA_DIR; }

std::filesystem::path UnpackedFixturesDir() { return PODALLOC_UNPACKED_DIR; }

nlohmann::json LoadJsonFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) FAIL("cannot open " << path.string());
  nlohmann::json doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) FAIL("malformed JSON in " << path.string());
  return doc;
}

nlohmann::json LoadVectors(const std::string& relative) {
  return LoadJsonFile(TestDataDir() / "conformance" / relative);
}

}  // namespace podalloc::testing
