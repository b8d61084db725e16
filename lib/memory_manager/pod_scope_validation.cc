// validatePodScopeResources (KEP-5526): a pod-level memory budget must leave something for
// the containers that share it.
#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "pod_spec.h"
#include "podalloc/memory_manager.h"

namespace podalloc {
namespace {

constexpr char kEmptyPodSharedPoolUrl[] = "type.podalloc.io/empty-pod-shared-pool";

// The kubelet wraps these in admission.EmptyPodSharedPoolError, which keeps the message.
absl::Status Rejected(std::string message) {
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kEmptyPodSharedPoolUrl, absl::Cord());
  return status;
}

}  // namespace

bool IsEmptyPodSharedPool(const absl::Status& status) {
  return status.GetPayload(kEmptyPodSharedPoolUrl).has_value();
}

absl::Status ValidatePodScopeMemory(const MemoryStaticPolicy& policy, const PodMemorySpec& pod) {
  const MemoryAmounts total = PodRequestedMemory(policy, pod);
  // Memory of containers that run for the pod's lifetime with their own blocks.
  MemoryAmounts long_running;
  auto running = [&](MemoryResource r) { return FindMemoryAmount(long_running, r).value_or(0); };
  bool has_shared_long_running = false;

  for (const ContainerMemorySpec& c : pod.init_containers) {
    const MemoryAmounts requests = internal::ContainerRequests(policy, pod, c);
    if (c.kind == MemoryContainerKind::kInit) {
      // Init containers run one at a time, beside the sidecars started before them.
      for (const MemoryAmount& t : total) {
        if (requests.empty()) {
          if (running(t.resource) >= t.bytes) {
            return Rejected(absl::StrCat("pod rejected, pod has shared init containers but no ",
                                         t.resource.Name(), " available for them"));
          }
          continue;
        }
        // The kubelet subtracts in uint64: an over-committed pool wraps and never fails.
        const uint64_t pool = t.bytes - running(t.resource);
        const uint64_t wanted = FindMemoryAmount(requests, t.resource).value_or(0);
        if (wanted > pool) {
          return Rejected(absl::StrCat("pod rejected, largest exclusive init container requests ",
                                       wanted, " of ", t.resource.Name(), ", but only ", pool,
                                       " available"));
        }
      }
      continue;
    }
    if (requests.empty()) {
      has_shared_long_running = true;
      continue;
    }
    for (const MemoryAmount& a : requests) {
      SetMemoryAmount(long_running, a.resource, running(a.resource) + a.bytes);
    }
  }
  for (const ContainerMemorySpec& c : pod.containers) {
    const MemoryAmounts requests = internal::ContainerRequests(policy, pod, c);
    if (requests.empty()) {
      has_shared_long_running = true;
      continue;
    }
    for (const MemoryAmount& a : requests) {
      SetMemoryAmount(long_running, a.resource, running(a.resource) + a.bytes);
    }
  }
  if (has_shared_long_running) {
    for (const MemoryAmount& t : total) {
      if (running(t.resource) >= t.bytes) {
        return Rejected(
            absl::StrCat("pod rejected, sum of exclusive container ", t.resource.Name(),
                         " requests equals pod budget, leaving no memory for shared containers"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace podalloc
