// File: podalloc/node.h
// The Node facade: one machine's topology, configuration, topology manager, CPU manager and
// memory manager, and the state they share. Admission is split like a transaction: Admit plans
// a pod on a copy of the state and returns a Decision (per container: cpuset, memory NUMA
// nodes, isolation level, CFS quota, cgroup files, reasons), Commit applies it. This is the
// kubelet's container manager admission path (pkg/kubelet/cm/topologymanager scope*.go calling
// the CPU and memory managers' Allocate, and their pod-level AllocatePod of KEP-5526).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "podalloc/bitmask.h"
#include "podalloc/cgroup_values.h"
#include "podalloc/cpu_manager.h"
#include "podalloc/cpuset.h"
#include "podalloc/critical_pod.h"
#include "podalloc/device_checkpoint.h"
#include "podalloc/hint.h"
#include "podalloc/memory_manager.h"
#include "podalloc/memory_state.h"
#include "podalloc/merge_explanation.h"
#include "podalloc/node_config.h"
#include "podalloc/pod.h"
#include "podalloc/qos.h"
#include "podalloc/resource_fit.h"
#include "podalloc/rw_mutex.h"
#include "podalloc/resize.h"
#include "podalloc/topology.h"
#include "podalloc/topology_manager.h"

namespace podalloc {

enum class ContainerType { kInit, kSidecar, kApp, kEphemeral };
// "init", "sidecar", "app", "ephemeral".
std::string_view ContainerTypeName(ContainerType type);

// Where one container runs and why.
struct ContainerDecision {
  std::string name;
  ContainerType type = ContainerType::kApp;
  IsolationLevel isolation = IsolationLevel::kHost;
  // The container holds CPUs no other pod may use (an exclusive slice, node- or pod-level).
  bool exclusive_cpus = false;
  // cpuset.cpus: the exclusive slice, the pod's pool, or the node's shared pool as it stands
  // once this pod is admitted (the kubelet keeps shared-pool containers in step with it).
  CpuSet cpus;
  // cpuset.mems: the NUMA nodes of the container's memory blocks (or of the pod's under pod-level
  // management); empty = not pinned.
  NumaMask memory_nodes;
  bool cpu_quota_disabled = false;
  // The topology manager's hint for the container; nullopt under policy none.
  std::optional<TopologyHint> hint;
  std::vector<MemoryBlock> memory_blocks;  // exclusive memory recorded for the container
  // Device-plugin devices the container holds: resource name -> device IDs, ascending. Empty
  // for a container without device requests (and at admission for KEP-5526 pod-level pods,
  // whose devices the kubelet allocates when the container is created).
  std::map<std::string, std::vector<std::string>> devices;
  CgroupFiles cgroup_files;                 // the container cgroup (cgroup v2)
  std::vector<std::string> reasons;         // why it got what it got, in decision order
  friend bool operator==(const ContainerDecision&, const ContainerDecision&) = default;
};

// One admitted pod: the pod as admitted and the containers still present.
struct PodRecord {
  Pod pod;
  std::set<std::string> containers;
  friend bool operator==(const PodRecord&, const PodRecord&) = default;
};

// Everything the node remembers. A regular value: the property tests compare it byte for byte.
struct NodeState {
  CpuManagerState cpu;
  MemoryManagerState memory;
  // The device manager: registered device-plugin resources and the devices each pod holds
  // (entries keyed by PodStateKey).
  DeviceManager devices;
  std::map<std::string, PodRecord, std::less<>> pods;  // by pod UID
  friend bool operator==(const NodeState&, const NodeState&) = default;
};

// What a Decision changes, for one pod: the CPU and memory manager fields the admission may
// touch (the shared pool, this pod's entries, the init-container reuse bookkeeping and the
// per-NUMA memory tables) and the pod's record.
struct NodeStateDelta {
  CpuSet default_cpu_set;
  std::map<std::string, CpuSet, std::less<>> cpu_assignments;  // this pod's containers
  std::optional<CpuSet> pod_cpus;
  std::string cpu_reuse_pod_uid;
  CpuSet cpu_reusable;
  MemoryMachineState memory_machine;
  ContainerMemoryBlocks memory_assignments;  // this pod's containers
  std::optional<std::vector<MemoryBlock>> pod_memory_blocks;
  ReusableMemory memory_reusable;
  // The device manager once the pod's devices are allocated; nullopt when the pod requests no
  // device-plugin resource (the manager is then left as it is). The whole manager, as the
  // device manager's reuse pool and in-use sets are node-wide.
  std::optional<DeviceManager> devices;
  PodRecord record;
  // What the pod adds to the node's requested amounts (PodFitRequest of the pod as admitted).
  FitResources fit_request;
  friend bool operator==(const NodeStateDelta&, const NodeStateDelta&) = default;
};

// The state and the version it had, read together.
struct NodeSnapshot {
  NodeState state;
  uint64_t version = 0;
};

// Counter increments an admission causes, keyed by Prometheus series (name{labels}).
using MetricCounts = std::map<std::string, uint64_t>;

// The topology manager refused the pod: the merge of the container (scope container) or of the
// pod (scope pod, `container` empty), with every provider's hints.
struct TopologyRejection {
  std::string container;
  MergeExplanation merge;
  friend bool operator==(const TopologyRejection&, const TopologyRejection&) = default;
};

// The outcome of Admit. A rejected pod (admitted = false, with the kubelet's reason and
// message) is a decision, not an error. Admission runs the kubelet's admit handlers in its
// order: the container manager's (topology manager, CPU and memory managers) first, then the
// predicate handler's resource fit; the first refusal decides and a refused pod holds nothing.
struct Decision {
  std::string pod_uid;
  std::string pod_name;
  std::string pod_namespace;
  bool admitted = false;
  std::string reason;   // kubelet admission reason when rejected, e.g. "TopologyAffinityError"
  std::string message;  // kubelet admission message when rejected
  QosClass qos = QosClass::kBestEffort;
  TopologyScope scope = TopologyScope::kContainer;
  // Pod-level resource managers (KEP-5526) placed the pod as one unit.
  bool pod_level = false;
  std::optional<TopologyHint> pod_hint;  // scope pod: the one merged hint
  CpuSet pod_cpus;                       // pod-level: the pod's whole CPU set
  CpuSet pod_shared_pool;                // pod-level: the pod shared pool
  std::vector<ContainerDecision> containers;  // init (sidecars included), app, ephemeral
  CgroupFiles pod_cgroup_files;               // the pod cgroup (cgroup v2)
  CgroupFiles burstable_cgroup_files;  // kubepods/burstable once this pod is admitted
  std::vector<std::string> reasons;    // pod-wide reasons (the merge, pod-level placement)
  // Why, when it was refused or needed the preemption path:
  // the topology manager's refusal with every provider's hints,
  std::optional<TopologyRejection> topology_rejection;
  // every resource the pod does not fit, in the kubelet's check order (the first one is the
  // OutOf<resource> reason),
  std::vector<InsufficientResource> insufficient_resources;
  // and for a critical pod that does not fit, the kubelet's preemption: the pods it would
  // evict before admitting this one (found), or why no set of pods would do. podalloc evicts
  // nothing: the caller removes the victims (RemovePod) once they are gone.
  std::optional<PreemptionPlan> preemption;
  uint64_t base_version = 0;           // the node state version Admit read
  NodeStateDelta delta;                // applied by Commit (admitted decisions only)
  MetricCounts metrics;                // counted by Commit
  friend bool operator==(const Decision&, const Decision&) = default;
};

// --- Capacity and allocatable ----------------------------------------------------------------
// The machine's capacity: cpu = online CPUs, memory = the NUMA nodes' memory, hugepages-<size>
// = pages x size summed over NUMA nodes, pods = maxPods (no ephemeral-storage: the machine
// description has no root filesystem).
ResourceList NodeCapacity(const Topology& topology, const NodeConfig& config);
// GetNodeAllocatableReservation: systemReserved + kubeReserved + hard eviction (memory.available
// on memory, nodefs.available on ephemeral-storage), zero entries left out. With none of the
// three configured and the Static memory manager, the reservedMemory totals per resource.
ResourceList NodeAllocatableReservation(const Topology& topology, const NodeConfig& config);
// The node status allocatable (what the scheduler and the admit handlers fit pods into):
// capacity minus the reservation, clamped at zero, with the huge pages capacity taken out of
// memory.
ResourceList NodeAllocatable(const Topology& topology, const NodeConfig& config);
// GetNodeAllocatableAbsolute, which the resize Infeasible check reads: capacity minus
// systemReserved and kubeReserved only (eviction thresholds are not subtracted), huge pages
// out of memory; with none configured, minus the derived reservedMemory reservation.
ResourceList NodeAllocatableAbsolute(const Topology& topology, const NodeConfig& config);

// --- In-place resize --------------------------------------------------------------------------

// The outcome of Node::Resize / CheckResize. A resize that is not feasible is a decision, not
// an error.
struct ResizeDecision {
  std::string pod_uid;
  // CanResizePod's answer: feasible, or Infeasible / Deferred with the PodResizePending
  // message and the kubelet_pod_infeasible_resizes_total reason_detail.
  ResizeFeasibility feasibility;
  // The ordered cgroup writes (PlanResize), without those of restarted containers. Empty
  // unless feasible. `plan.refused`: a memory limit at or below current usage; the
  // allocation is then not recorded.
  ResizePlan plan;
  // Containers whose resizePolicy restarts them for this resize: the runtime restarts them
  // with the new values, so their cgroup writes are left out of the plan.
  std::vector<std::string> restarted_containers;
  // The resize was recorded (feasible, the plan not refused, and something changed; Resize
  // only). A desired pod equal to its allocation is feasible with no writes and not applied.
  bool applied = false;
  uint64_t base_version = 0;  // the node state version the resize was judged on
  friend bool operator==(const ResizeDecision&, const ResizeDecision&) = default;
};

namespace internal {
class AdmissionTimer;
class FitUsage;
struct NodeAccess;
}  // namespace internal

// The key a pod's state lives under (NodeState::pods, Decision::pod_uid): its UID, or
// namespace/name for a pod without one.
std::string PodStateKey(const Pod& pod);

// The machine's swap as the kubelet sees it; the topology does not describe swap.
struct NodeSwap {
  // SwapTotal in bytes (cadvisor's MachineInfo.SwapCapacity). More than 0 means swap is on,
  // which failSwapOn (default true) refuses as the kubelet does at start-up.
  uint64_t capacity_bytes = 0;
  // The swap cgroup controller is there (memory.swap.max exists in the kubelet's cgroup on
  // cgroup v2, as with swap accounting on). Without it nothing about swap is written; with it
  // every container cgroup gets memory.swap.max ("0" unless LimitedSwap gives it a share).
  bool controller_available = false;
};
// The init and app containers of restored pods that RemoveContainer has already released,
// by PodStateKey: they stay in the pod's spec but the node no longer holds them.
using RemovedContainers = std::map<std::string, std::set<std::string>, std::less<>>;

// How a node is run, beyond its configuration.
struct NodeOptions {
  // Monotonic nanoseconds for kubelet_topology_manager_admission_duration_ms; empty means
  // std::chrono::steady_clock. Only the metric reads it: decisions never depend on time.
  std::function<int64_t()> clock_nanos;
  NodeSwap swap;
};

// The node. Thread-safe: every method may be called from several threads; Admit runs under a
// shared lock, Commit, Remove and Restore under the exclusive lock, so state changes are
// serialised as the kubelet's managers serialise them. Not copyable or movable.
class Node {
 public:
  // Validates the configuration against the machine as the kubelet's start-up does, in its
  // order: failSwapOn against options.swap; topology manager (policy, scope, options, NUMA
  // count); reservedSystemCPUs within
  // the online CPUs (`reserved-cpus: <list> is not a subset of online-cpus: <list>`); CPU
  // manager static policy (options, the reserved CPU count from the cpu reservation and the
  // CPUs themselves, with the kubelet's `[cpumanager] ...` texts); memory manager Static
  // policy (reservedMemory per NUMA node); then validateNodeAllocatable (no reservation above
  // capacity).
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<Node>> Create(Topology topology,
                                                                     NodeConfig config,
                                                                     NodeOptions options = {});
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  const Topology& topology() const;
  const NodeConfig& config() const;
  // What loading the configuration noticed without refusing it (config().warnings): unknown
  // and duplicate KubeletConfiguration fields, feature gates podalloc does not model.
  const std::vector<std::string>& Warnings() const;
  // The cgroup settings used for cgroup values (cgroup v2, CFS quota on, Memory QoS from the
  // configuration, node memory from the topology).
  const NodeCgroupSettings& cgroup_settings() const;
  // The static CPU policy's reserved CPUs: reservedSystemCPUs, or the ceil(kubeReserved.cpu +
  // systemReserved.cpu) CPUs its take-by-topology picked; empty under policy none.
  CpuSet ReservedCpus() const;

