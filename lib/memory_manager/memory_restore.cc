// Restoring and validating the machine state from assignments: the Static policy's Start
// (validateState, updateExpectedMachineState, areMachineStatesEqual).
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "node_charge.h"
#include "podalloc/internal/checked_math.h"
#include "podalloc/memory_manager.h"

namespace podalloc {
namespace {

// The first block its nodes could not hold, once the kubelet's own checks have passed.
struct Overflow {
  std::optional<absl::Status> first;
};

absl::Status ReplayBlocks(const std::vector<MemoryBlock>& blocks, std::string_view pod_uid,
                          std::string_view container, MemoryMachineState& machine,
                          Overflow& overflow) {
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
    // The kubelet charges what the nodes can hold and drops the rest, so a file whose blocks
    // ask for more memory than there is would promise it twice; Start refuses it.
    const uint64_t left = internal::ChargeBlock(machine, b.numa_affinity, b.type, b.size);
    if (left > 0 && !overflow.first.has_value()) {
      overflow.first = absl::FailedPreconditionError(absl::StrCat(
          "[memorymanager] (pod: ", std::string(pod_uid), ", container: ",
          std::string(container), ") the memory assignment of ", b.size, " bytes of ",
          b.type.Name(), " on NUMA nodes ", b.numa_affinity.ToList(), " exceeds their free ",
          b.type.Name(), " by ", left, " bytes"));
    }
  }
  return absl::OkStatus();
}

// updateExpectedMachineState over every assignment.
absl::StatusOr<MemoryMachineState> Replay(const MemoryStaticPolicy& policy,
                                          const ContainerMemoryAssignments& assignments,
                                          const PodMemoryAssignments& pod_assignments,
                                          Overflow& overflow) {
  MemoryMachineState machine = DefaultMemoryMachineState(policy);
  for (const auto& [pod_uid, containers] : assignments) {
    if (policy.gates.pod_level_resource_managers) {
      auto pod = pod_assignments.find(pod_uid);
      if (pod != pod_assignments.end() && !pod->second.empty()) {
        absl::Status s = ReplayBlocks(pod->second, pod_uid, "", machine, overflow);
        if (!s.ok()) return s;
        continue;
      }
    }
    for (const auto& [container, blocks] : containers) {
      absl::Status s = ReplayBlocks(blocks, pod_uid, container, machine, overflow);
      if (!s.ok()) return s;
    }
  }
  return machine;
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
      // A checkpoint's tables are arbitrary numbers: clamp rather than wrap into a match.
      free = internal::SaturatingAdd(free, t->free);
      reserved = internal::SaturatingAdd(reserved, t->reserved);
    }
  }
  return std::make_pair(free, reserved);
}

}  // namespace

absl::StatusOr<MemoryMachineState> RestoreMemoryMachineState(
    const MemoryStaticPolicy& policy, const ContainerMemoryAssignments& assignments,
    const PodMemoryAssignments& pod_assignments) {
  Overflow overflow;
  return Replay(policy, assignments, pod_assignments, overflow);
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
  Overflow overflow;
  absl::StatusOr<MemoryMachineState> expected =
      Replay(policy, state.assignments, pods, overflow);
  if (!expected.ok()) return expected.status();
  if (!MemoryMachineStatesMatch(state.machine, *expected)) {
    return absl::FailedPreconditionError(
        "[memorymanager] the expected machine state is different from the real one");
  }
  // Checked after the kubelet's own rules, so a file they refuse keeps their message.
  if (overflow.first.has_value()) return *overflow.first;
  if (!policy.gates.pod_level_resource_managers) state.pod_assignments.clear();
  return absl::OkStatus();
}

}  // namespace podalloc
