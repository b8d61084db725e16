#include "kubelet_merge.h"

#include <bit>
#include <optional>

namespace podalloc::reference {
namespace {

bool IsCapacityHint(const CapacityHints& f, NumaMask m) {
  if (!m.IsSubsetOf(f.nodes) || m.IsEmpty()) return false;
  if (!f.required.IsSubsetOf(m)) return false;
  const std::vector<int> bits = m.GetBits();
  if (bits.size() == 1) {
    if (f.not_alone.IsSet(bits[0])) return false;
  } else {
    for (int n : bits) {
      if (n < static_cast<int>(f.group_of.size()) && !f.group_of[n].IsEmpty() &&
          !(f.group_of[n] == m)) {
        return false;
      }
    }
  }
  for (const CapacityDemand& d : f.demands) {
    uint64_t sum = d.base;  // the random cases stay far from overflow
    for (int n : bits) {
      if (n < static_cast<int>(d.available.size())) sum += d.available[n];
    }
    for (const auto& [mask, extra] : d.exact_mask_extra) {
      if (mask == m) sum += extra;
    }
    if (sum < d.request) return false;
  }
  return true;
}

bool IsCapacityPreferred(const CapacityHints& f, NumaMask m) {
  if (m.Count() == f.preferred_size) return true;
  if (f.preferred_sockets <= 0) return false;
  std::vector<int> sockets;
  for (int n : m.GetBits()) {
    if (n < static_cast<int>(f.socket_of_node.size()) && f.socket_of_node[n] >= 0 &&
        f.socket_of_node[n] < 64) {
      int s = f.socket_of_node[n];
      bool seen = false;
      for (int x : sockets) seen = seen || x == s;
      if (!seen) sockets.push_back(s);
    }
  }
  return static_cast<int>(sockets.size()) == f.preferred_sockets;
}

double Average(const Machine& m, NumaMask mask) {
  if (mask.Count() == 0) return 0;
  double sum = 0, count = 0;
  for (int a : mask.GetBits()) {
    for (int b : mask.GetBits()) {
      sum += static_cast<double>(m.distances.at(a).at(b));
      count++;
    }
  }
  return sum / count;
}

NumaMask Narrowest(NumaMask a, NumaMask b) { return a.IsNarrowerThan(b) ? a : b; }

NumaMask Closest(const Machine& m, NumaMask a, NumaMask b) {
  if (a.Count() != b.Count()) return Narrowest(a, b);
  const double da = Average(m, a), db = Average(m, b);
  if (da == db) return a.IsLessThan(b) ? a : b;
  return da < db ? a : b;
}

struct Merger {
  const Machine& machine;
  bool closest;
  int bnpac = 0;

  const TopologyHint& Fitter(const TopologyHint& cur, const TopologyHint& cand) const {
    if (*cur.affinity == *cand.affinity) return cur;
    const NumaMask chosen = closest ? Closest(machine, *cand.affinity, *cur.affinity)
                                    : Narrowest(*cur.affinity, *cand.affinity);
    return chosen == *cur.affinity ? cur : cand;
  }

