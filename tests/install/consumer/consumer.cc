// File: tests/install/consumer/consumer.cc
// Uses the installed static C++ core (podalloc::core) and its public headers.
#include <iostream>

#include "podalloc/cpuset.h"
#include "podalloc/discovery.h"

int main() {
  auto topology = podalloc::FromHwlocSynthetic("pack:2 numa:2 core:2 pu:2");
  if (!topology.ok()) {
    std::cerr << topology.status() << "\n";
    return 1;
  }
  auto set = podalloc::CpuSet::Parse("0-3,8");
  if (!set.ok() || set->ToString() != "0-3,8") return 1;
  std::cout << "podalloc core: " << topology->NumCpus() << " CPUs, "
            << topology->NumNumaNodes() << " NUMA nodes\n";
  return topology->NumCpus() == 16 && topology->NumNumaNodes() == 4 ? 0 : 1;
}
