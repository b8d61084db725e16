// The memory manager's conformance vectors (transcribed kubelet tests and derived cases),
// every case through the public API. Files held back from this tree run too when present.
#include <filesystem>

#include <catch2/catch.hpp>

#include "podalloc/memory_manager.h"
#include "support/vectors.h"
#include "test_machines.h"
#include "vector_model.h"

namespace podalloc {
namespace {

using namespace podalloc::testing;

VectorJson SortedCells(VectorJson machine) {
  if (machine.is_null()) return VectorJson::object();
  for (auto& [id, node] : machine.items()) {
    if (node.contains("cells")) std::sort(node["cells"].begin(), node["cells"].end());
  }
  return machine;
}

VectorJson SortedBlocks(VectorJson assignments) {
  if (assignments.is_null()) return VectorJson::object();
  for (auto& [pod, containers] : assignments.items()) {
    for (auto& [name, blocks] : containers.items()) {
      for (auto& b : blocks) std::sort(b["numa"].begin(), b["numa"].end());
      std::sort(blocks.begin(), blocks.end());
    }
  }
  return assignments;
}

std::string ErrorOf(const absl::Status& s) { return s.ok() ? "" : std::string(s.message()); }
std::string ExpectedError(const VectorJson& expected) {
  const VectorJson e = expected.value("error", VectorJson());
  return e.is_null() ? "" : e.get<std::string>();
}

template <typename T>
const VectorJson& Field(const VectorJson& c, std::initializer_list<T> names) {
  static const VectorJson kNull;
  for (const auto* n : names) {
    if (c.contains(n)) return c[n];
  }
  return kNull;
}

MemoryStaticPolicy PolicyOf(const VectorJson& c) {
  auto policy = NewMemoryStaticPolicy(
      MachineInfoOf(Field(c, {"machine_info", "machine"})),
      ReservedOf(Field(c, {"reserved_memory", "reserved"})),
      MemoryManagerGates{GatesOf(c).pod_level_resources, GatesOf(c).pod_level_resource_managers});
  REQUIRE(policy.ok());
  return *policy;
}

MemoryManagerState StateOf(const VectorJson& c) {
  MemoryManagerState s;
  s.machine = MachineStateOf(c.value("machine_state", VectorJson()));
  s.assignments = AssignmentsOf(c.value("assignments", VectorJson()));
  s.reusable = ReusableOf(c.value("init_containers_reusable_memory", VectorJson()));
  return s;
}

void CheckState(const VectorJson& expected, const MemoryManagerState& s) {
  CHECK(AssignmentsJson(s.assignments).dump() ==
        SortedBlocks(expected.value("assignments", VectorJson())).dump());
  CHECK(MachineStateJson(s.machine).dump() ==
        SortedCells(expected.value("machine_state", VectorJson())).dump());
}

std::string ContainerOf(const VectorJson& c, const PodMemorySpec& pod) {
  if (c.contains("container")) return c["container"].get<std::string>();
  REQUIRE(!pod.containers.empty());
  return pod.containers[0].name;
}

// One vector; returns false for an op this harness does not know (which fails the test).
bool RunCase(const VectorJson& c) {
  const std::string op = c.at("op");
  const VectorJson& expected = c.at("expected");
  const VectorGates gates = GatesOf(c);

  if (op == "new") {
    auto p = NewMemoryStaticPolicy(MachineInfoOf(c.value("machine_info", VectorJson())),
                                   ReservedOf(c.value("reserved_memory", VectorJson())));
    CHECK(ErrorOf(p.status()) == ExpectedError(expected));
  } else if (op == "start") {
    const MemoryStaticPolicy policy = PolicyOf(c);
    MemoryManagerState s = StateOf(c);
    const absl::Status status = StartMemoryManager(policy, s);
    CHECK(ErrorOf(status) == ExpectedError(expected));
    if (status.ok() && ExpectedError(expected).empty()) CheckState(expected, s);
  } else if (op == "default_machine_state") {
    const VectorJson want = expected.contains("machine_state") ? expected["machine_state"] : expected;
    CHECK(MachineStateJson(DefaultMemoryMachineState(PolicyOf(c))).dump() ==
          SortedCells(want).dump());
  } else if (op == "get_topology_hints" || op == "container_hints") {
    const MemoryStaticPolicy policy = PolicyOf(c);
    const MemoryManagerState s = StateOf(c);
    auto pod = PodOf(c.at("pod"), gates);
    VectorJson got;  // a request the kubelet cannot read gives nil hints
    if (pod.ok()) {
      auto hints = ContainerTopologyHints(policy, s, *pod, ContainerOf(c, *pod));
      REQUIRE(hints.ok());
      got = HintsJson(*hints);
    }
    CHECK(got.dump() == expected.value("hints", VectorJson()).dump());
  } else if (op == "pod_requested_resources") {
    auto pod = PodOf(c.at("pod"), gates);
    REQUIRE(pod.ok());
    const MemoryStaticPolicy policy = UniformPolicy(1, kGi, 1);
    CHECK(AmountsJson(PodRequestedMemory(policy, *pod)).dump() == expected.at("requested").dump());
  } else if (op == "validate_pod_scope_resources") {
    MemoryStaticPolicy policy = UniformPolicy(1, kGi, 1);
    policy.gates = MemoryManagerGates{gates.pod_level_resources, gates.pod_level_resource_managers};
    auto pod = PodOf(c.at("pod"), gates);
    REQUIRE(pod.ok());
    CHECK(ErrorOf(ValidatePodScopeMemory(policy, *pod)) == ExpectedError(expected));
  } else if (op == "allocate" || op == "allocate_pod") {
    const MemoryStaticPolicy policy = PolicyOf(c);
    MemoryManagerState s = StateOf(c);
    auto pod = PodOf(c.at("pod"), gates);
    const TopologyHint affinity = AffinityOf(c.value("topology_hint", VectorJson()));
    auto allocate = [&](const std::string& name) {
      INFO("container " << name);
      if (!pod.ok()) return ErrorOf(pod.status());
      return ErrorOf(AllocateMemory(policy, *pod, name, affinity, s).status());
    };
    std::string last_error;
    if (op == "allocate") {
      last_error = allocate(c.at("container"));
      CHECK(last_error == ExpectedError(expected));
    } else {
      // As the kubelet's test: every init container must give the expected error; if the
      // last one failed the case ends, otherwise every app container must succeed.
      for (const auto& entry : c.at("pod").value("init_containers", VectorJson::array())) {
        last_error = allocate(entry.value("name", ""));
        CHECK(last_error == ExpectedError(expected));
      }
      if (last_error.empty()) {
        for (const auto& entry : c.at("pod").value("containers", VectorJson::array())) {
          CHECK(allocate(entry.value("name", "")).empty());
        }
      }
    }
    if (last_error.empty() && ExpectedError(expected).empty()) CheckState(expected, s);
  } else if (op == "remove_container") {
    const MemoryStaticPolicy policy = PolicyOf(c);
    MemoryManagerState s = StateOf(c);
    RemoveMemoryContainer(policy, c.at("remove").at("pod_uid").get<std::string>(),
                          c.at("remove").at("container").get<std::string>(), s);
    CheckState(expected, s);
  } else {
    return false;
  }
  return true;
}

void RunFile(const std::string& name, bool required) {
  const std::filesystem::path path = TestDataDir() / "conformance" / "memory_qos_resize" / name;
  if (!required && !std::filesystem::exists(path)) {
    WARN(name << " is not in this tree; its cases did not run");
    return;
  }
  const VectorJson file = LoadVectors("memory_qos_resize/" + name);
  const VectorJson& cases = file.at("cases");
  REQUIRE(!cases.empty());
  size_t ran = 0;
  for (const VectorJson& c : cases) {
    INFO(name << ": " << c.value("op", "?") << " \"" << c.value("name", "?") << "\"");
    CHECK(RunCase(c));
    ++ran;
  }
  CHECK(ran == cases.size());
  WARN(name << ": " << ran << " cases ran");
}

TEST_CASE("memory_manager: conformance vectors, Static policy hints",
          "[memory_manager][conformance]") {
  RunFile("memorymanager_hints.json", true);
}

TEST_CASE("memory_manager: conformance vectors, Static policy start",
          "[memory_manager][conformance]") {
  RunFile("memorymanager_start.json", true);
}

TEST_CASE("memory_manager: conformance vectors held back from this tree",
          "[memory_manager][conformance]") {
  RunFile("memorymanager_allocate.json", false);
  RunFile("memorymanager_derived.json", false);
}

}  // namespace
}  // namespace podalloc
