// File: tests/unit/memory_manager/reference/capacity_rule.h
// The CapacityHints rule exactly as podalloc/hint.h documents it, evaluated mask by mask,
// to check that the memory manager's families expand to the kubelet's lists. Tests only.
#pragma once

#include <vector>

#include "podalloc/hint.h"

namespace podalloc::reference {

inline bool FamilyAdmits(const CapacityHints& f, NumaMask m) {
  if (m.IsEmpty() || !m.IsSubsetOf(f.nodes) || !f.required.IsSubsetOf(m)) return false;
  for (const CapacityDemand& d : f.demands) {
    uint64_t sum = d.base;
    for (int id : m.GetBits()) {
      if (static_cast<size_t>(id) < d.available.size()) sum += d.available[id];
    }
    for (const auto& [mask, extra] : d.exact_mask_extra) {
      if (mask == m) sum += extra;
    }
    if (sum < d.request) return false;
  }
  if (m.Count() == 1) return !f.not_alone.IsSet(m.First());
  for (int id : m.GetBits()) {
    const NumaMask g = static_cast<size_t>(id) < f.group_of.size() ? f.group_of[id] : NumaMask();
    if (!g.IsEmpty() && g != m) return false;
  }
  return true;
}

// The family's list in IterateBitMasks order.
inline std::vector<TopologyHint> ExpandFamily(const CapacityHints& f) {
  std::vector<TopologyHint> out;
  IterateBitMasks(f.nodes.GetBits(), [&](NumaMask m) {
    if (FamilyAdmits(f, m)) out.push_back(TopologyHint::Of(m, m.Count() == f.preferred_size));
  });
  return out;
}

}  // namespace podalloc::reference
