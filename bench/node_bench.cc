// Full admission of a 3-container pod through the Node facade (hints, merge, CPU and memory
// allocation, pod-level partition, cgroup values) on a 384-CPU, 8-NUMA machine, with 0 and 200
// pods already admitted, under topology-manager scope pod and scope container; and admission
// of one pod of thousands of containers, which must grow near linearly with their count.
#include <string>

#include <benchmark/benchmark.h>

#include "podalloc/discovery.h"
#include "podalloc/node.h"
#include "podalloc/node_config.h"
#include "podalloc/pod.h"

namespace podalloc {
namespace {

constexpr char kMachine[] = "pack:2 numa:4 core:24 pu:2";  // 384 CPUs, 8 NUMA nodes

std::unique_ptr<Node> MakeNode(const std::string& scope) {
  SyntheticExtras extras;
  for (int n = 0; n < 8; ++n) extras.numa_memory_bytes[n] = uint64_t{64} << 30;
  std::string config = R"({"cpuManagerPolicy": "static", "reservedSystemCPUs": "0-1",
    "topologyManagerPolicy": "restricted", "topologyManagerScope": ")" +
                       scope + R"(", "memoryManagerPolicy": "Static", "reservedMemory": [)";
  for (int n = 0; n < 8; ++n) {
    config += std::string(n ? "," : "") + R"({"numaNode": )" + std::to_string(n) +
              R"(, "limits": {"memory": "1Gi"}})";
  }
  // 200 pods already admitted need a pod capacity above the kubelet's default 110.
  config += R"(], "maxPods": 250, "featureGates": {"PodLevelResourceManagers": true}})";
  return std::move(*Node::Create(*FromHwlocSynthetic(kMachine, extras), *ParseNodeConfig(config)));
}

std::string Resources(const char* cpu, const char* memory) {
  return std::string(R"({"requests": {"cpu": ")") + cpu + R"(", "memory": ")" + memory +
         R"("}, "limits": {"cpu": ")" + cpu + R"(", "memory": ")" + memory + R"("}})";
}

// Scope pod: a 4-CPU/4Gi budget, one 2-CPU container and two in the pod shared pool.
// Scope container: three Guaranteed containers of 2, 1 and 1 CPUs.
Pod MeasuredPod(bool pod_scope, const std::string& uid) {
  std::string j = R"({"metadata": {"name": ")" + uid + R"(", "uid": ")" + uid + R"("}, "spec": {)";
  if (pod_scope) {
    j += R"("resources": )" + Resources("4", "4Gi") + R"(, "containers": [{"name": "c1", "resources": )" +
         Resources("2", "2Gi") + R"(}, {"name": "c2"}, {"name": "c3"}]}})";
  } else {
    j += R"("containers": [{"name": "c1", "resources": )" + Resources("2", "2Gi") +
         R"(}, {"name": "c2", "resources": )" + Resources("1", "1Gi") +
         R"(}, {"name": "c3", "resources": )" + Resources("1", "1Gi") + "}]}}";
  }
  return *ParsePod(j);
}

// Already-admitted pods: one Guaranteed 1-CPU container each.
void Prefill(Node& node, int pods) {
  for (int i = 0; i < pods; ++i) {
    const std::string uid = "filler-" + std::to_string(i);
    Pod p = *ParsePod(R"({"metadata": {"name": ")" + uid + R"(", "uid": ")" + uid +
                      R"("}, "spec": {"containers": [{"name": "c", "resources": )" +
                      Resources("1", "256Mi") + "}]}}");
    if (!node.AdmitAndCommit(p).ok()) std::abort();
  }
}

void BM_NodeAdmit(benchmark::State& state) {
  const bool pod_scope = state.range(0) == 1;
  auto node = MakeNode(pod_scope ? "pod" : "container");
  Prefill(*node, static_cast<int>(state.range(1)));
  const Pod pod = MeasuredPod(pod_scope, "measured");
  for (auto _ : state) {
    absl::StatusOr<Decision> d = node->Admit(pod);
    if (!d.ok() || !d->admitted) state.SkipWithError("not admitted");
    benchmark::DoNotOptimize(d);
  }
  state.SetLabel(std::string(kMachine) + (pod_scope ? ", scope pod" : ", scope container"));
  state.counters["pods_admitted_before"] = static_cast<double>(state.range(1));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NodeAdmit)->ArgNames({"pod_scope", "pods"})->ArgsProduct({{1, 0}, {0, 200}});

// Admit, commit and remove again: the whole transactional round trip.
void BM_NodeAdmitCommitRemove(benchmark::State& state) {
  const bool pod_scope = state.range(0) == 1;
  auto node = MakeNode(pod_scope ? "pod" : "container");
  Prefill(*node, static_cast<int>(state.range(1)));
  const Pod pod = MeasuredPod(pod_scope, "measured");
  for (auto _ : state) {
    absl::StatusOr<Decision> d = node->AdmitAndCommit(pod);
    if (!d.ok() || !d->admitted || !node->RemovePod("measured").ok()) {
      state.SkipWithError("round trip failed");
    }
    benchmark::DoNotOptimize(d);
  }
  state.SetLabel(std::string(kMachine) + (pod_scope ? ", scope pod" : ", scope container"));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NodeAdmitCommitRemove)
    ->ArgNames({"pod_scope", "pods"})
    ->ArgsProduct({{1, 0}, {0, 200}});

// One Guaranteed pod of n containers of 1m CPU and 1Mi memory each (no exclusive CPUs, memory
// pinned per container), scope container: every per-container step runs n times.
void BM_NodeAdmitManyContainers(benchmark::State& state) {
  auto node = MakeNode("container");
  const int n = static_cast<int>(state.range(0));
  std::string j = R"({"metadata": {"name": "many", "uid": "many"}, "spec": {"containers": [)";
  for (int i = 0; i < n; ++i) {
    j += std::string(i ? "," : "") + R"({"name": "c)" + std::to_string(i) +
         R"(", "resources": )" + Resources("1m", "1Mi") + "}";
  }
  const Pod pod = *ParsePod(j + "]}}");
  for (auto _ : state) {
    absl::StatusOr<Decision> d = node->Admit(pod);
    if (!d.ok() || !d->admitted) state.SkipWithError("not admitted");
    benchmark::DoNotOptimize(d);
  }
  state.SetLabel(std::string(kMachine) + ", scope container");
  state.counters["containers"] = n;
  state.SetComplexityN(n);
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_NodeAdmitManyContainers)
    ->ArgName("containers")
    ->Arg(1000)
    ->Arg(4000)
    ->Arg(16000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity();

}  // namespace
}  // namespace podalloc
