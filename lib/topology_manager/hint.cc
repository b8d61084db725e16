// TopologyHint rendering, the capacity-family rule for single masks, and the helpers hint
// providers use instead of walking every NUMA subset themselves.
#include "podalloc/hint.h"

#include <bit>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "mask_family.h"

namespace podalloc {

std::string TopologyHint::ToString() const {
  return absl::StrCat("{", affinity ? affinity->ToString() : std::string("<nil>"), " ",
                      preferred ? "true" : "false", "}");
}

bool CapacityHints::IsHint(NumaMask mask) const {
  return internal::CapacityFamily(*this).IsHint(mask);
}

bool CapacityHints::IsPreferred(NumaMask mask) const {
  return internal::CapacityFamily(*this).IsPreferred(mask);
}

bool HintOracle::AnyHintBetween(NumaMask lower, NumaMask upper, bool preferred_only) const {
  upper &= nodes();
  if (!lower.IsSubsetOf(upper)) return false;
  const uint64_t pool = upper.bits() & ~lower.bits();
  // Every submask of the pool, the pool itself first.
  for (uint64_t s = pool;; s = (s - 1) & pool) {
    const NumaMask m = NumaMask::FromBits(lower.bits() | s);
    if (!m.IsEmpty() && IsHint(m) && (!preferred_only || IsPreferred(m))) return true;
    if (s == 0) return false;
  }
}

int MinAffinitySize(const std::vector<std::vector<uint64_t>>& capacity,
                    const std::vector<uint64_t>& requests, NumaMask nodes) {
  CapacityHints fits;
  fits.nodes = nodes;
  for (size_t d = 0; d < capacity.size() || d < requests.size(); ++d) {
    CapacityDemand demand;
    if (d < capacity.size()) demand.available = capacity[d];
    if (d < requests.size()) demand.request = requests[d];
    fits.demands.push_back(std::move(demand));
  }
  const int min = internal::MinMemberCount(internal::CapacityFamily(fits));
  return min < 0 ? nodes.Count() : min;
}

bool HasAnyHint(const CapacityHints& family) {
  return internal::CapacityFamily(family).ExistsBetween(NumaMask(), family.nodes);
}

std::optional<TopologyHint> FindBestHint(const CapacityHints& family, NumaMask within) {
  const internal::CapacityFamily f(family);
  if (auto m = internal::NarrowestMember(f, within, /*preferred_only=*/true)) {
    return TopologyHint::Of(*m, true);
  }
  if (auto m = internal::NarrowestMember(f, within, /*preferred_only=*/false)) {
    return TopologyHint::Of(*m, false);
  }
  return std::nullopt;
}

absl::StatusOr<std::vector<TopologyHint>> ExpandHints(const CapacityHints& family) {
  constexpr int kMaxExpandedNodes = 24;
  if (family.nodes.Count() > kMaxExpandedNodes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("cannot expand the hints of ", family.nodes.Count(),
                     " NUMA nodes into a list (at most ", kMaxExpandedNodes, ")"));
  }
  const internal::CapacityFamily f(family);
  std::vector<TopologyHint> out;
  IterateBitMasks(family.nodes.GetBits(), [&](NumaMask m) {
    if (f.IsHint(m)) out.push_back(TopologyHint::Of(m, f.IsPreferred(m)));
  });
  return out;
}

}  // namespace podalloc
