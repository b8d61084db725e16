// Topology JSON on hostile documents (tests/data/repro items 2 and 12): deep nesting and numbers
// beyond a double are InvalidArgument naming the path, not a crash or an INTERNAL library text.
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "podalloc/topology_json.h"
#include "support/vectors.h"

namespace podalloc {
namespace {

std::string ErrorOf(const std::string& text) {
  absl::StatusOr<Topology> t = TopologyFromJson(text);
  REQUIRE_FALSE(t.ok());
  CHECK(t.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(t.status().message());
}

std::string Repro(const std::string& name) {
  std::ifstream in(testing::TestDataDir() / "repro" / name, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST_CASE("topology JSON bounds: a number beyond a double names its path", "[json][bounds]") {
  CHECK(ErrorOf(Repro("topology_json-INTERNAL-1e400.json")) ==
        "topology JSON: malformed: /schema: the number \"1e400\" is beyond the range of a double");
  // The fuzzer's file: a top-level 1e310 followed by bytes that are not UTF-8.
  const std::string message = ErrorOf(Repro("topology_json-INTERNAL-number-overflow.json"));
  CHECK_THAT(message, Catch::StartsWith("topology JSON: malformed: /: the number \"1e310\""));
  CHECK(ErrorOf(R"({"schema":"podalloc.topology/v1","cpus":[{"id":0,"core":1e999}]})") ==
        "topology JSON: malformed: /cpus/0/core: the number \"1e999\" is beyond the range of a "
        "double");
}

TEST_CASE("topology JSON bounds: deep nesting is refused before any value is built",
          "[json][bounds]") {
  // deep_nesting.c case 2.
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const std::string message =
      ErrorOf(R"({"schema":"podalloc.topology/v1","cpus":[{"id":)" + deep +
              R"(,"core":0,"socket":0,"numa":0}]})");
  CHECK_THAT(message, Catch::StartsWith("topology JSON: malformed: /cpus/0/id/0/0/") &&
                          Catch::Contains("nests deeper than 512"));
  CHECK(message.size() < 300);
  // Within the limit the reader's own type error quotes a short excerpt.
  CHECK(ErrorOf(R"({"schema":"podalloc.topology/v1","cpus":[{"id":)" +
                std::string(100, '[') + std::string(100, ']') + "}]}") ==
        "topology JSON: /cpus/0/id: expected an integer, got array " + std::string(40, '[') +
            "...");
}

TEST_CASE("topology JSON bounds: keys and values are quoted safely", "[json][bounds]") {
  CHECK(ErrorOf(R"({"schema":"v\u0000\u00ff2"})") ==
        "topology JSON: /schema: unknown schema version \"v\\x00\xc3\xbf" "2\" (supported: "
        "\"podalloc.topology/v1\")");
  const std::string key(1 << 20, 'k');
  const std::string message = ErrorOf(R"({"schema":"podalloc.topology/v1",")" + key + R"(":1})");
  CHECK_THAT(message, Catch::EndsWith("...: unknown key"));
  CHECK(message.size() < 300);
}

}  // namespace
}  // namespace podalloc
