#include "vector_model.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace podalloc::testing {
namespace {

__extension__ typedef __int128 Nanos;  // quantities exactly, in units of 1e-9

// Kubernetes quantity syntax, enough for the vectors: sign, decimal number, then a binary
// suffix, a decimal suffix or an exponent. Sub-nano precision rounds up, as Kubernetes does.
Nanos ParseQuantity(const std::string& text) {
  INFO("quantity " << text);
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  Nanos mantissa = 0;
  int fraction_digits = 0;
  bool seen_dot = false, seen_digit = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      mantissa = mantissa * 10 + (c - '0');
      seen_digit = true;
      if (seen_dot) ++fraction_digits;
    } else if (c == '.' && !seen_dot) {
      seen_dot = true;
    } else {
      break;
    }
  }
  REQUIRE(seen_digit);
  const std::string suffix = text.substr(i);
  Nanos scale = 1'000'000'000;  // nanos per unit
  int exponent = 0;
  static const std::map<std::string, int> kBinary = {{"Ki", 1}, {"Mi", 2}, {"Gi", 3},
                                                     {"Ti", 4}, {"Pi", 5}, {"Ei", 6}};
  static const std::map<std::string, int> kDecimal = {{"n", -9}, {"u", -6}, {"m", -3}, {"", 0},
                                                      {"k", 3},  {"M", 6},  {"G", 9},  {"T", 12},
                                                      {"P", 15}, {"E", 18}};
  if (auto b = kBinary.find(suffix); b != kBinary.end()) {
    for (int k = 0; k < b->second; ++k) scale *= 1024;
  } else if (auto d = kDecimal.find(suffix); d != kDecimal.end()) {
    exponent = d->second;
  } else {
    REQUIRE((!suffix.empty() && (suffix[0] == 'e' || suffix[0] == 'E')));
    exponent = std::stoi(suffix.substr(1));
  }
  exponent -= fraction_digits;
  Nanos value = mantissa * scale;
  for (; exponent > 0; --exponent) value *= 10;
  for (; exponent < 0; ++exponent) value = (value + 9) / 10;
  return negative ? -value : value;
}

constexpr Nanos kNanosPerUnit = 1'000'000'000;

std::map<std::string, Nanos> QuantitiesOf(const VectorJson& list) {
  std::map<std::string, Nanos> out;
  if (list.is_null()) return out;
  for (auto it = list.begin(); it != list.end(); ++it) {
    out[it.key()] = ParseQuantity(it.value().get<std::string>());
  }
  return out;
}

bool IsHugePages(const std::string& name) { return absl::StartsWith(name, "hugepages-"); }

// pkg/apis/core/v1/helper/qos GetPodQOS, for cpu and memory.
bool IsGuaranteed(const VectorJson& pod, const VectorGates& gates) {
  auto supported = [](const std::string& n) { return n == "cpu" || n == "memory"; };
  std::map<std::string, Nanos> requests, limits;
  bool guaranteed = true;
  auto add = [&](const VectorJson& resources) {
    std::set<std::string> limit_names;
    for (const auto& [name, q] : QuantitiesOf(resources.value("requests", VectorJson()))) {
      if (supported(name) && q > 0) requests[name] += q;
    }
    for (const auto& [name, q] : QuantitiesOf(resources.value("limits", VectorJson()))) {
      if (supported(name) && q > 0) {
        limits[name] += q;
        limit_names.insert(name);
      }
    }
    if (!limit_names.contains("cpu") || !limit_names.contains("memory")) guaranteed = false;
  };
  const VectorJson pod_resources = pod.value("resources", VectorJson());
  bool pod_level = false;
  if (gates.pod_level_resources && pod_resources.is_object()) {
    for (const char* key : {"requests", "limits"}) {
      for (const auto& [name, q] : QuantitiesOf(pod_resources.value(key, VectorJson()))) {
        if (supported(name)) pod_level = true;
      }
    }
  }
  if (pod_level) {
    add(pod_resources);
  } else {
    for (const char* list : {"init_containers", "containers"}) {
      for (const VectorJson& c : pod.value(list, VectorJson::array())) {
        add(c.value("resources", VectorJson::object()));
      }
    }
  }
  if (requests.empty() && limits.empty()) return false;  // BestEffort
  if (!guaranteed) return false;
  for (const auto& [name, q] : requests) {
    auto l = limits.find(name);
    if (l == limits.end() || l->second != q) return false;
  }
  return requests.size() == limits.size();
}

