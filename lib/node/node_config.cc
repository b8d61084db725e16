// Reading NodeConfig from KubeletConfiguration-shaped JSON or YAML. In the plain form only the
// fields listed in docs/node-config.md are accepted: a key outside that set is an error naming
// it, so a typo in a policy field cannot silently fall back to a default. A document with
// apiVersion or kind is a whole KubeletConfiguration (kubelet_config.cc), whose decoded
// document comes back here with the other fields skipped.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "kubelet_config_internal.h"
#include "podalloc/internal/go_float.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/internal/json_input.h"
#include "podalloc/kubelet_config.h"
#include "podalloc/node_config.h"
#include "podalloc/quantity.h"
#include "podalloc/resource_fit.h"
#include "podalloc/status_macros.h"
#include "podalloc/yaml_json.h"

namespace podalloc {
namespace {

using nlohmann::json;
using internal::EscapeInput;
using internal::JsonExcerpt;
using internal::QuoteInput;

// "<path>.<key>" where the key comes from the document, escaped and bounded.
std::string Child(std::string_view path, std::string_view key) {
  return absl::StrCat(std::string(path), ".", EscapeInput(key));
}

absl::Status Bad(std::string_view path, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(std::string(path), ": ", std::string(what)));
}

absl::StatusOr<std::string> String(const json& v, std::string_view path) {
  if (!v.is_string()) return Bad(path, absl::StrCat("want a string, got ", JsonExcerpt(v)));
  return v.get<std::string>();
}

absl::StatusOr<bool> Bool(const json& v, std::string_view path) {
  if (!v.is_boolean()) return Bad(path, absl::StrCat("want true or false, got ", JsonExcerpt(v)));
  return v.get<bool>();
}

// Policy options are map[string]string in KubeletConfiguration.
absl::StatusOr<std::map<std::string, std::string>> StringMap(const json& v, std::string_view path) {
  if (!v.is_object()) return Bad(path, absl::StrCat("want an object, got ", JsonExcerpt(v)));
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : v.items()) {
    PODALLOC_ASSIGN_OR_RETURN(out[key], String(value, Child(path, key)));
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
  return Bad(path, absl::StrCat("unknown value ", QuoteInput(s), " (want one of ",
                                absl::StrJoin(quoted, ", "), ")"));
}

absl::StatusOr<std::vector<MemoryReservation>> ReservedMemory(const json& v) {
  if (!v.is_array()) {
    return Bad("reservedMemory", absl::StrCat("want a list, got ", JsonExcerpt(v)));
  }
  std::vector<MemoryReservation> out;
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string path = absl::StrCat("reservedMemory[", i, "]");
    const json& entry = v[i];
    if (!entry.is_object()) return Bad(path, "want an object");
    MemoryReservation r;
    for (const auto& [key, value] : entry.items()) {
      if (key == "numaNode") {
        if (!value.is_number_integer() || value.get<int64_t>() < 0 || value.get<int64_t>() > 63) {
          return Bad(path + ".numaNode",
                     absl::StrCat("want a NUMA id 0..63, got ", JsonExcerpt(value)));
        }
        r.numa_node = value.get<int>();
      } else if (key == "limits") {
        if (!value.is_object()) return Bad(path + ".limits", "want an object");
        for (const auto& [name, q] : value.items()) {
          const std::string qpath = Child(path + ".limits", name);
          std::string text = q.is_string() ? q.get<std::string>() : JsonExcerpt(q);
          absl::StatusOr<Quantity> parsed = Quantity::Parse(text);
          if (!parsed.ok() || parsed->Value() < 0) {
            return Bad(qpath, absl::StrCat(QuoteInput(text), " is not a non-negative quantity"));
          }
          r.limits[name] = static_cast<uint64_t>(parsed->Value());
        }
      } else {
        return Bad(path, absl::StrCat("unknown key ", QuoteInput(key), " (want numaNode, limits)"));
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
    const std::string field = Child(path, name);
    if (name != "cpu" && name != "memory" && name != "ephemeral-storage" && name != "pid") {
      return Bad(field, absl::StrCat("cannot reserve ", QuoteInput(name),
                                     " resource (want cpu, memory, ephemeral-storage, pid)"));
    }
    absl::StatusOr<Quantity> q = Quantity::Parse(text);
    if (!q.ok()) return Bad(field, absl::StrCat(QuoteInput(text), " is not a quantity"));
    if (q->Sign() < 0) return Bad(field, absl::StrCat(QuoteInput(text), " cannot be negative"));
    out[name] = *q;
  }
  return out;
}

// parsePercentage and the range checks of parseThresholdStatement: every trailing '%' goes,
// the rest is read as strconv.ParseFloat(s, 32) reads it, and the fraction (float32, divided
// by 100) must lie in [0, 1]. ParseFloat accepts "NaN", which passes both of the kubelet's
// comparisons and later becomes an architecture-dependent integer; it is refused here.
absl::StatusOr<float> EvictionPercentage(const std::string& text, const std::string& field) {
  std::string_view number = text;
  while (!number.empty() && number.back() == '%') number.remove_suffix(1);
  const internal::go::ParsedFloat32 parsed = internal::go::ParseFloat32(number);
  if (parsed.result != internal::go::ParsedFloat32::Result::kOk || std::isnan(parsed.value)) {
    return Bad(field, absl::StrCat(QuoteInput(text), " is not a percentage"));
  }
  const float fraction = parsed.value / 100;
  if (fraction < 0) return Bad(field, absl::StrCat(EscapeInput(text), " must be >= 0%"));
  if (fraction > 1) return Bad(field, absl::StrCat(EscapeInput(text), " must be <= 100%"));
  return fraction;
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
    const std::string field = Child("evictionHard", signal);
    if (std::find_if(std::begin(kSignals), std::end(kSignals),
                     [&name = signal](const char* s) { return name == s; }) ==
        std::end(kSignals)) {
      return Bad(field, absl::StrCat("unsupported eviction signal ", EscapeInput(signal)));
    }
    EvictionThreshold t;
    if (!text.empty() && text.back() == '%') {
      if (text != "0%" && text != "100%") {
        PODALLOC_ASSIGN_OR_RETURN(t.percentage, EvictionPercentage(text, field));
      }
    } else {
      absl::StatusOr<Quantity> q = Quantity::Parse(text);
      if (!q.ok()) return Bad(field, absl::StrCat(QuoteInput(text), " is not a quantity"));
      if (q->Sign() <= 0) return Bad(field, absl::StrCat(QuoteInput(text), " must be positive"));
      t.quantity = *q;
    }
    out[signal] = t;
  }
  return out;
}

// maxPods, podsPerCore: int32 fields the kubelet's validation keeps non-negative.
absl::StatusOr<int64_t> NonNegativeInt32(const json& v, std::string_view path) {
  if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > INT32_MAX) {
    return Bad(path, absl::StrCat("want a non-negative 32-bit integer, got ", JsonExcerpt(v)));
  }
  return v.get<int64_t>();
}

