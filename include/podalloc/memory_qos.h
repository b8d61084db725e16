// File: podalloc/memory_qos.h
// Memory QoS (KEP-2570): how the kubelet turns memory requests and limits into the cgroup v2
// protection (memory.min, memory.low) and throttling (memory.high) values of container, pod
// and QoS-class cgroups. Mirrors the Memory QoS parts of
// pkg/kubelet/kuberuntime/kuberuntime_container_linux.go (generateLinuxContainerResources),
// pkg/kubelet/cm/helpers_linux.go (ResourceConfigForPod) and
// pkg/kubelet/cm/qos_container_manager_linux.go (setMemoryQoS), with the
// memoryReservationPolicy that v1.36 added.
//
// Pure functions over plain values; reentrant.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "podalloc/pod.h"
#include "podalloc/qos.h"

namespace podalloc {

// KubeletConfiguration.memoryReservationPolicy: which protection a memory request buys.
enum class MemoryReservationPolicy {
  // v1.36+ default: neither memory.min nor memory.low is written.
  kNone,
  // Guaranteed containers and pods get memory.min = request (hard protection), Burstable
  // ones memory.low = request (soft protection); BestEffort gets neither.
  kTieredReservation,
  // The behaviour before v1.36 (no such field): memory.min = request for every container
  // and pod cgroup with a non-zero memory request, whatever its class.
  kRequestsAsMin,
};

// "None", "TieredReservation", "RequestsAsMin".
std::string_view MemoryReservationPolicyName(MemoryReservationPolicy policy);
// Inverse of MemoryReservationPolicyName; InvalidArgument naming the text otherwise.
[[nodiscard]] absl::StatusOr<MemoryReservationPolicy> ParseMemoryReservationPolicy(
    std::string_view text);

// The kubelet settings Memory QoS reads.
struct MemoryQosConfig {
  // The MemoryQoS feature gate. Values are produced only on cgroup v2: the kubelet enforces
  // Memory QoS when the gate is on and the host runs the unified hierarchy.
  bool enabled = false;
  // memoryThrottlingFactor, in (0, 1]. Unset means memory.high is never written (the v1.37
  // default; earlier releases defaulted to 0.9).
  std::optional<double> throttling_factor;
  MemoryReservationPolicy reservation_policy = MemoryReservationPolicy::kNone;
  // The OS base page size in bytes (os.Getpagesize(); 4096 on x86-64). memory.high is rounded
  // down to a multiple of it.
  int64_t page_size = 4096;
  // Node allocatable memory in bytes: the stand-in for a missing memory limit. 0 = unknown,
  // in which case a container without a memory limit gets no memory.high.
  int64_t node_allocatable_memory = 0;

  friend bool operator==(const MemoryQosConfig&, const MemoryQosConfig&) = default;
};

// Checks the ranges above: throttling_factor in (0, 1] when set (kubelet configuration
// validation), page_size > 0, node_allocatable_memory >= 0. InvalidArgument naming the
// field and its value.
[[nodiscard]] absl::Status ValidateMemoryQosConfig(const MemoryQosConfig& config);

// memory.high of a container cgroup for memory request `request` and limit `limit` (bytes,
// 0 = not set), or nullopt when the kubelet writes none: no throttling factor; request ==
// limit > 0 (memory-guaranteed containers are never throttled); no limit and no known
// allocatable; or a result that is not above the request. Otherwise, in float64 as the
// kubelet computes it, floor((request + factor * (limit or allocatable - request)) /
// page_size) * page_size — so a BestEffort container (0/0) gets factor * allocatable
// (kubernetes#137685). Does not look at `config.enabled`.
std::optional<int64_t> ContainerMemoryHigh(int64_t request, int64_t limit,
                                           const MemoryQosConfig& config);

// The protection a memory request buys one cgroup (container or pod); unset fields are not
// written.
struct MemoryProtection {
  std::optional<int64_t> min;  // memory.min
  std::optional<int64_t> low;  // memory.low

  friend bool operator==(const MemoryProtection&, const MemoryProtection&) = default;
};

// The protection of a container or pod cgroup of a pod of class `pod_qos` whose memory
// request is `request` bytes, under `policy`. Nothing for a zero request.
MemoryProtection RequestProtection(QosClass pod_qos, int64_t request,
                                   MemoryReservationPolicy policy);

// The memory requests behind the QoS-class cgroups: Σ of the effective memory request
// (PodRequests, overhead and pod-level resources included) of the Guaranteed and of the
// Burstable pods (getQoSMemoryRequests). They are also the values of the metrics
// kubelet_memory_qos_node_memory_min_bytes (Guaranteed) and ..._low_bytes (Burstable).
struct QosMemoryRequests {
  int64_t guaranteed = 0;
  int64_t burstable = 0;

  friend bool operator==(const QosMemoryRequests&, const QosMemoryRequests&) = default;
};
QosMemoryRequests SumQosMemoryRequests(std::span<const Pod> pods, const QosOptions& options);

// The protection of the QoS-class cgroups, so that every parent covers what its children
// protect: the kubepods root gets memory.min = Σ Guaranteed + Σ Burstable; the burstable
// cgroup gets memory.low = Σ Burstable under TieredReservation (memory.min before v1.36).
// A zero sum is not written; kNone writes nothing.
struct QosClassProtection {
  MemoryProtection root;       // kubepods (Guaranteed pods live directly below it)
  MemoryProtection burstable;  // kubepods/burstable

  friend bool operator==(const QosClassProtection&, const QosClassProtection&) = default;
};
QosClassProtection QosClassMemoryProtection(const QosMemoryRequests& sums,
                                            MemoryReservationPolicy policy);

}  // namespace podalloc
