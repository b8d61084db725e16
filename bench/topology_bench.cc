// Building large topologies and the queries every allocator makes on them.
// Machines: synthetic 4096-CPU shapes (hwloc), the 64-NUMA Altix capture, the 24-NUMA UV2000.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

#include "podalloc/discovery.h"
#include "podalloc/topology_json.h"

namespace podalloc {
namespace {

// 8 packages x 2 NUMA x 4 L3 x 32 cores x 2 threads = 4096 CPUs, 16 NUMA nodes, 64 L3s.
constexpr char kBigSmt[] = "pack:8 numa:2 l3:4 core:32 pu:2";
// The nri-plugins e2e "s8c4k" box: 8 packages x 512 cores, no SMT, one NUMA node.
constexpr char kBigFlat[] = "pack:8 core:512 pu:1";

const Topology& Big() {
  static const Topology* t = new Topology(*FromHwlocSynthetic(kBigSmt));
  return *t;
}

void BM_HwlocSynthetic(benchmark::State& state, const char* description) {
  for (auto _ : state) {
    auto t = FromHwlocSynthetic(description);
    benchmark::DoNotOptimize(t);
  }
  state.SetLabel(description);
  state.counters["cpus"] = 4096;
}
BENCHMARK_CAPTURE(BM_HwlocSynthetic, big_smt, kBigSmt)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_HwlocSynthetic, big_flat, kBigFlat)->Unit(benchmark::kMillisecond);

// The validating build alone, from a ready spec (what JSON loading and FFI callers pay).
void BM_TopologyBuild(benchmark::State& state) {
  const TopologySpec spec = Big().spec();
  for (auto _ : state) {
    auto t = Topology::Build(spec);
    benchmark::DoNotOptimize(t);
  }
  state.SetLabel(kBigSmt);
}
BENCHMARK(BM_TopologyBuild)->Unit(benchmark::kMicrosecond);

void BM_TopologyJsonRoundTrip(benchmark::State& state) {
  const std::string text = TopologyToJsonString(Big());
  for (auto _ : state) {
    auto t = TopologyFromJson(text);
    benchmark::DoNotOptimize(t);
    std::string again = TopologyToJsonString(*t);
    benchmark::DoNotOptimize(again);
  }
  state.SetLabel(kBigSmt);
  state.counters["json_bytes"] = static_cast<double>(text.size());
}
BENCHMARK(BM_TopologyJsonRoundTrip)->Unit(benchmark::kMillisecond);

void BM_FromSysfsAltix(benchmark::State& state) {
  // The capture as the test configuration unpacks it into <build>/fixtures (this binary is
  // <build>/bench/podalloc_bench).
  std::error_code ec;
  const std::filesystem::path build =
      std::filesystem::read_symlink("/proc/self/exe", ec).parent_path().parent_path();
  const std::filesystem::path root =
      build / "fixtures" / "sysfs-256ia64-64n2s2c" / "256ia64-64n2s2c";
  if (ec || !FromSysfs(root).ok()) {
    state.SkipWithError("the Altix capture is not unpacked in this build (tests off?)");
    return;
  }
  for (auto _ : state) {
    auto t = FromSysfs(root);
    benchmark::DoNotOptimize(t);
  }
  state.SetLabel("sysfs-256ia64-64n2s2c");
}
BENCHMARK(BM_FromSysfsAltix)->Unit(benchmark::kMillisecond);

void BM_FromHwlocXmlUv2000(benchmark::State& state) {
  const std::string path =
      std::string(PODALLOC_TEST_DATA_DIR) + "/fixtures/hwloc-192em64t-24n8c2t.xml";
  for (auto _ : state) {
    auto t = FromHwlocXml(path);
    benchmark::DoNotOptimize(t);
  }
  state.SetLabel("hwloc-192em64t-24n8c2t.xml");
}
BENCHMARK(BM_FromHwlocXmlUv2000)->Unit(benchmark::kMillisecond);

// --- queries on the 4096-CPU machine -------------------------------------------------------

void BM_CpusInNumaNodes(benchmark::State& state) {
  const Topology& t = Big();
  uint64_t bits = 1;
  for (auto _ : state) {
    CpuSet cpus = t.CpusInNumaNodes(NumaMask::FromBits(bits));
    benchmark::DoNotOptimize(cpus);
    bits = (bits * 3 + 1) & 0xffff;  // vary the mask over the 16 nodes
  }
  state.SetLabel(kBigSmt);
}
BENCHMARK(BM_CpusInNumaNodes);

void BM_NumaNodesOf(benchmark::State& state) {
  const Topology& t = Big();
  const CpuSet cpus = CpuSet::Range(1000, 1100);
  for (auto _ : state) {
    NumaMask mask = t.NumaNodesOf(cpus);
    benchmark::DoNotOptimize(mask);
  }
  state.SetLabel(kBigSmt);
}
BENCHMARK(BM_NumaNodesOf);

void BM_CpuLookup(benchmark::State& state) {
  const Topology& t = Big();
  int sum = 0;
  for (auto _ : state) {
    for (int cpu = 0; cpu < 4096; ++cpu) sum += t.cpu(cpu)->core_id;
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * 4096);
  state.SetLabel(kBigSmt);
}
BENCHMARK(BM_CpuLookup);

void BM_CpusInEveryCore(benchmark::State& state) {
  const Topology& t = Big();
  for (auto _ : state) {
    int n = 0;
    for (int core : t.CoreIds()) n += t.CpusInCore(core).Size();
    benchmark::DoNotOptimize(n);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(t.CoreIds().size()));
  state.SetLabel(kBigSmt);
}
BENCHMARK(BM_CpusInEveryCore);

void BM_NumaIdsInEverySocket(benchmark::State& state) {
  const Topology& t = Big();
  for (auto _ : state) {
    size_t n = 0;
    for (int socket : t.SocketIds()) n += t.NumaIdsInSocket(socket).size();
    benchmark::DoNotOptimize(n);
  }
  state.SetLabel(kBigSmt);
}
BENCHMARK(BM_NumaIdsInEverySocket);

void BM_DistanceMatrixScan(benchmark::State& state) {
  const Topology& t = Big();
  for (auto _ : state) {
    int sum = 0;
    for (int a : t.NumaIds()) {
      for (int b : t.NumaIds()) sum += t.Distance(a, b);
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetLabel(kBigSmt);
}
BENCHMARK(BM_DistanceMatrixScan);

}  // namespace
}  // namespace podalloc
