#include "reference/kubelet_distributed.h"

#include <limits>
#include <map>

#include "absl/strings/str_cat.h"
#include "cpu_layout.h"
#include "numa_balance.h"

namespace podalloc::reference {
namespace {

using internal::cpu::Accumulator;
using NumaCounts = std::map<int, int>;  // NUMA index -> free CPUs (the kubelet's mapIntInt)

int64_t Score(const NumaCounts& counts) {
  std::vector<int> values;
  for (const auto& [numa, free] : counts) values.push_back(free);
  return internal::cpu::BalanceMilli(values);
}

CpuSet FreeInNuma(const Accumulator& acc, int n) {
  CpuSet out;
  for (int cpu : acc.L.all) {
    if (acc.L.numa_of[cpu] == n && internal::cpu::TestBit(acc.free.data(), cpu)) out.Add(cpu);
  }
  return out;
}

void TakePackedFromNuma(Accumulator& acc, int n, int count, CpuSortingStrategy strategy) {
  auto cpus = internal::cpu::TakePacked(acc.L, FreeInNuma(acc, n), count, strategy, false);
  if (!cpus.ok()) return;  // ignored, as in the kubelet
  internal::cpu::Words w{};
  for (int cpu : *cpus) w[cpu >> 6] |= uint64_t{1} << (cpu & 63);
  acc.TakeWords(w);
}

}  // namespace

GoSlice Append(const GoSlice& s, int value) {
  if (s.len < s.cap()) {
    (*s.array)[s.len] = value;
    return GoSlice{s.array, s.len + 1};
  }
  const int new_cap = s.cap() == 0 ? 1 : 2 * s.cap();
  auto grown = std::make_shared<std::vector<int>>(new_cap, 0);
  for (int i = 0; i < s.len; ++i) (*grown)[i] = (*s.array)[i];
  (*grown)[s.len] = value;
  return GoSlice{grown, s.len + 1};
}

absl::StatusOr<CpuSet> KubeletTakeDistributed(const CpuLayout& layout, const CpuSet& available,
                                              int num_cpus, int group,
                                              CpuSortingStrategy strategy) {
  const internal::cpu::CpuLayoutData& L = layout.data();
  if (num_cpus % group != 0) {
    return internal::cpu::TakePacked(L, available, num_cpus, strategy, false);
  }
  Accumulator acc(L, available, num_cpus, strategy);
  if (acc.IsSatisfied()) return CpuSet();
  if (acc.IsFailed()) {
    return absl::ResourceExhaustedError(
        absl::StrCat("not enough cpus available to satisfy request: requested=", num_cpus,
                     ", available=", available.Size()));
  }
  const std::vector<int> numas = acc.SortedNumas();
  NumaCounts free;
  for (int n : numas) free[n] = acc.NumaFree(n);

  const int groups_total = (L.num_cpus - 1) / group + 1;
  const int groups_per_numa = (groups_total - 1) / L.numas.count() + 1;
  const int groups_needed = (num_cpus - 1) / group + 1;
  const int min_k = (groups_needed - 1) / groups_per_numa + 1;
  const int max_k = std::min(groups_needed, static_cast<int>(free.size()));

  for (int k = min_k; k <= max_k; ++k) {
    int64_t best_balance = std::numeric_limits<int64_t>::max();
    GoSlice best_combo, best_remainder;
    IterateCombinations(numas, k, [&](const GoSlice& combo) {
      if (best_balance == 0) return true;
      const std::vector<int> members = combo.Elements();
      NumaCounts distinct;  // CPUsInNUMANodes(combo...) is a set
      for (int n : members) distinct[n] = free[n];
      int in_combo = 0, groups = 0;
      for (const auto& [n, c] : distinct) in_combo += c;
      if (in_combo < num_cpus) return false;
      for (int n : members) groups += free[n] / group;
      if (groups * group < num_cpus) return false;
      const int distribution = (num_cpus / k / group) * group;
      for (int n : members) {
        if (free[n] < distribution) return false;
      }
      NumaCounts after = free;
      for (int n : members) after[n] -= distribution;
      const int remainder = num_cpus - distribution * k;
      std::vector<int> remainder_combo;
      for (int n : members) {
        if (after[n] >= group) remainder_combo.push_back(n);
      }
      int64_t best_local = std::numeric_limits<int64_t>::max();
      GoSlice best_local_remainder;
      if (remainder == 0) best_local = Score(after);
      for (int kk = static_cast<int>(remainder_combo.size()); remainder > 0 && kk >= 1; --kk) {
        IterateCombinations(remainder_combo, kk, [&](const GoSlice& subset) {
          const std::vector<int> sub = subset.Elements();
          NumaCounts trial = after;
          int left = remainder, sum = 0;
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
          const int64_t balance = Score(trial);
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
      }
      return false;
    });
    if (best_combo.len == 0) continue;

    // Read only now, after every later combination had its turn.
    const std::vector<int> combo = best_combo.Elements();
    const std::vector<int> rest = best_remainder.Elements();
    const int distribution = (num_cpus / k / group) * group;
    for (int n : combo) TakePackedFromNuma(acc, n, distribution, strategy);
    int remainder = num_cpus - distribution * k;
    while (remainder > 0) {
      bool progress = false;
      for (int n : rest) {
        if (remainder == 0) break;
        if (acc.NumaFree(n) < group) continue;
        TakePackedFromNuma(acc, n, group, strategy);
        remainder -= group;
        progress = true;
      }
      if (!progress) break;
    }
    if (acc.needed > 0) {
      return absl::ResourceExhaustedError(
          absl::StrCat("accounting error, not enough CPUs allocated, remaining: ", acc.needed));
    }
    if (acc.needed < 0) {
      return absl::InternalError(
          absl::StrCat("accounting error, too many CPUs allocated, remaining: ", acc.needed));
    }
    return internal::cpu::WordsToCpuSet(acc.result, L.nw);
  }
  return internal::cpu::TakePacked(L, available, num_cpus, strategy, false);
}

}  // namespace podalloc::reference
