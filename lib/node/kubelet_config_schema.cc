// The v1beta1 KubeletConfiguration schema as a table of JSON names and Go types, walked the way
// the kubelet's strict JSON decoder walks the struct: unknown names are what makes strict
// decoding fail (and lenient decoding drop them), a value of the wrong type fails both.
#include "kubelet_config_schema.h"

#include <cmath>
#include <limits>
#include <span>

#include "absl/strings/str_cat.h"

namespace podalloc::internal {
namespace {

using nlohmann::json;

enum class Type {
  kString, kBool, kInt32, kInt64, kUint32, kFloat64, kDuration, kStringMap, kBoolMap,
  kStringListMap, kStringList, kInt32List, kQuantity, kQuantityMap, kAny, kObject, kObjectList,
};

struct Field {
  std::string_view name;
  Type type;
  std::span<const Field> fields = {};  // kObject / kObjectList
};

constexpr Field kX509[] = {{"clientCAFile", Type::kString}};
constexpr Field kWebhookAuthn[] = {{"enabled", Type::kBool}, {"cacheTTL", Type::kDuration}};
constexpr Field kAnonymous[] = {{"enabled", Type::kBool}};
constexpr Field kAuthentication[] = {{"x509", Type::kObject, kX509},
                                     {"webhook", Type::kObject, kWebhookAuthn},
                                     {"anonymous", Type::kObject, kAnonymous}};
constexpr Field kWebhookAuthz[] = {{"cacheAuthorizedTTL", Type::kDuration},
                                   {"cacheUnauthorizedTTL", Type::kDuration}};
constexpr Field kAuthorization[] = {{"mode", Type::kString},
                                    {"webhook", Type::kObject, kWebhookAuthz}};
constexpr Field kMemorySwap[] = {{"swapBehavior", Type::kString}};
constexpr Field kOutputRouting[] = {{"splitStream", Type::kBool},
                                    {"infoBufferSize", Type::kQuantity}};
constexpr Field kLogFormatOptions[] = {{"text", Type::kObject, kOutputRouting},
                                       {"json", Type::kObject, kOutputRouting}};
constexpr Field kVModule[] = {{"filePattern", Type::kString}, {"verbosity", Type::kUint32}};
constexpr Field kLogging[] = {{"format", Type::kString},
                              {"flushFrequency", Type::kAny},  // nanoseconds or a duration
                              {"verbosity", Type::kUint32},
                              {"vmodule", Type::kObjectList, kVModule},
                              {"options", Type::kObject, kLogFormatOptions}};
constexpr Field kShutdownByPriority[] = {{"priority", Type::kInt32},
                                         {"shutdownGracePeriodSeconds", Type::kInt64}};
constexpr Field kCrashLoopBackOff[] = {{"maxContainerRestartPeriod", Type::kDuration}};
constexpr Field kMemoryReservation[] = {{"numaNode", Type::kInt32},
                                        {"limits", Type::kQuantityMap}};
constexpr Field kTaint[] = {{"key", Type::kString}, {"value", Type::kString},
                            {"effect", Type::kString}, {"timeAdded", Type::kAny}};
constexpr Field kTracing[] = {{"endpoint", Type::kString},
                              {"samplingRatePerMillion", Type::kInt32}};
constexpr Field kUserNamespaces[] = {{"idsPerPod", Type::kInt64}};

constexpr Field kKubeletConfiguration[] = {
    {"apiVersion", Type::kString}, {"kind", Type::kString},
    {"enableServer", Type::kBool}, {"staticPodPath", Type::kString},
    {"podLogsDir", Type::kString}, {"syncFrequency", Type::kDuration},
    {"fileCheckFrequency", Type::kDuration}, {"httpCheckFrequency", Type::kDuration},
    {"staticPodURL", Type::kString}, {"staticPodURLHeader", Type::kStringListMap},
    {"address", Type::kString}, {"port", Type::kInt32}, {"readOnlyPort", Type::kInt32},
    {"tlsCertFile", Type::kString}, {"tlsPrivateKeyFile", Type::kString},
    {"tlsCipherSuites", Type::kStringList}, {"tlsCurvePreferences", Type::kInt32List},
    {"tlsMinVersion", Type::kString}, {"rotateCertificates", Type::kBool},
    {"serverTLSBootstrap", Type::kBool},
    {"authentication", Type::kObject, kAuthentication},
    {"authorization", Type::kObject, kAuthorization},
    {"registryPullQPS", Type::kInt32}, {"registryBurst", Type::kInt32},
    {"imagePullCredentialsVerificationPolicy", Type::kString},
    {"preloadedImagesVerificationAllowlist", Type::kStringList},
    {"eventRecordQPS", Type::kInt32}, {"eventBurst", Type::kInt32},
    {"enableDebuggingHandlers", Type::kBool}, {"enableContentionProfiling", Type::kBool},
    {"healthzPort", Type::kInt32}, {"healthzBindAddress", Type::kString},
    {"oomScoreAdj", Type::kInt32}, {"clusterDomain", Type::kString},
    {"clusterDNS", Type::kStringList}, {"streamingConnectionIdleTimeout", Type::kDuration},
    {"nodeStatusUpdateFrequency", Type::kDuration},
    {"nodeStatusReportFrequency", Type::kDuration}, {"nodeLeaseDurationSeconds", Type::kInt32},
    {"imageMinimumGCAge", Type::kDuration}, {"imageMaximumGCAge", Type::kDuration},
    {"imageGCHighThresholdPercent", Type::kInt32}, {"imageGCLowThresholdPercent", Type::kInt32},
    {"volumeStatsAggPeriod", Type::kDuration}, {"kubeletCgroups", Type::kString},
    {"systemCgroups", Type::kString}, {"cgroupRoot", Type::kString},
    {"cgroupsPerQOS", Type::kBool}, {"cgroupDriver", Type::kString},
    {"cpuManagerPolicy", Type::kString}, {"singleProcessOOMKill", Type::kBool},
    {"cpuManagerPolicyOptions", Type::kStringMap},
    {"cpuManagerReconcilePeriod", Type::kDuration},
    {"draManagerReconcilePeriod", Type::kDuration}, {"memoryManagerPolicy", Type::kString},
    {"topologyManagerPolicy", Type::kString}, {"topologyManagerScope", Type::kString},
    {"topologyManagerPolicyOptions", Type::kStringMap}, {"qosReserved", Type::kStringMap},
    {"runtimeRequestTimeout", Type::kDuration}, {"hairpinMode", Type::kString},
    {"maxPods", Type::kInt32}, {"podCIDR", Type::kString}, {"podPidsLimit", Type::kInt64},
    {"resolvConf", Type::kString}, {"runOnce", Type::kBool}, {"cpuCFSQuota", Type::kBool},
    {"cpuCFSQuotaPeriod", Type::kDuration}, {"nodeStatusMaxImages", Type::kInt32},
    {"maxOpenFiles", Type::kInt64}, {"contentType", Type::kString},
    {"kubeAPIQPS", Type::kInt32}, {"kubeAPIBurst", Type::kInt32},
    {"serializeImagePulls", Type::kBool}, {"maxParallelImagePulls", Type::kInt32},
    {"evictionHard", Type::kStringMap}, {"evictionSoft", Type::kStringMap},
    {"evictionSoftGracePeriod", Type::kStringMap},
    {"evictionPressureTransitionPeriod", Type::kDuration},
    {"evictionMaxPodGracePeriod", Type::kInt32}, {"evictionMinimumReclaim", Type::kStringMap},
    {"mergeDefaultEvictionSettings", Type::kBool}, {"podsPerCore", Type::kInt32},
    {"enableControllerAttachDetach", Type::kBool}, {"protectKernelDefaults", Type::kBool},
    {"makeIPTablesUtilChains", Type::kBool}, {"iptablesMasqueradeBit", Type::kInt32},
    {"iptablesDropBit", Type::kInt32}, {"featureGates", Type::kBoolMap},
    {"failSwapOn", Type::kBool}, {"memorySwap", Type::kObject, kMemorySwap},
    {"containerLogMaxSize", Type::kString}, {"containerLogMaxFiles", Type::kInt32},
    {"containerLogMaxWorkers", Type::kInt32}, {"containerLogMonitorInterval", Type::kDuration},
    {"configMapAndSecretChangeDetectionStrategy", Type::kString},
    {"systemReserved", Type::kStringMap}, {"kubeReserved", Type::kStringMap},
    {"reservedSystemCPUs", Type::kString}, {"showHiddenMetricsForVersion", Type::kString},
    {"systemReservedCgroup", Type::kString}, {"kubeReservedCgroup", Type::kString},
    {"enforceNodeAllocatable", Type::kStringList}, {"allowedUnsafeSysctls", Type::kStringList},
    {"volumePluginDir", Type::kString}, {"providerID", Type::kString},
    {"kernelMemcgNotification", Type::kBool}, {"logging", Type::kObject, kLogging},
    {"enableSystemLogHandler", Type::kBool}, {"enableSystemLogQuery", Type::kBool},
    {"shutdownGracePeriod", Type::kDuration},
    {"shutdownGracePeriodCriticalPods", Type::kDuration},
    {"shutdownGracePeriodByPodPriority", Type::kObjectList, kShutdownByPriority},
    {"crashLoopBackOff", Type::kObject, kCrashLoopBackOff},
    {"reservedMemory", Type::kObjectList, kMemoryReservation},
    {"enableProfilingHandler", Type::kBool}, {"enableDebugFlagsHandler", Type::kBool},
    {"seccompDefault", Type::kBool}, {"memoryThrottlingFactor", Type::kFloat64},
    {"memoryReservationPolicy", Type::kString},
    {"registerWithTaints", Type::kObjectList, kTaint}, {"registerNode", Type::kBool},
    {"tracing", Type::kObject, kTracing}, {"localStorageCapacityIsolation", Type::kBool},
    {"containerRuntimeEndpoint", Type::kString}, {"imageServiceEndpoint", Type::kString},
    {"failCgroupV1", Type::kBool}, {"userNamespaces", Type::kObject, kUserNamespaces},
};

absl::string_view GoTypeName(Type t) {
  switch (t) {
    case Type::kString: return "string";
    case Type::kBool: return "bool";
    case Type::kInt32: return "int32";
    case Type::kInt64: return "int64";
    case Type::kUint32: return "uint32";
    case Type::kFloat64: return "float64";
    case Type::kDuration: return "v1.Duration";
    case Type::kStringMap: return "map[string]string";
    case Type::kBoolMap: return "map[string]bool";
    case Type::kStringListMap: return "map[string][]string";
    case Type::kStringList: return "[]string";
    case Type::kInt32List: return "[]int32";
    case Type::kQuantity: return "resource.QuantityValue";
    case Type::kQuantityMap: return "v1.ResourceList";
    case Type::kAny: return "any";
    case Type::kObject: return "struct";
    case Type::kObjectList: return "[]struct";
  }
  return "any";
}

absl::string_view JsonTypeName(const json& v) {
  if (v.is_string()) return "string";
  if (v.is_boolean()) return "bool";
  if (v.is_number()) return "number";
  if (v.is_array()) return "array";
  if (v.is_object()) return "object";
  return "null";
}

absl::Status Mismatch(const json& v, const std::string& path, absl::string_view go_type) {
  return absl::InvalidArgumentError(
      absl::StrCat("json: cannot unmarshal ", JsonTypeName(v), " into Go struct field ",
                   "KubeletConfiguration.", path, " of type ", go_type));
}

// A number that encoding/json can store in an integer of [lo, hi]: YAML's 1.0 reaches the
// decoder as 1, so an integral double counts too.
bool IntegerIn(const json& v, double lo, double hi) {
  if (v.is_number_integer()) {
    const double d = v.is_number_unsigned() ? static_cast<double>(v.get<uint64_t>())
                                            : static_cast<double>(v.get<int64_t>());
    return d >= lo && d <= hi;
  }
  if (v.is_number_float()) {
    const double d = v.get<double>();
    return d >= lo && d <= hi && d == std::trunc(d);
  }
  return false;
}

absl::Status Check(json& v, const Field& f, const std::string& path,
                   std::vector<std::string>& unknown);

absl::Status CheckObject(json& object, std::span<const Field> fields, const std::string& path,
                         std::vector<std::string>& unknown) {
  for (auto it = object.begin(); it != object.end();) {
    const std::string child = path.empty() ? it.key() : absl::StrCat(path, ".", it.key());
    const Field* field = nullptr;
    for (const Field& f : fields) {
      if (f.name == it.key()) field = &f;
    }
    if (field == nullptr) {
      unknown.push_back(child);
      it = object.erase(it);
      continue;
    }
    if (it->is_null()) {
      it = object.erase(it);
      continue;
    }
    if (absl::Status s = Check(*it, *field, child, unknown); !s.ok()) return s;
    ++it;
  }
  return absl::OkStatus();
}

template <typename Pred>
absl::Status Each(const json& container, const std::string& path, absl::string_view go_type,
                  Pred ok) {
  for (const auto& item : container) {
    if (!item.is_null() && !ok(item)) return Mismatch(item, path, go_type);
  }
  return absl::OkStatus();
}

absl::Status Check(json& v, const Field& f, const std::string& path,
                   std::vector<std::string>& unknown) {
  const absl::string_view go = GoTypeName(f.type);
  constexpr double kInt64Max = 9223372036854775807.0;
  switch (f.type) {
    case Type::kString:
      return v.is_string() ? absl::OkStatus() : Mismatch(v, path, go);
    case Type::kBool:
      return v.is_boolean() ? absl::OkStatus() : Mismatch(v, path, go);
    case Type::kInt32:
      return IntegerIn(v, -2147483648.0, 2147483647.0) ? absl::OkStatus() : Mismatch(v, path, go);
    case Type::kInt64:
      return IntegerIn(v, -kInt64Max - 1, kInt64Max) ? absl::OkStatus() : Mismatch(v, path, go);
    case Type::kUint32:
      return IntegerIn(v, 0, 4294967295.0) ? absl::OkStatus() : Mismatch(v, path, go);
    case Type::kFloat64:
      return v.is_number() ? absl::OkStatus() : Mismatch(v, path, go);
    case Type::kDuration:
      if (!v.is_string()) return Mismatch(v, path, go);
      if (!ParseGoDuration(v.get<std::string>()).has_value()) {
        return absl::InvalidArgumentError(
            absl::StrCat(path, ": time: invalid duration \"", v.get<std::string>(), "\""));
      }
      return absl::OkStatus();
    case Type::kQuantity:
      return v.is_string() || v.is_number() ? absl::OkStatus() : Mismatch(v, path, go);
    case Type::kAny:
      return absl::OkStatus();
    case Type::kStringMap:
      if (!v.is_object()) return Mismatch(v, path, go);
      return Each(v, path, "string", [](const json& x) { return x.is_string(); });
    case Type::kBoolMap:
      if (!v.is_object()) return Mismatch(v, path, go);
      return Each(v, path, "bool", [](const json& x) { return x.is_boolean(); });
    case Type::kQuantityMap:
      if (!v.is_object()) return Mismatch(v, path, go);
      return Each(v, path, "resource.Quantity",
                  [](const json& x) { return x.is_string() || x.is_number(); });
    case Type::kStringListMap:
      if (!v.is_object()) return Mismatch(v, path, go);
      for (const auto& list : v) {
        if (list.is_null()) continue;
        if (!list.is_array()) return Mismatch(list, path, "[]string");
        if (absl::Status s = Each(list, path, "string", [](const json& x) { return x.is_string(); });
            !s.ok()) {
          return s;
        }
      }
      return absl::OkStatus();
    case Type::kStringList:
      if (!v.is_array()) return Mismatch(v, path, go);
      return Each(v, path, "string", [](const json& x) { return x.is_string(); });
    case Type::kInt32List:
      if (!v.is_array()) return Mismatch(v, path, go);
      return Each(v, path, "int32",
                  [](const json& x) { return IntegerIn(x, -2147483648.0, 2147483647.0); });
    case Type::kObject:
      if (!v.is_object()) return Mismatch(v, path, go);
      return CheckObject(v, f.fields, path, unknown);
    case Type::kObjectList:
      if (!v.is_array()) return Mismatch(v, path, go);
      for (size_t i = 0; i < v.size(); ++i) {
        json& item = v[i];
        if (item.is_null()) continue;
        if (!item.is_object()) return Mismatch(item, path, "struct");
        if (absl::Status s = CheckObject(item, f.fields, absl::StrCat(path, "[", i, "]"), unknown);
            !s.ok()) {
          return s;
        }
      }
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status DecodeKubeletFields(json& document, std::vector<std::string>& unknown) {
  if (!document.is_object()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "json: cannot unmarshal ", JsonTypeName(document), " into Go value of type struct"));
  }
  return CheckObject(document, kKubeletConfiguration, "", unknown);
}

std::optional<int64_t> ParseGoDuration(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0;
  if (s.empty()) return std::nullopt;
  struct Unit {
    std::string_view name;
    double ns;
  };
  static constexpr Unit kUnits[] = {{"ns", 1},        {"us", 1e3},   {"\xC2\xB5s", 1e3},
                                    {"\xCE\xBCs", 1e3}, {"ms", 1e6},  {"s", 1e9},
                                    {"m", 60e9},      {"h", 3600e9}};
  long double total = 0;
  while (!s.empty()) {
    size_t i = 0;
    long double value = 0;
    bool digits = false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      value = value * 10 + (s[i++] - '0');
      digits = true;
    }
    if (i < s.size() && s[i] == '.') {
      ++i;
      long double scale = 0.1L;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        value += (s[i++] - '0') * scale;
        scale /= 10;
        digits = true;
      }
    }
    if (!digits) return std::nullopt;
    size_t j = i;
    while (j < s.size() && !(s[j] >= '0' && s[j] <= '9') && s[j] != '.') ++j;
    const std::string_view unit = s.substr(i, j - i);
    const Unit* found = nullptr;
    for (const Unit& u : kUnits) {
      if (u.name == unit) found = &u;
    }
    if (found == nullptr) return std::nullopt;
    total += value * found->ns;
    s.remove_prefix(j);
  }
  if (total > static_cast<long double>(std::numeric_limits<int64_t>::max())) return std::nullopt;
  const auto ns = static_cast<int64_t>(total);
  return negative ? -ns : ns;
}

