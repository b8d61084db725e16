#include "cover_search.h"

#include <algorithm>
#include <numeric>

#include "podalloc/internal/checked_math.h"

namespace podalloc::internal {
namespace {

// Candidate sets are 64-bit masks over candidate positions. Each query asks whether some
// `count` candidates of a set cover a need: depth-first over the candidates in a fixed order,
// pruned by an optimistic bound (per dimension, the best `left` values still available).
class CoverSearcher {
 public:
  explicit CoverSearcher(const CoverProblem& p) : p_(p), n_(static_cast<int>(p.ids.size())) {
    by_value_.resize(p_.dims);
    for (size_t d = 0; d < p_.dims; ++d) {
      std::vector<int>& order = by_value_[d];
      order.resize(n_);
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(),
                       [&](int a, int b) { return Value(a, d) > Value(b, d); });
    }
    // Search first the candidates that bring the largest share of some needed dimension.
    std::vector<double> share(n_, 0);
    for (int i = 0; i < n_; ++i) {
      for (size_t d = 0; d < p_.dims; ++d) {
        if (p_.need[d] == 0) continue;
        share[i] = std::max(share[i], static_cast<double>(Value(i, d)) /
                                          static_cast<double>(p_.need[d]));
      }
    }
    search_order_.resize(n_);
    std::iota(search_order_.begin(), search_order_.end(), 0);
    std::stable_sort(search_order_.begin(), search_order_.end(),
                     [&](int a, int b) { return share[a] > share[b]; });
  }

  uint64_t All() const { return n_ == 64 ? ~uint64_t{0} : (uint64_t{1} << n_) - 1; }

  // Whether at most `count` candidates of `allowed` cover `need`.
  bool CanCover(uint64_t allowed, int count, const std::vector<uint64_t>& need) const {
    std::vector<uint64_t> scratch = need;
    return Visit(0, allowed, count, scratch);
  }

  uint64_t Value(int i, size_t d) const { return p_.values[static_cast<size_t>(i) * p_.dims + d]; }

 private:
  bool Bounded(uint64_t allowed, int left, const std::vector<uint64_t>& need) const {
    for (size_t d = 0; d < p_.dims; ++d) {
      if (need[d] == 0) continue;
      uint64_t sum = 0;
      int taken = 0;
      for (int i : by_value_[d]) {
        if (taken == left || sum >= need[d]) break;
        if (!((allowed >> i) & 1)) continue;
        sum = SaturatingAdd(sum, Value(i, d));
        ++taken;
      }
      if (sum < need[d]) return false;
    }
    return true;
  }

  bool Visit(size_t from, uint64_t allowed, int left, std::vector<uint64_t>& need) const {
    if (std::all_of(need.begin(), need.end(), [](uint64_t x) { return x == 0; })) return true;
    if (left == 0 || allowed == 0 || !Bounded(allowed, left, need)) return false;
    if (p_.dims == 1) return true;  // with one dimension the bound is exact
    while (from < search_order_.size() && !((allowed >> search_order_[from]) & 1)) ++from;
    const int i = search_order_[from];
    const uint64_t rest = allowed & ~(uint64_t{1} << i);
    std::vector<uint64_t> with = need;
    for (size_t d = 0; d < p_.dims; ++d) with[d] = with[d] > Value(i, d) ? with[d] - Value(i, d) : 0;
    return Visit(from + 1, rest, left - 1, with) || Visit(from + 1, rest, left, need);
  }

  const CoverProblem& p_;
  int n_;
  std::vector<std::vector<int>> by_value_;  // per dimension, candidates by descending value
  std::vector<int> search_order_;
};

// Fewest candidates any single dimension needs: a lower bound for all of them together.
int LowerBound(const CoverSearcher& s, const CoverProblem& p) {
  int bound = 0;
  for (size_t d = 0; d < p.dims; ++d) {
    std::vector<uint64_t> v(p.ids.size());
    for (size_t i = 0; i < v.size(); ++i) v[i] = s.Value(static_cast<int>(i), d);
    std::sort(v.rbegin(), v.rend());
    uint64_t sum = 0;
    int k = 0;
    while (sum < p.need[d] && k < static_cast<int>(v.size())) sum = SaturatingAdd(sum, v[k++]);
    bound = std::max(bound, k);
  }
  return bound;
}

// Whether one candidate alone covers the need: the usual answer for a container that fits on
// one node, found without sorting the candidates for the search.
bool OneCovers(const CoverProblem& p) {
  for (size_t i = 0; i < p.ids.size(); ++i) {
    bool covers = true;
    for (size_t d = 0; d < p.dims && covers; ++d) covers = p.values[i * p.dims + d] >= p.need[d];
    if (covers) return true;
  }
  return false;
}

}  // namespace

std::optional<int> FewestCovering(const CoverProblem& problem, int at_least) {
  if (at_least == 1 && OneCovers(problem)) return 1;
  const CoverSearcher s(problem);
  const int n = static_cast<int>(problem.ids.size());
  for (int count = std::max({at_least, 0, LowerBound(s, problem)}); count <= n; ++count) {
    if (s.CanCover(s.All(), count, problem.need)) return count;
  }
  return std::nullopt;
}

std::optional<NumaMask> SmallestCover(const CoverProblem& problem, int count) {
  const CoverSearcher s(problem);
  const int n = static_cast<int>(problem.ids.size());
  if (count > n || !s.CanCover(s.All(), count, problem.need)) return std::nullopt;
  // A mask compares by its highest node first, so pick the members from the top: each one
  // is the lowest candidate that still lets the others complete the cover below it.
  std::vector<uint64_t> need = problem.need;
  NumaMask mask;
  int limit = n;  // members still to choose come from candidates [0, limit)
  for (int left = count; left > 0; --left) {
    // Fewest candidates [0, t) among which `left` cover what is needed: monotone in t.
    int lo = left, hi = limit;
    while (lo < hi) {
      const int mid = (lo + hi) / 2;
      if (s.CanCover((uint64_t{1} << mid) - 1, left, need)) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    const int member = lo - 1;
    mask.Set(problem.ids[member]);
    for (size_t d = 0; d < problem.dims; ++d) {
      const uint64_t v = s.Value(member, d);
      need[d] = need[d] > v ? need[d] - v : 0;
    }
    limit = member;
  }
  return mask;
}

}  // namespace podalloc::internal
