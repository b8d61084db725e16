// libFuzzer target: arbitrary bytes as an hwloc XML export through the C ABI
// (podalloc_topology_from_xml). Any input must end in PODALLOC_OK with a usable topology or in
// PODALLOC_INVALID_ARGUMENT with a message; a crash, a sanitizer report, a leak or another
// status code is a bug. Seeds: tests/fuzz/corpus/topology_xml/ (the real exports of
// tests/data/fixtures up to 41 KB, the hwloc crash and leak reproducers of tests/data/repro, a
// minimal two-node machine), dictionary: topology_xml.dict (hwloc2.dtd's elements, attributes
// and value forms).
//   ./fuzz_topology_xml -dict=tests/fuzz/topology_xml.dict -max_len=65536 \
//       CORPUS_DIR tests/fuzz/corpus/topology_xml
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "podalloc/podalloc.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  podalloc_topology* topology = nullptr;
  podalloc_error* err = nullptr;
  const podalloc_status status = podalloc_topology_from_xml(
      &topology, reinterpret_cast<const char*>(data), size, &err);
  if (status == PODALLOC_OK) {
    // A loaded topology answers its queries and serialises.
    if (topology == nullptr || err != nullptr || podalloc_topology_num_cpus(topology) <= 0) {
      abort();
    }
    podalloc_buffer json = {nullptr, 0};
    if (podalloc_topology_to_json(&json, topology, nullptr) != PODALLOC_OK) abort();
    podalloc_buffer_free(&json);
    podalloc_topology_destroy(topology);
    return 0;
  }
  // Refusals are INVALID_ARGUMENT with a message; out-of-memory is tolerated as the fuzzer's
  // own limit. Anything else (INTERNAL from an escaped exception, a partial result) is a bug.
  if (topology != nullptr || err == nullptr || std::strlen(podalloc_error_message(err)) == 0 ||
      (status != PODALLOC_INVALID_ARGUMENT && status != PODALLOC_RESOURCE_EXHAUSTED)) {
    abort();
  }
  podalloc_error_free(err);
  return 0;
}
