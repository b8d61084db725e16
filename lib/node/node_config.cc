// Reading NodeConfig from KubeletConfiguration-shaped JSON or YAML. In the plain form only the
// fields listed in docs/node-config.md are accepted: a key outside that set is an error naming
// it, so a typo in a policy field cannot silently fall back to a default. A document with
// apiVersion or kind is a whole KubeletConfiguration (kubelet_config.cc), whose decoded
// document comes back here with the other fields skipped.
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "kubelet_config_internal.h"
#include "podalloc/kubelet_config.h"
#include "podalloc/node_config.h"
#include "podalloc/quantity.h"
#include "podalloc/resource_fit.h"
#include "podalloc/status_macros.h"
#include "podalloc/yaml_json.h"

namespace podalloc {
namespace {

using nlohmann::json;

absl::Status Bad(std::string_view path, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(std::string(path), ": ", std::string(what)));
}

absl::StatusOr<std::string> String(const json& v, std::string_view path) {
  if (!v.is_string()) return Bad(path, absl::StrCat("want a string, got ", v.dump()));
  return v.get<std::string>();
}

absl::StatusOr<bool> Bool(const json& v, std::string_view path) {
  if (!v.is_boolean()) return Bad(path, absl::StrCat("want true or false, got ", v.dump()));
  return v.get<bool>();
}

// Policy options are map[string]string in KubeletConfiguration.
absl::StatusOr<std::map<std::string, std::string>> StringMap(const json& v, std::string_view path) {
  if (!v.is_object()) return Bad(path, absl::StrCat("want an object, got ", v.dump()));
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : v.items()) {
    PODALLOC_ASSIGN_OR_RETURN(out[key], String(value, absl::StrCat(std::string(path), ".", key)));
  }
  return out;
}

absl::StatusOr<std::string> OneOf(const json& v, std::string_view path,
                                  std::initializer_list<const char*> allowed) {
  PODALLOC_ASSIGN_OR_RETURN(std::string s, String(v, path));
  for (const char* a : allowed) {
    if (s == a) return s;
  }
  std::vector<std::string> quoted;
  for (const char* a : allowed) quoted.push_back(absl::StrCat("\"", a, "\""));
  return Bad(path, absl::StrCat("unknown value \"", s, "\" (want one of ",
                                absl::StrJoin(quoted, ", "), ")"));
}

