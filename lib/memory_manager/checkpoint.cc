// The checkpoint's layouts and checksums (checkpoint.go, state_checkpoint.go): what is
// written, how each layout is verified, and the fallback from V3 to V2 to V1.
#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "checkpoint_wire.h"
#include "podalloc/internal/go_checksum.h"
#include "podalloc/internal/json_input.h"
#include "podalloc/memory_checkpoint.h"

namespace podalloc {
namespace {

using internal::WireBlocks;
using internal::WireCheckpoint;
using internal::WireLayout;
using Json = nlohmann::ordered_json;

// --- model -> wire: the maps and slices the kubelet holds are never nil ---------------------

std::vector<int64_t> Ids(NumaMask mask) {
  std::vector<int64_t> out;
  for (int id : mask.GetBits()) out.push_back(id);
  return out;
}

std::vector<internal::WireBlock> ToWire(const std::vector<MemoryBlock>& blocks) {
  std::vector<internal::WireBlock> out;
  for (const MemoryBlock& b : blocks) {
    out.push_back(internal::WireBlock{Ids(b.numa_affinity), b.type.Name(), b.size});
  }
  return out;
}

WireCheckpoint ToWire(const MemoryCheckpoint& c) {
  WireCheckpoint w;
  w.policy_name = c.policy_name;
  for (const MemoryNumaNodeState& n : c.machine_state.nodes) {
    internal::WireNode node;
    node.number_of_assignments = n.number_of_assignments;
    node.memory_map.emplace();
    for (const MemoryResourceTable& t : n.memory) {
      (*node.memory_map)[t.resource.Name()] = internal::WireTable{
          t.table.total, t.table.system_reserved, t.table.allocatable, t.table.reserved,
          t.table.free};
    }
    node.cells = Ids(n.cells);
    (*w.machine_state)[n.id] = std::move(node);
  }
  for (const auto& [pod, containers] : c.entries) {
    auto& slot = (*w.entries)[pod];
    slot.emplace();
    for (const auto& [name, blocks] : containers) (*slot)[name] = ToWire(blocks);
  }
  for (const auto& [pod, blocks] : c.pod_entries) {
    // memoryBlocks is omitempty, so an empty list reads back as nil.
    WireBlocks& slot = (*w.pod_entries)[pod];
    if (!blocks.empty()) slot = ToWire(blocks);
  }
  return w;
}

// --- wire -> model: what podalloc cannot hold is an error ----------------------------------

absl::Status Invalid(const std::string& path, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("checkpoint ", path, ": ", what));
}

absl::StatusOr<NumaMask> ToMask(const std::optional<std::vector<int64_t>>& ids,
                                const std::string& path) {
  NumaMask mask;
  if (!ids) return mask;
  for (int64_t id : *ids) {
    if (id < 0 || id >= NumaMask::kMaxNodes) {
      return Invalid(path, absl::StrCat("NUMA node ", id, " is out of range (0..63)"));
    }
    if (mask.IsSet(static_cast<int>(id))) {
      return Invalid(path, absl::StrCat("NUMA node ", id, " is listed twice"));
    }
    mask.Set(static_cast<int>(id));
  }
  return mask;
}

absl::StatusOr<std::vector<MemoryBlock>> FromWire(const WireBlocks& blocks,
                                                  const std::string& path) {
  std::vector<MemoryBlock> out;
  if (!blocks) return out;
  for (size_t i = 0; i < blocks->size(); ++i) {
    const std::string at = absl::StrCat(path, "[", i, "]");
    absl::StatusOr<NumaMask> mask = ToMask((*blocks)[i].numa_affinity, at + ".numaAffinity");
    if (!mask.ok()) return mask.status();
    absl::StatusOr<MemoryResource> type = MemoryResource::Parse((*blocks)[i].type);
    if (!type.ok()) return Invalid(at + ".type", type.status().message());
    out.push_back(MemoryBlock{*mask, *type, (*blocks)[i].size});
  }
  return out;
}

absl::StatusOr<MemoryMachineState> FromWire(const internal::WireMachine& machine) {
  MemoryMachineState out;
  if (!machine) return out;
  for (const auto& [id, node] : *machine) {
    const std::string at = absl::StrCat("machineState[\"", id, "\"]");
    if (id < 0 || id >= NumaMask::kMaxNodes) return Invalid(at, "NUMA id is out of range (0..63)");
    if (!node) return Invalid(at, "is null");
    MemoryNumaNodeState& n = out.nodes.emplace_back();
    n.id = static_cast<int>(id);
    n.number_of_assignments = node->number_of_assignments;
    absl::StatusOr<NumaMask> cells = ToMask(node->cells, at + ".cells");
    if (!cells.ok()) return cells.status();
    n.cells = *cells;
    if (!node->memory_map) continue;
    for (const auto& [name, table] : *node->memory_map) {
      const std::string where = absl::StrCat(at, ".memoryMap[\"", name, "\"]");
      if (!table) return Invalid(where, "is null");
      absl::StatusOr<MemoryResource> r = MemoryResource::Parse(name);
      if (!r.ok()) return Invalid(where, r.status().message());
      if (n.Find(*r) != nullptr) return Invalid(where, "names a resource listed before");
      n.memory.push_back(
          MemoryResourceTable{*r, MemoryTable{table->total, table->system_reserved,
                                              table->allocatable, table->reserved, table->free}});
      std::sort(n.memory.begin(), n.memory.end(),
                [](const MemoryResourceTable& a, const MemoryResourceTable& b) {
                  return a.resource < b.resource;
                });
    }
  }
  return out;  // std::map keeps the ids ascending
}

absl::StatusOr<MemoryCheckpoint> FromWire(const WireCheckpoint& w) {
  MemoryCheckpoint c;
  c.policy_name = w.policy_name;
  absl::StatusOr<MemoryMachineState> machine = FromWire(w.machine_state);
  if (!machine.ok()) return machine.status();
  c.machine_state = std::move(*machine);
  if (w.entries) {
    for (const auto& [pod, containers] : *w.entries) {
      ContainerMemoryBlocks& out = c.entries[pod];
      if (!containers) continue;
      for (const auto& [name, blocks] : *containers) {
        absl::StatusOr<std::vector<MemoryBlock>> b =
            FromWire(blocks, absl::StrCat("entries[\"", pod, "\"][\"", name, "\"]"));
        if (!b.ok()) return b.status();
        out[name] = std::move(*b);
      }
    }
  }
  if (w.pod_entries) {
    for (const auto& [pod, blocks] : *w.pod_entries) {
      absl::StatusOr<std::vector<MemoryBlock>> b =
          FromWire(blocks, absl::StrCat("podEntries[\"", pod, "\"].memoryBlocks"));
      if (!b.ok()) return b.status();
      c.pod_entries[pod] = std::move(*b);
    }
  }
  return c;
}

// --- layouts -------------------------------------------------------------------------------

absl::Status Corrupted(std::string_view prefix, uint64_t stored, uint64_t computed) {
  return absl::DataLossError(absl::StrCat(std::string(prefix), "checkpoint is corrupted (stored ",
                                          stored, ", computed ", computed, ")"));
}

absl::StatusOr<Json> Parse(std::string_view text, std::string_view what) {
  absl::StatusOr<Json> doc = internal::ParseOrderedJson(text);
  if (doc.ok()) return doc;
  return absl::InvalidArgumentError(absl::StrCat("failed to deserialize ", std::string(what),
                                                 ": ", doc.status().message()));
}

absl::StatusOr<DecodedMemoryCheckpoint> Decoded(const WireCheckpoint& w,
                                                MemoryCheckpointFormat format) {
  absl::StatusOr<MemoryCheckpoint> c = FromWire(w);
  if (!c.ok()) return c.status();
  return DecodedMemoryCheckpoint{std::move(*c), format};
}

// loadAndMigrateCheckpointV3: nullopt means "not a V3 file, try the older layouts".
std::optional<absl::StatusOr<DecodedMemoryCheckpoint>> DecodeV3(const Json& json) {
  constexpr std::string_view kPrefix = "could not load v3 checkpoint: ";
  absl::StatusOr<WireCheckpoint> outer = internal::WireFromJson(json, WireLayout::kV3, "$");
  absl::Status failure;
  bool claims_v3 = false;
  if (outer.ok()) {
    claims_v3 = !outer->data.empty() || outer->data_checksum != 0;
    absl::StatusOr<Json> data = Parse(outer->data, "memory manager checkpoint data");
    absl::StatusOr<WireCheckpoint> inner =
        data.ok() ? internal::WireFromJson(*data, WireLayout::kData, "$.data") : data.status();
    if (inner.ok()) {
      const uint64_t computed = internal::go::StringChecksum(outer->data);
      if (computed != outer->data_checksum) {
        return Corrupted(kPrefix, outer->data_checksum, computed);
      }
      return Decoded(*inner, MemoryCheckpointFormat::kV3);
    }
    failure = inner.status();
  } else {
    // Go keeps decoding after a type error, so "data" may still have been read.
    failure = outer.status();
    if (json.is_object()) {
      auto data = json.find("data");
      auto sum = json.find("dataChecksum");
      claims_v3 = (data != json.end() && data->is_string() && !data->get<std::string>().empty()) ||
                  (sum != json.end() && sum->is_number() && sum->get<double>() != 0);
    }
  }
  if (!claims_v3) return std::nullopt;
  return absl::Status(failure.code(), absl::StrCat(std::string(kPrefix), failure.message()));
}

}  // namespace

