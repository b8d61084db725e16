// File: tests/model/model_world.h
// What the model test runs on: real machines (hwloc XML and sysfs fixtures, a topology JSON
// machine with huge pages, an hwloc synthetic one), random kubelet configurations for them,
// random pods, and a small deterministic random source. All through podalloc.h.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "podalloc/podalloc.h"
#include "state_invariants.h"

namespace podalloc_model {

// splitmix64: the same numbers on every platform and library, unlike std distributions.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); 0 when n is 0.
  uint64_t Below(uint64_t n) { return n == 0 ? 0 : Next() % n; }
  int Range(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<uint64_t>(hi - lo + 1)));
  }
  bool Chance(int percent) { return Below(100) < static_cast<uint64_t>(percent); }

 private:
  uint64_t state_;
};

struct Machine {
  std::string name;
  podalloc_topology* topology = nullptr;  // owned
  CpuBits cpus;
  std::vector<int> cpu_ids;  // ascending
  int numa_nodes = 0;
  bool has_memory = false;  // every NUMA node reports memory (the Static policy needs it)
  bool has_hugepages_2m = false;
};

// Loads every machine; exits with a message when a fixture is missing.
std::vector<Machine> LoadMachines(const std::string& data_dir, const std::string& unpacked_dir);
void FreeMachines(std::vector<Machine>& machines);

struct Scenario {
  const Machine* machine = nullptr;
  std::string config;  // KubeletConfiguration JSON
  NodeFacts facts;
  bool cpu_static = false;
  bool memory_static = false;
  bool pod_level_managers = false;
};

// A random configuration for `machine` (may be one the node refuses; the caller retries).
Scenario RandomScenario(Rng& rng, const Machine& machine);

// A pod as the model knows it.
struct ModelPod {
  std::string uid;
  nlohmann::json doc;                   // the v1 Pod, as last admitted or resized
  std::set<std::string> init_names;     // init containers (sidecars included)
  std::vector<std::string> containers;  // every container, init first
  std::set<std::string> removed;        // containers removed one by one
};

ModelPod RandomPod(Rng& rng, const Scenario& scenario, int serial);
// The pod with new resources for an in-place resize (same containers).
nlohmann::json ResizedPod(Rng& rng, const ModelPod& pod);

}  // namespace podalloc_model
