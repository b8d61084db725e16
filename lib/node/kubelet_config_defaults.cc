// The kubelet's defaults for the KubeletConfiguration fields near podalloc
// (pkg/kubelet/apis/config/v1beta1/defaults.go), its hard eviction defaults
// (pkg/kubelet/eviction/defaults_linux.go, applied by cmd/kubelet/app/server.go loadConfigFile)
// and the resolution of relative paths against the config file's directory
// (pkg/kubelet/kubeletconfig/configfiles/configfiles.go).
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "kubelet_config_internal.h"
#include "kubelet_config_schema.h"

namespace podalloc::internal {
namespace {

using nlohmann::json;

// Go's zero value: the kubelet cannot tell an explicit "" or 0 from an absent field, so both
// take the default.
bool IsZero(const json& v) {
  if (v.is_string()) return v.get<std::string>().empty();
  if (v.is_number()) return v.get<double>() == 0;
  return false;
}

void DefaultIfZero(json& doc, const char* key, const json& value) {
  auto it = doc.find(key);
  if (it == doc.end() || IsZero(*it)) doc[key] = value;
}

// Pointer fields (*bool, *int64, *float64, slices and maps): only nil takes the default.
void DefaultIfAbsent(json& doc, const char* key, const json& value) {
  if (!doc.contains(key)) doc[key] = value;
}

// A metav1.Duration of zero (absent, "0s", "0") takes the default.
void DefaultDuration(json& doc, const char* key, const char* value) {
  auto it = doc.find(key);
  if (it == doc.end() || ParseGoDuration(it->get<std::string>()).value_or(0) == 0) {
    doc[key] = value;
  }
}

// filepath.Join + Clean for a relative `path` under an absolute or relative `dir`.
std::string JoinClean(std::string_view dir, std::string_view path) {
  const std::string joined = absl::StrCat(std::string(dir), "/", std::string(path));
  const bool absolute = !joined.empty() && joined[0] == '/';
  std::vector<std::string> parts;
  for (absl::string_view part : absl::StrSplit(joined, '/', absl::SkipEmpty())) {
    if (part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
        continue;
      }
      if (absolute) continue;
    }
    parts.emplace_back(part);
  }
  const std::string body = absl::StrJoin(parts, "/");
  if (absolute) return absl::StrCat("/", body);
  return body.empty() ? "." : body;
}

void ResolvePath(json& value, std::string_view dir) {
  if (!value.is_string()) return;
  const std::string path = value.get<std::string>();
  if (path.empty() || path[0] == '/') return;
  value = JoinClean(dir, path);
}

}  // namespace

void ApplyKubeletDefaults(json& doc) {
  DefaultIfZero(doc, "cpuManagerPolicy", "none");
  DefaultDuration(doc, "cpuManagerReconcilePeriod", "10s");
  DefaultIfAbsent(doc, "reservedSystemCPUs", "");
  DefaultIfZero(doc, "memoryManagerPolicy", "None");
  DefaultIfZero(doc, "topologyManagerPolicy", "none");
  DefaultIfZero(doc, "topologyManagerScope", "container");
  DefaultIfZero(doc, "maxPods", 110);
  DefaultIfAbsent(doc, "podsPerCore", 0);
  DefaultIfAbsent(doc, "podPidsLimit", -1);
  if (!doc.contains("memorySwap")) doc["memorySwap"] = json::object();
  DefaultIfAbsent(doc["memorySwap"], "swapBehavior", "");
  DefaultIfAbsent(doc, "failSwapOn", true);
  DefaultIfAbsent(doc, "memoryThrottlingFactor", 0.9);
  DefaultIfZero(doc, "memoryReservationPolicy", "None");
  DefaultIfAbsent(doc, "enforceNodeAllocatable", json::array({"pods"}));
  DefaultIfAbsent(doc, "cgroupsPerQOS", true);
  DefaultIfZero(doc, "cgroupDriver", "cgroupfs");
  DefaultIfAbsent(doc, "cpuCFSQuota", true);
  DefaultIfAbsent(doc, "cpuCFSQuotaPeriod", "100ms");
  DefaultIfAbsent(doc, "localStorageCapacityIsolation", true);
  DefaultIfAbsent(doc, "mergeDefaultEvictionSettings", false);

  const json eviction_defaults = {{"memory.available", "100Mi"},
                                  {"nodefs.available", "10%"},
                                  {"nodefs.inodesFree", "5%"},
                                  {"imagefs.available", "15%"}};
  if (!doc.contains("evictionHard")) {
    doc["evictionHard"] = eviction_defaults;
  } else if (doc["mergeDefaultEvictionSettings"].get<bool>()) {
    json& hard = doc["evictionHard"];
    for (const auto& [signal, value] : eviction_defaults.items()) {
      if (!hard.contains(signal)) hard[signal] = value;
    }
  }
}

void ResolveKubeletPaths(json& doc, std::string_view dir) {
  if (dir.empty()) return;
  for (const char* key :
       {"staticPodPath", "tlsCertFile", "tlsPrivateKeyFile", "resolvConf", "volumePluginDir",
        "podLogsDir"}) {
    if (auto it = doc.find(key); it != doc.end()) ResolvePath(*it, dir);
  }
  if (auto a = doc.find("authentication"); a != doc.end()) {
    if (auto x = a->find("x509"); x != a->end()) {
      if (auto f = x->find("clientCAFile"); f != x->end()) ResolvePath(*f, dir);
    }
  }
}

}  // namespace podalloc::internal
