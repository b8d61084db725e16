// The CPU manager's checkpoint checksums: the spew dump the kubelet hashes (the shared pieces
// are in podalloc/internal/go_checksum.h) of its V1 to V4 checkpoint structs, whose fields
// are strings and string maps apart from the pod entries' cpuset.CPUSet values.
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "checkpoint_internal.h"
#include "podalloc/cpuset.h"
#include "podalloc/internal/go_checksum.h"

namespace podalloc {
namespace internal::cpu {
namespace {

// A cpuset.CPUSet is struct{ elems map[int]struct{} }; methods are disabled, so its field is
// printed. Text that does not parse cannot reach the kubelet's hash (its unmarshal fails
// first); render it as the empty set.
void AppendCpuSet(std::string& out, const std::string& text) {
  out += "(cpuset.CPUSet){elems:(map[int]struct {})map[";
  if (auto set = CpuSet::Parse(text); set.ok()) {
    go::AppendSpewElements(out, *set,
                           [](std::string& o, int cpu) { absl::StrAppend(&o, cpu, ":{}"); });
  }
  out += "]}";
}

// A map[string]string: container name -> cpuset text.
void AppendContainers(std::string& out, const std::map<std::string, std::string>& containers) {
  go::AppendSpewMap(out, containers,
                    [](std::string& o, const std::string&, const std::string& cpus) { o += cpus; });
}

}  // namespace

std::string SpewCheckpoint(const CpuCheckpoint& cp, CpuCheckpointFormat format,
                           std::string_view struct_name, const NullMaps& nulls) {
  std::string out = go::SpewCheckpointOpen(struct_name);
  absl::StrAppend(&out, "PolicyName:(string)", cp.policy_name, " DefaultCPUSet:(string)",
                  cp.default_cpu_set, " Entries:");
  if (format == CpuCheckpointFormat::kV1) {
    // V1 entries are container id -> cpuset, kept under the single key "".
    out += "(map[string]string)";
    if (nulls.entries) {
      out += go::kSpewNil;
    } else if (auto it = cp.entries.find(""); it != cp.entries.end()) {
      AppendContainers(out, it->second);
    } else {
      AppendContainers(out, {});
    }
  } else {
    out += "(map[string]map[string]string)";
    if (nulls.entries) {
      out += go::kSpewNil;
    } else {
      go::AppendSpewMap(out, cp.entries,
                        [&](std::string& o, const std::string& pod, const auto& containers) {
                          if (nulls.pods.count(pod) > 0) {
                            o += go::kSpewNil;
                          } else {
                            AppendContainers(o, containers);
                          }
                        });
    }
  }
  if (format == CpuCheckpointFormat::kV3 || format == CpuCheckpointFormat::kV4) {
    out += " PodEntries:(state.PodCPUAssignments)";
    if (nulls.pod_entries) {
      out += go::kSpewNil;
    } else {
      go::AppendSpewMap(out, cp.pod_entries,
                        [](std::string& o, const std::string&, const std::string& cpus) {
                          o += "{CPUSet:";
                          AppendCpuSet(o, cpus);
                          o += '}';
                        });
    }
  }
  go::AppendSpewZeroChecksum(out);
  return out;
}

}  // namespace internal::cpu

uint32_t Fnv1a32(std::string_view bytes) { return internal::go::Fnv1a32(bytes); }

std::string CpuCheckpointHashInput(const CpuCheckpoint& checkpoint, CpuCheckpointFormat format,
                                   std::string_view struct_name) {
  return internal::cpu::SpewCheckpoint(checkpoint, format, struct_name, internal::cpu::NullMaps{});
}

uint32_t CpuCheckpointDataChecksum(std::string_view data) {
  return internal::go::StringChecksum(data);
}

}  // namespace podalloc