  // Plans the admission of `pod` (pure: the node is not changed). The pod's UID keys its
  // state (namespace/name when the UID is empty). Errors: AlreadyExists for a pod UID already
  // admitted; InvalidArgument for a pod without containers or with bad cgroup inputs.
  [[nodiscard]] absl::StatusOr<Decision> Admit(const Pod& pod) const;
  // Applies an admitted decision; for a rejected one only counts its metrics. FailedPrecondition
  // "state changed since admission" when the state moved on since Admit.
  [[nodiscard]] absl::Status Commit(const Decision& decision);
  // Plans the admission of `pod` against `state` instead of the node's own: a what-if on a
  // copy the caller changed (the fit report's zone views, a state from another node of the
  // same machine and configuration). Pure; records nothing and observes no metric. `state`
  // must be one this node could hold (the managers do not re-validate it). The predicate
  // resource fit is left out: a caller probing one state many times checks it against its own
  // budget (AdmitByResourceFit) instead of summing the state's pods on every call.
  [[nodiscard]] absl::StatusOr<Decision> AdmitOn(const NodeState& state, const Pod& pod) const;
  // Admit and Commit under one exclusive lock.
  [[nodiscard]] absl::StatusOr<Decision> AdmitAndCommit(const Pod& pod);

  // The kubelet's RemoveContainer on both managers; a pod-level pod gives its resources back
  // with its last container. NotFound for an unknown pod or container (nothing changes).
  [[nodiscard]] absl::Status RemoveContainer(std::string_view pod_uid, std::string_view container);
  // Every container of the pod, in admission order. The pod's devices are released with its
  // last container: the kubelet's device manager frees a pod's devices only once the pod is no
  // longer active, never per container.
  [[nodiscard]] absl::Status RemovePod(std::string_view pod_uid);

