// File: podalloc/cpu_manager.h
// The CPU manager's static policy: the reserved, shared (default) and exclusive CPU pools,
// exclusive allocation and release for containers, init-container CPU reuse, the policy
// options with their validation, and CPU topology hints. Mirrors
// pkg/kubelet/cm/cpumanager/policy_static.go and policy_options.go.
//
// The policy works on plain request values (how many exclusive CPUs a container gets, which
// kind of container it is, the topology manager's affinity); turning a Pod into them is the
// caller's job. A CpuStaticPolicy is immutable once created and safe to share between threads;
// every call takes the state it works on, and a call that fails leaves that state untouched.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "podalloc/bitmask.h"
#include "podalloc/cpu_assignment.h"
#include "podalloc/cpuset.h"
#include "podalloc/hint.h"
#include "podalloc/quantity.h"
#include "podalloc/topology.h"

namespace podalloc {

// --- Options (policy_options.go) ------------------------------------------------------------

inline constexpr char kPolicyStatic[] = "static";
inline constexpr char kFullPcpusOnlyOption[] = "full-pcpus-only";
inline constexpr char kDistributeCpusAcrossNumaOption[] = "distribute-cpus-across-numa";
inline constexpr char kAlignBySocketOption[] = "align-by-socket";
inline constexpr char kDistributeCpusAcrossCoresOption[] = "distribute-cpus-across-cores";
inline constexpr char kStrictCpuReservationOption[] = "strict-cpu-reservation";
inline constexpr char kPreferAlignByUncoreCacheOption[] = "prefer-align-cpus-by-uncorecache";

// The two feature gates that unlock non-GA options (kubelet defaults: alpha off, beta on).
struct CpuPolicyOptionGates {
  bool alpha_options = false;  // CPUManagerPolicyAlphaOptions
  bool beta_options = true;    // CPUManagerPolicyBetaOptions
};

// CpuPolicyOptions.
struct CpuPolicyOptions {
  bool full_physical_cpus_only = false;
  bool distribute_cpus_across_numa = false;
  bool align_by_socket = false;
  bool distribute_cpus_across_cores = false;
  bool strict_cpu_reservation = false;
  bool prefer_align_by_uncore_cache = false;
  friend bool operator==(const CpuPolicyOptions&, const CpuPolicyOptions&) = default;
};

// CheckPolicyOptionAvailable: InvalidArgument `unknown CPU Manager Policy option: "<name>"`;
// FailedPrecondition `CPU Manager Policy Alpha-level Options not enabled, but option "<name>"
// provided` (same with Beta-level).
[[nodiscard]] absl::Status CheckCpuPolicyOptionAvailable(std::string_view name,
                                                         const CpuPolicyOptionGates& gates = {});

// NewStaticPolicyOptions. Options are examined in name order (the kubelet walks a Go map, so
// with several bad options it may report any of them). Bad values are InvalidArgument
// `bad value for option "<name>": strconv.ParseBool: parsing "<value>": invalid syntax`;
// incompatible pairs `static policy options <a> and <b> can not be used at the same time`,
// checked in the kubelet's order.
[[nodiscard]] absl::StatusOr<CpuPolicyOptions> ParseCpuPolicyOptions(
    const std::map<std::string, std::string>& options, const CpuPolicyOptionGates& gates = {});

// ValidateCpuPolicyOptions (align-by-socket only): FailedPrecondition when the topology
// manager policy is "single-numa-node", or when the machine has more sockets than NUMA nodes.
// `topology_manager_policy` is the policy's name ("none", "best-effort", ...).
[[nodiscard]] absl::Status ValidateCpuPolicyOptions(const CpuPolicyOptions& options,
                                                    const Topology& topology,
                                                    std::string_view topology_manager_policy);

// --- State ------------------------------------------------------------------------------------

// What the static policy keeps between calls: the kubelet's state.State plus the policy's
// in-memory cpusToReuse. Ordered maps keep every rendering deterministic.
struct CpuManagerState {
  // The shared pool (the kubelet's "default CPU set"); reserved CPUs stay in it unless
  // strict-cpu-reservation is on.
  CpuSet default_cpu_set;
  // Exclusive (and, for pod-level pods, pod-pool) assignments: pod UID -> container -> CPUs.
  std::map<std::string, std::map<std::string, CpuSet, std::less<>>, std::less<>> assignments;
  // Pod-level assignments (PodCPUAssignments, KEP-5526): pod UID -> the pod's CPU set.
  std::map<std::string, CpuSet, std::less<>> pod_assignments;
  // cpusToReuse: CPUs of finished regular init containers that later containers of the same
  // pod may take again. Only the pod seen last keeps an entry (not checkpointed).
  std::string reuse_pod_uid;
  CpuSet reusable_cpus;