// nodeCapacity: what the node reports beyond the machine description. cpu, memory, huge pages
// and pods come from the machine and maxPods, so naming them here is a mistake.
absl::StatusOr<ResourceList> NodeCapacityExtras(const json& v) {
  PODALLOC_ASSIGN_OR_RETURN(auto texts, StringMap(v, "nodeCapacity"));
  ResourceList out;
  for (const auto& [name, text] : texts) {
    const std::string field = Child("nodeCapacity", name);
    const bool storage = name == kResourceEphemeralStorage;
    if (!storage && !IsExtendedResourceName(name)) {
      return Bad(field, absl::StrCat(QuoteInput(name),
                                     " is not ephemeral-storage or an extended resource "
                                     "(cpu, memory, huge pages and pods come from the machine "
                                     "and maxPods)"));
    }
    absl::StatusOr<Quantity> q = Quantity::Parse(text);
    if (!q.ok()) return Bad(field, absl::StrCat(QuoteInput(text), " is not a quantity"));
    if (q->Sign() < 0) return Bad(field, absl::StrCat(QuoteInput(text), " cannot be negative"));
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
      PODALLOC_ASSIGN_OR_RETURN(const bool on, Bool(value, Child("featureGates", name)));
      if (!on) {
        return Bad("featureGates.NodeSwap",
                   "cannot set feature gate NodeSwap to false, feature is locked to true");
      }
      continue;
    }
    auto it = known.find(name);
    if (it == known.end() && kubelet) {
      c.warnings.push_back(absl::StrCat(Child("featureGates", name),
                                        ": not a gate podalloc models; ignored (the kubelet "
                                        "refuses names it does not know)"));
      continue;
    }
    if (it == known.end()) {
      return Bad(Child("featureGates", name), "unknown feature gate");
    }
    PODALLOC_ASSIGN_OR_RETURN(gates.*(it->second), Bool(value, Child("featureGates", name)));
  }
  return absl::OkStatus();
}

