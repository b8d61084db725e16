// File: podalloc/guaranteed_cpus.h
// How many exclusive CPUs the CPU manager's static policy gives a container and a whole pod:
// the pure parts of pkg/kubelet/cm/cpumanager/policy_static.go (guaranteedCPUs,
// podGuaranteedCPUs, isIntegralCPUAmount). Only Guaranteed pods asking for whole CPUs get
// any; sidecars count for the pod's whole life, regular init containers only while they run.
#pragma once

#include "podalloc/pod.h"
#include "podalloc/qos.h"
#include "podalloc/quantity.h"

namespace podalloc {

// The feature gates these rules read.
struct GuaranteedCpusOptions {
  // PodLevelResources (beta, on by default): pod-level resources decide the QoS class.
  bool pod_level_resources = true;
  // PodLevelResourceManagers (KEP-5526, alpha in v1.36, off by default): the pod-level CPU
  // request is the pod's budget and only equivalent-Guaranteed containers get exclusives.
  bool pod_level_resource_managers = false;
};

// isIntegralCPUAmount: Value()*1000 == MilliValue(). Note this is the kubelet's test, not
// exact whole-ness: both round up, so e.g. 1999.5m counts as 2 CPUs.
bool IsIntegralCpuAmount(const Quantity& cpu);

// guaranteedCPUs: 0 unless the pod is Guaranteed; with pod-level resources set (and the
// PodLevelResourceManagers gate on) 0 unless the container itself is
// equivalent-Guaranteed; 0 unless its CPU request is integral; else that request.
int GuaranteedCpus(const Pod& pod, const Container& container,
                   const GuaranteedCpusOptions& options = {});
// The same for a pod whose QoS class (GetPodQos under the same gate) is already known: working
// the class out walks every container, so a caller going through a pod's containers does it
// once instead of once per container.
int GuaranteedCpus(const Pod& pod, QosClass pod_qos, const Container& container,
                   const GuaranteedCpusOptions& options = {});

// podGuaranteedCPUs: with pod-level resources set (gate on), the integral pod-level CPU
// request of a Guaranteed pod (else 0). Otherwise max(peak of each regular init container
// plus the sidecars declared before it, app containers plus all sidecars), over containers
// that have a CPU request key at all.
int PodGuaranteedCpus(const Pod& pod, const GuaranteedCpusOptions& options = {});

}  // namespace podalloc
