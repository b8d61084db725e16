// File: lib/cpu_manager/balance_table.h (private to the cpu_manager module)
// The search behind the NUMA-distributed take without the kubelet's walk over every subset.
// The kubelet scores a choice by the standard deviation of the free CPUs every NUMA node keeps;
// with the total taken fixed, that score only grows with the sum of squares of those counts.
// This table holds, for a list of items (NUMA nodes in the kubelet's order, or the members of a
// chosen combination), the least sum of squares over every way to count a given number of
// items and hand out a given number of remainder groups round-robin, so that a minimum and the
// lexicographically first choice within a bound are found in polynomial time.
//
// Round-robin over an ordered subset S, `groups` groups of `group` CPUs each: in round j every
// member that can still give a group gives one, until the groups run out. The outcome is
// described by `level` = the number of completed rounds: a member able to give at most
// cap <= level groups gives cap; the others give level, plus one each for the first of them
// in list order (the unfinished round). Every subset's outcome is one (level, cut) pattern,
// and every pattern whose groups add up is the outcome of its subset, so minimising over
// levels and cut points (the "phase" below) minimises over subsets.
#pragma once

#include <cstdint>
#include <vector>

namespace podalloc::internal::cpu {

// One list entry and what it adds to the sum of squares.
struct BalanceItem {
  int64_t skip_cost = 0;   // not counted
  bool countable = false;  // may be counted without giving remainder groups
  int64_t count_cost = 0;  // counted, no remainder groups
  int left = 0;            // CPUs it keeps before remainder groups
  int cap = 0;             // remainder groups it can give (0: it takes no part in them)
};

class BalanceTable {
 public:
  static constexpr int64_t kNone = INT64_MAX / 4;

  // `max_count`: the largest count asked later; `groups`: remainder groups to hand out;
  // `level`: completed round-robin rounds (0 .. groups).
  BalanceTable(const std::vector<BalanceItem>& items, int group, int max_count, int groups,
               int level);

  // Least sum of squares with exactly `count` items counted and every group handed out;
  // kNone when impossible.
  int64_t Min(int count) const { return at(0, count, groups_, 0); }

  // Positions of the counted items of the lexicographically first choice of `count` items
  // whose sum of squares is at most `bound` (empty when none is).
  std::vector<int> LexFirst(int count, int64_t bound) const;

 private:
  int index(int p, int rc, int re, int ph) const {
    return ((p * (max_count_ + 1) + rc) * (groups_ + 1) + re) * 2 + ph;
  }
  int64_t at(int p, int rc, int re, int ph) const { return table_[index(p, rc, re, ph)]; }
  // Groups a member gives in this level, before (ph 0) or after (ph 1) the cut.
  int Given(const BalanceItem& item, int ph) const {
    return item.cap <= level_ ? item.cap : level_ + (ph == 0 ? 1 : 0);
  }
  int64_t GivingCost(const BalanceItem& item, int given) const {
    const int64_t v = item.left - static_cast<int64_t>(group_) * given;
    return v * v;
  }

  const std::vector<BalanceItem>& items_;
  int group_, max_count_, groups_, level_;
  // table_[p][rc][re][ph]: least cost of items p.. that counts exactly rc more items and hands
  // out exactly re more groups, in phase ph (0 = before the cut; a phase-0 state may cut).
  std::vector<int64_t> table_;
};

}  // namespace podalloc::internal::cpu
