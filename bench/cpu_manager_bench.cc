// CPU manager (static policy) benchmarks: take-by-topology for N CPUs on the kubelet's test
// topologies and on a Genoa-like 2-socket, 8-NUMA, 384-CPU machine with half its CPUs already
// allocated; full Allocate+Remove; the distributed and uncore paths; hint generation at 8
// and 64 NUMA nodes; the distributed take on 24 and 64 NUMA nodes; layout build and
// checkpoint encoding.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "podalloc/cpu_assignment.h"
#include "podalloc/cpu_checkpoint.h"
#include "podalloc/cpu_manager.h"
#include "podalloc/discovery.h"
#include "podalloc/topology_json.h"

namespace podalloc {
namespace {

// sockets x NUMA per socket x cores per NUMA x 2 threads, Linux numbering (siblings one core
// count apart), an uncore cache (CCD) per 8 cores.
Topology Machine(int sockets, int numa_per_socket, int cores_per_numa, std::string name) {
  const int numa = sockets * numa_per_socket;
  const int cores = numa * cores_per_numa;
  TopologySpec spec;
  spec.name = std::move(name);
  for (int core = 0; core < cores; ++core) {
    for (int t = 0; t < 2; ++t) {
      spec.cpus.push_back(CpuInfo{.id = t * cores + core,
                                  .core_id = core,
                                  .socket_id = core / (cores / sockets),
                                  .numa_id = core / cores_per_numa,
                                  .uncore_id = core / 8,
                                  .kind = 0});
    }
  }
  return *Topology::Build(spec);
}

// A kubelet test topology; counts the Go literal leaves unset are 0, as in the kubelet.
Topology KubeletTopology(const std::string& name) {
  static const nlohmann::json doc = [] {
    std::ifstream in(std::string(PODALLOC_TEST_DATA_DIR) + "/conformance/cpumanager/topologies.json");
    return nlohmann::json::parse(in);
  }();
  for (const auto& record : doc.at("topologies")) {
    if (record.at("name") != name) continue;
    TopologySpec spec = TopologyFromJsonValue(record)->spec();
    if (record.at("num_numanodes").is_null()) spec.num_numa_nodes = 0;
    if (record.at("num_sockets").is_null()) spec.num_sockets = 0;
    if (record.at("num_uncorecache").is_null()) spec.num_uncore_caches = 0;
    spec.name = name;
    return *Topology::Build(spec);
  }
  std::abort();
}

struct Fixture {
  Topology topology;
  CpuStaticPolicy policy;
  CpuManagerState state;
  std::string label;
};

CpuStaticPolicy MakePolicy(const Topology& t, std::map<std::string, std::string> options = {}) {
  CpuStaticPolicyConfig config;
  config.num_reserved_cpus = 2;
  config.options = std::move(options);
  return *CpuStaticPolicy::Create(t, config);
}

// Half the CPUs handed out by a fixed sequence of allocations and releases (fragmented).
Fixture HalfAllocated(Topology t, std::string label,
                      std::map<std::string, std::string> options = {}) {
  CpuStaticPolicy policy = MakePolicy(t, options);
  CpuManagerState state;
  (void)policy.Start(state);
  std::mt19937_64 rng(7);
  std::vector<std::string> pods;
  const int target = t.cpus().Size() / 2;
  int i = 0;
  while (t.cpus().Size() - state.default_cpu_set.Size() < target) {
    const std::string pod = absl::StrCat("pod", i++);
    ContainerCpuRequest req{.pod_uid = pod,
                            .container_name = "c",
                            .kind = CpuContainerKind::kApp,
                            .exclusive_cpus = std::uniform_int_distribution<int>(1, 12)(rng),
                            .affinity = std::nullopt};
    if (policy.Allocate(state, req).ok()) pods.push_back(pod);
    if (pods.size() > 4 && std::uniform_int_distribution<int>(0, 3)(rng) == 0) {
      const size_t k = std::uniform_int_distribution<size_t>(0, pods.size() - 1)(rng);
      policy.RemoveContainer(state, pods[k], "c");
      pods.erase(pods.begin() + static_cast<long>(k));
    }
  }
  return Fixture{std::move(t), std::move(policy), std::move(state), std::move(label)};
}

const Fixture& Genoa() {
  static const Fixture f =
      HalfAllocated(Machine(2, 4, 24, "genoa-384"), "2s 8n 384 CPUs SMT2, half allocated");
  return f;
}

const std::vector<std::string>& KubeletNames() {
  static const std::vector<std::string> names = {
      "topoDualSocketHT", "topoDualSocketMultiNumaPerSocketHT",
      "topoDualSocketMultiNumaPerSocketHTLarge", "topoQuadSocketFourWayHT"};
  return names;
}

// range(0): topology (0..3 kubelet, all free; 4 = Genoa half allocated; 5 = Genoa all free);
// range(1): N.
void BM_CpuTakePacked(benchmark::State& state) {
  static std::vector<std::pair<CpuLayout, std::string>> kubelet = [] {
    std::vector<std::pair<CpuLayout, std::string>> out;
    for (const auto& name : KubeletNames())
      out.emplace_back(CpuLayout(KubeletTopology(name)), name);
    return out;
  }();
  const int which = static_cast<int>(state.range(0));
  const int n = static_cast<int>(state.range(1));
  const CpuLayout& layout = which < 4 ? kubelet[which].first : Genoa().policy.layout();
  const CpuSet available = which < 4 ? layout.cpus() : Genoa().policy.AvailableCpus(Genoa().state);
  if (n > available.Size()) {
    state.SkipWithError("request larger than the machine");
    return;
  }
  for (auto _ : state) {
    auto got = TakeByTopologyNumaPacked(layout, available, n);
    benchmark::DoNotOptimize(got);
  }
  state.SetLabel(which < 4    ? kubelet[which].second
                 : which == 4 ? Genoa().label
                              : "2s 8n 384 CPUs SMT2, all free");
  state.counters["cpus"] = n;
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CpuTakePacked)->ArgsProduct({{0, 1, 2, 3, 4, 5}, {1, 2, 4, 16, 64}});

// A 4-CPU container allocated and removed again through the policy (state round trip).
void BM_CpuAllocateRemove(benchmark::State& state) {
  const Fixture& f = Genoa();
  CpuManagerState s = f.state;
  ContainerCpuRequest req{.pod_uid = "bench-pod",
                          .container_name = "app",
                          .kind = CpuContainerKind::kApp,
                          .exclusive_cpus = static_cast<int>(state.range(0)),
                          .affinity = std::nullopt};
  for (auto _ : state) {
    auto got = f.policy.Allocate(s, req);
    benchmark::DoNotOptimize(got);
    f.policy.RemoveContainer(s, req.pod_uid, req.container_name);
    benchmark::ClobberMemory();
  }
  state.SetLabel(f.label);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CpuAllocateRemove)->Arg(4)->Arg(16);

void BM_CpuTakeDistributed(benchmark::State& state) {
  const Fixture& f = Genoa();
  const CpuSet available = f.policy.AvailableCpus(f.state);
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    auto got = TakeByTopologyNumaDistributed(f.policy.layout(), available, n, 2);
    benchmark::DoNotOptimize(got);
  }
  state.SetLabel(f.label);
  state.counters["cpus"] = n;
}
BENCHMARK(BM_CpuTakeDistributed)->Arg(4)->Arg(16)->Arg(64);

// Many NUMA nodes: the 24-NUMA hwloc fixture (384 CPUs, one package per NUMA node: NUMA
// first) and a synthetic 64-NUMA machine (2 sockets x 32 NUMA nodes x 8 cores x 2 threads,
// 1024 CPUs: socket first).
const Topology& ManyNumaMachine(int which) {
  static const Topology fixture = *FromHwlocXml(std::string(PODALLOC_TEST_DATA_DIR) +
                                                "/fixtures/hwloc-192em64t-24n8c2t.xml");
  static const Topology synthetic = Machine(2, 32, 8, "64-numa-1024");
  return which == 0 ? fixture : synthetic;
}

// range(0): machine (0 = 24 NUMA fixture, 1 = 64 NUMA synthetic); range(1): 0 = all CPUs
// free, 1 = every other core taken (both threads); range(2): N. Groups of 2 (full-pcpus-only).
void BM_CpuTakeDistributedManyNuma(benchmark::State& state) {
  const Topology& t = ManyNumaMachine(static_cast<int>(state.range(0)));
  static std::map<const Topology*, CpuLayout> layouts;
  auto it = layouts.find(&t);
  if (it == layouts.end()) it = layouts.emplace(&t, CpuLayout(t)).first;
  const CpuLayout& layout = it->second;
  CpuSet available;
  for (size_t i = 0; i < t.CoreIds().size(); ++i) {
    if (state.range(1) == 0 || i % 2 == 0) available |= t.CpusInCore(t.CoreIds()[i]);
  }
  const int n = static_cast<int>(state.range(2));
  for (auto _ : state) {
    auto got = TakeByTopologyNumaDistributed(layout, available, n, 2);
    benchmark::DoNotOptimize(got);
  }
  state.SetLabel(absl::StrCat(state.range(0) == 0 ? "24 NUMA fixture, 384 CPUs"
                                                  : "64 NUMA synthetic, 1024 CPUs",
                              state.range(1) == 0 ? ", all free" : ", every other core taken"));
  state.counters["numa_nodes"] = static_cast<double>(layout.numa_ids().size());
  state.counters["cpus"] = n;
}
BENCHMARK(BM_CpuTakeDistributedManyNuma)
    ->ArgsProduct({{0, 1}, {0, 1}, {96, 192}})
    ->Unit(benchmark::kMicrosecond);

void BM_CpuTakeUncore(benchmark::State& state) {
  const Fixture& f = Genoa();
  const CpuSet available = f.policy.AvailableCpus(f.state);
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    auto got = TakeByTopologyNumaPacked(f.policy.layout(), available, n,
                                        CpuSortingStrategy::kPacked, true);
    benchmark::DoNotOptimize(got);
  }
  state.SetLabel(f.label);
  state.counters["cpus"] = n;
}
BENCHMARK(BM_CpuTakeUncore)->Arg(4)->Arg(16)->Arg(64);

