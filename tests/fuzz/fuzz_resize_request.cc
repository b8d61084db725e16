// File: tests/fuzz/fuzz_resize_request.cc
// In-place resize requests: the input is the desired pod JSON, judged against nodes holding
// the fixed pods (see resize_target.h), with no usage and with a known usage.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "resize_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view pod(reinterpret_cast<const char*>(data), size);
  podalloc_fuzz::ResizeEverywhere(pod, {});
  podalloc_fuzz::ResizeEverywhere(pod, R"({"pod":"300Mi","containers":{"web":314572800}})");
  return 0;
}