// memorySwap: {"swapBehavior": "" | "NoSwap" | "LimitedSwap"} (validation.go's text).
absl::Status MemorySwap(const json& v, NodeConfig& c, bool kubelet) {
  if (!v.is_object()) return Bad("memorySwap", absl::StrCat("want an object, got ", JsonExcerpt(v)));
  for (const auto& [key, value] : v.items()) {
    if (key != "swapBehavior") {
      if (kubelet) continue;
      return Bad("memorySwap", absl::StrCat("unknown key ", QuoteInput(key), " (want swapBehavior)"));
    }
    PODALLOC_ASSIGN_OR_RETURN(std::string behavior, String(value, "memorySwap.swapBehavior"));
    if (!behavior.empty() && behavior != "NoSwap" && behavior != "LimitedSwap") {
      return Bad("memorySwap.swapBehavior",
                 absl::StrCat(QuoteInput(behavior),
                              " must be one of: \"\", \"LimitedSwap\" or \"NoSwap\""));
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
                                   EscapeInput(text), ", error: ", cpus.status().message()));
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
    if (!value.is_number()) {
      return Bad(key, absl::StrCat("want a number, got ", JsonExcerpt(value)));
    }
    const double f = value.get<double>();
    if (!(f > 0.0 && f <= 1.0)) {
      return Bad(key, absl::StrCat(JsonExcerpt(value), " is not in (0, 1]"));
    }
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
    return Bad(EscapeInput(key),
               "unknown key (the accepted keys are listed in docs/node-config.md)");
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
    return absl::InvalidArgumentError(absl::StrCat("node config: ", EscapeInput(e.what())));
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
  // The plain JSON form. nlohmann keeps the last of repeated keys silently; the parser notes
  // them so the caller hears about it, as the kubelet would say for its own file.
  std::vector<std::string> duplicates;
  absl::StatusOr<json> parsed =
      internal::ParseJson(text, internal::JsonPathStyle::kDotted, &duplicates);
  if (parsed.ok() && parsed->is_object() && !IsKubeletConfiguration(*parsed)) {
    PODALLOC_ASSIGN_OR_RETURN(NodeConfig config, FromDocument(*parsed, /*kubelet=*/false));
    for (const std::string& key : duplicates) {
      config.warnings.push_back(
          absl::StrCat("duplicate field ", QuoteInput(key), ": the last value is used"));
    }
    return config;
  }
  // A document that opens as JSON does is JSON: its errors are JSON's, not YAML's.
  if (!parsed.ok() && internal::LooksLikeJson(text)) {
    return absl::InvalidArgumentError(
        absl::StrCat("node config: not valid JSON: ", parsed.status().message()));
  }
  // YAML, and any KubeletConfiguration (whose duplicate keys only the YAML reader sees).
  absl::StatusOr<YamlDocument> yaml = YamlToJson(text);
  if (!yaml.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("node config: not valid YAML: ", yaml.status().message()));
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
    config.warnings.push_back(absl::StrCat("duplicate field ", QuoteInput(d.path), " (line ",
                                           d.line, "): the last value is used"));
  }
  return config;
}

}  // namespace podalloc
