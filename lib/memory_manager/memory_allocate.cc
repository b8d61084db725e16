// Allocating a container's memory against the topology manager's affinity: the Static
// policy's Allocate, with its default and extended affinities, the single-vs-cross NUMA
// rule, and the reuse of init containers' memory.
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

absl::StatusOr<MemoryDecision> AllocateMemory(const MemoryStaticPolicy& policy,
                                              const PodMemorySpec& pod, std::string_view container,
                                              const TopologyHint& affinity,
                                              MemoryManagerState& state) {
  absl::StatusOr<const ContainerMemorySpec*> spec = internal::FindContainer(pod, container);
  if (!spec.ok()) return spec.status();
  MemoryDecision decision;
  if (std::optional<MemoryDecision::Outcome> skipped = internal::UnmanagedOutcome(policy, pod)) {
    decision.outcome = *skipped;
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

  const MemoryAmounts request = internal::ContainerRequests(policy, pod, **spec);
  absl::StatusOr<internal::ChosenMask> chosen =
      internal::ChooseMask(state.machine, request, internal::ReusableOf(state, pod.uid), affinity,
                           absl::StrCat("container ", internal::QuoteInput(container)));
  if (!chosen.ok()) return chosen.status();
  const NumaMask mask = chosen->mask;
  decision.used_default = chosen->used_default;
  decision.extended = chosen->extended;
  const bool preferred = chosen->preferred;

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
