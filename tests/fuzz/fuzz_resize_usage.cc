// File: tests/fuzz/fuzz_resize_usage.cc
// The memory usage JSON of a resize ({"pod": bytes, "containers": {"name": bytes}}): the
// fixed Burstable pod lowers its memory limit and raises its CPU request under the input
// usage (see resize_target.h for what is checked).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "resize_target.h"

namespace {

constexpr std::string_view kResized =
    R"({"metadata":{"name":"fixed-burstable","namespace":"default","uid":"fixed-burstable"},)"
    R"("spec":{"containers":[{"name":"web","resources":{"requests":{"cpu":"1",)"
    R"("memory":"256Mi"},"limits":{"memory":"300Mi"}}}]}})";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  podalloc_fuzz::ResizeEverywhere(kResized,
                                  std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
