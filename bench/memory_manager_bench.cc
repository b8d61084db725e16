// Memory manager (Static policy) benchmarks: hints and allocation on machines with 2, 8 and
// 64 NUMA nodes, on a state already holding single-NUMA containers and a multi-NUMA group.
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "absl/strings/str_cat.h"
#include "podalloc/memory_checkpoint.h"
#include "podalloc/memory_manager.h"

namespace podalloc {
namespace {

constexpr uint64_t kGi = uint64_t{1} << 30;
constexpr MemoryResource kMemory = MemoryResource::Memory();
constexpr MemoryResource kHuge1G = MemoryResource::HugePages(kGi);

// `nodes` NUMA nodes of 64Gi with eight 1Gi hugepages each, 2Gi reserved per node: 54Gi of
// memory and 8Gi of hugepages allocatable per node.
struct Machine {
  MemoryStaticPolicy policy;
  MemoryManagerState state;  // even nodes from 2 on hold a 16Gi single-NUMA container;
                             // nodes 1 and 3 are a group holding 60Gi
  std::string label;
};

Machine MakeMachine(int nodes) {
  std::vector<NumaNodeInfo> infos;
  SystemReservedMemory reserved;
  for (int i = 0; i < nodes; ++i) {
    infos.push_back(NumaNodeInfo{.id = i, .memory_bytes = 64 * kGi,
                                 .hugepages = {HugePages{kGi, 8}}});
    reserved[i] = {MemoryAmount{kMemory, 2 * kGi}};
  }
  Machine m{
      *NewMemoryStaticPolicy(infos, reserved), {}, absl::StrCat(nodes, " NUMA x 64Gi + 8x1Gi")};
  (void)StartMemoryManager(m.policy, m.state);
  for (int i = 2; i < nodes; i += 2) {
    PodMemorySpec pod;
    pod.uid = absl::StrCat("single", i);
    pod.guaranteed = true;
    pod.containers = {ContainerMemorySpec{"c", MemoryContainerKind::kApp, {{kMemory, 16 * kGi}}}};
    (void)AllocateMemory(m.policy, pod, "c", TopologyHint::Of(NumaMask::Single(i), true), m.state);
  }
  if (nodes >= 4) {
    PodMemorySpec pod;
    pod.uid = "group";
    pod.guaranteed = true;
    pod.containers = {ContainerMemorySpec{"c", MemoryContainerKind::kApp, {{kMemory, 60 * kGi}}}};
    (void)AllocateMemory(m.policy, pod, "c", TopologyHint::Of(NumaMask{1, 3}, false), m.state);
  }
  return m;
}

const Machine& MachineOf(int nodes) {
  static const Machine two = MakeMachine(2), eight = MakeMachine(8), sixty_four = MakeMachine(64);
  return nodes == 2 ? two : nodes == 8 ? eight : sixty_four;
}

// A new pod asking for `memory_gi` of memory and `huge_gi` 1Gi pages (0 = none).
PodMemorySpec Request(uint64_t memory_gi, uint64_t huge_gi) {
  PodMemorySpec pod;
  pod.uid = "new";
  pod.guaranteed = true;
  MemoryAmounts r{{kMemory, memory_gi * kGi}};
  if (huge_gi > 0) r.push_back({kHuge1G, huge_gi * kGi});
  pod.containers = {ContainerMemorySpec{"c", MemoryContainerKind::kApp, r}};
  return pod;
}

void Label(benchmark::State& state, int nodes) {
  state.SetLabel(MachineOf(nodes).label);
  state.counters["numa_nodes"] = nodes;
  state.SetItemsProcessed(state.iterations());
}

// The kubelet-shaped lists (every mask tried): only up to 20 NUMA nodes.
void BM_MemoryHintsListed(benchmark::State& state) {
  const int nodes = static_cast<int>(state.range(0));
  const Machine& m = MachineOf(nodes);
  const PodMemorySpec pod = Request(static_cast<uint64_t>(state.range(1)), 2);
  for (auto _ : state) {
    auto hints = ContainerTopologyHints(m.policy, m.state, pod, "c");
    benchmark::DoNotOptimize(hints);
  }
  Label(state, nodes);
}
BENCHMARK(BM_MemoryHintsListed)->ArgsProduct({{2, 8}, {8, 100}});

// The compact form handed to the topology manager.
void BM_MemoryHintsCompact(benchmark::State& state) {
  const int nodes = static_cast<int>(state.range(0));
  const Machine& m = MachineOf(nodes);
  const PodMemorySpec pod = Request(static_cast<uint64_t>(state.range(1)), 2);
  for (auto _ : state) {
    auto hints = ContainerProviderHints(m.policy, m.state, pod, "c");
    benchmark::DoNotOptimize(hints);
  }
  Label(state, nodes);
}
BENCHMARK(BM_MemoryHintsCompact)->ArgsProduct({{2, 8, 64}, {8, 100}});

// The default affinity (narrowest hint) without listing hints.
void BM_MemoryNarrowestHint(benchmark::State& state) {
  const int nodes = static_cast<int>(state.range(0));
  const Machine& m = MachineOf(nodes);
  const MemoryAmounts request{{kMemory, static_cast<uint64_t>(state.range(1)) * kGi},
                              {kHuge1G, 2 * kGi}};
  for (auto _ : state) {
    MemoryHintSpace space(m.state.machine, request, nullptr);
    auto best = space.NarrowestContaining(NumaMask());
    benchmark::DoNotOptimize(best);
  }
  Label(state, nodes);
}
BENCHMARK(BM_MemoryNarrowestHint)->ArgsProduct({{2, 8, 64}, {8, 100}});

// Allocate then release one container, which leaves the state as it was: a nil affinity
// (default hint), an affinity that fits, and one that must be extended to more nodes.
void BM_MemoryAllocateRelease(benchmark::State& state) {
  const int nodes = static_cast<int>(state.range(0));
  const int kind = static_cast<int>(state.range(1));
  MemoryManagerState s = MachineOf(nodes).state;
  const MemoryStaticPolicy& policy = MachineOf(nodes).policy;
  const PodMemorySpec pod = Request(kind == 2 ? 100 : 8, 2);
  const TopologyHint affinity = kind == 0 ? TopologyHint::Any(false)
                                          : TopologyHint::Of(NumaMask{nodes - 1}, false);
  for (auto _ : state) {
    auto d = AllocateMemory(policy, pod, "c", affinity, s);
    benchmark::DoNotOptimize(d);
    RemoveMemoryContainer(policy, "new", "c", s);
    benchmark::ClobberMemory();
  }
  state.SetLabel(absl::StrCat(MachineOf(nodes).label, kind == 0   ? ", nil affinity"
                                                      : kind == 1 ? ", fitting affinity"
                                                                  : ", extended affinity"));
  state.counters["numa_nodes"] = nodes;
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MemoryAllocateRelease)->ArgsProduct({{2, 8, 64}, {0, 1, 2}});

// What copying a prepared state costs (for callers that keep the old state).
void BM_MemoryStateCopy(benchmark::State& state) {
  const int nodes = static_cast<int>(state.range(0));
  for (auto _ : state) {
    MemoryManagerState copy = MachineOf(nodes).state;
    benchmark::DoNotOptimize(copy);
  }
  Label(state, nodes);
}
BENCHMARK(BM_MemoryStateCopy)->Arg(2)->Arg(8)->Arg(64);

void BM_MemoryCheckpointRoundTrip(benchmark::State& state) {
  const int nodes = static_cast<int>(state.range(0));
  const MemoryManagerState& s = MachineOf(nodes).state;
  const MemoryCheckpoint checkpoint{"Static", s.machine, s.assignments, s.pod_assignments};
  for (auto _ : state) {
    auto back = DecodeMemoryCheckpoint(EncodeMemoryCheckpoint(checkpoint));
    benchmark::DoNotOptimize(back);
  }
  Label(state, nodes);
}
BENCHMARK(BM_MemoryCheckpointRoundTrip)->Arg(2)->Arg(8)->Arg(64);

}  // namespace
}  // namespace podalloc
