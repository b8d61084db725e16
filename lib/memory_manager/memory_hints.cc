// The Static policy as a topology-manager hint provider: GetTopologyHints,
// GetPodTopologyHints, regenerateHints and calculateHints, as explicit kubelet lists.
#include "hint_plan.h"
#include "pod_spec.h"
#include "podalloc/memory_manager.h"

namespace podalloc {
namespace internal {
namespace {

// Recorded blocks (after a restart, say) become the hints again when they match the
// request one to one; any mismatch gives no preference at all.
bool BlocksMatch(const std::vector<MemoryBlock>& blocks, const MemoryAmounts& request) {
  if (blocks.size() != request.size()) return false;
  for (const MemoryBlock& b : blocks) {
    std::optional<uint64_t> wanted = FindMemoryAmount(request, b.type);
    if (!wanted || *wanted != b.size) return false;
  }
  return true;
}

HintPlan Recorded(const std::vector<MemoryBlock>& blocks, MemoryAmounts request) {
  if (!BlocksMatch(blocks, request)) return HintPlan{};
  return HintPlan{HintPlan::Kind::kRegenerate, std::move(request), &blocks};
}

}  // namespace

const std::map<ReusableMemoryKey, uint64_t>* ReusableOf(const MemoryManagerState& state,
                                                        std::string_view pod_uid) {
  auto it = state.reusable.find(pod_uid);
  return it == state.reusable.end() ? nullptr : &it->second;
}

absl::StatusOr<HintPlan> PlanContainerHints(const MemoryStaticPolicy& policy,
                                            const MemoryManagerState& state,
                                            const PodMemorySpec& pod, std::string_view container) {
  absl::StatusOr<const ContainerMemorySpec*> c = FindContainer(pod, container);
  if (!c.ok()) return c.status();
  if (UnmanagedOutcome(policy, pod).has_value()) return HintPlan{};
  if (const std::vector<MemoryBlock>* blocks =
          FindMemoryBlocks(state.assignments, pod.uid, container)) {
    return Recorded(*blocks, ContainerRequests(policy, pod, **c));
  }
  return HintPlan{HintPlan::Kind::kCalculate, ContainerRequests(policy, pod, **c), nullptr};
}

HintPlan PlanPodHints(const MemoryStaticPolicy& policy, const MemoryManagerState& state,
                      const PodMemorySpec& pod) {
  if (UnmanagedOutcome(policy, pod).has_value()) return HintPlan{};
  MemoryAmounts request = PodRequestedMemory(policy, pod);
  if (ManagedAtPodLevel(policy, pod) && !ValidatePodScopeMemory(policy, pod).ok()) {
    // The topology manager is told no alignment is possible, and rejects the pod.
    return HintPlan{HintPlan::Kind::kImpossible, std::move(request), nullptr};
  }
  if (request.empty()) return HintPlan{};
  for (const auto* list : {&pod.init_containers, &pod.containers}) {
    for (const ContainerMemorySpec& c : *list) {
      if (const std::vector<MemoryBlock>* blocks =
              FindMemoryBlocks(state.assignments, pod.uid, c.name)) {
        return Recorded(*blocks, std::move(request));
      }
    }
  }
  return HintPlan{HintPlan::Kind::kCalculate, std::move(request), nullptr};
}

}  // namespace internal

namespace {

absl::StatusOr<MemoryHints> Listed(const MemoryManagerState& state, const PodMemorySpec& pod,
                                   const internal::HintPlan& plan) {
  using Kind = internal::HintPlan::Kind;
  MemoryHints out{.is_nil = plan.kind == Kind::kNil, .resources = {}};
  if (plan.kind == Kind::kNil) return out;
  std::vector<MemoryHint> hints;
  if (plan.kind == Kind::kCalculate) {
    MemoryHintSpace space(state.machine, plan.request, internal::ReusableOf(state, pod.uid));
    absl::StatusOr<std::vector<MemoryHint>> listed = space.Enumerate();
    if (!listed.ok()) return listed.status();
    // A resource appears only once some mask fits: when nothing does, the map is empty.
    if (listed->empty()) return out;
    hints = std::move(*listed);
  }
  for (const MemoryAmount& a : plan.request) {
    MemoryResourceHints& r = out.resources.emplace_back(MemoryResourceHints{a.resource, {}});
    if (plan.kind == Kind::kCalculate) r.hints = hints;
    if (plan.kind != Kind::kRegenerate) continue;
    for (const MemoryBlock& b : *plan.blocks) {
      if (b.type == a.resource) r.hints.push_back(MemoryHint{b.numa_affinity, true});
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<MemoryHints> ContainerTopologyHints(const MemoryStaticPolicy& policy,
                                                   const MemoryManagerState& state,
                                                   const PodMemorySpec& pod,
                                                   std::string_view container) {
  absl::StatusOr<internal::HintPlan> plan =
      internal::PlanContainerHints(policy, state, pod, container);
  if (!plan.ok()) return plan.status();
  return Listed(state, pod, *plan);
}

absl::StatusOr<MemoryHints> PodTopologyHints(const MemoryStaticPolicy& policy,
                                             const MemoryManagerState& state,
                                             const PodMemorySpec& pod) {
  return Listed(state, pod, internal::PlanPodHints(policy, state, pod));
}

}  // namespace podalloc
