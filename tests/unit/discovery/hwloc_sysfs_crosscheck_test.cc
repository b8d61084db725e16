// hwloc's Linux backend pointed at each sysfs capture (HWLOC_FSROOT) must give the same model
// as our own sysfs reader: two independent readings of the same files.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "capture_root.h"
#include "hwloc_model.h"
#include "podalloc/discovery.h"

namespace podalloc {
namespace {

// hwloc reads the environment when it loads; the variables are set for this load only.
absl::StatusOr<TopologySpec> HwlocOnCapture(const std::filesystem::path& root) {
  ::setenv("HWLOC_FSROOT", root.c_str(), 1);
  ::setenv("HWLOC_COMPONENTS", "linux,no_os,stop", 1);
  internal::HwlocHandle handle;
  absl::Status loaded =
      internal::LoadHwloc(handle, root.string(), [](hwloc_topology_t) { return 0; });
  ::unsetenv("HWLOC_FSROOT");
  ::unsetenv("HWLOC_COMPONENTS");
  if (!loaded.ok()) return loaded;
  return internal::SpecFromHwloc(handle.get());
}

TEST_CASE("discovery: hwloc and the sysfs reader agree on every capture", "[hwloc][sysfs]") {
  const std::string tarball = GENERATE(as<std::string>{}, "sysfs-128arm-2pa2n8cluster4co",
                                       "sysfs-20em64t-hybrid-1p6c2t+2ca4co1t",
                                       "sysfs-256ia64-64n2s2c", "sysfs-64amd64-4s2n4ca2co");
  INFO(tarball);
  const std::filesystem::path root = testing::CaptureRoot(tarball);
  auto ours = FromSysfs(root);
  INFO(ours.status().ToString());
  REQUIRE(ours.ok());
  auto hwloc = HwlocOnCapture(root);
  INFO(hwloc.status().ToString());
  REQUIRE(hwloc.ok());
  const TopologySpec& a = ours->spec();
  TopologySpec b = *hwloc;
  CHECK(a.cpus.size() == b.cpus.size());
  for (size_t i = 0; i < std::min(a.cpus.size(), b.cpus.size()); ++i) {
    INFO("CPU " << a.cpus[i].id);
    CHECK(a.cpus[i] == b.cpus[i]);
  }
  CHECK(a.offline_cpus == b.offline_cpus);
  // A single node has no matrix in hwloc and a 1x1 one in sysfs: compare what a policy reads.
  auto built = Topology::Build(b);
  REQUIRE(built.ok());
  for (int from : ours->NumaIds()) {
    for (int to : ours->NumaIds()) {
      INFO("distance " << from << " -> " << to);
      CHECK(ours->Distance(from, to) == built->Distance(from, to));
    }
  }
  REQUIRE(a.numa_nodes.size() == b.numa_nodes.size());
  for (size_t i = 0; i < a.numa_nodes.size(); ++i) {
    INFO("NUMA node " << a.numa_nodes[i].id);
    CHECK(a.numa_nodes[i].id == b.numa_nodes[i].id);
    CHECK(a.numa_nodes[i].hugepages == b.numa_nodes[i].hugepages);
    CHECK(a.numa_nodes[i].memory_bytes == b.numa_nodes[i].memory_bytes);
  }
}

}  // namespace
}  // namespace podalloc
