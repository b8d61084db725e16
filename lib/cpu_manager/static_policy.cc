// NewStaticPolicy (options, reserved CPUs), Start/validateState, the policy's takeByTopology,
// allocateCPUs and the SMT alignment check (policy_static.go).
#include <algorithm>
#include <climits>
#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "cpu_layout.h"
#include "podalloc/cpu_manager.h"
#include "podalloc/status_macros.h"

namespace podalloc {
namespace {

constexpr char kReasonPayload[] = "type.podalloc.dev/cpu-manager-reason";
constexpr char kSmtAlignmentReason[] = "SMTAlignmentError";

std::string Quoted(const CpuSet& set) { return absl::StrCat("\"", set.ToString(), "\""); }

absl::Status SmtError(std::string text) {
  absl::Status s = absl::FailedPreconditionError(text);
  s.SetPayload(kReasonPayload, absl::Cord(kSmtAlignmentReason));
  return s;
}

}  // namespace

std::string SmtAlignmentErrorText(int requested_cpus, int cpus_per_core) {
  return absl::StrCat("SMT Alignment Error: requested ", requested_cpus,
                      " cpus not multiple cpus per core = ", cpus_per_core);
}

std::string SmtAlignmentPhysicalErrorText(int requested_cpus, int cpus_per_core,
                                          int available_physical_cpus) {
  return absl::StrCat(
      "SMT Alignment Error: not enough free physical CPUs: available physical CPUs = ",
      available_physical_cpus, ", requested CPUs = ", requested_cpus,
      ", CPUs per core = ", cpus_per_core);
}

bool IsSmtAlignmentError(const absl::Status& status) {
  auto payload = status.GetPayload(kReasonPayload);
  return payload.has_value() && *payload == kSmtAlignmentReason;
}

int NumReservedCpusFromMillis(int64_t millicpus) {
  if (millicpus <= 0) return 0;
  // Saturate: no machine has that many CPUs, and the take then fails with the kubelet's text.
  return static_cast<int>(std::min<int64_t>(millicpus / 1000 + (millicpus % 1000 != 0), INT_MAX));
}

absl::StatusOr<int> StaticPolicyReservedCpuCount(const Quantity* cpu_reservation) {
  if (cpu_reservation == nullptr) {
    return absl::InvalidArgumentError(
        "[cpumanager] unable to determine reserved CPU resources for static policy");
  }
  if (cpu_reservation->Sign() <= 0) {
    return absl::InvalidArgumentError(
        "[cpumanager] the static policy requires systemreserved.cpu + kubereserved.cpu to be "
        "greater than zero");
  }
  return NumReservedCpusFromMillis(cpu_reservation->MilliValue());
}

CpuStaticPolicy::CpuStaticPolicy(Topology topology, CpuPolicyOptions options)
    : topology_(std::move(topology)), layout_(topology_), options_(options) {}

absl::StatusOr<CpuStaticPolicy> CpuStaticPolicy::Create(const Topology& topology,
                                                        const CpuStaticPolicyConfig& config) {
  PODALLOC_ASSIGN_OR_RETURN(CpuPolicyOptions options,
                            ParseCpuPolicyOptions(config.options, config.gates));
  PODALLOC_RETURN_IF_ERROR(
      ValidateCpuPolicyOptions(options, topology, config.topology_manager_policy));
  if (config.num_reserved_cpus < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("num_reserved_cpus ", config.num_reserved_cpus, " is negative"));
  }
  CpuStaticPolicy policy(topology, options);
  policy.pod_level_resource_managers_ = config.pod_level_resource_managers;

  CpuSet reserved = config.reserved_cpus;
  if (reserved.IsEmpty()) {
    // Low-numbered cores first, with the configured options (errors leave the set empty).
    auto taken = policy.TakeByTopology(topology.cpus(), config.num_reserved_cpus);
    if (taken.ok()) reserved = *taken;
  }
  if (reserved.Size() != config.num_reserved_cpus) {
    return absl::InvalidArgumentError(
        absl::StrCat("[cpumanager] unable to reserve the required amount of CPUs (size of ",
                     reserved.ToString(), " did not equal ", config.num_reserved_cpus, ")"));
  }
  for (int cpu : reserved) {
    if (topology.cpu(cpu) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "[cpumanager] unable to build the reserved physical CPUs from the reserved set: "
          "unknown CPU ID: ",
          cpu));
    }
  }
  policy.reserved_ = reserved;
  policy.reserved_physical_ = policy.layout_.CoreSiblingsOf(reserved);
  return policy;
}

