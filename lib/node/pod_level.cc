// Pod-level resource managers (KEP-5526) under topology-manager scope pod: the CPU manager's
// AllocatePod takes the pod's whole CPU budget in the merged hint's NUMA nodes and partitions
// it (exclusive slices for individually Guaranteed containers, the pod shared pool for the
// rest); the memory manager reserves the pod's memory budget on the same nodes. Containers in
// the pod shared pool get isolation level `pod`, those with a slice `container`.
#include "absl/strings/str_cat.h"
#include "metric_names.h"
#include "node_internal.h"
#include "podalloc/status_macros.h"

namespace podalloc::internal {
namespace {

absl::Status PlaceCpus(const Node::Parts& parts, const Pod& pod, const TopologyHint& hint,
                       Scratch& s, Decision& d) {
  if (!parts.cpu.has_value()) {
    for (ContainerDecision& c : d.containers) {
      c.reasons.push_back("CPU manager policy none: every container shares the node's CPUs");
    }
    return absl::OkStatus();
  }
  const PodCpuRequest req = MakePodCpuRequest(parts, pod, d.pod_uid);
  if (req.exclusive_cpus > 0) Count(d.metrics, kCpuPinningRequests);
  absl::StatusOr<PodCpuAllocation> alloc = parts.cpu->AllocatePod(s.cpu, req, hint.affinity);
  if (!alloc.ok()) {
    Count(d.metrics, kCpuPinningErrors);
    Count(d.metrics, AllocationErrors("cpu", "pod"));
    return alloc.status();
  }
  if (!alloc->allocated) {
    d.reasons.push_back(
        "pod-level CPU budget is not a whole number of CPUs (or the pod is not Guaranteed): "
        "every container runs in the node's shared pool");
    for (ContainerDecision& c : d.containers) {
      c.hint = hint;
      c.reasons.push_back("node shared pool: no pod-level CPU set");
    }
    return absl::OkStatus();
  }
  d.pod_cpus = alloc->pod_cpus;
  d.pod_shared_pool = alloc->pod_shared_pool;
  d.reasons.push_back(absl::StrCat("pod-level CPU set of ", req.exclusive_cpus, " CPUs: ",
                                   alloc->pod_cpus.ToString(), "; pod shared pool: ",
                                   alloc->pod_shared_pool.ToString()));
  // AllocatePod answers in PodCpuRequest order: init containers, then app containers, which is
  // the order of the decision's entries.
  const std::vector<const Container*> specs = DecisionOrder(pod);
  for (size_t i = 0; i < alloc->containers.size() && i < d.containers.size(); ++i) {
    const PodContainerCpus& pc = alloc->containers[i];
    ContainerDecision& c = d.containers[i];
    c.hint = hint;
    c.cpus = pc.cpus;
    c.exclusive_cpus = pc.exclusive;
    c.isolation = pc.exclusive ? IsolationLevel::kContainer : IsolationLevel::kPod;
    if (!alloc->existing) {
      Count(d.metrics, Allocations("cpu", "pod"));
      Count(d.metrics, Assignments("cpu", pc.exclusive ? "pod_exclusive" : "pod_shared"));
    }
    if (pc.exclusive) {
      c.reasons.push_back(absl::StrCat("individually Guaranteed: exclusive slice of the pod's set: ",
                                       pc.cpus.ToString()));
    } else if (c.type == ContainerType::kInit) {
      c.reasons.push_back(absl::StrCat(
          "regular init container without its own slice: the pod's set minus the sidecar slices "
          "started before it: ",
          pc.cpus.ToString()));
    } else {
      const Container* spec = i < specs.size() && specs[i]->name == c.name ? specs[i] : nullptr;
      c.reasons.push_back(absl::StrCat(
          "pod shared pool (", spec ? SharedCpuReason(parts, pod, *spec, d.qos) : "", "): ",
          pc.cpus.ToString()));
    }
  }
  return absl::OkStatus();
}

absl::Status PlaceMemory(const Node::Parts& parts, const PodMemorySpec& spec,
                         const TopologyHint& hint, Scratch& s, Decision& d) {
  if (!parts.memory.has_value()) return absl::OkStatus();
  Count(d.metrics, kMemoryPinningRequests);
  absl::StatusOr<PodMemoryDecision> mem = AllocatePodMemory(*parts.memory, spec, hint, s.memory);
  if (!mem.ok()) {
    Count(d.metrics, kMemoryPinningErrors);
    Count(d.metrics, AllocationErrors("memory", "pod"));
    return mem.status();
  }
  if (mem->outcome != MemoryDecision::Outcome::kAllocated &&
      mem->outcome != MemoryDecision::Outcome::kAlreadyAllocated) {
    d.reasons.push_back("memory: not pinned (the pod is not Guaranteed)");
    return absl::OkStatus();
  }
  d.reasons.push_back(absl::StrCat("pod-level memory on NUMA ", mem->affinity.ToList(),
                                   mem->extended ? " (hint extended to fit)" : ""));
  for (const PodContainerMemory& pc : mem->containers) {
    for (ContainerDecision& c : d.containers) {
      if (c.name != pc.name || c.type == ContainerType::kEphemeral) continue;
      c.memory_nodes = mem->affinity;
      c.memory_blocks = pc.blocks;
      const bool exclusive = pc.source == PodMemorySource::kExclusive;
      c.reasons.push_back(exclusive ? "memory: exclusive blocks out of the pod's budget"
                                    : "memory: the pod's shared memory pool");
      if (mem->outcome == MemoryDecision::Outcome::kAllocated) {
        Count(d.metrics, Allocations("memory", "pod"));
        Count(d.metrics, Assignments("memory", exclusive ? "pod_exclusive" : "pod_shared"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status AllocatePodLevel(const Node::Parts& parts, const Pod& pod,
                              const PodMemorySpec& memory_spec, const TopologyHint& hint,
                              Scratch& s, Decision& d) {
  // The kubelet's pod scope calls every provider's AllocatePod in registration order.
  PODALLOC_RETURN_IF_ERROR(PlaceCpus(parts, pod, hint, s, d));
  return PlaceMemory(parts, memory_spec, hint, s, d);
}

}  // namespace podalloc::internal
