#include "balance_table.h"

#include <algorithm>

namespace podalloc::internal::cpu {
namespace {

int64_t Plus(int64_t a, int64_t b) {
  return a >= BalanceTable::kNone ? BalanceTable::kNone : a + b;
}

}  // namespace

BalanceTable::BalanceTable(const std::vector<BalanceItem>& items, int group, int max_count,
                           int groups, int level)
    : items_(items), group_(group), max_count_(max_count), groups_(groups), level_(level) {
  const int n = static_cast<int>(items.size());
  table_.assign(static_cast<size_t>(n + 1) * (max_count + 1) * (groups + 1) * 2, kNone);
  table_[index(n, 0, 0, 0)] = 0;
  table_[index(n, 0, 0, 1)] = 0;
  for (int p = n - 1; p >= 0; --p) {
    const BalanceItem& item = items[p];
    const int counts = std::min(max_count, n - p);
    for (int rc = 0; rc <= counts; ++rc) {
      for (int re = 0; re <= groups; ++re) {
        for (int ph = 1; ph >= 0; --ph) {
          int64_t best = Plus(at(p + 1, rc, re, ph), item.skip_cost);
          if (rc > 0) {
            if (item.countable) {
              best = std::min(best, Plus(at(p + 1, rc - 1, re, ph), item.count_cost));
            }
            const int given = Given(item, ph);
            if (item.cap > 0 && given <= re) {
              best = std::min(best,
                              Plus(at(p + 1, rc - 1, re - given, ph), GivingCost(item, given)));
            }
          }
          if (ph == 0) best = std::min(best, at(p, rc, re, 1));  // cut before this item
          table_[index(p, rc, re, ph)] = best;
        }
      }
    }
  }
}

std::vector<int> BalanceTable::LexFirst(int count, int64_t bound) const {
  const int n = static_cast<int>(items_.size());
  std::vector<int> chosen;
  if (count > max_count_ || Min(count) > bound) return chosen;
  const size_t states = static_cast<size_t>(max_count_ + 1) * (groups_ + 1) * 2;
  auto state = [&](int rc, int re, int ph) { return (rc * (groups_ + 1) + re) * 2 + ph; };
  // Least cost so far of each state reachable with the items chosen so far.
  std::vector<int64_t> cur(states, kNone), in(states), out(states);
  cur[state(count, groups_, 0)] = 0;
  for (int p = 0; p < n; ++p) {
    const BalanceItem& item = items_[p];
    for (int rc = 0; rc <= max_count_; ++rc) {
      for (int re = 0; re <= groups_; ++re) {
        cur[state(rc, re, 1)] = std::min(cur[state(rc, re, 1)], cur[state(rc, re, 0)]);
      }
    }
    std::fill(in.begin(), in.end(), kNone);
    std::fill(out.begin(), out.end(), kNone);
    bool can_count = false;
    // Keeps `cost` in `next` when the rest of the list can still finish within the bound.
    auto reach = [&](std::vector<int64_t>& next, int rc, int re, int ph, int64_t cost) {
      if (cost + at(p + 1, rc, re, ph) > bound) return false;
      next[state(rc, re, ph)] = std::min(next[state(rc, re, ph)], cost);
      return true;
    };
    for (int rc = 0; rc <= max_count_; ++rc) {
      for (int re = 0; re <= groups_; ++re) {
        for (int ph = 0; ph < 2; ++ph) {
          const int64_t c = cur[state(rc, re, ph)];
          if (c >= kNone) continue;
          reach(out, rc, re, ph, c + item.skip_cost);
          if (rc == 0) continue;
          if (item.countable) can_count |= reach(in, rc - 1, re, ph, c + item.count_cost);
          const int given = Given(item, ph);
          if (item.cap > 0 && given <= re) {
            can_count |= reach(in, rc - 1, re - given, ph, c + GivingCost(item, given));
          }
        }
      }
    }
    if (can_count) chosen.push_back(p);
    cur.swap(can_count ? in : out);
  }
  return chosen;
}

}  // namespace podalloc::internal::cpu