  // The container's assignment, or nullptr.
  const CpuSet* Find(std::string_view pod_uid, std::string_view container) const;
  friend bool operator==(const CpuManagerState&, const CpuManagerState&) = default;
};

// --- Requests ---------------------------------------------------------------------------------

// Regular init container, restartable init container (sidecar), or app container.
enum class CpuContainerKind { kInit, kSidecar, kApp };

// One container as the policy sees it.
struct ContainerCpuRequest {
  std::string pod_uid;
  std::string container_name;
  CpuContainerKind kind = CpuContainerKind::kApp;
  // The kubelet's guaranteedCPUs(): the whole number of CPUs of a container of a Guaranteed
  // pod, 0 when it runs in the shared pool (not Guaranteed, fractional request, or a pod-level
  // resources pod while the pod-level resource managers are off).
  int exclusive_cpus = 0;
  // The topology manager's NUMA affinity for the container; nullopt is the kubelet's nil.
  std::optional<NumaMask> affinity;
};

// A container entry of a pod-scope request.
struct ContainerCpuDemand {
  std::string name;
  CpuContainerKind kind = CpuContainerKind::kApp;
  int exclusive_cpus = 0;  // guaranteedCPUs()
};

// A pod as the pod-scope hint and validation rules see it.
struct PodCpuRequest {
  std::string pod_uid;
  // podGuaranteedCPUs(): the pod's whole number of exclusive CPUs, 0 for the shared pool.
  int exclusive_cpus = 0;
  // The pod sets spec.resources and the pod-level resource managers are on: the pod-scope
  // shared-pool validation applies.
  bool pod_level_resources = false;
  // Init containers (regular and sidecar) in spec order, then app containers.
  std::vector<ContainerCpuDemand> containers;
};

// validatePodScopeResources: FailedPrecondition with the kubelet's "pod rejected, ..." texts
// when a pod-level budget leaves no CPUs for containers that need a shared pool.
[[nodiscard]] absl::Status ValidatePodScopeCpus(const PodCpuRequest& pod);

// Outcome of Allocate.
struct CpuAllocation {
  bool exclusive = false;  // false: the container runs in the shared pool
  bool existing = false;   // the container already had an assignment (kept as is)
  CpuSet cpus;             // the exclusive CPUs (empty when !exclusive)
};

// --- Pod-level allocation (KEP-5526) ----------------------------------------------------------

// Where one container of a pod-level pod gets its CPUs from.
struct PodContainerCpus {
  std::string name;
  CpuContainerKind kind = CpuContainerKind::kApp;
  // true: an exclusive slice of the pod's set (isolation level `container`, CFS quota off).
  // false: the pod shared pool, or for a regular init container without a slice the pod's set
  // minus the sidecar slices started before it (isolation level `pod`, quota on).
  bool exclusive = false;
  CpuSet cpus;
  friend bool operator==(const PodContainerCpus&, const PodContainerCpus&) = default;
};

// Outcome of AllocatePod.
struct PodCpuAllocation {
  // false: the pod has no integral pod-level CPU budget; nothing was recorded and every
  // container runs in the node's shared pool (isolation level `host`).
  bool allocated = false;
  // The pod already had a pod-level set; the recorded partition is returned unchanged.
  bool existing = false;
  CpuSet pod_cpus;         // the pod's whole set (the "bubble"), as stored in pod_assignments
  CpuSet pod_shared_pool;  // pod_cpus minus every sidecar and app container slice
  // One entry per PodCpuRequest::containers element, in the same order.
  std::vector<PodContainerCpus> containers;
  friend bool operator==(const PodCpuAllocation&, const PodCpuAllocation&) = default;
};

// Whether a status is the kubelet's EmptyPodSharedPoolError (admission reason
// "EmptyPodSharedPoolError"): AllocatePod's wrapping of a ValidatePodScopeCpus failure.
bool IsEmptyPodSharedPoolError(const absl::Status& status);

// --- Policy -----------------------------------------------------------------------------------

struct CpuStaticPolicyConfig {
  // cpuManagerPolicyOptions as configured (validated by Create).
  std::map<std::string, std::string> options;
  CpuPolicyOptionGates gates;
  // Reserved CPUs: the explicit list (reservedSystemCPUs) when non-empty, otherwise
  // num_reserved_cpus CPUs chosen by take-by-topology on the whole machine. The explicit list
  // must hold exactly num_reserved_cpus CPUs too, as in the kubelet.
  int num_reserved_cpus = 0;
  CpuSet reserved_cpus;
  // The topology manager policy name, for align-by-socket's validation.
  std::string topology_manager_policy = "none";
  // PodLevelResourceManagers gate: pod-level assignments count in state validation and are
  // released with the pod's last container.
  bool pod_level_resource_managers = false;
};

// The kubelet's reserved-CPU count from a reserved CPU quantity in millicores (rounded up).
int NumReservedCpusFromMillis(int64_t millicpus);

// NewManager's count of reserved CPUs for the static policy from the node-allocatable cpu
// reservation (kubeReserved.cpu + systemReserved.cpu, or the reservedSystemCPUs count;
// nullptr when the reservation has no cpu entry): ceil(millicores / 1000). Errors, the
// kubelet's texts: none -> `[cpumanager] unable to determine reserved CPU resources for
// static policy`; zero -> `[cpumanager] the static policy requires systemreserved.cpu +
// kubereserved.cpu to be greater than zero`.
[[nodiscard]] absl::StatusOr<int> StaticPolicyReservedCpuCount(const Quantity* cpu_reservation);

// The static policy. Errors of Allocate carry the kubelet's texts; SMT alignment errors are
// FailedPrecondition and recognisable with IsSmtAlignmentError.
class CpuStaticPolicy {
 public:
  // NewStaticPolicy: parses and validates the options, picks the reserved CPUs. Errors:
  // option errors; `[cpumanager] unable to reserve the required amount of CPUs (size of <set>
  // did not equal <n>)`.
  [[nodiscard]] static absl::StatusOr<CpuStaticPolicy> Create(const Topology& topology,
                                                              const CpuStaticPolicyConfig& config);

