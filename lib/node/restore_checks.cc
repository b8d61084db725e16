// What a restored state must hold beyond the managers' Start validation. The kubelet's
// validateState only checks that the CPUs of a checkpoint add up to the machine and that the
// memory tables match a replay of the blocks; a file that is internally consistent but names
// a pod the kubelet does not run, gives one CPU to two pods or more memory than a NUMA node
// has, passes. podalloc checks every entry against the pods it is given and every CPU
// against the machine, and names the entry that breaks the rule.
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "node_internal.h"
#include "podalloc/pod_resources.h"
#include "podalloc/status_macros.h"

namespace podalloc::internal {
namespace {

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

// The record a manager's entry for `uid` must belong to.
absl::StatusOr<const PodRecord*> ListedPod(const NodeState& state, const char* manager,
                                          const char* field, const std::string& uid) {
  auto it = state.pods.find(uid);
  if (it == state.pods.end()) {
    return absl::InvalidArgumentError(absl::StrCat(manager, " state names pod ", Quote(uid),
                                                   " (", field, "), which is not listed"));
  }
  return &it->second;
}

absl::Status CheckContainerEntry(const PodRecord& record, const char* manager,
                                 const std::string& uid, const std::string& container) {
  if (record.containers.contains(container)) return absl::OkStatus();
  const bool removed = FindContainer(record.pod, container) != nullptr;
  return absl::InvalidArgumentError(absl::StrCat(
      manager, " state has an entry for container ", Quote(container), " of pod ", Quote(uid),
      removed ? ", which was removed" : ", which is not one of the pod's init or app containers"));
}

// A pod-level entry (KEP-5526) only ever comes from a pod with pod-level resources, and is
// released with the pod's last container entry: without one it could never be released.
absl::Status CheckPodEntry(const PodRecord& record, const char* manager, const std::string& uid,
                           bool has_container_entries) {
  if (!IsPodLevelResourcesSet(record.pod)) {
    return absl::InvalidArgumentError(
        absl::StrCat(manager, " state has a pod-level entry (podEntries) for pod ", Quote(uid),
                     ", which has no pod-level resources (spec.resources)"));
  }
  if (!has_container_entries) {
    return absl::InvalidArgumentError(
        absl::StrCat(manager, " state has a pod-level entry (podEntries) for pod ", Quote(uid),
                     " but no entry for any of its containers"));
  }
  return absl::OkStatus();
}

// One manager's container entries (pod -> container -> value) and pod-level entries
// (pod -> value), CPU sets or memory blocks alike.
template <typename ContainerEntries, typename PodEntries>
absl::Status CheckManagerEntries(const NodeState& state, const char* manager,
                                 const ContainerEntries& entries, const PodEntries& pod_entries) {
  for (const auto& [uid, containers] : entries) {
    PODALLOC_ASSIGN_OR_RETURN(const PodRecord* record, ListedPod(state, manager, "entries", uid));
    for (const auto& [name, value] : containers) {
      PODALLOC_RETURN_IF_ERROR(CheckContainerEntry(*record, manager, uid, name));
    }
  }
  for (const auto& [uid, value] : pod_entries) {
    PODALLOC_ASSIGN_OR_RETURN(const PodRecord* record,
                              ListedPod(state, manager, "podEntries", uid));
    PODALLOC_RETURN_IF_ERROR(CheckPodEntry(*record, manager, uid, entries.contains(uid)));
  }
  return absl::OkStatus();
}

bool IsRegularInit(const Pod& pod, const std::string& container) {
  for (const Container& c : pod.init_containers) {
    if (c.name == container) return !IsSidecar(c);
  }
  return false;
}

absl::Status CpuError(std::string text) {
  return absl::FailedPreconditionError(absl::StrCat("cpu manager state: ", text));
}

// The CPUs of `cpus` outside the machine or reserved, named for `who`.
absl::Status CheckCpusOf(const Node::Parts& parts, const CpuSet& cpus, const std::string& who) {
  const CpuSet unknown = cpus - parts.topology.cpus();
  if (!unknown.IsEmpty()) {
    return CpuError(absl::StrCat(who, " holds CPUs ", Quote(unknown.ToString()),
                                 ", which the machine does not have (online CPUs ",
                                 Quote(parts.topology.cpus().ToString()), ")"));
  }
  const CpuSet reserved = cpus & parts.cpu->reserved_cpus();
  if (!reserved.IsEmpty()) {
    return CpuError(absl::StrCat(who, " holds the reserved CPUs ", Quote(reserved.ToString()),
                                 ", which are never exclusive"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckRestoredEntries(const NodeState& state) {
  PODALLOC_RETURN_IF_ERROR(CheckManagerEntries(state, "cpu manager", state.cpu.assignments,
                                               state.cpu.pod_assignments));
  PODALLOC_RETURN_IF_ERROR(CheckManagerEntries(state, "memory manager", state.memory.assignments,
                                               state.memory.pod_assignments));
  // The device manager keeps a removed container's devices while its pod runs, so an entry
  // may name any init or app container of a listed pod.
  for (const auto& [uid, containers] : state.devices.pod_devices()) {
    PODALLOC_ASSIGN_OR_RETURN(const PodRecord* record,
                              ListedPod(state, "device manager", "PodDeviceEntries", uid));
    for (const auto& [name, resources] : containers) {
      if (FindContainer(record->pod, name) == nullptr) {
        return absl::InvalidArgumentError(absl::StrCat(
            "device manager state has an entry for container ", Quote(name), " of pod ",
            Quote(uid), ", which is not one of the pod's init or app containers"));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status CheckRestoredCpus(const Node::Parts& parts, const NodeState& state) {
  if (!parts.cpu.has_value()) return absl::OkStatus();
  const CpuManagerState& cpu = state.cpu;
  const CpuSet unknown = cpu.default_cpu_set - parts.topology.cpus();
  if (!unknown.IsEmpty()) {
    return CpuError(absl::StrCat("defaultCpuSet holds CPUs ", Quote(unknown.ToString()),
                                 ", which the machine does not have"));
  }
  // The holder of every CPU of the pods checked so far, to name both holders of a CPU held
  // twice.
  std::map<int, std::string> owner;
  CpuSet taken;
  auto name_holders = [](std::map<int, std::string>& holders, const CpuSet& cpus,
                         const std::string& who) {
    for (int c : cpus) holders.try_emplace(c, who);
  };
  for (const auto& [uid, containers] : cpu.assignments) {
    const Pod& pod = state.pods.at(uid).pod;  // CheckRestoredEntries ran first
    const auto pod_set = cpu.pod_assignments.find(uid);
    const bool pod_level = pod_set != cpu.pod_assignments.end();
    CpuSet footprint;
    std::map<int, std::string> mine;
    if (pod_level) {
      const std::string who = absl::StrCat("pod ", Quote(uid), " (podEntries)");
      PODALLOC_RETURN_IF_ERROR(CheckCpusOf(parts, pod_set->second, who));
      const CpuSet shared = pod_set->second & cpu.default_cpu_set;
      if (!shared.IsEmpty()) {
        return CpuError(absl::StrCat(who, " holds CPUs ", Quote(shared.ToString()),
                                     " that are also in defaultCpuSet"));
      }
      footprint = pod_set->second;
      name_holders(mine, footprint, who);
    }
    CpuSet exclusive;  // CPUs of the pod's containers that no sibling may hold
    std::map<int, std::string> exclusive_owner;
    for (const auto& [name, cpus] : containers) {
      const std::string who = absl::StrCat("pod ", Quote(uid), " container ", Quote(name));
      PODALLOC_RETURN_IF_ERROR(CheckCpusOf(parts, cpus, who));
      if (pod_level) {
        // A pod-level pod's containers share the pod's set (slices and the pod shared pool).
        if (!cpus.IsSubsetOf(pod_set->second)) {
          return CpuError(absl::StrCat(who, " holds CPUs ",
                                       Quote((cpus - pod_set->second).ToString()),
                                       " outside the pod's set ",
                                       Quote(pod_set->second.ToString())));
        }
        continue;
      }
      // Within a pod only a regular init container's CPUs are handed out again, to the
      // containers that start once it has finished; any two others hold disjoint sets.
      if (!IsRegularInit(pod, name)) {
        const CpuSet twice = cpus & exclusive;
        if (!twice.IsEmpty()) {
          const int at = *twice.begin();
          return CpuError(
              absl::StrCat("CPU ", at, " is held by ", exclusive_owner[at], " and by ", who));
        }
        exclusive |= cpus;
        name_holders(exclusive_owner, cpus, who);
      }
      footprint |= cpus;
      name_holders(mine, cpus, who);
    }
    const CpuSet twice = footprint & taken;
    if (!twice.IsEmpty()) {
      const int at = *twice.begin();
      return CpuError(absl::StrCat("CPU ", at, " is held by ", owner[at], " and by ", mine[at]));
    }
    taken |= footprint;
    owner.merge(mine);
  }
  return absl::OkStatus();
}

}  // namespace podalloc::internal
