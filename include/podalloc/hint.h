// File: podalloc/hint.h
// Topology hints: what a hint provider (CPU manager, memory manager, device plugins) tells the
// topology manager about where one resource of a container or pod could be placed. Mirrors
// TopologyHint and the providers' map[resource][]TopologyHint of
// pkg/kubelet/cm/topologymanager/topology_manager.go, plus a compact "capacity" form that
// describes the same list without enumerating the 2^N NUMA masks the kubelet walks.
//
// How a provider fills ProviderHints (one per provider, in provider registration order):
//   * nothing to say (kubelet: nil or empty map) -> leave `resources` empty.
//   * per resource, exactly one ResourceHints:
//       ResourceHints::NoPreference()   kubelet nil list: "any NUMA node is fine" (preferred);
//       ResourceHints::List({...})      the kubelet list as given; an EMPTY list means "no
//                                       possible alignment" and makes every merge non-preferred;
//       ResourceHints::Capacity(family) the list the kubelet's CPU or memory manager would build
//                                       by walking every NUMA subset (IterateBitMasks) and keeping
//                                       those whose free capacity covers the request — described
//                                       by per-node amounts instead of by the masks themselves;
//       ResourceHints::Oracle(p)        any other rule, answered mask by mask (generic fallback).
//   * CPU manager (policy_static.go generateCPUTopologyHints(available, reusable, request)):
//       nodes = the topology's NUMA ids; one demand: available[n] = |available ∩ CPUs of n|,
//       base = |reusable|, request = request; required = NUMA nodes of the reusable CPUs;
//       preferred_size = MinAffinitySize({CPUs per node}, {request}, nodes);
//       with align-by-socket: socket_of_node and preferred_sockets = ceil(preferred_size /
//       (NumNUMANodes / NumSockets)) (0 when that ratio is 0).
//       An empty family is exactly the kubelet's empty list {cpu: []}; pass it as is.
//   * Memory manager (policy_static.go calculateHints): nodes = machine NUMA ids; one demand per
//       requested resource (memory, hugepages-*): available[n] = Free, request = size,
//       exact_mask_extra = the pod's reusable init-container memory keyed by its mask;
//       not_alone = nodes whose Cells has more than one node; group_of[n] = Cells of every node
//       with NumberOfAssignments > 0; preferred_size = MinAffinitySize(Allocatable per node per
//       resource, sizes, nodes). Use the same family for every requested resource. The kubelet
//       leaves a resource out when nothing fits: check HasAnyHint(family) and omit it then.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "podalloc/bitmask.h"

namespace podalloc {

// (affinity, preferred). `affinity == std::nullopt` is the kubelet's nil mask ("no NUMA
// preference"), which is different everywhere from an empty mask. Regular value type.
struct TopologyHint {
  std::optional<NumaMask> affinity;
  bool preferred = false;

  // {nil, preferred}.
  static TopologyHint Any(bool preferred) { return TopologyHint{std::nullopt, preferred}; }
  static TopologyHint Of(NumaMask mask, bool preferred) { return TopologyHint{mask, preferred}; }

  // Kubelet-style rendering for messages: "{01 true}", "{<nil> false}".
  std::string ToString() const;
  friend bool operator==(const TopologyHint&, const TopologyHint&) = default;
};

// One quantity the nodes of a hint must jointly supply: sum over the mask's nodes of
// available[n], plus base, plus extra for masks listed in exact_mask_extra, must reach request.
struct CapacityDemand {
  std::vector<uint64_t> available;  // indexed by NUMA id; ids past the end supply 0
  uint64_t request = 0;
  uint64_t base = 0;  // counted for every mask (CPU manager: the reusable CPUs)
  // Counted only when the mask equals the listed one exactly (memory manager: memory reusable
  // from the pod's init containers, which the kubelet keys by the block's mask).
  std::vector<std::pair<NumaMask, uint64_t>> exact_mask_extra;
  friend bool operator==(const CapacityDemand&, const CapacityDemand&) = default;
};

// The hint list of a kubelet provider that walks every non-empty subset of `nodes`, described by
// its rule. A mask M (non-empty, M ⊆ nodes) is a hint iff
//   * required ⊆ M,
//   * every demand is met by M,
//   * if |M| == 1, M's node is not in not_alone,
//   * if |M| > 1, every node n of M with a non-empty group_of[n] has group_of[n] == M;
// and a hint is preferred iff |M| == preferred_size, or preferred_sockets > 0 and the mask's
// nodes span exactly preferred_sockets distinct sockets (socket_of_node, indexed by NUMA id).
// Masks of the kubelet list come in IterateBitMasks order; merging never depends on that order.
struct CapacityHints {
  NumaMask nodes;
  std::vector<CapacityDemand> demands;
  NumaMask required;
  NumaMask not_alone;
  std::vector<NumaMask> group_of;  // indexed by NUMA id; empty mask = no group constraint
  int preferred_size = 0;          // the kubelet's minAffinitySize
  std::vector<int> socket_of_node;  // only read when preferred_sockets > 0
  int preferred_sockets = 0;

