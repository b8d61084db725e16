// File: podalloc/memory_state.h
// The memory manager's state: per NUMA node and memory resource (regular memory and each
// hugepage size) a table of total, system-reserved, allocatable, reserved and free bytes;
// the NUMA group ("cells") each node is allocated with; and the memory blocks assigned to
// containers and to pods. Mirrors pkg/kubelet/cm/memorymanager/state/state.go.
//
// All types here are regular values (copyable, comparable), thread-compatible, and hold no
// pointers into each other, so a state can be copied, changed and dropped as a whole.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "podalloc/bitmask.h"

namespace podalloc {

// A memory resource the memory manager tracks: regular memory, or hugepages of one page
// size. Ordered memory first, then hugepages by ascending page size; podalloc lists blocks
// and tables in this order (the kubelet's order is Go map order, i.e. unspecified).
class MemoryResource {
 public:
  static constexpr MemoryResource Memory() { return MemoryResource(0); }
  // Precondition: page_size_bytes > 0.
  static constexpr MemoryResource HugePages(uint64_t page_size_bytes) {
    return MemoryResource(page_size_bytes);
  }
  // "memory" or "hugepages-<quantity>" with an integral byte quantity ("2Mi", "1Gi",
  // "2048Ki", "1048576"). The hugepage name is kept by page size, so "hugepages-2048Ki"
  // and "hugepages-2Mi" are the same resource. Anything else is InvalidArgument.
  [[nodiscard]] static absl::StatusOr<MemoryResource> Parse(std::string_view name);

  bool is_hugepages() const { return page_size_ != 0; }
  uint64_t page_size_bytes() const { return page_size_; }
  // The kubelet's resource name: "memory", or "hugepages-" + the canonical binary-SI
  // quantity of the page size ("hugepages-2Mi", "hugepages-1Gi", "hugepages-64Ki").
  std::string Name() const;

  friend constexpr auto operator<=>(MemoryResource, MemoryResource) = default;

 private:
  explicit constexpr MemoryResource(uint64_t page_size) : page_size_(page_size) {}
  uint64_t page_size_ = 0;
};

// A byte amount of one resource.
struct MemoryAmount {
  MemoryResource resource;
  uint64_t bytes = 0;
  friend bool operator==(const MemoryAmount&, const MemoryAmount&) = default;
};
// Ascending by resource, each resource at most once.
using MemoryAmounts = std::vector<MemoryAmount>;

// The bytes of `resource` in `amounts`, or nullopt when it is not listed.
std::optional<uint64_t> FindMemoryAmount(const MemoryAmounts& amounts, MemoryResource resource);
// Sets the amount of `resource`, keeping the list sorted.
void SetMemoryAmount(MemoryAmounts& amounts, MemoryResource resource, uint64_t bytes);

// The kubelet's MemoryTable. Invariant kept by every podalloc operation (and checked by the
// tests): free + reserved == allocatable.
struct MemoryTable {
  uint64_t total = 0;            // TotalMemSize
  uint64_t system_reserved = 0;  // SystemReserved
  uint64_t allocatable = 0;
  uint64_t reserved = 0;         // assigned to containers
  uint64_t free = 0;
  friend bool operator==(const MemoryTable&, const MemoryTable&) = default;
};

struct MemoryResourceTable {
  MemoryResource resource;
  MemoryTable table;
  friend bool operator==(const MemoryResourceTable&, const MemoryResourceTable&) = default;
};

// The kubelet's NUMANodeState.
struct MemoryNumaNodeState {
  int id = 0;
  // Blocks placed on this node; a container with memory and one hugepage size counts two.
  int64_t number_of_assignments = 0;
  // The group this node is allocated with: {id} while unused, the mask of a multi-NUMA
  // allocation otherwise. A checkpoint may hold an empty group; it is kept as is.
  NumaMask cells;
  std::vector<MemoryResourceTable> memory;  // ascending resource, unique

  const MemoryTable* Find(MemoryResource resource) const;
  MemoryTable* Find(MemoryResource resource);
  friend bool operator==(const MemoryNumaNodeState&, const MemoryNumaNodeState&) = default;
};

// The kubelet's NUMANodeMap: every NUMA node of the machine.
struct MemoryMachineState {
  std::vector<MemoryNumaNodeState> nodes;  // ascending id, unique, ids 0..63

  bool empty() const { return nodes.empty(); }
  const MemoryNumaNodeState* Node(int id) const;
  MemoryNumaNodeState* Node(int id);
  NumaMask NodeIds() const;
  friend bool operator==(const MemoryMachineState&, const MemoryMachineState&) = default;
};

// The kubelet's state.Block: `size` bytes of `type` placed on the nodes of `numa_affinity`.
struct MemoryBlock {
  NumaMask numa_affinity;
  MemoryResource type;
  uint64_t size = 0;
  friend bool operator==(const MemoryBlock&, const MemoryBlock&) = default;
};

// Container name -> blocks (one per requested resource, in resource order).
using ContainerMemoryBlocks = std::map<std::string, std::vector<MemoryBlock>, std::less<>>;
// The kubelet's ContainerMemoryAssignments: pod UID -> container name -> blocks.
using ContainerMemoryAssignments = std::map<std::string, ContainerMemoryBlocks, std::less<>>;
// The kubelet's PodMemoryAssignments (KEP-5526): pod UID -> the pod-level blocks charged to
// the machine for a pod managed at pod level.
using PodMemoryAssignments = std::map<std::string, std::vector<MemoryBlock>, std::less<>>;

// Memory of regular init containers that later containers of the same pod may reuse
// (the kubelet's initContainersReusableMemory): it is kept in memory only, never in the
// checkpoint, and holds at most the pod being admitted once another pod is allocated.
struct ReusableMemoryKey {
  uint64_t mask_bits = 0;  // the exact NUMA mask the init container was placed on
  MemoryResource resource;
  friend constexpr auto operator<=>(const ReusableMemoryKey&, const ReusableMemoryKey&) = default;
};
using ReusableMemory = std::map<std::string, std::map<ReusableMemoryKey, uint64_t>, std::less<>>;

// Everything the Static policy reads and writes.
struct MemoryManagerState {
  MemoryMachineState machine;
  ContainerMemoryAssignments assignments;
  PodMemoryAssignments pod_assignments;
  ReusableMemory reusable;
  friend bool operator==(const MemoryManagerState&, const MemoryManagerState&) = default;
};

// Blocks of one container, or nullptr when it has none recorded.
const std::vector<MemoryBlock>* FindMemoryBlocks(const ContainerMemoryAssignments& assignments,
                                                 std::string_view pod_uid,
                                                 std::string_view container_name);

}  // namespace podalloc
