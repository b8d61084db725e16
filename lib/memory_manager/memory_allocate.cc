// Allocating a container's memory against the topology manager's affinity: the Static
// policy's Allocate, with its default and extended affinities, the single-vs-cross NUMA
// rule, and the reuse of init containers' memory.
#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "node_charge.h"
#include "pod_spec.h"
#include "podalloc/memory_manager.h"

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
    lines.push_back(absl::StrCat(a.resource.Name(), ": NUMA nodes ", nodes.ToList(), " have ",
                                 free, " bytes free, ", a.bytes, " requested, ",
                                 a.bytes - free, " short"));
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

bool IsRegularInit(const PodMemorySpec& pod, std::string_view name) {
  for (const ContainerMemorySpec& c : pod.init_containers) {
    if (c.name == name) return c.kind == MemoryContainerKind::kInit;
  }
  return false;
}

// updatePodReusableMemory: only the pod being admitted keeps reusable memory. A regular
// init container offers its blocks (the largest per mask and resource); any other
// container consumes what it takes.
void UpdateReusable(const PodMemorySpec& pod, std::string_view container,
                    const std::vector<MemoryBlock>& blocks, ReusableMemory& reusable) {
  for (auto it = reusable.begin(); it != reusable.end();) {
    it = it->first == pod.uid ? std::next(it) : reusable.erase(it);
  }
  if (IsRegularInit(pod, container)) {
    auto& offered = reusable[pod.uid];
    for (const MemoryBlock& b : blocks) {
      uint64_t& bytes = offered[ReusableMemoryKey{b.numa_affinity.bits(), b.type}];
      if (b.size > bytes) bytes = b.size;
    }
    return;
  }
  auto pod_entry = reusable.find(pod.uid);
  if (pod_entry == reusable.end()) return;
  for (const MemoryBlock& b : blocks) {
    auto it = pod_entry->second.find(ReusableMemoryKey{b.numa_affinity.bits(), b.type});
    if (it == pod_entry->second.end() || it->second == 0) continue;
    it->second = b.size >= it->second ? 0 : it->second - b.size;
  }
}

uint64_t ReusableFor(const ReusableMemory& reusable, std::string_view pod_uid, NumaMask mask,
                     MemoryResource r) {
  auto pod = reusable.find(pod_uid);
  if (pod == reusable.end()) return 0;
  auto it = pod->second.find(ReusableMemoryKey{mask.bits(), r});
  return it == pod->second.end() ? 0 : it->second;
}

// updateInitContainersMemoryBlocks: shrink earlier regular init containers' blocks by what
// this container reused, so the blocks of the pod add up to what the machine was charged.
void ShrinkInitBlocks(const PodMemorySpec& pod, std::string_view container,
                      const std::vector<MemoryBlock>& blocks,
                      ContainerMemoryAssignments& assignments) {
  auto pod_entry = assignments.find(pod.uid);
  if (pod_entry == assignments.end()) return;
  for (const MemoryBlock& block : blocks) {
    uint64_t left = block.size;
    for (const ContainerMemorySpec& init : pod.init_containers) {
      if (init.name == container || left == 0) break;
      if (init.kind == MemoryContainerKind::kSidecar) continue;
      auto it = pod_entry->second.find(init.name);
      if (it == pod_entry->second.end()) continue;
      for (MemoryBlock& ib : it->second) {
        if (ib.size == 0 || ib.type != block.type || ib.numa_affinity != block.numa_affinity) {
          continue;
        }
        const uint64_t cut = ib.size > left ? left : ib.size;
        ib.size -= cut;
        left -= cut;
      }
    }
  }
}

}  // namespace

std::optional<std::string> MemoryShortfall(const absl::Status& status) {
  auto payload = status.GetPayload(kShortfallUrl);
  if (!payload) return std::nullopt;
  return std::string(*payload);
}

