// Restoring and validating the machine state from assignments: the Static policy's Start
// (validateState, updateExpectedMachineState, areMachineStatesEqual).
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "node_charge.h"
#include "podalloc/memory_manager.h"

namespace podalloc {
namespace {

absl::Status ReplayBlocks(const std::vector<MemoryBlock>& blocks, std::string_view pod_uid,
                          std::string_view container, MemoryMachineState& machine) {
  for (const MemoryBlock& b : blocks) {
    // The kubelet checks node by node in mask order, the node first, then the resource.
    for (int id : b.numa_affinity.GetBits()) {
      const MemoryNumaNodeState* node = machine.Node(id);
      if (node == nullptr) {
        return absl::FailedPreconditionError(
            absl::StrCat("[memorymanager] (pod: ", std::string(pod_uid), ", container: ",
                         std::string(container),
                         ") the memory assignment uses the NUMA that does not exist"));
      }
      if (node->Find(b.type) == nullptr) {
        return absl::FailedPreconditionError(absl::StrCat(
            "[memorymanager] (pod: ", std::string(pod_uid), ", container: ",
            std::string(container),
            ") the memory assignment uses memory resource that does not exist"));
      }
    }
    internal::ChargeBlock(machine, b.numa_affinity, b.type, b.size);
  }
  return absl::OkStatus();
}

// Free and reserved bytes of `resource` summed over `group` in `machine`; nullopt when a
// member is missing. A member without the resource adds nothing (the kubelet would crash
// there; cadvisor gives every node the same hugepage sizes, so it never sees one).
std::optional<std::pair<uint64_t, uint64_t>> GroupSums(const MemoryMachineState& machine,
                                                       NumaMask group, MemoryResource resource) {
  uint64_t free = 0, reserved = 0;
  for (int id : group.GetBits()) {
    const MemoryNumaNodeState* node = machine.Node(id);
    if (node == nullptr) return std::nullopt;
    if (const MemoryTable* t = node->Find(resource)) {
      free += t->free;
      reserved += t->reserved;
    }
  }
  return std::make_pair(free, reserved);
}

}  // namespace

absl::StatusOr<MemoryMachineState> RestoreMemoryMachineState(
    const MemoryStaticPolicy& policy, const ContainerMemoryAssignments& assignments,
    const PodMemoryAssignments& pod_assignments) {
  MemoryMachineState machine = DefaultMemoryMachineState(policy);
  for (const auto& [pod_uid, containers] : assignments) {
    if (policy.gates.pod_level_resource_managers) {
      auto pod = pod_assignments.find(pod_uid);
      if (pod != pod_assignments.end() && !pod->second.empty()) {
        absl::Status s = ReplayBlocks(pod->second, pod_uid, "", machine);
        if (!s.ok()) return s;
        continue;
      }
    }
    for (const auto& [container, blocks] : containers) {
      absl::Status s = ReplayBlocks(blocks, pod_uid, container, machine);
      if (!s.ok()) return s;
    }
  }
  return machine;
}

bool MemoryMachineStatesMatch(const MemoryMachineState& a, const MemoryMachineState& b) {
  if (a.nodes.size() != b.nodes.size()) return false;
  for (const MemoryNumaNodeState& na : a.nodes) {
    const MemoryNumaNodeState* nb = b.Node(na.id);
    if (nb == nullptr || na.number_of_assignments != nb->number_of_assignments ||
        na.cells != nb->cells || na.memory.size() != nb->memory.size()) {
      return false;
    }
    for (const MemoryResourceTable& ta : na.memory) {
      const MemoryTable* tb = nb->Find(ta.resource);
      if (tb == nullptr || ta.table.total != tb->total ||
          ta.table.system_reserved != tb->system_reserved ||
          ta.table.allocatable != tb->allocatable) {
        return false;
      }
      auto sums_a = GroupSums(a, na.cells, ta.resource);
      auto sums_b = GroupSums(b, na.cells, ta.resource);
      if (!sums_a || !sums_b || *sums_a != *sums_b) return false;
    }
  }
  return true;
}

absl::Status StartMemoryManager(const MemoryStaticPolicy& policy, MemoryManagerState& state) {
  if (state.machine.empty()) {
    if (!state.assignments.empty()) {
      return absl::FailedPreconditionError(
          "[memorymanager] machine state can not be empty when it has memory assignments");
    }
    state.machine = DefaultMemoryMachineState(policy);
    if (!policy.gates.pod_level_resource_managers) state.pod_assignments.clear();
    return absl::OkStatus();
  }
  const PodMemoryAssignments no_pods;
  const PodMemoryAssignments& pods =
      policy.gates.pod_level_resource_managers ? state.pod_assignments : no_pods;
  absl::StatusOr<MemoryMachineState> expected =
      RestoreMemoryMachineState(policy, state.assignments, pods);
  if (!expected.ok()) return expected.status();
  if (!MemoryMachineStatesMatch(state.machine, *expected)) {
    return absl::FailedPreconditionError(
        "[memorymanager] the expected machine state is different from the real one");
  }
  if (!policy.gates.pod_level_resource_managers) state.pod_assignments.clear();
  return absl::OkStatus();
}

}  // namespace podalloc
