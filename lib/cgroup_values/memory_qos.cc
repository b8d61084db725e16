// Memory QoS (KEP-2570): memory.high, memory.min and memory.low of container, pod and
// QoS-class cgroups.
#include "podalloc/memory_qos.h"

#include <cmath>
#include <optional>
#include <span>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "podalloc/internal/checked_math.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/pod_resources.h"

namespace podalloc {

std::string_view MemoryReservationPolicyName(MemoryReservationPolicy policy) {
  switch (policy) {
    case MemoryReservationPolicy::kNone:
      return "None";
    case MemoryReservationPolicy::kTieredReservation:
      return "TieredReservation";
    case MemoryReservationPolicy::kRequestsAsMin:
      return "RequestsAsMin";
  }
  return "None";
}

absl::StatusOr<MemoryReservationPolicy> ParseMemoryReservationPolicy(std::string_view text) {
  for (MemoryReservationPolicy p :
       {MemoryReservationPolicy::kNone, MemoryReservationPolicy::kTieredReservation,
        MemoryReservationPolicy::kRequestsAsMin}) {
    if (MemoryReservationPolicyName(p) == text) return p;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("memory reservation policy ", internal::QuoteInput(text),
                   " is not one of None, TieredReservation, RequestsAsMin"));
}

absl::Status ValidateMemoryQosConfig(const MemoryQosConfig& config) {
  if (config.throttling_factor.has_value()) {
    const double f = *config.throttling_factor;
    // The negated test also rejects NaN.
    if (!(f > 0.0 && f <= 1.0)) {
      return absl::InvalidArgumentError(
          absl::StrCat("memory_qos.throttling_factor ", f, " is outside (0, 1]"));
    }
  }
  if (config.page_size <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("memory_qos.page_size ", config.page_size, " is not positive"));
  }
  if (config.node_allocatable_memory < 0) {
    return absl::InvalidArgumentError(absl::StrCat("memory_qos.node_allocatable_memory ",
                                                   config.node_allocatable_memory, " is negative"));
  }
  return absl::OkStatus();
}

std::optional<int64_t> ContainerMemoryHigh(int64_t request, int64_t limit,
                                           const MemoryQosConfig& config) {
  if (!config.throttling_factor.has_value() || config.page_size <= 0) return std::nullopt;
  // A container whose request equals its (non-zero) limit cannot overcommit, so it is never
  // throttled; 0/0 (BestEffort) is throttled against allocatable (kubernetes#137685).
  if (request == limit && request != 0) return std::nullopt;
  int64_t ceiling = limit;
  if (ceiling == 0) {
    if (config.node_allocatable_memory <= 0) return std::nullopt;
    ceiling = config.node_allocatable_memory;
  }
  // The kubelet's float64 expression, operation for operation.
  const double f = *config.throttling_factor;
  const double page = static_cast<double>(config.page_size);
  const double r = static_cast<double>(request);
  const double pages = std::floor((r + (static_cast<double>(ceiling) - r) * f) / page);
  const int64_t high = static_cast<int64_t>(pages) * config.page_size;
  if (high == 0 || high <= request) return std::nullopt;
  return high;
}

MemoryProtection RequestProtection(QosClass pod_qos, int64_t request,
                                   MemoryReservationPolicy policy) {
  MemoryProtection p;
  if (request <= 0) return p;
  switch (policy) {
    case MemoryReservationPolicy::kNone:
      break;
    case MemoryReservationPolicy::kRequestsAsMin:
      p.min = request;
      break;
    case MemoryReservationPolicy::kTieredReservation:
      if (pod_qos == QosClass::kGuaranteed) {
        p.min = request;
      } else if (pod_qos == QosClass::kBurstable) {
        p.low = request;
      }
      break;
  }
  return p;
}

QosMemoryRequests SumQosMemoryRequests(std::span<const Pod> pods, const QosOptions& options) {
  QosMemoryRequests sums;
  for (const Pod& pod : pods) {
    const QosClass qos = GetPodQos(pod, options);
    if (qos == QosClass::kBestEffort) continue;
    // getQoSMemoryRequests uses PodRequests with default options: overhead in, pod-level
    // resources in (it does not consult the PodLevelResources gate).
    const int64_t request = ResourceOrZero(PodRequests(pod), kResourceMemory).Value();
    int64_t& sum = qos == QosClass::kGuaranteed ? sums.guaranteed : sums.burstable;
    sum = internal::SaturatingAdd(sum, request);  // never wraps to a negative protection
  }
  return sums;
}

QosClassProtection QosClassMemoryProtection(const QosMemoryRequests& sums,
                                            MemoryReservationPolicy policy) {
  QosClassProtection p;
  if (policy == MemoryReservationPolicy::kNone) return p;
  // cgroup v2 only honours a child's protection up to what its parent protects, so the root
  // must cover Guaranteed (min) and Burstable (low) children alike.
  const int64_t root = internal::SaturatingAdd(sums.guaranteed, sums.burstable);
  if (root > 0) p.root.min = root;
  if (sums.burstable > 0) {
    if (policy == MemoryReservationPolicy::kTieredReservation) {
      p.burstable.low = sums.burstable;
    } else {
      p.burstable.min = sums.burstable;
    }
  }
  return p;
}

}  // namespace podalloc
