// File: tests/fuzz/fuzz_quantity.cc
// Resource quantities ("500m", "1.5Gi", "1e3"). The C ABI has no quantity call, so the input
// goes where quantities are read: container and pod-level requests and limits of every
// resource (QoS class, then admission beside a committed Burstable and Guaranteed pod), and
// the node configuration's reservations. Each call must answer with a documented status.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"

namespace {

using podalloc_fuzz::Buffer;
using podalloc_fuzz::CheckStatus;

struct Fixture {
  podalloc_topology* machine = podalloc_fuzz::SmallMachine();
  podalloc_node* node = [this] {
    podalloc_node* n = podalloc_fuzz::MakeNode(machine, podalloc_fuzz::kStaticConfig);
    podalloc_fuzz::MustAdmit(n, podalloc_fuzz::kFixedGuaranteed);
    podalloc_fuzz::MustAdmit(n, podalloc_fuzz::kFixedBurstable);
    return n;
  }();
};

const Fixture& Fixed() {
  static const Fixture fixture;
  return fixture;
}

std::string Pod(const std::string& container_resources, const std::string& pod_resources = "") {
  std::string pod = R"({"metadata":{"name":"q","namespace":"default","uid":"q"},"spec":{)";
  if (!pod_resources.empty()) pod += R"("resources":)" + pod_resources + ",";
  return pod + R"("containers":[{"name":"c","resources":)" + container_resources + "}]}}";
}

void Judge(const std::string& pod) {
  for (uint32_t flags : {0u, PODALLOC_QOS_NO_POD_LEVEL_RESOURCES}) {
    int32_t qos = -1;
    CheckStatus(podalloc_pod_qos_class(&qos, pod.data(), pod.size(), flags, nullptr),
                "podalloc_pod_qos_class");
  }
  podalloc_decision* decision = nullptr;
  const podalloc_status s =
      podalloc_node_admit(&decision, Fixed().node, pod.data(), pod.size(), nullptr);
  CheckStatus(s, "podalloc_node_admit");
  if (s == PODALLOC_OK) {
    Buffer json;
    podalloc_fuzz::MustSucceed(podalloc_decision_to_json(&json.b, decision, nullptr),
                               "podalloc_decision_to_json");
  }
  podalloc_decision_destroy(decision);
}

void Configure(const std::string& config) {
  podalloc_node* node = nullptr;
  CheckStatus(podalloc_node_create(&node, Fixed().machine, config.data(), config.size(), nullptr),
              "podalloc_node_create");
  podalloc_node_destroy(node);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string q = podalloc_fuzz::JsonQuoted(text);
  // Guaranteed-looking, requests only, the same value twice, huge pages and storage.
  Judge(Pod(R"({"limits":{"cpu":)" + q + R"(,"memory":)" + q + "}}"));
  Judge(Pod(R"({"requests":{"cpu":)" + q + R"(},"limits":{"cpu":"2","memory":"1Gi"}})"));
  Judge(Pod(R"({"requests":{"memory":)" + q + R"(,"hugepages-2Mi":)" + q +
            R"(},"limits":{"memory":)" + q + R"(,"hugepages-2Mi":)" + q + "}}"));
  Judge(Pod(R"({"requests":{"ephemeral-storage":)" + q + R"(,"cpu":"1"}})"));
  Judge(Pod("{}", R"({"requests":{"cpu":)" + q + R"(,"memory":"1Gi"},"limits":{"cpu":)" + q +
                      R"(,"memory":"1Gi"}})"));
  // The node's reservations.
  Configure(R"({"kubeReserved":{"cpu":)" + q + R"(,"memory":)" + q + "}}");
  Configure(R"({"systemReserved":{"memory":)" + q + R"(},"evictionHard":{"memory.available":)" + q +
            "}}");
  Configure(R"({"memoryManagerPolicy":"Static","reservedMemory":[{"numaNode":0,"limits":)"
            R"({"memory":)" +
            q + R"(,"hugepages-2Mi":)" + q + "}}]}");
  return 0;
}
