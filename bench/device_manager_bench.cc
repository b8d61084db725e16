// Device manager: GetTopologyHints for a 3-container GPU pod, and the 3-provider merge (CPU,
// memory, devices) through MergeHints at 8 and 64 NUMA nodes.
// Machine: N NUMA nodes in two sockets (distances 10 local, 11 same socket, 21 across), two
// GPUs per node ("local": each on its node; "paired": each local to its node and the next one,
// which takes the exact oracle path instead of the capacity family); every fourth node's GPUs
// are held by another pod. Pod: containers asking 1, 2 and 4 GPUs. The CPU and memory hints
// are capacity families as those managers build them (16 CPUs and 64 GiB per node, partly
// used); the pod asks 6 CPUs and 20 GiB.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "podalloc/device_manager.h"
#include "podalloc/quantity.h"
#include "bench_hints.h"
#include "podalloc/topology_manager.h"

namespace podalloc {
namespace {

constexpr uint64_t kGiB = uint64_t{1} << 30;
constexpr char kGpu[] = "nvidia.com/gpu";

struct DeviceScenario {
  DeviceManager manager;
  Pod pod;
  NumaInfo numa;
};

DeviceScenario Build(int n, bool paired) {
  std::vector<int> ids;
  std::vector<NumaInfoNode> nodes;
  for (int i = 0; i < n; ++i) {
    ids.push_back(i);
    std::vector<uint64_t> row(n);
    for (int j = 0; j < n; ++j) row[j] = i == j ? 10 : ((i < n / 2) == (j < n / 2) ? 11 : 21);
    nodes.push_back({i, row});
  }
  DeviceScenario s{DeviceManager(ids), Pod(), *NumaInfo::Create(nodes, true)};
  std::vector<PluginDevice> gpus;
  DeviceEntry held;
  for (int i = 0; i < n; ++i) {
    for (int k = 0; k < 2; ++k) {
      PluginDevice d{"GPU-" + std::to_string(i) + "-" + std::to_string(k), kDeviceHealthy,
                     std::vector<int64_t>{i}};
      if (paired) d.numa_nodes->push_back((i + 1) % n);
      if (i % 4 == 1) held.devices_per_numa[i].push_back(d.id);
      gpus.push_back(std::move(d));
    }
  }
  s.manager.RegisterPlugin(kGpu);
  if (!s.manager.UpdateDevices(kGpu, gpus).ok()) std::abort();
  s.manager.SetEntry("other-pod", "app", kGpu, held);
  s.pod.uid = "gpu-pod";
  for (int c = 0; c < 3; ++c) {
    Container container;
    container.name = "c" + std::to_string(c);
    container.resources.limits[kGpu] = Quantity::FromMilli(int64_t{1000} << c);
    s.pod.containers.push_back(container);
  }
  return s;
}

void Label(benchmark::State& state, int n, bool paired) {
  state.SetLabel("N=" + std::to_string(n) + (paired ? " paired GPUs" : " local GPUs"));
  state.counters["numa_nodes"] = n;
  state.SetItemsProcessed(state.iterations());
}

// Hints of the three containers (container scope), one pod per iteration.
void BM_DeviceHints3Containers(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const bool paired = state.range(1) != 0;
  const DeviceScenario s = Build(n, paired);
  for (auto _ : state) {
    for (const Container& c : s.pod.containers) {
      ProviderHints hints = s.manager.GetTopologyHints(s.pod, c.name);
      benchmark::DoNotOptimize(hints);
    }
  }
  Label(state, n, paired);
}

using bench::CapacityFamilyOf;

// MergeHints over CPU, memory and the device manager's hints for the 4-GPU container.
void BM_DeviceThreeProviderMerge(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const bool paired = state.range(1) != 0;
  const TopologyPolicy policy =
      state.range(2) == 0 ? TopologyPolicy::kBestEffort : TopologyPolicy::kRestricted;
  const DeviceScenario s = Build(n, paired);
  std::vector<uint64_t> cpu_cap(n, 16), cpu_free(n), mem_cap(n, 64 * kGiB), mem_free(n);
  for (int i = 0; i < n; ++i) {
    cpu_free[i] = static_cast<uint64_t>((i * 7 + 3) % 12);
    mem_free[i] = static_cast<uint64_t>((i * 5 + 9) % 40) * kGiB;
  }
  ProviderHints cpu, mem;
  cpu.resources["cpu"] = ResourceHints::Capacity(
      CapacityFamilyOf(n, cpu_cap, cpu_free, 6));
  mem.resources["memory"] = ResourceHints::Capacity(
      CapacityFamilyOf(n, mem_cap, mem_free, 20 * kGiB));
  const std::vector<ProviderHints> providers = {
      s.manager.GetTopologyHints(s.pod, "c2"), cpu, mem};  // devices first, as registered
  for (auto _ : state) {
    absl::StatusOr<MergeResult> r = MergeHints(providers, policy, s.numa, {});
    benchmark::DoNotOptimize(r);
  }
  Label(state, n, paired);
  state.SetLabel(std::string(TopologyPolicyName(policy)) + " N=" + std::to_string(n) +
                 (paired ? " paired GPUs" : " local GPUs"));
}

BENCHMARK(BM_DeviceHints3Containers)->ArgsProduct({{8, 64}, {0, 1}});
BENCHMARK(BM_DeviceThreeProviderMerge)->ArgsProduct({{8, 64}, {0, 1}, {0, 1}});

}  // namespace
}  // namespace podalloc