  // The rule above, for one mask.
  bool IsHint(NumaMask mask) const;
  bool IsPreferred(NumaMask mask) const;  // meaningful for hints only
  friend bool operator==(const CapacityHints&, const CapacityHints&) = default;
};

// Any other rule, answered per mask. Implementations must be pure and thread-compatible.
// The merger prunes its search with AnyHintBetween and also relies on it to decide which
// intersections of hints are reachable, so its answer must be exact. The default
// implementation enumerates the masks between the bounds (fine for a handful of nodes,
// exponential beyond): override it when the rule allows a direct answer.
class HintOracle {
 public:
  virtual ~HintOracle() = default;
  // Every hint is a non-empty subset of nodes().
  virtual NumaMask nodes() const = 0;
  virtual bool IsHint(NumaMask mask) const = 0;
  virtual bool IsPreferred(NumaMask mask) const = 0;  // called for hints only
  // Is there a hint h with lower ⊆ h ⊆ upper (and, when preferred_only, a preferred one)?
  virtual bool AnyHintBetween(NumaMask lower, NumaMask upper, bool preferred_only) const;
};

// One provider's hints for one resource.
class ResourceHints {
 public:
  struct NoPreferenceTag {
    friend bool operator==(NoPreferenceTag, NoPreferenceTag) = default;
  };
  using Value = std::variant<NoPreferenceTag, std::vector<TopologyHint>, CapacityHints,
                             std::shared_ptr<const HintOracle>>;

  ResourceHints() = default;  // no preference
  static ResourceHints NoPreference() { return ResourceHints(); }
  static ResourceHints List(std::vector<TopologyHint> hints) {
    return ResourceHints(Value(std::move(hints)));
  }
  static ResourceHints Capacity(CapacityHints family) {
    return ResourceHints(Value(std::move(family)));
  }
  static ResourceHints Oracle(std::shared_ptr<const HintOracle> oracle) {
    return ResourceHints(Value(std::move(oracle)));
  }

  bool is_no_preference() const { return std::holds_alternative<NoPreferenceTag>(value_); }
  const std::vector<TopologyHint>* list() const {
    return std::get_if<std::vector<TopologyHint>>(&value_);
  }
  const CapacityHints* capacity() const { return std::get_if<CapacityHints>(&value_); }
  const HintOracle* oracle() const {
    auto* p = std::get_if<std::shared_ptr<const HintOracle>>(&value_);
    return p ? p->get() : nullptr;
  }
  const Value& value() const { return value_; }
  friend bool operator==(const ResourceHints&, const ResourceHints&) = default;

 private:
  explicit ResourceHints(Value v) : value_(std::move(v)) {}
  Value value_;
};

// One provider's answer. Empty `resources` = the kubelet's nil or empty map (no preference for
// any resource). std::map gives a deterministic resource order; the merge does not depend on it.
struct ProviderHints {
  std::map<std::string, ResourceHints> resources;
  friend bool operator==(const ProviderHints&, const ProviderHints&) = default;
};

// --- Helpers for providers -------------------------------------------------------------------

// The kubelet's minAffinitySize: the fewest nodes of a non-empty M ⊆ nodes whose summed
// capacity[d] reaches requests[d] for every d; |nodes| when no subset does. capacity[d] is
// indexed by NUMA id. Exact, without enumerating subsets for a single demand.
[[nodiscard]] int MinAffinitySize(const std::vector<std::vector<uint64_t>>& capacity,
                                  const std::vector<uint64_t>& requests, NumaMask nodes);

// Whether the family admits any mask (an empty family is the kubelet's empty list).
[[nodiscard]] bool HasAnyHint(const CapacityHints& family);

// The memory manager's findBestHint over the family's hints that contain `within`:
// the narrowest preferred hint, else the narrowest hint; nullopt when no hint contains it.
[[nodiscard]] std::optional<TopologyHint> FindBestHint(const CapacityHints& family,
                                                       NumaMask within = NumaMask());

// The kubelet's list for a family, in IterateBitMasks order (2^|nodes| - 1 masks are
// examined). ResourceExhausted above 24 nodes. For tests, tools and small machines.
[[nodiscard]] absl::StatusOr<std::vector<TopologyHint>> ExpandHints(const CapacityHints& family);

}  // namespace podalloc
