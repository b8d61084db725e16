// File: podalloc/cgroup_values.h
// The cgroup values the kubelet, and for container cgroups the OCI runtime, would write for a
// pod, its containers and the QoS-class cgroups: CPU shares and weight, CFS quota and period,
// memory limits, hugepage limits, oom_score_adj, cgroup v2 unified keys, and the ordered
// cgroup v2 file list of one container given its isolation level and placement. Mirrors
// pkg/kubelet/cm/helpers_linux.go (MilliCPUToShares, MilliCPUToQuota, ResourceConfigForPod),
// pkg/kubelet/cm/cgroup_manager_linux.go (getCPUWeight, toResources),
// pkg/kubelet/kuberuntime/kuberuntime_container_linux.go (generateLinuxContainerResources),
// pkg/kubelet/qos/policy.go (GetContainerOOMScoreAdjust) and
// pkg/kubelet/cm/qos_container_manager_linux.go (UpdateCgroups). Memory QoS is in
// memory_qos.h.
//
// Everything here is a pure function of its arguments (reentrant); results are values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "podalloc/bitmask.h"
#include "podalloc/cpuset.h"
#include "podalloc/memory_qos.h"
#include "podalloc/pod.h"
#include "podalloc/qos.h"

namespace podalloc {

// ---------------------------------------------------------------------------------------
// Conversions
// ---------------------------------------------------------------------------------------

// The kernel's bounds on cpu.shares, and the kubelet's scale (helpers_linux.go).
inline constexpr uint64_t kMinShares = 2;
inline constexpr uint64_t kMaxShares = 262144;
inline constexpr int64_t kSharesPerCpu = 1024;
// CFS bandwidth, in microseconds: the default period and the smallest quota.
inline constexpr int64_t kDefaultCfsPeriod = 100000;
inline constexpr int64_t kMinCfsQuota = 1000;

// MilliCPUToShares: 0 -> 2; otherwise milli * 1024 / 1000 (integer) within [2, 262144].
// Negative input is treated as 0.
uint64_t MilliCpuToShares(int64_t milli_cpu);
// MilliCPUToQuota: 0 -> 0 ("no quota"); otherwise milli * period / 1000 (integer), at least
// 1000. `period` is used as given: the kubelet forces 100000 unless the
// CustomCPUCFSQuotaPeriod gate is on, which NodeCgroupSettings handles.
int64_t MilliCpuToQuota(int64_t milli_cpu, int64_t period);

// How cpu.shares become cgroup v2 cpu.weight. Two formulas are in use and a value is only
// meaningful together with the one that produced it.
enum class CpuWeightMapping {
  // 1 + (shares - 2) * 9999 / 262142 (integer), 10000 from 262144 up: the kubelet's own
  // getCPUWeight for pod and QoS-class cgroups, and runc < 1.3.2 / crun < 1.23 for container
  // cgroups. 1024 shares -> 39.
  kLinear,
  // ceil(10^((l^2 + 125 l) / 612 - 7/34)) with l = log2(shares), 1 at or below 2 shares,
  // 10000 from 262144 up: runc >= 1.3.2 and crun >= 1.23 for container cgroups
  // (opencontainers/cgroups ConvertCPUSharesToCgroupV2Value, kubernetes#131216).
  // 1024 shares -> 100, the cgroup v2 default.
  kQuadratic,
};
// "linear", "quadratic".
std::string_view CpuWeightMappingName(CpuWeightMapping mapping);

// A cpu.weight together with the mapping it came from.
struct CpuWeight {
  uint64_t value = 0;  // in [1, 10000]; 0 only for 0 shares ("unset")
  CpuWeightMapping mapping = CpuWeightMapping::kLinear;

