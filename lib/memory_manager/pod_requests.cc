// What a pod asks of the memory manager: getPodRequestedResources, and container lookup.
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "podalloc/internal/input_quote.h"
#include "pod_spec.h"

namespace podalloc {
namespace internal {

absl::StatusOr<const ContainerMemorySpec*> FindContainer(const PodMemorySpec& pod,
                                                         std::string_view name) {
  if (!pod.positions.empty()) {
    const auto it = pod.positions.find(name);
    const size_t inits = pod.init_containers.size();
    if (it != pod.positions.end() && it->second < inits + pod.containers.size()) {
      const ContainerMemorySpec& c = it->second < inits ? pod.init_containers[it->second]
                                                        : pod.containers[it->second - inits];
      if (c.name == name) return &c;
    }
  } else {
    for (const auto* list : {&pod.init_containers, &pod.containers}) {
      for (const ContainerMemorySpec& c : *list) {
        if (c.name == name) return &c;
      }
    }
  }
  return absl::InvalidArgumentError(absl::StrCat("pod ", QuoteInput(pod.uid),
                                                 " has no container ", QuoteInput(name)));
}

bool PodLevelResourcesUnsupported(const MemoryStaticPolicy& policy, const PodMemorySpec& pod) {
  return pod.pod_level_resources_set &&
         !(policy.gates.pod_level_resources && policy.gates.pod_level_resource_managers);
}

std::optional<MemoryDecision::Outcome> UnmanagedOutcome(const MemoryStaticPolicy& policy,
                                                        const PodMemorySpec& pod) {
  if (!pod.guaranteed) return MemoryDecision::Outcome::kNotGuaranteed;
  if (PodLevelResourcesUnsupported(policy, pod)) {
    return MemoryDecision::Outcome::kPodLevelResourcesUnsupported;
  }
  return std::nullopt;
}

bool ManagedAtPodLevel(const MemoryStaticPolicy& policy, const PodMemorySpec& pod) {
  return policy.gates.pod_level_resource_managers && pod.pod_level_resources_set;
}

MemoryAmounts ContainerRequests(const MemoryStaticPolicy& policy, const PodMemorySpec& pod,
                                const ContainerMemorySpec& container) {
  if (ManagedAtPodLevel(policy, pod) && !container.exclusive_eligible) return {};
  return container.requests;
}

}  // namespace internal

void IndexContainers(PodMemorySpec& pod) {
  pod.positions.clear();
  size_t i = 0;
  for (const auto* list : {&pod.init_containers, &pod.containers}) {
    // The first of a repeated name wins, as the walk over the lists would find it.
    for (const ContainerMemorySpec& c : *list) pod.positions.emplace(c.name, i++);
  }
}

MemoryAmounts PodRequestedMemory(const MemoryStaticPolicy& policy, const PodMemorySpec& pod) {
  if (internal::ManagedAtPodLevel(policy, pod)) {
    MemoryAmounts out;
    for (const MemoryAmount& a : pod.pod_level_requests) {
      if (a.bytes > 0) SetMemoryAmount(out, a.resource, a.bytes);
    }
    return out;
  }
  // Sidecars run for the pod's lifetime; a regular init container runs beside the sidecars
  // started before it (KEP-753).
  MemoryAmounts init_peak, sidecars;
  for (const ContainerMemorySpec& c : pod.init_containers) {
    for (const MemoryAmount& a : c.requests) {
      const uint64_t peak = FindMemoryAmount(init_peak, a.resource).value_or(0);
      const uint64_t running = FindMemoryAmount(sidecars, a.resource).value_or(0);
      if (c.kind == MemoryContainerKind::kSidecar) {
        SetMemoryAmount(init_peak, a.resource, peak);
        SetMemoryAmount(sidecars, a.resource, running + a.bytes);
      } else {
        SetMemoryAmount(init_peak, a.resource, std::max(peak, running + a.bytes));
      }
    }
  }
  MemoryAmounts apps;
  for (const ContainerMemorySpec& c : pod.containers) {
    for (const MemoryAmount& a : c.requests) {
      SetMemoryAmount(apps, a.resource, FindMemoryAmount(apps, a.resource).value_or(0) + a.bytes);
    }
  }
  MemoryAmounts out;
  for (const MemoryAmount& a : apps) {
    const uint64_t long_running = a.bytes + FindMemoryAmount(sidecars, a.resource).value_or(0);
    SetMemoryAmount(out, a.resource,
                    std::max(long_running, FindMemoryAmount(init_peak, a.resource).value_or(0)));
  }
  return out;
}

}  // namespace podalloc
