// The bound on a machine's memory amounts. The kubelet turns cadvisor's uint64 byte counts
// into int64 quantities and adds them up in Go, where both steps wrap: four NUMA nodes of
// 2^64-1 bytes give a node capacity of -4 bytes. podalloc refuses such a machine when it is
// described, so every later sum (capacity, allocatable, per-node memory tables) is exact.
#include <cstdint>
#include <limits>
#include <optional>

#include "absl/strings/str_cat.h"
#include "podalloc/internal/checked_math.h"
#include "podalloc/topology.h"

namespace podalloc {

absl::Status CheckMachineMemory(const std::vector<NumaNodeInfo>& numa_nodes) {
  constexpr uint64_t kMax = std::numeric_limits<int64_t>::max();
  uint64_t machine = 0;  // memory and huge pages of the nodes so far
  for (const NumaNodeInfo& node : numa_nodes) {
    std::optional<uint64_t> sum = internal::CheckedAdd(machine, node.memory_bytes);
    for (const HugePages& h : node.hugepages) {
      const std::optional<uint64_t> pool = internal::CheckedMul(h.page_size_bytes, h.total_pages);
      if (!pool.has_value() || *pool > kMax) {
        return absl::InvalidArgumentError(absl::StrCat(
            "topology: NUMA node ", node.id, ": ", h.total_pages, " huge pages of ",
            h.page_size_bytes, " bytes are more than ", kMax,
            " bytes (the largest Kubernetes quantity)"));
      }
      if (sum.has_value()) sum = internal::CheckedAdd(*sum, *pool);
    }
    if (!sum.has_value() || *sum > kMax) {
      return absl::InvalidArgumentError(absl::StrCat(
          "topology: NUMA node ", node.id, ": its memory (", node.memory_bytes,
          " bytes) and huge pages bring the machine's memory above ", kMax,
          " bytes (the largest Kubernetes quantity)"));
    }
    machine = *sum;
  }
  return absl::OkStatus();
}

}  // namespace podalloc