  const Topology& topology() const { return topology_; }
  const CpuLayout& layout() const { return layout_; }
  const CpuPolicyOptions& options() const { return options_; }
  const CpuSet& reserved_cpus() const { return reserved_; }
  // The reserved CPUs with all their hyperthread siblings.
  const CpuSet& reserved_physical_cpus() const { return reserved_physical_; }

  // Start/validateState: initialises an empty state (default set = every CPU, minus the
  // reserved ones with strict-cpu-reservation) or checks a restored one. FailedPrecondition
  // with the kubelet's texts when it is inconsistent.
  [[nodiscard]] absl::Status Start(CpuManagerState& state) const;

  // GetAllocatableCPUs / GetAvailableCPUs / GetAvailablePhysicalCPUs.
  CpuSet AllocatableCpus() const;
  CpuSet AvailableCpus(const CpuManagerState& state) const;
  CpuSet AvailablePhysicalCpus(const CpuManagerState& state) const;

  // Allocate for one container. Exclusive CPUs come from the shared pool (plus the pod's
  // reusable init-container CPUs), NUMA-aligned CPUs first when an affinity is given.
  [[nodiscard]] absl::StatusOr<CpuAllocation> Allocate(CpuManagerState& state,
                                                       const ContainerCpuRequest& request) const;
  // AllocatePod (KEP-5526): the pod-scope admission of a pod with pod-level resources, under
  // topology-manager scope `pod` with the PodLevelResourceManagers gate on. The caller fills
  // `pod` with exclusive_cpus = the integral pod-level CPU budget (podGuaranteedCPUs),
  // pod_level_resources = true, and every init container (spec order, sidecars as kSidecar)
  // then every app container with its guaranteedCPUs(); ephemeral containers are not listed
  // (they run in the node's shared pool). `affinity` is the topology manager's affinity for
  // the pod (for the kubelet: that of its first container).
  // Steps, as the kubelet: budget 0 -> nothing; ValidatePodScopeCpus (FailedPrecondition,
  // IsEmptyPodSharedPoolError); SMT alignment of the budget (IsSmtAlignmentError); the pod's
  // set taken like an exclusive request (no init reuse); then the partition: init containers
  // with CPUs take a slice of (set - sidecar slices so far), sidecars' slices stay taken;
  // regular init containers without CPUs get (set - sidecar slices so far); app containers
  // with CPUs take slices in order from the pod shared pool (set - sidecar slices); every other
  // container gets the final pod shared pool. Every container and the pod get a state entry.
  // Errors: InvalidArgument for bad input (negative counts, no containers, duplicate names,
  // not a pod-level request), FailedPrecondition when the policy's gate is off, the
  // take-by-topology texts when the node or the pod's set is too small, FailedPrecondition
  // when the pod already holds container-level assignments. A failure changes nothing.
  // A pod that already has a pod-level set gets its recorded partition back (existing =
  // true) once validation and SMT alignment pass, as Allocate does.
  [[nodiscard]] absl::StatusOr<PodCpuAllocation> AllocatePod(
      CpuManagerState& state, const PodCpuRequest& pod, std::optional<NumaMask> affinity) const;
  // RemoveContainer: returns to the shared pool the container's CPUs that no other container
  // of the pod still holds (for a pod-level pod: the pod's set, with its last container).
  void RemoveContainer(CpuManagerState& state, std::string_view pod_uid,
                       std::string_view container_name) const;

