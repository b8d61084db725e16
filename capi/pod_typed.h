// File: capi/pod_typed.h
// The typed pod of the C ABI (podalloc_pod) read into a Pod, with the JSON reader's
// defaulting and validation; errors name the typed field ("pod->containers[1].limits...").
#pragma once

#include "absl/status/statusor.h"
#include "podalloc/pod.h"
#include "podalloc/podalloc.h"

namespace podalloc::capi {

absl::StatusOr<Pod> PodFromTyped(const podalloc_pod* typed);

}  // namespace podalloc::capi
