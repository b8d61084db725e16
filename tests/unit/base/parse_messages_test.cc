// The cpuset and quantity parsers quote what they refuse through QuoteInput (tests/data/repro
// item 13): escaped, valid UTF-8, not cut at a NUL, and short however long the input.
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "podalloc/cpuset.h"
#include "podalloc/quantity.h"
#include "support/vectors.h"

namespace podalloc {
namespace {

std::string CpusetError(const std::string& text) {
  absl::StatusOr<CpuSet> s = CpuSet::Parse(text);
  REQUIRE_FALSE(s.ok());
  return std::string(s.status().message());
}

std::string QuantityError(const std::string& text) {
  absl::StatusOr<Quantity> q = Quantity::Parse(text);
  REQUIRE_FALSE(q.ok());
  return std::string(q.status().message());
}

TEST_CASE("parse messages: cpuset input is escaped and bounded", "[cpuset][bounds]") {
  std::ifstream in(testing::TestDataDir() / "repro" / "cpuset_parse-non-utf8-message.txt",
                   std::ios::binary);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  CHECK(CpusetError(text.str()) ==
        R"(cpuset "0\xff": "0\xff" in element "0\xff" is not a CPU id)");
  CHECK(CpusetError(std::string("1,\0", 3)) == R"(cpuset "1,\x00": "\x00" in element "\x00" is not a CPU id)");
  CHECK(CpusetError("3-1") == R"(cpuset "3-1": invalid range "3-1" (3 > 1))");
  CHECK(CpusetError("99999") == R"(cpuset "99999": CPU id 99999 is out of range (max 4095))");
  // 100 MB once gave a 209 MB message.
  std::string huge(100 << 20, '1');
  huge.back() = 'x';
  const std::string message = CpusetError(huge);
  CHECK(message.size() < 600);
  CHECK_THAT(message, Catch::StartsWith("cpuset \"1111") &&
                          Catch::Contains("...\" (104857600 bytes) in element"));
}

TEST_CASE("parse messages: quantity input is escaped and bounded", "[quantity][bounds]") {
  CHECK(QuantityError("1\xff") ==
        R"(quantity "1\xff" is malformed: unexpected '\xff' at offset 1 (expected <number><suffix>, e.g. "100m", "1.5", "2Gi", "1e3"))");
  CHECK(QuantityError("5Mu") ==
        R"(quantity "5Mu" has an unknown suffix "Mu" (expected one of n u m k M G T P E, Ki Mi Gi Ti Pi Ei, or e<exponent>))");
  const std::string message = QuantityError(std::string(10 << 20, '9') + "?");
  CHECK(message.size() < 400);
  CHECK_THAT(message, Catch::Contains("(10485761 bytes) is malformed"));
}

}  // namespace
}  // namespace podalloc
