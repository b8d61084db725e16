// File: tests/unit/memory_manager/reference/kubelet_hints.h
// A brute-force oracle for the memory manager's hints: calculateHints and findBestHint
// written the kubelet's way, walking every NUMA mask, for checking the fast hint space.
// Exponential in the node count; tests only.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "podalloc/memory_manager.h"

namespace podalloc::reference {

struct KubeletHints {
  std::vector<MemoryHint> hints;  // calculateHints' list, in its order
  int min_affinity_size = 0;
};

inline KubeletHints CalculateHints(const MemoryMachineState& machine, const MemoryAmounts& request,
                                   const std::map<ReusableMemoryKey, uint64_t>* reusable) {
  std::vector<int> ids;
  for (const MemoryNumaNodeState& n : machine.nodes) ids.push_back(n.id);
  KubeletHints out;
  out.min_affinity_size = static_cast<int>(ids.size());
  auto value = [&](int id, MemoryResource r, bool free) -> uint64_t {
    const MemoryTable* t = machine.Node(id)->Find(r);
    return t == nullptr ? 0 : (free ? t->free : t->allocatable);
  };
  std::vector<NumaMask> masks;
  IterateBitMasks(ids, [&](NumaMask mask) {
    const std::vector<int> bits = mask.GetBits();
    const bool single = bits.size() == 1;
    // Where the kubelet would crash (a node without the resource's table), no hint.
    for (int id : bits) {
      for (const MemoryAmount& a : request) {
        if (machine.Node(id)->Find(a.resource) == nullptr) return;
      }
    }
    for (const MemoryAmount& a : request) {
      uint64_t allocatable = 0;
      for (int id : bits) allocatable += value(id, a.resource, false);
      if (allocatable < a.bytes) return;
    }
    if (mask.Count() < out.min_affinity_size) out.min_affinity_size = mask.Count();
    if (single && machine.Node(bits[0])->cells.Count() > 1) return;
    for (int id : bits) {
      const MemoryNumaNodeState* n = machine.Node(id);
      if (!single && n->number_of_assignments > 0) {
        if (n->cells.Count() == 1) return;
        if (n->cells != mask) return;
      }
    }
    for (const MemoryAmount& a : request) {
      uint64_t free = 0;
      for (int id : bits) free += value(id, a.resource, true);
      uint64_t reuse = 0;
      if (reusable != nullptr) {
        auto it = reusable->find(ReusableMemoryKey{mask.bits(), a.resource});
        if (it != reusable->end()) reuse = it->second;
      }
      if (free + reuse < a.bytes) return;
    }
    masks.push_back(mask);
  });
  for (NumaMask m : masks) out.hints.push_back(MemoryHint{m, m.Count() == out.min_affinity_size});
  return out;
}

// findBestHint over the hints containing `mask` (extendTopologyManagerHint), or over all of
// them for an empty mask (getDefaultHint).
inline std::optional<MemoryHint> BestHintContaining(const std::vector<MemoryHint>& hints,
                                                    NumaMask mask) {
  std::optional<MemoryHint> best;
  for (const MemoryHint& h : hints) {
    if (!mask.IsSubsetOf(h.affinity)) continue;
    if (!best) {
      best = h;
      continue;
    }
    if (h.preferred && !best->preferred) {
      best = h;
      continue;
    }
    if (h.preferred == best->preferred && h.affinity.IsNarrowerThan(best->affinity)) best = h;
  }
  return best;
}

}  // namespace podalloc::reference
