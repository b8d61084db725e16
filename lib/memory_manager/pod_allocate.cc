// Allocating a pod managed at pod level (KEP-5526): the Static policy's AllocatePod. One
// mask and one charge for the pod's whole budget, partitioned into exclusive blocks and the
// pod's shared pool.
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "hint_plan.h"
#include "mask_choice.h"
#include "node_charge.h"
#include "pod_spec.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/memory_manager.h"

namespace podalloc {
namespace {

std::vector<MemoryBlock> BlocksOf(NumaMask mask, const MemoryAmounts& amounts) {
  std::vector<MemoryBlock> blocks;
  for (const MemoryAmount& a : amounts) {
    if (a.bytes > 0) blocks.push_back(MemoryBlock{mask, a.resource, a.bytes});
  }
  return blocks;
}

// The budget minus what `taken` holds, per resource of the budget, never below zero. The
// kubelet's uint64 arithmetic would wrap when containers ask for more than the budget; the
// API server rejects such pods, and validation rejects them whenever a container would
// be handed the wrapped pool, so only the reported pool differs.
MemoryAmounts Remainder(const MemoryAmounts& total, const MemoryAmounts& taken) {
  MemoryAmounts left;
  for (const MemoryAmount& t : total) {
    const uint64_t used = FindMemoryAmount(taken, t.resource).value_or(0);
    SetMemoryAmount(left, t.resource, used >= t.bytes ? 0 : t.bytes - used);
  }
  return left;
}

void Add(MemoryAmounts& sum, const MemoryAmounts& more) {
  for (const MemoryAmount& a : more) {
    SetMemoryAmount(sum, a.resource, FindMemoryAmount(sum, a.resource).value_or(0) + a.bytes);
  }
}

// The partition of the budget on `mask`: sidecars take their exclusive blocks for the pod's
// lifetime; a regular init container either has exclusive blocks or may use everything the
// sidecars started before it left; app containers with exclusive blocks shrink the pool
// that every other long-running container shares.
void Partition(const MemoryStaticPolicy& policy, const PodMemorySpec& pod,
               const MemoryAmounts& total, NumaMask mask, PodMemoryDecision& decision) {
  MemoryAmounts sidecars;
  MemoryAmounts exclusive_apps;
  std::vector<std::size_t> shared;  // indexes into decision.containers of pool users
  for (const ContainerMemorySpec& c : pod.init_containers) {
    const MemoryAmounts requests = internal::ContainerRequests(policy, pod, c);
    PodContainerMemory& out = decision.containers.emplace_back();
    out.name = c.name;
    if (requests.empty()) {
      if (c.kind == MemoryContainerKind::kSidecar) {
        shared.push_back(decision.containers.size() - 1);
      } else {
        out.blocks = BlocksOf(mask, Remainder(total, sidecars));
      }
      continue;
    }
    out.source = PodMemorySource::kExclusive;
    out.blocks = BlocksOf(mask, requests);
    if (c.kind == MemoryContainerKind::kSidecar) Add(sidecars, requests);
  }
  for (const ContainerMemorySpec& c : pod.containers) {
    const MemoryAmounts requests = internal::ContainerRequests(policy, pod, c);
    PodContainerMemory& out = decision.containers.emplace_back();
    out.name = c.name;
    if (requests.empty()) {
      shared.push_back(decision.containers.size() - 1);
      continue;
    }
    out.source = PodMemorySource::kExclusive;
    out.blocks = BlocksOf(mask, requests);
    Add(exclusive_apps, requests);
  }
  // Only the budget's resources form the pool: the kubelet would also list a resource that
  // only containers request, with a wrapped-around size.
  decision.shared_pool = BlocksOf(mask, Remainder(Remainder(total, sidecars), exclusive_apps));
  for (std::size_t i : shared) decision.containers[i].blocks = decision.shared_pool;
}

}  // namespace

absl::StatusOr<PodMemoryDecision> AllocatePodMemory(const MemoryStaticPolicy& policy,
                                                    const PodMemorySpec& pod,
                                                    const TopologyHint& affinity,
                                                    MemoryManagerState& state) {
  PodMemoryDecision decision;
  if (std::optional<MemoryDecision::Outcome> skipped = internal::UnmanagedOutcome(policy, pod)) {
    decision.outcome = *skipped;
    return decision;
  }
  if (!pod.pod_level_resources_set) {
    return absl::FailedPreconditionError(
        absl::StrCat("pod ", internal::QuoteInput(pod.uid),
                     " sets no pod-level resources; allocate its containers one by one instead"));
  }
  const MemoryAmounts total = PodRequestedMemory(policy, pod);
  if (auto recorded = state.pod_assignments.find(pod.uid);
      recorded != state.pod_assignments.end()) {
    decision.outcome = MemoryDecision::Outcome::kAlreadyAllocated;
    decision.pod_blocks = recorded->second;
    if (!recorded->second.empty()) decision.affinity = recorded->second.front().numa_affinity;
    Partition(policy, pod, total, decision.affinity, decision);
    for (PodContainerMemory& c : decision.containers) {
      if (const auto* blocks = FindMemoryBlocks(state.assignments, pod.uid, c.name)) {
        c.blocks = *blocks;
      }
    }
    return decision;
  }

  if (absl::Status valid = ValidatePodScopeMemory(policy, pod); !valid.ok()) return valid;
  absl::StatusOr<internal::ChosenMask> chosen =
      internal::ChooseMask(state.machine, total, internal::ReusableOf(state, pod.uid), affinity,
                           absl::StrCat("pod ", internal::QuoteInput(pod.uid)));
  if (!chosen.ok()) return chosen.status();

  // Nothing can fail from here on.
  decision.affinity = chosen->mask;
  decision.preferred = chosen->preferred;
  decision.used_default = chosen->used_default;
  decision.extended = chosen->extended;
  decision.pod_blocks = BlocksOf(chosen->mask, total);
  Partition(policy, pod, total, chosen->mask, decision);
  for (const MemoryBlock& b : decision.pod_blocks) {
    internal::ChargeBlock(state.machine, b.numa_affinity, b.type, b.size);
  }
  state.pod_assignments[pod.uid] = decision.pod_blocks;
  ContainerMemoryBlocks& entries = state.assignments[pod.uid];
  for (const PodContainerMemory& c : decision.containers) entries[c.name] = c.blocks;
  return decision;
}

}  // namespace podalloc
