// Core kinds (hybrid P/E cores) from sysfs. hwloc ranks kinds from several sources; without
// hwloc we take the first source that every online CPU offers, in this order:
//   1. cpu<N>/cpu_capacity (Arm big.LITTLE; the scheduler's own capacity ranking),
//   2. the Intel hybrid PMU lists sys/devices/cpu_atom/cpus and sys/devices/cpu_core/cpus,
//   3. cpu<N>/cpufreq/base_frequency (intel_pstate; equal within a core type, unlike the
//      per-core turbo maxima of "favoured" cores),
//   4. cpu<N>/cpufreq/cpuinfo_max_freq.
// The rank of a CPU is the position of its value among the distinct values, ascending, so
// 0 is the least performant kind, as in hwloc's cpukinds order.
#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "podalloc/status_macros.h"
#include "sysfs_reader.h"

namespace podalloc::internal {
namespace {

// Per-CPU values from one file, or nullopt when some CPU lacks the file.
absl::StatusOr<std::optional<std::vector<int64_t>>> ReadPerCpu(const SysfsRoot& root,
                                                               const CpuSet& cpus,
                                                               const std::string& file) {
  std::vector<int64_t> values(CpuSet::kMaxCpus, 0);
  for (int cpu : cpus) {
    const std::string path = absl::StrCat("sys/devices/system/cpu/cpu", cpu, "/", file);
    if (!root.Exists(path)) return std::optional<std::vector<int64_t>>();
    PODALLOC_ASSIGN_OR_RETURN(values[cpu], root.ReadInt(path));
  }
  return std::optional<std::vector<int64_t>>(std::move(values));
}

absl::StatusOr<std::optional<std::vector<int64_t>>> ReadHybridPmu(const SysfsRoot& root,
                                                                  const CpuSet& cpus) {
  const std::string atom = "sys/devices/cpu_atom/cpus";
  const std::string core = "sys/devices/cpu_core/cpus";
  if (!root.Exists(atom) || !root.Exists(core)) return std::optional<std::vector<int64_t>>();
  PODALLOC_ASSIGN_OR_RETURN(CpuSet atoms, root.ReadCpuList(atom));
  PODALLOC_ASSIGN_OR_RETURN(CpuSet cores, root.ReadCpuList(core));
  if (!cpus.IsSubsetOf(atoms | cores)) return std::optional<std::vector<int64_t>>();
  std::vector<int64_t> values(CpuSet::kMaxCpus, 0);
  for (int cpu : cpus) values[cpu] = cores.Contains(cpu) ? 1 : 0;
  return std::optional<std::vector<int64_t>>(std::move(values));
}

}  // namespace

absl::StatusOr<std::vector<int>> ReadSysfsCoreKinds(const SysfsRoot& root, const CpuSet& cpus) {
  std::optional<std::vector<int64_t>> values;
  PODALLOC_ASSIGN_OR_RETURN(values, ReadPerCpu(root, cpus, "cpu_capacity"));
  if (!values) {
    PODALLOC_ASSIGN_OR_RETURN(values, ReadHybridPmu(root, cpus));
  }
  for (const char* file : {"cpufreq/base_frequency", "cpufreq/cpuinfo_max_freq"}) {
    if (!values) {
      PODALLOC_ASSIGN_OR_RETURN(values, ReadPerCpu(root, cpus, file));
    }
  }
  std::vector<int> ranks(CpuSet::kMaxCpus, 0);
  if (!values) return ranks;
  std::vector<int64_t> distinct;
  for (int cpu : cpus) distinct.push_back((*values)[cpu]);
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  for (int cpu : cpus) {
    ranks[cpu] = static_cast<int>(
        std::lower_bound(distinct.begin(), distinct.end(), (*values)[cpu]) - distinct.begin());
  }
  return ranks;
}

}  // namespace podalloc::internal
