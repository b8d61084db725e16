// File: podalloc/nrt.h
// NodeResourceTopology (topology.node.k8s.io/v1alpha2) from a node's state: one zone per NUMA
// node with costs from the distances, cpu / memory / hugepages-* with capacity, allocatable
// and available, and the topology-manager and pod-fingerprint attributes that the
// topology-aware scheduler plugin reads. The object resource-topology-exporter builds from the
// kubelet's podresources API; podalloc reads the managers' own pools instead ("exact" mode),
// or reproduces the exporter's arithmetic ("rte" mode) for diffing against a live exporter.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "podalloc/node.h"

namespace podalloc {

// --- Pod fingerprint (podfingerprint "v001") --------------------------------------------------

// XXH64 of `data` with `seed` (the standard 64-bit xxHash).
uint64_t Xxh64(std::string_view data, uint64_t seed = 0);

struct PodName {
  std::string namespace_name;
  std::string name;
};
// "pfp0v001" + 16 lowercase hex digits: the order-independent hash of the pods' namespace/name
// pairs that producers publish and the scheduler plugin recomputes to know its cache is in sync.
std::string PodFingerprint(std::span<const PodName> pods);

// Which pods the fingerprint covers: every admitted pod, or those holding exclusive resources.
enum class FingerprintMethod { kAll, kWithExclusiveResources };
// "all", "with-exclusive-resources".
const char* FingerprintMethodName(FingerprintMethod method);
// How "holds exclusive resources" is judged: the scheduler plugin's rule on the pod spec
// (Guaranteed with whole CPUs, memory or huge pages; or a listed non-native resource), or the
// exporter's on what podresources lists (exclusive CPUs, NUMA memory blocks).
enum class FingerprintRule { kPlugin, kRte };

// --- Export -----------------------------------------------------------------------------------

enum class NrtMode { kExact, kRte };

struct NrtOptions {
  std::string node_name;  // metadata.name; required
  std::string node_uid;   // with it, an ownerReference to the Node
  bool fingerprint = true;
  FingerprintMethod method = FingerprintMethod::kWithExclusiveResources;
  FingerprintRule rule = FingerprintRule::kPlugin;
  NrtMode mode = NrtMode::kExact;
  // resourceExclude: node name or "*" -> resource names left out of every zone.
  std::map<std::string, std::set<std::string>, std::less<>> resource_exclude;
  bool legacy_topology_policies = false;  // the deprecated topologyPolicies (NFD's value)
  bool publish_max_numa_nodes = false;    // attribute topologyManagerMaxNUMANodes
};

// Options from JSON: {"nodeName", "nodeUID", "fingerprint": bool, "method": "all" |
// "with-exclusive-resources", "fingerprintRule": "plugin" | "rte", "mode": "exact" | "rte",
// "resourceExclude": {node: [names]}, "legacyTopologyPolicies": bool,
// "publishMaxNUMANodes": bool}; every key optional but nodeName. InvalidArgument names the key.
[[nodiscard]] absl::StatusOr<NrtOptions> ParseNrtOptions(std::string_view json);

// The NodeResourceTopology object of `node` as JSON (keys in the Go encoder's order, quantities
// in canonical DecimalSI form), read from one snapshot: compact when indent < 0, else indented
// by `indent` spaces. InvalidArgument for an empty node name.
[[nodiscard]] absl::StatusOr<std::string> ExportNrt(const Node& node, const NrtOptions& options,
                                                    int indent = -1);
// The same object as YAML (block style, strings double-quoted), for `kubectl apply -f`.
[[nodiscard]] absl::StatusOr<std::string> ExportNrtYaml(const Node& node,
                                                        const NrtOptions& options);
// The fingerprint of the node's admitted pods by `method` and `rule` (what ExportNrt publishes).
std::string NodePodFingerprint(const Node& node, FingerprintMethod method, FingerprintRule rule);

// The canonical DecimalSI text of an integer quantity: 1000 -> "1k", 1500 -> "1500".
std::string DecimalSiText(int64_t value);

}  // namespace podalloc
