// The KubeletConfiguration v1beta1 fields and their Go types (k8s.io/kubelet/config/v1beta1
// types.go), for the strict/lenient decoding of kubelet_config.cc, and Go's duration syntax.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"

namespace podalloc::internal {

// Checks the JSON type of every known field as encoding/json would decode it into the Go
// struct (an integral number for int32, a Go duration string for metav1.Duration, ...),
// drops fields set to null (Go leaves them unset) and drops unknown fields, listing their
// dotted paths in `unknown`. A wrong type is InvalidArgument in encoding/json's words, e.g.
// `json: cannot unmarshal string into Go struct field KubeletConfiguration.maxPods of type
// int32`.
absl::Status DecodeKubeletFields(nlohmann::json& document, std::vector<std::string>& unknown);

// time.ParseDuration: "1h2m3.5s", "100ms", "-5us", "0"; nanoseconds, nullopt when malformed
// or out of range.
std::optional<int64_t> ParseGoDuration(std::string_view text);
// time.Duration.String: "25ms", "1m30s", "0s", "1.5µs".
std::string FormatGoDuration(int64_t nanoseconds);

}  // namespace podalloc::internal