absl::Status CpuStaticPolicy::Start(CpuManagerState& state) const {
  CpuSet all = topology_.cpus();
  if (options_.strict_cpu_reservation) all -= reserved_;

  if (state.default_cpu_set.IsEmpty()) {
    if (!state.assignments.empty()) {
      return absl::FailedPreconditionError("default cpuset cannot be empty");
    }
    state.default_cpu_set = all;
    return absl::OkStatus();
  }
  const CpuSet& def = state.default_cpu_set;
  if (options_.strict_cpu_reservation) {
    if (reserved_.Intersects(def)) {
      return absl::FailedPreconditionError(
          absl::StrCat("some of strictly reserved cpus: ", Quoted(reserved_ & def),
                       " are present in defaultCpuSet: ", Quoted(def)));
    }
  } else if (!reserved_.IsSubsetOf(def)) {
    return absl::FailedPreconditionError(
        absl::StrCat("not all reserved cpus: ", Quoted(reserved_),
                     " are present in defaultCpuSet: ", Quoted(def)));
  }
  CpuSet known = def;
  for (const auto& [pod, containers] : state.assignments) {
    for (const auto& [container, cpus] : containers) {
      if (cpus.Intersects(def)) {
        return absl::FailedPreconditionError(
            absl::StrCat("pod: ", pod, ", container: ", container, " cpuset: ", Quoted(cpus),
                         " overlaps with default cpuset ", Quoted(def)));
      }
      known |= cpus;
    }
  }
  if (pod_level_resource_managers_) {
    for (const auto& [pod, cpus] : state.pod_assignments) known |= cpus;
  }
  if (known != all) {
    return absl::FailedPreconditionError(absl::StrCat("current set of available CPUs ", Quoted(all),
                                                      " doesn't match with CPUs in state ",
                                                      Quoted(known)));
  }
  return absl::OkStatus();
}

CpuSet CpuStaticPolicy::AllocatableCpus() const { return topology_.cpus() - reserved_; }

CpuSet CpuStaticPolicy::AvailableCpus(const CpuManagerState& state) const {
  return state.default_cpu_set - reserved_;
}

CpuSet CpuStaticPolicy::AvailablePhysicalCpus(const CpuManagerState& state) const {
  return state.default_cpu_set - reserved_physical_;
}

absl::Status CpuStaticPolicy::EnforceSmtAlignment(const CpuManagerState& state,
                                                  int num_cpus) const {
  if (!options_.full_physical_cpus_only) return absl::OkStatus();
  const int group = layout_.cpus_per_core();
  if (group > 0 && num_cpus % group != 0) {
    return SmtError(SmtAlignmentErrorText(num_cpus, group));
  }
  const int physical = AvailablePhysicalCpus(state).Size();
  if (num_cpus > physical) {
    return SmtError(SmtAlignmentPhysicalErrorText(num_cpus, group, physical));
  }
  return absl::OkStatus();
}

absl::StatusOr<CpuSet> CpuStaticPolicy::TakeByTopology(const CpuSet& available,
                                                       int num_cpus) const {
  const CpuSortingStrategy strategy = options_.distribute_cpus_across_cores
                                          ? CpuSortingStrategy::kSpread
                                          : CpuSortingStrategy::kPacked;
  if (options_.distribute_cpus_across_numa) {
    const int group = options_.full_physical_cpus_only ? layout_.cpus_per_core() : 1;
    return internal::cpu::TakeDistributed(layout_.data(), available, num_cpus, group, strategy);
  }
  return internal::cpu::TakePacked(layout_.data(), available, num_cpus, strategy,
                                   options_.prefer_align_by_uncore_cache);
}

absl::StatusOr<CpuSet> CpuStaticPolicy::ChooseCpus(const CpuSet& pool, int num_cpus,
                                                   std::optional<NumaMask> affinity) const {
  if (!affinity.has_value()) return TakeByTopology(pool, num_cpus);
  CpuSet result;
  {
    // getAlignedCPUs: the affinity's NUMA nodes, or with align-by-socket every socket they
    // touch.
    CpuSet aligned;
    const std::vector<int> numa_ids = affinity->GetBits();
    if (options_.align_by_socket) {
      for (int socket : layout_.SocketsOfNumaNodes(numa_ids)) {
        aligned |= pool & layout_.CpusInSocket(socket);
      }
    } else {
      for (int id : numa_ids) aligned |= pool & layout_.CpusInNumaNode(id);
    }
    const int take = std::min(num_cpus, aligned.Size());
    PODALLOC_ASSIGN_OR_RETURN(result, TakeByTopology(aligned, take));
  }
  PODALLOC_ASSIGN_OR_RETURN(CpuSet rest, TakeByTopology(pool - result, num_cpus - result.Size()));
  return result | rest;
}

}  // namespace podalloc
