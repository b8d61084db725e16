#include "absl/strings/str_cat.h"
#include "file_text.h"
#include "podalloc/discovery.h"
#include "podalloc/status_macros.h"
#include "sysfs_reader.h"

namespace podalloc {

absl::StatusOr<Topology> FromSysfs(const std::filesystem::path& root) {
  PODALLOC_RETURN_IF_ERROR(internal::CheckPathArgument(root, "root"));
  internal::SysfsRoot sysfs(root == "/" ? std::filesystem::path() : root);
  PODALLOC_ASSIGN_OR_RETURN(internal::SysfsNumaFacts numa, internal::ReadSysfsNumaNodes(sysfs));
  TopologySpec spec;
  std::filesystem::path named = root.has_filename() ? root : root.parent_path();
  spec.name =
      root.empty() || root == "/" ? "sysfs" : absl::StrCat("sysfs:", named.filename().string());
  PODALLOC_RETURN_IF_ERROR(internal::ReadSysfsCpus(sysfs, numa, &spec));
  spec.numa_nodes = std::move(numa.nodes);
  spec.distances = std::move(numa.distances);
  // Without a node folder every CPU's NUMA id is its package (ReadSysfsCpus). Ids out of
  // range are left to Topology::Build, which refuses them.
  NumaMask machine;
  auto add = [&machine](int id) {
    if (id >= 0 && id < NumaMask::kMaxNodes) machine.Set(id);
  };
  for (const NumaNodeInfo& node : spec.numa_nodes) add(node.id);
  for (const CpuInfo& cpu : spec.cpus) add(cpu.numa_id);
  PODALLOC_ASSIGN_OR_RETURN(spec.devices, internal::ReadSysfsPciDevices(sysfs, machine));
  auto topology = Topology::Build(std::move(spec));
  if (!topology.ok()) {
    return internal::Prefixed(topology.status(), absl::StrCat("sysfs ", sysfs.Path("").string()));
  }
  return topology;
}

}  // namespace podalloc
