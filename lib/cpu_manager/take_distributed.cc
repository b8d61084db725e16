// takeByTopologyNUMADistributed (distribute-cpus-across-numa, KEP-2902).
//
// For k = the fewest NUMA nodes that could hold the request upwards, the kubelet scores every
// k-combination of its NUMA list and every subset of it that could take the remainder groups,
// and takes from the first combination with the strictly lowest score. numa_balance.cc finds
// that same choice without the walk (polynomial in the NUMA count instead of 3^N). What the
// kubelet then does with it is reproduced here, including two details of its Go code:
//  * scores are population standard deviations with mean and result rounded to 3 decimals;
//  * iterateCombinations builds combinations with append() on shared backing arrays, so the
//    combination (and remainder subset) the kubelet keeps as "best" reads, once the
//    enumeration is over, partly as the last combination of the same prefix
//    (go_combinations.h): from 4 NUMA nodes on it takes from NUMA nodes other than the ones it
//    scored.
// Where the kubelet would loop forever (remainder groups no chosen NUMA node can give) the take
// fails with the kubelet's accounting error instead.
#include <optional>
#include <bit>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "cpu_layout.h"
#include "go_combinations.h"
#include "numa_balance.h"
#include "podalloc/status_macros.h"

namespace podalloc::internal::cpu {
namespace {

CpuSet FreeInNuma(const Accumulator& acc, int n) {
  Words w{};
  const uint64_t* mask = acc.L.numas.mask(n, acc.L.nw);
  for (int i = 0; i < acc.L.nw; ++i) w[i] = acc.free[i] & mask[i];
  return WordsToCpuSet(w, acc.L.nw);
}

// A packed take of `count` CPUs inside NUMA node `n`; the kubelet ignores its error (nothing
// is taken then).
void TakeFromNuma(Accumulator& acc, int n, int count, CpuSortingStrategy strategy) {
  auto cpus = TakePacked(acc.L, FreeInNuma(acc, n), count, strategy, false);
  if (!cpus.ok()) return;
  Words w{};
  for (int i = 0; i < acc.L.nw; ++i) w[i] = cpus->words()[i];
  acc.TakeWords(w);
}

absl::StatusOr<CpuSet> TakeChosen(Accumulator& acc, const std::vector<int>& numas,
                                  const BalancedChoice& choice, int num_cpus, int group,
                                  CpuSortingStrategy strategy) {
  const int listed = static_cast<int>(numas.size());
  const int k = static_cast<int>(choice.combination.size());
  std::optional<std::vector<int>> stopped;
  if (choice.perfect) {
    // The kubelet breaks out on the combination after the perfect one.
    stopped = NextCombination(choice.combination, listed).value_or(choice.combination);
  }
  const std::vector<int> combination =
      ReadKeptCombination(choice.combination, listed, stopped ? &*stopped : nullptr);
  const std::vector<int> remainder = ReadKeptCombination(
      choice.remainder, static_cast<int>(choice.remainder_candidates.size()), nullptr);

  const int share = (num_cpus / k / group) * group;
  for (int p : combination) TakeFromNuma(acc, numas[p], share, strategy);
  int owed = num_cpus - share * k;
  while (owed > 0) {
    bool progress = false;
    for (int i : remainder) {
      if (owed == 0) break;
      const int n = numas[choice.remainder_candidates[i]];
      if (acc.NumaFree(n) < group) continue;
      TakeFromNuma(acc, n, group, strategy);
      owed -= group;
      progress = true;
    }
    if (!progress) break;  // the kubelet would spin here forever
  }
  if (acc.needed > 0) {
    // The NUMA nodes the kubelet reads back could not give their share.
    return absl::ResourceExhaustedError(
        absl::StrCat("accounting error, not enough CPUs allocated, remaining: ", acc.needed));
  }
  if (acc.needed < 0) {
    return absl::InternalError(
        absl::StrCat("accounting error, too many CPUs allocated, remaining: ", acc.needed));
  }
  return WordsToCpuSet(acc.result, acc.L.nw);
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
  std::vector<int> ids, free;
  for (int n : numas) {
    ids.push_back(L.numas.ids[n]);
    free.push_back(acc.NumaFree(n));
  }

  // rangeNUMANodesNeededToSatisfy.
  const int num_numa = L.numas.count();
  const int groups_total = (L.num_cpus - 1) / group + 1;
  const int groups_per_numa = (groups_total - 1) / num_numa + 1;
  const int groups_needed = (num_cpus - 1) / group + 1;
  const int min_k = (groups_needed - 1) / groups_per_numa + 1;
  // NUMA nodes with a free CPU (the list repeats a node only on socket-first machines).
  uint64_t listed = 0;  // NUMA ids are below 64
  for (int id : ids) listed |= uint64_t{1} << id;
  const int available_numas = std::popcount(listed);
  const int max_k = std::min(groups_needed, available_numas);

  for (int k = min_k; k <= max_k; ++k) {
    PODALLOC_ASSIGN_OR_RETURN(std::optional<BalancedChoice> choice,
                              ChooseBalancedNumaNodes(ids, free, num_cpus, group, k));
    if (choice) return TakeChosen(acc, numas, *choice, num_cpus, group, strategy);
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
