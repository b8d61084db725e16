// File: tests/unit/memory_manager/test_machines.h
// Hand-built machines, policies and pods for the memory manager tests.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "podalloc/memory_manager.h"

namespace podalloc::testing {

inline constexpr uint64_t kMi = uint64_t{1} << 20;
inline constexpr uint64_t kGi = uint64_t{1} << 30;
inline constexpr MemoryResource kMemory = MemoryResource::Memory();
inline constexpr MemoryResource kHuge2M = MemoryResource::HugePages(2 * kMi);
inline constexpr MemoryResource kHuge1G = MemoryResource::HugePages(kGi);

inline NumaNodeInfo Node(int id, uint64_t memory, std::vector<HugePages> hugepages = {}) {
  return NumaNodeInfo{.id = id, .memory_bytes = memory, .hugepages = std::move(hugepages)};
}

// `nodes` nodes of `memory` bytes each (plus `huge_1g` one-gigabyte pages), `reserved` bytes
// of regular memory kept back on every node.
inline MemoryStaticPolicy UniformPolicy(int nodes, uint64_t memory, uint64_t reserved,
                                        uint64_t huge_1g = 0, MemoryManagerGates gates = {}) {
  std::vector<NumaNodeInfo> infos;
  SystemReservedMemory sr;
  for (int i = 0; i < nodes; ++i) {
    std::vector<HugePages> hp;
    if (huge_1g > 0) hp.push_back(HugePages{kGi, huge_1g});
    infos.push_back(Node(i, memory, hp));
    sr[i] = {MemoryAmount{kMemory, reserved}};
  }
  auto policy = NewMemoryStaticPolicy(std::move(infos), std::move(sr), gates);
  REQUIRE(policy.ok());
  return *policy;
}

inline MemoryManagerState FreshState(const MemoryStaticPolicy& policy) {
  MemoryManagerState state;
  REQUIRE(StartMemoryManager(policy, state).ok());
  return state;
}

inline MemoryAmounts Amounts(uint64_t memory, uint64_t huge_1g = 0) {
  MemoryAmounts a{MemoryAmount{kMemory, memory}};
  if (huge_1g > 0) a.push_back(MemoryAmount{kHuge1G, huge_1g});
  return a;
}

inline ContainerMemorySpec App(std::string name, MemoryAmounts requests) {
  return ContainerMemorySpec{std::move(name), MemoryContainerKind::kApp, std::move(requests)};
}
inline ContainerMemorySpec Init(std::string name, MemoryAmounts requests) {
  return ContainerMemorySpec{std::move(name), MemoryContainerKind::kInit, std::move(requests)};
}
inline ContainerMemorySpec Sidecar(std::string name, MemoryAmounts requests) {
  return ContainerMemorySpec{std::move(name), MemoryContainerKind::kSidecar, std::move(requests)};
}

inline PodMemorySpec GuaranteedPod(std::string uid, std::vector<ContainerMemorySpec> apps,
                                   std::vector<ContainerMemorySpec> inits = {}) {
  PodMemorySpec pod;
  pod.uid = std::move(uid);
  pod.guaranteed = true;
  pod.containers = std::move(apps);
  pod.init_containers = std::move(inits);
  return pod;
}

inline TopologyHint Affinity(NumaMask mask, bool preferred = true) {
  return TopologyHint::Of(mask, preferred);
}
inline TopologyHint NilAffinity(bool preferred = false) { return TopologyHint::Any(preferred); }

inline const MemoryTable& Table(const MemoryManagerState& s, int node, MemoryResource r) {
  const MemoryNumaNodeState* n = s.machine.Node(node);
  REQUIRE(n != nullptr);
  const MemoryTable* t = n->Find(r);
  REQUIRE(t != nullptr);
  return *t;
}

}  // namespace podalloc::testing
