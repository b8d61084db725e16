// The memory hints in the topology manager's compact form (podalloc/hint.h): the rule of
// calculateHints as a CapacityHints family instead of 2^N masks.
#include "hint_plan.h"
#include "podalloc/hint.h"
#include "podalloc/memory_manager.h"

namespace podalloc {
namespace {

// calculateHints as a family: per resource the free bytes (plus the pod's reusable init
// memory on its exact mask) and the allocatable bytes must cover the request; a node in a
// group is never alone; a node in use may only be combined into exactly its group.
CapacityHints Family(const MemoryManagerState& state, const MemoryAmounts& request,
                     std::string_view pod_uid, int min_affinity_size) {
  const MemoryMachineState& machine = state.machine;
  const std::map<ReusableMemoryKey, uint64_t>* reusable = internal::ReusableOf(state, pod_uid);
  CapacityHints f;
  f.group_of.assign(NumaMask::kMaxNodes, NumaMask());
  for (const MemoryAmount& a : request) {
    CapacityDemand free{.available = std::vector<uint64_t>(NumaMask::kMaxNodes, 0),
                        .request = a.bytes, .base = 0, .exact_mask_extra = {}};
    CapacityDemand allocatable = free;
    for (const MemoryNumaNodeState& n : machine.nodes) {
      if (const MemoryTable* t = n.Find(a.resource)) {
        free.available[n.id] = t->free;
        allocatable.available[n.id] = t->allocatable;
      }
    }
    if (reusable != nullptr) {
      for (const auto& [key, bytes] : *reusable) {
        if (key.resource == a.resource && bytes > 0) {
          free.exact_mask_extra.emplace_back(NumaMask::FromBits(key.mask_bits), bytes);
        }
      }
    }
    f.demands.push_back(std::move(free));
    f.demands.push_back(std::move(allocatable));
  }
  for (const MemoryNumaNodeState& n : machine.nodes) {
    // A node without a table for a requested resource is in no hint (the kubelet would
    // crash on it), so it is left out of the family's nodes.
    bool tracks_all = true;
    for (const MemoryAmount& a : request) tracks_all = tracks_all && n.Find(a.resource) != nullptr;
    if (tracks_all) f.nodes.Set(n.id);
    if (n.cells.Count() > 1) f.not_alone.Set(n.id);
    // A used node joins multi-node masks only as its own group; a used node whose recorded
    // group is empty joins none (the kubelet compares the empty group and fails).
    if (n.number_of_assignments > 0) {
      f.group_of[n.id] = n.cells.IsEmpty() ? NumaMask::Single(n.id) : n.cells;
    }
  }
  f.preferred_size = min_affinity_size;
  return f;
}

// Whether the space holds any hint at all. A single node that fits settles it without the
// covering search NarrowestContaining runs for multi-node masks.
bool AnyHint(const MemoryMachineState& machine, const MemoryHintSpace& space) {
  for (const MemoryNumaNodeState& n : machine.nodes) {
    if (space.Find(NumaMask::Single(n.id)).has_value()) return true;
  }
  return space.NarrowestContaining(NumaMask()).has_value();
}

ProviderHints Provided(const MemoryManagerState& state, const PodMemorySpec& pod,
                       const internal::HintPlan& plan) {
  using Kind = internal::HintPlan::Kind;
  ProviderHints out;
  switch (plan.kind) {
    case Kind::kNil:
      return out;
    case Kind::kImpossible:
      for (const MemoryAmount& a : plan.request) {
        out.resources[a.resource.Name()] = ResourceHints::List({});
      }
      return out;
    case Kind::kRegenerate:
      for (const MemoryAmount& a : plan.request) {
        std::vector<TopologyHint> hints;
        for (const MemoryBlock& b : *plan.blocks) {
          if (b.type == a.resource) hints.push_back(TopologyHint::Of(b.numa_affinity, true));
        }
        out.resources[a.resource.Name()] = ResourceHints::List(std::move(hints));
      }
      return out;
    case Kind::kCalculate: {
      // The kubelet names a resource only once some mask fits.
      const MemoryHintSpace space(state.machine, plan.request,
                                  internal::ReusableOf(state, pod.uid));
      if (plan.request.empty() || !AnyHint(state.machine, space)) return out;
      const CapacityHints family = Family(state, plan.request, pod.uid, space.MinAffinitySize());
      for (const MemoryAmount& a : plan.request) {
        out.resources[a.resource.Name()] = ResourceHints::Capacity(family);
      }
      return out;
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<ProviderHints> ContainerProviderHints(const MemoryStaticPolicy& policy,
                                                     const MemoryManagerState& state,
                                                     const PodMemorySpec& pod,
                                                     std::string_view container) {
  absl::StatusOr<internal::HintPlan> plan =
      internal::PlanContainerHints(policy, state, pod, container);
  if (!plan.ok()) return plan.status();
  return Provided(state, pod, *plan);
}

absl::StatusOr<ProviderHints> PodProviderHints(const MemoryStaticPolicy& policy,
                                               const MemoryManagerState& state,
                                               const PodMemorySpec& pod) {
  return Provided(state, pod, internal::PlanPodHints(policy, state, pod));
}

}  // namespace podalloc