std::string FormatGoDuration(int64_t d) {
  if (d == 0) return "0s";
  const bool negative = d < 0;
  const uint64_t u = negative ? static_cast<uint64_t>(-(d + 1)) + 1 : static_cast<uint64_t>(d);
  // Digits of `v` with `prec` of them after a point, trailing zeros (and the point) dropped.
  auto fraction = [](uint64_t v, int prec) {
    uint64_t unit = 1;
    for (int k = 0; k < prec; ++k) unit *= 10;
    std::string whole = absl::StrCat(v / unit);
    std::string frac = absl::StrCat(v % unit);
    frac.insert(0, static_cast<size_t>(prec) - frac.size(), '0');
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    return frac.empty() ? whole : absl::StrCat(whole, ".", frac);
  };
  std::string out;
  if (u < 1000) {
    out = absl::StrCat(u, "ns");
  } else if (u < 1000000) {
    out = absl::StrCat(fraction(u, 3), "\xC2\xB5s");
  } else if (u < 1000000000) {
    out = absl::StrCat(fraction(u, 6), "ms");
  } else {
    const uint64_t seconds_ns = u % 60000000000ULL;
    const uint64_t minutes = u / 60000000000ULL;
    out = absl::StrCat(fraction(seconds_ns, 9), "s");
    if (minutes > 0) {
      out = absl::StrCat(minutes % 60, "m", out);
      if (minutes >= 60) out = absl::StrCat(minutes / 60, "h", out);
    }
  }
  return negative ? absl::StrCat("-", out) : out;
}

}  // namespace podalloc::internal
