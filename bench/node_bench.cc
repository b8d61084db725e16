// Full admission of a 3-container pod through the Node facade (hints, merge, CPU and memory
// allocation, pod-level partition, cgroup values) on a 384-CPU, 8-NUMA machine, with 0 and 200
// pods already admitted, under topology-manager scope pod and scope container; and admission
// of one pod of thousands of containers, which must grow near linearly with their count.
#include <string>

#include <benchmark/benchmark.h>

#include "bench_node.h"

namespace podalloc {
namespace {

using bench::kMachine;
using bench::MakeNode;
using bench::Prefill;
using bench::Resources;

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
