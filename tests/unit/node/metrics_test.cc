// The node's Prometheus text: the admission duration histogram on an injected clock.
#include <catch2/catch.hpp>

#include <cstdint>
#include <memory>
#include <string>

#include "node_test_support.h"
#include "podalloc/node.h"

namespace podalloc {
namespace {

// Every admission plan reads the clock twice; each read advances it by `step` nanoseconds.
std::unique_ptr<Node> NodeWithClock(int64_t step, int64_t* now) {
  NodeOptions options;
  options.clock_nanos = [now, step] { return *now += step; };
  auto node = Node::Create(testing::MakeMachine(1, 2, 4, 8), NodeConfig{}, options);
  REQUIRE(node.ok());
  return std::move(*node);
}

std::string Line(const std::string& text, const std::string& prefix) {
  const size_t at = text.find("\n" + prefix);
  if (at == std::string::npos) return "";
  const size_t end = text.find('\n', at + 1);
  return text.substr(at + 1, end - at - 1);
}

TEST_CASE("node: admission duration histogram observes every plan", "[node][metrics]") {
  int64_t now = 0;
  auto node = NodeWithClock(150'000, &now);  // 0.15 ms per admission
  const std::string empty = node->MetricsText();
  CHECK_THAT(empty, Catch::Contains("# TYPE kubelet_topology_manager_admission_duration_ms "
                                    "histogram\n"));
  CHECK(Line(empty, "kubelet_topology_manager_admission_duration_ms_count") ==
        "kubelet_topology_manager_admission_duration_ms_count 0");

  const Pod a = testing::MakePod("a", "", "", {{"c", "1", "1Gi"}});
  const Pod b = testing::MakePod("b", "", "", {{"c", "1", "1Gi"}});
  REQUIRE(node->AdmitAndCommit(a).ok());
  REQUIRE(node->Admit(b).ok());  // planned, never committed: still an admission request
  const std::string text = node->MetricsText();
  const std::string name = "kubelet_topology_manager_admission_duration_ms";
  CHECK(Line(text, name + "_bucket{le=\"0.05\"}") == name + "_bucket{le=\"0.05\"} 0");
  CHECK(Line(text, name + "_bucket{le=\"0.1\"}") == name + "_bucket{le=\"0.1\"} 0");
  CHECK(Line(text, name + "_bucket{le=\"0.2\"}") == name + "_bucket{le=\"0.2\"} 2");
  CHECK(Line(text, name + "_bucket{le=\"819.2\"}") == name + "_bucket{le=\"819.2\"} 2");
  CHECK(Line(text, name + "_bucket{le=\"+Inf\"}") == name + "_bucket{le=\"+Inf\"} 2");
  CHECK(Line(text, name + "_sum") == name + "_sum 0.300000");
  CHECK(Line(text, name + "_count") == name + "_count 2");
}

TEST_CASE("node: admissions slower than the last bucket land in +Inf only", "[node][metrics]") {
  int64_t now = 0;
  auto node = NodeWithClock(int64_t{2'000'000'000}, &now);  // 2 s
  REQUIRE(node->Admit(testing::MakePod("a", "", "", {{"c", "1", "1Gi"}})).ok());
  const std::string text = node->MetricsText();
  const std::string name = "kubelet_topology_manager_admission_duration_ms";
  CHECK(Line(text, name + "_bucket{le=\"819.2\"}") == name + "_bucket{le=\"819.2\"} 0");
  CHECK(Line(text, name + "_bucket{le=\"+Inf\"}") == name + "_bucket{le=\"+Inf\"} 1");
  CHECK(Line(text, name + "_sum") == name + "_sum 2000.000000");
}

}  // namespace
}  // namespace podalloc
