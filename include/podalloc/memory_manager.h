// File: podalloc/memory_manager.h
// The memory manager's Static policy as pure functions: machine state from the machine and
// the reserved-memory configuration, topology hints for memory and hugepages, allocation
// against the topology manager's affinity (with extension to more NUMA nodes and NUMA
// groups), init-container memory reuse, release, and restoration of the machine state from
// assignments. Mirrors pkg/kubelet/cm/memorymanager/{policy_static.go,memory_manager.go}.
//
// The core takes plain request values (PodMemorySpec), not Kubernetes pods: a facade turns
// pods into them. Every function is deterministic; functions that change a state take it
// last, by reference, and leave it exactly as it was when they fail.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "podalloc/bitmask.h"
#include "podalloc/hint.h"
#include "podalloc/memory_state.h"
#include "podalloc/topology.h"

namespace podalloc {

// --- Configuration ------------------------------------------------------------------------

// One --reserved-memory entry: resource name -> bytes for one NUMA node. Names are as the
// user wrote them ("memory", "hugepages-1Gi", or anything else, which is an error).
struct MemoryReservation {
  int numa_node = 0;
  std::map<std::string, uint64_t> limits;
};

// Bytes the system keeps back, per NUMA id (every machine node present) and resource.
using SystemReservedMemory = std::map<int, MemoryAmounts>;

// The feature gates the Static policy reads, at their v1.36 defaults.
struct MemoryManagerGates {
  bool pod_level_resources = true;           // PodLevelResources (beta)
  bool pod_level_resource_managers = false;  // PodLevelResourceManagers (alpha, KEP-5526)
};

// A configured Static policy. Immutable once made; safe to share between threads.
struct MemoryStaticPolicy {
  std::vector<NumaNodeInfo> numa_nodes;  // the machine, ascending id
  SystemReservedMemory system_reserved;
  MemoryManagerGates gates;
};

// The kubelet's name for this policy, as written in the checkpoint.
inline constexpr std::string_view kMemoryStaticPolicyName = "Static";

// Validates --reserved-memory like the kubelet (config validation, then memory_manager.go
// getSystemReservedMemory) and converts it per NUMA node: unsupported resource names, zero
// values and duplicate (node, resource) pairs are errors; a NUMA id the machine lacks is
// `the reserved memory configuration references a NUMA node N that does not exist on this
// machine`; for memory and every hugepage size the sum over nodes must equal the node's
// allocatable reservation (`node_reservation`: system-reserved + kube-reserved + hard
// eviction, resource name -> bytes; other names are ignored), else `the total amount "X"
// of type "R" is not equal to the value "Y" determined by Node Allocatable feature`.
[[nodiscard]] absl::StatusOr<SystemReservedMemory> SystemReservedMemoryFromConfig(
    const std::vector<NumaNodeInfo>& numa_nodes,
    const std::map<std::string, uint64_t>& node_reservation,
    const std::vector<MemoryReservation>& reserved_memory);

// NewPolicyStatic: fails with `[memorymanager] you should specify the system reserved
// memory` when no regular memory is reserved on any node. NUMA nodes are sorted by id;
// duplicate ids are InvalidArgument.
[[nodiscard]] absl::StatusOr<MemoryStaticPolicy> NewMemoryStaticPolicy(
    std::vector<NumaNodeInfo> numa_nodes, SystemReservedMemory system_reserved,
    MemoryManagerGates gates = {});
// The NUMA nodes of a discovered or loaded machine.
std::vector<NumaNodeInfo> MemoryNumaNodes(const Topology& topology);

// --- Machine state and restoration ---------------------------------------------------------

// getDefaultMachineState: for every node and hugepage size total = pages * page size,
// allocatable = total - reserved; regular memory allocatable = node memory - reserved -
// all hugepages of the node. Free = allocatable, nothing reserved, cells = {id}.
// Reservations larger than the memory they come from leave allocatable at 0.
MemoryMachineState DefaultMemoryMachineState(const MemoryStaticPolicy& policy);

// The machine state the assignments imply: every block charged, in mask order, onto the
// default state (pods managed at pod level contribute their pod blocks instead of their
// container blocks when the PodLevelResourceManagers gate is on). Pods and containers are
// replayed in ascending UID / name order. A block naming a NUMA node or resource the machine
// lacks fails with the kubelet's `[memorymanager] (pod: P, container: C) the memory
// assignment uses the NUMA that does not exist` / `... uses memory resource that does not
// exist`. A block its nodes cannot hold entirely is charged as far as it fits, as in the
// kubelet.
[[nodiscard]] absl::StatusOr<MemoryMachineState> RestoreMemoryMachineState(
    const MemoryStaticPolicy& policy, const ContainerMemoryAssignments& assignments,
    const PodMemoryAssignments& pod_assignments);

// areMachineStatesEqual: same nodes, assignment counts, groups, resources and
// total/system-reserved/allocatable, and the same free and reserved bytes summed over each
// node's group (the kubelet replays in map order, so only group sums are stable).
bool MemoryMachineStatesMatch(const MemoryMachineState& a, const MemoryMachineState& b);

// The policy's Start (validateState): an empty machine state becomes the default one
// (`[memorymanager] machine state can not be empty when it has memory assignments` if
// containers are assigned); otherwise the state must match RestoreMemoryMachineState, else
// `[memorymanager] the expected machine state is different from the real one`. Beyond the
// kubelet, a block its NUMA nodes cannot hold (the kubelet charges what fits and drops the
// rest, promising that memory twice) is then refused: `[memorymanager] (pod: P, container:
// C) the memory assignment of N bytes of R on NUMA nodes M exceeds their free R by K bytes`
// (the first such block in replay order). The state is kept as it was read. With the PodLevelResourceManagers gate off, pod-level entries are
// dropped, as the kubelet does not load them.
[[nodiscard]] absl::Status StartMemoryManager(const MemoryStaticPolicy& policy,
                                              MemoryManagerState& state);

// --- Requests -----------------------------------------------------------------------------

enum class MemoryContainerKind {
  kInit,     // a regular init container: its memory is reusable by later containers
  kSidecar,  // an init container with restartPolicy Always: runs for the pod's lifetime
  kApp,
};

struct ContainerMemorySpec {
  std::string name;
  MemoryContainerKind kind = MemoryContainerKind::kApp;
  MemoryAmounts requests;  // memory and hugepages-* requests, bytes
  // The container's own cpu and memory requests equal its limits
  // (IsContainerEquivalentQOSGuaranteed). Read only for pods managed at pod level
  // (PodLevelResourceManagers on and spec.resources set): there a container that is not
  // eligible is treated as requesting nothing and lives in the pod's shared pool.
  bool exclusive_eligible = true;
};

// What the memory manager needs of a pod.
struct PodMemorySpec {
  std::string uid;
  bool guaranteed = false;  // the pod's QoS class is Guaranteed
  // spec.resources names memory, hugepages or cpu (IsPodLevelResourcesSet).
  bool pod_level_resources_set = false;
  MemoryAmounts pod_level_requests;                  // spec.resources.requests for memory/hugepages
  std::vector<ContainerMemorySpec> init_containers;  // spec order, sidecars included
  std::vector<ContainerMemorySpec> containers;
  // Optional: each container's position (init containers first, then app containers), set by
  // IndexContainers once the lists are final. The policy looks containers up by name for each
  // container it places, so without the index a pod of n containers costs n^2 comparisons.
  std::map<std::string, size_t, std::less<>> positions;
};

// Fills pod.positions from its container lists.
void IndexContainers(PodMemorySpec& pod);

// getPodRequestedResources: with pod-level resources managed (gate on and set) the
// positive pod-level requests; otherwise per resource max(Σ app + Σ sidecars, the largest
// regular init container plus the sidecars started before it). Resources that only init
// containers request are left out, as in the kubelet.
MemoryAmounts PodRequestedMemory(const MemoryStaticPolicy& policy, const PodMemorySpec& pod);

// validatePodScopeResources (KEP-5526, pod-level budgets): the containers without exclusive
// memory must be left some of the pod's budget. Errors (InvalidArgument) are the kubelet's:
// `pod rejected, largest exclusive init container requests N of R, but only M available`,
// `pod rejected, pod has shared init containers but no R available for them`,
// `pod rejected, sum of exclusive container R requests equals pod budget, leaving no
// memory for shared containers`. Resources are checked in ascending order.
[[nodiscard]] absl::Status ValidatePodScopeMemory(const MemoryStaticPolicy& policy,
                                                  const PodMemorySpec& pod);

// Whether an error of ValidatePodScopeMemory or AllocatePodMemory is the kubelet's
// EmptyPodSharedPoolError (admission reason "EmptyPodSharedPool").
bool IsEmptyPodSharedPool(const absl::Status& status);

// --- Hints --------------------------------------------------------------------------------

// A memory hint never has a nil affinity.
struct MemoryHint {
  NumaMask affinity;
  bool preferred = false;
  friend bool operator==(const MemoryHint&, const MemoryHint&) = default;
};

struct MemoryResourceHints {
  MemoryResource resource;
  std::vector<MemoryHint> hints;  // kubelet order; empty = no possible affinity
  friend bool operator==(const MemoryResourceHints&, const MemoryResourceHints&) = default;
};

// A hint provider's answer. `is_nil` is the kubelet's nil map (not Guaranteed, pod-level
// resources unsupported, or recorded blocks that do not match the request). A non-nil
// answer with no resources is the kubelet's empty map: nothing fits, and the topology
// manager reads it, like nil, as "no preference".
struct MemoryHints {
  bool is_nil = true;
  std::vector<MemoryResourceHints> resources;  // ascending resource
  friend bool operator==(const MemoryHints&, const MemoryHints&) = default;
};

// Masks explicit hint lists may enumerate: 2^n - 1 masks for n nodes.
inline constexpr int kMaxEnumeratedNumaNodes = 20;

// GetTopologyHints for one container (init or app) of `pod`. Recorded blocks of the
// container are turned back into their hints; otherwise every NUMA mask is tried
// (calculateHints). ResourceExhausted beyond kMaxEnumeratedNumaNodes nodes (use
// MemoryHintSpace there); InvalidArgument if the pod has no such container.
[[nodiscard]] absl::StatusOr<MemoryHints> ContainerTopologyHints(const MemoryStaticPolicy& policy,
                                                                 const MemoryManagerState& state,
                                                                 const PodMemorySpec& pod,
                                                                 std::string_view container);
// GetPodTopologyHints: the same for the pod's requested memory (PodRequestedMemory).
[[nodiscard]] absl::StatusOr<MemoryHints> PodTopologyHints(const MemoryStaticPolicy& policy,
                                                           const MemoryManagerState& state,
                                                           const PodMemorySpec& pod);

// The same answers in the topology manager's compact form (podalloc/hint.h), at any NUMA
// node count: a CapacityHints family per requested resource (the same family for all of
// them) whose expansion is the kubelet's list; recorded blocks become explicit lists; the
// nil and empty maps both become a ProviderHints without resources.
[[nodiscard]] absl::StatusOr<ProviderHints> ContainerProviderHints(const MemoryStaticPolicy& policy,
                                                                   const MemoryManagerState& state,
                                                                   const PodMemorySpec& pod,
                                                                   std::string_view container);
[[nodiscard]] absl::StatusOr<ProviderHints> PodProviderHints(const MemoryStaticPolicy& policy,
                                                             const MemoryManagerState& state,
                                                             const PodMemorySpec& pod);

// The set calculateHints would list, without listing it: usable at any NUMA node count
// (the queries cost O(nodes x resources), plus a small search when several resources
// must fit together). Holds copies of what it needs, so it does not depend on the state
// afterwards; immutable once built and safe to share between threads.
class MemoryHintSpace {
 public:
  MemoryHintSpace(const MemoryMachineState& machine, const MemoryAmounts& request,
                  const std::map<ReusableMemoryKey, uint64_t>* reusable);
  MemoryHintSpace(MemoryHintSpace&&) noexcept;
  MemoryHintSpace& operator=(MemoryHintSpace&&) noexcept;
  ~MemoryHintSpace();

