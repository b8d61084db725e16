// File: tests/model/state_invariants.h
// The allocation invariants of a node, checked on the state JSON that podalloc_node_state
// returns, with a CPU-list reader of its own: nothing here asks the library whether its
// state is sound. Used by the model test after every operation.
#pragma once

#include <bitset>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace podalloc_model {

using CpuBits = std::bitset<4096>;

// The kubelet's list syntax ("0-3,8"); nullopt when malformed.
std::optional<CpuBits> ParseCpuList(std::string_view text);
std::string FormatCpuList(const CpuBits& cpus);

// What the checks need to know about the node besides its state.
struct NodeFacts {
  CpuBits machine_cpus;             // the topology's online CPUs
  CpuBits reserved;                 // reservedSystemCPUs
  bool strict_reservation = false;  // strict-cpu-reservation: reserved CPUs leave the shared pool
  // Per pod UID, the names of its init containers (which may share CPUs with the pod's app
  // containers, as the kubelet reuses them).
  std::map<std::string, std::set<std::string>> init_containers;
};

struct Violation {
  enum Kind {
    kMalformed,           // the state JSON lacks a member or has a bad CPU list
    kGhostEntry,          // a manager entry for a pod the state does not list
    kCpuInTwoPods,        // one CPU exclusive to two pods
    kCpuInTwoContainers,  // one CPU exclusive to two app containers of a pod
    kCpuOutsidePod,       // a pod-level pod's container with a CPU outside the pod's set
    kExclusiveShared,     // an exclusive CPU also in the shared pool
    kReservedExclusive,   // a reserved CPU given exclusively
    kCpuOutside,          // a CPU the machine does not have
    kCpuLost,             // a CPU neither shared, exclusive nor (strictly) reserved
    kMemoryOver,          // a NUMA node's reserved memory above its allocatable
    kMemoryAccounting,    // free + reserved != allocatable, or blocks != reserved
  };
  Kind kind;
  std::string detail;
};

const char* KindName(Violation::Kind kind);

// Every invariant the state breaks (empty when it is sound).
std::vector<Violation> CheckState(const nlohmann::json& state, const NodeFacts& facts);

}  // namespace podalloc_model
