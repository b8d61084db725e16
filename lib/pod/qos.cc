#include "podalloc/qos.h"

#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "podalloc/guaranteed_cpus.h"
#include "podalloc/internal/input_quote.h"

namespace podalloc {

std::string_view QosClassName(QosClass qos) {
  switch (qos) {
    case QosClass::kGuaranteed:
      return "Guaranteed";
    case QosClass::kBurstable:
      return "Burstable";
    case QosClass::kBestEffort:
      return "BestEffort";
  }
  return "BestEffort";
}

absl::StatusOr<QosClass> ParseQosClass(std::string_view text) {
  for (QosClass q : {QosClass::kGuaranteed, QosClass::kBurstable, QosClass::kBestEffort}) {
    if (QosClassName(q) == text) return q;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("QoS class ", internal::QuoteInput(text),
                   " is not one of Guaranteed, Burstable, BestEffort"));
}

QosClass RequirementsQos(const ResourceRequirements& r) {
  if (r.requests.empty() && r.limits.empty()) return QosClass::kBestEffort;
  // resourceQOS: every QoS resource must agree on "both zero" or "equal and non-zero".
  bool decided = false;
  bool best_effort = false;
  for (std::string_view name : {kResourceCpu, kResourceMemory}) {
    const Quantity request = ResourceOrZero(r.requests, name);
    const Quantity limit = ResourceOrZero(r.limits, name);
    if (request != limit) return QosClass::kBurstable;
    const bool zero = request.IsZero();
    if (!decided) {
      decided = true;
      best_effort = zero;
    } else if (zero != best_effort) {
      return QosClass::kBurstable;
    }
  }
  return best_effort ? QosClass::kBestEffort : QosClass::kGuaranteed;
}

QosClass ComputePodQos(const Pod& pod, const QosOptions& options) {
  // The gate and a non-nil spec.resources decide, not whether it holds supported keys.
  if (options.pod_level_resources && pod.resources.has_value()) {
    return RequirementsQos(*pod.resources);
  }
  bool any = false;
  QosClass pod_qos = QosClass::kBestEffort;
  for (const auto* list : {&pod.init_containers, &pod.containers}) {
    for (const Container& c : *list) {
      const QosClass qos = RequirementsQos(c.resources);
      if (qos == QosClass::kBurstable) return qos;
      if (!any) {
        any = true;
        pod_qos = qos;
      } else if (qos != pod_qos) {
        return QosClass::kBurstable;  // BestEffort mixed with Guaranteed
      }
    }
  }
  return pod_qos;
}

QosClass GetPodQos(const Pod& pod, const QosOptions& options) {
  if (!pod.status.qos_class.empty()) {
    auto recorded = ParseQosClass(pod.status.qos_class);
    if (recorded.ok()) return *recorded;
  }
  return ComputePodQos(pod, options);
}

bool IsContainerEquivalentGuaranteed(const Container& c) {
  for (std::string_view name : {kResourceCpu, kResourceMemory}) {
    const Quantity request = ResourceOrZero(c.resources.requests, name);
    if (request.IsZero() || request != ResourceOrZero(c.resources.limits, name)) return false;
  }
  return true;
}

bool IsExclusiveEligible(const Container& c) {
  if (!IsContainerEquivalentGuaranteed(c)) return false;
  const Quantity cpu = ResourceOrZero(c.resources.requests, kResourceCpu);
  return cpu.Sign() > 0 && IsIntegralCpuAmount(cpu);
}

}  // namespace podalloc
