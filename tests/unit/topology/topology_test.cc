#include "podalloc/topology.h"

#include <catch2/catch.hpp>

namespace podalloc {
namespace {

// 2 sockets x 2 cores x 2 threads, one NUMA node per socket, one L3 per socket.
TopologySpec DualSocketHt() {
  TopologySpec spec;
  spec.name = "8x86-2s2n-smt2";
  for (int cpu = 0; cpu < 8; ++cpu) {
    int core = cpu % 4;          // threads cpu and cpu+4 share a core
    int socket = core / 2;
    spec.cpus.push_back(CpuInfo{.id = cpu, .core_id = core, .socket_id = socket,
                                .numa_id = socket, .uncore_id = socket, .kind = 0});
  }
  spec.numa_nodes = {NumaNodeInfo{.id = 1, .memory_bytes = 2u << 30, .hugepages = {}},
                     NumaNodeInfo{.id = 0, .memory_bytes = 1u << 30, .hugepages = {}}};
  spec.distances = {{10, 21}, {21, 10}};
  return spec;
}

TEST_CASE("topology: queries on a dual-socket SMT machine", "[topology]") {
  auto t = Topology::Build(DualSocketHt());
  REQUIRE(t.ok());
  CHECK(t->NumCpus() == 8);
  CHECK(t->NumCores() == 4);
  CHECK(t->NumSockets() == 2);
  CHECK(t->NumNumaNodes() == 2);
  CHECK(t->CpusPerCore() == 2);
  CHECK(t->CpusPerSocket() == 4);
  CHECK(t->CpusInCore(1).ToString() == "1,5");
  CHECK(t->CpusInSocket(1).ToString() == "2-3,6-7");
  CHECK(t->CpusInNumaNode(0).ToString() == "0-1,4-5");
  CHECK(t->CpusInNumaNodes(NumaMask{0, 1}) == t->cpus());
  CHECK(t->NumaIdsInSocket(1) == std::vector<int>{1});
  CHECK(t->SocketIdsInNumaNode(0) == std::vector<int>{0});
  CHECK(t->NumaNodesOf(CpuSet{0, 7}) == NumaMask{0, 1});
  CHECK(t->NumaNode(1)->memory_bytes == (2u << 30));
  CHECK(t->Distance(0, 1) == 21);
  CHECK(t->cpu(5)->core_id == 1);
  CHECK(t->cpu(8) == nullptr);
  CHECK(t->cpu(-1) == nullptr);
  CHECK(t->CpusInCore(99).IsEmpty());
}

TEST_CASE("topology: header counts override derived counts like the kubelet's", "[topology]") {
  TopologySpec spec = DualSocketHt();
  spec.num_cpus = 16;
  auto t = Topology::Build(spec);
  REQUIRE(t.ok());
  CHECK(t->CpusPerCore() == 4);
  CHECK(t->cpus().Size() == 8);
}

TEST_CASE("topology: CPU-less NUMA nodes are kept; missing nodes are added", "[topology]") {
  TopologySpec spec = DualSocketHt();
  spec.numa_nodes.push_back(NumaNodeInfo{.id = 5, .memory_bytes = 1, .hugepages = {}});
  spec.distances.clear();
  auto t = Topology::Build(spec);
  REQUIRE(t.ok());
  CHECK(t->NumaIds() == std::vector<int>{0, 1, 5});
  CHECK(t->CpusInNumaNode(5).IsEmpty());
  CHECK(t->Distance(0, 5) == 20);
  spec.numa_nodes.clear();
  t = Topology::Build(spec);
  REQUIRE(t.ok());
  CHECK(t->NumaIds() == std::vector<int>{0, 1});
}

TEST_CASE("topology: kubelet-style core labels may span sockets when allowed", "[topology]") {
  TopologySpec spec = DualSocketHt();
  spec.cpus[4].socket_id = 1;  // core 0 now has a thread in each socket
  spec.cpus[4].numa_id = 1;
  CHECK_FALSE(Topology::Build(spec).ok());
  spec.allow_cores_across_nodes = true;
  auto t = Topology::Build(spec);
  REQUIRE(t.ok());
  CHECK(t->CpusInCore(0).ToString() == "0,4");
  CHECK(t->NumCores() == 4);
}

TEST_CASE("topology: invalid specs are errors naming the item", "[topology]") {
  struct Case {
    const char* what;
    void (*mutate)(TopologySpec&);
    const char* needle;
  };
  const Case cases[] = {
      {"duplicate cpu", [](TopologySpec& s) { s.cpus.push_back(s.cpus[0]); }, "CPU 0 is listed twice"},
      {"cpu id too big", [](TopologySpec& s) { s.cpus[0].id = 5000; }, "CPU id 5000"},
      {"numa id too big", [](TopologySpec& s) { s.cpus[0].numa_id = 64; }, "NUMA node id 64"},
      {"core across sockets", [](TopologySpec& s) { s.cpus[4].socket_id = 1; s.cpus[4].numa_id = 1; }, "core 0"},
      {"distance rows", [](TopologySpec& s) { s.distances.pop_back(); }, "1 rows for 2"},
      {"distance cols", [](TopologySpec& s) { s.distances[1].pop_back(); }, "row of NUMA node 1"},
      {"distance zero", [](TopologySpec& s) { s.distances[0][1] = 0; }, "is 0"},
      {"duplicate numa", [](TopologySpec& s) { s.numa_nodes.push_back(s.numa_nodes[0]); }, "listed twice"},
      {"online and offline", [](TopologySpec& s) { s.offline_cpus.Add(3); }, "CPU 3 is listed both"},
      {"negative core", [](TopologySpec& s) { s.cpus[2].core_id = -4; }, "negative core (-4)"},
      {"hugepage size 0", [](TopologySpec& s) { s.numa_nodes[0].hugepages.push_back({}); }, "hugepage size 0"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    TopologySpec spec = DualSocketHt();
    c.mutate(spec);
    auto t = Topology::Build(spec);
    REQUIRE_FALSE(t.ok());
    CHECK_THAT(std::string(t.status().message()), Catch::Contains(c.needle));
  }
}

}  // namespace
}  // namespace podalloc
