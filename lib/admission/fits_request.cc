// fitsRequest (pkg/scheduler/framework/plugins/noderesources/fit.go) as the kubelet's predicate
// admit handler runs it, and the kubelet's reason and message for its first failure.
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "podalloc/resource_fit.h"

namespace podalloc {
namespace {

void Check(std::string_view name, int64_t requested, int64_t allocatable, int64_t used,
           std::vector<InsufficientResource>& out) {
  if (requested > allocatable - used) {
    out.push_back(InsufficientResource{std::string(name), requested, used, allocatable,
                                       requested > allocatable});
  }
}

}  // namespace

FitResources NodeFitAllocatable(const ResourceList& node_allocatable) {
  FitResources a = ToFitResources(node_allocatable);
  // The largest amount never fails "requested > allocatable - used".
  constexpr int64_t kUnlimited = std::numeric_limits<int64_t>::max();
  if (FindResource(node_allocatable, kResourcePods) == nullptr) a.allowed_pods = kUnlimited;
  if (FindResource(node_allocatable, kResourceEphemeralStorage) == nullptr) {
    a.ephemeral_storage = kUnlimited;
  }
  return a;
}

std::vector<InsufficientResource> FitsRequest(const FitResources& request,
                                              const FitResources& allocatable,
                                              const FitResources& used, int64_t other_pods) {
  std::vector<InsufficientResource> out;
  if (other_pods + 1 > allocatable.allowed_pods) {
    out.push_back(InsufficientResource{std::string(kResourcePods), 1, other_pods,
                                       allocatable.allowed_pods, false});
  }
  if (request.milli_cpu == 0 && request.memory == 0 && request.ephemeral_storage == 0 &&
      request.scalar.empty()) {
    return out;
  }
  // A node already over-committed on a resource still admits a pod that does not ask for it.
  if (request.milli_cpu > 0) {
    Check(kResourceCpu, request.milli_cpu, allocatable.milli_cpu, used.milli_cpu, out);
  }
  if (request.memory > 0) {
    Check(kResourceMemory, request.memory, allocatable.memory, used.memory, out);
  }
  if (request.ephemeral_storage > 0) {
    Check(kResourceEphemeralStorage, request.ephemeral_storage, allocatable.ephemeral_storage,
          used.ephemeral_storage, out);
  }
  for (const auto& [name, amount] : request.scalar) {
    if (amount == 0) continue;
    Check(name, amount, allocatable.Get(name), used.Get(name), out);
  }
  return out;
}

AdmitResult InsufficientResourceRejection(const InsufficientResource& f) {
  // The kubelet names cpu, memory, ephemeral-storage and pods through constants that read
  // exactly "OutOf" + the resource name, so one rule covers every resource.
  return AdmitResult{false, absl::StrCat("OutOf", f.resource),
                     absl::StrCat("Node didn't have enough resource: ", f.resource,
                                  ", requested: ", f.requested, ", used: ", f.used,
                                  ", capacity: ", f.capacity)};
}

ResourceFitVerdict FitPodToNode(const ResourceList& node_allocatable, const Pod& pod,
                                std::span<const Pod> other_pods, const FitOptions& options) {
  FitResources used;
  for (const Pod& other : other_pods) used += PodFitRequest(other, options);
  const FitResources request =
      HasUnservedRequests(pod, node_allocatable, options)
          ? PodFitRequest(WithoutUnservedRequests(pod, node_allocatable, options), options)
          : PodFitRequest(pod, options);
  ResourceFitVerdict v;
  v.insufficient = FitsRequest(request, NodeFitAllocatable(node_allocatable), used,
                               static_cast<int64_t>(other_pods.size()));
  if (!v.insufficient.empty()) v.result = InsufficientResourceRejection(v.insufficient.front());
  return v;
}

}  // namespace podalloc
