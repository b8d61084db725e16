// File: bench/bench_node.h
// The node the Node and NRT benchmarks measure: a 384-CPU, 8-NUMA machine (static CPU policy,
// Static memory policy, topology manager restricted) and the pods already admitted on it.
#pragma once

#include <cstdlib>
#include <memory>
#include <string>

#include "podalloc/discovery.h"
#include "podalloc/node.h"
#include "podalloc/node_config.h"
#include "podalloc/pod.h"

namespace podalloc::bench {

inline constexpr char kMachine[] = "pack:2 numa:4 core:24 pu:2";  // 384 CPUs, 8 NUMA nodes

inline std::unique_ptr<Node> MakeNode(const std::string& scope) {
  SyntheticExtras extras;
  for (int n = 0; n < 8; ++n) extras.numa_memory_bytes[n] = uint64_t{64} << 30;
  // maxPods above the 200 pods of the fullest state, so the predicate resource fit (which the
  // fit report runs) still admits.
  std::string config = R"({"cpuManagerPolicy": "static", "reservedSystemCPUs": "0-1", "maxPods": 256,
    "topologyManagerPolicy": "restricted", "topologyManagerScope": ")" +
                       scope + R"(", "memoryManagerPolicy": "Static", "reservedMemory": [)";
  for (int n = 0; n < 8; ++n) {
    config += std::string(n ? "," : "") + R"({"numaNode": )" + std::to_string(n) +
              R"(, "limits": {"memory": "1Gi"}})";
  }
  config += R"(], "featureGates": {"PodLevelResourceManagers": true}})";
  return std::move(*Node::Create(*FromHwlocSynthetic(kMachine, extras), *ParseNodeConfig(config)));
}

inline std::string Resources(const char* cpu, const char* memory) {
  return std::string(R"({"requests": {"cpu": ")") + cpu + R"(", "memory": ")" + memory +
         R"("}, "limits": {"cpu": ")" + cpu + R"(", "memory": ")" + memory + R"("}})";
}

// Already-admitted pods: one Guaranteed 1-CPU container each.
inline void Prefill(Node& node, int pods) {
  for (int i = 0; i < pods; ++i) {
    const std::string uid = "filler-" + std::to_string(i);
    Pod p = *ParsePod(R"({"metadata": {"name": ")" + uid + R"(", "uid": ")" + uid +
                      R"("}, "spec": {"containers": [{"name": "c", "resources": )" +
                      Resources("1", "256Mi") + "}]}}");
    if (!node.AdmitAndCommit(p).ok()) std::abort();
  }
}

}  // namespace podalloc::bench