  // The kubelet's minAffinitySize: fewest nodes whose allocatable memory covers the request
  // (group rules ignored); hints of that size are the preferred ones.
  int MinAffinitySize() const;
  // Whether `mask` is one of the hints, and whether it is preferred.
  std::optional<MemoryHint> Find(NumaMask mask) const;
  // The narrowest hint (fewest nodes, then numerically smallest) containing `mask`; for an
  // empty mask the narrowest hint overall. This is findBestHint over the hints containing
  // the mask, as the kubelet's default and extended affinities use it.
  std::optional<MemoryHint> NarrowestContaining(NumaMask mask) const;
  // Every hint, in the kubelet's order; ResourceExhausted beyond kMaxEnumeratedNumaNodes.
  [[nodiscard]] absl::StatusOr<std::vector<MemoryHint>> Enumerate() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// --- Allocation and release ---------------------------------------------------------------

struct MemoryDecision {
  enum class Outcome {
    kAllocated,
    kAlreadyAllocated,             // blocks were recorded before; nothing changed but reuse
    kNotGuaranteed,                // not handled: only Guaranteed pods get exclusive memory
    kPodLevelResourcesUnsupported  // pod-level resources set while a gate is off
  };
  Outcome outcome = Outcome::kAllocated;
  NumaMask affinity;           // the mask the blocks were placed on
  bool preferred = false;      // whether that mask is a preferred hint
  bool used_default = false;   // the topology manager gave a nil affinity
  bool extended = false;       // the given affinity was too small and was extended
  std::vector<MemoryBlock> blocks;
  MemoryAmounts reused;  // init-container memory reused instead of charged
};

// Allocate for one container of `pod` with the topology manager's merged hint for it (a nil
// affinity lets the memory manager pick its own narrowest hint). Errors are
// the kubelet's texts (`[memorymanager] failed to get the default NUMA affinity, no NUMA
// nodes with enough memory is available`, `... failed to find the default preferred hint`,
// `... failed to find NUMA nodes to extend the current topology hint`, `... failed to find
// the extended preferred hint`, `... preferred hint violates NUMA node allocation`); when
// memory falls short, the status also carries MemoryShortfall details. InvalidArgument for
// an unknown container or an affinity naming a NUMA node the machine lacks.
[[nodiscard]] absl::StatusOr<MemoryDecision> AllocateMemory(const MemoryStaticPolicy& policy,
                                                            const PodMemorySpec& pod,
                                                            std::string_view container,
                                                            const TopologyHint& affinity,
                                                            MemoryManagerState& state);

// Which resource fell short, on which NUMA nodes and by how much, when an Allocate error
// was caused by missing memory (e.g. `memory: NUMA nodes 0,1 have 1073741824 bytes free,
// 2147483648 requested, 1073741824 short`); nullopt for other errors.
std::optional<std::string> MemoryShortfall(const absl::Status& status);

// RemoveContainer: forgets the container's blocks and gives their memory back in mask
// order; a node without assignments left returns to its own group. For a pod managed at
// pod level (gate on and pod blocks recorded) the pod's memory is given back with its last
// container. Unknown containers change nothing.
void RemoveMemoryContainer(const MemoryStaticPolicy& policy, std::string_view pod_uid,
                           std::string_view container, MemoryManagerState& state);

// --- Pod-level allocation (KEP-5526) ------------------------------------------------------

// Where a container's memory comes from inside a pod managed at pod level.
enum class PodMemorySource {
  kExclusive,      // its own blocks, carved out of the pod's budget
  kPodSharedPool,  // the pod's shared pool (a regular init container without exclusive
                   // memory gets the budget minus the sidecars started before it)
};

struct PodContainerMemory {
  std::string name;
  PodMemorySource source = PodMemorySource::kPodSharedPool;
  std::vector<MemoryBlock> blocks;  // as recorded in the state (empty for an empty pool)
};

struct PodMemoryDecision {
  MemoryDecision::Outcome outcome = MemoryDecision::Outcome::kAllocated;
  NumaMask affinity;  // the one mask of the pod and all its containers
  bool preferred = false;
  bool used_default = false;
  bool extended = false;
  std::vector<MemoryBlock> pod_blocks;         // the pod's whole budget, charged to the machine
  std::vector<MemoryBlock> shared_pool;        // budget - sidecars - exclusive app containers
  std::vector<PodContainerMemory> containers;  // init containers, then app containers
};

// AllocatePod of the Static policy, for a pod managed at pod level (gates PodLevelResources
// and PodLevelResourceManagers on, spec.resources set, topology-manager scope pod), with
// the topology manager's merged hint for the pod. In order:
// - not Guaranteed: kNotGuaranteed; a gate off: kPodLevelResourcesUnsupported; nothing
//   changes. spec.resources not set: FailedPrecondition (use AllocateMemory per container).
// - pod blocks already recorded: kAlreadyAllocated with the recorded blocks; nothing
//   changes (the kubelet does not check, and would charge the pod twice).
// - ValidatePodScopeMemory's errors (IsEmptyPodSharedPool is true for them).
// - the mask exactly as AllocateMemory chooses it for the pod total (PodRequestedMemory),
//   with the same errors (`container "c"` reads `pod "uid"` in the unknown-node message).
// Then the whole pod total is charged to the machine on that mask and recorded as the
// pod's blocks; every container gets a container entry: eligible containers with requests
// their own blocks (kExclusive), every other container the shared pool. A failed call
// changes nothing. Afterwards AllocateMemory answers kAlreadyAllocated for the pod's
// containers, and RemoveMemoryContainer gives the pod's memory back with its last
// container. Reusable init-container memory is not used for pod-level pods.
[[nodiscard]] absl::StatusOr<PodMemoryDecision> AllocatePodMemory(const MemoryStaticPolicy& policy,
                                                                  const PodMemorySpec& pod,
                                                                  const TopologyHint& affinity,
                                                                  MemoryManagerState& state);

}  // namespace podalloc