  // --- Device plugins (the kubelet's device manager) ---
  // A device plugin registered (or re-registered) for `resource` and listed `devices` (the
  // full list, replacing the previous one). Counted in
  // kubelet_device_plugin_registration_total{resource_name}. InvalidArgument for an empty or
  // non-extended resource name (cpu, memory, hugepages-*, ephemeral-storage, pods), an empty
  // or repeated device ID, or a NUMA node the machine does not have; nothing changes then.
  // Devices already allocated stay with their containers.
  [[nodiscard]] absl::Status SetDeviceResource(std::string_view resource,
                                               std::vector<PluginDevice> devices,
                                               DevicePluginOptions options = {});
  // The resource's plugin is gone and its resource forgotten, as the kubelet's GetCapacity
  // forgets a resource whose endpoint stopped: no capacity, no new allocations; containers
  // keep the devices they hold. NotFound for a resource that is not registered.
  [[nodiscard]] absl::Status RemoveDeviceResource(std::string_view resource);
  // The resource's device plugin answers GetPreferredAllocation with `preferred` (an empty
  // function: it does not). As in the kubelet, the device manager asks it when a container can
  // take more devices than it needs, offering the candidates and the devices it must include;
  // IDs it answers outside the offer are ignored, and an error refuses the pod
  // (UnexpectedAdmissionError). Called during Admit under the node's read lock: it must not
  // call into this node, and must be safe to call from several threads when admissions run
  // concurrently; a deterministic function keeps decisions deterministic. Kept when the
  // resource's devices are listed again (SetDeviceResource); RemoveDeviceResource drops it.
  // NotFound for a resource that is not registered.
  [[nodiscard]] absl::Status SetDevicePreferredAllocation(std::string_view resource,
                                                          PreferredAllocationFn preferred);
  // The registered device-plugin resources and their devices, by name.
  std::map<std::string, std::vector<PluginDevice>> DeviceResources() const;

