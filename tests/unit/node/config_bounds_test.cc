// The node configuration on hostile documents (tests/data/repro items 2, 3, 12 and 13): eviction
// percentages read as the kubelet reads them and never cast from NaN, deep nesting and numbers
// beyond a double refused at the JSON edge, echoed values bounded, repeated errors said once.
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "node_test_support.h"
#include "podalloc/node_config.h"
#include "support/vectors.h"

namespace podalloc::testing {
namespace {

std::string ErrorOf(const std::string& text) {
  absl::StatusOr<NodeConfig> c = ParseNodeConfig(text);
  INFO(text.substr(0, 200));
  REQUIRE_FALSE(c.ok());
  CHECK(c.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(c.status().message());
}

float Percentage(const std::string& value) {
  absl::StatusOr<NodeConfig> c =
      ParseNodeConfig(R"({"evictionHard":{"memory.available":")" + value + R"("}})");
  INFO(value << ": " << (c.ok() ? "ok" : std::string(c.status().message())));
  REQUIRE(c.ok());
  const EvictionThreshold& t = c->eviction_hard.at("memory.available");
  CHECK_FALSE(t.quantity.has_value());
  return t.percentage;
}

TEST_CASE("node config bounds: NaN% is not a percentage", "[node][config][bounds]") {
  std::ifstream in(TestDataDir() / "repro" / "node_config-ubsan-nan-percent.json");
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  CHECK(ErrorOf(text.str()) == "evictionHard.memory.available: \"NaN%\" is not a percentage");
  for (const char* nan : {"nan%", "NAN%", "NaN%%"}) {
    CHECK_THAT(ErrorOf(R"({"evictionHard":{"nodefs.available":")" + std::string(nan) + R"("}})"),
               Catch::EndsWith("is not a percentage"));
  }
}

TEST_CASE("node config bounds: percentages as strconv.ParseFloat(s, 32) reads them",
          "[node][config][bounds]") {
  CHECK(Percentage("10%") == 0.1f);
  CHECK(Percentage("12.5%") == 0.125f);
  CHECK(Percentage("5%%") == 0.05f);        // TrimRight drops every '%'
  CHECK(Percentage("1_0%") == 0.1f);        // Go's digit separators
  CHECK(Percentage("0x1p3%") == 0.08f);     // a hexadecimal literal
  CHECK(Percentage("+1e1%") == 0.1f);
  CHECK(Percentage("-0%") == 0.0f);         // not below zero
  CHECK(Percentage("99.99999999%") == 1.0f);  // rounds to 100 in float32, still allowed
  CHECK(Percentage("1e-50%") == 0.0f);      // underflow is zero, as in Go
  for (const char* bad : {" 5%", "5 %", "%", "%%", "x%", "5.5.5%", "1e%", "0x1%", "infinit%"}) {
    CHECK_THAT(ErrorOf(R"({"evictionHard":{"memory.available":")" + std::string(bad) + R"("}})"),
               Catch::EndsWith("is not a percentage"));
  }
  CHECK_THAT(ErrorOf(R"({"evictionHard":{"memory.available":"Inf%"}})"),
             Catch::EndsWith("Inf% must be <= 100%"));
  CHECK_THAT(ErrorOf(R"({"evictionHard":{"memory.available":"-Infinity%"}})"),
             Catch::EndsWith("-Infinity% must be >= 0%"));
  CHECK_THAT(ErrorOf(R"({"evictionHard":{"memory.available":"1e39%"}})"),
             Catch::EndsWith("is not a percentage"));  // ErrRange in Go
  CHECK_THAT(ErrorOf(R"({"evictionHard":{"memory.available":"100.001%"}})"),
             Catch::EndsWith("must be <= 100%"));
}

TEST_CASE("node config bounds: a whole-capacity percentage reserves the whole capacity",
          "[node][config][bounds]") {
  // 99.99999999% is 1.0 in float32: the reservation is all of the memory, worked out in bytes.
  absl::StatusOr<NodeConfig> c =
      ParseNodeConfig(R"({"evictionHard":{"memory.available":"99.99999999%"}})");
  REQUIRE(c.ok());
  absl::StatusOr<std::unique_ptr<Node>> node = Node::Create(MakeMachine(1, 1, 2, 1), *c);
  REQUIRE(node.ok());
  CHECK((*node)->Allocatable().at("memory").Value() == 0);
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
        "reservedSystemCPUs: invalid configuration: unable to parse reservedSystemCPUs "
        "(--reserved-cpus) 0-\\x00, error: cpuset \"0-\\x00\": \"\\x00\" in element "
        "\"0-\\x00\" is not a CPU id");
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

namespace podalloc::testing {
namespace {

// A byte that is not UTF-8 made the YAML reader hand on a string that JSON output could not
// print (an INTERNAL error from the C ABI, found by fuzz_node_config). go-yaml refuses such
// input; so does podalloc, with the line and the byte.
TEST_CASE("node config bounds: YAML that is not UTF-8 is refused, not passed on",
          "[node][config][bounds]") {
  CHECK(ErrorOf("cpuManagerPolicy: none\nkubeReserved:\n  \xff: 1\n") ==
        "node config: not valid YAML: yaml: line 3: invalid UTF-8 byte 0xff at offset 39");
  CHECK(ErrorOf("maxPods: 10\nfeatureGates: {\"a\xc3\": true}\n").find("invalid UTF-8 byte 0xc3") !=
        std::string::npos);
  // The kind of a KubeletConfiguration is echoed in its error: escaped, never raw.
  const std::string message =
      ErrorOf("apiVersion: kubelet.config.k8s.io/v1beta1\nkind: \"Kubelet\\xffConfig\"\n");
  CHECK(message.find('\xff') == std::string::npos);
}

}  // namespace
}  // namespace podalloc::testing
