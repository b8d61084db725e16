// File: lib/cpu_manager/numa_balance.h (private to the cpu_manager module)
// The choice inside the kubelet's takeByTopologyNUMADistributed for one number k of NUMA
// nodes: the k-combination of its NUMA list that balances best, and the subset of it that
// hands out the remainder groups, with the kubelet's scores and tie-breaks (first combination
// in enumeration order with the strictly lowest score; remainder subsets largest first).
// Positions refer to the kubelet's NUMA list (sortAvailableNUMANodes).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"

namespace podalloc::internal::cpu {

// The kubelet's balance score in thousandths: population standard deviation with mean and
// result rounded to 3 decimals. The sum of squared deviations is formed exactly in integers
// (the kubelet sums floating-point terms in Go's random map order; the two differ only when
// that sum sits on a rounding boundary, where the kubelet's own answer depends on the order).
// `sum_squares` = Σx², `sum` = Σx over `count` values.
int64_t BalanceMilli(int64_t sum_squares, int64_t sum, int count);
int64_t BalanceMilli(const std::vector<int>& values);

struct BalancedChoice {
  std::vector<int> combination;  // positions, ascending: the combination scoring best
  // Positions of the combination's members that can give a remainder group, ascending (the
  // kubelet's remainderCombo).
  std::vector<int> remainder_candidates;
  // Indices into remainder_candidates of the subset handing out the remainder (empty when
  // there is no remainder).
  std::vector<int> remainder;
  bool perfect = false;  // score 0: the kubelet stopped enumerating after the next combination
};

// Lists with the same NUMA node at two positions (socket-first machines whose NUMA node spans
// sockets) are searched by enumerating the kubelet's combinations, up to this many entries.
inline constexpr int kMaxEnumeratedNumaList = 12;

// `nodes[i]` is the NUMA node at list position i, `free[i]` its free CPUs. nullopt when no
// k-combination can take `num_cpus` in groups of `group`. An error only for a list with a
// repeated node longer than kMaxEnumeratedNumaList.
absl::StatusOr<std::optional<BalancedChoice>> ChooseBalancedNumaNodes(
    const std::vector<int>& nodes, const std::vector<int>& free, int num_cpus, int group, int k);

// The enumeration itself (any list; cost about 3^size).
std::optional<BalancedChoice> EnumerateBalancedNumaNodes(const std::vector<int>& nodes,
                                                         const std::vector<int>& free,
                                                         int num_cpus, int group, int k);

}  // namespace podalloc::internal::cpu
