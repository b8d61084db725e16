// The cost of the C ABI over the C++ API: each pair makes the same call with the same inputs
// on the same machine, once through libpodalloc.so (plain C types, or JSON in and out) and
// once through the C++ functions it translates to. Target: the C call costs at most twice the
// C++ one. Machine: hwloc synthetic "pack:2 numa:4 core:24 pu:2" (384 CPUs, 8 NUMA nodes).
// Admission: the static CPU manager and the best-effort topology manager, a pod with a
// Guaranteed 4-CPU container and a burstable one, planned (not committed) each time.
#include <benchmark/benchmark.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "podalloc/cpu_assignment.h"
#include "podalloc/decision_json.h"
#include "podalloc/discovery.h"
#include "podalloc/node.h"
#include "podalloc/node_config.h"
#include "podalloc/pod.h"
#include "podalloc/pod_json.h"
#include "podalloc/podalloc.h"
#include "podalloc/qos.h"
#include "podalloc/topology_manager.h"

namespace podalloc {
namespace {

constexpr char kMachine[] = "pack:2 numa:4 core:24 pu:2";

// Both sides of the comparison, built once: the C++ topology and layout, and the C handle.
struct Fixture {
  Topology topology;
  CpuLayout layout;
  podalloc_topology* handle = nullptr;
  // Every other core of NUMA nodes 0-5 is taken, as on a node already running pods.
  CpuSet available;
  std::vector<uint64_t> available_words;
  size_t words = 0;

  Fixture() : topology(*FromHwlocSynthetic(kMachine)), layout(topology) {
    podalloc_topology_from_synthetic(&handle, kMachine, sizeof kMachine - 1, nullptr);
    for (int cpu : topology.cpus()) {
      const CpuInfo* info = topology.cpu(cpu);
      if (info->numa_id >= 6 || (info->core_id / 2) % 2 == 0) available.Add(cpu);
    }
    words = podalloc_topology_cpuset_words(handle);
    available_words.assign(available.words().begin(), available.words().begin() + words);
  }
};

const Fixture& F() {
  static const Fixture* f = new Fixture();
  return *f;
}

void Label(benchmark::State& state) {
  state.SetLabel(kMachine);
  state.counters["cpus"] = F().topology.NumCpus();
  state.counters["numa_nodes"] = F().topology.NumNumaNodes();
}

// --- take-by-topology: typed hot path ----------------------------------------------------

void BM_CapiTakeCpp(benchmark::State& state) {
  const Fixture& f = F();
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    auto taken = TakeByTopologyNumaPacked(f.layout, f.available, n);
    benchmark::DoNotOptimize(taken);
  }
  Label(state);
}
BENCHMARK(BM_CapiTakeCpp)->Arg(4)->Arg(32)->Arg(96);

void BM_CapiTakeC(benchmark::State& state) {
  const Fixture& f = F();
  const int n = static_cast<int>(state.range(0));
  std::vector<uint64_t> out(f.words);
  for (auto _ : state) {
    podalloc_status s = podalloc_cpuset_take(out.data(), out.size(), f.handle,
                                             f.available_words.data(), f.available_words.size(),
                                             n, nullptr, nullptr);
    benchmark::DoNotOptimize(s);
    benchmark::ClobberMemory();
  }
  Label(state);
}
BENCHMARK(BM_CapiTakeC)->Arg(4)->Arg(32)->Arg(96);

// --- hint merge: typed hot path ----------------------------------------------------------

// Two providers: CPU fits any single node (preferred) or any pair; memory fits nodes 2 and 3.
std::vector<std::vector<TopologyHint>> Lists() {
  std::vector<TopologyHint> cpu, memory;
  for (int a = 0; a < 8; ++a) {
    cpu.push_back(TopologyHint::Of(NumaMask{a}, true));
    for (int b = a + 1; b < 8; ++b) cpu.push_back(TopologyHint::Of(NumaMask{a, b}, false));
  }
  memory.push_back(TopologyHint::Of(NumaMask{2}, true));
  memory.push_back(TopologyHint::Of(NumaMask{3}, true));
  memory.push_back(TopologyHint::Of(NumaMask{2, 3}, false));
  return {cpu, memory};
}

void BM_CapiMergeCpp(benchmark::State& state) {
  std::vector<NumaInfoNode> nodes;
  for (int id : F().topology.NumaIds()) nodes.push_back(NumaInfoNode{id, std::nullopt});
  const NumaInfo numa = *NumaInfo::Create(nodes, false);
  std::vector<ProviderHints> providers;
  for (auto& list : Lists()) {
    providers.emplace_back().resources.emplace("list", ResourceHints::List(list));
  }
  for (auto _ : state) {
    auto merged = MergeHints(providers, TopologyPolicy::kBestEffort, numa, {});
    benchmark::DoNotOptimize(merged);
  }
  Label(state);
}
BENCHMARK(BM_CapiMergeCpp);

void BM_CapiMergeC(benchmark::State& state) {
  std::vector<podalloc_hint> hints;
  std::vector<size_t> sizes;
  for (auto& list : Lists()) {
    sizes.push_back(list.size());
    for (const TopologyHint& h : list) {
      hints.push_back({h.affinity->bits(), h.preferred ? PODALLOC_HINT_PREFERRED : 0u});
    }
  }
  podalloc_merge_result result;
  for (auto _ : state) {
    podalloc_status s = podalloc_hints_merge(&result, F().handle, hints.data(), sizes.data(),
                                             sizes.size(), nullptr, nullptr);
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(result);
  }
  Label(state);
}
BENCHMARK(BM_CapiMergeC);

// --- QoS class: pod JSON in, class out ----------------------------------------------------

constexpr char kPod[] = R"({"metadata": {"name": "web", "namespace": "default", "uid": "u1"},
  "spec": {"containers": [
    {"name": "app", "resources": {"requests": {"cpu": "2", "memory": "2Gi"},
                                  "limits": {"cpu": "2", "memory": "2Gi"}}},
    {"name": "sidecar", "resources": {"limits": {"cpu": "500m", "memory": "256Mi"}}}]}})";

