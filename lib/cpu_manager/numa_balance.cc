// The best-balanced NUMA combination of takeByTopologyNUMADistributed, found with tables
// (balance_table.h) instead of the kubelet's walk over every k-combination and every subset of
// it. Exact: the score of a choice is a non-decreasing function of the sum of squares of the
// free counts left, so "strictly lowest score, first in enumeration order" is "first choice in
// order whose sum of squares is within the band of the least one's score". Cost
// O(levels · N · k · groups) per k, with N ≤ 64 NUMA nodes; the kubelet's is O(3^N).
#include <algorithm>
#include <cmath>
#include <functional>

#include "absl/strings/str_cat.h"
#include "balance_table.h"
#include "numa_balance.h"

namespace podalloc::internal::cpu {
namespace {

int64_t Square(int64_t v) { return v * v; }

// The largest sum of squares scoring no worse than `least` (the score never decreases as the
// sum of squares grows, with the sum of the values fixed).
int64_t ScoreBand(int64_t least, int64_t ceiling, int64_t sum, int count) {
  const int64_t score = BalanceMilli(least, sum, count);
  int64_t lo = least, hi = std::max(least, ceiling);
  while (lo < hi) {
    const int64_t mid = lo + (hi - lo + 1) / 2;
    if (BalanceMilli(mid, sum, count) <= score) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo;
}

// Round-robin levels worth a table: none but 0 without remainder groups; beyond the largest
// cap every member is exhausted and the outcome no longer changes.
int MaxLevel(const std::vector<BalanceItem>& items, int groups) {
  int cap = 0;
  for (const BalanceItem& item : items) cap = std::max(cap, item.cap);
  return std::min(groups, cap);
}

// The least sum of squares per level for each count 0..max_count.
std::vector<std::vector<int64_t>> LeastPerLevel(const std::vector<BalanceItem>& items, int group,
                                                int max_count, int groups) {
  std::vector<std::vector<int64_t>> least;
  for (int level = 0; level <= MaxLevel(items, groups); ++level) {
    const BalanceTable table(items, group, max_count, groups, level);
    std::vector<int64_t> row;
    for (int count = 0; count <= max_count; ++count) row.push_back(table.Min(count));
    least.push_back(std::move(row));
  }
  return least;
}

// The lexicographically first choice of `count` items within `bound`, over every level.
std::vector<int> FirstWithin(const std::vector<BalanceItem>& items, int group, int max_count,
                             int groups, const std::vector<std::vector<int64_t>>& least,
                             int count, int64_t bound) {
  std::vector<int> first;
  for (int level = 0; level < static_cast<int>(least.size()); ++level) {
    if (least[level][count] > bound) continue;
    std::vector<int> chosen =
        BalanceTable(items, group, max_count, groups, level).LexFirst(count, bound);
    if (first.empty() || chosen < first) first = std::move(chosen);
  }
  return first;
}

std::optional<BalancedChoice> ChooseByTables(const std::vector<int>& free, int num_cpus,
                                             int group, int k) {
  const int n = static_cast<int>(free.size());
  const int share = (num_cpus / k / group) * group;
  const int groups = (num_cpus - share * k) / group;
  // The kubelet's checks on a combination (enough CPUs in total and in whole groups) follow
  // from every member holding the even share and the remainder groups being handed out.
  std::vector<BalanceItem> items(n);
  int64_t ceiling = 0, total = 0;
  int members = 0;
  for (int p = 0; p < n; ++p) {
    const int f = free[p];
    ceiling += Square(f);
    total += f;
    BalanceItem& item = items[p];
    item.skip_cost = Square(f);
    if (f < share) continue;
    ++members;
    item.countable = true;
    item.left = f - share;
    item.count_cost = Square(item.left);
    item.cap = groups > 0 ? item.left / group : 0;
  }
  if (members < k) return std::nullopt;
  if (groups > 0) {
    // The remainder groups come from at most k members, each giving at most its cap.
    std::vector<int> caps;
    for (const BalanceItem& item : items) caps.push_back(item.cap);
    std::partial_sort(caps.begin(), caps.begin() + k, caps.end(), std::greater<>());
    int64_t most = 0;
    for (int i = 0; i < k; ++i) most += caps[i];
    if (most < groups) return std::nullopt;
  }

  const auto least = LeastPerLevel(items, group, k, groups);
  int64_t best = BalanceTable::kNone;
  for (const auto& row : least) best = std::min(best, row[k]);
  if (best >= BalanceTable::kNone) return std::nullopt;
  const int64_t left_total = total - num_cpus;
  const int64_t band = ScoreBand(best, ceiling, left_total, n);

  BalancedChoice choice;
  choice.perfect = BalanceMilli(best, left_total, n) == 0;
  choice.combination = FirstWithin(items, group, k, groups, least, k, band);
  for (int p : choice.combination) {
    if (items[p].left >= group) choice.remainder_candidates.push_back(p);
  }
  if (groups == 0) return choice;

  // The remainder subset of the chosen combination: largest subsets first, then in order.
  std::vector<BalanceItem> candidates;
  int64_t fixed = ceiling;
  for (int p : choice.combination) fixed += items[p].count_cost - items[p].skip_cost;
  for (int p : choice.remainder_candidates) {
    BalanceItem item = items[p];
    item.skip_cost = item.count_cost;
    item.countable = false;
    candidates.push_back(item);
    fixed -= item.count_cost;
  }
  const int size = static_cast<int>(candidates.size());
  const auto least_subset = LeastPerLevel(candidates, group, size, groups);
  for (int count = size; count >= 1; --count) {
    for (const auto& row : least_subset) {
      if (row[count] > band - fixed) continue;
      choice.remainder =
          FirstWithin(candidates, group, size, groups, least_subset, count, band - fixed);
      return choice;
    }
  }
  return choice;  // unreachable: the combination's own best subset is within the band
}

}  // namespace

int64_t BalanceMilli(int64_t sum_squares, int64_t sum, int count) {
  const auto mean_milli = static_cast<int64_t>(
      std::round(static_cast<double>(sum) / static_cast<double>(count) * 1000));
  // Σ(1000·x − mean_milli)², exact.
  const int64_t deviation =
      1000000 * sum_squares - 2000 * mean_milli * sum + count * mean_milli * mean_milli;
  const double sd = std::sqrt(static_cast<double>(deviation) / 1e6 / count);
  return static_cast<int64_t>(std::round(sd * 1000));
}

int64_t BalanceMilli(const std::vector<int>& values) {
  int64_t sum_squares = 0, sum = 0;
  for (int v : values) {
    sum_squares += Square(v);
    sum += v;
  }
  return BalanceMilli(sum_squares, sum, static_cast<int>(values.size()));
}

absl::StatusOr<std::optional<BalancedChoice>> ChooseBalancedNumaNodes(
    const std::vector<int>& nodes, const std::vector<int>& free, int num_cpus, int group, int k) {
  uint64_t seen = 0;  // NUMA ids are below 64
  for (int node : nodes) {
    const uint64_t bit = uint64_t{1} << node;
    if ((seen & bit) == 0) {
      seen |= bit;
      continue;
    }
    if (static_cast<int>(nodes.size()) > kMaxEnumeratedNumaList) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "distribute-cpus-across-numa: NUMA node ", node,
          " holds CPUs of several sockets and is listed once per socket; such a list is "
          "searched as the kubelet walks it, which is bounded to ",
          kMaxEnumeratedNumaList, " entries, and this one has ", nodes.size()));
    }
    return EnumerateBalancedNumaNodes(nodes, free, num_cpus, group, k);
  }
  return ChooseByTables(free, num_cpus, group, k);
}

}  // namespace podalloc::internal::cpu
