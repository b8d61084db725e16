// The per-container table of `podalloc simulate` (decision_table.h).
#include "decision_table.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "simulate_explain.h"
#include "text_table.h"

namespace podalloc::cli {
namespace {

std::string FileValue(const CgroupFiles& files, const std::string& name) {
  for (const CgroupFile& f : files) {
    if (f.name == name) return f.value;
  }
  return "-";
}

std::string HintText(const std::optional<TopologyHint>& hint) {
  if (!hint.has_value()) return "-";
  return absl::StrCat(hint->affinity.has_value() ? hint->affinity->ToList() : "any",
                      hint->preferred ? " preferred" : " not preferred");
}

// "nvidia.com/gpu=gpu-0,gpu-1" per resource, ";" between resources: one word for the table.
std::string DevicesText(const ContainerDecision& c) {
  std::vector<std::string> parts;
  for (const auto& [resource, ids] : c.devices) {
    parts.push_back(absl::StrCat(resource, "=", absl::StrJoin(ids, ",")));
  }
  return absl::StrJoin(parts, ";");
}

// The container's memory blocks, "memory=4Gi@NUMA1;hugepages-2Mi=512Mi@NUMA0", one word. A
// container in the pod shared pool holds the pool's blocks, which its pool siblings hold too:
// "pool:" says so, so that they are not read as memory of its own.
std::string MemoryBlocksText(const ContainerDecision& c) {
  std::vector<std::string> parts;
  for (const MemoryBlock& b : c.memory_blocks) {
    parts.push_back(absl::StrCat(b.type.Name(), "=", BytesText(std::to_string(b.size)), "@NUMA",
                                 b.numa_affinity.ToList()));
  }
  const bool pool = c.isolation == IsolationLevel::kPod && !parts.empty();
  return absl::StrCat(pool ? "pool:" : "", absl::StrJoin(parts, ";"));
}

// The CPU reason: the column is about where the container's CPUs come from.
std::string CpuReason(const ContainerDecision& c) {
  for (const std::string& r : c.reasons) {
    if (r.rfind("hint", 0) != 0 && r.rfind("memory", 0) != 0 && r.rfind("devices", 0) != 0) {
      return r;
    }
  }
  return "";
}

}  // namespace

void PrintDecision(const Decision& d, const DecisionTableStyle& style, std::ostream& out) {
  const bool explain = style.explain;
  out << "pod " << d.pod_namespace << "/" << d.pod_name << " (uid " << d.pod_uid << "): "
      << (d.admitted ? "admitted" : "REJECTED") << ", " << QosClassName(d.qos) << ", scope "
      << TopologyScopeName(d.scope) << (d.pod_level ? ", pod-level resource managers" : "")
      << "\n";
  if (!d.admitted) out << "  reason: " << d.reason << ": " << d.message << "\n";
  if (d.pod_hint.has_value()) out << "  pod hint: NUMA " << HintText(d.pod_hint) << "\n";
  if (!d.pod_cpus.IsEmpty()) {
    out << "  pod cpus: " << d.pod_cpus.ToString() << "   pod shared pool: "
        << (d.pod_shared_pool.IsEmpty() ? "(empty)" : d.pod_shared_pool.ToString()) << "\n";
  }
  if (explain) {
    for (const std::string& r : d.reasons) out << "  - " << r << "\n";
    PrintWhy(d, out);
  }
  if (!d.admitted) return;
  // The table's columns; wide adds after them what a placement is debugged with, and the
  // REASON (free text) stays last. With --explain the reasons are listed below instead.
  const bool devices = style.with_devices || style.wide;
  const bool hint = style.wide || explain;
  std::vector<std::string> header = {"CONTAINER", "TYPE", "ISOLATION", "CPUSET", "NUMA", "QUOTA",
                                     "MEMORY.MAX"};
  if (devices) header.push_back("DEVICES");
  if (hint) header.push_back("HINT");
  if (style.wide) {
    for (const char* column : {"MEMORY.BLOCKS", "CPU.MAX", "CPU.WEIGHT"}) header.push_back(column);
  }
  if (!explain) header.push_back("REASON");
  TextTable table(std::move(header));
  for (const ContainerDecision& c : d.containers) {
    std::vector<std::string> row = {c.name, std::string(ContainerTypeName(c.type)),
                                    std::string(IsolationLevelName(c.isolation)),
                                    c.cpus.ToString(), c.memory_nodes.ToList(),
                                    c.cpu_quota_disabled ? "off" : "on",
                                    BytesText(FileValue(c.cgroup_files, "memory.max"))};
    if (devices) row.push_back(DevicesText(c));
    if (hint) row.push_back(HintText(c.hint));
    if (style.wide) {
      row.push_back(MemoryBlocksText(c));
      row.push_back(FileValue(c.cgroup_files, "cpu.max"));
      row.push_back(FileValue(c.cgroup_files, "cpu.weight"));
    }
    if (!explain) row.push_back(CpuReason(c));
    table.AddRow(std::move(row));
  }
  table.Print(out, "  ");
  if (explain) {
    for (const ContainerDecision& c : d.containers) {
      out << "  container " << c.name << ":\n";
      for (const std::string& r : c.reasons) out << "      - " << r << "\n";
      for (const CgroupFile& f : c.cgroup_files) out << "      " << f.name << " = " << f.value << "\n";
    }
  }
  if (explain) {
    out << "  pod cgroup:";
    for (const CgroupFile& f : d.pod_cgroup_files) out << " " << f.name << "=" << f.value;
    out << "\n";
  }
}

}  // namespace podalloc::cli
