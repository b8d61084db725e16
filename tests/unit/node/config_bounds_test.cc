// The node configuration on hostile documents (tests/data/repro items 2, 12 and 13): deep
// nesting and numbers beyond a double refused at the JSON edge, echoed values bounded,
// repeated errors said once.
#include <string>

#include <catch2/catch.hpp>

#include "node_test_support.h"
#include "podalloc/node_config.h"

namespace podalloc::testing {
namespace {

std::string ErrorOf(const std::string& text) {
  absl::StatusOr<NodeConfig> c = ParseNodeConfig(text);
  INFO(text.substr(0, 200));
  REQUIRE_FALSE(c.ok());
  CHECK(c.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(c.status().message());
}

TEST_CASE("node config bounds: JSON edge and echoed values", "[node][config][bounds]") {
  // deep_nesting.c case 3.
  std::string message = ErrorOf(R"({"cpuManagerPolicy":)" + std::string(100000, '[') +
                                std::string(100000, ']') + "}");
  CHECK_THAT(message, Catch::StartsWith("node config: not valid JSON: cpuManagerPolicy[0][0]") &&
                          Catch::Contains("nests deeper than 512"));
  CHECK(message.size() < 300);
  // number_overflow.c's node_create.
  CHECK(ErrorOf(R"({"maxPods":1e400})") ==
        "node config: not valid JSON: maxPods: the number \"1e400\" is beyond the range of a "
        "double");
  // A 10 MB policy name and a key that is not UTF-8 once decoded.
  message = ErrorOf(R"({"cpuManagerPolicy":")" + std::string(10 << 20, 's') + R"("})");
  CHECK_THAT(message, Catch::Contains("...\" (10485760 bytes) (want one of"));
  CHECK(message.size() < 400);
  CHECK(ErrorOf(R"({"featureGates":{"Gate\u0007":true}})") ==
        "featureGates.Gate\\a: unknown feature gate");
  CHECK(ErrorOf(R"({"reservedSystemCPUs":"0-\u0000"})") ==
        "reservedSystemCPUs: \"0-\\x00\" is not a CPU list");
}

TEST_CASE("node config bounds: 10000 identical reservedMemory mistakes are reported once",
          "[node][config][bounds]") {
  std::string entries;
  for (int i = 0; i < 10000; ++i) {
    entries += std::string(i > 0 ? "," : "") + R"({"numaNode":0,"limits":{"memory":"1Mi"}})";
  }
  absl::StatusOr<NodeConfig> c = ParseNodeConfig(
      R"({"memoryManagerPolicy":"Static","reservedMemory":[)" + entries + "]}");
  REQUIRE(c.ok());
  absl::StatusOr<std::unique_ptr<Node>> node = Node::Create(MakeMachine(1, 1, 2, 64), *c);
  REQUIRE_FALSE(node.ok());
  const std::string message(node.status().message());
  CHECK(message ==
        "invalid configuration: the reserved memory has a duplicate value for NUMA node 0 and "
        "resource \"memory\"");
}

}  // namespace
}  // namespace podalloc::testing