  // Returns the new best (by value).
  std::optional<TopologyHint> Compare(const std::optional<TopologyHint>& best,
                                      const TopologyHint& cand) const {
    if (cand.affinity->Count() == 0) return best;
    if (!best) return cand;
    if (!best->preferred && cand.preferred) return cand;
    if (best->preferred && !cand.preferred) return best;
    if (best->preferred) return Fitter(*best, cand);
    const int c = best->affinity->Count(), n = cand.affinity->Count(), k = bnpac;
    if (c > k) return Fitter(*best, cand);
    if (c == k) {
      if (n == k && &Fitter(*best, cand) == &cand) return cand;
      return best;
    }
    if (n > k) return best;
    if (n == k) return cand;
    if (n > c) return cand;
    if (n < c) return best;
    return Fitter(*best, cand);
  }
};

NumaMask DefaultMask(const Machine& m) {
  NumaMask d;
  for (int n : m.nodes) d.Set(n);
  return d;
}

TopologyHint MergePermutation(NumaMask all, const std::vector<const TopologyHint*>& perm) {
  bool preferred = true;
  NumaMask merged = all;
  const NumaMask* first = nullptr;
  for (const TopologyHint* h : perm) {
    if (!h->preferred) preferred = false;
    if (!h->affinity) continue;
    merged &= *h->affinity;
    if (first == nullptr) {
      first = &*h->affinity;
    } else if (!(*first == *h->affinity)) {
      preferred = false;
    }
  }
  return TopologyHint::Of(merged, preferred);
}

Lists SingleNumaFilter(const Lists& lists) {
  Lists out;
  for (const auto& l : lists) {
    std::vector<TopologyHint> kept;
    for (const auto& h : l) {
      if (h.preferred && (!h.affinity || h.affinity->Count() == 1)) kept.push_back(h);
    }
    out.push_back(kept);
  }
  return out;
}

}  // namespace

std::vector<TopologyHint> ListCapacityHints(const CapacityHints& family) {
  std::vector<TopologyHint> out;
  IterateBitMasks(family.nodes.GetBits(), [&](NumaMask m) {
    if (IsCapacityHint(family, m)) out.push_back(TopologyHint::Of(m, false));
  });
  for (auto& h : out) h.preferred = IsCapacityPreferred(family, *h.affinity);
  return out;
}

std::vector<TopologyHint> ListOracleHints(const HintOracle& oracle) {
  std::vector<TopologyHint> out;
  IterateBitMasks(oracle.nodes().GetBits(), [&](NumaMask m) {
    if (oracle.IsHint(m)) out.push_back(TopologyHint::Of(m, oracle.IsPreferred(m)));
  });
  return out;
}

Lists Flatten(const std::vector<ProviderHints>& providers) {
  Lists out;
  for (const ProviderHints& p : providers) {
    if (p.resources.empty()) {
      out.push_back({TopologyHint::Any(true)});
      continue;
    }
    for (const auto& [name, r] : p.resources) {
      std::vector<TopologyHint> list;
      if (r.is_no_preference()) {
        out.push_back({TopologyHint::Any(true)});
        continue;
      }
      if (r.list()) list = *r.list();
      if (r.capacity()) list = ListCapacityHints(*r.capacity());
      if (r.oracle()) list = ListOracleHints(*r.oracle());
      if (list.empty()) list = {TopologyHint::Any(false)};
      out.push_back(list);
    }
  }
  return out;
}

double PermutationCount(const std::vector<ProviderHints>& providers, TopologyPolicy policy) {
  Lists lists = Flatten(providers);
  if (policy == TopologyPolicy::kSingleNumaNode) lists = SingleNumaFilter(lists);
  double n = 1;
  for (const auto& l : lists) n *= static_cast<double>(l.size());
  return n;
}

MergeResult KubeletMerge(const std::vector<ProviderHints>& providers, TopologyPolicy policy,
                         const Machine& machine, bool prefer_closest) {
  if (policy == TopologyPolicy::kNone) return {TopologyHint::Any(false), true};
  Lists lists = Flatten(providers);
  const bool single = policy == TopologyPolicy::kSingleNumaNode;
  if (single) lists = SingleNumaFilter(lists);
  Merger merger{machine, prefer_closest && !single};
  // maxOfMinAffinityCounts
  for (const auto& l : lists) {
    int min = -1;
    for (const auto& h : l) {
      if (h.affinity && (min < 0 || h.affinity->Count() < min)) min = h.affinity->Count();
    }
    if (min > merger.bnpac) merger.bnpac = min;
  }
  const NumaMask all = DefaultMask(machine);
  std::optional<TopologyHint> best;
  bool any_empty = false;
  for (const auto& l : lists) any_empty = any_empty || l.empty();
  if (!any_empty) {
    std::vector<size_t> idx(lists.size(), 0);
    std::vector<const TopologyHint*> perm(lists.size());
    while (true) {
      for (size_t i = 0; i < lists.size(); ++i) perm[i] = &lists[i][idx[i]];
      best = merger.Compare(best, MergePermutation(all, perm));
      // odometer: the last list turns fastest
      size_t i = lists.size();
      while (i > 0) {
        --i;
        if (++idx[i] < lists[i].size()) break;
        idx[i] = 0;
        if (i == 0) {
          i = lists.size() + 1;
          break;
        }
      }
      if (i == lists.size() + 1 || lists.empty()) break;
    }
  }
  TopologyHint hint = best ? *best : TopologyHint::Of(all, false);
  if (single && hint.affinity == all) hint.affinity.reset();
  const bool admit = policy == TopologyPolicy::kBestEffort ? true : hint.preferred;
  return {hint, admit};
}

}  // namespace podalloc::reference
