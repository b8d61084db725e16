// File: lib/nrt/nrt_internal.h
// What the export, the fingerprint and the fit report share inside lib/nrt: the containers the
// kubelet's podresources List shows and what it shows for them, and the JSON-to-YAML writer.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "podalloc/node.h"
#include "podalloc/nrt.h"

namespace podalloc::internal {

// One container as podresources List reports it: sidecars then app containers of an active
// pod (regular init containers are not listed), with only its exclusive CPUs (a pod-level
// pod's shared-pool containers report none) and its memory-manager blocks.
struct ListedContainer {
  const Container* container = nullptr;
  CpuSet cpus;
  std::vector<MemoryBlock> memory;
};
std::vector<ListedContainer> ListedContainers(const NodeState& state, const PodRecord& record);

// The pods the fingerprint covers. `published` = the resource names the NRT object lists.
std::vector<PodName> FingerprintPods(const NodeState& state, FingerprintMethod method,
                                     FingerprintRule rule, const std::set<std::string>& published);

// Block-style YAML of a JSON document (strings double-quoted, so no value changes type).
std::string JsonToYaml(const nlohmann::ordered_json& doc);

}  // namespace podalloc::internal
