// The checkpoint's JSON as Go's encoding/json reads and writes it: unknown fields ignored,
// field names matched case-insensitively, null leaving scalars alone and making maps,
// slices and pointers nil; written compact, struct fields in declaration order, map keys
// sorted by their text, strings escaped like Go (HTML characters as \u00XX).
#include <charconv>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "checkpoint_wire.h"

namespace podalloc::internal {
namespace {

using Json = nlohmann::ordered_json;

absl::Status TypeError(const std::string& path, std::string_view want, const Json& got) {
  return absl::InvalidArgumentError(absl::StrCat("checkpoint JSON ", path, ": expected ",
                                                 std::string(want), ", found ",
                                                 got.type_name(), " ", got.dump()));
}

// Go assigns keys in document order, so with several spellings of a field the last wins.
const Json* Field(const Json& object, std::string_view name) {
  const Json* found = nullptr;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (absl::EqualsIgnoreCase(it.key(), absl::string_view(name.data(), name.size()))) {
      found = &it.value();
    }
  }
  return found;
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

// --- writing ------------------------------------------------------------------------------

void AppendString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(s[i + 2]) == 0xA8 ||
                static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
      // U+2028 and U+2029 are escaped so the output is also valid JavaScript.
      out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

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
    AppendString(out, b.type);
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
    AppendString(out, key);
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
        AppendString(out, name);
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
    AppendString(out, pod);
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
      AppendString(out, name);
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
    AppendString(out, pod);
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

std::string WireToJson(const WireCheckpoint& c, WireLayout layout) {
  std::string out = "{\"policyName\":";
  AppendString(out, c.policy_name);
  out += ",\"machineState\":";
  AppendMachine(out, c.machine_state);
  AppendEntries(out, c.entries);
  if (layout == WireLayout::kV2 || layout == WireLayout::kData) {
    AppendPodEntries(out, c.pod_entries);
  }
  if (layout != WireLayout::kData) absl::StrAppend(&out, ",\"checksum\":", c.checksum);
  if (layout == WireLayout::kV3) {
    out += ",\"data\":";
    AppendString(out, c.data);
    absl::StrAppend(&out, ",\"dataChecksum\":", c.data_checksum);
  }
  out += '}';
  return out;
}

}  // namespace podalloc::internal
