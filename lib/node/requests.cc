// Turning a Pod into the plain requests the CPU and memory managers take, and the words the
// decision uses for a container that stays in a shared pool.
#include "absl/strings/str_cat.h"
#include "node_internal.h"
#include "podalloc/pod_resources.h"

namespace podalloc::internal {
namespace {

ContainerType InitType(const Container& c) {
  return IsSidecar(c) ? ContainerType::kSidecar : ContainerType::kInit;
}

// memory and hugepages-* requests in bytes, in resource order.
MemoryAmounts MemoryRequests(const ResourceList& requests) {
  MemoryAmounts out;
  for (const auto& [name, q] : requests) {
    if (name != kResourceMemory && !IsHugepagesResource(name)) continue;
    absl::StatusOr<MemoryResource> r = MemoryResource::Parse(name);
    if (!r.ok() || q.Value() <= 0) continue;
    SetMemoryAmount(out, *r, static_cast<uint64_t>(q.Value()));
  }
  return out;
}

}  // namespace

CpuContainerKind CpuKindOf(ContainerType type) {
  switch (type) {
    case ContainerType::kInit: return CpuContainerKind::kInit;
    case ContainerType::kSidecar: return CpuContainerKind::kSidecar;
    default: return CpuContainerKind::kApp;
  }
}

MemoryContainerKind MemoryKindOf(ContainerType type) {
  switch (type) {
    case ContainerType::kInit: return MemoryContainerKind::kInit;
    case ContainerType::kSidecar: return MemoryContainerKind::kSidecar;
    default: return MemoryContainerKind::kApp;
  }
}

PodCpuRequest MakePodCpuRequest(const Node::Parts& parts, const Pod& pod, std::string_view uid) {
  PodCpuRequest req;
  req.pod_uid = std::string(uid);
  req.exclusive_cpus = PodGuaranteedCpus(pod, parts.cpu_gates);
  req.pod_level_resources = parts.cpu_gates.pod_level_resources &&
                            parts.cpu_gates.pod_level_resource_managers &&
                            IsPodLevelResourcesSet(pod);
  const QosClass qos = GetPodQos(pod, parts.qos);
  req.containers.reserve(pod.init_containers.size() + pod.containers.size());
  for (const Container& c : pod.init_containers) {
    req.containers.push_back(
        {c.name, CpuKindOf(InitType(c)), GuaranteedCpus(pod, qos, c, parts.cpu_gates)});
  }
  for (const Container& c : pod.containers) {
    req.containers.push_back(
        {c.name, CpuContainerKind::kApp, GuaranteedCpus(pod, qos, c, parts.cpu_gates)});
  }
  return req;
}

PodMemorySpec MakePodMemorySpec(const Node::Parts& parts, const Pod& pod, std::string_view uid,
                                QosClass qos) {
  PodMemorySpec spec;
  spec.uid = std::string(uid);
  spec.guaranteed = qos == QosClass::kGuaranteed;
  spec.pod_level_resources_set = parts.qos.pod_level_resources && IsPodLevelResourcesSet(pod);
  if (pod.resources.has_value()) spec.pod_level_requests = MemoryRequests(pod.resources->requests);
  for (const Container& c : pod.init_containers) {
    spec.init_containers.push_back(
        {c.name, MemoryKindOf(InitType(c)), MemoryRequests(c.resources.requests)});
  }
  for (const Container& c : pod.containers) {
    spec.containers.push_back(
        {c.name, MemoryContainerKind::kApp, MemoryRequests(c.resources.requests)});
  }
  IndexContainers(spec);
  return spec;
}

std::vector<const Container*> DecisionOrder(const Pod& pod) {
  std::vector<const Container*> out;
  out.reserve(pod.init_containers.size() + pod.containers.size() +
              pod.ephemeral_containers.size());
  for (const auto* list : {&pod.init_containers, &pod.containers, &pod.ephemeral_containers}) {
    for (const Container& c : *list) out.push_back(&c);
  }
  return out;
}

std::string SharedCpuReason(const Node::Parts& parts, const Pod& pod, const Container& container,
                            QosClass qos) {
  if (!parts.cpu.has_value()) return "CPU manager policy none: every container shares the node's CPUs";
  if (qos != QosClass::kGuaranteed) {
    return absl::StrCat("pod QoS class ", std::string(QosClassName(qos)),
                        ": only Guaranteed pods get exclusive CPUs");
  }
  if (IsPodLevelResourcesSet(pod) && parts.cpu_gates.pod_level_resources) {
    if (!parts.cpu_gates.pod_level_resource_managers) {
      return "pod-level resources set while the PodLevelResourceManagers gate is off: no "
             "exclusive CPUs";
    }
    if (!IsContainerEquivalentGuaranteed(container)) {
      return "container's own cpu/memory requests do not equal its limits: not individually "
             "Guaranteed";
    }
  }
  const Quantity* cpu = FindResource(container.resources.requests, kResourceCpu);
  if (cpu == nullptr || cpu->MilliValue() == 0) return "no CPU request";
  if (!IsIntegralCpuAmount(*cpu)) {
    return absl::StrCat("CPU request ", cpu->ToString(), " is not a whole number of CPUs");
  }
  return "no exclusive CPUs";
}

}  // namespace podalloc::internal
