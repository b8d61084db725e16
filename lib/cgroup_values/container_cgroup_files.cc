// The isolation-aware cgroup v2 file list of one container (KEP-5526 isolation levels on top
// of generateLinuxContainerResources and the OCI runtime's conversions).
#include <bit>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "container_resources.h"
#include "podalloc/cgroup_values.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/qos.h"
#include "podalloc/status_macros.h"

namespace podalloc {

std::string_view IsolationLevelName(IsolationLevel level) {
  switch (level) {
    case IsolationLevel::kHost:
      return "host";
    case IsolationLevel::kPod:
      return "pod";
    case IsolationLevel::kContainer:
      return "container";
  }
  return "host";
}

absl::StatusOr<IsolationLevel> ParseIsolationLevel(std::string_view text) {
  for (IsolationLevel level :
       {IsolationLevel::kHost, IsolationLevel::kPod, IsolationLevel::kContainer}) {
    if (IsolationLevelName(level) == text) return level;
  }
  return absl::InvalidArgumentError(absl::StrCat("isolation level ", internal::QuoteInput(text),
                                                 " is not one of host, pod, container"));
}

namespace {

// cpuset.mems takes the same list syntax as cpuset.cpus (ascending ids, runs as "a-b"),
// written straight from the 64-bit mask.
std::string MemsList(NumaMask nodes) {
  std::string out;
  uint64_t bits = nodes.bits();
  while (bits != 0) {
    const int first = std::countr_zero(bits);
    const int run = std::countr_one(bits >> first);
    if (!out.empty()) out.push_back(',');
    absl::StrAppend(&out, first);
    if (run > 1) absl::StrAppend(&out, "-", first + run - 1);
    bits = first + run >= 64 ? 0 : bits & (~uint64_t{0} << (first + run));
  }
  return out;
}

std::string UnifiedOr(const LinuxContainerResources& r, const std::string& key,
                      std::string_view fallback) {
  auto it = r.unified.find(key);
  return it != r.unified.end() ? it->second : std::string(fallback);
}

}  // namespace

absl::StatusOr<CgroupFiles> ContainerCgroupFiles(const Pod& pod, const Container& container,
                                                 const ContainerPlacement& placement,
                                                 const NodeCgroupSettings& settings,
                                                 CpuWeightMapping weight_mapping) {
  return ContainerCgroupFiles(pod, GetPodQos(pod, QosOptions{settings.pod_level_resources}),
                              container, placement, settings, weight_mapping);
}

absl::StatusOr<CgroupFiles> ContainerCgroupFiles(const Pod& pod, QosClass pod_qos,
                                                 const Container& container,
                                                 const ContainerPlacement& placement,
                                                 const NodeCgroupSettings& settings,
                                                 CpuWeightMapping weight_mapping) {
  if (settings.cgroup_version != CgroupVersion::kV2) {
    return absl::FailedPreconditionError(
        absl::StrCat("container ", internal::QuoteInput(container.name),
                     ": cgroup v2 files requested for a node configured with cgroup v1"));
  }
  if (placement.isolation == IsolationLevel::kContainer && placement.cpus.IsEmpty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "container ", internal::QuoteInput(container.name),
        ": isolation level container needs its exclusive CPUs, got an empty cpuset"));
  }
  // Only exclusive CPUs lift the quota: a container in a pod shared pool also has an explicit
  // cpuset, yet stays bounded by its (or its pod's) CPU limit.
  const bool exclusive = placement.isolation == IsolationLevel::kContainer;
  PODALLOC_ASSIGN_OR_RETURN(
      const LinuxContainerResources r,
      internal::ContainerCgroupResources(pod, pod_qos, container, settings, exclusive));

  CgroupFiles files;
  files.reserve(9);
  // The runtime writes "max" for a quota of 0 (unset) or -1 (unlimited), and the kernel's
  // default period when the kubelet sends none (cpu_cfs_quota off).
  const int64_t period = r.cpu_period > 0 ? r.cpu_period : kDefaultCfsPeriod;
  files.push_back(
      {"cpu.max", absl::StrCat(r.cpu_quota > 0 ? absl::StrCat(r.cpu_quota) : "max", " ", period)});
  const CpuWeight weight = CpuSharesToWeight(static_cast<uint64_t>(r.cpu_shares), weight_mapping);
  files.push_back({"cpu.weight", absl::StrCat(weight.value)});
  if (!placement.cpus.IsEmpty()) files.push_back({"cpuset.cpus", placement.cpus.ToString()});
  if (!placement.memory_nodes.IsEmpty()) {
    files.push_back({"cpuset.mems", MemsList(placement.memory_nodes)});
  }
  files.push_back({"memory.max", r.memory_limit_in_bytes > 0 ? absl::StrCat(r.memory_limit_in_bytes)
                                                             : std::string("max")});
  files.push_back({"memory.min", UnifiedOr(r, "memory.min", "0")});
  files.push_back({"memory.low", UnifiedOr(r, "memory.low", "0")});
  files.push_back({"memory.high", UnifiedOr(r, "memory.high", "max")});
  // Only a node with the swap controller has the file (and then the kubelet always sets it).
  if (settings.swap.controller_available) {
    files.push_back({"memory.swap.max", UnifiedOr(r, "memory.swap.max", "0")});
  }
  return files;
}

}  // namespace podalloc
