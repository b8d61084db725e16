// The Static policy as a topology-manager hint provider: GetTopologyHints,
// GetPodTopologyHints, regenerateHints and calculateHints.
#include "pod_spec.h"
#include "podalloc/memory_manager.h"

namespace podalloc {
namespace {

MemoryHints NilHints() { return MemoryHints{}; }

// Recorded blocks (after a restart, say) become the hints again, each preferred, when they
// match the request one to one; any mismatch gives no preference at all.
MemoryHints Regenerate(const std::vector<MemoryBlock>& blocks, const ResourceAmounts& request) {
  MemoryHints out{.is_nil = false, .resources = {}};
  for (const ResourceAmount& a : request) out.resources.push_back(ResourceHints{a.resource, {}});
  if (blocks.size() != request.size()) return NilHints();
  for (const MemoryBlock& b : blocks) {
    std::optional<uint64_t> wanted = FindAmount(request, b.type);
    if (!wanted || *wanted != b.size) return NilHints();
    for (ResourceHints& r : out.resources) {
      if (r.resource == b.type) r.hints.push_back(MemoryHint{b.numa_affinity, true});
    }
  }
  return out;
}

absl::StatusOr<MemoryHints> Calculate(const MemoryManagerState& state,
                                      const ResourceAmounts& request,
                                      std::string_view pod_uid) {
  auto reusable = state.reusable.find(pod_uid);
  MemoryHintSpace space(state.machine, request,
                        reusable == state.reusable.end() ? nullptr : &reusable->second);
  absl::StatusOr<std::vector<MemoryHint>> hints = space.Enumerate();
  if (!hints.ok()) return hints.status();
  // Every requested resource gets the same list; a resource appears only once some mask
  // fits, so when nothing fits the answer is an empty map.
  MemoryHints out{.is_nil = false, .resources = {}};
  if (hints->empty()) return out;
  for (const ResourceAmount& a : request) out.resources.push_back(ResourceHints{a.resource, *hints});
  return out;
}

}  // namespace

absl::StatusOr<MemoryHints> ContainerTopologyHints(const StaticPolicy& policy,
                                                   const MemoryManagerState& state,
                                                   const PodMemorySpec& pod,
                                                   std::string_view container) {
  absl::StatusOr<const ContainerMemorySpec*> c = internal::FindContainer(pod, container);
  if (!c.ok()) return c.status();
  if (!pod.guaranteed || internal::PodLevelResourcesUnsupported(policy, pod)) {
    return NilHints();
  }
  if (const std::vector<MemoryBlock>* blocks = FindBlocks(state.assignments, pod.uid, container)) {
    return Regenerate(*blocks, (*c)->requests);
  }
  return Calculate(state, (*c)->requests, pod.uid);
}

absl::StatusOr<MemoryHints> PodTopologyHints(const StaticPolicy& policy,
                                             const MemoryManagerState& state,
                                             const PodMemorySpec& pod) {
  if (!pod.guaranteed || internal::PodLevelResourcesUnsupported(policy, pod)) {
    return NilHints();
  }
  const ResourceAmounts request = PodRequestedMemory(policy, pod);
  if (policy.gates.pod_level_resource_managers && pod.pod_level_resources_set &&
      !ValidatePodScopeResources(policy, pod).ok()) {
    // An empty list for every resource: the topology manager then rejects the pod.
    MemoryHints out{.is_nil = false, .resources = {}};
    for (const ResourceAmount& a : request) out.resources.push_back(ResourceHints{a.resource, {}});
    return out;
  }
  if (request.empty()) return NilHints();
  for (const auto* list : {&pod.init_containers, &pod.containers}) {
    for (const ContainerMemorySpec& c : *list) {
      if (const std::vector<MemoryBlock>* blocks = FindBlocks(state.assignments, pod.uid, c.name)) {
        return Regenerate(*blocks, request);
      }
    }
  }
  return Calculate(state, request, pod.uid);
}

}  // namespace podalloc