absl::StatusOr<MemoryDecision> AllocateMemory(const MemoryStaticPolicy& policy,
                                              const PodMemorySpec& pod, std::string_view container,
                                              const TopologyHint& affinity,
                                              MemoryManagerState& state) {
  absl::StatusOr<const ContainerMemorySpec*> spec = internal::FindContainer(pod, container);
  if (!spec.ok()) return spec.status();
  MemoryDecision decision;
  if (!pod.guaranteed) {
    decision.outcome = MemoryDecision::Outcome::kNotGuaranteed;
    return decision;
  }
  if (internal::PodLevelResourcesUnsupported(policy, pod)) {
    decision.outcome = MemoryDecision::Outcome::kPodLevelResourcesUnsupported;
    return decision;
  }
  if (const std::vector<MemoryBlock>* blocks =
          FindMemoryBlocks(state.assignments, pod.uid, container)) {
    decision.outcome = MemoryDecision::Outcome::kAlreadyAllocated;
    decision.blocks = *blocks;
    if (!blocks->empty()) decision.affinity = blocks->front().numa_affinity;
    UpdateReusable(pod, container, *blocks, state.reusable);
    return decision;
  }

  const MemoryAmounts& request = (*spec)->requests;
  const NumaMask machine_nodes = state.machine.NodeIds();
  if (affinity.affinity && !affinity.affinity->IsSubsetOf(machine_nodes)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "container \"", std::string(container), "\": topology affinity ",
        affinity.affinity->ToList(), " names NUMA nodes the machine does not have (it has ",
        machine_nodes.ToList(), ")"));
  }
  // The hint space is only needed when the affinity is nil or too small.
  std::optional<MemoryHintSpace> space_storage;
  auto space = [&]() -> const MemoryHintSpace& {
    if (!space_storage) {
      auto reusable = state.reusable.find(pod.uid);
      space_storage.emplace(state.machine, request,
                            reusable == state.reusable.end() ? nullptr : &reusable->second);
    }
    return *space_storage;
  };

  NumaMask mask;
  bool preferred = affinity.preferred;
  if (!affinity.affinity) {
    // The default affinity is what the topology manager would pick from memory alone.
    std::optional<MemoryHint> fallback;
    if (!request.empty()) fallback = space().NarrowestContaining(NumaMask());
    if (!fallback) {
      return WithShortfall(absl::ResourceExhaustedError(
                               "[memorymanager] failed to get the default NUMA affinity, no "
                               "NUMA nodes with enough memory is available"),
                           state.machine, machine_nodes, request);
    }
    if (!fallback->preferred && affinity.preferred) {
      return absl::FailedPreconditionError(
          "[memorymanager] failed to find the default preferred hint");
    }
    mask = fallback->affinity;
    preferred = fallback->preferred;
    decision.used_default = true;
  } else {
    mask = *affinity.affinity;
  }

  if (!FreeCovers(state.machine, mask, request)) {
    // The topology manager ANDs the providers' hints, so it may hand back part of a
    // multi-NUMA hint: extend it to the narrowest hint containing it.
    std::optional<MemoryHint> extended = space().NarrowestContaining(mask);
    if (!extended) {
      return WithShortfall(absl::ResourceExhaustedError(
                               "[memorymanager] failed to find NUMA nodes to extend the "
                               "current topology hint"),
                           state.machine, mask, request);
    }
    if (!extended->preferred && preferred) {
      return absl::FailedPreconditionError(
          "[memorymanager] failed to find the extended preferred hint");
    }
    mask = extended->affinity;
    preferred = extended->preferred;
    decision.extended = true;
  }

  if (ViolatesNumaGroups(state.machine, mask)) {
    return absl::FailedPreconditionError(
        "[memorymanager] preferred hint violates NUMA node allocation");
  }

  // Nothing can fail from here on.
  decision.affinity = mask;
  decision.preferred = preferred;
  for (const MemoryAmount& a : request) {
    decision.blocks.push_back(MemoryBlock{mask, a.resource, a.bytes});
    const uint64_t reuse = std::min(ReusableFor(state.reusable, pod.uid, mask, a.resource),
                                    a.bytes);
    if (reuse > 0) SetMemoryAmount(decision.reused, a.resource, reuse);
    internal::ChargeBlock(state.machine, mask, a.resource, a.bytes - reuse);
  }
  UpdateReusable(pod, container, decision.blocks, state.reusable);
  state.assignments[pod.uid][std::string(container)] = decision.blocks;
  ShrinkInitBlocks(pod, container, decision.blocks, state.assignments);
  return decision;
}

}  // namespace podalloc
