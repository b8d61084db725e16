// File: lib/memory_manager/checkpoint_wire.h
// The checkpoint as Go sees it: the kubelet's structs after encoding/json has filled them,
// with nil kept apart from empty (the checksum tells them apart), map keys in Go's orders,
// and the Go renderings the checksums are computed over.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace podalloc::internal {

struct WireTable {
  uint64_t total = 0, system_reserved = 0, allocatable = 0, reserved = 0, free = 0;
};
using WireTables = std::optional<std::map<std::string, std::optional<WireTable>>>;

struct WireNode {
  int64_t number_of_assignments = 0;
  WireTables memory_map;
  std::optional<std::vector<int64_t>> cells;
};

struct WireBlock {
  std::optional<std::vector<int64_t>> numa_affinity;
  std::string type;
  uint64_t size = 0;
};
using WireBlocks = std::optional<std::vector<WireBlock>>;

using WireMachine = std::optional<std::map<int64_t, std::optional<WireNode>>>;
using WireEntries =
    std::optional<std::map<std::string, std::optional<std::map<std::string, WireBlocks>>>>;
using WirePodEntries = std::optional<std::map<std::string, WireBlocks>>;  // PodEntry

// One struct for every layout; fields a layout lacks stay at their defaults. Maps start
// empty rather than nil, as the kubelet's constructors make them.
struct WireCheckpoint {
  std::string policy_name;
  WireMachine machine_state = WireMachine::value_type{};
  WireEntries entries = WireEntries::value_type{};
  WirePodEntries pod_entries = WirePodEntries::value_type{};
  uint64_t checksum = 0;
  std::string data;
  uint64_t data_checksum = 0;
};

// Which fields a layout reads and writes.
enum class WireLayout {
  kV1,    // policyName machineState entries checksum
  kV2,    // + podEntries
  kData,  // the V3 data payload: policyName machineState entries podEntries
  kV3,    // V1's fields + data dataChecksum
};

// json.Unmarshal into the layout's struct. `where` prefixes JSON paths in errors.
absl::StatusOr<WireCheckpoint> WireFromJson(const nlohmann::ordered_json& json,
                                            WireLayout layout, const std::string& where);
// json.Marshal of the layout's struct (compact, Go's key orders and string escaping).
std::string WireToJson(const WireCheckpoint& checkpoint, WireLayout layout);
// spew's %#v of *MemoryManagerCheckpoint (V1 or V2 fields), checksum zeroed: the text the
// legacy checksums hash.
std::string WireHashText(const WireCheckpoint& checkpoint, WireLayout layout);

}  // namespace podalloc::internal
