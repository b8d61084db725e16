// What the kubelet's podresources List shows of an admitted pod, rebuilt from the state: the
// input of the exporter's arithmetic (rte mode) and of its fingerprint rule.
#include <vector>

#include "nrt_internal.h"
#include "podalloc/qos.h"

namespace podalloc::internal {

std::vector<ListedContainer> ListedContainers(const NodeState& state, const PodRecord& record) {
  const std::string uid = PodStateKey(record.pod);
  // A pod-level (KEP-5526) pod's containers in the pod shared pool hold the pool, which
  // podresources does not list; only containers with their own exclusive slice show CPUs.
  const bool pod_level = state.cpu.pod_assignments.contains(uid);
  const auto memory = state.memory.assignments.find(uid);
  std::vector<ListedContainer> out;
  auto add = [&](const Container& c) {
    if (!record.containers.contains(c.name)) return;
    ListedContainer listed;
    listed.container = &c;
    if (const CpuSet* cpus = state.cpu.Find(uid, c.name);
        cpus != nullptr && (!pod_level || IsExclusiveEligible(c))) {
      listed.cpus = *cpus;
    }
    if (memory != state.memory.assignments.end()) {
      if (auto it = memory->second.find(c.name); it != memory->second.end()) {
        listed.memory = it->second;
      }
    }
    out.push_back(std::move(listed));
  };
  for (const Container& c : record.pod.init_containers) {
    if (IsSidecar(c)) add(c);
  }
  for (const Container& c : record.pod.containers) add(c);
  return out;
}

}  // namespace podalloc::internal
