// The kubelet's checkpoint checksums: FNV-1a 32 over go-spew's "%#v" rendering (config
// Indent " ", SortKeys, DisableMethods, SpewKeys, DisablePointerAddresses,
// DisableCapacities) of a pointer to the checkpoint struct with Checksum 0. In that rendering
// struct fields are "Name:(type)value" separated by single spaces, strings are unquoted, map
// entries "key:value" with ascending keys and no type tags, nil maps "<nil>".
#include <vector>

#include "absl/strings/str_cat.h"
#include "checkpoint_internal.h"
#include "podalloc/cpuset.h"

namespace podalloc {
namespace internal {
namespace {

// A cpuset.CPUSet is struct{ elems map[int]struct{} }; methods are disabled, so its field is
// printed. Text that does not parse cannot reach the kubelet's hash (its unmarshal fails
// first); render it as the empty set.
std::string SpewCpuSet(const std::string& text) {
  std::string out = "(cpuset.CPUSet){elems:(map[int]struct {})map[";
  auto set = CpuSet::Parse(text);
  bool first = true;
  if (set.ok()) {
    for (int cpu : *set) {
      if (!first) out += ' ';
      first = false;
      absl::StrAppend(&out, cpu, ":{}");
    }
  }
  return out + "]}";
}

}  // namespace

std::string SpewCheckpoint(const CpuCheckpoint& cp, CpuCheckpointFormat format,
                           std::string_view struct_name, const NullMaps& nulls) {
  std::string out = absl::StrCat("(*state.", absl::string_view(struct_name.data(), struct_name.size()),
                                 "){PolicyName:(string)", cp.policy_name,
                                 " DefaultCPUSet:(string)", cp.default_cpu_set, " Entries:");
  if (format == CpuCheckpointFormat::kV1) {
    out += "(map[string]string)";
    if (nulls.entries) {
      out += "<nil>";
    } else {
      out += "map[";
      bool first = true;
      for (const auto& [pod, containers] : cp.entries) {
        for (const auto& [id, cpus] : containers) {
          if (!first) out += ' ';
          first = false;
          absl::StrAppend(&out, id, ":", cpus);
        }
      }
      out += "]";
    }
  } else {
    out += "(map[string]map[string]string)";
    if (nulls.entries) {
      out += "<nil>";
    } else {
      out += "map[";
      bool first = true;
      for (const auto& [pod, containers] : cp.entries) {
        if (!first) out += ' ';
        first = false;
        absl::StrAppend(&out, pod, ":");
        if (nulls.pods.count(pod) > 0) {
          out += "<nil>";
          continue;
        }
        out += "map[";
        bool first_container = true;
        for (const auto& [name, cpus] : containers) {
          if (!first_container) out += ' ';
          first_container = false;
          absl::StrAppend(&out, name, ":", cpus);
        }
        out += "]";
      }
      out += "]";
    }
  }
  if (format == CpuCheckpointFormat::kV3 || format == CpuCheckpointFormat::kV4) {
    out += " PodEntries:(state.PodCPUAssignments)";
    if (nulls.pod_entries) {
      out += "<nil>";
    } else {
      out += "map[";
      bool first = true;
      for (const auto& [pod, cpus] : cp.pod_entries) {
        if (!first) out += ' ';
        first = false;
        absl::StrAppend(&out, pod, ":{CPUSet:", SpewCpuSet(cpus), "}");
      }
      out += "]";
    }
  }
  return out + " Checksum:(checksum.Checksum)0}";
}

}  // namespace internal

uint32_t Fnv1a32(std::string_view bytes) {
  uint32_t h = 2166136261u;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

std::string CpuCheckpointHashInput(const CpuCheckpoint& checkpoint, CpuCheckpointFormat format,
                                   std::string_view struct_name) {
  return internal::SpewCheckpoint(checkpoint, format, struct_name, internal::NullMaps{});
}

uint32_t CpuCheckpointDataChecksum(std::string_view data) {
  // checksum.New(string): spew prints the top-level value's type first.
  std::string text = "(string)";
  text.append(data.data(), data.size());
  return Fnv1a32(text);
}

}  // namespace podalloc
