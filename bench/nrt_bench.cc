// The NodeResourceTopology export and the full "what still fits" report (configured policy,
// every resource, overall and per NUMA node) on the 384-CPU, 8-NUMA machine of node_bench.cc
// with 0 and 200 pods admitted.
#include <string>

#include <benchmark/benchmark.h>

#include "bench_node.h"
#include "podalloc/fit_report.h"
#include "podalloc/nrt.h"

namespace podalloc {
namespace {

void BM_NrtExport(benchmark::State& state) {
  auto node = bench::MakeNode("container");
  bench::Prefill(*node, static_cast<int>(state.range(1)));
  NrtOptions options;
  options.node_name = "worker-0";
  options.mode = state.range(0) == 1 ? NrtMode::kRte : NrtMode::kExact;
  for (auto _ : state) {
    absl::StatusOr<std::string> nrt = ExportNrt(*node, options);
    if (!nrt.ok()) state.SkipWithError("export failed");
    benchmark::DoNotOptimize(nrt);
  }
  state.SetLabel(std::string(bench::kMachine) + (state.range(0) == 1 ? ", rte mode" : ", exact mode"));
  state.counters["pods_admitted_before"] = static_cast<double>(state.range(1));
}
BENCHMARK(BM_NrtExport)->ArgNames({"rte", "pods"})->ArgsProduct({{0, 1}, {0, 200}})
    ->Unit(benchmark::kMicrosecond);

void BM_FitReport(benchmark::State& state) {
  auto node = bench::MakeNode("container");
  bench::Prefill(*node, static_cast<int>(state.range(0)));
  FitQuery query;
  query.zones = state.range(1) >= 1;
  query.all_policies = state.range(1) == 2;
  int64_t cpus = 0;
  for (auto _ : state) {
    absl::StatusOr<FitReport> report = WhatStillFits(*node, query);
    if (!report.ok()) {
      state.SkipWithError("report failed");
      break;
    }
    cpus = report->results.front().resources.front().largest;
    benchmark::DoNotOptimize(report);
  }
  state.SetLabel(std::string(bench::kMachine) + ", restricted/container" +
                 (query.zones ? ", overall and per NUMA node" : ", overall only") +
                 (query.all_policies ? ", and the 7 other policy/scope pairs" : ""));
  state.counters["pods_admitted_before"] = static_cast<double>(state.range(0));
  state.counters["largest_cpus"] = static_cast<double>(cpus);
}
// zones: 0 = overall only, 1 = overall and per NUMA node, 2 = that for every policy and scope.
BENCHMARK(BM_FitReport)->ArgNames({"pods", "zones"})->ArgsProduct({{0, 200}, {0, 1, 2}})
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace podalloc
