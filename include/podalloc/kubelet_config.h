// File: podalloc/kubelet_config.h
// Reading a whole KubeletConfiguration file (kubelet.config.k8s.io/v1beta1), YAML or JSON, as
// the kubelet does: strict decoding first, and when the only complaints are unknown or
// duplicate fields, lenient decoding (unknown fields dropped, the last duplicate kept) with the
// complaints kept as warnings; then the v1beta1 defaults, the hard eviction defaults, relative
// paths resolved against the file's directory, and the kubelet's validation. Mirrors
// pkg/kubelet/kubeletconfig/util/codec/codec.go, configfiles/configfiles.go,
// apis/config/v1beta1/defaults.go, apis/config/validation/validation.go and the
// loadConfigFile of cmd/kubelet/app/server.go. docs/node-config.md lists what is read.
//
// Pure functions except LoadKubeletConfigFile, which reads one file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "podalloc/node_config.h"

namespace podalloc {

inline constexpr std::string_view kKubeletConfigApiVersion = "kubelet.config.k8s.io/v1beta1";
inline constexpr std::string_view kKubeletConfigKind = "KubeletConfiguration";

// One decoded KubeletConfiguration.
struct KubeletConfiguration {
  // The document as the kubelet ends up holding it, in v1beta1 field names: unknown fields
  // dropped, the last of duplicate fields kept, the defaults of the fields listed in
  // docs/node-config.md filled in (evictionHard included), relative paths made absolute.
  nlohmann::json document;
  // Why strict decoding failed (unknown and duplicate fields), and feature gates podalloc
  // does not model; never errors. Also in node_config.warnings.
  std::vector<std::string> warnings;
  // What podalloc reads from it.
  NodeConfig node_config;
};

// Decodes one document. `config_dir` is the directory relative paths (staticPodPath,
// tlsCertFile, ...) are resolved against; empty leaves them relative. Errors are
// InvalidArgument with the kubelet's texts: "failed to decode: ..." (not YAML, no or an unknown
// apiVersion/kind, a field of the wrong type), "invalid configuration: ..." (validation; several
// are listed in brackets, comma-separated, as the kubelet aggregates them), then podalloc's own
// checks of the fields it reads (docs/node-config.md).
[[nodiscard]] absl::StatusOr<KubeletConfiguration> DecodeKubeletConfiguration(
    std::string_view data, std::string_view config_dir = "");

// Reads and decodes the file at `path` (relative paths inside resolve against its directory).
// Errors: `failed to read kubelet config file "<path>", error: <reason>` (NotFound for a
// missing file), `kubelet config file "<path>" was empty`, then DecodeKubeletConfiguration's.
[[nodiscard]] absl::StatusOr<KubeletConfiguration> LoadKubeletConfigFile(const std::string& path);

// The kubelet's ValidateKubeletConfiguration for the fields near podalloc (feature gates,
// maxPods, podsPerCore, topology manager policy and scope, cpuCFSQuotaPeriod, memorySwap,
// enforceNodeAllocatable with its cgroups, reservedSystemCPUs, reservedMemory, Memory QoS),
// on a document as given: a missing field counts as its Go zero value, as in the kubelet's
// own unit test, so run it on a defaulted document (DecodeKubeletConfiguration does).
[[nodiscard]] absl::Status ValidateKubeletConfiguration(const nlohmann::json& document);

}  // namespace podalloc
