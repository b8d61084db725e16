// Logical CPUs as the kernel lists them under /sys/devices/system/cpu, grouped the way
// cadvisor groups them for the kubelet (utils/sysinfo GetNodesInfo): within a NUMA node, the
// online CPUs with the same (core_id, physical_package_id) form one core, and the kubelet's
// topology.Discover names the core by its lowest thread. The kernel's thread-sibling lists only
// check that grouping: on AMD Bulldozer the siblings are a two-core compute unit, which cadvisor
// (and hwloc) report as two cores.
#include <algorithm>
#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "podalloc/status_macros.h"
#include "sysfs_reader.h"

namespace podalloc::internal {
namespace {

const std::string kCpuDir = "sys/devices/system/cpu";

std::string CpuFile(int cpu, const std::string& file) {
  return absl::StrCat(kCpuDir, "/cpu", cpu, "/", file);
}

absl::StatusOr<CpuSet> ReadOnline(const SysfsRoot& root, const std::vector<int>& present) {
  if (root.Exists(kCpuDir + "/online")) return root.ReadCpuList(kCpuDir + "/online");
  // Old kernels: a per-CPU "online" flag; CPUs that cannot be unplugged (often cpu0) have none.
  CpuSet online;
  for (int cpu : present) {
    bool is_online = true;
    if (root.Exists(CpuFile(cpu, "online"))) {
      PODALLOC_ASSIGN_OR_RETURN(int64_t flag, root.ReadInt(CpuFile(cpu, "online")));
      is_online = flag != 0;
    }
    if (is_online) online.Add(cpu);
  }
  return online;
}

// The kernel's own list of the threads of the core of `cpu`, or nullopt when it has none.
absl::StatusOr<std::optional<CpuSet>> ReadSiblings(const SysfsRoot& root, int cpu) {
  for (const char* list : {"topology/core_cpus_list", "topology/thread_siblings_list"}) {
    if (root.Exists(CpuFile(cpu, list))) {
      PODALLOC_ASSIGN_OR_RETURN(CpuSet s, root.ReadCpuList(CpuFile(cpu, list)));
      return std::optional<CpuSet>(s);
    }
  }
  if (root.Exists(CpuFile(cpu, "topology/thread_siblings"))) {
    PODALLOC_ASSIGN_OR_RETURN(CpuSet s, root.ReadCpuMask(CpuFile(cpu, "topology/thread_siblings")));
    return std::optional<CpuSet>(s);
  }
  return std::optional<CpuSet>();
}

absl::StatusOr<int> ReadId(const SysfsRoot& root, const std::string& file) {
  PODALLOC_ASSIGN_OR_RETURN(int64_t v, root.ReadInt(file));
  // Firmware without package information makes the kernel report -1 for the package.
  if (v < -1 || v > INT32_MAX) {
    return root.Malformed(file, absl::StrCat("id ", v, " is out of range"));
  }
  return static_cast<int>(v);
}

// The kubelet's uncore cache of a core (cadvisor addCacheInfo + topology.getUncoreCacheID):
// the first cache above L2, in index order, that does not span exactly the node's threads
// (cores in the node x threads of this core; such a cache is a "node cache" for cadvisor).
// cadvisor needs every cache index of the thread to carry an "id" (kernels before 4.15 lack
// it); without one, or without such a cache, there is no uncore cache and the kubelet falls
// back to the socket id. Returns -1 for "none".
absl::StatusOr<int> ReadUncoreId(const SysfsRoot& root, int thread, int node_threads) {
  const std::string cache_dir = CpuFile(thread, "cache");
  if (!root.Exists(cache_dir)) return -1;
  PODALLOC_ASSIGN_OR_RETURN(std::vector<std::string> names, root.List(cache_dir));
  int uncore = -1;
  for (const std::string& name : names) {  // sorted by name, as Go's os.ReadDir
    if (name.rfind("index", 0) != 0) continue;
    const std::string dir = absl::StrCat(cache_dir, "/", name);
    if (!root.Exists(dir + "/id")) return -1;
    PODALLOC_ASSIGN_OR_RETURN(int64_t level, root.ReadInt(dir + "/level"));
    if (level <= 2 || uncore >= 0) continue;
    PODALLOC_ASSIGN_OR_RETURN(
        CpuSet shared, root.ReadCpuListOrMask(dir + "/shared_cpu_list", dir + "/shared_cpu_map"));
    if (shared.Size() == node_threads) continue;
    PODALLOC_ASSIGN_OR_RETURN(uncore, ReadId(root, dir + "/id"));
    if (uncore < 0) return root.Malformed(dir + "/id", "negative cache id");
  }
  return uncore;
}

struct CoreKey {
  int numa, package, core_id;
  auto operator<=>(const CoreKey&) const = default;
};

}  // namespace

absl::Status ReadSysfsCpus(const SysfsRoot& root, const SysfsNumaFacts& numa, TopologySpec* spec) {
  PODALLOC_ASSIGN_OR_RETURN(std::vector<int> present, root.ListNumbered(kCpuDir, "cpu"));
  for (int cpu : present) {
    if (cpu >= CpuSet::kMaxCpus) {
      return root.Malformed(absl::StrCat(kCpuDir, "/cpu", cpu),
                            absl::StrCat("CPU id is out of range (0..", CpuSet::kMaxCpus - 1, ")"));
    }
  }
  PODALLOC_ASSIGN_OR_RETURN(CpuSet online, ReadOnline(root, present));
  const CpuSet present_set = CpuSet::FromVector(present);
  if (!online.IsSubsetOf(present_set)) {
    return root.Malformed(kCpuDir + "/online",
                          absl::StrCat("CPUs ", online.Difference(present_set).ToString(),
                                       " are online but have no cpu<N> folder"));
  }
  spec->offline_cpus = present_set - online;

  std::map<CoreKey, CpuSet> cores;
  std::vector<CpuInfo> infos(CpuSet::kMaxCpus);
  for (int cpu : online) {
    CpuInfo& info = infos[cpu];
    info.id = cpu;
    PODALLOC_ASSIGN_OR_RETURN(int package,
                              ReadId(root, CpuFile(cpu, "topology/physical_package_id")));
    info.socket_id = std::max(package, 0);
    PODALLOC_ASSIGN_OR_RETURN(int core_id, ReadId(root, CpuFile(cpu, "topology/core_id")));
    if (!numa.has_node_dir) {
      info.numa_id = info.socket_id;  // cadvisor's stand-in: one node per package
    } else if ((info.numa_id = numa.cpu_node[cpu]) < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("sysfs: online CPU ", cpu, " is in no NUMA node's cpulist under ",
                       root.Path("sys/devices/system/node").string()));
    }
    cores[CoreKey{info.numa_id, info.socket_id, core_id}].Add(cpu);
  }

