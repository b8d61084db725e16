// Full admission through the Node facade of a 3-container Guaranteed pod with GPUs (the device
// manager as first hint provider, the merge with the CPU and memory hints, device, CPU and
// memory allocation, cgroup values) on an 8-NUMA, 384-CPU machine and a 64-NUMA, 512-CPU one,
// each with two GPUs per NUMA node; topology manager restricted, scope container.
#include <cstdlib>
#include <memory>
#include <string>

#include <benchmark/benchmark.h>

#include "bench_node.h"

namespace podalloc {
namespace {

using bench::Resources;

std::unique_ptr<Node> MakeGpuNode(int numa_nodes, const char* machine) {
  SyntheticExtras extras;
  for (int n = 0; n < numa_nodes; ++n) extras.numa_memory_bytes[n] = uint64_t{16} << 30;
  std::string config = R"({"cpuManagerPolicy": "static", "reservedSystemCPUs": "0-1",
    "topologyManagerPolicy": "restricted", "topologyManagerScope": "container",
    "memoryManagerPolicy": "Static", "reservedMemory": [)";
  for (int n = 0; n < numa_nodes; ++n) {
    config += std::string(n ? "," : "") + R"({"numaNode": )" + std::to_string(n) +
              R"(, "limits": {"memory": "256Mi"}})";
  }
  config += "]";
  // More than 8 NUMA nodes needs the kubelet's max-allowable-numa-nodes policy option.
  if (numa_nodes > 8) {
    config += R"(, "topologyManagerPolicyOptions": {"max-allowable-numa-nodes": ")" +
              std::to_string(numa_nodes) + R"("})";
  }
  config += "}";
  auto node = Node::Create(*FromHwlocSynthetic(machine, extras), *ParseNodeConfig(config));
  if (!node.ok()) std::abort();
  std::vector<PluginDevice> gpus;
  for (int n = 0; n < numa_nodes; ++n) {
    for (int k = 0; k < 2; ++k) {
      PluginDevice d;
      d.id = "gpu-" + std::to_string(n) + "-" + std::to_string(k);
      d.numa_nodes = std::vector<int64_t>{n};
      gpus.push_back(std::move(d));
    }
  }
  if (!(*node)->SetDeviceResource("nvidia.com/gpu", std::move(gpus)).ok()) std::abort();
  return std::move(*node);
}

std::string GpuResources(const char* cpu, const char* memory, const char* gpus) {
  return std::string(R"({"requests": {"cpu": ")") + cpu + R"(", "memory": ")" + memory +
         R"(", "nvidia.com/gpu": ")" + gpus + R"("}, "limits": {"cpu": ")" + cpu +
         R"(", "memory": ")" + memory + R"(", "nvidia.com/gpu": ")" + gpus + R"("}})";
}

// Two containers with one GPU each (2 and 1 CPUs) and one without (1 CPU).
Pod GpuPod() {
  return *ParsePod(R"({"metadata": {"name": "gpu", "uid": "gpu"}, "spec": {"containers": [)"
                   R"({"name": "c1", "resources": )" + GpuResources("2", "2Gi", "1") +
                   R"(}, {"name": "c2", "resources": )" + GpuResources("1", "1Gi", "1") +
                   R"(}, {"name": "c3", "resources": )" + Resources("1", "1Gi") + "}]}}");
}

void BM_NodeAdmitGpuPod(benchmark::State& state) {
  const int numa = static_cast<int>(state.range(0));
  const char* machine = numa == 8 ? "pack:2 numa:4 core:24 pu:2" : "pack:4 numa:16 core:4 pu:2";
  auto node = MakeGpuNode(numa, machine);
  const Pod pod = GpuPod();
  for (auto _ : state) {
    absl::StatusOr<Decision> d = node->Admit(pod);
    if (!d.ok() || !d->admitted) state.SkipWithError("not admitted");
    benchmark::DoNotOptimize(d);
  }
  state.SetLabel(std::string(machine) + ", 2 GPUs per NUMA node, restricted, scope container");
  state.counters["numa_nodes"] = numa;
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NodeAdmitGpuPod)->ArgName("numa_nodes")->Arg(8)->Arg(64);

}  // namespace
}  // namespace podalloc
