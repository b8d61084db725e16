// The kubelet's checkpoint checksums: FNV-1a 32 over go-spew's "%#v" rendering (config
// Indent " ", SortKeys, DisableMethods, SpewKeys, DisablePointerAddresses,
// DisableCapacities) of a pointer to the checkpoint struct with Checksum 0. In that rendering
// struct fields are "Name:(type)value" separated by single spaces, strings are unquoted, map
// entries "key:value" with ascending keys and no type tags, nil maps "<nil>".
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "checkpoint_internal.h"
#include "podalloc/cpuset.h"

namespace podalloc {
namespace internal::cpu {
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

// "map[k1:v1 k2:v2]" with ascending keys; values rendered by f(key, value).
template <typename Map, typename F>
std::string SpewMapKeyed(const Map& map, F f) {
  std::string out = "map[";
  bool first = true;
  for (const auto& [key, value] : map) {
    if (!first) out += ' ';
    first = false;
    absl::StrAppend(&out, key, ":", f(key, value));
  }
  return out + "]";
}

template <typename Map, typename F>
std::string SpewMap(const Map& map, F f) {
  return SpewMapKeyed(map, [&](const auto&, const auto& value) { return f(value); });
}

}  // namespace

std::string SpewCheckpoint(const CpuCheckpoint& cp, CpuCheckpointFormat format,
                           std::string_view struct_name, const NullMaps& nulls) {
  std::string out =
      absl::StrCat("(*state.", absl::string_view(struct_name.data(), struct_name.size()),
                   "){PolicyName:(string)", cp.policy_name, " DefaultCPUSet:(string)",
                   cp.default_cpu_set, " Entries:");
  if (format == CpuCheckpointFormat::kV1) {
    // V1 entries are container id -> cpuset, kept under the single key "".
    static const std::map<std::string, std::string> kNone;
    auto it = cp.entries.find("");
    out += "(map[string]string)";
    out += nulls.entries ? "<nil>"
                         : SpewMap(it == cp.entries.end() ? kNone : it->second,
                                   [](const std::string& v) { return v; });
  } else {
    out += "(map[string]map[string]string)";
    out += nulls.entries ? "<nil>"
                         : SpewMapKeyed(cp.entries, [&](const std::string& pod, const auto& m) {
                             return nulls.pods.count(pod) > 0
                                        ? std::string("<nil>")
                                        : SpewMap(m, [](const std::string& v) { return v; });
                           });
  }
  if (format == CpuCheckpointFormat::kV3 || format == CpuCheckpointFormat::kV4) {
    out += " PodEntries:(state.PodCPUAssignments)";
    out += nulls.pod_entries ? "<nil>" : SpewMap(cp.pod_entries, [](const std::string& cpus) {
      return absl::StrCat("{CPUSet:", SpewCpuSet(cpus), "}");
    });
  }
  return out + " Checksum:(checksum.Checksum)0}";
}

}  // namespace internal::cpu

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
  return internal::cpu::SpewCheckpoint(checkpoint, format, struct_name, internal::cpu::NullMaps{});
}

uint32_t CpuCheckpointDataChecksum(std::string_view data) {
  // checksum.New(string): spew prints the top-level value's type first.
  std::string text = "(string)";
  text.append(data.data(), data.size());
  return Fnv1a32(text);
}

}  // namespace podalloc