  // Every thread of a core must be listed among each thread's kernel siblings; a thread whose
  // list leaves out a core mate puts that CPU in two different cores.
  for (const auto& [key, threads] : cores) {
    for (int cpu : threads) {
      PODALLOC_ASSIGN_OR_RETURN(std::optional<CpuSet> siblings, ReadSiblings(root, cpu));
      if (siblings && !(threads & online).IsSubsetOf(*siblings)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "sysfs: CPU ", (threads - *siblings).First(), " is in two cores: core_id ", key.core_id,
            " of package ", key.package, " holds CPUs ", threads.ToString(),
            " but the siblings of CPU ", cpu, " are ", siblings->ToString()));
      }
    }
  }

  std::map<int, int> cores_per_node;
  for (const auto& entry : cores) ++cores_per_node[entry.first.numa];
  PODALLOC_ASSIGN_OR_RETURN(std::vector<int> kinds, ReadSysfsCoreKinds(root, online));
  for (const auto& [key, threads] : cores) {
    const int first = threads.First();
    PODALLOC_ASSIGN_OR_RETURN(int uncore,
                              ReadUncoreId(root, first, cores_per_node[key.numa] * threads.Size()));
    for (int cpu : threads) {
      CpuInfo& info = infos[cpu];
      info.core_id = first;
      info.uncore_id = uncore >= 0 ? uncore : info.socket_id;
      info.kind = kinds[cpu];
    }
  }
  for (int cpu : online) spec->cpus.push_back(infos[cpu]);
  return absl::OkStatus();
}

}  // namespace podalloc::internal
