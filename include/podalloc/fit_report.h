// File: podalloc/fit_report.h
// "What still fits": the largest Guaranteed pod the node would still admit, per resource, on
// the whole node and on each NUMA node alone, for the configured topology-manager policy and
// scope and for what-if pairs; and whether given pod shapes fit, where, and if not why.
// Answered with the node's own pure admission (the topology manager's admit with the CPU and
// memory managers, then the kubelet's predicate resource fit) on copies of one snapshot, by an
// exact search: admission is not monotone in the request size (a larger pod can be admitted
// where a smaller one is refused), so no bisection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "podalloc/bitmask.h"
#include "podalloc/node.h"
#include "podalloc/pod.h"
#include "podalloc/quantity.h"

namespace podalloc {

struct FitQuery {
  // The other resources of the probe pod while one is searched: one exclusive CPU and 1Mi.
  // A fractional cpu floor (e.g. 100m) studies pods without exclusive CPUs.
  Quantity cpu_floor = Quantity::FromValue(1);
  Quantity memory_floor = Quantity::FromValue(int64_t{1} << 20);
  // Topology-manager (policy, scope) pairs to repeat the search for, as hypotheticals (the
  // configured pair always comes first). `all_policies` adds every other pair.
  std::vector<std::pair<std::string, std::string>> what_if;
  bool all_policies = false;
  bool zones = true;  // the per-NUMA-node searches
  std::vector<Pod> shapes;  // "would this pod fit, where, and if not why"
};

// The admission outcome of one probe.
struct FitOutcome {
  int64_t value = 0;  // the searched resource's request (CPUs, or bytes)
  bool admitted = false;
  std::string reason;   // e.g. "TopologyAffinityError", "OutOfcpu"
  std::string message;
};

struct ZoneFit {
  int numa_id = 0;
  int64_t largest = 0;
};

// What the topology-aware scheduler plugin would do with the same probes, judged on podalloc's
// own NRT object (its Filter only acts under single-numa-node; other policies let every pod
// through): the largest size it lets onto the node, and whether it agrees with the kubelet at
// every size searched (false: it would send pods the kubelet refuses, or keep away pods the
// kubelet would take).
struct PluginFit {
  int64_t largest = 0;
  bool agrees = true;
};

struct ResourceFit {
  std::string name;         // cpu, memory, hugepages-<size>
  int64_t available = 0;    // the NRT zones' available summed (largest / available: fragmentation)
  int64_t largest = 0;      // 0: not even the floor fits
  NumaMask numa_affinity;   // where the largest landed
  std::optional<FitOutcome> next;  // the next candidate above largest, and why it is refused
  std::vector<ZoneFit> zones;      // ascending NUMA id
  std::optional<PluginFit> plugin;  // the configured pair only
};

struct PolicyFit {
  std::string policy;
  std::string scope;
  bool configured = false;
  std::vector<ResourceFit> resources;  // cpu, then the memory manager's resources by name
};

struct ShapePlacement {
  std::string container;
  CpuSet cpus;  // exclusive CPUs; empty in the shared pool
  NumaMask memory_nodes;
};

struct ShapeFit {
  std::string pod;  // namespace/name
  bool admitted = false;
  std::string reason;
  std::string message;
  std::vector<ShapePlacement> containers;  // when admitted
};

struct FitReport {
  uint64_t state_version = 0;
  // The pod fingerprint of the snapshot (as the NRT object publishes it by default), so a
  // report can be matched with the NRT object and the scheduler's cache.
  std::string fingerprint;
  std::vector<PolicyFit> results;
  std::vector<ShapeFit> shapes;  // under the configured pair
};

// Reads one snapshot of `node`; never changes it. InvalidArgument for a floor that is not
// positive or a what-if pair the node's machine or configuration refuses (named).
[[nodiscard]] absl::StatusOr<FitReport> WhatStillFits(const Node& node, const FitQuery& query);

// {"cpuFloor": "1", "memoryFloor": "1Mi", "whatIf": [{"policy", "scope"}], "allPolicies": bool,
//  "zones": bool, "shapes": [Pod]}; every key optional. InvalidArgument names the key.
[[nodiscard]] absl::StatusOr<FitQuery> ParseFitQuery(std::string_view json);

// The report as JSON: {"stateVersion", "fingerprint", "floors": {"cpu", "memory"}, "results": [{"policy",
// "scope", "configured", "resources": [{"name", "nrtAvailable", "overall": {"largest",
// "numaAffinity", "next": {"value", "reason", "message"}}, "zones": [{"zone", "largest"}],
// "plugin": {"largest", "agrees"}}]}],
// "shapes": [{"pod", "admitted", "reason", "message", "containers": [{"name", "cpus",
// "memoryNodes"}]}]}. Amounts are canonical quantity strings (CPUs, bytes).
std::string FitReportToJson(const FitReport& report, const FitQuery& query, int indent = -1);

}  // namespace podalloc
