// A node saved to the kubelet's checkpoint files and restored from them.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>

#include "node_test_support.h"
#include "podalloc/cpu_checkpoint.h"
#include "podalloc/memory_checkpoint.h"
#include "podalloc/node_checkpoint.h"

namespace podalloc::testing {
namespace {

namespace fs = std::filesystem;

std::unique_ptr<Node> MakeNode(NodeConfig config) {
  auto node = Node::Create(MakeMachine(2, 1, 8, 16), std::move(config));
  INFO((node.ok() ? "" : std::string(node.status().message())));
  REQUIRE(node.ok());
  return std::move(*node);
}

std::unique_ptr<Node> StaticNode() { return MakeNode(PodLevelConfig("restricted", "pod", 2)); }

// A pod-level pod, a container-level Guaranteed pod and a BestEffort one (no state entries).
std::vector<Pod> Pods() {
  return {MakePod("pod-level", "4", "4Gi", {{"c1", "2", "2Gi"}, {"c2", "", ""}}),
          MakePod("guaranteed", "", "", {{"app", "3", "2Gi"}}),
          MakePod("best-effort", "", "", {{"app", "", ""}})};
}

std::unique_ptr<Node> LoadedNode() { return AdmitAll(StaticNode(), Pods()); }

// What the files hold: the node's state but the bookkeeping the kubelet does not checkpoint
// (init-container reuse).
void CheckSameCheckpointedState(const NodeState& a, const NodeState& b) {
  CHECK(a.cpu.default_cpu_set == b.cpu.default_cpu_set);
  CHECK(a.cpu.assignments == b.cpu.assignments);
  CHECK(a.cpu.pod_assignments == b.cpu.pod_assignments);
  CHECK(a.memory.machine == b.memory.machine);
  CHECK(a.memory.assignments == b.memory.assignments);
  CHECK(a.memory.pod_assignments == b.memory.pod_assignments);
  CHECK(a.pods == b.pods);
}

// A scratch folder under the system's temporary folder, removed at the end of the test.
struct ScratchDir {
  explicit ScratchDir(const std::string& name)
      : path(fs::temp_directory_path() /
             ("podalloc-" + name + "-" + std::to_string(::getpid()))) {
    fs::create_directories(path);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path path;
};

void WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  REQUIRE(out.good());
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Flips one digit of the number following `key` in `file`.
std::string Corrupt(std::string file, const std::string& key) {
  const size_t at = file.find(key);
  REQUIRE(at != std::string::npos);
  char& digit = file[at + key.size()];
  REQUIRE(std::isdigit(static_cast<unsigned char>(digit)));
  digit = digit == '1' ? '2' : '1';
  return file;
}

TEST_CASE("node: checkpoint files round-trip through the file system", "[node][checkpoint]") {
  auto node = LoadedNode();
  auto files = SaveCheckpoints(*node);
  REQUIRE(files.ok());
  CHECK(files->version == node->version());
  // The pair is what the single-file calls write.
  CHECK(files->cpu_manager == *SaveCpuManagerCheckpoint(*node));
  CHECK(files->memory_manager == SaveMemoryManagerCheckpoint(*node).value());

  ScratchDir dir("checkpoint-round-trip");
  WriteFile(dir.path / "cpu_manager_state", files->cpu_manager);
  WriteFile(dir.path / "memory_manager_state", files->memory_manager);
  // The files are the kubelet's: its own readers accept them.
  auto cpu = ReadCpuCheckpointFile(dir.path / "cpu_manager_state");
  REQUIRE(cpu.ok());
  CHECK(cpu->format == CpuCheckpointFormat::kV4);
  CHECK(cpu->checkpoint.pod_entries.contains("pod-level"));
  auto memory = ReadMemoryCheckpointFile(dir.path / "memory_manager_state", "Static");
  REQUIRE(memory.ok());
  CHECK(memory->format == MemoryCheckpointFormat::kV3);

  auto restored = StaticNode();
  const uint64_t version = restored->version();
  const absl::Status s = RestoreFromCheckpoints(
      *restored, ReadFile(dir.path / "cpu_manager_state"),
      ReadFile(dir.path / "memory_manager_state"), Pods());
  INFO(s.message());
  REQUIRE(s.ok());
  CHECK(restored->version() > version);
  CheckSameCheckpointedState(restored->State(), node->State());
  // Saved again, the restored node writes the same bytes.
  CHECK(*SaveCpuManagerCheckpoint(*restored) == files->cpu_manager);
  CHECK(*SaveMemoryManagerCheckpoint(*restored) == files->memory_manager);

  // The restored node manages the pods: removing them all gives the empty node back.
  for (const char* uid : {"pod-level", "guaranteed", "best-effort"}) {
    CAPTURE(uid);
    CHECK(restored->RemovePod(uid).ok());
  }
  CheckSameCheckpointedState(restored->State(), StaticNode()->State());
}

TEST_CASE("node: a checksum mismatch is DataLoss and changes nothing", "[node][checkpoint]") {
  auto node = LoadedNode();
  auto files = SaveCheckpoints(*node);
  REQUIRE(files.ok());
  auto restored = StaticNode();
  REQUIRE(RestoreFromCheckpoints(*restored, files->cpu_manager, files->memory_manager, Pods())
              .ok());
  const Unchanged before(*restored);

  SECTION("cpu_manager_state") {
    const absl::Status s = RestoreFromCheckpoints(
        *restored, Corrupt(files->cpu_manager, "\"dataChecksum\":"), "", Pods());
    INFO(s.message());
    CHECK(s.code() == absl::StatusCode::kDataLoss);
  }
  SECTION("memory_manager_state") {
    const absl::Status s = RestoreFromCheckpoints(
        *restored, files->cpu_manager, Corrupt(files->memory_manager, "\"dataChecksum\":"),
        Pods());
    INFO(s.message());
    CHECK(s.code() == absl::StatusCode::kDataLoss);
  }
  before.Check();
}

TEST_CASE("node: a checkpoint of another policy is FailedPrecondition", "[node][checkpoint]") {
  NodeConfig defaults;  // every policy none
  auto plain = MakeNode(defaults);
  auto plain_files = SaveCheckpoints(*plain);
  REQUIRE(plain_files.ok());
  auto node = LoadedNode();
  auto static_files = SaveCheckpoints(*node);
  REQUIRE(static_files.ok());

  SECTION("CPU manager: none file, static node") {
    const Unchanged before(*node);
    const absl::Status s = RestoreFromCheckpoints(*node, plain_files->cpu_manager, "", {});
    INFO(s.message());
    CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
    CHECK_THAT(std::string(s.message()),
               Catch::Contains("configured policy \"static\" differs from state checkpoint "
                               "policy \"none\""));
    before.Check();
  }
  SECTION("memory manager: None file, Static node") {
    const Unchanged before(*node);
    const absl::Status s = RestoreFromCheckpoints(*node, "", plain_files->memory_manager, {});
    INFO(s.message());
    CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
    before.Check();
  }
  SECTION("static files, node with every policy none") {
    const Unchanged before(*plain);
    const absl::Status s = RestoreFromCheckpoints(*plain, static_files->cpu_manager,
                                                  static_files->memory_manager, Pods());
    INFO(s.message());
    CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
    before.Check();
  }
}

TEST_CASE("node: a checkpoint naming a pod that is not listed changes nothing",
          "[node][checkpoint]") {
  auto node = LoadedNode();
  auto files = SaveCheckpoints(*node);
  REQUIRE(files.ok());
  auto restored = StaticNode();
  const Unchanged before(*restored);
  std::vector<Pod> pods = Pods();
  pods.erase(pods.begin() + 1);  // "guaranteed" holds CPUs and memory in both files

  SECTION("CPU file") {
    const absl::Status s = RestoreFromCheckpoints(*restored, files->cpu_manager, "", pods);
    INFO(s.message());
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK_THAT(std::string(s.message()), Catch::Contains("\"guaranteed\""));
  }
  SECTION("memory file") {
    const absl::Status s = RestoreFromCheckpoints(*restored, "", files->memory_manager, pods);
    INFO(s.message());
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK_THAT(std::string(s.message()), Catch::Contains("\"guaranteed\""));
  }
  before.Check();
}

TEST_CASE("node: missing checkpoint files are empty manager states", "[node][checkpoint]") {
  auto node = LoadedNode();
  auto files = SaveCheckpoints(*node);
  REQUIRE(files.ok());
  const NodeState fresh = StaticNode()->State();

  SECTION("both missing: a fresh node holding the pods in the shared pool") {
    REQUIRE(RestoreFromCheckpoints(*node, "", "", Pods()).ok());
    const NodeState state = node->State();
    CHECK(state.cpu == fresh.cpu);
    CHECK(state.memory == fresh.memory);
    CHECK(state.pods.size() == 3);
  }
  SECTION("memory file missing: CPUs restored, memory fresh") {
    auto restored = StaticNode();
    REQUIRE(RestoreFromCheckpoints(*restored, files->cpu_manager, "", Pods()).ok());
    const NodeState state = restored->State();
    CHECK(state.cpu.assignments == node->State().cpu.assignments);
    CHECK(state.memory == fresh.memory);
  }
  SECTION("no files and no pods") {
    REQUIRE(RestoreFromCheckpoints(*node, "", "", {}).ok());
    CHECK(node->State() == fresh);
  }
}

TEST_CASE("node: a CPU V1 checkpoint with container ids cannot be restored",
          "[node][checkpoint]") {
  // V1 keys entries by runtime container id, which a Pod does not carry.
  const std::string v1 =
      R"({"policyName":"static","defaultCPUSet":"0-1,4-15","entries":{"abc123":"2-3"},)"
      R"("checksum":0})";
  auto node = StaticNode();
  const Unchanged before(*node);
  const absl::Status s = RestoreFromCheckpoints(*node, v1, "", {});
  INFO(s.message());
  CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
  CHECK_THAT(std::string(s.message()), Catch::Contains("abc123"));
  before.Check();
}

TEST_CASE("node: pods to restore with, as an array or a PodList", "[node][checkpoint]") {
  const std::string pod = R"({"metadata":{"name":"a","uid":"u1"},"spec":{"containers":[)"
                          R"({"name":"c"}]}})";
  auto array = ParsePodList("[" + pod + "," + pod + "]");
  REQUIRE(array.ok());
  CHECK(array->size() == 2);
  auto list = ParsePodList(R"({"kind":"PodList","items":[)" + pod + "]}");
  REQUIRE(list.ok());
  REQUIRE(list->size() == 1);
  CHECK(list->front().uid == "u1");
  CHECK(ParsePodList("")->empty());

  const absl::Status not_json = ParsePodList("[", "pods_json").status();
  CHECK(not_json.code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(not_json.message()), Catch::StartsWith("pods_json: "));
  const absl::Status not_list = ParsePodList(R"({"items": 1})").status();
  CHECK(not_list.code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(not_list.message()), Catch::StartsWith("pods.items: "));
  const absl::Status bad_pod = ParsePodList("[" + pod + R"(,{"spec": 1}])").status();
  CHECK(bad_pod.code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(bad_pod.message()), Catch::StartsWith("pods[1]: "));
}

}  // namespace
}  // namespace podalloc::testing
