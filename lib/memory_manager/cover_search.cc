#include "cover_search.h"

#include <algorithm>
#include <numeric>

namespace podalloc::internal {
namespace {

uint64_t SaturatingAdd(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

// Depth-first search over a fixed candidate order with an optimistic bound: for every
// dimension, the best `left` values still available must reach what is still needed.
class CoverSearch {
 public:
  CoverSearch(const CoverProblem& p, const std::vector<uint64_t>& need,
              std::vector<int> candidates)
      : p_(p), need_(need), cand_(std::move(candidates)), dims_(need.size()) {
    // Per dimension, the candidates by descending value, for the bound.
    by_value_.resize(dims_);
    for (size_t d = 0; d < dims_; ++d) {
      std::vector<int>& order = by_value_[d];
      order.resize(cand_.size());
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return p_.values[cand_[a]][d] > p_.values[cand_[b]][d];
      });
    }
  }

  bool Run(int count) { return Visit(0, count, need_); }

 private:
  bool Bounded(size_t from, int left, const std::vector<uint64_t>& need) const {
    for (size_t d = 0; d < dims_; ++d) {
      if (need[d] == 0) continue;
      uint64_t sum = 0;
      int taken = 0;
      for (int i : by_value_[d]) {
        if (static_cast<size_t>(i) < from) continue;
        if (taken == left || sum >= need[d]) break;
        sum = SaturatingAdd(sum, p_.values[cand_[i]][d]);
        ++taken;
      }
      if (sum < need[d]) return false;
    }
    return true;
  }

  bool Visit(size_t from, int left, const std::vector<uint64_t>& need) {
    if (std::all_of(need.begin(), need.end(), [](uint64_t n) { return n == 0; })) return true;
    if (left == 0 || from == cand_.size() || !Bounded(from, left, need)) return false;
    // With one dimension the bound is exact.
    if (dims_ == 1) return true;
    std::vector<uint64_t> rest = need;
    for (size_t d = 0; d < dims_; ++d) {
      const uint64_t v = p_.values[cand_[from]][d];
      rest[d] = rest[d] > v ? rest[d] - v : 0;
    }
    return Visit(from + 1, left - 1, rest) || Visit(from + 1, left, need);
  }

  const CoverProblem& p_;
  const std::vector<uint64_t>& need_;
  std::vector<int> cand_;  // indices into p_.ids, in search order
  size_t dims_;
  std::vector<std::vector<int>> by_value_;  // positions into cand_
};

// Candidates [0, prefix) minus `taken`, in the order that finds covers early: by their
// largest share of any still-needed dimension.
std::vector<int> SearchOrder(const CoverProblem& p, const std::vector<uint64_t>& need,
                             int prefix, const std::vector<bool>& taken) {
  std::vector<int> out;
  for (int i = 0; i < prefix; ++i) {
    if (!taken[i]) out.push_back(i);
  }
  auto share = [&](int i) {
    double best = 0;
    for (size_t d = 0; d < need.size(); ++d) {
      if (need[d] == 0) continue;
      best = std::max(best, static_cast<double>(p.values[i][d]) / static_cast<double>(need[d]));
    }
    return best;
  };
  std::stable_sort(out.begin(), out.end(), [&](int a, int b) { return share(a) > share(b); });
  return out;
}

bool CanCoverExcluding(const CoverProblem& p, int prefix, int count,
                       const std::vector<bool>& taken, const std::vector<uint64_t>& need) {
  CoverSearch search(p, need, SearchOrder(p, need, prefix, taken));
  return search.Run(count);
}

}  // namespace

bool CanCover(const CoverProblem& problem, int prefix, int count) {
  std::vector<bool> taken(problem.ids.size(), false);
  return CanCoverExcluding(problem, prefix, count, taken, problem.need);
}

std::optional<int> FewestCovering(const CoverProblem& problem, int at_least) {
  const int n = static_cast<int>(problem.ids.size());
  for (int count = std::max(at_least, 0); count <= n; ++count) {
    if (CanCover(problem, n, count)) return count;
  }
  return std::nullopt;
}

std::optional<NumaMask> SmallestCover(const CoverProblem& problem, int count) {
  const int n = static_cast<int>(problem.ids.size());
  if (count > n || !CanCover(problem, n, count)) return std::nullopt;
  // A mask compares by its highest node first, so pick the members from the top: each one
  // is the lowest candidate that still lets the others complete the cover below it.
  std::vector<bool> taken(n, false);
  std::vector<uint64_t> need = problem.need;
  NumaMask mask;
  int limit = n;  // members still to choose come from [0, limit)
  for (int left = count; left > 0; --left) {
    // Fewest candidates [0, t) among which `left` cover what is needed: monotone in t.
    int lo = left, hi = limit;
    while (lo < hi) {
      const int mid = (lo + hi) / 2;
      if (CanCoverExcluding(problem, mid, left, taken, need)) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    const int member = lo - 1;
    taken[member] = true;
    mask.Set(problem.ids[member]);
    for (size_t d = 0; d < need.size(); ++d) {
      const uint64_t v = problem.values[member][d];
      need[d] = need[d] > v ? need[d] - v : 0;
    }
    limit = member;
  }
  return mask;
}

}  // namespace podalloc::internal
