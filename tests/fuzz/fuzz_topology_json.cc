// File: tests/fuzz/fuzz_topology_json.cc
// Topology JSON ("podalloc.topology/v1" or a kubelet test-topology record). An accepted
// document writes out as v1 JSON that reads back into a topology writing the same bytes (the
// documented round trip), its counts and CPU mask agree, and a node can be made on it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.h"

using podalloc_fuzz::Violation;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  podalloc_topology* topology = nullptr;
  const podalloc_status s =
      podalloc_topology_from_json(&topology, reinterpret_cast<const char*>(data), size, nullptr);
  podalloc_fuzz::CheckStatus(s, "podalloc_topology_from_json");
  if (s != PODALLOC_OK) {
    if (topology != nullptr) Violation("a refused topology wrote its output");
    return 0;
  }

  podalloc_fuzz::CheckTopologyRoundTrip(topology);

  const size_t words = podalloc_topology_cpuset_words(topology);
  std::vector<uint64_t> cpus(words + 1, ~uint64_t{0});
  podalloc_fuzz::MustSucceed(podalloc_topology_cpus(cpus.data(), cpus.size(), topology, nullptr),
                             "podalloc_topology_cpus");
  size_t highest_word = 0;
  for (size_t i = 0; i < cpus.size(); ++i) {
    if (cpus[i] != 0) highest_word = i + 1;
  }
  if (highest_word != words) {
    Violation("podalloc_topology_cpuset_words is not the highest CPU's word + 1");
  }
  if (podalloc_topology_num_numa_nodes(topology) < 0 || podalloc_topology_num_cores(topology) < 0 ||
      podalloc_topology_num_sockets(topology) < 0 ||
      podalloc_topology_num_uncore_caches(topology) < 0) {
    Violation("a negative count");
  }
  (void)podalloc_topology_name(topology);

  // A node with the default configuration, and one with the static CPU policy.
  for (std::string_view config :
       {std::string_view("{}"), std::string_view(R"({"cpuManagerPolicy":"static",)"
                                                 R"("reservedSystemCPUs":"0"})")}) {
    podalloc_node* node = nullptr;
    podalloc_fuzz::CheckStatus(
        podalloc_node_create(&node, topology, config.data(), config.size(), nullptr),
        "podalloc_node_create");
    podalloc_node_destroy(node);
  }
  podalloc_topology_destroy(topology);
  return 0;
}
