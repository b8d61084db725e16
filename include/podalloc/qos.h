// File: podalloc/qos.h
// Pod QoS classes (Guaranteed, Burstable, BestEffort) and the exclusivity test the resource
// managers apply to single containers. Mirrors pkg/apis/core/v1/helper/qos/qos.go
// (ComputePodQOS, GetPodQOS, the per-requirement resourceQOS) and
// pkg/kubelet/cm/qos (IsContainerEquivalentQOSGuaranteed).
//
// Only cpu and memory decide a class. When pod-level resources (`spec.resources`) are
// present and the PodLevelResources gate is on, they alone decide it.
#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "podalloc/pod.h"

namespace podalloc {

enum class QosClass {
  kGuaranteed,
  kBurstable,
  kBestEffort,
};

// "Guaranteed", "Burstable", "BestEffort" (v1.PodQOSClass spelling).
std::string_view QosClassName(QosClass qos);
// Inverse of QosClassName; InvalidArgument naming the text otherwise.
[[nodiscard]] absl::StatusOr<QosClass> ParseQosClass(std::string_view text);

// Feature gates that change classification.
struct QosOptions {
  // PodLevelResources (beta, on by default since v1.34).
  bool pod_level_resources = true;
};

// Class of one set of requirements (resourceQOS): no requests and no limits at all ->
// BestEffort; cpu or memory request != limit -> Burstable; both zero -> BestEffort-ish,
// both equal and non-zero -> Guaranteed-ish, and cpu and memory must agree.
QosClass RequirementsQos(const ResourceRequirements& requirements);

// ComputePodQOS: pod-level resources when set (and gated on), otherwise the combination of
// every init and app container's class (ephemeral containers never count).
QosClass ComputePodQos(const Pod& pod, const QosOptions& options = {});

// GetPodQOS: status.qosClass when it holds a valid class (it is immutable once set, so a
// resize never changes it), otherwise ComputePodQos.
QosClass GetPodQos(const Pod& pod, const QosOptions& options = {});

// IsContainerEquivalentQOSGuaranteed: the container's own cpu and memory requests are
// non-zero and equal to its limits.
bool IsContainerEquivalentGuaranteed(const Container& container);

// Whether a container of a Guaranteed pod is individually eligible for an exclusive slice
// of the pod's resources (KEP-5526): equivalent-Guaranteed and a whole number of CPUs.
bool IsExclusiveEligible(const Container& container);

}  // namespace podalloc
