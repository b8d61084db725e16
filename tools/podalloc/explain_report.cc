#include "explain_report.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "merge_text.h"
#include "simulate_explain.h"
#include "text_table.h"

namespace podalloc::cli {
namespace {

// A cgroup file's value, with the size beside it for the byte-valued memory and hugetlb files:
// "memory.max = 4294967296 (4Gi)".
std::string FileLine(const CgroupFile& f) {
  std::string line = absl::StrCat(f.name, " = ", f.value);
  if (absl::StartsWith(f.name, "memory.") || absl::StartsWith(f.name, "hugetlb.")) {
    if (std::string size = BytesText(f.value); size != f.value) {
      absl::StrAppend(&line, " (", size, ")");
    }
  }
  return line;
}

void PrintFiles(const CgroupFiles& files, std::string_view indent, std::ostream& out) {
  if (files.empty()) out << indent << "(none)\n";
  for (const CgroupFile& f : files) out << indent << FileLine(f) << "\n";
}

void PrintMerge(const MergeRecord& r, std::ostream& out) {
  const MergeExplanation& m = r.merge;
  out << "  " << (r.container.empty() ? "pod" : absl::StrCat("container ", r.container)) << ": "
      << TopologyPolicyName(m.policy) << " policy, merged hint " << HintPhrase(m.merged) << ", "
      << (m.admitted ? "admitted" : "not admitted") << "\n";
  if (!m.blocking_provider.empty()) {
    out << "    no admissible merge once " << m.blocking_provider << "'s hints are added\n";
  }
  if (m.providers.empty()) out << "    no hint providers (CPU and memory managers off)\n";
  PrintProviderHints(m, "    ", out);
}

// Where the container's CPUs come from.
std::string CpuSource(const Decision& d, const ContainerDecision& c) {
  if (c.exclusive_cpus) {
    return d.pod_level ? "exclusive, from the pod's CPUs (pod-level)" : "exclusive";
  }
  if (d.pod_level && !d.pod_shared_pool.IsEmpty() && c.cpus == d.pod_shared_pool) {
    return "shared, the pod's shared pool";
  }
  return "shared, the node's shared pool";
}

std::string MemoryText(const ContainerDecision& c) {
  if (c.memory_nodes.IsEmpty()) return "not pinned (any NUMA node)";
  std::vector<std::string> blocks;
  for (const MemoryBlock& b : c.memory_blocks) {
    blocks.push_back(absl::StrCat(b.type.Name(), " ",
                                  BytesText(absl::StrCat(b.size)), " on NUMA ",
                                  NumaRanges(b.numa_affinity)));
  }
  return absl::StrCat("NUMA ", NumaRanges(c.memory_nodes),
                      blocks.empty() ? "" : absl::StrCat(" (blocks: ", absl::StrJoin(blocks, ", "), ")"));
}

void PrintContainer(const Decision& d, const ContainerDecision& c, std::ostream& out) {
  out << "  " << c.name << " (" << ContainerTypeName(c.type) << ")\n";
  if (c.type == ContainerType::kEphemeral) {
    out << "    ephemeral: not admitted through the resource managers\n";
  }
  out << "    hint:      " << (c.hint.has_value() ? HintPhrase(*c.hint) : "none") << "\n";
  out << "    cpus:      " << (c.cpus.IsEmpty() ? "(none)" : c.cpus.ToString()) << ", "
      << CpuSource(d, c) << "\n";
  out << "    memory:    " << MemoryText(c) << "\n";
  std::vector<std::string> devices;
  for (const auto& [resource, ids] : c.devices) {
    devices.push_back(absl::StrCat(resource, " ", absl::StrJoin(ids, ", ")));
  }
  out << "    devices:   " << (devices.empty() ? "none" : absl::StrJoin(devices, "; ")) << "\n";
  out << "    isolation: " << IsolationLevelName(c.isolation) << ", CFS quota "
      << (c.cpu_quota_disabled ? "off" : "on") << "\n";
  for (const std::string& r : c.reasons) out << "    - " << r << "\n";
  out << "    cgroup files:\n";
  PrintFiles(c.cgroup_files, "      ", out);
}

}  // namespace

void PrintExplanation(const AdmissionExplanation& e, std::ostream& out) {
  const Decision& d = e.decision;
  out << "pod " << d.pod_namespace << "/" << d.pod_name << " (uid " << d.pod_uid << "): "
      << (d.admitted ? "admitted" : "REFUSED") << "\n";
  if (!d.admitted) out << "  reason:  " << d.reason << ": " << d.message << "\n";
  out << "  QoS:     " << QosClassName(d.qos) << "\n"
      << "  scope:   " << TopologyScopeName(d.scope) << "\n"
      << "  pod-level resource managers: " << (d.pod_level ? "yes" : "no") << "\n";
  if (d.pod_hint.has_value()) out << "  pod hint: " << HintPhrase(*d.pod_hint) << "\n";
  if (!d.pod_cpus.IsEmpty()) {
    out << "  pod cpus: " << d.pod_cpus.ToString() << ", pod shared pool "
        << (d.pod_shared_pool.IsEmpty() ? "(empty)" : d.pod_shared_pool.ToString()) << "\n";
  }
  for (const std::string& r : d.reasons) out << "  - " << r << "\n";

  out << "\ntopology manager merges:\n";
  if (e.merges.empty()) {
    out << "  none: " << (e.no_merge_reason.empty() ? "the admission merged nothing"
                                                   : e.no_merge_reason)
        << "\n";
  }
  for (const MergeRecord& r : e.merges) PrintMerge(r, out);
  if (!e.merges.empty() && !e.merges.front().container.empty()) {
    // Scope container: the admission stops at the first container it cannot place.
    for (const ContainerDecision& c : d.containers) {
      if (c.type == ContainerType::kEphemeral) continue;
      bool merged = false;
      for (const MergeRecord& r : e.merges) merged = merged || r.container == c.name;
      if (!merged) out << "  container " << c.name << ": not merged (the admission stopped)\n";
    }
  }

  if (!d.admitted) {
    if (!d.insufficient_resources.empty() || d.preemption.has_value()) out << "\n";
    PrintFitShortfall(d, out);
    out << "\ncontainers (refused: nothing is held; the steps the admission took before):\n";
    for (const ContainerDecision& c : d.containers) {
      out << "  " << c.name << " (" << ContainerTypeName(c.type) << ")\n";
      for (const std::string& r : c.reasons) out << "    - " << r << "\n";
    }
    return;
  }
  if (d.preemption.has_value()) {
    out << "\n";
    PrintFitShortfall(d, out);
  }
  out << "\ncontainers:\n";
  for (const ContainerDecision& c : d.containers) PrintContainer(d, c, out);
  out << "\npod cgroup:\n";
  PrintFiles(d.pod_cgroup_files, "  ", out);
  if (!d.burstable_cgroup_files.empty()) {
    out << "\nkubepods/burstable cgroup once admitted:\n";
    PrintFiles(d.burstable_cgroup_files, "  ", out);
  }
}

}  // namespace podalloc::cli