  friend bool operator==(const CpuWeight&, const CpuWeight&) = default;
};
// 0 shares -> 0 (unset); 1 share is treated as the minimum, 2.
CpuWeight CpuSharesToWeight(uint64_t shares, CpuWeightMapping mapping);

// ---------------------------------------------------------------------------------------
// Node settings
// ---------------------------------------------------------------------------------------

enum class CgroupVersion { kV1, kV2 };

// Node swap (KEP-2400): kubetypes.SwapBehavior.
enum class SwapBehavior { kNoSwap, kLimitedSwap };
// "NoSwap", "LimitedSwap".
std::string_view SwapBehaviorName(SwapBehavior behavior);
// memorySwap.swapBehavior: "" and "NoSwap" are kNoSwap. InvalidArgument with the kubelet's
// validation text otherwise.
[[nodiscard]] absl::StatusOr<SwapBehavior> ParseSwapBehavior(std::string_view text);

// What the kubelet reads to configure container swap.
struct NodeSwapSettings {
  SwapBehavior behavior = SwapBehavior::kNoSwap;  // memorySwap.swapBehavior
  bool node_swap_gate = true;                     // NodeSwap (GA, locked on in v1.36)
  // The swap cgroup controller exists (cgroup v2: memory.swap.max in the kubelet's own
  // cgroup; v1: memory.memsw.limit_in_bytes). Without it nothing about swap is written.
  bool controller_available = false;
  int64_t swap_capacity = 0;  // machineInfo.SwapCapacity (SwapTotal), bytes
  friend bool operator==(const NodeSwapSettings&, const NodeSwapSettings&) = default;
};

// The kubelet settings and feature gates the cgroup values depend on.
struct NodeCgroupSettings {
  CgroupVersion cgroup_version = CgroupVersion::kV2;
  // --cpu-cfs-quota: enforce CPU limits with CFS quota.
  bool cpu_cfs_quota = true;
  // --cpu-cfs-quota-period in microseconds; must stay 100000 unless the
  // CustomCPUCFSQuotaPeriod gate is on, and then lie in [1000, 1000000].
  int64_t cpu_cfs_quota_period_us = kDefaultCfsPeriod;
  bool custom_cpu_cfs_quota_period = false;
  // Gates: PodLevelResources (beta, on), DisableCPUQuotaWithExclusiveCPUs (beta, on).
  bool pod_level_resources = true;
  bool disable_cpu_quota_with_exclusive_cpus = true;
  // machineInfo.MemoryCapacity in bytes; Burstable oom_score_adj is relative to it.
  int64_t node_memory_capacity = 0;
  // singleProcessOOMKill: when false on cgroup v2 the container gets memory.oom.group=1.
  bool single_process_oom_kill = false;
  MemoryQosConfig memory_qos;
  // The machine's huge page sizes in bytes, in the order the host lists them (CRI
  // HugepageLimits and QoS-class hugetlb limits have one entry per size).
  std::vector<int64_t> hugepage_sizes;
  NodeSwapSettings swap;

  friend bool operator==(const NodeCgroupSettings&, const NodeCgroupSettings&) = default;
};

// InvalidArgument naming the field and value for anything out of range (see the fields and
// ValidateMemoryQosConfig). Every function below validates its settings first.
[[nodiscard]] absl::Status ValidateNodeCgroupSettings(const NodeCgroupSettings& settings);

// ---------------------------------------------------------------------------------------
// Containers
// ---------------------------------------------------------------------------------------

// oom_score_adj of the kubelet's well-known classes (policy.go).
inline constexpr int kGuaranteedOomScoreAdj = -997;
inline constexpr int kBestEffortOomScoreAdj = 1000;

// GetContainerOOMScoreAdjust for `container` of the (allocated) `pod`: -997 for node-critical
// and Guaranteed pods, 1000 for BestEffort, and for Burstable
// 1000 - 1000 * request / capacity (integer), where pod-level memory requests not claimed by
// containers are shared out equally, a sidecar never scores above the app container with the
// smallest request, and the result is kept within [3, 999]. InvalidArgument when a Burstable
// score is needed and `memory_capacity` is not positive.
[[nodiscard]] absl::StatusOr<int> ContainerOomScoreAdjust(const Pod& pod,
                                                          const Container& container,
                                                          int64_t memory_capacity,
                                                          bool pod_level_resources,
                                                          bool node_critical = false);

// runtimeapi.HugepageLimit: page size as runc spells it ("2MB", "1GB") and bytes.
struct HugepageLimit {
  std::string page_size;
  uint64_t limit = 0;