  // Replaces the state with restored manager states (e.g. from cpu_manager_state and
  // memory_manager_state checkpoints) and the pods they belong to; `removed` names the
  // containers of those pods already removed (every other init and app container is present).
  // Pods without state entries are kept as shared-pool pods. Checked, in this order:
  //  - InvalidArgument: a pod listed twice; a removed container the pod does not have, or a
  //    pod with every container removed; a state entry for a pod not listed, for a container
  //    the pod lacks or that was removed, or a pod-level entry for a pod without pod-level
  //    resources or without container entries;
  //  - FailedPrecondition: a CPU the machine lacks, a reserved CPU held exclusively, a CPU
  //    held by two pods (or by two containers of one pod, unless one is a regular init
  //    container whose CPUs were reused), a pod-level pod's container outside the pod's set;
  //  - the managers' Start validation (the kubelet's texts, e.g. "default cpuset cannot be
  //    empty"), memory blocks more than their NUMA nodes' free memory included.
  // A failure changes nothing.
  [[nodiscard]] absl::Status Restore(CpuManagerState cpu, MemoryManagerState memory,
                                     std::vector<Pod> pods, const RemovedContainers& removed = {});
  // The same with the device manager's state too (RestoreDeviceCheckpoint of
  // kubelet_internal_checkpoint): its entries are restored; registered resources are known
  // without devices until their plugins register again (SetDeviceResource), as after a
  // kubelet restart. The overload without it restores an empty device manager (the file
  // missing). InvalidArgument for an entry of a pod not listed or of a container the pod
  // does not have, or an entry whose response is not a ContainerAllocateResponse.
  [[nodiscard]] absl::Status Restore(CpuManagerState cpu, MemoryManagerState memory,
                                     const DeviceCheckpointData& devices, std::vector<Pod> pods,
                                     const RemovedContainers& removed = {});

