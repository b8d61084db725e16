// File: tests/unit/nrt/examples.h
// The machines, configurations and pods of the NRT spec's worked examples
// (tests/data/derived/nrt), as nodes for the export and fit report tests.
#pragma once

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "podalloc/node.h"
#include "podalloc/node_config.h"
#include "podalloc/pod_json.h"
#include "podalloc/resize.h"
#include "podalloc/topology_json.h"
#include "support/vectors.h"

namespace podalloc::testing {

inline std::string ReadExample(const std::string& name) {
  std::ifstream in(TestDataDir() / "derived/nrt" / name);
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::unique_ptr<Node> ExampleNode(int n) {
  absl::StatusOr<Topology> t =
      TopologyFromJson(ReadExample("example" + std::to_string(n) + "-topology.json"));
  REQUIRE(t.ok());
  absl::StatusOr<NodeConfig> c =
      ParseNodeConfig(ReadExample("example" + std::to_string(n) + "-config.json"));
  REQUIRE(c.ok());
  absl::StatusOr<std::unique_ptr<Node>> node = Node::Create(*t, *c);
  REQUIRE(node.ok());
  return *std::move(node);
}

// One-by-one admission as the kubelet runs it, the fit report's reference: the topology
// manager's admit (Node::Admit), then the predicate resource fit over the admitted pods.
inline bool KubeletAdmits(const Node& node, const Pod& pod) {
  absl::StatusOr<Decision> d = node.Admit(pod);
  REQUIRE(d.ok());
  if (!d->admitted) return false;
  std::vector<Pod> others;
  for (const auto& [uid, record] : node.State().pods) others.push_back(record.pod);
  return AdmitByResourceFit(node.Allocatable(), pod, others).admit;
}

inline void AdmitExamplePod(Node& node, const std::string& uid) {
  absl::StatusOr<Pod> pod = ParsePod(ReadExample("pods/" + uid + ".json"));
  REQUIRE(pod.ok());
  absl::StatusOr<Decision> d = node.AdmitAndCommit(*pod);
  REQUIRE(d.ok());
  REQUIRE(d->admitted);
}

// The examples' states after their histories.
// Example 1's state is restored as given (CPUs 5 and 7 held by one container), since the
// packed allocator would have picked one whole core.
inline std::unique_ptr<Node> Example1() {
  std::unique_ptr<Node> node = ExampleNode(1);
  absl::StatusOr<Pod> pod = ParsePod(R"({"metadata": {"uid": "uid0", "namespace": "default",
    "name": "test-pod-0"}, "spec": {"containers": [{"name": "test-cnt-0", "resources":
    {"limits": {"cpu": "2", "memory": "1Gi"}}}]}})");
  REQUIRE(pod.ok());
  CpuManagerState cpu;
  cpu.default_cpu_set = node->topology().cpus() - CpuSet{5, 7};
  cpu.assignments["uid0"]["test-cnt-0"] = CpuSet{5, 7};
  REQUIRE(node->Restore(cpu, MemoryManagerState{}, {*pod}).ok());
  return node;
}

inline std::unique_ptr<Node> Example2() {
  std::unique_ptr<Node> node = ExampleNode(2);
  AdmitExamplePod(*node, "filler");
  AdmitExamplePod(*node, "trainer-0");
  AdmitExamplePod(*node, "node-exporter-abcde");
  REQUIRE(node->RemovePod("filler").ok());
  return node;
}

inline std::unique_ptr<Node> Example3() {
  std::unique_ptr<Node> node = ExampleNode(3);
  AdmitExamplePod(*node, "bigmem-0");
  return node;
}

inline std::unique_ptr<Node> Example4() {
  std::unique_ptr<Node> node = ExampleNode(4);
  AdmitExamplePod(*node, "pod-x");
  AdmitExamplePod(*node, "pod-b");
  REQUIRE(node->RemovePod("pod-x").ok());
  AdmitExamplePod(*node, "pod-a");
  return node;
}

}  // namespace podalloc::testing