  friend bool operator==(const HugepageLimit&, const HugepageLimit&) = default;
};

// runtimeapi.LinuxContainerResources as generateLinuxContainerResources fills it. Zero means
// "not set" to the runtime; cpu_quota -1 means unlimited.
struct LinuxContainerResources {
  int64_t cpu_period = 0;
  int64_t cpu_quota = 0;
  int64_t cpu_shares = 0;
  int64_t memory_limit_in_bytes = 0;
  int64_t oom_score_adj = 0;
  std::vector<HugepageLimit> hugepage_limits;
  // cgroup v1 memory+swap limit (memory.memsw.limit_in_bytes); 0 = not set.
  int64_t memory_swap_limit_in_bytes = 0;
  // Extra cgroup v2 keys: memory.oom.group, memory.min, memory.low, memory.high,
  // memory.swap.max.
  std::map<std::string, std::string> unified;

  friend bool operator==(const LinuxContainerResources&, const LinuxContainerResources&) = default;
};

// GetContainerSwapBehavior: LimitedSwap only when it is configured, the gate is on, the swap
// controller is there, the node runs cgroup v2, the pod is not critical (IsCriticalPod), the
// pod is Burstable, and the container itself asks for memory with a request different from
// its limit (container fields only; pod-level values do not count). NoSwap otherwise.
SwapBehavior ContainerSwapBehavior(const Pod& pod, const Container& container,
                                   const NodeCgroupSettings& settings);

// The swap a LimitedSwap container gets (calcSwapForBurstablePods): its memory request's
// share of the node's memory, times the swap capacity, computed in double precision and
// truncated. InvalidArgument "total node memory is 0" or "container request <R> is larger
// than total node memory <M>"; the kubelet then writes the NoSwap value instead.
[[nodiscard]] absl::StatusOr<int64_t> LimitedSwapBytes(int64_t container_memory_request,
                                                       int64_t node_memory_capacity,
                                                       int64_t swap_capacity);

// What the kubelet asks the runtime for, for `container` of `pod`: shares from the CPU
// request (from the limit when the request key is absent), quota and period from the CPU
// limit when cpu_cfs_quota (-1 when `has_exclusive_cpus` and the gate disables quota for
// exclusive CPUs), memory limit, oom_score_adj, hugepage limits, memory.oom.group, swap and
// the Memory QoS keys. With pod-level resources set, a container without its own CPU or
// memory limit takes the pod's. Swap, when the controller is there: cgroup v2
// memory.swap.max = "0" for NoSwap, LimitedSwapBytes for LimitedSwap ("0" when that fails);
// cgroup v1 memory_swap_limit_in_bytes = the memory limit. Errors: invalid settings
// (InvalidArgument).
[[nodiscard]] absl::StatusOr<LinuxContainerResources> GenerateLinuxContainerResources(
    const Pod& pod, const Container& container, const NodeCgroupSettings& settings,
    bool has_exclusive_cpus);

// ---------------------------------------------------------------------------------------
// Pod and QoS-class cgroups
// ---------------------------------------------------------------------------------------

// cm.ResourceConfig: what the kubelet sets on a pod or QoS-class cgroup; unset fields are
// left alone.
struct ResourceConfig {
  std::optional<uint64_t> cpu_shares;
  std::optional<int64_t> cpu_quota;  // -1 = unlimited
  std::optional<uint64_t> cpu_period;
  std::optional<int64_t> memory;               // bytes
  std::map<int64_t, int64_t> hugepage_limits;  // page size -> limit, bytes
  std::map<std::string, std::string> unified;  // memory.min / memory.low

  friend bool operator==(const ResourceConfig&, const ResourceConfig&) = default;
};

// ResourceConfigForPod: from the pod's effective requests and limits (overhead and, with the
// gate, pod-level resources included). Guaranteed: shares, quota, period and memory limit.
// Burstable: shares; quota and period only when every container declares a CPU limit (or the
// pod does); memory limit only when every container declares one (or the pod does).
// BestEffort: 2 shares. The quota is -1 when cpu_cfs_quota is off or when
// `pod_has_exclusive_cpus` and the gate disables quota for exclusive CPUs. Hugepage limits
// sum the requests per page size; Memory QoS adds the pod's protection.
[[nodiscard]] absl::StatusOr<ResourceConfig> ResourceConfigForPod(
    const Pod& pod, const NodeCgroupSettings& settings, bool pod_has_exclusive_cpus);

// The QoS-class cgroups (UpdateCgroups) for the node's active pods.
struct QosClassCgroups {
  ResourceConfig root;                // kubepods: Memory QoS memory.min, unbounded hugetlb
  ResourceConfig burstable;           // shares of Σ Burstable CPU requests, memory.low / min
  ResourceConfig best_effort;         // 2 shares
  QosMemoryRequests memory_requests;  // the sums behind the Memory QoS values and metrics
};
[[nodiscard]] absl::StatusOr<QosClassCgroups> QosClassCgroupConfigs(
    std::span<const Pod> active_pods, const NodeCgroupSettings& settings);

// ---------------------------------------------------------------------------------------
// cgroup v2 files
// ---------------------------------------------------------------------------------------

// One cgroup v2 interface file and the text to write into it.
struct CgroupFile {
  std::string name;   // e.g. "cpu.max"
  std::string value;  // e.g. "max 100000"

