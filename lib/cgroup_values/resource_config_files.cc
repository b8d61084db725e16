// The cgroup v2 files the kubelet's cgroup manager writes for a ResourceConfig
// (cgroup_manager_linux.go toResources + maybeSetHugetlb, then libcontainer's fs2 writers).
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "hugepage_limits.h"
#include "podalloc/cgroup_values.h"
#include "podalloc/status_macros.h"

namespace podalloc {
namespace {

void AddHugetlb(const ResourceConfig& config, const NodeCgroupSettings& settings,
                CgroupFiles& files) {
  auto add = [&files](int64_t size, int64_t limit) {
    const std::optional<std::string> unit = internal::HugePageUnitSize(size);
    if (unit.has_value())
      files.push_back({absl::StrCat("hugetlb.", *unit, ".max"), absl::StrCat(limit)});
  };
  // Every machine size is written: those the config does not name are closed (0), so a pod
  // can only use the huge pages it requested.
  for (int64_t size : settings.hugepage_sizes) {
    auto it = config.hugepage_limits.find(size);
    add(size, it == config.hugepage_limits.end() ? 0 : it->second);
  }
  for (const auto& [size, limit] : config.hugepage_limits) {
    const auto& machine = settings.hugepage_sizes;
    if (std::find(machine.begin(), machine.end(), size) == machine.end()) add(size, limit);
  }
}

}  // namespace

absl::StatusOr<CgroupFiles> ResourceConfigFiles(const ResourceConfig& config,
                                                const NodeCgroupSettings& settings) {
  PODALLOC_RETURN_IF_ERROR(ValidateNodeCgroupSettings(settings));
  if (settings.cgroup_version != CgroupVersion::kV2) {
    return absl::FailedPreconditionError(
        "cgroup v2 files requested for a node configured with cgroup v1");
  }
  CgroupFiles files;
  if (config.cpu_quota.has_value() || config.cpu_period.has_value()) {
    const int64_t quota = config.cpu_quota.value_or(0);
    const uint64_t period = config.cpu_period.value_or(0);
    if (quota != 0 || period != 0) {
      // A non-positive quota is "no limit"; a missing period is the kernel default.
      files.push_back(
          {"cpu.max",
           absl::StrCat(quota > 0 ? absl::StrCat(quota) : "max", " ",
                        period != 0 ? period : static_cast<uint64_t>(kDefaultCfsPeriod))});
    }
  }
  if (config.cpu_shares.has_value()) {
    // The kubelet converts shares itself for the cgroups it manages, with the linear map.
    const CpuWeight weight = CpuSharesToWeight(*config.cpu_shares, CpuWeightMapping::kLinear);
    if (weight.value != 0) files.push_back({"cpu.weight", absl::StrCat(weight.value)});
  }
  if (config.memory.has_value() && *config.memory != 0) {
    files.push_back(
        {"memory.max", *config.memory < 0 ? std::string("max") : absl::StrCat(*config.memory)});
  }
  AddHugetlb(config, settings, files);
  for (const auto& [name, value] : config.unified) files.push_back({name, value});
  return files;
}

}  // namespace podalloc
