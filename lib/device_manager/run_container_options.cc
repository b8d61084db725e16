// ContainerAllocateResponse on the wire and the merge of a container's responses
// (pod_devices.go deviceRunContainerOptions, getCDIDeviceInfo).
#include <set>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "podalloc/device_run_options.h"
#include "podalloc/internal/input_quote.h"

namespace podalloc {
namespace {

void PutVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

void PutBytes(std::string& out, int field, std::string_view bytes) {
  PutVarint(out, (static_cast<uint64_t>(field) << 3) | 2);
  PutVarint(out, bytes.size());
  out.append(bytes);
}

// proto3 leaves default values out.
void PutString(std::string& out, int field, std::string_view s) {
  if (!s.empty()) PutBytes(out, field, s);
}

std::string MapEntry(const std::string& key, const std::string& value) {
  std::string e;
  PutString(e, 1, key);
  PutString(e, 2, value);
  return e;
}

// A cursor over one message.
struct Reader {
  std::string_view data;
  size_t pos = 0;

  bool done() const { return pos >= data.size(); }
  absl::Status Varint(uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= data.size()) return Error("truncated varint");
      const uint8_t b = static_cast<uint8_t>(data[pos++]);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return absl::OkStatus();
    }
    return Error("varint longer than 10 bytes");
  }
  absl::Status Bytes(std::string_view& out) {
    uint64_t len = 0;
    if (absl::Status s = Varint(len); !s.ok()) return s;
    if (len > data.size() - pos) return Error("length past the end");
    out = data.substr(pos, len);
    pos += len;
    return absl::OkStatus();
  }
  absl::Status Skip(int wire) {
    uint64_t ignored = 0;
    std::string_view bytes;
    switch (wire) {
      case 0: return Varint(ignored);
      case 1: return Fixed(8);
      case 2: return Bytes(bytes);
      case 5: return Fixed(4);
      default: return Error(absl::StrCat("unsupported wire type ", wire));
    }
  }
  absl::Status Fixed(size_t n) {
    if (n > data.size() - pos) return Error("truncated fixed field");
    pos += n;
    return absl::OkStatus();
  }
  absl::Status Error(std::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrCat("ContainerAllocateResponse: ", std::string(what), " at byte ", pos));
  }
};

// Calls field(number, wire, reader) for every field of `bytes`.
template <typename F>
absl::Status ForEachField(std::string_view bytes, F&& field) {
  Reader r{bytes};
  while (!r.done()) {
    uint64_t tag = 0;
    if (absl::Status s = r.Varint(tag); !s.ok()) return s;
    const int number = static_cast<int>(tag >> 3);
    const int wire = static_cast<int>(tag & 7);
    if (absl::Status s = field(number, wire, r); !s.ok()) return s;
  }
  return absl::OkStatus();
}

// Reads the length-delimited strings of `bytes` into slots by field number (1-based).
absl::Status ReadStrings(std::string_view bytes, std::vector<std::string*> slots,
                         bool* flag3 = nullptr) {
  return ForEachField(bytes, [&](int number, int wire, Reader& r) {
    if (wire == 2 && number >= 1 && number <= static_cast<int>(slots.size()) &&
        slots[number - 1] != nullptr) {
      std::string_view s;
      if (absl::Status st = r.Bytes(s); !st.ok()) return st;
      *slots[number - 1] = std::string(s);
      return absl::OkStatus();
    }
    if (wire == 0 && number == 3 && flag3 != nullptr) {
      uint64_t v = 0;
      if (absl::Status st = r.Varint(v); !st.ok()) return st;
      *flag3 = v != 0;
      return absl::OkStatus();
    }
    return r.Skip(wire);
  });
}

}  // namespace

std::string EncodeContainerAllocateResponse(const ContainerAllocateResponse& in) {
  std::string out;
  for (const auto& [k, v] : in.envs) PutBytes(out, 1, MapEntry(k, v));
  for (const DeviceMount& m : in.mounts) {
    std::string e;
    PutString(e, 1, m.container_path);
    PutString(e, 2, m.host_path);
    if (m.read_only) e += std::string("\x18\x01", 2);
    PutBytes(out, 2, e);
  }
  for (const DeviceSpec& d : in.devices) {
    std::string e;
    PutString(e, 1, d.container_path);
    PutString(e, 2, d.host_path);
    PutString(e, 3, d.permissions);
    PutBytes(out, 3, e);
  }
  for (const auto& [k, v] : in.annotations) PutBytes(out, 4, MapEntry(k, v));
  for (const std::string& name : in.cdi_devices) {
    std::string e;
    PutString(e, 1, name);
    PutBytes(out, 5, e);
  }
  return out;
}

absl::StatusOr<ContainerAllocateResponse> DecodeContainerAllocateResponse(std::string_view bytes) {
  ContainerAllocateResponse out;
  absl::Status s = ForEachField(bytes, [&](int number, int wire, Reader& r) -> absl::Status {
    if (wire != 2 || number < 1 || number > 5) return r.Skip(wire);
    std::string_view sub;
    if (absl::Status st = r.Bytes(sub); !st.ok()) return st;
    std::string a, b, c;
    bool flag = false;
    absl::Status st = ReadStrings(sub, {&a, &b, number == 3 ? &c : nullptr},
                                  number == 2 ? &flag : nullptr);
    if (!st.ok()) return st;
    switch (number) {
      case 1: out.envs[a] = b; break;  // a repeated key: the last one wins, as in Go
      case 2: out.mounts.push_back(DeviceMount{a, b, flag}); break;
      case 3: out.devices.push_back(DeviceSpec{a, b, c}); break;
      case 4: out.annotations[a] = b; break;
      case 5: out.cdi_devices.push_back(a); break;
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

DeviceRunContainerOptions MergeRunContainerOptions(
    const std::vector<ContainerAllocateResponse>& responses) {
  DeviceRunContainerOptions out;
  std::set<std::string> envs, devices, mounts, annotations, cdi;
  for (const ContainerAllocateResponse& r : responses) {
    for (const auto& [k, v] : r.envs) {
      if (envs.insert(k).second) out.envs.emplace_back(k, v);
    }
    for (const DeviceSpec& d : r.devices) {
      if (devices.insert(d.container_path).second) out.devices.push_back(d);
    }
    for (const DeviceMount& m : r.mounts) {
      if (mounts.insert(m.container_path).second) out.mounts.push_back(m);
    }
    for (const auto& [k, v] : r.annotations) {
      if (annotations.insert(k).second) out.annotations.emplace_back(k, v);
    }
    for (const std::string& name : r.cdi_devices) {
      if (cdi.insert(name).second) out.cdi_devices.push_back(name);
    }
  }
  return out;
}

absl::StatusOr<std::optional<DeviceRunContainerOptions>> RunContainerOptions(
    const DeviceManager& manager, const std::string& pod_uid, const std::string& container) {
  auto p = manager.pod_devices().find(pod_uid);
  if (p == manager.pod_devices().end()) return std::optional<DeviceRunContainerOptions>();
  auto c = p->second.find(container);
  if (c == p->second.end()) return std::optional<DeviceRunContainerOptions>();
  std::vector<ContainerAllocateResponse> responses;
  for (const auto& [resource, entry] : c->second) {
    absl::StatusOr<ContainerAllocateResponse> r = DecodeContainerAllocateResponse(entry.alloc_resp);
    if (!r.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "resource ", internal::QuoteInput(resource), ": ", r.status().message()));
    }
    responses.push_back(*std::move(r));
  }
  return std::optional<DeviceRunContainerOptions>(MergeRunContainerOptions(responses));
}

}  // namespace podalloc
