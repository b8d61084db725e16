// The device checkpoint's checksum: go-spew's "%#v" dump of checkpoint.checkpointData (the
// shared rules are in podalloc/internal/go_checksum.h). Unlike the CPU and memory checkpoints
// the kubelet hashes the data value itself, not a pointer to the whole checkpoint, so the
// dump opens with "(checkpoint.checkpointData){" and has no Checksum field.
#include "absl/strings/str_cat.h"
#include "podalloc/device_checkpoint.h"
#include "podalloc/internal/go_checksum.h"

namespace podalloc {
namespace {

using internal::go::AppendSpewMap;
using internal::go::AppendSpewOrNil;
using internal::go::AppendSpewSlice;

void AppendStrings(std::string& out, const std::optional<std::vector<std::string>>& list) {
  AppendSpewOrNil(out, list, [](std::string& o, const std::vector<std::string>& v) {
    AppendSpewSlice(o, v, [](std::string& o2, const std::string& s) { o2 += s; });
  });
}

void AppendEntry(std::string& out, const DeviceCheckpointEntry& e) {
  absl::StrAppend(&out, "{PodUID:(string)", e.pod_uid, " ContainerName:(string)",
                  e.container_name, " ResourceName:(string)", e.resource_name,
                  " DeviceIDs:(checkpoint.DevicesPerNUMA)");
  AppendSpewOrNil(out, e.device_ids, [](std::string& o, const auto& per_numa) {
    AppendSpewMap(o, per_numa, [](std::string& o2, int64_t, const auto& ids) {
      AppendStrings(o2, ids);
    });
  });
  out += " AllocResp:([]uint8)";
  AppendSpewOrNil(out, e.alloc_resp, [](std::string& o, const std::string& bytes) {
    AppendSpewSlice(o, bytes, [](std::string& o2, char b) {
      absl::StrAppend(&o2, static_cast<unsigned>(static_cast<unsigned char>(b)));
    });
  });
  out += '}';
}

}  // namespace

std::string DeviceCheckpointHashedText(const DeviceCheckpointData& data) {
  std::string out =
      "(checkpoint.checkpointData){PodDeviceEntries:([]checkpoint.PodDevicesEntry)";
  AppendSpewOrNil(out, data.pod_device_entries, [](std::string& o, const auto& entries) {
    AppendSpewSlice(o, entries, AppendEntry);
  });
  out += " RegisteredDevices:(map[string][]string)";
  AppendSpewOrNil(out, data.registered_devices, [](std::string& o, const auto& registered) {
    AppendSpewMap(o, registered, [](std::string& o2, const std::string&, const auto& ids) {
      AppendStrings(o2, ids);
    });
  });
  out += '}';
  return out;
}

uint32_t DeviceCheckpointChecksum(const DeviceCheckpointData& data) {
  return internal::go::Fnv1a32(DeviceCheckpointHashedText(data));
}

}  // namespace podalloc
