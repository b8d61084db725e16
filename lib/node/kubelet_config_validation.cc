// ValidateKubeletConfiguration (pkg/kubelet/apis/config/validation/validation.go and
// validation_reserved_memory.go) for the fields near podalloc, with the kubelet's texts. Every
// check runs and the failures are aggregated as the kubelet's utilerrors.NewAggregate prints
// them: one message alone, several as "[a, b]".
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "kubelet_config_schema.h"
#include "podalloc/cpuset.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/internal/json_input.h"
#include "podalloc/kubelet_config.h"
#include "podalloc/quantity.h"

namespace podalloc {
namespace {

using nlohmann::json;

constexpr int64_t kDefaultCfsPeriodNs = 100'000'000;  // 100ms

std::string Str(const json& doc, const char* key) {
  auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t Int(const json& doc, const char* key) {
  auto it = doc.find(key);
  if (it == doc.end() || !it->is_number()) return 0;
  if (it->is_number_integer()) return it->get<int64_t>();
  const double d = it->get<double>();  // clamped: a raw document may hold any number
  return d < -9e18 ? INT64_MIN : d > 9e18 ? INT64_MAX : static_cast<int64_t>(d);
}

bool Gate(const json& doc, const char* name, bool fallback) {
  auto gates = doc.find("featureGates");
  if (gates == doc.end() || !gates->is_object()) return fallback;
  auto it = gates->find(name);
  return it != gates->end() && it->is_boolean() ? it->get<bool>() : fallback;
}

// Go's %q of a string.
std::string Q(absl::string_view s) {
  return internal::QuoteInput(std::string_view(s.data(), s.size()));
}

void EnforceNodeAllocatable(const json& doc, std::vector<std::string>& errors) {
  std::vector<std::string> values;
  if (auto it = doc.find("enforceNodeAllocatable"); it != doc.end() && it->is_array()) {
    for (const json& v : *it) values.push_back(v.is_string() ? v.get<std::string>() : internal::JsonExcerpt(v));
  }
  std::set<std::string, std::less<>> given(values.begin(), values.end());
  if (given.contains("system-reserved") && given.contains("system-reserved-compressible")) {
    errors.push_back(
        "invalid configuration: both \"system-reserved\" and \"system-reserved-compressible\" "
        "cannot be specified together in enforceNodeAllocatable (--enforce-node-allocatable)");
  }
  if (given.contains("kube-reserved") && given.contains("kube-reserved-compressible")) {
    errors.push_back(
        "invalid configuration: both \"kube-reserved\" and \"kube-reserved-compressible\" cannot "
        "be specified together in enforceNodeAllocatable (--enforce-node-allocatable)");
  }
  const auto cgroups_per_qos = doc.find("cgroupsPerQOS");
  const bool per_qos = cgroups_per_qos != doc.end() && cgroups_per_qos->is_boolean() &&
                       cgroups_per_qos->get<bool>();
  std::set<std::string, std::less<>> seen;
  for (const std::string& v : values) {
    if (!seen.insert(v).second) {
      errors.push_back(absl::StrCat("invalid configuration: duplicated enforcements ", Q(v),
                                    " in enforceNodeAllocatable (--enforce-node-allocatable)"));
      continue;
    }
    if (v == "pods") {
    } else if (v == "system-reserved" || v == "system-reserved-compressible") {
      if (Str(doc, "systemReservedCgroup").empty()) {
        errors.push_back(
            "invalid configuration: systemReservedCgroup (--system-reserved-cgroup) must be "
            "specified when \"system-reserved\" or \"system-reserved-compressible\" included in "
            "enforceNodeAllocatable (--enforce-node-allocatable)");
      }
    } else if (v == "kube-reserved" || v == "kube-reserved-compressible") {
      if (Str(doc, "kubeReservedCgroup").empty()) {
        errors.push_back(
            "invalid configuration: kubeReservedCgroup (--kube-reserved-cgroup) must be "
            "specified when \"kube-reserved\" or \"kube-reserved-compressible\" included in "
            "enforceNodeAllocatable (--enforce-node-allocatable)");
      }
    } else if (v == "none") {
      if (values.size() > 1) {
        errors.push_back(
            "invalid configuration: enforceNodeAllocatable (--enforce-node-allocatable) may not "
            "contain additional enforcements when \"none\" is specified");
      }
      continue;
    } else {
      errors.push_back(absl::StrCat(
          "invalid configuration: option ", Q(v),
          " specified for enforceNodeAllocatable (--enforce-node-allocatable). Valid options are "
          "\"pods\", \"system-reserved\", \"system-reserved-compressible\", \"kube-reserved\", "
          "\"kube-reserved-compressible\" or \"none\""));
      continue;
    }
    if (!per_qos) {
      errors.push_back(absl::StrCat(
          "invalid configuration: cgroupsPerQOS (--cgroups-per-qos) must be set to true when ",
          Q(v), " contained in enforceNodeAllocatable (--enforce-node-allocatable)"));
    }
  }
}

void ReservedMemory(const json& doc, std::vector<std::string>& errors) {
  auto list = doc.find("reservedMemory");
  if (list == doc.end() || !list->is_array()) return;
  std::map<int64_t, std::set<std::string, std::less<>>> seen;
  for (const json& entry : *list) {
    if (!entry.is_object()) continue;
    const int64_t numa = Int(entry, "numaNode");
    auto limits = entry.find("limits");
    if (limits == entry.end() || !limits->is_object()) continue;
    for (const auto& [name, value] : limits->items()) {
      if (name != "memory" && name.rfind("hugepages-", 0) != 0) {
        errors.push_back(absl::StrCat("invalid configuration: the limit type ", Q(name),
                                      " for NUMA node ", numa,
                                      " is not supported, only [memory hugepages-<HugePageSize>] "
                                      "is accepted"));
      }
      const std::string text = value.is_string() ? value.get<std::string>() : internal::JsonExcerpt(value);
      absl::StatusOr<Quantity> q = Quantity::Parse(text);
      if (!q.ok()) {
        errors.push_back(absl::StrCat("invalid configuration: reserved memory ", Q(text),
                                      " for NUMA node ", numa, " and resource ", Q(name),
                                      " is not a quantity"));
      } else if (q->IsZero()) {
        errors.push_back(absl::StrCat("invalid configuration: reserved memory may not be zero "
                                      "for NUMA node ",
                                      numa, " and resource ", Q(name)));
      }
      if (!seen[numa].insert(name).second) {
        errors.push_back(absl::StrCat("invalid configuration: the reserved memory has a duplicate "
                                      "value for NUMA node ",
                                      numa, " and resource ", Q(name)));
      }
    }
  }
}

}  // namespace

absl::Status ValidateKubeletConfiguration(const json& doc) {
  if (!doc.is_object()) return absl::InvalidArgumentError("invalid configuration: not an object");
  // NodeSwap is GA and locked on in v1.36: setting it off fails before any other check.
  if (!Gate(doc, "NodeSwap", true)) {
    return absl::InvalidArgumentError(
        "cannot set feature gate NodeSwap to false, feature is locked to true");
  }
  const bool memory_qos = Gate(doc, "MemoryQoS", false);
  const bool custom_period = Gate(doc, "CustomCPUCFSQuotaPeriod", false);
  std::vector<std::string> errors;

  const std::string period_text = Str(doc, "cpuCFSQuotaPeriod");
  const int64_t period =
      period_text.empty() ? 0 : internal::ParseGoDuration(period_text).value_or(0);
  const std::string period_go = absl::StrCat("{", internal::FormatGoDuration(period), "}");
  if (!custom_period && period != kDefaultCfsPeriodNs) {
    errors.push_back(absl::StrCat("invalid configuration: cpuCFSQuotaPeriod (--cpu-cfs-quota-period) ",
                                  period_go, " requires feature gate CustomCPUCFSQuotaPeriod"));
  }
  if (custom_period && (period < 1'000'000 || period > 1'000'000'000)) {
    errors.push_back(absl::StrCat("invalid configuration: cpuCFSQuotaPeriod (--cpu-cfs-quota-period) ",
                                  period_go, " must be between 1ms and 1sec, inclusive"));
  }
  if (const int64_t v = Int(doc, "maxPods"); v < 0) {
    errors.push_back(absl::StrCat("invalid configuration: maxPods (--max-pods) ", v,
                                  " must not be a negative number"));
  }
  if (const int64_t v = Int(doc, "podsPerCore"); v < 0) {
    errors.push_back(absl::StrCat("invalid configuration: podsPerCore (--pods-per-core) ", v,
                                  " must not be a negative number"));
  }
  const std::string policy = Str(doc, "topologyManagerPolicy");
  if (policy != "none" && policy != "best-effort" && policy != "restricted" &&
      policy != "single-numa-node") {
    errors.push_back(absl::StrCat(
        "invalid configuration: topologyManagerPolicy (--topology-manager-policy) ", Q(policy),
        " must be one of: [\"none\" \"best-effort\" \"restricted\" \"single-numa-node\"]"));
  }
  const std::string scope = Str(doc, "topologyManagerScope");
  if (scope != "container" && scope != "pod") {
    errors.push_back(absl::StrCat(
        "invalid configuration: topologyManagerScope (--topology-manager-scope) ", Q(scope),
        " must be one of: \"container\", or \"pod\""));
  }
  std::string swap;
  if (auto m = doc.find("memorySwap"); m != doc.end() && m->is_object()) swap = Str(*m, "swapBehavior");
  if (!swap.empty() && swap != "NoSwap" && swap != "LimitedSwap") {
    errors.push_back(absl::StrCat("invalid configuration: memorySwap.swapBehavior ", Q(swap),
                                  " must be one of: \"\", \"LimitedSwap\" or \"NoSwap\""));
  }
  EnforceNodeAllocatable(doc, errors);
  if (const std::string cpus = Str(doc, "reservedSystemCPUs"); !cpus.empty()) {
    if (!Str(doc, "systemReservedCgroup").empty() || !Str(doc, "kubeReservedCgroup").empty()) {
      errors.push_back(
          "invalid configuration: can't use reservedSystemCPUs (--reserved-cpus) with "
          "systemReservedCgroup (--system-reserved-cgroup) or kubeReservedCgroup "
          "(--kube-reserved-cgroup)");
    }
    if (absl::StatusOr<CpuSet> parsed = CpuSet::Parse(cpus); !parsed.ok()) {
      errors.push_back(absl::StrCat(
          "invalid configuration: unable to parse reservedSystemCPUs (--reserved-cpus) ", cpus,
          ", error: ", parsed.status().message()));
    }
  }
  ReservedMemory(doc, errors);
  const auto factor = doc.find("memoryThrottlingFactor");
  if (memory_qos && factor == doc.end()) {
    errors.push_back(
        "invalid configuration: memoryThrottlingFactor is required when MemoryQoS feature flag "
        "is enabled");
  }
  if (factor != doc.end() && factor->is_number()) {
    const double f = factor->get<double>();
    if (f <= 0 || f > 1.0) {
      errors.push_back(absl::StrCat("invalid configuration: memoryThrottlingFactor ", f,
                                    " must be greater than 0 and less than or equal to 1.0"));
    }
  }
  const std::string reservation = Str(doc, "memoryReservationPolicy");
  if (!memory_qos && reservation == "TieredReservation") {
    errors.push_back(
        "invalid configuration: memoryReservationPolicy \"TieredReservation\" requires "
        "MemoryQoS feature gate to be enabled");
  }
  if (reservation != "None" && reservation != "TieredReservation") {
    errors.push_back(absl::StrCat("invalid configuration: option ", Q(reservation),
                                  " specified for memoryReservationPolicy. Valid options are "
                                  "\"None\" or \"TieredReservation\""));
  }
  if (errors.empty()) return absl::OkStatus();
  if (errors.size() == 1) return absl::InvalidArgumentError(errors[0]);
  return absl::InvalidArgumentError(absl::StrCat("[", absl::StrJoin(errors, ", "), "]"));
}

}  // namespace podalloc