  // The kubelet's takeByTopology with this policy's options (distributed or packed, spread,
  // uncore alignment).
  [[nodiscard]] absl::StatusOr<CpuSet> TakeByTopology(const CpuSet& available, int num_cpus) const;
  // allocateCPUs without touching a state: the CPUs an exclusive request would get from
  // `pool`, aligned to `affinity` first.
  [[nodiscard]] absl::StatusOr<CpuSet> ChooseCpus(const CpuSet& pool, int num_cpus,
                                                  std::optional<NumaMask> affinity) const;

  // --- Hints (topology manager provider) ---
  // GetTopologyHints for one container, in the scalable form (a CapacityHints family under
  // "cpu"). Empty ProviderHints = no preference.
  ProviderHints ContainerHints(const CpuManagerState& state,
                               const ContainerCpuRequest& request) const;
  // GetPodTopologyHints.
  ProviderHints PodHints(const CpuManagerState& state, const PodCpuRequest& pod) const;
  // generateCPUTopologyHints in both forms: the family, and the kubelet's explicit list
  // (every NUMA subset in IterateBitMasks order; for small machines and tests).
  CapacityHints CpuHintFamily(const CpuSet& available, const CpuSet& reusable, int request) const;
  std::vector<TopologyHint> CpuHintList(const CpuSet& available, const CpuSet& reusable,
                                        int request) const;

 private:
  CpuStaticPolicy(Topology topology, CpuPolicyOptions options);
  absl::Status EnforceSmtAlignment(const CpuManagerState& state, int num_cpus) const;
  CpuSet ReusableFor(const CpuManagerState& state, std::string_view pod_uid) const;
  static void UpdateReuse(CpuManagerState& state, std::string_view pod_uid, CpuContainerKind kind,
                          const CpuSet& cpus);
  // With strict-cpu-reservation: ResourceExhausted when taking `cpus` would empty the shared
  // pool (see cpu_pools.cc).
  absl::Status KeepSharedPool(const CpuManagerState& state, const CpuSet& cpus,
                              std::string_view who) const;

  Topology topology_;
  CpuLayout layout_;
  CpuPolicyOptions options_;
  CpuSet reserved_;
  CpuSet reserved_physical_;
  bool pod_level_resource_managers_ = false;
};

// The SMTAlignmentError texts.
std::string SmtAlignmentErrorText(int requested_cpus, int cpus_per_core);
std::string SmtAlignmentPhysicalErrorText(int requested_cpus, int cpus_per_core,
                                          int available_physical_cpus);
// Whether a status is the kubelet's SMTAlignmentError (admission reason "SMTAlignmentError").
bool IsSmtAlignmentError(const absl::Status& status);

}  // namespace podalloc
