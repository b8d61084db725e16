// Choosing the mask for an allocation: getDefaultHint, isAffinitySatisfyRequest,
// extendTopologyManagerHint and isAffinityViolatingNUMAAllocations of the Static policy.
#include "mask_choice.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace podalloc {
namespace {

constexpr char kShortfallUrl[] = "type.podalloc.io/memory-shortfall";

uint64_t FreeOn(const MemoryMachineState& machine, NumaMask mask, MemoryResource r) {
  uint64_t sum = 0;
  for (int id : mask.GetBits()) {
    const MemoryNumaNodeState* node = machine.Node(id);
    const MemoryTable* t = node == nullptr ? nullptr : node->Find(r);
    if (t != nullptr) sum += t->free;
  }
  return sum;
}

// isAffinitySatisfyRequest: the mask's free memory alone (reuse not counted) covers it all.
// A node without a table for a requested resource never satisfies (the kubelet would crash).
bool FreeCovers(const MemoryMachineState& machine, NumaMask mask, const MemoryAmounts& request) {
  for (const MemoryAmount& a : request) {
    for (int id : mask.GetBits()) {
      if (machine.Node(id)->Find(a.resource) == nullptr) return false;
    }
    if (FreeOn(machine, mask, a.resource) < a.bytes) return false;
  }
  return true;
}

// isAffinityViolatingNUMAAllocations: a node may serve single-NUMA allocations or one
// multi-NUMA group, never both.
bool ViolatesNumaGroups(const MemoryMachineState& machine, NumaMask mask) {
  if (mask.Count() == 1) return false;
  for (int id : mask.GetBits()) {
    const MemoryNumaNodeState* node = machine.Node(id);
    if (node->number_of_assignments == 0) continue;
    if (node->cells.Count() == 1 || node->cells != mask) return true;
  }
  return false;
}

absl::Status WithShortfall(absl::Status status, const MemoryMachineState& machine, NumaMask nodes,
                           const MemoryAmounts& request) {
  std::vector<std::string> lines;
  for (const MemoryAmount& a : request) {
    const uint64_t free = FreeOn(machine, nodes, a.resource);
    if (free >= a.bytes) continue;
    lines.push_back(absl::StrCat(a.resource.Name(), ": NUMA nodes ", nodes.ToList(), " have ", free,
                                 " bytes free, ", a.bytes, " requested, ", a.bytes - free,
                                 " short"));
  }
  if (lines.empty()) {
    lines.push_back(absl::StrCat(
        "NUMA nodes ", nodes.ToList(),
        " have enough free memory in total, but not on nodes that may be used together (a "
        "node serves single-NUMA allocations or one multi-NUMA group, never both)"));
  }
  status.SetPayload(kShortfallUrl, absl::Cord(absl::StrJoin(lines, "; ")));
  return status;
}

}  // namespace

std::optional<std::string> MemoryShortfall(const absl::Status& status) {
  auto payload = status.GetPayload(kShortfallUrl);
  if (!payload) return std::nullopt;
  return std::string(*payload);
}

namespace internal {

absl::StatusOr<ChosenMask> ChooseMask(const MemoryMachineState& machine,
                                      const MemoryAmounts& request,
                                      const std::map<ReusableMemoryKey, uint64_t>* reusable,
                                      const TopologyHint& affinity, std::string_view who) {
  const NumaMask machine_nodes = machine.NodeIds();
  if (affinity.affinity && !affinity.affinity->IsSubsetOf(machine_nodes)) {
    return absl::InvalidArgumentError(absl::StrCat(
        std::string(who), ": topology affinity ", affinity.affinity->ToList(),
        " names NUMA nodes the machine does not have (it has ", machine_nodes.ToList(), ")"));
  }
  // The hint space is only needed when the affinity is nil or too small.
  std::optional<MemoryHintSpace> space_storage;
  auto space = [&]() -> const MemoryHintSpace& {
    if (!space_storage) space_storage.emplace(machine, request, reusable);
    return *space_storage;
  };

  ChosenMask chosen;
  chosen.preferred = affinity.preferred;
  if (!affinity.affinity) {
    // The default affinity is what the topology manager would pick from memory alone.
    std::optional<MemoryHint> fallback;
    if (!request.empty()) fallback = space().NarrowestContaining(NumaMask());
    if (!fallback) {
      return WithShortfall(absl::ResourceExhaustedError(
                               "[memorymanager] failed to get the default NUMA affinity, no "
                               "NUMA nodes with enough memory is available"),
                           machine, machine_nodes, request);
    }
    if (!fallback->preferred && affinity.preferred) {
      return absl::FailedPreconditionError(
          "[memorymanager] failed to find the default preferred hint");
    }
    chosen.mask = fallback->affinity;
    chosen.preferred = fallback->preferred;
    chosen.used_default = true;
  } else {
    chosen.mask = *affinity.affinity;
  }

  if (!FreeCovers(machine, chosen.mask, request)) {
    // The topology manager ANDs the providers' hints, so it may hand back part of a
    // multi-NUMA hint: extend it to the narrowest hint containing it.
    std::optional<MemoryHint> extended = space().NarrowestContaining(chosen.mask);
    if (!extended) {
      return WithShortfall(
          absl::ResourceExhaustedError("[memorymanager] failed to find NUMA nodes to extend the "
                                       "current topology hint"),
          machine, chosen.mask, request);
    }
    if (!extended->preferred && chosen.preferred) {
      return absl::FailedPreconditionError(
          "[memorymanager] failed to find the extended preferred hint");
    }
    chosen.mask = extended->affinity;
    chosen.preferred = extended->preferred;
    chosen.extended = true;
  }

  if (ViolatesNumaGroups(machine, chosen.mask)) {
    return absl::FailedPreconditionError(
        "[memorymanager] preferred hint violates NUMA node allocation");
  }
  return chosen;
}

}  // namespace internal
}  // namespace podalloc
