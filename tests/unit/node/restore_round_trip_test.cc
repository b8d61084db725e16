// restore(save(s)) == s: for every combination of topology manager policy and scope, CPU
// manager options, memory manager policy and the pod-level gates, a node that admitted and
// removed random pods writes checkpoint files from which a fresh node restores the same
// state (files byte for byte, the pods' present containers, every checkpointed field), and
// the two nodes then decide the next pods alike.
#include <map>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "node_test_support.h"
#include "podalloc/decision_json.h"
#include "podalloc/node_checkpoint.h"

namespace podalloc::testing {
namespace {

// The state without what no checkpoint holds: the init-container reuse bookkeeping, which
// only ever concerns the pod being admitted (the kubelet keeps it in memory too).
NodeState Checkpointed(NodeState s) {
  s.cpu.reuse_pod_uid.clear();
  s.cpu.reusable_cpus = CpuSet();
  s.memory.reusable.clear();
  return s;
}

std::vector<Pod> AdmittedPods(const NodeState& s) {
  std::vector<Pod> pods;
  for (const auto& [key, record] : s.pods) pods.push_back(record.pod);
  return pods;
}

// The restored node holds what the saved one held.
void CheckRestores(const Node& saved, Node& fresh) {
  const NodeState state = saved.State();
  auto files = SaveCheckpoints(saved);
  REQUIRE(files.ok());
  const absl::Status s = RestoreFromCheckpoints(fresh, files->cpu_manager, files->memory_manager,
                                                AdmittedPods(state), RemovedContainersOf(state));
  INFO("cpu_manager_state: " << files->cpu_manager);
  INFO("memory_manager_state: " << files->memory_manager);
  INFO(s.ToString());
  REQUIRE(s.ok());
  auto again = SaveCheckpoints(fresh);
  REQUIRE(again.ok());
  CHECK(again->cpu_manager == files->cpu_manager);
  CHECK(again->memory_manager == files->memory_manager);
  CHECK(Checkpointed(fresh.State()) == Checkpointed(state));
}

// A decision without what differs between two nodes holding the same state.
std::string Comparable(Decision d) {
  d.base_version = 0;
  return DecisionToJson(d);
}

struct CpuOptions {
  const char* name;
  std::map<std::string, std::string> options;
};

const std::vector<CpuOptions>& CpuOptionSets() {
  static const std::vector<CpuOptions> sets = {
      {"none", {}},
      {"full-pcpus-only", {{"full-pcpus-only", "true"}}},
      {"distribute-cpus-across-numa", {{"distribute-cpus-across-numa", "true"}}},
      {"distribute-cpus-across-numa+full-pcpus-only",
       {{"distribute-cpus-across-numa", "true"}, {"full-pcpus-only", "true"}}},
      {"distribute-cpus-across-cores", {{"distribute-cpus-across-cores", "true"}}},
      {"strict-cpu-reservation", {{"strict-cpu-reservation", "true"}}},
      {"strict-cpu-reservation+full-pcpus-only",
       {{"strict-cpu-reservation", "true"}, {"full-pcpus-only", "true"}}},
      {"prefer-align-cpus-by-uncorecache", {{"prefer-align-cpus-by-uncorecache", "true"}}},
      {"align-by-socket", {{"align-by-socket", "true"}}},
  };
  return sets;
}

TEST_CASE("node: every configuration restores its own checkpoint", "[node][checkpoint][property]") {
  const auto policy =
      GENERATE(as<std::string>{}, "none", "best-effort", "restricted", "single-numa-node");
  const auto scope = GENERATE(as<std::string>{}, "container", "pod");
  const size_t options_index = GENERATE(range<size_t>(0, 9));
  const bool static_memory = GENERATE(false, true);
  const bool pod_level_gates = GENERATE(false, true);
  const CpuOptions& cpu_options = CpuOptionSets().at(options_index);
  // align-by-socket is refused beside single-numa-node (ValidateCpuPolicyOptions).
  if (cpu_options.options.contains("align-by-socket") && policy == "single-numa-node") return;
  const uint32_t seed = 1000 + static_cast<uint32_t>(options_index);
  CAPTURE(policy, scope, cpu_options.name, static_memory, pod_level_gates, seed);

  NodeConfig config = PodLevelConfig(policy, scope, 4);
  config.cpu_manager_policy_options = cpu_options.options;
  config.feature_gates.cpu_manager_policy_alpha_options = true;
  config.feature_gates.pod_level_resources = pod_level_gates;
  config.feature_gates.pod_level_resource_managers = pod_level_gates;
  if (!static_memory) {
    config.memory_manager_policy = "None";
    config.reserved_memory.clear();
  }
  // Two sockets of two NUMA nodes, four two-thread cores each: 32 CPUs, small enough that
  // the random pods fill it and strict reservation meets an almost empty shared pool.
  const Topology machine = MakeMachine(2, 2, 4, 8);
  auto created = Node::Create(machine, config);
  INFO(created.status().ToString());
  REQUIRE(created.ok());
  Node& node = **created;

  std::mt19937 rng(seed);
  std::vector<std::string> live;
  int next = 0;
  for (int step = 0; step < 40; ++step) {
    CAPTURE(step);
    if (live.empty() || rng() % 10 < 7) {
      auto d = node.AdmitAndCommit(RandomPod(rng, next++));
      if (d.ok() && d->admitted) live.push_back(d->pod_uid);
    } else {
      const size_t i = rng() % live.size();
      const PodRecord record = node.State().pods.at(live[i]);
      if (rng() % 3 == 0) {
        REQUIRE(node.RemovePod(live[i]).ok());
        live.erase(live.begin() + static_cast<long>(i));
      } else {
        // One container leaves; its pod says so when it is restored.
        REQUIRE(node.RemoveContainer(live[i], *record.containers.begin()).ok());
        if (record.containers.size() == 1) live.erase(live.begin() + static_cast<long>(i));
      }
    }
    if (step % 8 != 7) continue;
    auto fresh = Node::Create(machine, config);
    REQUIRE(fresh.ok());
    CheckRestores(node, **fresh);
    // The restored node goes on as the saved one does.
    for (int k = 0; k < 3; ++k) {
      const Pod pod = RandomPod(rng, 1000 + next++);
      auto a = node.Admit(pod);
      auto b = (*fresh)->Admit(pod);
      REQUIRE(a.ok() == b.ok());
      if (a.ok()) CHECK(Comparable(*a) == Comparable(*b));
    }
  }
}

}  // namespace
}  // namespace podalloc::testing