bool PodLevelResourcesSet(const VectorJson& pod) {
  const VectorJson r = pod.value("resources", VectorJson());
  if (!r.is_object()) return false;
  for (const char* key : {"requests", "limits"}) {
    for (const auto& [name, q] : QuantitiesOf(r.value(key, VectorJson()))) {
      if (name == "cpu" || name == "memory" || IsHugePages(name)) return true;
    }
  }
  return false;
}

absl::StatusOr<MemoryAmounts> MemoryRequests(const VectorJson& requests) {
  MemoryAmounts out;
  for (const auto& [name, q] : QuantitiesOf(requests)) {
    if (name != "memory" && !IsHugePages(name)) continue;
    if (q % kNanosPerUnit != 0) {
      return absl::InvalidArgumentError("[memorymanager] failed to represent quantity as int64");
    }
    auto r = MemoryResource::Parse(name);
    REQUIRE(r.ok());
    SetMemoryAmount(out, *r, static_cast<uint64_t>(q / kNanosPerUnit));
  }
  return out;
}

bool EquivalentGuaranteed(const VectorJson& resources) {
  auto req = QuantitiesOf(resources.value("requests", VectorJson()));
  auto lim = QuantitiesOf(resources.value("limits", VectorJson()));
  for (const char* n : {"cpu", "memory"}) {
    if (req[n] == 0 || req[n] != lim[n]) return false;
  }
  return true;
}

std::vector<int> Ids(const VectorJson& list) {
  std::vector<int> ids = list.is_null() ? std::vector<int>{} : list.get<std::vector<int>>();
  std::sort(ids.begin(), ids.end());
  return ids;
}

NumaMask MaskOf(const VectorJson& list) {
  auto m = NumaMask::New(Ids(list));
  REQUIRE(m.ok());
  return *m;
}

}  // namespace

VectorGates GatesOf(const VectorJson& test_case) {
  VectorGates g;
  const VectorJson gates = test_case.value("feature_gates", VectorJson::object());
  g.pod_level_resources = gates.value("PodLevelResources", g.pod_level_resources);
  g.pod_level_resource_managers =
      gates.value("PodLevelResourceManagers", g.pod_level_resource_managers);
  return g;
}

absl::StatusOr<PodMemorySpec> PodOf(const VectorJson& pod, const VectorGates& gates) {
  PodMemorySpec spec;
  spec.uid = pod.value("uid", "");
  spec.guaranteed = IsGuaranteed(pod, gates);
  spec.pod_level_resources_set = PodLevelResourcesSet(pod);
  const bool exclusive_only =
      gates.pod_level_resource_managers && spec.pod_level_resources_set;
  if (spec.pod_level_resources_set) {
    auto r = MemoryRequests(pod["resources"].value("requests", VectorJson()));
    if (!r.ok()) return r.status();
    spec.pod_level_requests = *r;
  }
  for (const char* list : {"init_containers", "containers"}) {
    for (const VectorJson& c : pod.value(list, VectorJson::array())) {
      ContainerMemorySpec cs;
      cs.name = c.value("name", "");
      cs.kind = std::string(list) == "containers"           ? MemoryContainerKind::kApp
                : c.value("restart_policy", "") == "Always" ? MemoryContainerKind::kSidecar
                                                            : MemoryContainerKind::kInit;
      const VectorJson resources = c.value("resources", VectorJson::object());
      // getContainerRequestedResources: with pod-level budgets only containers that are
      // Guaranteed on their own get memory of their own.
      if (!exclusive_only || EquivalentGuaranteed(resources)) {
        auto r = MemoryRequests(resources.value("requests", VectorJson()));
        if (!r.ok()) return r.status();
        cs.requests = *r;
      }
      (cs.kind == MemoryContainerKind::kApp ? spec.containers : spec.init_containers).push_back(cs);
    }
  }
  return spec;
}

