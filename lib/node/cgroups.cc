// Completing a placement: containers left in the node's shared pool get its cpuset as it stands
// after this pod, CFS quota is disabled only for exclusive CPUs
// (DisableCPUQuotaWithExclusiveCPUs), and the container, pod and Burstable QoS-class cgroup
// files follow from the cgroup_values module.
#include <vector>

#include "node_internal.h"
#include "podalloc/status_macros.h"

namespace podalloc::internal {

absl::Status FinishPlacement(const Node::Parts& parts, const NodeState& state, const Pod& pod,
                             const Scratch& s, Decision& d) {
  const CpuSet node_shared = parts.cpu.has_value() ? s.cpu.default_cpu_set : parts.topology.cpus();
  const NodeCgroupSettings& settings = parts.cgroups;
  bool any_exclusive = false;
  const std::vector<const Container*> specs = DecisionOrder(pod);
  if (specs.size() != d.containers.size()) {
    return absl::InternalError("the decision's containers are not the pod's");
  }
  for (size_t i = 0; i < d.containers.size(); ++i) {
    ContainerDecision& c = d.containers[i];
    if (c.type == ContainerType::kEphemeral) {
      c.reasons.push_back("ephemeral container: node shared pool, bounded by the pod cgroup");
    }
    if (c.isolation == IsolationLevel::kHost) c.cpus = node_shared;
    c.cpu_quota_disabled = c.exclusive_cpus && settings.cpu_cfs_quota &&
                           settings.disable_cpu_quota_with_exclusive_cpus;
    any_exclusive = any_exclusive || c.exclusive_cpus;
    const Container* spec = specs[i];
    if (spec->name != c.name) return absl::InternalError("container vanished from its pod");
    ContainerPlacement placement{c.isolation, c.cpus, c.memory_nodes};
    PODALLOC_ASSIGN_OR_RETURN(
        c.cgroup_files,
        ContainerCgroupFiles(pod, d.qos, *spec, placement, settings, CpuWeightMapping::kQuadratic));
  }
  PODALLOC_ASSIGN_OR_RETURN(ResourceConfig pod_config,
                            ResourceConfigForPod(pod, settings, any_exclusive));
  PODALLOC_ASSIGN_OR_RETURN(d.pod_cgroup_files, ResourceConfigFiles(pod_config, settings));

  // Only a Burstable pod changes kubepods/burstable's CPU weight; with Memory QoS every pod's
  // memory request moves the class protections. Otherwise the parent stays as it was and
  // summing every admitted pod is skipped.
  if (d.qos == QosClass::kBurstable || settings.memory_qos.enabled) {
    std::vector<Pod> active;
    active.reserve(state.pods.size() + 1);
    for (const auto& [uid, record] : state.pods) active.push_back(record.pod);
    active.push_back(pod);
    PODALLOC_ASSIGN_OR_RETURN(QosClassCgroups classes, QosClassCgroupConfigs(active, settings));
    PODALLOC_ASSIGN_OR_RETURN(d.burstable_cgroup_files,
                              ResourceConfigFiles(classes.burstable, settings));
  }
  return absl::OkStatus();
}

}  // namespace podalloc::internal