std::string EncodeMemoryCheckpoint(const MemoryCheckpoint& checkpoint) {
  WireCheckpoint w = ToWire(checkpoint);
  w.data = internal::WireToJson(w, WireLayout::kData);
  w.data_checksum = internal::go::StringChecksum(w.data);
  // The V1 fields and checksum keep the file readable by kubelets that predate V3.
  w.checksum = MemoryCheckpointChecksum(internal::WireHashText(w, WireLayout::kV1));
  return internal::WireToJson(w, WireLayout::kV3);
}

absl::StatusOr<DecodedMemoryCheckpoint> DecodeMemoryCheckpoint(std::string_view text) {
  absl::StatusOr<Json> json = Parse(text, "memory manager checkpoint");
  if (!json.ok()) return json.status();
  if (auto v3 = DecodeV3(*json)) return *v3;

  // loadAndMigrateCheckpointV2: a V2 file whose checksum fails falls back to V1, which may
  // still accept it (its checksum leaves pod entries out, and 0 means "none").
  absl::StatusOr<WireCheckpoint> v2 = internal::WireFromJson(*json, WireLayout::kV2, "$");
  if (v2.ok() &&
      MemoryCheckpointChecksum(internal::WireHashText(*v2, WireLayout::kV2)) == v2->checksum) {
    return Decoded(*v2, MemoryCheckpointFormat::kV2);
  }
  absl::StatusOr<WireCheckpoint> v1 = internal::WireFromJson(*json, WireLayout::kV1, "$");
  if (!v1.ok()) return v1.status();
  if (v1->checksum != 0) {
    const uint64_t computed =
        MemoryCheckpointChecksum(internal::WireHashText(*v1, WireLayout::kV1));
    if (computed != v1->checksum) return Corrupted("", v1->checksum, computed);
  }
  return Decoded(*v1, MemoryCheckpointFormat::kV1);
}

absl::Status CheckMemoryCheckpointPolicy(const MemoryCheckpoint& checkpoint,
                                         std::string_view configured_policy) {
  if (checkpoint.policy_name == configured_policy) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "[memorymanager] configured policy \"", std::string(configured_policy),
      "\" differs from state checkpoint policy \"", checkpoint.policy_name, "\""));
}

std::string MemoryCheckpointHashText(const MemoryCheckpoint& checkpoint, bool with_pod_entries) {
  return internal::WireHashText(ToWire(checkpoint),
                                with_pod_entries ? WireLayout::kV2 : WireLayout::kV1);
}

}  // namespace podalloc