void BM_CapiQosCpp(benchmark::State& state) {
  for (auto _ : state) {
    auto pod = ParsePod(kPod);
    DefaultContainerRequests(*pod);
    QosClass qos = GetPodQos(*pod);
    benchmark::DoNotOptimize(qos);
  }
}
BENCHMARK(BM_CapiQosCpp);

void BM_CapiQosC(benchmark::State& state) {
  int32_t qos = -1;
  for (auto _ : state) {
    podalloc_status s = podalloc_pod_qos_class(&qos, kPod, sizeof kPod - 1, 0, nullptr);
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(qos);
  }
}
BENCHMARK(BM_CapiQosC);

// --- admission: pod JSON in, decision JSON out ---------------------------------------------

constexpr char kNodeConfig[] = R"({"cpuManagerPolicy": "static", "reservedSystemCPUs": "0-1",
  "topologyManagerPolicy": "best-effort"})";

// Both nodes start from the same configuration on the same machine.
struct NodeFixture {
  std::unique_ptr<Node> node;
  podalloc_node* handle = nullptr;
  NodeFixture() {
    node = *Node::Create(F().topology, *ParseNodeConfig(kNodeConfig));
    podalloc_node_create(&handle, F().handle, kNodeConfig, sizeof kNodeConfig - 1, nullptr);
  }
};

const NodeFixture& N() {
  static const NodeFixture* n = new NodeFixture();
  return *n;
}

// The C++ API as a C++ caller uses it: a parsed pod in, a Decision value out.
void BM_CapiAdmitCpp(benchmark::State& state) {
  const Pod pod = *ParsePod(kPod);
  for (auto _ : state) {
    auto decision = N().node->Admit(pod);
    benchmark::DoNotOptimize(decision);
  }
  Label(state);
}
BENCHMARK(BM_CapiAdmitCpp);

// The C++ API doing what the C call does: JSON in, JSON out.
void BM_CapiAdmitCppJson(benchmark::State& state) {
  for (auto _ : state) {
    auto decision = N().node->Admit(*ParsePod(kPod));
    std::string json = DecisionToJson(*decision);
    benchmark::DoNotOptimize(json);
  }
  Label(state);
}
BENCHMARK(BM_CapiAdmitCppJson);