  // In-place resize of an admitted pod (the kubelet's handlePodResourcesResize): `desired` is
  // the admitted pod (same UID, or namespace/name without one, and the same init and app
  // containers) with new container-level and/or pod-level resources. Judged by CanResizePod
  // against NodeAllocatableAbsolute, the other admitted pods at their allocated sizes and the
  // resource fit against NodeAllocatable; the CPU, topology and memory managers' admit is a
  // no-op for containers that already hold an allocation. When feasible (and the plan is not
  // refused) the pod's record takes the new resources and the version moves on; otherwise
  // nothing changes but the resize counters. Errors: NotFound for a pod not admitted;
  // InvalidArgument when the containers differ; Unimplemented for a feasible resize that would
  // change a container's exclusive CPUs or its memory held by the Static memory manager (the
  // managers' resize paths are not modelled). A pod-level (KEP-5526) pod keeps its CPU set and
  // memory blocks when its budget changes, as in the kubelet.
  // `usage` (memory.current) lets the plan refuse a memory limit at or below usage;
  // `static_pod`: a config-file pod, never resized in place.
  [[nodiscard]] absl::StatusOr<ResizeDecision> Resize(const Pod& desired,
                                                      const ResizeUsage* usage = nullptr,
                                                      bool static_pod = false);
  // The same judgement and plan under the shared lock, recording and counting nothing.
  [[nodiscard]] absl::StatusOr<ResizeDecision> CheckResize(const Pod& desired,
                                                           const ResizeUsage* usage = nullptr,
                                                           bool static_pod = false) const;

  // NodeAllocatable for this node's machine and configuration.
  ResourceList Allocatable() const;

  NodeState State() const;
  // The admitted pod as recorded (its allocation, resized or not) under PodStateKey `key`;
  // nullopt when no such pod is admitted. Copies one pod, not the state.
  std::optional<Pod> AdmittedPod(std::string_view key) const;
  uint64_t version() const;
  // State() and version() under one lock: the two belong to each other even while other
  // threads change the node.
  NodeSnapshot Snapshot() const;
  // Prometheus text exposition of the node's counters (kubelet metric names) and of the
  // admission duration histogram (every Admit and AdmitAndCommit is observed, committed or not).
  std::string MetricsText() const;

  struct Parts;  // the configured managers (lib/node)

 private:
  // Reads the managers and state under the lock for ExplainAdmission
  // (podalloc/admission_explanation.h), which plans as Admit does without observing metrics.
  friend struct internal::NodeAccess;
  Node(std::unique_ptr<const Parts> parts, NodeState initial, NodeOptions options);
  absl::StatusOr<Decision> AdmitLocked(const Pod& pod) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  absl::Status CommitLocked(const Decision& decision) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<ResizeDecision> PlanResizeLocked(const Pod& desired, const ResizeUsage* usage,
                                                  bool static_pod, Pod* resized) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  absl::Status RemoveContainerLocked(std::string_view pod_uid, std::string_view container)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  std::unique_ptr<const Parts> parts_;
  std::unique_ptr<internal::AdmissionTimer> admission_timer_;  // lock-free
  mutable internal::RwMutex mu_;
  NodeState state_ ABSL_GUARDED_BY(mu_);
  // The admitted pods' requests as resource fit counts them, derived from state_.pods.
  std::unique_ptr<internal::FitUsage> fit_usage_ ABSL_GUARDED_BY(mu_);
  uint64_t version_ ABSL_GUARDED_BY(mu_) = 0;
  MetricCounts metrics_ ABSL_GUARDED_BY(mu_);
};

}  // namespace podalloc