absl::StatusOr<std::vector<MemoryReservation>> ReservedMemory(const json& v) {
  if (!v.is_array()) return Bad("reservedMemory", absl::StrCat("want a list, got ", v.dump()));
  std::vector<MemoryReservation> out;
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string path = absl::StrCat("reservedMemory[", i, "]");
    const json& entry = v[i];
    if (!entry.is_object()) return Bad(path, "want an object");
    MemoryReservation r;
    for (const auto& [key, value] : entry.items()) {
      if (key == "numaNode") {
        if (!value.is_number_integer() || value.get<int64_t>() < 0 || value.get<int64_t>() > 63) {
          return Bad(path + ".numaNode", absl::StrCat("want a NUMA id 0..63, got ", value.dump()));
        }
        r.numa_node = value.get<int>();
      } else if (key == "limits") {
        if (!value.is_object()) return Bad(path + ".limits", "want an object");
        for (const auto& [name, q] : value.items()) {
          const std::string qpath = absl::StrCat(path, ".limits.", name);
          std::string text = q.is_string() ? q.get<std::string>() : q.dump();
          absl::StatusOr<Quantity> parsed = Quantity::Parse(text);
          if (!parsed.ok() || parsed->Value() < 0) {
            return Bad(qpath, absl::StrCat("\"", text, "\" is not a non-negative quantity"));
          }
          r.limits[name] = static_cast<uint64_t>(parsed->Value());
        }
      } else {
        return Bad(path, absl::StrCat("unknown key \"", key, "\" (want numaNode, limits)"));
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

// kubeReserved / systemReserved (parseResourceList in cmd/kubelet/app/server.go): only cpu,
// memory, ephemeral-storage and pid can be reserved, never a negative amount.
absl::StatusOr<ResourceList> Reservation(const json& v, std::string_view path) {
  PODALLOC_ASSIGN_OR_RETURN(auto texts, StringMap(v, path));
  ResourceList out;
  for (const auto& [name, text] : texts) {
    const std::string field = absl::StrCat(std::string(path), ".", name);
    if (name != "cpu" && name != "memory" && name != "ephemeral-storage" && name != "pid") {
      return Bad(field, absl::StrCat("cannot reserve \"", name,
                                     "\" resource (want cpu, memory, ephemeral-storage, pid)"));
    }
    absl::StatusOr<Quantity> q = Quantity::Parse(text);
    if (!q.ok()) return Bad(field, absl::StrCat("\"", text, "\" is not a quantity"));
    if (q->Sign() < 0) return Bad(field, absl::StrCat("\"", text, "\" cannot be negative"));
    out[name] = *q;
  }
  return out;
}

// evictionHard (pkg/kubelet/eviction helpers.go parseThresholdStatement): a known signal, then
// a percentage in [0%, 100%] or a positive quantity.
absl::StatusOr<std::map<std::string, EvictionThreshold>> EvictionHard(const json& v) {
  static constexpr const char* kSignals[] = {
      "memory.available",      "allocatableMemory.available", "nodefs.available",
      "nodefs.inodesFree",     "imagefs.available",           "imagefs.inodesFree",
      "containerfs.available", "containerfs.inodesFree",      "pid.available"};
  PODALLOC_ASSIGN_OR_RETURN(auto texts, StringMap(v, "evictionHard"));
  std::map<std::string, EvictionThreshold> out;
  for (const auto& [signal, text] : texts) {
    const std::string field = absl::StrCat("evictionHard.", signal);
    if (std::find_if(std::begin(kSignals), std::end(kSignals),
                     [&name = signal](const char* s) { return name == s; }) ==
        std::end(kSignals)) {
      return Bad(field, absl::StrCat("unsupported eviction signal ", signal));
    }
    EvictionThreshold t;
    if (!text.empty() && text.back() == '%') {
      if (text != "0%" && text != "100%") {
        double percent = 0;
        if (!absl::SimpleAtod(text.substr(0, text.size() - 1), &percent)) {
          return Bad(field, absl::StrCat("\"", text, "\" is not a percentage"));
        }
        if (percent < 0) return Bad(field, absl::StrCat(text, " must be >= 0%"));
        if (percent > 100) return Bad(field, absl::StrCat(text, " must be <= 100%"));
        t.percentage = static_cast<float>(percent) / 100;
      }
    } else {
      absl::StatusOr<Quantity> q = Quantity::Parse(text);
      if (!q.ok()) return Bad(field, absl::StrCat("\"", text, "\" is not a quantity"));
      if (q->Sign() <= 0) return Bad(field, absl::StrCat("\"", text, "\" must be positive"));
      t.quantity = *q;
    }
    out[signal] = t;
  }
  return out;
}

// maxPods, podsPerCore: int32 fields the kubelet's validation keeps non-negative.
absl::StatusOr<int64_t> NonNegativeInt32(const json& v, std::string_view path) {
  if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > INT32_MAX) {
    return Bad(path, absl::StrCat("want a non-negative 32-bit integer, got ", v.dump()));
  }
  return v.get<int64_t>();
}

// nodeCapacity: what the node reports beyond the machine description. cpu, memory, huge pages
// and pods come from the machine and maxPods, so naming them here is a mistake.
absl::StatusOr<ResourceList> NodeCapacityExtras(const json& v) {
  PODALLOC_ASSIGN_OR_RETURN(auto texts, StringMap(v, "nodeCapacity"));
  ResourceList out;
  for (const auto& [name, text] : texts) {
    const std::string field = absl::StrCat("nodeCapacity.", name);
    const bool storage = name == kResourceEphemeralStorage;
    if (!storage && !IsExtendedResourceName(name)) {
      return Bad(field, absl::StrCat("\"", name,
                                     "\" is not ephemeral-storage or an extended resource "
                                     "(cpu, memory, huge pages and pods come from the machine "
                                     "and maxPods)"));
    }
    absl::StatusOr<Quantity> q = Quantity::Parse(text);
    if (!q.ok()) return Bad(field, absl::StrCat("\"", text, "\" is not a quantity"));
    if (q->Sign() < 0) return Bad(field, absl::StrCat("\"", text, "\" cannot be negative"));
    if (!storage && !q->IsWhole()) {
      return Bad(field, absl::StrCat("\"", text, "\" is not a whole number of devices"));
    }
    out[name] = *q;
  }
  return out;
}

// `kubelet`: the document is a whole KubeletConfiguration, whose gates podalloc does not model
// are the kubelet's business (a warning here); in the plain form they are errors.
absl::Status FeatureGates(const json& v, NodeConfig& c, bool kubelet) {
  NodeFeatureGates& gates = c.feature_gates;
  if (!v.is_object()) return Bad("featureGates", "want an object");
  const std::map<std::string, bool NodeFeatureGates::*> known = {
      {"PodLevelResources", &NodeFeatureGates::pod_level_resources},
      {"PodLevelResourceManagers", &NodeFeatureGates::pod_level_resource_managers},
      {"MemoryQoS", &NodeFeatureGates::memory_qos},
      {"CPUManagerPolicyAlphaOptions", &NodeFeatureGates::cpu_manager_policy_alpha_options},
      {"CPUManagerPolicyBetaOptions", &NodeFeatureGates::cpu_manager_policy_beta_options},
      {"TopologyManagerPolicyAlphaOptions",
       &NodeFeatureGates::topology_manager_policy_alpha_options},
      {"TopologyManagerPolicyBetaOptions", &NodeFeatureGates::topology_manager_policy_beta_options},
      {"InPlacePodVerticalScaling", &NodeFeatureGates::in_place_pod_vertical_scaling},
      {"InPlacePodVerticalScalingExclusiveCPUs",
       &NodeFeatureGates::in_place_pod_vertical_scaling_exclusive_cpus},
      {"InPlacePodVerticalScalingExclusiveMemory",
       &NodeFeatureGates::in_place_pod_vertical_scaling_exclusive_memory},
      {"InPlacePodLevelResourcesVerticalScaling",
       &NodeFeatureGates::in_place_pod_level_resources_vertical_scaling},
      {"MemoryManager", &NodeFeatureGates::memory_manager},
      {"DRAExtendedResource", &NodeFeatureGates::dra_extended_resource},
  };
  for (const auto& [name, value] : v.items()) {
    // NodeSwap is GA and locked on (v1.36): only its locked value is accepted.
    if (name == "NodeSwap") {
      PODALLOC_ASSIGN_OR_RETURN(const bool on, Bool(value, "featureGates." + name));
      if (!on) {
        return Bad("featureGates.NodeSwap",
                   "cannot set feature gate NodeSwap to false, feature is locked to true");
      }
      continue;
    }
    auto it = known.find(name);
    if (it == known.end() && kubelet) {
      c.warnings.push_back(absl::StrCat("featureGates.", name,
                                        ": not a gate podalloc models; ignored (the kubelet "
                                        "refuses names it does not know)"));
      continue;
    }
    if (it == known.end()) {
      return Bad(absl::StrCat("featureGates.", name), "unknown feature gate");
    }
    PODALLOC_ASSIGN_OR_RETURN(gates.*(it->second), Bool(value, "featureGates." + name));
  }
  return absl::OkStatus();
}

// memorySwap: {"swapBehavior": "" | "NoSwap" | "LimitedSwap"} (validation.go's text).
absl::Status MemorySwap(const json& v, NodeConfig& c, bool kubelet) {
  if (!v.is_object()) return Bad("memorySwap", absl::StrCat("want an object, got ", v.dump()));
  for (const auto& [key, value] : v.items()) {
    if (key != "swapBehavior") {
      if (kubelet) continue;
      return Bad("memorySwap", absl::StrCat("unknown key \"", key, "\" (want swapBehavior)"));
    }
    PODALLOC_ASSIGN_OR_RETURN(std::string behavior, String(value, "memorySwap.swapBehavior"));
    if (!behavior.empty() && behavior != "NoSwap" && behavior != "LimitedSwap") {
      return Bad("memorySwap.swapBehavior",
                 absl::StrCat("\"", behavior, "\" must be one of: \"\", \"LimitedSwap\" or \"NoSwap\""));
    }
    c.memory_swap_behavior = std::move(behavior);
  }
  return absl::OkStatus();
}

// One field. `kubelet`: the document is a decoded KubeletConfiguration, whose fields podalloc
// does not read are skipped; in the plain form they are errors.
absl::Status Field(const std::string& key, const json& value, NodeConfig& c, bool kubelet) {
  if (key == "apiVersion" || key == "kind") return String(value, key).status();
  if (key == "cpuManagerPolicy") {
    PODALLOC_ASSIGN_OR_RETURN(c.cpu_manager_policy, OneOf(value, key, {"none", "static"}));
  } else if (key == "cpuManagerPolicyOptions") {
    PODALLOC_ASSIGN_OR_RETURN(c.cpu_manager_policy_options, StringMap(value, key));
  } else if (key == "reservedSystemCPUs") {
    PODALLOC_ASSIGN_OR_RETURN(std::string text, String(value, key));
    absl::StatusOr<CpuSet> cpus = CpuSet::Parse(text);
    if (!cpus.ok()) {
      return Bad(key, absl::StrCat("invalid configuration: unable to parse reservedSystemCPUs "
                                   "(--reserved-cpus) ",
                                   text, ", error: ", cpus.status().message()));
    }
    c.reserved_system_cpus = *cpus;
  } else if (key == "topologyManagerPolicy") {
    PODALLOC_ASSIGN_OR_RETURN(
        c.topology_manager_policy,
        OneOf(value, key, {"none", "best-effort", "restricted", "single-numa-node"}));
  } else if (key == "topologyManagerScope") {
    PODALLOC_ASSIGN_OR_RETURN(c.topology_manager_scope, OneOf(value, key, {"container", "pod"}));
  } else if (key == "topologyManagerPolicyOptions") {
    PODALLOC_ASSIGN_OR_RETURN(c.topology_manager_policy_options, StringMap(value, key));
  } else if (key == "memoryManagerPolicy") {
    PODALLOC_ASSIGN_OR_RETURN(c.memory_manager_policy, OneOf(value, key, {"None", "Static"}));
  } else if (key == "reservedMemory") {
    PODALLOC_ASSIGN_OR_RETURN(c.reserved_memory, ReservedMemory(value));
  } else if (key == "memoryThrottlingFactor") {
    if (!value.is_number()) return Bad(key, absl::StrCat("want a number, got ", value.dump()));
    const double f = value.get<double>();
    if (!(f > 0.0 && f <= 1.0)) return Bad(key, absl::StrCat(value.dump(), " is not in (0, 1]"));
    c.memory_throttling_factor = f;
  } else if (key == "memoryReservationPolicy") {
    PODALLOC_ASSIGN_OR_RETURN(std::string text, String(value, key));
    absl::StatusOr<MemoryReservationPolicy> p = ParseMemoryReservationPolicy(text);
    if (!p.ok()) return Bad(key, std::string(p.status().message()));
    c.memory_reservation_policy = *p;
  } else if (key == "kubeReserved") {
    PODALLOC_ASSIGN_OR_RETURN(c.kube_reserved, Reservation(value, key));
  } else if (key == "systemReserved") {
    PODALLOC_ASSIGN_OR_RETURN(c.system_reserved, Reservation(value, key));
  } else if (key == "evictionHard") {
    PODALLOC_ASSIGN_OR_RETURN(c.eviction_hard, EvictionHard(value));
  } else if (key == "systemReservedCgroup") {
    PODALLOC_ASSIGN_OR_RETURN(c.system_reserved_cgroup, String(value, key));
  } else if (key == "kubeReservedCgroup") {
    PODALLOC_ASSIGN_OR_RETURN(c.kube_reserved_cgroup, String(value, key));
  } else if (key == "maxPods") {
    PODALLOC_ASSIGN_OR_RETURN(c.max_pods, NonNegativeInt32(value, key));
  } else if (key == "podsPerCore") {
    PODALLOC_ASSIGN_OR_RETURN(c.pods_per_core, NonNegativeInt32(value, key));
  } else if (key == "nodeCapacity") {
    PODALLOC_ASSIGN_OR_RETURN(c.node_capacity, NodeCapacityExtras(value));
  } else if (key == "featureGates") {
    return FeatureGates(value, c, kubelet);
  } else if (key == "memorySwap") {
    return MemorySwap(value, c, kubelet);
  } else if (key == "failSwapOn") {
    PODALLOC_ASSIGN_OR_RETURN(c.fail_swap_on, Bool(value, key));
  } else if (!kubelet) {
    return Bad(key, "unknown key (the accepted keys are listed in docs/node-config.md)");
  }
  return absl::OkStatus();
}

absl::StatusOr<NodeConfig> FromDocument(const json& doc, bool kubelet) {
  NodeConfig config;
  try {
    for (const auto& [key, value] : doc.items()) {
      PODALLOC_RETURN_IF_ERROR(Field(key, value, config, kubelet));
    }
    // The kubelet's ValidateKubeletConfiguration: reserved CPUs are carved out of the cgroups
    // by the CPU manager, so the reservation cgroups cannot enforce them too. A
    // KubeletConfiguration was already validated as a whole (kubelet_config_validation.cc).
    if (!kubelet && !config.reserved_system_cpus.IsEmpty() &&
        (!config.system_reserved_cgroup.empty() || !config.kube_reserved_cgroup.empty())) {
      return Bad("reservedSystemCPUs",
                 "invalid configuration: can't use reservedSystemCPUs (--reserved-cpus) with "
                 "systemReservedCgroup (--system-reserved-cgroup) or kubeReservedCgroup "
                 "(--kube-reserved-cgroup)");
    }
  } catch (const json::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("node config: ", e.what()));
  }
  return config;
}

bool IsKubeletConfiguration(const json& doc) {
  return doc.is_object() && (doc.contains("apiVersion") || doc.contains("kind"));
}

}  // namespace

