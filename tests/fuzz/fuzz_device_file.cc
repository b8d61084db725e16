// File: tests/fuzz/fuzz_device_file.cc
// The command's --devices file (tools/podalloc/device_file.cc: each device plugin's devices by
// resource), compiled into this target with the device manager module it feeds. Promises
// checked: the reader never crashes and every refusal has a message; what it accepts, written
// back as JSON, reads to the same devices; registering each resource in a device manager either
// succeeds, with the healthy devices counted as allocatable, or is refused with a message.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "device_file.h"
#include "podalloc/device_manager.h"

namespace {

[[noreturn]] void Violation(std::string_view what) {
  std::fprintf(stderr, "podalloc fuzz: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

std::string Write(const std::map<std::string, std::vector<podalloc::PluginDevice>>& devices) {
  nlohmann::json doc = nlohmann::json::object();
  for (const auto& [resource, list] : devices) {
    nlohmann::json out = nlohmann::json::array();
    for (const podalloc::PluginDevice& d : list) {
      nlohmann::json j = {{"id", d.id}, {"healthy", d.healthy()}};
      j["numaNodes"] = d.numa_nodes ? nlohmann::json(*d.numa_nodes) : nlohmann::json();
      out.push_back(std::move(j));
    }
    doc[resource] = std::move(out);
  }
  return doc.dump();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace podalloc;
  const std::string_view file(reinterpret_cast<const char*>(data), size);
  auto parsed = cli::ParseDeviceFile(file, "devices.json");
  if (!parsed.ok()) {
    if (parsed.status().message().empty()) Violation("refusal without a message");
    return 0;
  }
  const std::string text = Write(*parsed);
  auto again = cli::ParseDeviceFile(text, "devices.json");
  if (!again.ok()) Violation("written devices do not read back: " + text);
  if (*again != *parsed) Violation("written devices read back differently: " + text);

  DeviceManager manager({0, 1, 2, 3});
  for (const auto& [resource, list] : *parsed) {
    manager.RegisterPlugin(resource);
    const absl::Status registered = manager.UpdateDevices(resource, list);
    if (!registered.ok()) {
      if (registered.message().empty()) Violation("registration refused without a message");
      continue;
    }
    int64_t healthy = 0;
    for (const PluginDevice& d : list) healthy += d.healthy() ? 1 : 0;
    if (manager.AllocatableCounts().at(resource) != healthy) {
      Violation("allocatable is not the count of healthy devices");
    }
    if (manager.Devices(resource).size() != list.size()) Violation("a device was lost");
  }
  return 0;
}
