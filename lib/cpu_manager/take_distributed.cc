// takeByTopologyNUMADistributed (distribute-cpus-across-numa, KEP-2902).
//
// Two details of the kubelet's Go code decide results and are reproduced on purpose:
//  * balance scores are population standard deviations with mean and result each rounded to
//    3 decimals, compared with a strict "<" (first best wins);
//  * iterateCombinations hands the callback slices built with append() on shared backing
//    arrays. For combinations of 4 or more NUMA nodes the slice the kubelet keeps as "best"
//    can be overwritten by later combinations before it is used; GoSlice (go_combinations.h)
//    replays Go's append so the same NUMA nodes come out.
// Where the kubelet would loop forever (a remainder that round-robin cannot hand out), this
// code skips the subset or reports the accounting error instead.
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "cpu_layout.h"
#include "go_combinations.h"

namespace podalloc::internal::cpu {
namespace {

double Round3(double x) { return std::round(x * 1000) / 1000; }

// Values in ascending NUMA order (the kubelet's map order is random; the sum of integers is
// exact either way).
double StandardDeviation(const std::map<int, int>& values) {
  double sum = 0;
  for (const auto& [k, v] : values) sum += v;
  const double mean = Round3(sum / static_cast<double>(values.size()));
  double sq = 0;
  for (const auto& [k, v] : values) sq += (v - mean) * (v - mean);
  return Round3(std::sqrt(sq / static_cast<double>(values.size())));
}

CpuSet FreeInNuma(const Accumulator& acc, int n) {
  Words w{};
  const uint64_t* mask = acc.L.numas.mask(n, acc.L.nw);
  for (int i = 0; i < acc.L.nw; ++i) w[i] = acc.free[i] & mask[i];
  return WordsToCpuSet(w, acc.L.nw);
}

void TakeSet(Accumulator& acc, const CpuSet& cpus) {
  Words w{};
  for (int i = 0; i < acc.L.nw; ++i) w[i] = cpus.words()[i];
  acc.TakeWords(w);
}

}  // namespace

absl::StatusOr<CpuSet> TakeDistributed(const CpuLayoutData& L, const CpuSet& available,
                                       int num_cpus, int group, CpuSortingStrategy strategy) {
  if (group <= 0) {
    return absl::InvalidArgumentError(absl::StrCat("cpu group size ", group, " is not positive"));
  }
  if (num_cpus % group != 0) return TakePacked(L, available, num_cpus, strategy, false);

  Accumulator acc(L, available, num_cpus, strategy);
  if (acc.IsSatisfied()) return CpuSet();
  if (acc.IsFailed()) {
    return absl::ResourceExhaustedError(
        absl::StrCat("not enough cpus available to satisfy request: requested=", num_cpus,
                     ", available=", available.Size()));
  }

  const std::vector<int> numas = acc.SortedNumas();
  std::map<int, int> free_count;  // NUMA index -> free CPUs (distinct keys)
  for (int n : numas) free_count[n] = acc.NumaFree(n);

  // rangeNUMANodesNeededToSatisfy.
  const int num_numa = L.numas.count();
  const int groups_total = (L.num_cpus - 1) / group + 1;
  const int groups_per_numa = (groups_total - 1) / num_numa + 1;
  const int groups_needed = (num_cpus - 1) / group + 1;
  const int min_k = (groups_needed - 1) / groups_per_numa + 1;
  const int max_k = std::min(groups_needed, static_cast<int>(free_count.size()));

  for (int k = min_k; k <= max_k; ++k) {
    double best_balance = std::numeric_limits<double>::max();
    GoSlice best_combo, best_remainder;
    bool have_best = false;
    IterateCombinations(numas, k, [&](const GoSlice& combo) {
      if (best_balance == 0) return true;
      const std::vector<int> members = combo.Elements();
      // CPUsInNUMANodes(combo...) is a set: a repeated node counts once.
      std::map<int, int> distinct;
      for (int n : members) distinct[n] = free_count[n];
      int in_combo = 0;
      for (const auto& [n, c] : distinct) in_combo += c;
      if (in_combo < num_cpus) return false;
      int groups = 0;
      for (int n : members) groups += free_count[n] / group;
      if (groups * group < num_cpus) return false;
      const int distribution = (num_cpus / k / group) * group;
      for (int n : members) {
        if (free_count[n] < distribution) return false;
      }
      std::map<int, int> after = free_count;
      for (int n : members) after[n] -= distribution;
      const int remainder = num_cpus - distribution * k;
      std::vector<int> remainder_combo;
      for (int n : members) {
        if (after[n] >= group) remainder_combo.push_back(n);
      }
      double best_local = std::numeric_limits<double>::max();
      GoSlice best_local_remainder;
      if (remainder == 0) best_local = StandardDeviation(after);
      for (int kk = static_cast<int>(remainder_combo.size()); remainder > 0 && kk >= 1; --kk) {
        IterateCombinations(remainder_combo, kk, [&](const GoSlice& subset) {
          const std::vector<int> sub = subset.Elements();
          std::map<int, int> trial = after;
          int left = remainder;
          int sum = 0;
          for (int n : sub) sum += trial[n];
          if (sum < left) return false;
          while (left > 0) {
            bool progress = false;
            for (int n : sub) {
              if (left == 0) break;
              if (trial[n] < group) continue;
              trial[n] -= group;
              left -= group;
              progress = true;
            }
            if (!progress) return false;  // the kubelet would spin here forever
          }
          const double balance = StandardDeviation(trial);
          if (balance < best_local) {
            best_local = balance;
            best_local_remainder = subset;
          }
          return false;
        });
      }
      if (best_local < best_balance) {
        best_balance = best_local;
        best_remainder = best_local_remainder;
        best_combo = combo;
        have_best = true;
      }
      return false;
    });
    if (!have_best) continue;

    // The kept slices are read only now, after every later combination had its turn.
    const std::vector<int> combo = best_combo.Elements();
    const std::vector<int> rest = best_remainder.Elements();
    const int distribution = (num_cpus / static_cast<int>(combo.size()) / group) * group;
    for (int n : combo) {
      // Errors of the inner takes are ignored, as in the kubelet (nothing is taken then).
      auto cpus = TakePacked(L, FreeInNuma(acc, n), distribution, strategy, false);
      if (cpus.ok()) TakeSet(acc, *cpus);
    }
    int remainder = num_cpus - distribution * static_cast<int>(combo.size());
    while (remainder > 0) {
      bool progress = false;
      for (int n : rest) {
        if (remainder == 0) break;
        if (acc.NumaFree(n) < group) continue;
        auto cpus = TakePacked(L, FreeInNuma(acc, n), group, strategy, false);
        if (cpus.ok()) TakeSet(acc, *cpus);
        remainder -= group;
        progress = true;
      }
      if (!progress) break;
    }
    if (acc.needed > 0) {
      return absl::InternalError(
          absl::StrCat("accounting error, not enough CPUs allocated, remaining: ", acc.needed));
    }
    if (acc.needed < 0) {
      return absl::InternalError(
          absl::StrCat("accounting error, too many CPUs allocated, remaining: ", acc.needed));
    }
    return WordsToCpuSet(acc.result, L.nw);
  }
  return TakePacked(L, available, num_cpus, strategy, false);
}

}  // namespace podalloc::internal::cpu

namespace podalloc {

absl::StatusOr<CpuSet> TakeByTopologyNumaDistributed(const CpuLayout& layout,
                                                     const CpuSet& available, int num_cpus,
                                                     int cpu_group_size,
                                                     CpuSortingStrategy strategy) {
  return internal::cpu::TakeDistributed(layout.data(), available, num_cpus, cpu_group_size,
                                        strategy);
}

absl::StatusOr<CpuSet> TakeByTopologyNumaDistributed(const Topology& topology,
                                                     const CpuSet& available, int num_cpus,
                                                     int cpu_group_size,
                                                     CpuSortingStrategy strategy) {
  return TakeByTopologyNumaDistributed(CpuLayout(topology), available, num_cpus, cpu_group_size,
                                       strategy);
}

}  // namespace podalloc
