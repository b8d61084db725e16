// The pod fingerprint (podfingerprint "v001"): XXH64 of each pod's name seeded with XXH64 of
// its namespace, sorted, concatenated little-endian and hashed again. Which pods it covers
// follows the scheduler plugin's rule by default, so that the plugin's own recomputation
// matches and its cache resyncs.
#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "nrt_internal.h"
#include "podalloc/guaranteed_cpus.h"
#include "podalloc/nrt.h"
#include "podalloc/qos.h"

namespace podalloc {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

bool IsNativeResource(const std::string& name) {
  return name == kResourceCpu || name == kResourceMemory || name == "ephemeral-storage" ||
         name == "storage" || name.rfind("hugepages-", 0) == 0 || name.rfind("requests.", 0) == 0 ||
         name.find("kubernetes.io/") != std::string::npos;
}

// The plugin's "pod with exclusive resources", on the spec of the pod as admitted: a sidecar
// or app container asking for a listed non-native resource, or — the pod Guaranteed — a
// positive whole number of CPUs, memory or huge pages.
bool PluginExclusive(const Pod& pod, const std::set<std::string>& published) {
  const bool guaranteed = GetPodQos(pod) == QosClass::kGuaranteed;
  auto exclusive = [&](const Container& c) {
    for (const auto& [name, q] : c.resources.requests) {
      if (q.Sign() <= 0) continue;
      if (!IsNativeResource(name)) {
        if (published.contains(name)) return true;
        continue;
      }
      if (!guaranteed) continue;
      if (name == kResourceCpu && IsIntegralCpuAmount(q)) return true;
      if (name == kResourceMemory || name.rfind("hugepages-", 0) == 0) return true;
    }
    return false;
  };
  for (const Container& c : pod.init_containers) {
    if (IsSidecar(c) && exclusive(c)) return true;
  }
  return std::any_of(pod.containers.begin(), pod.containers.end(), exclusive);
}

// The exporter's rule, on what podresources lists: exclusive CPUs or a NUMA memory block.
bool RteExclusive(const NodeState& state, const PodRecord& record) {
  for (const internal::ListedContainer& c : internal::ListedContainers(state, record)) {
    if (!c.cpus.IsEmpty() || !c.memory.empty()) return true;
  }
  return false;
}

}  // namespace

const char* FingerprintMethodName(FingerprintMethod method) {
  return method == FingerprintMethod::kAll ? "all" : "with-exclusive-resources";
}

std::string PodFingerprint(std::span<const PodName> pods) {
  std::vector<uint64_t> hashes;
  hashes.reserve(pods.size());
  for (const PodName& p : pods) hashes.push_back(Xxh64(p.name, Xxh64(p.namespace_name)));
  std::sort(hashes.begin(), hashes.end());
  std::string buffer;
  buffer.reserve(hashes.size() * 8);
  for (uint64_t h : hashes) {
    for (int i = 0; i < 8; ++i) buffer.push_back(static_cast<char>((h >> (8 * i)) & 0xff));
  }
  const uint64_t sum = Xxh64(buffer);
  std::string out = "pfp0v001";
  for (int shift = 60; shift >= 0; shift -= 4) out.push_back(kHexDigits[(sum >> shift) & 0xf]);
  return out;
}

namespace internal {

std::vector<PodName> FingerprintPods(const NodeState& state, FingerprintMethod method,
                                     FingerprintRule rule, const std::set<std::string>& published) {
  std::vector<PodName> pods;
  for (const auto& [uid, record] : state.pods) {
    if (method == FingerprintMethod::kWithExclusiveResources) {
      const bool exclusive = rule == FingerprintRule::kPlugin ? PluginExclusive(record.pod, published)
                                                              : RteExclusive(state, record);
      if (!exclusive) continue;
    }
    pods.push_back(PodName{record.pod.namespace_name, record.pod.name});
  }
  return pods;
}

}  // namespace internal
}  // namespace podalloc
