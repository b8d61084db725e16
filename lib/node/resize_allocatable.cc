// Node capacity and allocatable, the amounts a resize is judged against: capacity from the
// machine (online CPUs, NUMA memory, huge pages, maxPods), minus kubeReserved, systemReserved
// and the hard eviction thresholds (pkg/kubelet/cm/node_container_manager_linux.go and the node
// status setter in pkg/kubelet/nodestatus/setters.go).
#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "node_internal.h"

namespace podalloc {
namespace {

void Add(ResourceList& list, const std::string& name, const Quantity& q) { list[name] += q; }

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
    const double whole = static_cast<double>(ResourceOrZero(capacity, resource).Value());
    const auto bytes = static_cast<int64_t>(whole * static_cast<double>(t.percentage));
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
  capacity["pods"] = Quantity::FromValue(config.max_pods);
  return capacity;
}

namespace {

// systemReserved + kubeReserved as the kubelet holds them once reservedSystemCPUs is set: its
// CPU count replaces systemReserved.cpu and kubeReserved.cpu is dropped (cmd/kubelet's
// --reserved-cpus handling), so allocatable cpu is capacity minus the reserved CPUs.
ResourceList SystemAndKubeReserved(const NodeConfig& config) {
  ResourceList out;
  const bool reserved_cpus = !config.reserved_system_cpus.IsEmpty();
  for (const ResourceList* part : {&config.system_reserved, &config.kube_reserved}) {
    for (const auto& [name, q] : *part) {
      if (!(reserved_cpus && name == kResourceCpu)) Add(out, name, q);
    }
  }
  if (reserved_cpus) {
    out[std::string(kResourceCpu)] = Quantity::FromValue(config.reserved_system_cpus.Size());
  }
  return out;
}

}  // namespace

ResourceList NodeAllocatableReservation(const Topology& topology, const NodeConfig& config) {
  ResourceList out = SystemAndKubeReserved(config);
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
    return out;
  }
  const ResourceList capacity = NodeCapacity(topology, config);
  for (const auto& [name, q] : HardEvictionReservation(config, capacity)) Add(out, name, q);
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
    const ResourceList reserved = SystemAndKubeReserved(config);
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

ResourceList Node::Allocatable() const { return parts_->allocatable; }

}  // namespace podalloc
