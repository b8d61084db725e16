// Node capacity and allocatable, the amounts admission and resize fit pods into: capacity from
// the machine (online CPUs, NUMA memory, huge pages), maxPods / podsPerCore and nodeCapacity,
// minus kubeReserved, systemReserved and the hard eviction thresholds
// (pkg/kubelet/cm/node_container_manager_linux.go, the node status setters in
// pkg/kubelet/nodestatus/setters.go, and cmd/kubelet/app/server.go for reservedSystemCPUs).
#include <algorithm>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "node_internal.h"

namespace podalloc {
namespace {

void Add(ResourceList& list, const std::string& name, const Quantity& q) { list[name] += q; }

// With reservedSystemCPUs the kubelet drops kubeReserved.cpu and sets systemReserved.cpu to
// the number of listed CPUs, so the reserved cpu is that count whatever the maps say.
void ReserveListedCpus(const NodeConfig& config, ResourceList& reservation) {
  if (config.reserved_system_cpus.IsEmpty()) return;
  reservation[std::string(kResourceCpu)] = Quantity::FromValue(config.reserved_system_cpus.Size());
}

Quantity ClampedDifference(const Quantity& a, const Quantity& b) {
  Quantity d = a - b;
  return d.Sign() < 0 ? Quantity() : d;
}

// hardEvictionReservation: memory.available holds back memory, nodefs.available
// ephemeral-storage; a percentage is of the capacity, truncated to whole bytes.
ResourceList HardEvictionReservation(const NodeConfig& config, const ResourceList& capacity) {
  ResourceList out;
  auto reserve = [&](const char* signal, const char* resource) {
    auto it = config.eviction_hard.find(signal);
    if (it == config.eviction_hard.end()) return;
    const EvictionThreshold& t = it->second;
    if (t.quantity.has_value()) {
      out[resource] = *t.quantity;
      return;
    }
    // The kubelet's int64(float64(capacity) * float64(percentage)); at 100% of a capacity near
    // 2^63 the product is not an int64, so it is held at the largest one.
    const double whole = static_cast<double>(ResourceOrZero(capacity, resource).Value());
    const double product = whole * static_cast<double>(t.percentage);
    const int64_t bytes = product >= 9223372036854775807.0 ? INT64_MAX
                          : product > 0                    ? static_cast<int64_t>(product)
                                                           : 0;
    out[resource] = Quantity::FromValue(bytes, Quantity::Format::kBinarySI);
  };
  reserve("memory.available", "memory");
  reserve("nodefs.available", "ephemeral-storage");
  return out;
}

// Huge pages are carved out of memory, so allocatable memory excludes them.
void SubtractHugepages(const ResourceList& hugepages, ResourceList& allocatable) {
  auto memory = allocatable.find(kResourceMemory);
  if (memory == allocatable.end()) return;
  for (const auto& [name, q] : hugepages) {
    if (IsHugepagesResource(name)) memory->second = ClampedDifference(memory->second, q);
  }
}

}  // namespace

ResourceList NodeCapacity(const Topology& topology, const NodeConfig& config) {
  ResourceList capacity;
  capacity[std::string(kResourceCpu)] = Quantity::FromValue(topology.NumCpus());
  // Topology::Build keeps the machine's memory and huge pages within int64 (CheckMachineMemory),
  // so none of these sums or conversions can wrap.
  uint64_t memory = 0;
  for (const NumaNodeInfo& n : topology.spec().numa_nodes) {
    memory += n.memory_bytes;
    for (const HugePages& h : n.hugepages) {
      const std::string name = absl::StrCat(
          std::string(kResourceHugepagesPrefix),
          Quantity::FromValue(static_cast<int64_t>(h.page_size_bytes), Quantity::Format::kBinarySI)
              .ToString());
      Add(capacity, name,
          Quantity::FromValue(static_cast<int64_t>(h.page_size_bytes * h.total_pages),
                              Quantity::Format::kBinarySI));
    }
  }
  capacity[std::string(kResourceMemory)] =
      Quantity::FromValue(static_cast<int64_t>(memory), Quantity::Format::kBinarySI);
  // The node status setter: podsPerCore x the CPUs cadvisor counts (logical ones), capped by
  // maxPods.
  int64_t pods = config.max_pods;
  if (config.pods_per_core > 0) {
    pods = std::min(pods, config.pods_per_core * static_cast<int64_t>(topology.NumCpus()));
  }
  capacity["pods"] = Quantity::FromValue(pods);
  for (const auto& [name, q] : config.node_capacity) capacity[name] = q;
  return capacity;
}

ResourceList NodeAllocatableReservation(const Topology& topology, const NodeConfig& config) {
  ResourceList out;
  if (!config.HasNodeAllocatableReservation()) {
    // Outside the kubelet only reservedMemory may be known: under the Static memory manager
    // its totals stand for the node's memory reservation (the kubelet requires them equal).
    if (config.memory_manager_policy == "Static") {
      for (const MemoryReservation& r : config.reserved_memory) {
        for (const auto& [name, bytes] : r.limits) {
          Add(out, name,
              Quantity::FromValue(static_cast<int64_t>(bytes), Quantity::Format::kBinarySI));
        }
      }
    }
    ReserveListedCpus(config, out);
    return out;
  }
  const ResourceList capacity = NodeCapacity(topology, config);
  for (const ResourceList* part : {&config.system_reserved, &config.kube_reserved}) {
    for (const auto& [name, q] : *part) Add(out, name, q);
  }
  for (const auto& [name, q] : HardEvictionReservation(config, capacity)) Add(out, name, q);
  ReserveListedCpus(config, out);
  for (auto it = out.begin(); it != out.end();) {
    it = it->second.IsZero() ? out.erase(it) : std::next(it);
  }
  return out;
}

ResourceList NodeAllocatable(const Topology& topology, const NodeConfig& config) {
  const ResourceList capacity = NodeCapacity(topology, config);
  const ResourceList reservation = NodeAllocatableReservation(topology, config);
  ResourceList out;
  for (const auto& [name, q] : capacity) {
    out[name] = ClampedDifference(q, ResourceOrZero(reservation, name));
  }
  // The node status setter takes the huge pages capacity out of allocatable memory.
  SubtractHugepages(capacity, out);
  return out;
}

ResourceList NodeAllocatableAbsolute(const Topology& topology, const NodeConfig& config) {
  const ResourceList capacity = NodeCapacity(topology, config);
  ResourceList out;
  if (!config.HasNodeAllocatableReservation()) {
    const ResourceList derived = NodeAllocatableReservation(topology, config);
    for (const auto& [name, q] : capacity) {
      out[name] = ClampedDifference(q, ResourceOrZero(derived, name));
    }
  } else {
    ResourceList reserved;
    for (const ResourceList* part : {&config.system_reserved, &config.kube_reserved}) {
      for (const auto& [name, q] : *part) Add(reserved, name, q);
    }
    ReserveListedCpus(config, reserved);
    for (const auto& [name, q] : capacity) {
      out[name] = ClampedDifference(q, ResourceOrZero(reserved, name));
    }
  }
  // getNodeAllocatableAbsoluteImpl takes the allocatable huge pages out of memory.
  ResourceList hugepages;
  for (const auto& [name, q] : out) {
    if (IsHugepagesResource(name)) hugepages[name] = q;
  }
  SubtractHugepages(hugepages, out);
  return out;
}

ResourceList Node::Allocatable() const {
  internal::RwReaderLock lock(&mu_);
  std::optional<ResourceList> with_devices =
      internal::AllocatableWithDevices(parts_->allocatable, state_.devices, "");
  return with_devices ? *std::move(with_devices) : parts_->allocatable;
}

}  // namespace podalloc
