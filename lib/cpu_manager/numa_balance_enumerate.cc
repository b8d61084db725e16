// takeByTopologyNUMADistributed's search as the kubelet walks it, for NUMA lists that name a
// node twice. On socket-first machines the kubelet lists a NUMA node under every socket it has
// CPUs in, and a combination may then hold the node twice: it counts its free CPUs once for
// the combination's total but subtracts the even share once per occurrence, so choices are no
// longer independent per position and the tables of numa_balance.cc do not apply. Bounded by
// kMaxEnumeratedNumaList (about 3^12 subsets).
#include <algorithm>
#include <limits>
#include <map>

#include "go_combinations.h"
#include "numa_balance.h"

namespace podalloc::internal::cpu {
namespace {

struct NumaList {
  std::vector<int> slot;  // per list position: index of its NUMA node in `free_of`
  std::vector<int> free_of;
};

// Hands `remainder` CPUs out round-robin over `subset` in groups; false where the kubelet
// would loop forever (no member can give a group and CPUs are still owed).
bool HandOut(std::vector<int>& left, const std::vector<int>& subset, int remainder, int group) {
  while (remainder > 0) {
    bool progress = false;
    for (int s : subset) {
      if (remainder == 0) break;
      if (left[s] < group) continue;
      left[s] -= group;
      remainder -= group;
      progress = true;
    }
    if (!progress) return false;
  }
  return true;
}

}  // namespace

std::optional<BalancedChoice> EnumerateBalancedNumaNodes(const std::vector<int>& nodes,
                                                         const std::vector<int>& free,
                                                         int num_cpus, int group, int k) {
  const int n = static_cast<int>(nodes.size());
  if (k > n) return std::nullopt;
  NumaList list;
  std::map<int, int> slot_of;
  for (int p = 0; p < n; ++p) {
    auto [it, added] = slot_of.try_emplace(nodes[p], static_cast<int>(list.free_of.size()));
    if (added) list.free_of.push_back(free[p]);
    list.slot.push_back(it->second);
  }
  const int share = (num_cpus / k / group) * group;
  const int remainder = num_cpus - share * k;

  int64_t best = std::numeric_limits<int64_t>::max();
  std::optional<BalancedChoice> choice;
  std::vector<int> combo(k);
  for (int i = 0; i < k; ++i) combo[i] = i;
  for (std::optional<std::vector<int>> next = combo; next; next = NextCombination(*next, n)) {
    if (best == 0) break;
    const std::vector<int>& c = *next;
    std::vector<bool> counted(list.free_of.size(), false);
    int in_combo = 0, in_groups = 0;
    bool holds_share = true;
    for (int p : c) {
      if (!counted[list.slot[p]]) in_combo += free[p];
      counted[list.slot[p]] = true;
      in_groups += free[p] / group * group;
      holds_share &= free[p] >= share;
    }
    if (in_combo < num_cpus || in_groups < num_cpus || !holds_share) continue;
    std::vector<int> left = list.free_of;
    for (int p : c) left[list.slot[p]] -= share;
    std::vector<int> candidates;
    for (int p : c) {
      if (left[list.slot[p]] >= group) candidates.push_back(p);
    }
    int64_t local = std::numeric_limits<int64_t>::max();
    std::vector<int> local_subset;
    if (remainder == 0) local = BalanceMilli(left);
    const int size = static_cast<int>(candidates.size());
    for (int kk = size; remainder > 0 && kk >= 1; --kk) {
      std::vector<int> sub(kk);
      for (int i = 0; i < kk; ++i) sub[i] = i;
      for (std::optional<std::vector<int>> s = sub; s; s = NextCombination(*s, size)) {
        std::vector<int> slots;
        int offered = 0;
        for (int i : *s) {
          slots.push_back(list.slot[candidates[i]]);
          offered += left[slots.back()];
        }
        std::vector<int> trial = left;
        if (offered < remainder || !HandOut(trial, slots, remainder, group)) continue;
        const int64_t score = BalanceMilli(trial);
        if (score < local) {
          local = score;
          local_subset = *s;
        }
      }
    }
    if (local < best) {
      best = local;
      choice = BalancedChoice{c, candidates, local_subset, false};
    }
  }
  if (choice) choice->perfect = best == 0;
  return choice;
}

}  // namespace podalloc::internal::cpu
