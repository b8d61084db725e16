// File: tests/fuzz/fuzz_cpuset.cc
// CPU lists in the kubelet's syntax ("0-3,8"): podalloc_cpuset_parse must accept or refuse
// any bytes; an accepted list formats to its canonical text, which parses back to the same
// mask; and the mask, as the available CPUs of a real machine, gives take-by-topology
// exactly the count it asks for, inside the available set.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz_support.h"

namespace {

using podalloc_fuzz::CheckStatus;
using podalloc_fuzz::Violation;

constexpr size_t kWords = 64;  // CPU ids below 4096

int Count(const std::vector<uint64_t>& mask) {
  int n = 0;
  for (uint64_t w : mask) n += std::popcount(w);
  return n;
}

const podalloc_topology* Machine() {
  // 2 sockets, 2 NUMA nodes each, an L3 per NUMA node, 4 cores of 2 threads: 32 CPUs.
  static const podalloc_topology* machine = [] {
    podalloc_topology* t = nullptr;
    const std::string_view d = "pack:2 numa:2 l3:1 core:4 pu:2";
    podalloc_fuzz::MustSucceed(podalloc_topology_from_synthetic(&t, d.data(), d.size(), nullptr),
                               "the fixed machine");
    return t;
  }();
  return machine;
}

void CheckTake(const std::vector<uint64_t>& available) {
  const podalloc_topology* machine = Machine();
  std::vector<uint64_t> in_machine(kWords, 0);
  const size_t words = podalloc_topology_cpuset_words(machine);
  podalloc_fuzz::MustSucceed(podalloc_topology_cpus(in_machine.data(), kWords, machine, nullptr),
                             "podalloc_topology_cpus");
  for (size_t i = 0; i < kWords; ++i) in_machine[i] &= available[i];
  const int usable = Count(in_machine);
  for (uint32_t flags : {0u, PODALLOC_TAKE_SPREAD_ACROSS_CORES, PODALLOC_TAKE_ALIGN_BY_UNCORE_CACHE,
                         PODALLOC_TAKE_DISTRIBUTE_ACROSS_NUMA}) {
    podalloc_take_options options = PODALLOC_TAKE_OPTIONS_INIT;
    options.flags = flags;
    options.cpu_group_size = flags == PODALLOC_TAKE_DISTRIBUTE_ACROSS_NUMA ? 2 : 0;
    for (int want : {1, usable / 2, usable}) {
      std::vector<uint64_t> taken(words, 0);
      const podalloc_status s = podalloc_cpuset_take(taken.data(), words, machine, available.data(),
                                                     kWords, want, &options, nullptr);
      CheckStatus(s, "podalloc_cpuset_take");
      if (s != PODALLOC_OK) {
        // Only a shortage may refuse a take from a valid set.
        if (s != PODALLOC_RESOURCE_EXHAUSTED || want <= usable) {
          Violation("take refused a count the available CPUs hold", podalloc_last_error_message());
        }
        continue;
      }
      if (Count(taken) != want) Violation("take returned another count than asked");
      for (size_t i = 0; i < words; ++i) {
        if ((taken[i] & ~in_machine[i]) != 0) Violation("take returned an unavailable CPU");
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const char* text = reinterpret_cast<const char*>(data);
  std::vector<uint64_t> mask(kWords, 0);
  size_t needed = 0;
  podalloc_status s = podalloc_cpuset_parse(mask.data(), kWords, &needed, text, size, nullptr);
  CheckStatus(s, "podalloc_cpuset_parse");
  if (s != PODALLOC_OK) return 0;

  // The words needed: exactly up to the highest CPU.
  size_t highest_word = 0;
  for (size_t i = 0; i < kWords; ++i) {
    if (mask[i] != 0) highest_word = i + 1;
  }
  if (needed != highest_word) Violation("needed_words is not the highest CPU's word + 1");

  // Canonical text, read back to the same mask; formatting is idempotent.
  size_t length = 0;
  s = podalloc_cpuset_format(nullptr, 0, &length, mask.data(), kWords, nullptr);
  if (s != PODALLOC_OUT_OF_RANGE && !(s == PODALLOC_OK && length == 0)) {
    Violation("format with no room did not ask for the length", podalloc_status_name(s));
  }
  std::string canonical(length + 1, '\0');
  podalloc_fuzz::MustSucceed(podalloc_cpuset_format(canonical.data(), canonical.size(), &length,
                                                    mask.data(), kWords, nullptr),
                             "podalloc_cpuset_format");
  canonical.resize(length);
  std::vector<uint64_t> again(kWords, 0);
  podalloc_fuzz::MustSucceed(podalloc_cpuset_parse(again.data(), kWords, nullptr, canonical.data(),
                                                   canonical.size(), nullptr),
                             "parsing the canonical text");
  if (again != mask) Violation("the canonical text parses to another set", canonical);

  CheckTake(mask);
  return 0;
}
