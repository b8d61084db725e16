// The node module's private pieces: the configured managers (Node::Parts), the scratch state an
// admission works on, and the steps of an admission, one file each.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "podalloc/admission_explanation.h"
#include "podalloc/cgroup_values.h"
#include "podalloc/cpu_manager.h"
#include "podalloc/guaranteed_cpus.h"
#include "podalloc/memory_manager.h"
#include "podalloc/node.h"
#include "podalloc/node_config.h"
#include "podalloc/pod.h"
#include "podalloc/qos.h"
#include "podalloc/resource_fit.h"
#include "podalloc/topology.h"
#include "podalloc/topology_manager.h"

namespace podalloc {

namespace internal {
// GetPreferredAllocation per device-plugin resource, behind a lock of its own.
class PreferredAllocations {
 public:
  void Set(const std::string& resource, PreferredAllocationFn fn);
  void Erase(const std::string& resource);
  bool Has(const std::string& resource) const;
  // The functions of these resources that are set.
  std::map<std::string, PreferredAllocationFn> For(
      const std::map<std::string, int64_t>& resources) const;

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, PreferredAllocationFn> fns_ ABSL_GUARDED_BY(mu_);
};
}  // namespace internal

struct Node::Parts {
  Topology topology;
  NodeConfig config;
  TopologyManager topology_manager;
  std::optional<CpuStaticPolicy> cpu;          // cpuManagerPolicy static
  std::optional<MemoryStaticPolicy> memory;    // memoryManagerPolicy Static
  NodeCgroupSettings cgroups;
  GuaranteedCpusOptions cpu_gates;
  QosOptions qos;
  // Constants of the machine and configuration, worked out once: NodeAllocatable (the
  // admission and resize resource fit) and NodeAllocatableAbsolute (the resize capacity rule).
  ResourceList allocatable;
  ResourceList allocatable_absolute;
  // Allocatable in fit units, and the gates the fit reads.
  FitResources fit_allocatable;
  FitOptions fit_options;
  // The device plugins' GetPreferredAllocation functions (SetDevicePreferredAllocation), which
  // change at run time and are read by admissions that hold no node lock (AdmitOn).
  std::shared_ptr<internal::PreferredAllocations> preferred =
      std::make_shared<internal::PreferredAllocations>();
};

namespace internal {

class FitUsage;

// The state pieces one admission may read or change: the shared pools and per-NUMA memory
// tables, this pod's entries, and the reuse bookkeeping. Copying them instead of the whole
// NodeState keeps Admit's cost independent of how many pods are already admitted.
struct Scratch {
  CpuManagerState cpu;
  MemoryManagerState memory;
  // The device manager the admission reads: the state's own, or once the pod requests
  // device-plugin resources, `devices_copy`, which the admission allocates on.
  const DeviceManager* state_devices = nullptr;
  std::optional<DeviceManager> devices_copy;
  const DeviceManager& Devices() const {
    return devices_copy.has_value() ? *devices_copy : *state_devices;
  }
};
// ScratchFor copies the device manager only for a pod that requests device-plugin resources
// (`pod` as admitted); the others never touch it.
Scratch ScratchFor(const NodeState& state, std::string_view pod_uid, const Pod* pod = nullptr);
// The delta a finished scratch state stands for.
NodeStateDelta DeltaFrom(Scratch scratch, std::string_view pod_uid, PodRecord record);
// Applies a delta (the pod's entries replace whatever the state held for it).
void ApplyDelta(const NodeStateDelta& delta, std::string_view pod_uid, NodeState& state);

// --- Requests (requests.cc) ---
CpuContainerKind CpuKindOf(ContainerType type);
MemoryContainerKind MemoryKindOf(ContainerType type);
PodCpuRequest MakePodCpuRequest(const Node::Parts& parts, const Pod& pod, std::string_view uid);
PodMemorySpec MakePodMemorySpec(const Node::Parts& parts, const Pod& pod, std::string_view uid,
                                QosClass qos);
// The pod's containers in the order of a decision's entries: init containers (sidecars
// included), app containers, then ephemeral containers. Entry i of a decision is the container
// at i, so no step looks a container up by name (a pod may have thousands).
std::vector<const Container*> DecisionOrder(const Pod& pod);
// Why a container of this pod gets no exclusive CPUs (for the decision's reasons).
std::string SharedCpuReason(const Node::Parts& parts, const Pod& pod, const Container& container,
                            QosClass qos);

// --- Devices (devices.cc) ---
// Some init or app container of `pod` requests a device-plugin resource of `devices`.
bool RequestsDevices(const DeviceManager& devices, const Pod& pod);
// The device manager's hints for a container or the pod; empty without device requests.
ProviderHints DeviceContainerHints(const Scratch& s, const Pod& pod, const Container& container);
ProviderHints DevicePodHints(const Scratch& s, const Pod& pod);
// The device manager's Allocate for the container with its hint (first, as the kubelet calls
// the providers in registration order); fills out.devices and a reason line.
absl::Status AllocateDevices(const Node::Parts& parts, const Pod& pod, const Container& container,
                             const std::optional<TopologyHint>& hint, Scratch& s,
                             ContainerDecision& out);
// Node allocatable with the device-plugin resources as the kubelet's node status has them
// (allocatable = healthy devices), raised to the devices in use when `pod_uid` holds devices
// (UpdatePluginResources). nullopt when the manager knows no resource (`base` stands).
std::optional<ResourceList> AllocatableWithDevices(const ResourceList& base,
                                                   const DeviceManager& devices,
                                                   std::string_view pod_uid);

// --- Admission steps ---
// Counts one increment of a series.
void Count(MetricCounts& metrics, const std::string& series);
// Turns `d` into a rejection with the kubelet's reason and message: no container keeps CPUs,
// memory or cgroup values, and nothing is left for Commit to apply.
void RejectDecision(Decision& d, const AdmitResult& result);
// A kubelet admission result for a failed allocation: typed errors keep their reason
// (SMTAlignmentError, EmptyPodSharedPoolError), others are UnexpectedAdmissionError.
AdmitResult AllocationRejection(const absl::Status& error);

// The counter increments of node-level container allocation, tallied while an admission
// places its containers and added to the decision's MetricCounts once: a series key is a
// string of some 80 characters, too dear to build for every increment.
struct ContainerCounts {
  uint64_t cpu_pinning_requests = 0;
  uint64_t cpu_pinning_errors = 0;
  uint64_t cpu_allocations = 0;
  uint64_t cpu_allocation_errors = 0;
  uint64_t cpu_assignments = 0;  // node_exclusive
  uint64_t memory_pinning_requests = 0;
  uint64_t memory_pinning_errors = 0;
  uint64_t memory_allocations = 0;
  uint64_t memory_allocation_errors = 0;
  uint64_t memory_assignments = 0;  // node_exclusive
  // Adds the non-zero tallies under their series, as one Count per increment would have.
  void AddTo(MetricCounts& metrics) const;
};

// Container by container with a hint each (nullopt under policy none), as the kubelet's
// container scope and none scope do. `guaranteed_cpus` is GuaranteedCpus of the container,
// which the caller has already worked out for its hints.
absl::Status AllocateContainer(const Node::Parts& parts, const Pod& pod, const Container& container,
                               int guaranteed_cpus, const PodMemorySpec& memory_spec, QosClass qos,
                               const std::optional<TopologyHint>& hint, Scratch& scratch,
                               ContainerDecision& out, ContainerCounts& counts);
// Pod-level resource managers (KEP-5526): the pod's set and memory as one unit, partitioned
// among its containers (pod_level.cc).
absl::Status AllocatePodLevel(const Node::Parts& parts, const Pod& pod,
                              const PodMemorySpec& memory_spec, const TopologyHint& hint,
                              Scratch& scratch, Decision& decision);
// Fills the shared-pool cpusets, quota flags and cgroup files once placement is done.
absl::Status FinishPlacement(const Node::Parts& parts, const NodeState& state, const Pod& pod,
                             const Scratch& scratch, Decision& decision);

// --- Restore (restore_checks.cc) ---
// Every manager entry belongs to a listed pod and to one of its present init or app
// containers; a pod-level entry to a pod with pod-level resources and container entries.
// InvalidArgument naming the entry otherwise.
absl::Status CheckRestoredEntries(const NodeState& state);
// The CPU invariants the kubelet's validateState does not check: every CPU on the machine, no
// reserved CPU exclusive, no CPU held by two pods (or two containers of a pod, unless one is
// a regular init container whose CPUs are reused), a pod-level pod's containers inside its
// set and the set outside the shared pool. FailedPrecondition naming the pod, container and
// CPU otherwise. Needs CheckRestoredEntries to have passed.
absl::Status CheckRestoredCpus(const Node::Parts& parts, const NodeState& state);

// The predicate handler's resource fit once the managers admitted the pod (admit_fit.cc).
// `own_request` receives the pod's requests as the node will count them once admitted. Returns
// false when `d` was rejected (OutOf<resource>, or a critical pod no preemption can make room
// for); a critical pod admitted through preemption gets d.preemption.
bool RunResourceFit(const Node::Parts& parts, const NodeState& state, const FitUsage& usage,
                    const Pod& pod, const DeviceManager& devices, FitResources& own_request,
                    Decision& d);

// The whole admission of `pod` against `state`. `usage` is what the admitted pods of `state`
// request as resource fit counts them; nullptr leaves the resource fit out (Node::AdmitOn,
// whose callers check the predicate against a budget of their own). `merges`, when given,
// receives every topology manager merge with each provider's hints (ExplainAdmission); the
// decision is the same with or without it.
absl::StatusOr<Decision> PlanAdmission(const Node::Parts& parts, const NodeState& state,
                                       const FitUsage* usage, const Pod& pod, uint64_t version,
                                       std::vector<MergeRecord>* merges = nullptr);

}  // namespace internal
}  // namespace podalloc
