// The steps of reading a KubeletConfiguration (kubelet_config.cc) that live in files of their
// own: the kubelet's defaults and path resolution, and podalloc's reading of the decoded
// document (node_config.cc).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "podalloc/node_config.h"

namespace podalloc::internal {

// SetDefaults_KubeletConfiguration for the fields docs/node-config.md lists, then
// loadConfigFile's evictionHard defaults (memory.available 100Mi, nodefs.available 10%,
// nodefs.inodesFree 5%, imagefs.available 15%): the whole set when the key is absent, the
// missing signals only when mergeDefaultEvictionSettings is true.
void ApplyKubeletDefaults(nlohmann::json& document);

// resolveRelativePaths: staticPodPath, authentication.x509.clientCAFile, tlsCertFile,
// tlsPrivateKeyFile, resolvConf, volumePluginDir and podLogsDir, when set and relative, are
// joined to `dir` (and cleaned, as filepath.Join does). Nothing happens for an empty `dir`.
void ResolveKubeletPaths(nlohmann::json& document, std::string_view dir);

// The fields podalloc reads, from a decoded, defaulted and validated document; the others are
// skipped. Feature gates podalloc does not model are appended to `warnings`.
absl::StatusOr<NodeConfig> NodeConfigFromKubeletDocument(const nlohmann::json& document,
                                                         std::vector<std::string>& warnings);

}  // namespace podalloc::internal
