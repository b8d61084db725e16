// The slice of the node state one admission works on, and how its result goes back. The CPU
// manager's Allocate reads only the shared pool, the pod's own entries and the reuse
// bookkeeping; the memory manager's only the per-NUMA tables, the pod's entries and the
// reusable init-container memory. So an admission copies those, not every pod's entries.
#include "node_internal.h"

namespace podalloc::internal {

Scratch ScratchFor(const NodeState& state, std::string_view pod_uid, const Pod* pod) {
  Scratch s;
  s.state_devices = &state.devices;
  if (pod != nullptr && RequestsDevices(state.devices, *pod)) s.devices_copy = state.devices;
  s.cpu.default_cpu_set = state.cpu.default_cpu_set;
  if (auto it = state.cpu.assignments.find(pod_uid); it != state.cpu.assignments.end()) {
    s.cpu.assignments.emplace(it->first, it->second);
  }
  if (auto it = state.cpu.pod_assignments.find(pod_uid); it != state.cpu.pod_assignments.end()) {
    s.cpu.pod_assignments.emplace(it->first, it->second);
  }
  s.cpu.reuse_pod_uid = state.cpu.reuse_pod_uid;
  s.cpu.reusable_cpus = state.cpu.reusable_cpus;

  s.memory.machine = state.memory.machine;
  if (auto it = state.memory.assignments.find(pod_uid); it != state.memory.assignments.end()) {
    s.memory.assignments.emplace(it->first, it->second);
  }
  if (auto it = state.memory.pod_assignments.find(pod_uid);
      it != state.memory.pod_assignments.end()) {
    s.memory.pod_assignments.emplace(it->first, it->second);
  }
  s.memory.reusable = state.memory.reusable;
  return s;
}

NodeStateDelta DeltaFrom(Scratch s, std::string_view pod_uid, PodRecord record) {
  NodeStateDelta d;
  d.default_cpu_set = s.cpu.default_cpu_set;
  if (auto it = s.cpu.assignments.find(pod_uid); it != s.cpu.assignments.end()) {
    d.cpu_assignments = std::move(it->second);
  }
  if (auto it = s.cpu.pod_assignments.find(pod_uid); it != s.cpu.pod_assignments.end()) {
    d.pod_cpus = it->second;
  }
  d.cpu_reuse_pod_uid = std::move(s.cpu.reuse_pod_uid);
  d.cpu_reusable = s.cpu.reusable_cpus;
  d.memory_machine = std::move(s.memory.machine);
  if (auto it = s.memory.assignments.find(pod_uid); it != s.memory.assignments.end()) {
    d.memory_assignments = std::move(it->second);
  }
  if (auto it = s.memory.pod_assignments.find(pod_uid); it != s.memory.pod_assignments.end()) {
    d.pod_memory_blocks = std::move(it->second);
  }
  d.memory_reusable = std::move(s.memory.reusable);
  d.devices = std::move(s.devices_copy);
  d.record = std::move(record);
  return d;
}

void ApplyDelta(const NodeStateDelta& d, std::string_view pod_uid, NodeState& state) {
  const std::string uid(pod_uid);
  state.cpu.default_cpu_set = d.default_cpu_set;
  if (d.cpu_assignments.empty()) {
    state.cpu.assignments.erase(uid);
  } else {
    state.cpu.assignments[uid] = d.cpu_assignments;
  }
  if (d.pod_cpus.has_value()) {
    state.cpu.pod_assignments[uid] = *d.pod_cpus;
  } else {
    state.cpu.pod_assignments.erase(uid);
  }
  state.cpu.reuse_pod_uid = d.cpu_reuse_pod_uid;
  state.cpu.reusable_cpus = d.cpu_reusable;
  state.memory.machine = d.memory_machine;
  if (d.memory_assignments.empty()) {
    state.memory.assignments.erase(uid);
  } else {
    state.memory.assignments[uid] = d.memory_assignments;
  }
  if (d.pod_memory_blocks.has_value()) {
    state.memory.pod_assignments[uid] = *d.pod_memory_blocks;
  } else {
    state.memory.pod_assignments.erase(uid);
  }
  state.memory.reusable = d.memory_reusable;
  if (d.devices.has_value()) state.devices = *d.devices;
  state.pods[uid] = d.record;
}

}  // namespace podalloc::internal
