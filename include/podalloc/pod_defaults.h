// File: podalloc/pod_defaults.h
// The API server's defaulting of the resource fields of a Pod, so that a hand-written
// manifest reads the way the kubelet would see it once stored. Mirrors the resource rules of
// pkg/apis/core/v1/defaults.go: SetDefaults_Pod (container requests from limits, and the
// PodLevelResources rules defaultHugePagePodLimits, defaultPodRequests, defaultPodLimits)
// and SetDefaults_ResourceList (quantities rounded up to milli precision).
//
// The parser (ParsePod, PodFromJson in pod_json.h) applies this by default. Every rule only
// adds missing keys or rounds, so a pod that is already defaulted comes back unchanged.
#pragma once

#include "podalloc/pod.h"

namespace podalloc {

// Which rules apply: the feature gate and the per-release differences of the API server.
struct DefaultingOptions {
  // PodLevelResources (beta, on by default since v1.34): the pod-level rules.
  bool pod_level_resources = true;
  // defaultPodLimits (the newest of the pod-level rules, kubernetes#136120): with pod-level
  // requests and no pod-level limits, cpu and memory limits come from the container
  // aggregate when every container limits that resource. Off matches API servers before it.
  bool pod_limits_from_containers = true;
  // SetDefaults_ResourceList: every quantity of every resource list rounded up to 1m.
  bool round_to_milli = true;
};

// Applies the API server's resource defaulting to `pod`, in its order: container requests
// from limits (init and app containers), then with the gate the pod-level rules, then the
// milli rounding. The API server defaults a pod when it receives it and again when it reads
// it back from storage, and one pass is not always stable (a pod-level limit defaulted by
// the last pod-level rule lets the request rule add more on the next pass), so the pass is
// repeated until it changes nothing: that is the pod the kubelet is served, and it makes
// the call idempotent. Fields other than resources (restart policies, resize policies,
// overhead, which RuntimeClass admission sets) have no resource defaults and are untouched.
// Returns whether anything changed.
bool ApplyApiServerDefaults(Pod& pod, const DefaultingOptions& options = {});

}  // namespace podalloc
