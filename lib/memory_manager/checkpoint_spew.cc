// The memory manager's checkpoint checksums: the spew dump the kubelet hashes (the shared
// pieces are in podalloc/internal/go_checksum.h) of *state.MemoryManagerCheckpoint with the
// V1 or V2 fields. Beyond the shared rules: pointers below the top level (the machine
// state's NUMA nodes and memory tables) print "<*>" before their value.
#include "absl/strings/str_cat.h"
#include "checkpoint_wire.h"
#include "podalloc/internal/go_checksum.h"
#include "podalloc/memory_checkpoint.h"

namespace podalloc {
namespace internal {
namespace {

using go::AppendSpewMap;
using go::AppendSpewOrNil;
using go::AppendSpewSlice;

void AppendInts(std::string& out, const std::optional<std::vector<int64_t>>& ints) {
  AppendSpewOrNil(out, ints, [](std::string& o, const std::vector<int64_t>& v) {
    AppendSpewSlice(o, v, [](std::string& o2, int64_t i) { absl::StrAppend(&o2, i); });
  });
}

void AppendBlocks(std::string& out, const WireBlocks& blocks) {
  AppendSpewOrNil(out, blocks, [](std::string& o, const std::vector<WireBlock>& v) {
    AppendSpewSlice(o, v, [](std::string& o2, const WireBlock& b) {
      o2 += "{NUMAAffinity:([]int)";
      AppendInts(o2, b.numa_affinity);
      absl::StrAppend(&o2, " Type:(v1.ResourceName)", b.type, " Size:(uint64)", b.size, "}");
    });
  });
}

// A *MemoryTable inside MemoryMap: pointers below the top level print "<*>" before the value.
void AppendTable(std::string& out, const std::optional<WireTable>& table) {
  AppendSpewOrNil(out, table, [](std::string& o, const WireTable& t) {
    absl::StrAppend(&o, "<*>{TotalMemSize:(uint64)", t.total, " SystemReserved:(uint64)",
                    t.system_reserved, " Allocatable:(uint64)", t.allocatable,
                    " Reserved:(uint64)", t.reserved, " Free:(uint64)", t.free, "}");
  });
}

void AppendNode(std::string& out, const std::optional<WireNode>& node) {
  AppendSpewOrNil(out, node, [](std::string& o, const WireNode& n) {
    absl::StrAppend(&o, "<*>{NumberOfAssignments:(int)", n.number_of_assignments,
                    " MemoryMap:(map[v1.ResourceName]*state.MemoryTable)");
    AppendSpewOrNil(o, n.memory_map, [](std::string& o2, const auto& tables) {
      AppendSpewMap(o2, tables, [](std::string& o3, const std::string&, const auto& table) {
        AppendTable(o3, table);
      });
    });
    o += " Cells:([]int)";
    AppendInts(o, n.cells);
    o += '}';
  });
}

// A pod's map[string][]Block: container name -> blocks.
void AppendContainers(std::string& out,
                      const std::optional<std::map<std::string, WireBlocks>>& containers) {
  AppendSpewOrNil(out, containers, [](std::string& o, const auto& by_name) {
    AppendSpewMap(o, by_name, [](std::string& o2, const std::string&, const WireBlocks& blocks) {
      AppendBlocks(o2, blocks);
    });
  });
}

}  // namespace

std::string WireHashText(const WireCheckpoint& c, WireLayout layout) {
  // The legacy struct name: the kubelet hashes V1 and V2 as "MemoryManagerCheckpoint" so
  // that older kubelets accept the files.
  std::string out = go::SpewCheckpointOpen("MemoryManagerCheckpoint");
  absl::StrAppend(&out, "PolicyName:(string)", c.policy_name,
                  " MachineState:(state.NUMANodeMap)");
  AppendSpewOrNil(out, c.machine_state, [](std::string& o, const auto& nodes) {
    AppendSpewMap(o, nodes, [](std::string& o2, int64_t, const std::optional<WireNode>& node) {
      AppendNode(o2, node);
    });
  });
  out += " Entries:(state.ContainerMemoryAssignments)";
  AppendSpewOrNil(out, c.entries, [](std::string& o, const auto& pods) {
    AppendSpewMap(o, pods, [](std::string& o2, const std::string&, const auto& containers) {
      AppendContainers(o2, containers);
    });
  });
  if (layout == WireLayout::kV2) {
    out += " PodEntries:(state.PodMemoryAssignments)";
    AppendSpewOrNil(out, c.pod_entries, [](std::string& o, const auto& pods) {
      AppendSpewMap(o, pods, [](std::string& o2, const std::string&, const WireBlocks& blocks) {
        o2 += "{MemoryBlocks:([]state.Block)";
        AppendBlocks(o2, blocks);
        o2 += '}';
      });
    });
  }
  go::AppendSpewZeroChecksum(out);
  return out;
}

}  // namespace internal

uint32_t MemoryCheckpointChecksum(std::string_view bytes) {
  return internal::go::Fnv1a32(bytes);
}

}  // namespace podalloc
