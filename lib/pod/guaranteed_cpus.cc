#include "podalloc/guaranteed_cpus.h"

#include <algorithm>
#include <climits>
#include <cstdint>

#include "podalloc/pod_resources.h"

namespace podalloc {
namespace {

int ToInt(const Quantity& q) {
  return static_cast<int>(std::clamp<int64_t>(q.Value(), 0, INT_MAX));
}

bool UsesPodLevelBudget(const Pod& pod, const GuaranteedCpusOptions& options) {
  return options.pod_level_resource_managers && IsPodLevelResourcesSet(pod);
}

}  // namespace

bool IsIntegralCpuAmount(const Quantity& cpu) {
  const int64_t value = cpu.Value();
  // Beyond this Value()*1000 overflows in the kubelet too; no CPU count is that large.
  if (value > INT64_MAX / 1000 || value < INT64_MIN / 1000) return false;
  return value * 1000 == cpu.MilliValue();
}

int GuaranteedCpus(const Pod& pod, const Container& container,
                   const GuaranteedCpusOptions& options) {
  const QosOptions qos_options{.pod_level_resources = options.pod_level_resources};
  return GuaranteedCpus(pod, GetPodQos(pod, qos_options), container, options);
}

int GuaranteedCpus(const Pod& pod, QosClass pod_qos, const Container& container,
                   const GuaranteedCpusOptions& options) {
  if (pod_qos != QosClass::kGuaranteed) return 0;
  if (UsesPodLevelBudget(pod, options) && !IsContainerEquivalentGuaranteed(container)) return 0;
  const Quantity cpu = ResourceOrZero(container.resources.requests, kResourceCpu);
  if (!IsIntegralCpuAmount(cpu)) return 0;
  return ToInt(cpu);
}

int PodGuaranteedCpus(const Pod& pod, const GuaranteedCpusOptions& options) {
  const QosOptions qos_options{.pod_level_resources = options.pod_level_resources};
  const QosClass qos = GetPodQos(pod, qos_options);
  if (UsesPodLevelBudget(pod, options)) {
    if (qos != QosClass::kGuaranteed) return 0;
    const Quantity* cpu = FindResource(pod.resources->requests, kResourceCpu);
    if (cpu == nullptr || !IsIntegralCpuAmount(*cpu)) return 0;
    return ToInt(*cpu);
  }
  // KEP-753 sidecar accounting: a regular init container runs alongside the sidecars
  // started before it; sidecars then run alongside the app containers.
  int64_t init_peak = 0;
  int64_t sidecars = 0;
  for (const Container& c : pod.init_containers) {
    if (FindResource(c.resources.requests, kResourceCpu) == nullptr) continue;
    const int64_t n = GuaranteedCpus(pod, qos, c, options);
    if (IsSidecar(c)) {
      sidecars += n;
    } else {
      init_peak = std::max(init_peak, sidecars + n);
    }
  }
  int64_t apps = 0;
  for (const Container& c : pod.containers) {
    if (FindResource(c.resources.requests, kResourceCpu) == nullptr) continue;
    apps += GuaranteedCpus(pod, qos, c, options);
  }
  return static_cast<int>(std::min<int64_t>(std::max(init_peak, apps + sidecars), INT_MAX));
}

}  // namespace podalloc
