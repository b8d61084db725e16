// The Static policy's configuration and its default machine state: reserved-memory
// validation (kubelet config validation + memory_manager.go getSystemReservedMemory),
// NewPolicyStatic, and getDefaultMachineState.
#include <algorithm>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "podalloc/internal/checked_math.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/memory_manager.h"
#include "podalloc/topology.h"

namespace podalloc {
namespace {

// Kubernetes' canonical spelling of a byte quantity. The kubelet prints the quantities it
// compares in their configured format, which plain byte counts no longer carry: multiples
// of 1Ki are written in binary SI (the usual way memory is configured), others in decimal SI.
std::string QuantityString(uint64_t bytes) {
  if (bytes == 0) return "0";
  const bool binary = bytes % 1024 == 0;
  static constexpr std::string_view kBinary[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  static constexpr std::string_view kDecimal[] = {"", "k", "M", "G", "T", "P", "E"};
  const uint64_t base = binary ? 1024 : 1000;
  int exponent = 0;
  while (exponent < 6 && bytes % base == 0) {
    bytes /= base;
    ++exponent;
  }
  return absl::StrCat(bytes, std::string(binary ? kBinary[exponent] : kDecimal[exponent]));
}

absl::Status AggregateErrors(const std::vector<std::string>& errors) {
  // k8s.io/apimachinery's aggregate: each distinct message once, in order; one alone, several
  // as "[a, b]". Beyond a screenful the rest is counted rather than listed (a configuration
  // may repeat a mistake thousands of times).
  constexpr size_t kListed = 16;
  std::vector<const std::string*> distinct;
  std::set<std::string_view> seen;
  for (const std::string& e : errors) {
    if (seen.insert(e).second) distinct.push_back(&e);
  }
  if (distinct.empty()) return absl::OkStatus();
  if (distinct.size() == 1) return absl::InvalidArgumentError(*distinct[0]);
  std::string out = "[";
  for (size_t i = 0; i < distinct.size() && i < kListed; ++i) {
    absl::StrAppend(&out, i > 0 ? ", " : "", *distinct[i]);
  }
  if (distinct.size() > kListed) {
    absl::StrAppend(&out, ", ... (", distinct.size() - kListed, " more)");
  }
  return absl::InvalidArgumentError(out + "]");
}

// validateReservedMemoryConfiguration (pkg/kubelet/apis/config/validation).
absl::StatusOr<std::vector<std::pair<int, MemoryAmounts>>> ParseReservations(
    const std::vector<MemoryReservation>& reserved_memory) {
  std::vector<std::string> errors;
  std::vector<std::pair<int, MemoryAmounts>> parsed;
  std::set<std::pair<int, MemoryResource>> seen;
  for (const MemoryReservation& r : reserved_memory) {
    MemoryAmounts amounts;
    for (const auto& [name, bytes] : r.limits) {
      absl::StatusOr<MemoryResource> resource = MemoryResource::Parse(name);
      if (!resource.ok()) {
        errors.push_back(absl::StrCat("invalid configuration: the limit type ",
                                      internal::QuoteInput(name), " for NUMA node ", r.numa_node,
                                      " is not supported, only [memory "
                                      "hugepages-<HugePageSize>] is accepted"));
      }
      if (bytes == 0) {
        errors.push_back(absl::StrCat(
            "invalid configuration: reserved memory may not be zero for NUMA node ",
            r.numa_node, " and resource ", internal::QuoteInput(name)));
      }
      if (!resource.ok()) continue;
      if (!seen.insert({r.numa_node, *resource}).second) {
        errors.push_back(absl::StrCat(
            "invalid configuration: the reserved memory has a duplicate value for NUMA node ",
            r.numa_node, " and resource ", internal::QuoteInput(name)));
      }
      SetMemoryAmount(amounts, *resource, bytes);
    }
    parsed.emplace_back(r.numa_node, std::move(amounts));
  }
  if (absl::Status s = AggregateErrors(errors); !s.ok()) return s;
  return parsed;
}

absl::Status ReservationOverflow(const std::string& resource) {
  return absl::InvalidArgumentError(absl::StrCat("the reserved \"", resource,
                                                 "\" adds up to more than 2^64-1 bytes"));
}

}  // namespace

absl::StatusOr<SystemReservedMemory> SystemReservedMemoryFromConfig(
    const std::vector<NumaNodeInfo>& numa_nodes,
    const std::map<std::string, uint64_t>& node_reservation,
    const std::vector<MemoryReservation>& reserved_memory) {
  absl::StatusOr<std::vector<std::pair<int, MemoryAmounts>>> parsed =
      ParseReservations(reserved_memory);
  if (!parsed.ok()) return parsed.status();

  // getTotalMemoryTypeReserved: every entry must name a machine node.
  std::set<int> machine_ids;
  for (const NumaNodeInfo& n : numa_nodes) machine_ids.insert(n.id);
  MemoryAmounts totals;
  for (const auto& [numa, amounts] : *parsed) {
    if (!machine_ids.contains(numa)) {
      return absl::InvalidArgumentError(
          absl::StrCat("the reserved memory configuration references a NUMA node ", numa,
                       " that does not exist on this machine"));
    }
    for (const MemoryAmount& a : amounts) {
      const std::optional<uint64_t> total =
          internal::CheckedAdd(FindMemoryAmount(totals, a.resource).value_or(0), a.bytes);
      if (!total.has_value()) return ReservationOverflow(a.resource.Name());
      SetMemoryAmount(totals, a.resource, *total);
    }
  }

  // validateReservedMemory: per resource, the per-node sum equals the node reservation.
  MemoryAmounts expected;
  for (const auto& [name, bytes] : node_reservation) {
    if (name != "memory" && name.rfind("hugepages-", 0) != 0) continue;
    absl::StatusOr<MemoryResource> resource = MemoryResource::Parse(name);
    if (!resource.ok()) return resource.status();
    const std::optional<uint64_t> total =
        internal::CheckedAdd(FindMemoryAmount(expected, *resource).value_or(0), bytes);
    if (!total.has_value()) return ReservationOverflow(name);
    SetMemoryAmount(expected, *resource, *total);
  }
  std::set<MemoryResource> kinds;
  for (const MemoryAmount& a : totals) kinds.insert(a.resource);
  for (const MemoryAmount& a : expected) kinds.insert(a.resource);
  for (MemoryResource kind : kinds) {
    const uint64_t reserved = FindMemoryAmount(totals, kind).value_or(0);
    const uint64_t allocatable = FindMemoryAmount(expected, kind).value_or(0);
    if (reserved != allocatable) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the total amount \"", QuantityString(reserved), "\" of type \"", kind.Name(),
          "\" is not equal to the value \"", QuantityString(allocatable),
          "\" determined by Node Allocatable feature"));
    }
  }

  // convertReserved: an entry for every machine node, filled from the configuration.
  SystemReservedMemory out;
  for (const NumaNodeInfo& n : numa_nodes) out[n.id];
  for (const auto& [numa, amounts] : *parsed) {
    for (const MemoryAmount& a : amounts) SetMemoryAmount(out[numa], a.resource, a.bytes);
  }
  return out;
}