const Fixture& HintMachine(int numa) {
  static const Fixture eight = HalfAllocated(Machine(2, 4, 24, "genoa-384"), "8 NUMA, 384 CPUs");
  static const Fixture sixty_four =
      HalfAllocated(Machine(4, 16, 4, "64-numa"), "64 NUMA, 512 CPUs");
  return numa == 8 ? eight : sixty_four;
}

// GetTopologyHints in the scalable form (what the topology manager consumes).
void BM_CpuContainerHints(benchmark::State& state) {
  const Fixture& f = HintMachine(static_cast<int>(state.range(0)));
  ContainerCpuRequest req{.pod_uid = "bench",
                          .container_name = "app",
                          .kind = CpuContainerKind::kApp,
                          .exclusive_cpus = static_cast<int>(state.range(1)),
                          .affinity = std::nullopt};
  for (auto _ : state) {
    ProviderHints hints = f.policy.ContainerHints(f.state, req);
    benchmark::DoNotOptimize(hints);
  }
  state.SetLabel(f.label);
  state.counters["numa_nodes"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_CpuContainerHints)->ArgsProduct({{8, 64}, {4, 64}});

// The kubelet-shaped explicit list (2^N masks): 8 NUMA nodes only.
void BM_CpuHintListKubeletShape(benchmark::State& state) {
  const Fixture& f = HintMachine(8);
  const CpuSet available = f.policy.AvailableCpus(f.state);
  for (auto _ : state) {
    auto hints = f.policy.CpuHintList(available, CpuSet(), static_cast<int>(state.range(0)));
    benchmark::DoNotOptimize(hints);
  }
  state.SetLabel(f.label);
}
BENCHMARK(BM_CpuHintListKubeletShape)->Arg(4)->Arg(64);

void BM_CpuLayoutBuild(benchmark::State& state) {
  const Topology& t = Genoa().topology;
  for (auto _ : state) {
    CpuLayout layout(t);
    benchmark::DoNotOptimize(layout);
  }
  state.SetLabel("384 CPUs");
}
BENCHMARK(BM_CpuLayoutBuild);

void BM_CpuCheckpointEncodeDecode(benchmark::State& state) {
  const Fixture& f = Genoa();
  const CpuCheckpoint cp = CpuCheckpointFromState(f.state, kPolicyStatic);
  for (auto _ : state) {
    auto bytes = EncodeCpuCheckpoint(cp);
    auto back = DecodeCpuCheckpoint(*bytes);
    benchmark::DoNotOptimize(back);
  }
  state.SetLabel(absl::StrCat(f.state.assignments.size(), " pods"));
}
BENCHMARK(BM_CpuCheckpointEncodeDecode);

}  // namespace
}  // namespace podalloc
