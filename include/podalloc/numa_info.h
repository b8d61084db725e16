// File: podalloc/numa_info.h
// NumaInfo: the machine's NUMA node ids (in discovery order) and, when the
// prefer-closest-numa-nodes option is on, their distance rows. Mirrors
// pkg/kubelet/cm/topologymanager/numa_info.go: the default affinity, Narrowest, Closest and the
// average distance of a mask. Immutable value type; safe to share between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "podalloc/bitmask.h"

namespace podalloc {

// One NUMA node as the topology manager takes it (the kubelet reads cadvisor's Node: id and
// distances; podalloc/topology.h's NumaNodeInfo carries the same facts for the node as a
// whole, this module does not depend on it). `distances` is indexed by NUMA id (as sysfs
// nodeN/distance is); nullopt when the platform reported none.
struct NumaInfoNode {
  int id = 0;
  std::optional<std::vector<uint64_t>> distances;
  friend bool operator==(const NumaInfoNode&, const NumaInfoNode&) = default;
};

class NumaInfo {
 public:
  // The kubelet's NewNUMAInfo. Distance rows are kept only when keep_distances
  // (prefer-closest-numa-nodes) is set, and then a node without a row fails with
  // "error getting NUMA distances from cadvisor". Beyond the kubelet (which would panic or
  // silently drop the bit later): ids must be 0..63 and distinct, and every kept row must
  // reach the largest node id — InvalidArgument otherwise.
  [[nodiscard]] static absl::StatusOr<NumaInfo> Create(const std::vector<NumaInfoNode>& topology,
                                                       bool keep_distances);

  NumaInfo() = default;
  const std::vector<int>& nodes() const { return nodes_; }
  int num_nodes() const { return static_cast<int>(nodes_.size()); }
  // The mask of every node (the kubelet's DefaultAffinityMask).
  NumaMask default_affinity() const { return default_; }
  bool has_distances() const { return has_distances_; }
  // d[from][to] for two machine node ids; 0 without distances.
  uint64_t distance(int from, int to) const {
    return has_distances_ ? distance_[from * 64 + to] : 0;
  }

  // Sum of d[i][j] over all ordered pairs of set bits, i == j included (integer, exact).
  uint64_t DistanceSum(NumaMask mask) const;
  // The kubelet's CalculateAverageFor: DistanceSum / popcount², 0 for the empty mask.
  double AverageDistance(NumaMask mask) const;
  // a if a is narrower than b, else b.
  static NumaMask Narrowest(NumaMask a, NumaMask b) { return a.IsNarrowerThan(b) ? a : b; }
  // The kubelet's Closest(a, b): narrowest when the counts differ; else the smaller average
  // distance; on equal averages the numerically smaller mask.
  NumaMask Closest(NumaMask a, NumaMask b) const;

  friend bool operator==(const NumaInfo&, const NumaInfo&) = default;

 private:
  std::vector<int> nodes_;
  NumaMask default_;
  bool has_distances_ = false;
  std::vector<uint64_t> distance_;  // 64 x 64, row-major, only when has_distances_
};

}  // namespace podalloc
