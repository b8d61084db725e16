// cpu_manager_state JSON: the bytes the kubelet's json.Marshal writes, and the kubelet's
// newest-first reading of V4, V3, V2 and V1 files with their checksums.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "checkpoint_internal.h"
#include "podalloc/internal/go_checksum.h"
#include "podalloc/internal/json_input.h"

namespace podalloc {
namespace {

using internal::go::AppendJsonString;
using nlohmann::json;

void AppendKey(std::string& out, std::string_view key) {
  AppendJsonString(out, key);
  out += ':';
}

// {"policyName":..,"defaultCpuSet":..[,"entries":..][,"podEntries":..]} without the brace.
void AppendFields(std::string& out, const CpuCheckpoint& cp, bool with_pod_entries) {
  AppendKey(out, "policyName");
  AppendJsonString(out, cp.policy_name);
  out += ',';
  AppendKey(out, "defaultCpuSet");
  AppendJsonString(out, cp.default_cpu_set);
  if (!cp.entries.empty()) {  // omitempty
    out += ",\"entries\":{";
    bool first = true;
    for (const auto& [pod, containers] : cp.entries) {
      if (!first) out += ',';
      first = false;
      AppendKey(out, pod);
      out += '{';
      bool first_container = true;
      for (const auto& [name, cpus] : containers) {
        if (!first_container) out += ',';
        first_container = false;
        AppendKey(out, name);
        AppendJsonString(out, cpus);
      }
      out += '}';
    }
    out += '}';
  }
  if (with_pod_entries && !cp.pod_entries.empty()) {
    out += ",\"podEntries\":{";
    bool first = true;
    for (const auto& [pod, cpus] : cp.pod_entries) {
      if (!first) out += ',';
      first = false;
      AppendKey(out, pod);
      out += '{';
      if (!cpus.empty()) {  // cpuSet is omitempty
        AppendKey(out, "cpuSet");
        AppendJsonString(out, cpus);
      }
      out += '}';
    }
    out += '}';
  }
}

absl::Status TypeError(const std::string& path, const char* want) {
  return absl::InvalidArgumentError(
      absl::StrCat("cpu manager checkpoint: ", path, " must be ", want));
}

absl::Status ReadString(const json& obj, const char* key, std::string* out,
                        const std::string& path = "") {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return absl::OkStatus();
  if (!it->is_string()) return TypeError(absl::StrCat(path, "/", key), "a string");
  *out = it->get<std::string>();
  return absl::OkStatus();
}

absl::Status ReadChecksum(const json& obj, const char* key, uint64_t* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return absl::OkStatus();
  if (!it->is_number_unsigned()) {
    return TypeError(absl::StrCat("/", key), "a non-negative integer");
  }
  *out = it->get<uint64_t>();
  return absl::OkStatus();
}

enum class EntryShape { kEmpty, kByPod, kByContainerId };

// The fields shared by every version, read from one JSON object (the file or V4's data).
struct Parsed {
  CpuCheckpoint cp;
  internal::cpu::NullMaps nulls;
  EntryShape shape = EntryShape::kEmpty;
  std::map<std::string, std::string> v1_entries;
  absl::Status pod_entries_status;  // a bad podEntries fails only the V3/V4 reading
  uint64_t checksum = 0;
};

absl::StatusOr<Parsed> ReadFields(const json& obj, const std::string& path) {
  if (!obj.is_object()) return TypeError(path.empty() ? "/" : path, "an object");
  Parsed p;
  if (absl::Status s = ReadString(obj, "policyName", &p.cp.policy_name, path); !s.ok()) return s;
  if (absl::Status s = ReadString(obj, "defaultCpuSet", &p.cp.default_cpu_set, path); !s.ok()) {
    return s;
  }
  if (auto it = obj.find("entries"); it != obj.end()) {
    if (it->is_null()) {
      p.nulls.entries = true;
    } else if (!it->is_object()) {
      return TypeError(path + "/entries", "an object");
    } else {
      bool by_pod = false, by_id = false;
      for (const auto& [key, value] : it->items()) {
        const std::string vpath = absl::StrCat(path, "/entries/", key);
        if (value.is_string()) {
          by_id = true;
          p.v1_entries[key] = value.get<std::string>();
        } else if (value.is_null()) {
          by_pod = true;
          p.nulls.pods.insert(key);
          p.cp.entries[key];
        } else if (value.is_object()) {
          by_pod = true;
          auto& containers = p.cp.entries[key];
          for (const auto& [name, cpus] : value.items()) {
            if (cpus.is_null()) {
              containers[name];
              continue;
            }
            if (!cpus.is_string()) return TypeError(absl::StrCat(vpath, "/", name), "a string");
            containers[name] = cpus.get<std::string>();
          }
        } else {
          return TypeError(vpath, "an object or a string");
        }
      }
      if (by_pod && by_id) {
        return TypeError(path + "/entries", "keyed by pod (V2) or by container id (V1), not both");
      }
      p.shape = by_pod  ? EntryShape::kByPod
                : by_id ? EntryShape::kByContainerId
                        : EntryShape::kEmpty;
    }
  }
  if (auto it = obj.find("podEntries"); it != obj.end()) {
    if (it->is_null()) {
      p.nulls.pod_entries = true;
    } else if (!it->is_object()) {
      p.pod_entries_status = TypeError(path + "/podEntries", "an object");
    } else {
      for (const auto& [pod, entry] : it->items()) {
        std::string cpus;
        if (!entry.is_null()) {
          if (!entry.is_object()) {
            p.pod_entries_status = TypeError(absl::StrCat(path, "/podEntries/", pod), "an object");
            break;
          }
          if (absl::Status s =
                  ReadString(entry, "cpuSet", &cpus, absl::StrCat(path, "/podEntries/", pod));
              !s.ok()) {
            p.pod_entries_status = s;
            break;
          }
        }
        if (auto parsed = CpuSet::Parse(cpus); !parsed.ok()) {
          p.pod_entries_status = absl::InvalidArgumentError(
              absl::StrCat("cpu manager checkpoint: ", path, "/podEntries/", pod,
                           ": failed to parse cpuset: ", parsed.status().message()));
          break;
        }
        p.cp.pod_entries[pod] = cpus;
      }
    }
  }
  return p;
}

absl::Status Mismatch(uint64_t stored, uint32_t computed, const char* what) {
  return absl::DataLossError(absl::StrCat("cpu manager checkpoint is corrupted: ", what, " is ",
                                          stored, " but the content hashes to ", computed));
}

absl::StatusOr<DecodedCpuCheckpoint> DecodeV4(const json& doc) {
  const std::string data = doc.at("data").get<std::string>();
  uint64_t stored = 0;
  if (absl::Status s = ReadChecksum(doc, "dataChecksum", &stored); !s.ok()) return s;
  uint64_t legacy = 0;
  if (absl::Status s = ReadChecksum(doc, "checksum", &legacy); !s.ok()) return s;
  const uint32_t computed = CpuCheckpointDataChecksum(data);
  if (stored != computed) return Mismatch(stored, computed, "dataChecksum");
  absl::StatusOr<json> inner_doc = internal::ParseJson(data);
  if (!inner_doc.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cpu manager checkpoint: /data is not valid JSON: ", inner_doc.status().message()));
  }
  const json& inner = *inner_doc;
  auto parsed = ReadFields(inner, "/data");
  if (!parsed.ok()) return parsed.status();
  if (parsed->shape == EntryShape::kByContainerId) {
    return TypeError("/data/entries", "keyed by pod UID");
  }
  if (!parsed->pod_entries_status.ok()) return parsed->pod_entries_status;
  return DecodedCpuCheckpoint{std::move(parsed->cp), CpuCheckpointFormat::kV4};
}

}  // namespace

absl::StatusOr<std::string> EncodeCpuCheckpoint(const CpuCheckpoint& cp,
                                                CpuCheckpointFormat format) {
  std::string out = "{";
  switch (format) {
    case CpuCheckpointFormat::kV1:
      return absl::InvalidArgumentError(
          "cpu manager checkpoint: V1 (container-id keys) is read-only");
    case CpuCheckpointFormat::kV2:
    case CpuCheckpointFormat::kV3: {
      AppendFields(out, cp, format == CpuCheckpointFormat::kV3);
      CpuCheckpoint hashed = cp;
      if (format == CpuCheckpointFormat::kV2) hashed.pod_entries.clear();
      absl::StrAppend(&out, ",\"checksum\":",
                      Fnv1a32(CpuCheckpointHashInput(hashed, format, "CPUManagerCheckpoint")), "}");
      return out;
    }
    case CpuCheckpointFormat::kV4: {
      std::string data = "{";
      AppendFields(data, cp, true);
      data += '}';
      AppendFields(out, cp, true);
      // The legacy checksum stays 0 so older kubelets read the file as V2.
      out += ",\"checksum\":0,\"data\":";
      AppendJsonString(out, data);
      absl::StrAppend(&out, ",\"dataChecksum\":", CpuCheckpointDataChecksum(data), "}");
      return out;
    }
  }
  return absl::InvalidArgumentError("cpu manager checkpoint: unknown format");
}

absl::StatusOr<DecodedCpuCheckpoint> DecodeCpuCheckpoint(std::string_view bytes,
                                                         const ContainerIdResolver& resolve) {
  absl::StatusOr<json> document = internal::ParseJson(bytes);
  if (!document.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("cpu manager checkpoint: malformed JSON: ", document.status().message()));
  }
  const json& doc = *document;
  if (!doc.is_object()) return TypeError("/", "an object");
  if (auto it = doc.find("data"); it != doc.end() && !it->is_null()) {
    if (!it->is_string()) return TypeError("/data", "a string");
    if (!it->get_ref<const std::string&>().empty()) return DecodeV4(doc);
  }
  auto parsed = ReadFields(doc, "");
  if (!parsed.ok()) return parsed.status();
  Parsed& p = *parsed;
  if (absl::Status s = ReadChecksum(doc, "checksum", &p.checksum); !s.ok()) return s;

