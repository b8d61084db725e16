// kubelet_internal_checkpoint as Go's encoding/json reads and writes it: field names matched
// case-insensitively (the last spelling wins), unknown fields ignored, null making maps,
// slices and byte strings nil and leaving strings empty, []byte as padded standard base64,
// map keys written in string order.
#include <charconv>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "podalloc/device_checkpoint.h"
#include "podalloc/internal/go_checksum.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/internal/json_input.h"

namespace podalloc {
namespace {

using Json = nlohmann::ordered_json;

absl::Status TypeError(const std::string& path, std::string_view want, const Json& got) {
  return absl::InvalidArgumentError(absl::StrCat("device checkpoint ", path, ": expected ",
                                                 std::string(want), ", found ", got.type_name(),
                                                 " ", internal::JsonExcerpt(got)));
}

const Json* Field(const Json& object, std::string_view name) {
  return internal::GoJsonField(object, name);
}

absl::Status ReadString(const Json* j, const std::string& path, std::string& out) {
  if (j == nullptr || j->is_null()) return absl::OkStatus();
  if (!j->is_string()) return TypeError(path, "a string", *j);
  out = j->get<std::string>();
  return absl::OkStatus();
}

absl::Status ReadStrings(const Json& j, const std::string& path,
                         std::optional<std::vector<std::string>>& out) {
  out.reset();
  if (j.is_null()) return absl::OkStatus();
  if (!j.is_array()) return TypeError(path, "an array of strings", j);
  out.emplace();
  for (size_t i = 0; i < j.size(); ++i) {
    std::string s;
    if (absl::Status st = ReadString(&j[i], absl::StrCat(path, "[", i, "]"), s); !st.ok()) {
      return st;
    }
    out->push_back(std::move(s));
  }
  return absl::OkStatus();
}

// Go's base64.StdEncoding: padding required, line breaks ignored.
absl::Status ReadBytes(const Json* j, const std::string& path, std::optional<std::string>& out) {
  out.reset();
  if (j == nullptr || j->is_null()) return absl::OkStatus();
  if (!j->is_string()) return TypeError(path, "a base64 string", *j);
  std::string text;
  for (char ch : j->get_ref<const std::string&>()) {
    if (ch != '\r' && ch != '\n') text += ch;
  }
  const size_t body = text.find_first_of('=');
  bool ok = text.size() % 4 == 0;
  for (size_t i = 0; ok && i < text.size(); ++i) {
    const char ch = text[i];
    const bool alphabet = absl::ascii_isalnum(static_cast<unsigned char>(ch)) || ch == '+' ||
                          ch == '/';
    ok = i < body ? alphabet : ch == '=';
  }
  ok = ok && (body == std::string::npos || text.size() - body <= 2);
  std::string bytes;
  if (!ok || !absl::Base64Unescape(text, &bytes)) {
    const std::string& raw = j->get_ref<const std::string&>();
    return absl::InvalidArgumentError(absl::StrCat(
        "device checkpoint ", path, ": not padded standard base64: ", internal::QuoteInput(raw)));
  }
  out = std::move(bytes);
  return absl::OkStatus();
}

absl::Status ReadDeviceIds(const Json* j, const std::string& path, DeviceCheckpointEntry& e) {
  e.device_ids.reset();
  if (j == nullptr || j->is_null()) return absl::OkStatus();
  if (!j->is_object()) return TypeError(path, "an object of NUMA node ids", *j);
  e.device_ids.emplace();
  for (auto it = j->begin(); it != j->end(); ++it) {
    const std::string& key = it.key();
    int64_t numa = 0;
    // strconv.ParseInt(key, 10, 64): an optional sign, decimal digits, nothing else.
    const char* first = key.data();
    const char* last = key.data() + key.size();
    if (first != last && *first == '+') ++first;
    const auto [ptr, ec] = std::from_chars(first, last, numa);
    const bool signed_twice = first != key.data() && *first == '-';
    if (key.empty() || ec != std::errc() || ptr != last || signed_twice) {
      return absl::InvalidArgumentError(absl::StrCat("device checkpoint ", path,
                                                     ": NUMA node key ",
                                                     internal::QuoteInput(key),
                                                     " is not a 64-bit integer"));
    }
    std::optional<std::vector<std::string>> ids;
    const std::string item = absl::StrCat(path, "[", internal::QuoteInput(key), "]");
    if (absl::Status s = ReadStrings(it.value(), item, ids); !s.ok()) return s;
    (*e.device_ids)[numa] = std::move(ids);
  }
  return absl::OkStatus();
}

absl::Status ReadEntry(const Json& j, const std::string& path, DeviceCheckpointEntry& e) {
  if (j.is_null()) return absl::OkStatus();
  if (!j.is_object()) return TypeError(path, "an object", j);
  for (const auto& [name, slot] : {std::pair{"PodUID", &e.pod_uid},
                                   std::pair{"ContainerName", &e.container_name},
                                   std::pair{"ResourceName", &e.resource_name}}) {
    if (absl::Status s = ReadString(Field(j, name), absl::StrCat(path, ".", name), *slot);
        !s.ok()) {
      return s;
    }
  }
  if (const Json* ids = Field(j, "DeviceIDs")) {
    if (absl::Status s = ReadDeviceIds(ids, path + ".DeviceIDs", e); !s.ok()) return s;
  }
  if (const Json* resp = Field(j, "AllocResp")) {
    if (absl::Status s = ReadBytes(resp, path + ".AllocResp", e.alloc_resp); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status ReadData(const Json& j, DeviceCheckpointData& data) {
  if (j.is_null()) return absl::OkStatus();
  if (!j.is_object()) return TypeError("Data", "an object", j);
  if (const Json* entries = Field(j, "PodDeviceEntries")) {
    data.pod_device_entries.reset();
    if (!entries->is_null()) {
      if (!entries->is_array()) return TypeError("Data.PodDeviceEntries", "an array", *entries);
      data.pod_device_entries.emplace();
      for (size_t i = 0; i < entries->size(); ++i) {
        DeviceCheckpointEntry e;
        const std::string path = absl::StrCat("Data.PodDeviceEntries[", i, "]");
        if (absl::Status s = ReadEntry((*entries)[i], path, e); !s.ok()) return s;
        data.pod_device_entries->push_back(std::move(e));
      }
    }
  }
  if (const Json* registered = Field(j, "RegisteredDevices")) {
    data.registered_devices.reset();
    if (!registered->is_null()) {
      if (!registered->is_object()) {
        return TypeError("Data.RegisteredDevices", "an object", *registered);
      }
      data.registered_devices.emplace();
      for (auto it = registered->begin(); it != registered->end(); ++it) {
        std::optional<std::vector<std::string>> ids;
        const std::string path =
            absl::StrCat("Data.RegisteredDevices[", internal::QuoteInput(it.key()), "]");
        if (absl::Status s = ReadStrings(it.value(), path, ids); !s.ok()) return s;
        (*data.registered_devices)[it.key()] = std::move(ids);
      }
    }
  }
  return absl::OkStatus();
}

void AppendStrings(std::string& out, const std::optional<std::vector<std::string>>& ids) {
  if (!ids) {
    out += "null";
    return;
  }
  out += '[';
  for (size_t i = 0; i < ids->size(); ++i) {
    if (i > 0) out += ',';
    internal::go::AppendJsonString(out, (*ids)[i]);
  }
  out += ']';
}

void AppendEntry(std::string& out, const DeviceCheckpointEntry& e) {
  out += "{\"PodUID\":";
  internal::go::AppendJsonString(out, e.pod_uid);
  out += ",\"ContainerName\":";
  internal::go::AppendJsonString(out, e.container_name);
  out += ",\"ResourceName\":";
  internal::go::AppendJsonString(out, e.resource_name);
  out += ",\"DeviceIDs\":";
  if (!e.device_ids) {
    out += "null";
  } else {
    // encoding/json sorts map keys as strings ("-1" < "0" < "10" < "2").
    std::map<std::string, const std::optional<std::vector<std::string>>*> by_text;
    for (const auto& [numa, ids] : *e.device_ids) by_text[absl::StrCat(numa)] = &ids;
    out += '{';
    bool first = true;
    for (const auto& [key, ids] : by_text) {
      if (!first) out += ',';
      first = false;
      absl::StrAppend(&out, "\"", key, "\":");
      AppendStrings(out, *ids);
    }
    out += '}';
  }
  out += ",\"AllocResp\":";
  if (e.alloc_resp) {
    absl::StrAppend(&out, "\"", absl::Base64Escape(*e.alloc_resp), "\"");
  } else {
    out += "null";
  }
  out += '}';
}

}  // namespace

absl::StatusOr<DeviceCheckpoint> ParseDeviceCheckpoint(std::string_view text) {
  absl::StatusOr<Json> parsed = internal::ParseOrderedJson(text);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("device checkpoint: ", parsed.status().message()));
  }
  const Json& j = *parsed;
  DeviceCheckpoint out;
  if (j.is_null()) return out;
  if (!j.is_object()) return TypeError("(top level)", "an object", j);
  if (const Json* data = Field(j, "Data")) {
    if (absl::Status s = ReadData(*data, out.data); !s.ok()) return s;
  }
  if (const Json* sum = Field(j, "Checksum"); sum != nullptr && !sum->is_null()) {
    if (sum->is_number_unsigned()) {
      out.checksum = sum->get<uint64_t>();
    } else if (sum->is_number_integer() && sum->get<int64_t>() >= 0) {
      out.checksum = static_cast<uint64_t>(sum->get<int64_t>());
    } else {
      return TypeError("Checksum", "an unsigned integer", *sum);
    }
  }
  return out;
}

absl::StatusOr<DeviceCheckpoint> ReadDeviceCheckpoint(std::string_view text) {
  absl::StatusOr<DeviceCheckpoint> c = ParseDeviceCheckpoint(text);
  if (!c.ok()) return c;
  const uint32_t computed = DeviceCheckpointChecksum(c->data);
  if (c->checksum != computed) {
    return absl::DataLossError(absl::StrCat("checkpoint is corrupted: stored checksum ",
                                            c->checksum, ", computed ", computed));
  }
  return c;
}

std::string DeviceCheckpointJson(const DeviceCheckpoint& c) {
  std::string out = "{\"Data\":{\"PodDeviceEntries\":";
  if (!c.data.pod_device_entries) {
    out += "null";
  } else {
    out += '[';
    for (size_t i = 0; i < c.data.pod_device_entries->size(); ++i) {
      if (i > 0) out += ',';
      AppendEntry(out, (*c.data.pod_device_entries)[i]);
    }
    out += ']';
  }
  out += ",\"RegisteredDevices\":";
  if (!c.data.registered_devices) {
    out += "null";
  } else {
    out += '{';
    bool first = true;
    for (const auto& [resource, ids] : *c.data.registered_devices) {
      if (!first) out += ',';
      first = false;
      internal::go::AppendJsonString(out, resource);
      out += ':';
      AppendStrings(out, ids);
    }
    out += '}';
  }
  absl::StrAppend(&out, "},\"Checksum\":", c.checksum, "}");
  return out;
}

std::string WriteDeviceCheckpoint(const DeviceCheckpointData& data) {
  return DeviceCheckpointJson(DeviceCheckpoint{data, DeviceCheckpointChecksum(data)});
}

}  // namespace podalloc
