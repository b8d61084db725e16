// File: podalloc/node_config.h
// NodeConfig: the kubelet settings that decide where a pod's CPUs and memory come from (CPU,
// memory and topology manager policies, their options, reserved CPUs and memory, Memory QoS,
// node allocatable reservations, node swap and the feature gates of pod-level resources and
// in-place resize), read from JSON or YAML that uses the KubeletConfiguration field names
// (k8s.io/kubelet/config/v1beta1 types.go). Two forms (docs/node-config.md): a whole
// KubeletConfiguration (a document with apiVersion or kind, read as the kubelet reads it:
// kubelet_config.h), or podalloc's plain form, where only the listed keys are accepted and
// anything else is an error naming the key.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "podalloc/cpuset.h"
#include "podalloc/memory_manager.h"
#include "podalloc/memory_qos.h"
#include "podalloc/pod.h"
#include "podalloc/quantity.h"

namespace podalloc {

// The feature gates the node reads, at their v1.36 defaults.
struct NodeFeatureGates {
  bool pod_level_resources = true;          // PodLevelResources (beta)
  bool pod_level_resource_managers = false;  // PodLevelResourceManagers (alpha, KEP-5526)
  bool memory_qos = false;                   // MemoryQoS (alpha)
  bool cpu_manager_policy_alpha_options = false;
  bool cpu_manager_policy_beta_options = true;
  bool topology_manager_policy_alpha_options = false;
  bool topology_manager_policy_beta_options = true;
  // In-place resize (KEP-1287, pod-level KEP-5419).
  bool in_place_pod_vertical_scaling = true;                  // GA, locked on
  bool in_place_pod_vertical_scaling_exclusive_cpus = false;  // alpha
  bool in_place_pod_vertical_scaling_exclusive_memory = false;  // alpha
  bool in_place_pod_level_resources_vertical_scaling = true;  // beta since v1.36
  bool memory_manager = true;                                 // GA
  // DRAExtendedResource (beta): admission leaves out the extended-resource requests a DRA
  // claim satisfies.
  bool dra_extended_resource = true;
  friend bool operator==(const NodeFeatureGates&, const NodeFeatureGates&) = default;
};

// One evictionHard entry: an absolute quantity or a fraction of capacity (the kubelet's
// ThresholdValue; "10%" is 0.1, kept as the kubelet's float32).
struct EvictionThreshold {
  std::optional<Quantity> quantity;
  float percentage = 0;
  friend bool operator==(const EvictionThreshold&, const EvictionThreshold&) = default;
};

// A validated configuration: names are checked here, their meaning (options, reservations
// against the machine) when a Node is created.
struct NodeConfig {
  std::string cpu_manager_policy = "none";  // "none" | "static"
  std::map<std::string, std::string> cpu_manager_policy_options;
  CpuSet reserved_system_cpus;
  std::string topology_manager_policy = "none";  // none | best-effort | restricted | single-numa-node
  std::string topology_manager_scope = "container";  // container | pod
  std::map<std::string, std::string> topology_manager_policy_options;
  std::string memory_manager_policy = "None";  // "None" | "Static"
  std::vector<MemoryReservation> reserved_memory;
  std::optional<double> memory_throttling_factor;
  MemoryReservationPolicy memory_reservation_policy = MemoryReservationPolicy::kNone;
  // Node allocatable (pkg/kubelet/cm node_container_manager_linux.go): resources set aside
  // for the kubelet and the system (cpu, memory, ephemeral-storage, pid), and the hard
  // eviction thresholds by signal ("0%" and "100%" reserve nothing: the kubelet ignores them).
  ResourceList kube_reserved;
  ResourceList system_reserved;
  std::map<std::string, EvictionThreshold> eviction_hard;
  // The cgroups of systemReserved / kubeReserved enforcement; only checked against
  // reservedSystemCPUs (the kubelet refuses both together).
  std::string system_reserved_cgroup;
  std::string kube_reserved_cgroup;
  // The pods capacity: maxPods, or min(podsPerCore x CPUs, maxPods) when podsPerCore > 0.
  int64_t max_pods = 110;
  int64_t pods_per_core = 0;
  // podalloc's own key (not KubeletConfiguration): node capacity the machine description
  // does not carry, as the node status would report it: `ephemeral-storage` (the root
  // filesystem's size) and extended resources (device-plugin counts, e.g. example.com/gpu).
  ResourceList node_capacity;
  NodeFeatureGates feature_gates;
  // Node swap (KEP-2400): memorySwap.swapBehavior ("" and "NoSwap": no container swaps,
  // "LimitedSwap": Burstable containers get a share of the machine's swap), and failSwapOn
  // (a machine with swap on refuses to start the node).
  std::string memory_swap_behavior;
  bool fail_swap_on = true;
  // What reading the document noticed without refusing it: duplicate fields (the last value
  // is used, as the kubelet's lenient decoding does), and for a KubeletConfiguration unknown
  // fields and feature gates podalloc does not model (the plain form refuses those).
  std::vector<std::string> warnings;

  // Any of kubeReserved, systemReserved or evictionHard was given.
  bool HasNodeAllocatableReservation() const {
    return !kube_reserved.empty() || !system_reserved.empty() || !eviction_hard.empty();
  }

  friend bool operator==(const NodeConfig&, const NodeConfig&) = default;
};

// Parses a node configuration, JSON or YAML. A document with `apiVersion` or `kind` is a
// KubeletConfiguration and is read as DecodeKubeletConfiguration (kubelet_config.h) reads it:
// lenient about unknown and duplicate fields (config.warnings lists them), with the kubelet's
// defaults and validation. Any other object is the plain form: unknown keys, unknown feature
// gates, wrong JSON types and bad values are InvalidArgument naming the JSON path, e.g.
// `cpuManagerPolicy: unknown value "dynamic" (want one of "none", "static")`; a repeated key
// keeps its last value with a warning.
[[nodiscard]] absl::StatusOr<NodeConfig> ParseNodeConfig(std::string_view json);

}  // namespace podalloc
