// Capacity families: the masks the kubelet's CPU manager (generateCPUTopologyHints) and memory
// manager (calculateHints) keep while walking every NUMA subset, answered by rule.
#include <algorithm>
#include <bit>

#include "mask_family.h"
#include "mask_search.h"

namespace podalloc::internal {
CapacityFamily::CapacityFamily(const CapacityHints& hints) : hints_(hints), nodes_(hints.nodes) {
  const uint64_t nodes = nodes_.bits();
  required_ = hints.required.bits();
  not_alone_ = hints.not_alone.bits() & nodes;
  for (uint64_t b = nodes; b != 0; b &= b - 1) {
    const int n = std::countr_zero(b);
    if (n < static_cast<int>(hints.group_of.size()) && !hints.group_of[n].IsEmpty()) {
      constrained_ |= uint64_t{1} << n;
    }
  }
  free_multi_ = nodes & ~constrained_;
  // A group is a candidate multi-node mask in its own right (the memory manager lets a node
  // that already serves a group join exactly that group again).
  for (uint64_t b = constrained_; b != 0; b &= b - 1) {
    const uint64_t g = hints.group_of[std::countr_zero(b)].bits();
    if (std::popcount(g) >= 2 && (g & ~nodes) == 0) specials_.push_back(g);
  }
  for (const CapacityDemand& d : hints.demands) {
    for (const auto& [mask, amount] : d.exact_mask_extra) {
      const uint64_t m = mask.bits();
      if (std::popcount(m) >= 2 && (m & ~nodes) == 0 && amount > 0) specials_.push_back(m);
    }
  }
  std::sort(specials_.begin(), specials_.end());
  specials_.erase(std::unique(specials_.begin(), specials_.end()), specials_.end());

  demands_.resize(hints.demands.size());
  for (size_t i = 0; i < hints.demands.size(); ++i) {
    const CapacityDemand& in = hints.demands[i];
    Demand& d = demands_[i];
    d.request = in.request;
    d.base = in.base;
    d.extra = &in.exact_mask_extra;
    for (uint64_t b = nodes; b != 0; b &= b - 1) {
      const int n = std::countr_zero(b);
      d.amount[n] = n < static_cast<int>(in.available.size()) ? in.available[n] : 0;
      d.order[d.order_len++] = static_cast<uint8_t>(n);
    }
    std::stable_sort(d.order, d.order + d.order_len,
                     [&d](uint8_t a, uint8_t b) { return d.amount[a] > d.amount[b]; });
  }
}

uint64_t CapacityFamily::Sum(const Demand& d, uint64_t mask) const {
  uint64_t s = d.base;
  for (uint64_t b = mask; b != 0; b &= b - 1) s = SaturatingAdd(s, d.amount[std::countr_zero(b)]);
  return s;
}

uint64_t CapacityFamily::TopK(const Demand& d, uint64_t pool, int k) {
  uint64_t s = 0;
  for (int i = 0; i < d.order_len && k > 0; ++i) {
    if ((pool >> d.order[i]) & 1u) {
      s = SaturatingAdd(s, d.amount[d.order[i]]);
      --k;
    }
  }
  return s;
}

bool CapacityFamily::DemandsMet(uint64_t mask) const {
  for (const Demand& d : demands_) {
    uint64_t s = Sum(d, mask);
    for (const auto& [m, amount] : *d.extra) {
      if (m.bits() == mask) s = SaturatingAdd(s, amount);
    }
    if (s < d.request) return false;
  }
  return true;
}

int CapacityFamily::SocketCount(uint64_t mask) const {
  uint64_t sockets = 0;
  const auto& of = hints_.socket_of_node;
  for (uint64_t b = mask; b != 0; b &= b - 1) {
    const int n = std::countr_zero(b);
    if (n < static_cast<int>(of.size()) && of[n] >= 0 && of[n] < 64) {
      sockets |= uint64_t{1} << of[n];
    }
  }
  return std::popcount(sockets);
}

bool CapacityFamily::IsHint(NumaMask mask) const {
  const uint64_t m = mask.bits();
  if (m == 0 || (m & ~nodes_.bits()) != 0 || (required_ & ~m) != 0) return false;
  if (std::popcount(m) == 1) {
    if (m & not_alone_) return false;
  } else {
    for (uint64_t b = m & constrained_; b != 0; b &= b - 1) {
      if (hints_.group_of[std::countr_zero(b)].bits() != m) return false;
    }
  }
  return DemandsMet(m);
}

bool CapacityFamily::IsPreferred(NumaMask mask) const {
  if (mask.Count() == hints_.preferred_size) return true;
  return hints_.preferred_sockets > 0 && SocketCount(mask.bits()) == hints_.preferred_sockets;
}

bool CapacityFamily::MayExist(NumaMask lower, NumaMask upper, int count,
                              bool preferred_only) const {
  const uint64_t u = upper.bits() & nodes_.bits();
  const uint64_t l = lower.bits() | required_;
  if ((l & ~u) != 0 || count == 0) return false;
  const bool socket_rule = hints_.preferred_sockets > 0;
  if (preferred_only) {
    if (!socket_rule) {
      if ((count >= 0 && count != hints_.preferred_size) || hints_.preferred_size <= 0) {
        return false;
      }
      count = hints_.preferred_size;
    } else if (count >= 0 && count != hints_.preferred_size) {
      if (SocketCount(l) > hints_.preferred_sockets ||
          SocketCount(u) < hints_.preferred_sockets) {
        return false;
      }
    }
  }
  if (count >= 0 && (std::popcount(l) > count || std::popcount(u) < count)) return false;
  auto accepted = [&](uint64_t m) {
    const NumaMask mm = NumaMask::FromBits(m);
    return IsHint(mm) && (!preferred_only || IsPreferred(mm));
  };
  // Single-node masks follow their own rule (not_alone); at most one per node.
  if (count < 0 || count == 1) {
    const int lc = std::popcount(l);
    const uint64_t singles = lc == 1 ? l : (lc == 0 ? u : 0);
    for (uint64_t b = singles & ~not_alone_; b != 0; b &= b - 1) {
      if (accepted(b & (~b + 1))) return true;
    }
    if (count == 1) return false;
  }
  for (uint64_t s : specials_) {
    if ((l & ~s) == 0 && (s & ~u) == 0 && (count < 0 || std::popcount(s) == count) &&
        accepted(s)) {
      return true;
    }
  }
  // Any other multi-node member lies within the unconstrained nodes, where the rule is
  // monotone: more nodes only add capacity.
  if ((l & ~free_multi_) != 0) return false;
  const uint64_t pool = u & free_multi_;
  const int target = count < 0 ? std::popcount(pool) : count;
  if (target < 2 || std::popcount(pool) < target) return false;
  const int missing = target - std::popcount(l);
  for (const Demand& d : demands_) {
    if (SaturatingAdd(Sum(d, l), TopK(d, pool & ~l, missing)) < d.request) return false;
  }
  return true;
}

NumaMask CapacityFamily::CommonAbove(NumaMask lower) const {
  const uint64_t l = lower.bits() | required_;
  uint64_t common = nodes_.bits();
  const int lc = std::popcount(l);
  if (lc <= 1) {
    for (uint64_t b = (lc == 1 ? l : nodes_.bits()) & ~not_alone_; b != 0 && common != 0;
         b &= b - 1) {
      const uint64_t single = b & (~b + 1);
      if (IsHint(NumaMask::FromBits(single))) common &= single;
    }
  }
  for (uint64_t s : specials_) {
    if ((l & ~s) == 0 && IsHint(NumaMask::FromBits(s))) common &= s;
  }
  // The other multi-node members are the supersets of l within the unconstrained nodes that
  // meet the demands without extras; the largest one avoiding j is "all of them but j".
  const uint64_t pool = free_multi_;
  if ((l & ~pool) == 0 && std::popcount(pool) >= 2) {
    uint64_t forced = l;
    bool members = true;
    for (const Demand& d : demands_) {
      const uint64_t total = Sum(d, pool);
      if (total < d.request) members = false;
      if (!members) break;
      for (uint64_t b = pool & ~l; b != 0; b &= b - 1) {
        const int j = std::countr_zero(b);
        if (total != ~uint64_t{0} && total - d.amount[j] < d.request) forced |= uint64_t{1} << j;
      }
    }
    if (members) {
      if (std::popcount(pool) == 2) forced = pool;
      common &= forced;
    }
  }
  return NumaMask::FromBits(common | l);
}

bool OracleFamily::MayExist(NumaMask lower, NumaMask upper, int count,
                            bool preferred_only) const {
  const NumaMask u = upper & oracle_.nodes();
  if (!lower.IsSubsetOf(u) || count == 0) return false;
  if (count >= 0 && (lower.Count() > count || u.Count() < count)) return false;
  return oracle_.AnyHintBetween(lower, u, preferred_only);
}

NumaMask MaskFamily::CommonAbove(NumaMask lower) const {
  NumaMask common = lower;
  for (uint64_t b = nodes().bits() & ~lower.bits(); b != 0; b &= b - 1) {
    const NumaMask without = NumaMask::FromBits(nodes().bits() & ~(b & (~b + 1)));
    if (!ExistsBetween(lower, without)) common |= NumaMask::FromBits(b & (~b + 1));
  }
  return common;
}

std::optional<NumaMask> NarrowestMember(const MaskFamily& family, NumaMask lower,
                                        bool preferred_only) {
  const NumaMask upper = family.nodes();
  if (!lower.IsSubsetOf(upper) || !family.MayExist(lower, upper, -1, preferred_only)) {
    return std::nullopt;
  }
  auto may = [&](int c) {
    return [&family, c, preferred_only](NumaMask l, NumaMask u) {
      return family.Spend() && family.MayExist(l, u, c, preferred_only);
    };
  };
  auto accept = [&](NumaMask m) {
    return family.IsHint(m) && (!preferred_only || family.IsPreferred(m));
  };
  for (int c = std::max(1, lower.Count()); c <= upper.Count(); ++c) {
    if (auto m = FirstInTier(lower, upper, c, may(c), accept)) return m;
  }
  return std::nullopt;
}

int MaskFamily::MinCount() const {
  const std::optional<NumaMask> m = NarrowestMember(*this, NumaMask(), false);
  return m ? m->Count() : -1;
}

}  // namespace podalloc::internal