absl::StatusOr<MemoryStaticPolicy> NewMemoryStaticPolicy(std::vector<NumaNodeInfo> numa_nodes,
                                                         SystemReservedMemory system_reserved,
                                                         MemoryManagerGates gates) {
  std::sort(numa_nodes.begin(), numa_nodes.end(),
            [](const NumaNodeInfo& a, const NumaNodeInfo& b) { return a.id < b.id; });
  for (size_t i = 0; i < numa_nodes.size(); ++i) {
    const int id = numa_nodes[i].id;
    if (id < 0 || id >= NumaMask::kMaxNodes) {
      return absl::InvalidArgumentError(
          absl::StrCat("NUMA node id ", id, " is out of range (0..63)"));
    }
    if (i > 0 && numa_nodes[i - 1].id == id) {
      return absl::InvalidArgumentError(absl::StrCat("NUMA node ", id, " is listed twice"));
    }
  }
  // The per-node tables add memory and huge pages up in uint64.
  if (absl::Status s = CheckMachineMemory(numa_nodes); !s.ok()) return s;
  uint64_t total_memory_reserved = 0;  // only compared with zero
  for (const auto& [numa, amounts] : system_reserved) {
    total_memory_reserved = internal::SaturatingAdd(
        total_memory_reserved, FindMemoryAmount(amounts, MemoryResource::Memory()).value_or(0));
  }
  if (total_memory_reserved == 0) {
    return absl::InvalidArgumentError(
        "[memorymanager] you should specify the system reserved memory");
  }
  return MemoryStaticPolicy{std::move(numa_nodes), std::move(system_reserved), gates};
}

std::vector<NumaNodeInfo> MemoryNumaNodes(const Topology& topology) {
  std::vector<NumaNodeInfo> out;
  for (int id : topology.NumaIds()) {
    const NumaNodeInfo* n = topology.NumaNode(id);
    out.push_back(n != nullptr ? *n : NumaNodeInfo{.id = id, .memory_bytes = 0, .hugepages = {}});
  }
  return out;
}

MemoryMachineState DefaultMemoryMachineState(const MemoryStaticPolicy& policy) {
  auto reserved_of = [&](int numa, MemoryResource r) -> uint64_t {
    auto it = policy.system_reserved.find(numa);
    if (it == policy.system_reserved.end()) return 0;
    return FindMemoryAmount(it->second, r).value_or(0);
  };
  // The kubelet subtracts in uint64 and wraps around when a reservation exceeds the memory
  // it is taken from; podalloc leaves such a node with nothing allocatable instead.
  auto minus = [](uint64_t a, uint64_t b) { return a > b ? a - b : 0; };

  MemoryMachineState state;
  for (const NumaNodeInfo& node : policy.numa_nodes) {
    MemoryNumaNodeState& s = state.nodes.emplace_back();
    s.id = node.id;
    s.cells = NumaMask::Single(node.id);
    uint64_t hugepages_total = 0;
    for (const HugePages& hp : node.hugepages) {
      const MemoryResource r = MemoryResource::HugePages(hp.page_size_bytes);
      const uint64_t total = hp.total_pages * hp.page_size_bytes;
      const uint64_t reserved = reserved_of(node.id, r);
      const uint64_t allocatable = minus(total, reserved);
      MemoryTable table{total, reserved, allocatable, 0, allocatable};
      if (MemoryTable* t = s.Find(r)) {
        *t = table;
      } else {
        s.memory.push_back(MemoryResourceTable{r, table});
      }
      hugepages_total += total;
    }
    // Hugepages are carved out of the node's memory.
    const uint64_t reserved = reserved_of(node.id, MemoryResource::Memory());
    const uint64_t allocatable = minus(minus(node.memory_bytes, reserved), hugepages_total);
    s.memory.push_back(
        MemoryResourceTable{MemoryResource::Memory(),
                            MemoryTable{node.memory_bytes, reserved, allocatable, 0, allocatable}});
    std::sort(s.memory.begin(), s.memory.end(),
              [](const MemoryResourceTable& a, const MemoryResourceTable& b) {
                return a.resource < b.resource;
              });
  }
  return state;
}

}  // namespace podalloc
