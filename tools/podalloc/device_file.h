// The devices of a node's device plugins as a file (--devices): what each plugin would list
// to the kubelet's device manager, by resource. docs/node-config.md describes the format.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "podalloc/device_manager.h"

namespace podalloc::cli {

// {"<resource>": [{"id": "gpu-0", "numaNodes": [1], "healthy": true}, ...], ...}: numaNodes
// absent or null for a device without NUMA info, healthy true when absent. InvalidArgument
// naming the path (`<origin>: "nvidia.com/gpu"[2].numaNodes[0]: ...`) on bad input.
absl::StatusOr<std::map<std::string, std::vector<PluginDevice>>> ParseDeviceFile(
    std::string_view text, const std::string& origin);

}  // namespace podalloc::cli