std::vector<NumaNodeInfo> MachineInfoOf(const VectorJson& machine_info) {
  std::vector<NumaNodeInfo> nodes;
  if (machine_info.is_null()) return nodes;
  for (const VectorJson& n : machine_info) {
    NumaNodeInfo info{.id = n.at("id").get<int>(), .memory_bytes = n.at("memory").get<uint64_t>(),
                      .hugepages = {}};
    for (const VectorJson& hp : n.value("hugepages", VectorJson::array())) {
      info.hugepages.push_back(HugePages{hp.at("page_size_kib").get<uint64_t>() * 1024,
                                         hp.at("num_pages").get<uint64_t>()});
    }
    nodes.push_back(info);
  }
  return nodes;
}

SystemReservedMemory ReservedOf(const VectorJson& reserved) {
  SystemReservedMemory out;
  if (reserved.is_null()) return out;
  for (auto it = reserved.begin(); it != reserved.end(); ++it) {
    MemoryAmounts& amounts = out[std::stoi(it.key())];
    for (auto r = it.value().begin(); r != it.value().end(); ++r) {
      auto resource = MemoryResource::Parse(r.key());
      REQUIRE(resource.ok());
      SetMemoryAmount(amounts, *resource, r.value().get<uint64_t>());
    }
  }
  return out;
}

MemoryMachineState MachineStateOf(const VectorJson& machine_state) {
  MemoryMachineState out;
  if (machine_state.is_null()) return out;
  for (auto it = machine_state.begin(); it != machine_state.end(); ++it) {
    MemoryNumaNodeState n;
    n.id = std::stoi(it.key());
    n.number_of_assignments = it.value().value("number_of_assignments", int64_t{0});
    n.cells = MaskOf(it.value().value("cells", VectorJson::array()));
    for (auto r = it.value()["memory"].begin(); r != it.value()["memory"].end(); ++r) {
      auto resource = MemoryResource::Parse(r.key());
      REQUIRE(resource.ok());
      const VectorJson& t = r.value();
      n.memory.push_back(MemoryResourceTable{
          *resource, MemoryTable{t.at("total"), t.at("system_reserved"), t.at("allocatable"),
                                 t.at("reserved"), t.at("free")}});
    }
    std::sort(n.memory.begin(), n.memory.end(),
              [](const MemoryResourceTable& a, const MemoryResourceTable& b) {
                return a.resource < b.resource;
              });
    out.nodes.push_back(n);
  }
  std::sort(out.nodes.begin(), out.nodes.end(),
            [](const MemoryNumaNodeState& a, const MemoryNumaNodeState& b) { return a.id < b.id; });
  return out;
}

ContainerMemoryAssignments AssignmentsOf(const VectorJson& assignments) {
  ContainerMemoryAssignments out;
  if (assignments.is_null()) return out;
  for (auto pod = assignments.begin(); pod != assignments.end(); ++pod) {
    ContainerMemoryBlocks& containers = out[pod.key()];
    for (auto c = pod.value().begin(); c != pod.value().end(); ++c) {
      std::vector<MemoryBlock>& blocks = containers[c.key()];
      for (const VectorJson& b : c.value()) {
        auto type = MemoryResource::Parse(b.at("type").get<std::string>());
        REQUIRE(type.ok());
        blocks.push_back(MemoryBlock{MaskOf(b.at("numa")), *type, b.at("size").get<uint64_t>()});
      }
    }
  }
  return out;
}