namespace internal {

absl::StatusOr<NodeConfig> NodeConfigFromKubeletDocument(const json& document,
                                                         std::vector<std::string>& warnings) {
  PODALLOC_ASSIGN_OR_RETURN(NodeConfig config, FromDocument(document, /*kubelet=*/true));
  warnings.insert(warnings.end(), config.warnings.begin(), config.warnings.end());
  return config;
}

}  // namespace internal

absl::StatusOr<NodeConfig> ParseNodeConfig(std::string_view text) {
  // The plain JSON form. nlohmann keeps the last of repeated keys silently; the callback
  // notes them so the caller hears about it, as the kubelet would say for its own file.
  std::vector<std::set<std::string, std::less<>>> open_objects;
  std::vector<std::string> duplicates;
  json::parser_callback_t note_duplicates = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) open_objects.emplace_back();
    if (event == json::parse_event_t::object_end && !open_objects.empty()) open_objects.pop_back();
    if (event == json::parse_event_t::key && !open_objects.empty() &&
        !open_objects.back().insert(parsed.get<std::string>()).second) {
      duplicates.push_back(parsed.get<std::string>());
    }
    return true;
  };
  json doc = json::parse(text.begin(), text.end(), note_duplicates, /*allow_exceptions=*/false);
  if (!doc.is_discarded() && doc.is_object() && !IsKubeletConfiguration(doc)) {
    PODALLOC_ASSIGN_OR_RETURN(NodeConfig config, FromDocument(doc, /*kubelet=*/false));
    for (const std::string& key : duplicates) {
      config.warnings.push_back(absl::StrCat("duplicate field \"", key, "\": the last value is used"));
    }
    return config;
  }
  // YAML, and any KubeletConfiguration (whose duplicate keys only the YAML reader sees).
  absl::StatusOr<YamlDocument> yaml = YamlToJson(text);
  if (!yaml.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("node config: neither JSON nor YAML: ", yaml.status().message()));
  }
  if (IsKubeletConfiguration(yaml->value)) {
    PODALLOC_ASSIGN_OR_RETURN(KubeletConfiguration kc, DecodeKubeletConfiguration(text));
    return std::move(kc.node_config);
  }
  if (!yaml->value.is_object()) {
    return absl::InvalidArgumentError("node config: want a JSON object or a YAML mapping");
  }
  PODALLOC_ASSIGN_OR_RETURN(NodeConfig config, FromDocument(yaml->value, /*kubelet=*/false));
  for (const YamlDuplicateKey& d : yaml->duplicates) {
    config.warnings.push_back(absl::StrCat("duplicate field \"", d.path, "\" (line ", d.line,
                                           "): the last value is used"));
  }
  return config;
}

}  // namespace podalloc
