// Pod API validation rules that allocation relies on (a subset of
// pkg/apis/core/validation: ValidatePodSpec, ValidateResourceRequirements).
#pragma once

#include "absl/status/status.h"
#include "podalloc/pod.h"

namespace podalloc::internal {

// InvalidArgument naming the field path and the value when `pod` breaks a rule. The pod-level
// consistency rules (validatePodResourceConsistency) apply with the PodLevelResources gate on.
[[nodiscard]] absl::Status ValidatePod(const Pod& pod, bool pod_level_resources = true);

}  // namespace podalloc::internal
