// File: tests/fuzz/fuzz_node_config.cc
// Node configuration JSON (the KubeletConfiguration subset) on a fixed two-NUMA machine. A
// configuration the node accepts must then serve a small workload (a Guaranteed, a
// Burstable, a BestEffort and a pod-level pod, each admitted or refused, never an error
// other than those documented), and its checkpoints must restore into a fresh node with the
// same configuration to the same state.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"

namespace {

using podalloc_fuzz::Buffer;
using podalloc_fuzz::CheckStatus;
using podalloc_fuzz::Violation;

constexpr std::string_view kWorkload[] = {
    podalloc_fuzz::kFixedGuaranteed,
    podalloc_fuzz::kFixedBurstable,
    R"({"metadata":{"name":"best-effort","uid":"best-effort"},"spec":{"containers":[)"
    R"({"name":"c"}]}})",
    R"({"metadata":{"name":"pod-level","uid":"pod-level"},"spec":{"resources":{)"
    R"("requests":{"cpu":"3","memory":"2Gi"},"limits":{"cpu":"3","memory":"2Gi"}},)"
    R"("containers":[{"name":"a","resources":{"limits":{"cpu":"2","memory":"1Gi"}}},)"
    R"({"name":"b"}]}})",
};

std::string Save(const podalloc_node* node, int32_t kind) {
  Buffer out;
  podalloc_fuzz::MustSucceed(podalloc_node_checkpoint_save(&out.b, node, kind, nullptr),
                             "podalloc_node_checkpoint_save");
  return out.str();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static podalloc_topology* machine = podalloc_fuzz::SmallMachine();
  const char* config = reinterpret_cast<const char*>(data);
  podalloc_node* node = nullptr;
  const podalloc_status s = podalloc_node_create(&node, machine, config, size, nullptr);
  CheckStatus(s, "podalloc_node_create");
  if (s != PODALLOC_OK) {
    if (node != nullptr) Violation("a refused configuration wrote its output");
    return 0;
  }

  std::string admitted_pods = "[";
  for (std::string_view pod : kWorkload) {
    Buffer out;
    const podalloc_status a =
        podalloc_node_admit_and_commit(&out.b, node, pod.data(), pod.size(), nullptr);
    CheckStatus(a, "podalloc_node_admit_and_commit");
    if (a != PODALLOC_OK) {
      Violation("a plain pod is an error rather than a decision", podalloc_last_error_message());
    }
    if (out.str().find("\"admitted\":true") != std::string::npos) {
      if (admitted_pods.size() > 1) admitted_pods += ",";
      admitted_pods += pod;
    }
  }
  admitted_pods += "]";

  // Checkpoints out and into a fresh node of the same configuration.
  const std::string cpu = Save(node, PODALLOC_CHECKPOINT_CPU_MANAGER);
  const std::string memory = Save(node, PODALLOC_CHECKPOINT_MEMORY_MANAGER);
  podalloc_node* restored = nullptr;
  podalloc_fuzz::MustSucceed(podalloc_node_create(&restored, machine, config, size, nullptr),
                             "the same configuration a second time");
  if (podalloc_node_checkpoint_restore(restored, cpu.data(), cpu.size(), memory.data(),
                                       memory.size(), admitted_pods.data(), admitted_pods.size(),
                                       nullptr) != PODALLOC_OK) {
    Violation("a node cannot restore its own checkpoints", podalloc_last_error_message());
  }
  if (podalloc_fuzz::StateBody(restored) != podalloc_fuzz::StateBody(node)) {
    Violation("restore(save(state)) differs from the state", podalloc_fuzz::State(restored));
  }
  podalloc_node_destroy(restored);
  podalloc_node_destroy(node);
  return 0;
}