  friend bool operator==(const CgroupFile&, const CgroupFile&) = default;
};
using CgroupFiles = std::vector<CgroupFile>;

// The files the kubelet's cgroup manager (through libcontainer) writes for a ResourceConfig on
// cgroup v2, in this order: cpu.max ("max" for quota -1, default period when unset),
// cpu.weight (the kubelet's linear mapping), memory.max, one hugetlb.<size>.max per machine
// page size (0 where the config names no limit, as the kubelet closes unrequested sizes) and
// per other size the config names, then the unified keys by name. Unset fields produce no
// file. Errors: invalid settings (InvalidArgument), cgroup v1 (FailedPrecondition).
[[nodiscard]] absl::StatusOr<CgroupFiles> ResourceConfigFiles(const ResourceConfig& config,
                                                              const NodeCgroupSettings& settings);

// Isolation levels of KEP-5526 (pod-level resource managers).
enum class IsolationLevel {
  kHost,       // shared pool of the node: standard CFS quota
  kPod,        // pod shared pool of a Guaranteed pod under scope pod: quota from the
               // container's limit, or the pod-level limit when it has none
  kContainer,  // exclusive CPUs: CFS quota disabled (DisableCPUQuotaWithExclusiveCPUs)
};
// "host", "pod", "container".
std::string_view IsolationLevelName(IsolationLevel level);
[[nodiscard]] absl::StatusOr<IsolationLevel> ParseIsolationLevel(std::string_view text);

// Where a container runs, as decided by the CPU and memory managers.
struct ContainerPlacement {
  IsolationLevel isolation = IsolationLevel::kHost;
  CpuSet cpus;            // cpuset.cpus; empty = inherit (not written)
  NumaMask memory_nodes;  // cpuset.mems; empty = inherit (not written)

  friend bool operator==(const ContainerPlacement&, const ContainerPlacement&) = default;
};

// The cgroup v2 files of one container cgroup, always in this order: cpu.max, cpu.weight,
// cpuset.cpus, cpuset.mems, memory.max, memory.min, memory.low, memory.high, and
// memory.swap.max when the swap controller is available. cpu.weight uses
// `weight_mapping` (the runtime's conversion of cpu_shares). Every file except the cpuset
// ones is always present, at its kernel default ("max 100000", "max", "0") when the kubelet
// sets nothing, so applying the list converges an existing cgroup too (this is also how
// disabling Memory QoS clears stale values). Errors: invalid settings (InvalidArgument),
// cgroup v1 (FailedPrecondition), isolation level container without CPUs (InvalidArgument).
[[nodiscard]] absl::StatusOr<CgroupFiles> ContainerCgroupFiles(const Pod& pod,
                                                               const Container& container,
                                                               const ContainerPlacement& placement,
                                                               const NodeCgroupSettings& settings,
                                                               CpuWeightMapping weight_mapping);
// The same for a pod whose QoS class (GetPodQos under settings.pod_level_resources) is already
// known: working it out walks every container, so a caller going through all of a pod's
// containers does it once.
[[nodiscard]] absl::StatusOr<CgroupFiles> ContainerCgroupFiles(const Pod& pod, QosClass pod_qos,
                                                               const Container& container,
                                                               const ContainerPlacement& placement,
                                                               const NodeCgroupSettings& settings,
                                                               CpuWeightMapping weight_mapping);

}  // namespace podalloc
