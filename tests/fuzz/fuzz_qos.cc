// File: tests/fuzz/fuzz_qos.cc
// The QoS class of a pod JSON, under every flag combination: a documented status, and on
// success one of the three classes, whose name is known. Without a status.qosClass, ignoring
// the status changes nothing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const char* pod = reinterpret_cast<const char*>(data);
  int32_t classes[4] = {-1, -1, -1, -1};
  for (uint32_t flags = 0;
       flags <= (PODALLOC_QOS_IGNORE_STATUS | PODALLOC_QOS_NO_POD_LEVEL_RESOURCES); ++flags) {
    int32_t qos = -1;
    const podalloc_status s = podalloc_pod_qos_class(&qos, pod, size, flags, nullptr);
    podalloc_fuzz::CheckStatus(s, "podalloc_pod_qos_class");
    if (s != PODALLOC_OK) {
      if (qos != -1) podalloc_fuzz::Violation("a failed QoS call wrote its output");
      continue;
    }
    if (qos != PODALLOC_QOS_GUARANTEED && qos != PODALLOC_QOS_BURSTABLE &&
        qos != PODALLOC_QOS_BEST_EFFORT) {
      podalloc_fuzz::Violation("a QoS class outside the three");
    }
    if (std::string_view(podalloc_qos_class_name(qos)).empty()) {
      podalloc_fuzz::Violation("a QoS class without a name");
    }
    classes[flags] = qos;
  }
  // No status (no "qosClass" key, and no escape that could spell one).
  const std::string_view text(pod, size);
  if (text.find("qosClass") == std::string_view::npos &&
      text.find('\\') == std::string_view::npos &&
      (classes[0] != classes[PODALLOC_QOS_IGNORE_STATUS] ||
       classes[PODALLOC_QOS_NO_POD_LEVEL_RESOURCES] !=
           classes[PODALLOC_QOS_IGNORE_STATUS | PODALLOC_QOS_NO_POD_LEVEL_RESOURCES])) {
    podalloc_fuzz::Violation("ignoring an absent status changed the QoS class");
  }
  return 0;
}
