// Between the policy's state and the checkpoint's text fields (state_checkpoint.go
// storeState / restoreState).
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "podalloc/cpu_checkpoint.h"

namespace podalloc {
namespace {

std::string Quote(std::string_view s) {
  return absl::StrCat("\"", absl::string_view(s.data(), s.size()), "\"");
}

}  // namespace

CpuCheckpoint CpuCheckpointFromState(const CpuManagerState& state, std::string_view policy_name) {
  CpuCheckpoint cp;
  cp.policy_name = std::string(policy_name);
  cp.default_cpu_set = state.default_cpu_set.ToString();
  for (const auto& [pod, containers] : state.assignments) {
    auto& out = cp.entries[pod];
    for (const auto& [name, cpus] : containers) out[name] = cpus.ToString();
  }
  for (const auto& [pod, cpus] : state.pod_assignments) cp.pod_entries[pod] = cpus.ToString();
  return cp;
}

absl::StatusOr<CpuManagerState> CpuStateFromCheckpoint(const CpuCheckpoint& cp,
                                                       std::string_view policy_name) {
  if (cp.policy_name != policy_name) {
    return absl::FailedPreconditionError(absl::StrCat("configured policy ", Quote(policy_name),
                                                      " differs from state checkpoint policy ",
                                                      Quote(cp.policy_name)));
  }
  CpuManagerState state;
  auto def = CpuSet::Parse(cp.default_cpu_set);
  if (!def.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("could not parse default cpu set ",
                                                   Quote(cp.default_cpu_set), ": ",
                                                   def.status().message()));
  }
  state.default_cpu_set = *def;
  for (const auto& [pod, containers] : cp.entries) {
    auto& out = state.assignments[pod];
    for (const auto& [name, text] : containers) {
      auto cpus = CpuSet::Parse(text);
      if (!cpus.ok()) {
        return absl::InvalidArgumentError(absl::StrCat("could not parse cpuset ", Quote(text),
                                                       " for container ", Quote(name), " in pod ",
                                                       Quote(pod), ": ", cpus.status().message()));
      }
      out[name] = *cpus;
    }
    // A pod without containers is not a state entry (the kubelet deletes empty pods).
    if (out.empty()) state.assignments.erase(pod);
  }
  for (const auto& [pod, text] : cp.pod_entries) {
    auto cpus = CpuSet::Parse(text);
    if (!cpus.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("failed to parse cpuset ", Quote(text),
                                                     " of pod ", Quote(pod), ": ",
                                                     cpus.status().message()));
    }
    state.pod_assignments[pod] = *cpus;
  }
  return state;
}

}  // namespace podalloc
