// The CPU manager as a topology-manager hint provider: GetTopologyHints, GetPodTopologyHints
// and generateCPUTopologyHints (policy_static.go), as a CapacityHints family — the kubelet's
// list described by per-NUMA free counts instead of 2^N masks — and as the explicit list.
#include <algorithm>
#include <functional>

#include "cpu_layout.h"
#include "podalloc/cpu_manager.h"

namespace podalloc {
namespace {

constexpr char kCpuResource[] = "cpu";

ProviderHints CpuHints(ResourceHints hints) {
  ProviderHints out;
  out.resources.emplace(kCpuResource, std::move(hints));
  return out;
}

ProviderHints Unsatisfiable() { return CpuHints(ResourceHints::List({})); }

}  // namespace

CapacityHints CpuStaticPolicy::CpuHintFamily(const CpuSet& available, const CpuSet& reusable,
                                             int request) const {
  CapacityHints family;
  const std::vector<int>& ids = layout_.numa_ids();
  const int slots = ids.empty() ? 0 : ids.back() + 1;
  CapacityDemand demand;
  demand.available.assign(slots, 0);
  demand.request = request < 0 ? 0 : static_cast<uint64_t>(request);
  demand.base = static_cast<uint64_t>(reusable.Size());
  std::vector<uint64_t> capacity(slots, 0);
  const internal::cpu::CpuLayoutData& L = layout_.data();
  for (int n = 0; n < L.numas.count(); ++n) {
    const int id = L.numas.ids[n];
    family.nodes.Set(id);
    demand.available[id] = static_cast<uint64_t>(
        internal::cpu::PopcountAnd(available.words().data(), L.numas.mask(n, L.nw), L.nw));
    capacity[id] = static_cast<uint64_t>(L.numas.size[n]);
  }
  // A reusable CPU pins its NUMA node into every hint (the kubelet reads CPUDetails[c], whose
  // zero value puts an unknown CPU on node 0).
  for (int cpu : reusable) {
    const CpuInfo* info = topology_.cpu(cpu);
    family.required.Set(info != nullptr ? info->numa_id : 0);
  }
  family.demands.push_back(std::move(demand));

  // minAffinitySize: the fewest nodes whose total CPUs (not free ones) cover the request.
  std::vector<uint64_t> sizes;
  for (int id : ids) sizes.push_back(capacity[id]);
  std::sort(sizes.begin(), sizes.end(), std::greater<>());
  int min_size = static_cast<int>(ids.size());
  uint64_t sum = 0;
  for (size_t k = 0; k < sizes.size(); ++k) {
    sum += sizes[k];
    if (sum >= static_cast<uint64_t>(std::max(request, 0))) {
      min_size = static_cast<int>(k + 1);
      break;
    }
  }
  family.preferred_size = min_size;

  if (options_.align_by_socket && topology_.NumSockets() > 0) {
    const int per_socket = topology_.NumNumaNodes() / topology_.NumSockets();
    if (per_socket > 0) {
      family.preferred_sockets = (min_size + per_socket - 1) / per_socket;
      family.socket_of_node.assign(slots, 0);
      for (int n = 0; n < L.numas.count(); ++n) {
        const auto& sockets = L.sockets_in_numa[n];
        family.socket_of_node[L.numas.ids[n]] = sockets.empty() ? 0 : L.sockets.ids[sockets[0]];
      }
    }
  }
  return family;
}

std::vector<TopologyHint> CpuStaticPolicy::CpuHintList(const CpuSet& available,
                                                       const CpuSet& reusable, int request) const {
  const std::vector<int>& ids = layout_.numa_ids();
  int min_affinity = static_cast<int>(ids.size());
  std::vector<TopologyHint> hints;
  IterateBitMasks(ids, [&](NumaMask mask) {
    const CpuSet in_mask = topology_.CpusInNumaNodes(mask);
    if (in_mask.Size() >= request && mask.Count() < min_affinity) min_affinity = mask.Count();
    int matching = 0;
    for (int cpu : reusable) {
      const CpuInfo* info = topology_.cpu(cpu);
      if (!mask.IsSet(info != nullptr ? info->numa_id : 0)) return;
      ++matching;
    }
    matching += available.CountIn(in_mask);
    if (matching < request) return;
    hints.push_back(TopologyHint::Of(mask, false));
  });
  const int per_socket =
      topology_.NumSockets() > 0 ? topology_.NumNumaNodes() / topology_.NumSockets() : 0;
  for (TopologyHint& hint : hints) {
    if (options_.align_by_socket && per_socket > 0) {
      const int min_sockets = (min_affinity + per_socket - 1) / per_socket;
      const int sockets =
          static_cast<int>(layout_.SocketsOfNumaNodes(hint.affinity->GetBits()).size());
      if (sockets == min_sockets) {
        hint.preferred = true;
        continue;
      }
    }
    if (hint.affinity->Count() == min_affinity) hint.preferred = true;
  }
  return hints;
}

ProviderHints CpuStaticPolicy::ContainerHints(const CpuManagerState& state,
                                              const ContainerCpuRequest& request) const {
  const int requested = request.exclusive_cpus;
  if (requested <= 0) return ProviderHints{};
  // After a restart the container's CPUs are already chosen: hint where they are.
  if (const CpuSet* allocated = state.Find(request.pod_uid, request.container_name)) {
    if (allocated->Size() != requested) return Unsatisfiable();
    return CpuHints(ResourceHints::Capacity(CpuHintFamily(*allocated, CpuSet(), requested)));
  }
  return CpuHints(ResourceHints::Capacity(
      CpuHintFamily(AvailableCpus(state), ReusableFor(state, request.pod_uid), requested)));
}

ProviderHints CpuStaticPolicy::PodHints(const CpuManagerState& state,
                                        const PodCpuRequest& pod) const {
  const int requested = pod.exclusive_cpus;
  if (requested <= 0) return ProviderHints{};
  if (pod.pod_level_resources && !ValidatePodScopeCpus(pod).ok()) return Unsatisfiable();
  CpuSet assigned;
  for (const ContainerCpuDemand& c : pod.containers) {
    if (const CpuSet* allocated = state.Find(pod.pod_uid, c.name)) {
      if (allocated->Size() != c.exclusive_cpus) return Unsatisfiable();
      assigned |= *allocated;
    }
  }
  if (assigned.Size() == requested) {
    return CpuHints(ResourceHints::Capacity(CpuHintFamily(assigned, CpuSet(), requested)));
  }
  const CpuSet reusable = ReusableFor(state, pod.pod_uid) | assigned;
  return CpuHints(
      ResourceHints::Capacity(CpuHintFamily(AvailableCpus(state), reusable, requested)));
}

}  // namespace podalloc
