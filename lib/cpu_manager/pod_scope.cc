// validatePodScopeResources (KEP-5526): a pod-level CPU budget must leave CPUs for every
// container that needs the pod's shared pool (policy_static.go).
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "podalloc/cpu_manager.h"

namespace podalloc {

absl::Status ValidatePodScopeCpus(const PodCpuRequest& pod) {
  const int total = pod.exclusive_cpus;
  bool shared_long_running = false;
  // Exclusive CPUs of containers that run for the pod's whole life (sidecars so far, then
  // app containers).
  int long_running_exclusive = 0;
  for (const ContainerCpuDemand& c : pod.containers) {
    if (c.kind == CpuContainerKind::kInit) {
      // Regular init containers run one at a time, next to the sidecars started before them.
      const int pool = total - long_running_exclusive;
      if (c.exclusive_cpus > 0) {
        if (c.exclusive_cpus > pool) {
          return absl::FailedPreconditionError(
              absl::StrCat("pod rejected, largest exclusive init container requests ",
                           c.exclusive_cpus, " cpus, but only ", pool, " available"));
        }
      } else if (long_running_exclusive >= total) {
        return absl::FailedPreconditionError(
            "pod rejected, pod has shared init containers but no cpus available for them");
      }
      continue;
    }
    if (c.exclusive_cpus == 0) {
      shared_long_running = true;
      continue;
    }
    long_running_exclusive += c.exclusive_cpus;
  }
  if (shared_long_running && long_running_exclusive >= total) {
    return absl::FailedPreconditionError(
        "pod rejected, sum of exclusive container cpu requests equals pod budget, leaving no "
        "cpus for shared containers");
  }
  return absl::OkStatus();
}

}  // namespace podalloc