ReusableMemory ReusableOf(const VectorJson& reusable) {
  // pod UID -> NUMA mask -> resource -> bytes. The mask is the kubelet's bitmask String()
  // (binary digits, node 0 rightmost), a list of ids, or "0,1".
  ReusableMemory out;
  if (reusable.is_null()) return out;
  for (auto pod = reusable.begin(); pod != reusable.end(); ++pod) {
    auto& entries = out[pod.key()];
    for (auto m = pod.value().begin(); m != pod.value().end(); ++m) {
      const std::string key = m.key();
      NumaMask mask;
      if (key.find_first_not_of("01") == std::string::npos) {
        for (size_t i = 0; i < key.size(); ++i) {
          if (key[key.size() - 1 - i] == '1') mask.Set(static_cast<int>(i));
        }
      } else {
        std::string list = key;
        std::replace_if(list.begin(), list.end(), [](char c) { return !std::isdigit(static_cast<unsigned char>(c)); }, ' ');
        std::istringstream in(list);
        for (int id; in >> id;) mask.Set(id);
      }
      for (auto r = m.value().begin(); r != m.value().end(); ++r) {
        auto resource = MemoryResource::Parse(r.key());
        REQUIRE(resource.ok());
        entries[ReusableMemoryKey{mask.bits(), *resource}] = r.value().get<uint64_t>();
      }
    }
  }
  return out;
}

TopologyHint AffinityOf(const VectorJson& hint) {
  TopologyHint a;
  if (hint.is_null()) return a;
  if (!hint.value("numa", VectorJson()).is_null()) a.affinity = MaskOf(hint["numa"]);
  a.preferred = hint.value("preferred", false);
  return a;
}

VectorJson MachineStateJson(const MemoryMachineState& machine) {
  VectorJson out = VectorJson::object();
  for (const MemoryNumaNodeState& n : machine.nodes) {
    VectorJson memory = VectorJson::object();
    for (const MemoryResourceTable& t : n.memory) {
      memory[t.resource.Name()] = {{"total", t.table.total},
                                   {"system_reserved", t.table.system_reserved},
                                   {"allocatable", t.table.allocatable},
                                   {"reserved", t.table.reserved},
                                   {"free", t.table.free}};
    }
    out[std::to_string(n.id)] = {{"number_of_assignments", n.number_of_assignments},
                                 {"cells", n.cells.GetBits()},
                                 {"memory", memory}};
  }
  return out;
}

VectorJson AssignmentsJson(const ContainerMemoryAssignments& assignments) {
  VectorJson out = VectorJson::object();
  for (const auto& [pod, containers] : assignments) {
    VectorJson& p = out[pod] = VectorJson::object();
    for (const auto& [name, blocks] : containers) {
      VectorJson list = VectorJson::array();
      for (const MemoryBlock& b : blocks) {
        list.push_back({{"numa", b.numa_affinity.GetBits()}, {"type", b.type.Name()},
                        {"size", b.size}});
      }
      std::sort(list.begin(), list.end());
      p[name] = list;
    }
  }
  return out;
}

VectorJson HintsJson(const MemoryHints& hints) {
  if (hints.is_nil) return nullptr;
  VectorJson out = VectorJson::object();
  for (const MemoryResourceHints& r : hints.resources) {
    VectorJson list = VectorJson::array();
    for (const MemoryHint& h : r.hints) {
      list.push_back({{"numa", h.affinity.GetBits()}, {"preferred", h.preferred}});
    }
    out[r.resource.Name()] = list;
  }
  return out;
}

VectorJson AmountsJson(const MemoryAmounts& amounts) {
  VectorJson out = VectorJson::object();
  for (const MemoryAmount& a : amounts) out[a.resource.Name()] = a.bytes;
  return out;
}

}  // namespace podalloc::testing
