// NUMA ids and distances as the topology manager sees them (numa_info.go).
#include "podalloc/numa_info.h"

#include <bit>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace podalloc {
namespace {

// sysfs distances are at most 255; this bound keeps every distance sum of up to 64 x 64
// pairs exact in a double, so the kubelet's float averages compare exactly like integer sums.
constexpr uint64_t kMaxDistance = 1'000'000;

}  // namespace

absl::StatusOr<NumaInfo> NumaInfo::Create(const std::vector<NumaInfoNode>& topology,
                                          bool keep_distances) {
  NumaInfo info;
  int max_id = -1;
  for (const NumaInfoNode& node : topology) {
    if (node.id < 0 || node.id >= NumaMask::kMaxNodes) {
      return absl::InvalidArgumentError(absl::StrCat("NUMA node id ", node.id,
                                                     " is out of range (0..63)"));
    }
    if (info.default_.IsSet(node.id)) {
      return absl::InvalidArgumentError(absl::StrCat("NUMA node id ", node.id, " is listed twice"));
    }
    info.default_.Set(node.id);
    info.nodes_.push_back(node.id);
    max_id = std::max(max_id, node.id);
  }
  if (!keep_distances) return info;
  info.has_distances_ = true;
  info.distance_.assign(64 * 64, 0);
  for (const NumaInfoNode& node : topology) {
    if (!node.distances) {
      return absl::InvalidArgumentError("error getting NUMA distances from cadvisor");
    }
    const std::vector<uint64_t>& row = *node.distances;
    if (static_cast<int>(row.size()) <= max_id) {
      return absl::InvalidArgumentError(
          absl::StrCat("NUMA node ", node.id, ": distance row has ", row.size(),
                       " entries, node ids go up to ", max_id));
    }
    for (int to : info.nodes_) {
      if (row[to] > kMaxDistance) {
        return absl::InvalidArgumentError(absl::StrCat("NUMA node ", node.id, ": distance to ",
                                                       to, " is ", row[to], " (at most ",
                                                       kMaxDistance, ")"));
      }
      info.distance_[node.id * 64 + to] = row[to];
    }
  }
  return info;
}

uint64_t NumaInfo::DistanceSum(NumaMask mask) const {
  if (!has_distances_) return 0;
  uint64_t sum = 0;
  for (uint64_t a = mask.bits(); a != 0; a &= a - 1) {
    const uint64_t* row = &distance_[std::countr_zero(a) * 64];
    for (uint64_t b = mask.bits(); b != 0; b &= b - 1) sum += row[std::countr_zero(b)];
  }
  return sum;
}

double NumaInfo::AverageDistance(NumaMask mask) const {
  const int n = mask.Count();
  if (n == 0) return 0;
  return static_cast<double>(DistanceSum(mask)) / static_cast<double>(n * n);
}

NumaMask NumaInfo::Closest(NumaMask a, NumaMask b) const {
  if (a.Count() != b.Count()) return Narrowest(a, b);
  const double da = AverageDistance(a);
  const double db = AverageDistance(b);
  if (da == db) return a.IsLessThan(b) ? a : b;
  return da < db ? a : b;
}

}  // namespace podalloc
