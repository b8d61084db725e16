// Writing the checkpoint's JSON as Go's encoding/json does: compact, struct fields in
// declaration order, map keys sorted by their text, `omitempty` fields left out when empty,
// strings escaped like Go (go::AppendJsonString).
#include <map>

#include "absl/strings/str_cat.h"
#include "checkpoint_wire.h"
#include "podalloc/internal/go_checksum.h"

namespace podalloc::internal {
namespace {

using go::AppendJsonString;

void AppendInts(std::string& out, const std::optional<std::vector<int64_t>>& v) {
  if (!v) {
    out += "null";
    return;
  }
  out += '[';
  for (size_t i = 0; i < v->size(); ++i) absl::StrAppend(&out, i ? "," : "", (*v)[i]);
  out += ']';
}

void AppendBlocks(std::string& out, const WireBlocks& blocks) {
  if (!blocks) {
    out += "null";
    return;
  }
  out += '[';
  for (size_t i = 0; i < blocks->size(); ++i) {
    const WireBlock& b = (*blocks)[i];
    out += i ? ",{\"numaAffinity\":" : "{\"numaAffinity\":";
    AppendInts(out, b.numa_affinity);
    out += ",\"type\":";
    AppendJsonString(out, b.type);
    absl::StrAppend(&out, ",\"size\":", b.size, "}");
  }
  out += ']';
}

void AppendMachine(std::string& out, const WireMachine& machine) {
  if (!machine) {
    out += "null";
    return;
  }
  // encoding/json sorts map keys by their text, so node 10 comes before node 2.
  std::map<std::string, const std::optional<WireNode>*> by_text;
  for (const auto& [id, node] : *machine) by_text[absl::StrCat(id)] = &node;
  out += '{';
  bool first = true;
  for (const auto& [key, node] : by_text) {
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, key);
    out += ':';
    if (!*node) {
      out += "null";
      continue;
    }
    const WireNode& n = **node;
    absl::StrAppend(&out, "{\"numberOfAssignments\":", n.number_of_assignments,
                    ",\"memoryMap\":");
    if (!n.memory_map) {
      out += "null";
    } else {
      out += '{';
      bool first_table = true;
      for (const auto& [name, t] : *n.memory_map) {
        if (!first_table) out += ',';
        first_table = false;
        AppendJsonString(out, name);
        out += ':';
        if (!t) {
          out += "null";
          continue;
        }
        absl::StrAppend(&out, "{\"total\":", t->total, ",\"systemReserved\":",
                        t->system_reserved, ",\"allocatable\":", t->allocatable,
                        ",\"reserved\":", t->reserved, ",\"free\":", t->free, "}");
      }
      out += '}';
    }
    out += ",\"cells\":";
    AppendInts(out, n.cells);
    out += '}';
  }
  out += '}';
}

// `omitempty`: nil and empty maps are left out.
void AppendEntries(std::string& out, const WireEntries& entries) {
  if (!entries || entries->empty()) return;
  out += ",\"entries\":{";
  bool first_pod = true;
  for (const auto& [pod, containers] : *entries) {
    if (!first_pod) out += ',';
    first_pod = false;
    AppendJsonString(out, pod);
    out += ':';
    if (!containers) {
      out += "null";
      continue;
    }
    out += '{';
    bool first = true;
    for (const auto& [name, blocks] : *containers) {
      if (!first) out += ',';
      first = false;
      AppendJsonString(out, name);
      out += ':';
      AppendBlocks(out, blocks);
    }
    out += '}';
  }
  out += '}';
}

void AppendPodEntries(std::string& out, const WirePodEntries& pods) {
  if (!pods || pods->empty()) return;
  out += ",\"podEntries\":{";
  bool first = true;
  for (const auto& [pod, blocks] : *pods) {
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, pod);
    out += ":{";
    if (blocks && !blocks->empty()) {  // memoryBlocks is omitempty too
      out += "\"memoryBlocks\":";
      AppendBlocks(out, blocks);
    }
    out += '}';
  }
  out += '}';
}

}  // namespace

std::string WireToJson(const WireCheckpoint& c, WireLayout layout) {
  std::string out = "{\"policyName\":";
  AppendJsonString(out, c.policy_name);
  out += ",\"machineState\":";
  AppendMachine(out, c.machine_state);
  AppendEntries(out, c.entries);
  if (layout == WireLayout::kV2 || layout == WireLayout::kData) {
    AppendPodEntries(out, c.pod_entries);
  }
  if (layout != WireLayout::kData) absl::StrAppend(&out, ",\"checksum\":", c.checksum);
  if (layout == WireLayout::kV3) {
    out += ",\"data\":";
    AppendJsonString(out, c.data);
    absl::StrAppend(&out, ",\"dataChecksum\":", c.data_checksum);
  }
  out += '}';
  return out;
}

}  // namespace podalloc::internal
