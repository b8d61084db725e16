// Hint merging: podalloc's MergeHints on compact (capacity-family) providers, and beside it for
// N <= 8 the kubelet's algorithm (the brute-force model of tests/unit/topology_manager/
// reference) on the very same hints listed out, so the ratio shows in one run.
// Machine: N NUMA nodes in two sockets (distances 10 local, 11 same socket, 21 across), 16 CPUs,
// 64 GiB and, on every third node, one GPU per node; a partly used node (free CPUs and memory
// vary by node). Pod: 6 CPUs, 20 GiB (and 1 GPU with 3 providers): the kubelet's "aligned"
// case — a single node fits everything, and the merge has to find the best one.
// "Spill" variant: 24 CPUs (more than a node has) with 20 GiB, so no preferred merge exists
// and the non-preferred ranking decides.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "podalloc/hint.h"
#include "bench_hints.h"
#include "podalloc/topology_manager.h"
// The brute-force model is test code; it is compiled into the benchmark only.
#include "../tests/unit/topology_manager/reference/kubelet_merge.cc"

namespace podalloc {
namespace {

constexpr uint64_t kGiB = uint64_t{1} << 30;

struct Scenario {
  NumaInfo numa;
  reference::Machine machine;
  std::vector<ProviderHints> providers;           // compact
  std::vector<ProviderHints> listed_providers;    // the same hints as kubelet lists
};

using bench::CapacityFamilyOf;

Scenario Build(int n, int providers, uint64_t cpus, uint64_t mem_gib) {
  Scenario s;
  std::vector<NumaInfoNode> nodes;
  for (int i = 0; i < n; ++i) {
    std::vector<uint64_t> row(n);
    for (int j = 0; j < n; ++j) {
      row[j] = i == j ? 10 : ((i < n / 2) == (j < n / 2) ? 11 : 21);
    }
    nodes.push_back({i, row});
    s.machine.nodes.push_back(i);
    s.machine.distances[i] = row;
  }
  s.numa = *NumaInfo::Create(nodes, true);
  std::vector<uint64_t> cpu_cap(n, 16), cpu_free(n), mem_cap(n, 64 * kGiB), mem_free(n);
  std::vector<uint64_t> gpu(n, 0);
  for (int i = 0; i < n; ++i) {
    cpu_free[i] = static_cast<uint64_t>((i * 7 + 3) % 12);    // 3, 10, 5, 0, 7, ...
    mem_free[i] = static_cast<uint64_t>((i * 5 + 9) % 40) * kGiB;
    gpu[i] = i % 3 == 2 ? 1 : 0;
  }
  ProviderHints cpu, mem, dev;
  cpu.resources["cpu"] = ResourceHints::Capacity(
      CapacityFamilyOf(n, cpu_cap, cpu_free, cpus));
  mem.resources["memory"] = ResourceHints::Capacity(
      CapacityFamilyOf(n, mem_cap, mem_free, mem_gib * kGiB));
  dev.resources["example.com/gpu"] = ResourceHints::Capacity(
      CapacityFamilyOf(n, gpu, gpu, 1));
  s.providers = {cpu, mem};
  if (providers == 3) s.providers.push_back(dev);
  for (const ProviderHints& p : s.providers) {
    ProviderHints listed;
    if (n <= 8) {
      for (const auto& [name, r] : p.resources) {
        listed.resources[name] = ResourceHints::List(reference::ListCapacityHints(*r.capacity()));
      }
    }
    s.listed_providers.push_back(listed);
  }
  return s;
}

constexpr TopologyPolicy kPolicies[] = {TopologyPolicy::kNone, TopologyPolicy::kBestEffort,
                                        TopologyPolicy::kRestricted,
                                        TopologyPolicy::kSingleNumaNode};

void Label(benchmark::State& state, int n, int providers, TopologyPolicy policy) {
  state.SetLabel(std::string(TopologyPolicyName(policy)) + " N=" + std::to_string(n) + " " +
                 std::to_string(providers) + " providers");
  state.counters["numa_nodes"] = n;
  state.counters["providers"] = providers;
  state.SetItemsProcessed(state.iterations());
}

void Merge(benchmark::State& state, uint64_t cpus, uint64_t mem_gib, bool closest = false) {
  const int n = static_cast<int>(state.range(0));
  const int providers = static_cast<int>(state.range(1));
  const TopologyPolicy policy = kPolicies[state.range(2)];
  const Scenario s = Build(n, providers, cpus, mem_gib);
  TopologyPolicyOptions options;
  options.prefer_closest_numa = closest;
  for (auto _ : state) {
    absl::StatusOr<MergeResult> r = MergeHints(s.providers, policy, s.numa, options);
    benchmark::DoNotOptimize(r);
  }
  Label(state, n, providers, policy);
}

void KubeletMerge(benchmark::State& state, uint64_t cpus, uint64_t mem_gib) {
  const int n = static_cast<int>(state.range(0));
  const int providers = static_cast<int>(state.range(1));
  const TopologyPolicy policy = kPolicies[state.range(2)];
  const Scenario s = Build(n, providers, cpus, mem_gib);
  for (auto _ : state) {
    MergeResult r = reference::KubeletMerge(s.listed_providers, policy, s.machine, false);
    benchmark::DoNotOptimize(r);
  }
  Label(state, n, providers, policy);
}

void BM_MergeHints(benchmark::State& state) { Merge(state, 6, 20); }
void BM_KubeletMerge(benchmark::State& state) { KubeletMerge(state, 6, 20); }
void BM_MergeHintsSpill(benchmark::State& state) { Merge(state, 24, 20); }
void BM_KubeletMergeSpill(benchmark::State& state) { KubeletMerge(state, 24, 20); }
void BM_MergeHintsWide(benchmark::State& state) { Merge(state, 4 * state.range(0), 90); }
void BM_MergeHintsWideClosest(benchmark::State& state) {
  Merge(state, 4 * state.range(0), 90, true);
}

BENCHMARK(BM_MergeHints)->ArgsProduct({{2, 4, 8, 16, 24, 32, 64}, {2, 3}, {0, 1, 2, 3}});
BENCHMARK(BM_KubeletMerge)
    ->ArgsProduct({{2, 4, 8}, {2, 3}, {0, 1, 2, 3}})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MergeHintsSpill)->ArgsProduct({{2, 4, 8, 16, 24, 32, 64}, {2}, {1, 2}});
BENCHMARK(BM_KubeletMergeSpill)
    ->ArgsProduct({{2, 4, 8}, {2}, {1, 2}})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MergeHintsWide)->ArgsProduct({{8, 16, 32, 64}, {2}, {1}});
BENCHMARK(BM_MergeHintsWideClosest)->ArgsProduct({{8, 16, 32, 64}, {2}, {1}});

}  // namespace
}  // namespace podalloc
