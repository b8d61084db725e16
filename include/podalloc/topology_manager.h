// File: podalloc/topology_manager.h
// The topology manager: policy and scope names, policy options, and the merge of every hint
// provider's hints into one best hint plus the policy's admit decision. Mirrors
// pkg/kubelet/cm/topologymanager (topology_manager.go NewManager, policy*.go, policy_options.go,
// scope*.go). Hint data types are in podalloc/hint.h, NUMA ids and distances in
// podalloc/numa_info.h.
//
// Scopes are orchestrated by the caller (the node): with scope container it merges once per
// container (init containers first, then app containers), with scope pod once per pod, and
// feeds the hint to the CPU and memory managers. A non-admitted merge rejects the whole pod
// with TopologyAffinityRejection().
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "podalloc/hint.h"
#include "podalloc/numa_info.h"

namespace podalloc {

enum class TopologyPolicy { kNone, kBestEffort, kRestricted, kSingleNumaNode };
enum class TopologyScope { kContainer, kPod };

// "none", "best-effort", "restricted", "single-numa-node"; else InvalidArgument
// `unknown policy: "<name>"`.
[[nodiscard]] absl::StatusOr<TopologyPolicy> ParseTopologyPolicy(std::string_view name);
const char* TopologyPolicyName(TopologyPolicy policy);
// "container", "pod"; else InvalidArgument `unknown scope: "<name>"`.
[[nodiscard]] absl::StatusOr<TopologyScope> ParseTopologyScope(std::string_view name);
const char* TopologyScopeName(TopologyScope scope);

// --- Policy options (policy_options.go) ------------------------------------------------------

inline constexpr char kPreferClosestNumaNodes[] = "prefer-closest-numa-nodes";
inline constexpr char kMaxAllowableNumaNodes[] = "max-allowable-numa-nodes";
inline constexpr int kDefaultMaxAllowableNumaNodes = 8;

struct TopologyPolicyOptions {
  bool prefer_closest_numa = false;
  int max_allowable_numa_nodes = kDefaultMaxAllowableNumaNodes;
  friend bool operator==(const TopologyPolicyOptions&, const TopologyPolicyOptions&) = default;
};

enum class OptionMaturity { kAlpha, kBeta, kStable };

// Which options exist and at which level, and the two feature gates that unlock them.
// Default(): the kubelet from v1.35 on (both options stable; gates alpha off, beta on).
struct OptionAvailability {
  std::map<std::string, OptionMaturity> levels;
  bool alpha_options_gate = false;  // TopologyManagerPolicyAlphaOptions
  bool beta_options_gate = true;    // TopologyManagerPolicyBetaOptions
  static OptionAvailability Default();
};

// The kubelet's CheckPolicyOptionAvailable: InvalidArgument `unknown Topology Manager Policy
// option: "<name>"`, or `topology manager policy alpha-level options not enabled, but option
// "<name>" provided` (same with beta-level).
[[nodiscard]] absl::Status CheckPolicyOptionAvailable(std::string_view name,
                                                      const OptionAvailability& availability);

// The kubelet's NewPolicyOptions. Options are examined in name order (the kubelet's Go map
// order is random, so with several bad options any of their errors may come first there).
// Errors: availability (above); `bad value for option "<name>": ...` (Go ParseBool syntax);
// `unable to convert policy option to integer "<name>": ...` (Go Atoi syntax);
// `the minimum value of "max-allowable-numa-nodes" should not be less than 8`;
// `unsupported topologymanager option: "<name>" (<value>)` for an available name with no parser.
[[nodiscard]] absl::StatusOr<TopologyPolicyOptions> ParseTopologyPolicyOptions(
    const std::map<std::string, std::string>& raw,
    const OptionAvailability& availability = OptionAvailability::Default());

// --- Merge ----------------------------------------------------------------------------------

struct MergeResult {
  TopologyHint hint;
  bool admit = true;
  friend bool operator==(const MergeResult&, const MergeResult&) = default;
};

// The policy's admit rule for a merged hint: none and best-effort always admit; restricted and
// single-numa-node admit preferred hints only.
bool PolicyAdmits(TopologyPolicy policy, const TopologyHint& hint);

// Merges the providers' hints (in provider registration order) exactly as the kubelet's policy
// `policy` would — same best hint, same admit — without walking the cross product (see
// docs/topology-manager.md). Policy none returns ({nil, false}, admit).
// prefer_closest_numa needs a NumaInfo with distances (FailedPrecondition otherwise) and is
// ignored under single-numa-node, as in the kubelet. InvalidArgument when a capacity or oracle
// family names a node outside `numa`. The NUMA-node limit is the TopologyManager's business,
// not this function's: any count up to 64 is merged.
[[nodiscard]] absl::StatusOr<MergeResult> MergeHints(const std::vector<ProviderHints>& providers,
                                                     TopologyPolicy policy, const NumaInfo& numa,
                                                     const TopologyPolicyOptions& options);

// --- Manager --------------------------------------------------------------------------------

// An immutable, validated topology-manager configuration (the kubelet's NewManager).
// Thread-safe: const methods only.
class TopologyManager {
 public:
  // Checks in the kubelet's order: policy "none" short-circuits (nothing else is validated);
  // options; NUMA info (error prefixed "cannot discover NUMA topology: "); more nodes than
  // max-allowable-numa-nodes → FailedPrecondition `unsupported on machines with more than <n>
  // NUMA Nodes`; unknown policy; unknown scope.
  [[nodiscard]] static absl::StatusOr<TopologyManager> Create(
      const std::vector<NumaInfoNode>& topology, std::string_view policy, std::string_view scope,
      const std::map<std::string, std::string>& policy_options,
      const OptionAvailability& availability = OptionAvailability::Default());

  TopologyPolicy policy() const { return policy_; }
  // Meaningless under policy none (the kubelet builds no scope then); reported as container.
  TopologyScope scope() const { return scope_; }
  const TopologyPolicyOptions& options() const { return options_; }
  const NumaInfo& numa() const { return numa_; }

  // MergeHints with this manager's policy, NUMA info and options.
  [[nodiscard]] absl::StatusOr<MergeResult> Merge(
      const std::vector<ProviderHints>& providers) const {
    return MergeHints(providers, policy_, numa_, options_);
  }

 private:
  TopologyPolicy policy_ = TopologyPolicy::kNone;
  TopologyScope scope_ = TopologyScope::kContainer;
  TopologyPolicyOptions options_;
  NumaInfo numa_;
};

// --- Admission ------------------------------------------------------------------------------

inline constexpr char kTopologyAffinityErrorReason[] = "TopologyAffinityError";
inline constexpr char kTopologyAffinityErrorMessage[] =
    "Resources cannot be allocated with Topology locality";
inline constexpr char kUnexpectedAdmissionErrorReason[] = "UnexpectedAdmissionError";

// The kubelet's lifecycle.PodAdmitResult.
struct AdmitResult {
  bool admit = true;
  std::string reason;
  std::string message;
  friend bool operator==(const AdmitResult&, const AdmitResult&) = default;
};

inline AdmitResult Admitted() { return AdmitResult{}; }
// A merge that the policy did not admit.
AdmitResult TopologyAffinityRejection();
// A provider's Allocate failed (cm/admission GetPodAdmitResult): reason
// UnexpectedAdmissionError, message "Allocate failed due to <error>, which is unexpected".
AdmitResult AllocateFailure(std::string_view error);

}  // namespace podalloc
