// File: lib/memory_manager/pod_spec.h
// Looking containers up in a PodMemorySpec the way the kubelet walks a pod: init containers
// first, in spec order, then app containers.
#pragma once

#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "podalloc/memory_manager.h"

namespace podalloc::internal {

// The container named `name`, or InvalidArgument naming the pod and the container.
absl::StatusOr<const ContainerMemorySpec*> FindContainer(const PodMemorySpec& pod,
                                                         std::string_view name);

// Whether the kubelet manages this pod at all: Guaranteed, and not using pod-level
// resources while the gates for them are off.
bool PodLevelResourcesUnsupported(const MemoryStaticPolicy& policy, const PodMemorySpec& pod);

// What the Static policy answers for a pod it leaves alone (not Guaranteed, or pod-level
// resources with their gates off); nullopt when it manages the pod. Allocation at container
// and at pod level and the hint providers all start with this check.
std::optional<MemoryDecision::Outcome> UnmanagedOutcome(const MemoryStaticPolicy& policy,
                                                        const PodMemorySpec& pod);

// Whether the pod's memory is managed as one pod-level budget (the PodLevelResourceManagers
// gate is on and spec.resources is set), as getPodRequestedResources decides.
bool ManagedAtPodLevel(const MemoryStaticPolicy& policy, const PodMemorySpec& pod);

// getContainerRequestedResources: the container's memory and hugepages requests, or none
// when the pod is managed at pod level and the container is not eligible for exclusive
// memory on its own.
MemoryAmounts ContainerRequests(const MemoryStaticPolicy& policy, const PodMemorySpec& pod,
                                const ContainerMemorySpec& container);

}  // namespace podalloc::internal
