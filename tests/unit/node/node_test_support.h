// Machines, configurations and pods for the node tests.
#pragma once

#include <memory>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "podalloc/node.h"
#include "podalloc/pod.h"
#include "podalloc/topology.h"

namespace podalloc::testing {

inline constexpr uint64_t kGi = uint64_t{1} << 30;

// sockets x numa_per_socket NUMA nodes, each with `cores` two-thread cores and `mem_gi` GiB.
// CPU ids as Linux numbers them: first threads of every core, then the second threads.
inline Topology MakeMachine(int sockets, int numa_per_socket, int cores, int mem_gi) {
  TopologySpec spec;
  spec.name = "test machine";
  const int numa_nodes = sockets * numa_per_socket;
  const int total_cores = numa_nodes * cores;
  for (int core = 0; core < total_cores; ++core) {
    const int numa = core / cores;
    for (int thread = 0; thread < 2; ++thread) {
      CpuInfo cpu;
      cpu.id = core + thread * total_cores;
      cpu.core_id = core;
      cpu.numa_id = numa;
      cpu.socket_id = numa / numa_per_socket;
      cpu.uncore_id = numa;
      spec.cpus.push_back(cpu);
    }
  }
  for (int n = 0; n < numa_nodes; ++n) {
    spec.numa_nodes.push_back(NumaNodeInfo{n, static_cast<uint64_t>(mem_gi) * kGi, {}});
  }
  auto topology = Topology::Build(spec);
  REQUIRE(topology.ok());
  return *topology;
}

// Static CPU policy (CPU 0 reserved), Static memory policy (1Gi reserved on every node),
// both pod-level gates on.
inline NodeConfig PodLevelConfig(const std::string& tm_policy, const std::string& scope,
                                 int numa_nodes) {
  NodeConfig c;
  c.cpu_manager_policy = "static";
  c.reserved_system_cpus = *CpuSet::Parse("0");
  c.topology_manager_policy = tm_policy;
  c.topology_manager_scope = scope;
  c.memory_manager_policy = "Static";
  for (int n = 0; n < numa_nodes; ++n) {
    c.reserved_memory.push_back(MemoryReservation{n, {{"memory", kGi}}});
  }
  c.feature_gates.pod_level_resources = true;
  c.feature_gates.pod_level_resource_managers = true;
  return c;
}

struct ContainerSpec {
  std::string name;
  std::string cpu;     // "" = no request or limit
  std::string memory;  // "" = no request or limit
  std::string type = "app";  // app | init | sidecar | ephemeral
};

inline nlohmann::json ContainerJson(const ContainerSpec& c) {
  nlohmann::json j = {{"name", c.name}};
  nlohmann::json res = nlohmann::json::object();
  if (!c.cpu.empty()) {
    res["requests"]["cpu"] = c.cpu;
    res["limits"]["cpu"] = c.cpu;
  }
  if (!c.memory.empty()) {
    res["requests"]["memory"] = c.memory;
    res["limits"]["memory"] = c.memory;
  }
  j["resources"] = res;
  if (c.type == "sidecar") j["restartPolicy"] = "Always";
  return j;
}

// A pod whose spec.resources requests equal its limits (budget_cpu/budget_memory; both "" for
// no pod-level resources).
inline Pod MakePod(const std::string& uid, const std::string& budget_cpu,
                   const std::string& budget_memory, const std::vector<ContainerSpec>& containers) {
  nlohmann::json j = {{"metadata", {{"name", uid}, {"namespace", "default"}, {"uid", uid}}}};
  nlohmann::json spec = {{"containers", nlohmann::json::array()}};
  if (!budget_cpu.empty() || !budget_memory.empty()) {
    nlohmann::json r;
    if (!budget_cpu.empty()) r["requests"]["cpu"] = r["limits"]["cpu"] = budget_cpu;
    if (!budget_memory.empty()) r["requests"]["memory"] = r["limits"]["memory"] = budget_memory;
    spec["resources"] = r;
  }
  for (const ContainerSpec& c : containers) {
    const char* key = c.type == "app"         ? "containers"
                      : c.type == "ephemeral" ? "ephemeralContainers"
                                              : "initContainers";
    spec[key].push_back(ContainerJson(c));
  }
  j["spec"] = spec;
  auto pod = ParsePod(j.dump());
  INFO(j.dump());
  REQUIRE(pod.ok());
  return *pod;
}

// A random pod: pod-level budget (some containers individually Guaranteed, maybe a sidecar or
// init container), container-level Guaranteed (maybe an init container or sidecar first),
// Burstable or BestEffort. UIDs are "pod-<index>".
inline Pod RandomPod(std::mt19937& rng, int index) {
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  const std::string uid = "pod-" + std::to_string(index);
  std::vector<ContainerSpec> containers;
  const int kind = pick(4);
  const int n = 1 + pick(3);
  if (kind == 0) {  // pod-level budget, some individually Guaranteed containers
    const int budget = 2 + pick(5);
    int left = budget - 1;
    for (int i = 0; i < n; ++i) {
      ContainerSpec c{"c" + std::to_string(i), "", ""};
      if (left > 0 && pick(2) == 0) {
        const int cpus = 1 + pick(left);
        left -= cpus;
        c.cpu = std::to_string(cpus);
        c.memory = std::to_string(cpus * 256) + "Mi";
      }
      if (i == 0 && pick(3) == 0) c.type = pick(2) ? "sidecar" : "init";
      containers.push_back(c);
    }
    if (containers.back().type != "app") containers.push_back({"main", "", ""});
    return MakePod(uid, std::to_string(budget), std::to_string(budget) + "Gi", containers);
  }
  for (int i = 0; i < n; ++i) {
    ContainerSpec c{"c" + std::to_string(i), "", ""};
    if (kind == 1) {  // Guaranteed, container level
      c.cpu = pick(3) == 0 ? "500m" : std::to_string(1 + pick(4));
      c.memory = std::to_string(1 + pick(3)) + "Gi";
      if (i == 0 && n > 1 && pick(3) == 0) c.type = pick(2) ? "sidecar" : "init";
    } else if (kind == 2) {  // Burstable
      if (pick(2)) c.cpu = "";
    }
    containers.push_back(c);
  }
  if (kind == 2) {
    nlohmann::json j = {{"metadata", {{"name", uid}, {"uid", uid}}},
                        {"spec", {{"containers", nlohmann::json::array()}}}};
    for (const auto& c : containers) {
      j["spec"]["containers"].push_back(
          {{"name", c.name}, {"resources", {{"requests", {{"cpu", "250m"}, {"memory", "100Mi"}}}}}});
    }
    return *ParsePod(j.dump());
  }
  if (containers.back().type != "app") containers.push_back({"main", "1", "1Gi"});
  return MakePod(uid, "", "", containers);
}

// `node` once every pod of `pods` is admitted and committed (each must be admitted).
inline std::unique_ptr<Node> AdmitAll(std::unique_ptr<Node> node, const std::vector<Pod>& pods) {
  for (const Pod& pod : pods) {
    auto d = node->AdmitAndCommit(pod);
    INFO(pod.uid << ": " << (d.ok() ? d->message : d.status().ToString()));
    REQUIRE(d.ok());
    REQUIRE(d->admitted);
  }
  return node;
}

// The node's state and version are as they were.
struct Unchanged {
  explicit Unchanged(const Node& n) : node(n), state(n.State()), version(n.version()) {}
  void Check() const {
    CHECK(node.State() == state);
    CHECK(node.version() == version);
  }
  const Node& node;
  NodeState state;
  uint64_t version;
};

inline const ContainerDecision& Find(const Decision& d, const std::string& name) {
  for (const ContainerDecision& c : d.containers) {
    if (c.name == name) return c;
  }
  FAIL("no container " << name);
  return d.containers.front();
}

}  // namespace podalloc::testing
