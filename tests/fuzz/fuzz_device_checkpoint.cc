// File: tests/fuzz/fuzz_device_checkpoint.cc
// The device manager's kubelet_internal_checkpoint through the C++ reader (the C ABI reads it
// only inside a whole node restore, so this target links podalloc::device_manager directly).
// Promises checked:
// the parser never crashes; a parsed file written again parses to the same data and writes to
// the same text; the data with its computed checksum verifies; a restored manager writes
// data that reads back to the same entries.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "podalloc/device_checkpoint.h"

namespace {

[[noreturn]] void Violation(std::string_view what) {
  std::fprintf(stderr, "podalloc fuzz: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace podalloc;
  const std::string_view file(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<DeviceCheckpoint> parsed = ParseDeviceCheckpoint(file);
  if (!parsed.ok()) {
    if (parsed.status().message().empty()) Violation("refusal without a message");
    return 0;
  }
  const std::string text = DeviceCheckpointJson(*parsed);
  absl::StatusOr<DeviceCheckpoint> again = ParseDeviceCheckpoint(text);
  if (!again.ok()) Violation("written checkpoint does not parse: " + text);
  if (!(*again == *parsed)) Violation("written checkpoint parses to other data: " + text);
  if (DeviceCheckpointJson(*again) != text) Violation("second write differs: " + text);
  const std::string sealed = WriteDeviceCheckpoint(parsed->data);
  if (!ReadDeviceCheckpoint(sealed).ok()) Violation("computed checksum does not verify");

  DeviceManager manager({0, 1});
  RestoreDeviceCheckpoint(manager, parsed->data, 0);
  const DeviceCheckpointData state = DeviceCheckpointDataOf(manager);
  absl::StatusOr<DeviceCheckpoint> reread = ReadDeviceCheckpoint(WriteDeviceCheckpoint(state));
  if (!reread.ok()) Violation("restored state does not write a valid checkpoint");
  DeviceManager restored({0, 1});
  if (!RestoreDeviceCheckpoint(restored, reread->data, 0).empty()) {
    Violation("an entry written by podalloc was left out on restore");
  }
  if (restored.pod_devices() != manager.pod_devices()) Violation("restore is not stable");
  return 0;
}
