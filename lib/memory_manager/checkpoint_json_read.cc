// Reading the checkpoint's JSON as Go's encoding/json does: unknown fields ignored, field
// names matched case-insensitively, null leaving scalars alone and making maps, slices and
// pointers nil, every map element decoded from zero.
#include <charconv>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "checkpoint_wire.h"
#include "podalloc/internal/json_input.h"

namespace podalloc::internal {
namespace {

using Json = nlohmann::ordered_json;

absl::Status TypeError(const std::string& path, std::string_view want, const Json& got) {
  return absl::InvalidArgumentError(absl::StrCat("checkpoint JSON ", path, ": expected ",
                                                 std::string(want), ", found ",
                                                 got.type_name(), " ", JsonExcerpt(got)));
}

// Go assigns keys in document order, so with several spellings of a field the last wins.
const Json* Field(const Json& object, std::string_view name) {
  return internal::GoJsonField(object, name);
}

absl::Status ReadUint(const Json& j, const std::string& path, uint64_t& out) {
  if (j.is_null()) return absl::OkStatus();
  if (j.is_number_unsigned()) {
    out = j.get<uint64_t>();
  } else if (j.is_number_integer() && j.get<int64_t>() >= 0) {
    out = static_cast<uint64_t>(j.get<int64_t>());
  } else {
    return TypeError(path, "an unsigned integer", j);
  }
  return absl::OkStatus();
}

absl::Status ReadInt(const Json& j, const std::string& path, int64_t& out) {
  if (j.is_null()) return absl::OkStatus();
  if (j.is_number_integer() && !j.is_number_unsigned()) {
    out = j.get<int64_t>();
  } else if (j.is_number_unsigned() && j.get<uint64_t>() <= INT64_MAX) {
    out = static_cast<int64_t>(j.get<uint64_t>());
  } else {
    return TypeError(path, "an integer", j);
  }
  return absl::OkStatus();
}

absl::Status ReadString(const Json& j, const std::string& path, std::string& out) {
  if (j.is_null()) return absl::OkStatus();
  if (!j.is_string()) return TypeError(path, "a string", j);
  out = j.get<std::string>();
  return absl::OkStatus();
}

absl::Status ReadInts(const Json& j, const std::string& path,
                      std::optional<std::vector<int64_t>>& out) {
  if (j.is_null()) {
    out.reset();
    return absl::OkStatus();
  }
  if (!j.is_array()) return TypeError(path, "an array of integers", j);
  out.emplace();
  for (size_t i = 0; i < j.size(); ++i) {
    int64_t v = 0;
    if (absl::Status s = ReadInt(j[i], absl::StrCat(path, "[", i, "]"), v); !s.ok()) return s;
    out->push_back(v);
  }
  return absl::OkStatus();
}

// Reads `object`'s members into an optional map, calling read(key, value, path, slot).
template <typename Map, typename ReadEntry>
absl::Status ReadMap(const Json& j, const std::string& path, std::optional<Map>& out,
                     ReadEntry read) {
  if (j.is_null()) {
    out.reset();
    return absl::OkStatus();
  }
  if (!j.is_object()) return TypeError(path, "an object", j);
  if (!out) out.emplace();
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (absl::Status s = read(it.key(), it.value(), absl::StrCat(path, "[\"", it.key(), "\"]"), *out);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status ReadTable(const Json& j, const std::string& path, WireTable& t) {
  if (!j.is_object()) return TypeError(path, "an object", j);
  struct F {
    const char* name;
    uint64_t* slot;
  } fields[] = {{"total", &t.total},       {"systemReserved", &t.system_reserved},
                {"allocatable", &t.allocatable}, {"reserved", &t.reserved},
                {"free", &t.free}};
  for (const F& f : fields) {
    if (const Json* v = Field(j, f.name)) {
      if (absl::Status s = ReadUint(*v, absl::StrCat(path, ".", f.name), *f.slot); !s.ok()) {
        return s;
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ReadBlocks(const Json& j, const std::string& path, WireBlocks& out) {
  if (j.is_null()) {
    out.reset();
    return absl::OkStatus();
  }
  if (!j.is_array()) return TypeError(path, "an array of blocks", j);
  out.emplace();
  for (size_t i = 0; i < j.size(); ++i) {
    const std::string at = absl::StrCat(path, "[", i, "]");
    const Json& e = j[i];
    WireBlock& b = out->emplace_back();
    if (e.is_null()) continue;
    if (!e.is_object()) return TypeError(at, "an object", e);
    if (const Json* v = Field(e, "numaAffinity")) {
      if (absl::Status s = ReadInts(*v, at + ".numaAffinity", b.numa_affinity); !s.ok()) return s;
    }
    if (const Json* v = Field(e, "type")) {
      if (absl::Status s = ReadString(*v, at + ".type", b.type); !s.ok()) return s;
    }
    if (const Json* v = Field(e, "size")) {
      if (absl::Status s = ReadUint(*v, at + ".size", b.size); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

absl::Status ReadNode(const Json& j, const std::string& path, WireNode& n) {
  if (!j.is_object()) return TypeError(path, "an object", j);
  if (const Json* v = Field(j, "numberOfAssignments")) {
    if (absl::Status s = ReadInt(*v, path + ".numberOfAssignments", n.number_of_assignments);
        !s.ok()) {
      return s;
    }
  }
  if (const Json* v = Field(j, "memoryMap")) {
    absl::Status s = ReadMap(*v, path + ".memoryMap", n.memory_map,
                             [](const std::string& key, const Json& value, const std::string& at,
                                auto& map) -> absl::Status {
                               std::optional<WireTable>& slot = map[key];
                               if (value.is_null()) {
                                 slot.reset();
                                 return absl::OkStatus();
                               }
                               slot.emplace();  // a map element starts from zero
                               return ReadTable(value, at, *slot);
                             });
    if (!s.ok()) return s;
  }
  if (const Json* v = Field(j, "cells")) {
    if (absl::Status s = ReadInts(*v, path + ".cells", n.cells); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status ReadMachine(const Json& j, const std::string& path, WireMachine& out) {
  return ReadMap(j, path, out,
                 [](const std::string& key, const Json& value, const std::string& at,
                    auto& map) -> absl::Status {
                   // Go parses the keys of a map[int] with strconv.ParseInt.
                   int64_t id = 0;
                   std::string_view k = key;
                   if (!k.empty() && k.front() == '+') k.remove_prefix(1);
                   auto [ptr, ec] = std::from_chars(k.data(), k.data() + k.size(), id);
                   if (k.empty() || ec != std::errc() || ptr != k.data() + k.size()) {
                     return absl::InvalidArgumentError(absl::StrCat(
                         "checkpoint JSON ", at, ": NUMA node key \"", key,
                         "\" is not an integer"));
                   }
                   std::optional<WireNode>& slot = map[id];
                   if (value.is_null()) {
                     slot.reset();
                     return absl::OkStatus();
                   }
                   slot.emplace();  // a map element starts from zero
                   return ReadNode(value, at, *slot);
                 });
}

absl::Status ReadEntries(const Json& j, const std::string& path, WireEntries& out) {
  return ReadMap(j, path, out,
                 [](const std::string& pod, const Json& value, const std::string& at,
                    auto& map) -> absl::Status {
                   auto& containers = map[pod];
                   containers.reset();
                   return ReadMap(value, at, containers,
                                  [](const std::string& name, const Json& blocks,
                                     const std::string& where, auto& by_name) {
                                    return ReadBlocks(blocks, where, by_name[name]);
                                  });
                 });
}

absl::Status ReadPodEntries(const Json& j, const std::string& path, WirePodEntries& out) {
  return ReadMap(j, path, out,
                 [](const std::string& pod, const Json& value, const std::string& at,
                    auto& map) -> absl::Status {
                   WireBlocks& slot = map[pod];
                   slot.reset();
                   if (value.is_null()) return absl::OkStatus();
                   if (!value.is_object()) return TypeError(at, "an object", value);
                   if (const Json* v = Field(value, "memoryBlocks")) {
                     return ReadBlocks(*v, at + ".memoryBlocks", slot);
                   }
                   return absl::OkStatus();
                 });
}

}  // namespace

absl::StatusOr<WireCheckpoint> WireFromJson(const Json& json, WireLayout layout,
                                            const std::string& where) {
  WireCheckpoint c;
  if (json.is_null()) return c;  // Go leaves the struct as it was
  if (!json.is_object()) return TypeError(where, "an object", json);
  auto read = [&](std::string_view name, auto reader) -> absl::Status {
    const Json* v = Field(json, name);
    if (v == nullptr) return absl::OkStatus();
    return reader(*v, absl::StrCat(where, ".", std::string(name)));
  };
  absl::Status s = read("policyName", [&](const Json& v, const std::string& p) {
    return ReadString(v, p, c.policy_name);
  });
  if (s.ok()) {
    s = read("machineState",
             [&](const Json& v, const std::string& p) { return ReadMachine(v, p, c.machine_state); });
  }
  if (s.ok()) {
    s = read("entries",
             [&](const Json& v, const std::string& p) { return ReadEntries(v, p, c.entries); });
  }
  if (s.ok() && (layout == WireLayout::kV2 || layout == WireLayout::kData)) {
    s = read("podEntries", [&](const Json& v, const std::string& p) {
      return ReadPodEntries(v, p, c.pod_entries);
    });
  }
  if (s.ok() && layout != WireLayout::kData) {
    s = read("checksum",
             [&](const Json& v, const std::string& p) { return ReadUint(v, p, c.checksum); });
  }
  if (s.ok() && layout == WireLayout::kV3) {
    s = read("data", [&](const Json& v, const std::string& p) { return ReadString(v, p, c.data); });
    if (s.ok()) {
      s = read("dataChecksum", [&](const Json& v, const std::string& p) {
        return ReadUint(v, p, c.data_checksum);
      });
    }
  }
  if (!s.ok()) return s;
  return c;
}

}  // namespace podalloc::internal
