// The fit report's CPU answer against one-by-one admission of every size up to the machine's
// CPU count, and its memory answer against probes above it, on random states: machines of 1-4
// NUMA nodes, every topology-manager policy and scope, SMT alignment on or off, and random
// admissions and removals (pod-level pods, init containers and sidecars among them).
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "podalloc/fit_report.h"
#include "podalloc/resize.h"
#include "examples.h"
#include "unit/node/node_test_support.h"

namespace podalloc {
namespace {

Pod Probe(int64_t cpus, int64_t memory) {
  Pod pod;
  pod.name = "one-by-one";
  pod.namespace_name = "default";
  pod.uid = "one-by-one";
  Container c;
  c.name = "c";
  c.resources.requests = {{"cpu", Quantity::FromValue(cpus)}, {"memory", Quantity::FromValue(memory)}};
  c.resources.limits = c.resources.requests;
  pod.containers.push_back(c);
  return pod;
}

bool Admitted(const Node& node, const Pod& pod) { return testing::KubeletAdmits(node, pod); }

std::unique_ptr<Node> RandomNode(std::mt19937& rng) {
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  const int sockets = 1 + pick(2);
  const int numa_per_socket = 1 + pick(2);
  const Topology machine = testing::MakeMachine(sockets, numa_per_socket, 2 + pick(4), 4 + pick(4));
  static const char* kPolicies[] = {"none", "best-effort", "restricted", "single-numa-node"};
  NodeConfig config = testing::PodLevelConfig(kPolicies[pick(4)], pick(2) ? "pod" : "container",
                                              sockets * numa_per_socket);
  if (pick(3) == 0) config.cpu_manager_policy_options["full-pcpus-only"] = "true";
  absl::StatusOr<std::unique_ptr<Node>> node = Node::Create(machine, config);
  INFO(node.status());
  REQUIRE(node.ok());
  const int pods = pick(14);
  for (int i = 0; i < pods; ++i) {
    absl::StatusOr<Decision> d = (*node)->AdmitAndCommit(testing::RandomPod(rng, i));
    REQUIRE(d.ok());
    if (d->admitted && pick(4) == 0) REQUIRE((*node)->RemovePod(d->pod_uid).ok());
  }
  return *std::move(node);
}

TEST_CASE("the largest CPU count agrees with one-by-one admission on random states",
          "[nrt][fits][property]") {
  std::mt19937 rng(20261207);
  int non_monotone = 0;
  for (int round = 0; round < 1500; ++round) {
    std::unique_ptr<Node> node = RandomNode(rng);
    const NodeConfig& config = node->config();
    INFO("round " << round << ": " << config.topology_manager_policy << "/"
                  << config.topology_manager_scope << ", " << node->topology().NumCpus()
                  << " CPUs, " << node->State().pods.size() << " pods");
    FitQuery query;
    query.zones = false;
    absl::StatusOr<FitReport> report = WhatStillFits(*node, query);
    REQUIRE(report.ok());
    const ResourceFit& cpu = report->results.front().resources.front();
    REQUIRE(cpu.name == "cpu");
    int64_t largest = 0;
    bool refused_below = false;
    for (int64_t x = 1; x <= node->topology().NumCpus(); ++x) {
      if (Admitted(*node, Probe(x, int64_t{1} << 20))) {
        if (refused_below) ++non_monotone;
        largest = x;
      } else {
        refused_below = true;
      }
    }
    CHECK(cpu.largest == largest);
    REQUIRE(cpu.next.has_value());
    CHECK_FALSE(cpu.next->admitted);

    // Memory: the answer is admitted (unless 0) and nothing larger is, probed at the next
    // byte, at random sizes up to the machine's memory, and at every threshold candidate.
    const ResourceFit& memory = report->results.front().resources.back();
    REQUIRE(memory.name == "memory");
    if (memory.largest > 0) CHECK(Admitted(*node, Probe(1, memory.largest)));
    CHECK_FALSE(Admitted(*node, Probe(1, memory.largest + 1)));
    const int64_t total = NodeCapacity(node->topology(), config).at("memory").Value();
    for (int k = 0; k < 8 && total > memory.largest + 1; ++k) {
      const int64_t x = memory.largest + 1 +
                        static_cast<int64_t>(rng() % static_cast<uint64_t>(total - memory.largest));
      INFO("memory " << x);
      CHECK_FALSE(Admitted(*node, Probe(1, x)));
    }
  }
  // The generator reaches states where a larger pod is admitted after a smaller one is refused.
  CHECK(non_monotone > 0);
}

}  // namespace
}  // namespace podalloc
