// The text the kubelet's checkpoint checksums hash: go-spew's "%#v" of a pointer to the
// checkpoint struct (k8s.io/utils/dump.ForHash: sorted keys, no pointer addresses, no
// capacities). Its shape: the top-level pointer carries its type, `(*state.Name){...}`;
// struct fields are `Name:(type)value`, one space apart; map and slice elements carry no
// type; pointers inside maps print as `<*>` before the value; nil maps, slices and
// pointers print `<nil>`; strings are written raw.
#include "absl/strings/str_cat.h"
#include "checkpoint_wire.h"
#include "podalloc/memory_checkpoint.h"

namespace podalloc {
namespace internal {
namespace {

void AppendInts(std::string& out, const std::optional<std::vector<int64_t>>& v) {
  if (!v) {
    out += "<nil>";
    return;
  }
  out += '[';
  for (size_t i = 0; i < v->size(); ++i) absl::StrAppend(&out, i ? " " : "", (*v)[i]);
  out += ']';
}

void AppendBlocks(std::string& out, const WireBlocks& blocks) {
  if (!blocks) {
    out += "<nil>";
    return;
  }
  out += '[';
  for (size_t i = 0; i < blocks->size(); ++i) {
    const WireBlock& b = (*blocks)[i];
    out += i ? " {NUMAAffinity:([]int)" : "{NUMAAffinity:([]int)";
    AppendInts(out, b.numa_affinity);
    absl::StrAppend(&out, " Type:(v1.ResourceName)", b.type, " Size:(uint64)", b.size, "}");
  }
  out += ']';
}

void AppendNode(std::string& out, const WireNode& n) {
  absl::StrAppend(&out, "<*>{NumberOfAssignments:(int)", n.number_of_assignments,
                  " MemoryMap:(map[v1.ResourceName]*state.MemoryTable)");
  if (!n.memory_map) {
    out += "<nil>";
  } else {
    out += "map[";
    bool first = true;
    for (const auto& [name, table] : *n.memory_map) {
      absl::StrAppend(&out, first ? "" : " ", name, ":");
      first = false;
      if (!table) {
        out += "<nil>";
        continue;
      }
      absl::StrAppend(&out, "<*>{TotalMemSize:(uint64)", table->total,
                      " SystemReserved:(uint64)", table->system_reserved,
                      " Allocatable:(uint64)", table->allocatable, " Reserved:(uint64)",
                      table->reserved, " Free:(uint64)", table->free, "}");
    }
    out += ']';
  }
  out += " Cells:([]int)";
  AppendInts(out, n.cells);
  out += '}';
}

}  // namespace

std::string WireHashText(const WireCheckpoint& c, WireLayout layout) {
  // The legacy struct name: the kubelet hashes V1 and V2 as "MemoryManagerCheckpoint" so
  // that older kubelets accept the files.
  std::string out = absl::StrCat("(*state.MemoryManagerCheckpoint){PolicyName:(string)",
                                 c.policy_name, " MachineState:(state.NUMANodeMap)");
  if (!c.machine_state) {
    out += "<nil>";
  } else {
    out += "map[";
    bool first = true;
    for (const auto& [id, node] : *c.machine_state) {
      absl::StrAppend(&out, first ? "" : " ", id, ":");
      first = false;
      if (node) {
        AppendNode(out, *node);
      } else {
        out += "<nil>";
      }
    }
    out += ']';
  }
  out += " Entries:(state.ContainerMemoryAssignments)";
  if (!c.entries) {
    out += "<nil>";
  } else {
    out += "map[";
    bool first_pod = true;
    for (const auto& [pod, containers] : *c.entries) {
      absl::StrAppend(&out, first_pod ? "" : " ", pod, ":");
      first_pod = false;
      if (!containers) {
        out += "<nil>";
        continue;
      }
      out += "map[";
      bool first = true;
      for (const auto& [name, blocks] : *containers) {
        absl::StrAppend(&out, first ? "" : " ", name, ":");
        first = false;
        AppendBlocks(out, blocks);
      }
      out += ']';
    }
    out += ']';
  }
  if (layout == WireLayout::kV2) {
    out += " PodEntries:(state.PodMemoryAssignments)";
    if (!c.pod_entries) {
      out += "<nil>";
    } else {
      out += "map[";
      bool first = true;
      for (const auto& [pod, blocks] : *c.pod_entries) {
        absl::StrAppend(&out, first ? "" : " ", pod, ":{MemoryBlocks:([]state.Block)");
        first = false;
        AppendBlocks(out, blocks);
        out += '}';
      }
      out += ']';
    }
  }
  out += " Checksum:(checksum.Checksum)0}";
  return out;
}

}  // namespace internal

uint32_t MemoryCheckpointChecksum(std::string_view bytes) {
  uint32_t hash = 2166136261u;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 16777619u;
  }
  return hash;
}

}  // namespace podalloc