void BM_CapiAdmitC(benchmark::State& state) {
  for (auto _ : state) {
    podalloc_decision* decision = nullptr;
    podalloc_buffer json = PODALLOC_BUFFER_INIT;
    podalloc_node_admit(&decision, N().handle, kPod, sizeof kPod - 1, nullptr);
    podalloc_decision_to_json(&json, decision, nullptr);
    benchmark::DoNotOptimize(json.data);
    podalloc_buffer_free(&json);
    podalloc_decision_destroy(decision);
  }
  Label(state);
}
BENCHMARK(BM_CapiAdmitC);

// The same pod as C structs: a Go kubelet or an NRI plugin holds the pod as typed data and
// fills these without any JSON. The decision stays a handle; its JSON is never printed.
struct TypedPod {
  podalloc_container containers[2] = {PODALLOC_CONTAINER_INIT, PODALLOC_CONTAINER_INIT};
  podalloc_pod pod = PODALLOC_POD_INIT;
  TypedPod() {
    auto text = [](const char* s) { return podalloc_text{s, std::strlen(s)}; };
    pod.name = text("web");
    pod.namespace_name = text("default");
    pod.uid = text("u1");
    containers[0].name = text("app");
    for (podalloc_resources* r : {&containers[0].requests, &containers[0].limits}) {
      r->present = PODALLOC_RESOURCE_CPU | PODALLOC_RESOURCE_MEMORY;
      r->cpu_milli = 2000;
      r->memory_bytes = int64_t{2} << 30;
    }
    containers[1].name = text("sidecar");
    containers[1].limits.present = PODALLOC_RESOURCE_CPU | PODALLOC_RESOURCE_MEMORY;
    containers[1].limits.cpu_milli = 500;
    containers[1].limits.memory_bytes = int64_t{256} << 20;
    pod.containers = containers;
    pod.container_count = 2;
  }
};

void BM_CapiAdmitTyped(benchmark::State& state) {
  const TypedPod typed;
  for (auto _ : state) {
    podalloc_decision* decision = nullptr;
    podalloc_node_admit_typed(&decision, N().handle, &typed.pod, nullptr);
    benchmark::DoNotOptimize(decision);
    podalloc_decision_destroy(decision);
  }
  Label(state);
}
BENCHMARK(BM_CapiAdmitTyped);

// Typed in and typed out: the admission plus reading every container's CPU mask.
void BM_CapiAdmitTypedRead(benchmark::State& state) {
  const TypedPod typed;
  std::vector<uint64_t> mask(F().words);
  for (auto _ : state) {
    podalloc_decision* decision = nullptr;
    podalloc_node_admit_typed(&decision, N().handle, &typed.pod, nullptr);
    for (size_t i = 0; i < podalloc_decision_container_count(decision); ++i) {
      podalloc_decision_container_cpus(mask.data(), mask.size(), decision, i, nullptr);
      benchmark::DoNotOptimize(mask.data());
    }
    podalloc_decision_destroy(decision);
  }
  Label(state);
}
BENCHMARK(BM_CapiAdmitTypedRead);

// What the typed path adds to Node::Admit in C++ terms: a copy of the pod (the translation
// builds one) and the API server's defaulting and validation, which the JSON reader runs too.
void BM_CapiPodDefaultValidate(benchmark::State& state) {
  const Pod pod = *ParsePod(kPod);
  for (auto _ : state) {
    Pod copy = pod;
    absl::Status s = DefaultAndValidatePod(copy);
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_CapiPodDefaultValidate);

// The C ABI's JSON input without the JSON output, to split the JSON path's cost.
void BM_CapiAdmitCNoOutput(benchmark::State& state) {
  for (auto _ : state) {
    podalloc_decision* decision = nullptr;
    podalloc_node_admit(&decision, N().handle, kPod, sizeof kPod - 1, nullptr);
    benchmark::DoNotOptimize(decision);
    podalloc_decision_destroy(decision);
  }
  Label(state);
}
BENCHMARK(BM_CapiAdmitCNoOutput);

}  // namespace
}  // namespace podalloc