  auto hash = [&](CpuCheckpointFormat f, const char* name) {
    return static_cast<uint64_t>(Fnv1a32(internal::cpu::SpewCheckpoint(p.cp, f, name, p.nulls)));
  };
  if (p.shape != EntryShape::kByContainerId) {
    if (p.pod_entries_status.ok() &&
        (p.checksum == hash(CpuCheckpointFormat::kV3, "CPUManagerCheckpointV3") ||
         p.checksum == hash(CpuCheckpointFormat::kV3, "CPUManagerCheckpoint"))) {
      return DecodedCpuCheckpoint{std::move(p.cp), CpuCheckpointFormat::kV3};
    }
    if (p.checksum == 0 || p.checksum == hash(CpuCheckpointFormat::kV2, "CPUManagerCheckpointV2") ||
        p.checksum == hash(CpuCheckpointFormat::kV2, "CPUManagerCheckpoint")) {
      p.cp.pod_entries.clear();  // the V2 struct has no pod entries
      return DecodedCpuCheckpoint{std::move(p.cp), CpuCheckpointFormat::kV2};
    }
  }
  if (p.shape != EntryShape::kByPod) {
    CpuCheckpoint v1 = p.cp;
    v1.entries.clear();
    if (!p.v1_entries.empty()) v1.entries[""] = p.v1_entries;
    v1.pod_entries.clear();
    const uint64_t v1_hash = Fnv1a32(internal::cpu::SpewCheckpoint(
        v1, CpuCheckpointFormat::kV1, "CPUManagerCheckpoint", p.nulls));
    if (p.checksum == 0 || p.checksum == v1_hash) {
      CpuCheckpoint migrated = v1;
      migrated.entries.clear();
      for (const auto& [id, cpus] : p.v1_entries) {
        std::optional<std::pair<std::string, std::string>> ref;
        if (resolve) ref = resolve(id);
        if (!ref.has_value()) {
          return absl::FailedPreconditionError(
              absl::StrCat("failed to migrate checkpoint from v1 to v2: containerID '", id,
                           "' not found in initial containers list"));
        }
        migrated.entries[ref->first][ref->second] = cpus;
      }
      return DecodedCpuCheckpoint{std::move(migrated), CpuCheckpointFormat::kV1};
    }
    if (p.shape == EntryShape::kByContainerId) {
      return Mismatch(p.checksum, static_cast<uint32_t>(v1_hash), "checksum");
    }
  }
  const bool v3 = !p.cp.pod_entries.empty();
  return Mismatch(
      p.checksum,
      static_cast<uint32_t>(v3 ? hash(CpuCheckpointFormat::kV3, "CPUManagerCheckpoint")
                               : hash(CpuCheckpointFormat::kV2, "CPUManagerCheckpoint")),
      "checksum");
}

}  // namespace podalloc
