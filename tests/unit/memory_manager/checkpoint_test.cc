#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "podalloc/memory_checkpoint.h"
#include "test_machines.h"

namespace podalloc {
namespace {

using namespace podalloc::testing;

// Checkpoint texts and checksums from the kubelet's state_checkpoint_test.go: the checksums
// there were computed by the kubelet itself.
constexpr char kMachine[] =
    R"({"0":{"numberOfAssignments":0,"memoryMap":{"memory":{"total":2048,"systemReserved":512,"allocatable":1536,"reserved":512,"free":1024}},"cells":[]}})";
constexpr char kEntries[] = R"({"pod":{"container1":[{"numaAffinity":[0],"type":"memory","size":512}]}})";
constexpr char kPodEntries[] =
    R"({"pod":{"memoryBlocks":[{"numaAffinity":[0],"type":"memory","size":512}]}})";

std::string V1(uint64_t checksum) {
  return absl::StrCat(R"({"policyName":"static","machineState":)", kMachine,
                      R"(,"entries":)", kEntries, R"(,"checksum":)", checksum, "}");
}
std::string V2(uint64_t checksum) {
  return absl::StrCat(R"({"policyName":"static","machineState":)", kMachine,
                      R"(,"entries":)", kEntries, R"(,"podEntries":)", kPodEntries,
                      R"(,"checksum":)", checksum, "}");
}
std::string Quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}
// A V3 file whose outer (V1) part is deliberately different: only "data" counts.
std::string V3(const std::string& data, uint64_t data_checksum) {
  return absl::StrCat(
      R"({"policyName":"other","machineState":{"0":{"numberOfAssignments":5,"memoryMap":{}}},)",
      R"("entries":{"pod":{"containerX":[{"numaAffinity":[0],"type":"memory","size":128}]}},)",
      R"("checksum":1234,"data":)", Quoted(data), R"(,"dataChecksum":)", data_checksum, "}");
}
const std::string kData = absl::StrCat(R"({"policyName":"static","machineState":)", kMachine,
                                       R"(,"entries":)", kEntries, "}");
const std::string kDataWithPods =
    absl::StrCat(R"({"policyName":"static","machineState":)", kMachine, R"(,"entries":)",
                 kEntries, R"(,"podEntries":)", kPodEntries, "}");

MemoryCheckpoint Expected(bool with_pod_entries) {
  MemoryCheckpoint c;
  c.policy_name = "static";
  MemoryNumaNodeState& n = c.machine_state.nodes.emplace_back();
  n.id = 0;
  n.memory = {MemoryResourceTable{kMemory, MemoryTable{2048, 512, 1536, 512, 1024}}};
  c.entries["pod"]["container1"] = {MemoryBlock{NumaMask{0}, kMemory, 512}};
  if (with_pod_entries) c.pod_entries["pod"] = {MemoryBlock{NumaMask{0}, kMemory, 512}};
  return c;
}

TEST_CASE("memory_manager: checkpoints of every layout verify like the kubelet's",
          "[memory_manager][checkpoint]") {
  SECTION("V1") {
    auto d = DecodeMemoryCheckpoint(V1(4215593881u));
    REQUIRE(d.ok());
    CHECK(d->format == MemoryCheckpointFormat::kV1);
    CHECK(d->checkpoint == Expected(false));
    CHECK(DecodeMemoryCheckpoint(V1(0)).ok());  // 0 means "no checksum"
    auto bad = DecodeMemoryCheckpoint(V1(101010));
    CHECK(bad.status().code() == absl::StatusCode::kDataLoss);
    CHECK(absl::StartsWith(bad.status().message(), "checkpoint is corrupted"));
  }
  SECTION("V2 keeps pod entries; a V2 file failing its checksum is read as V1") {
    auto d = DecodeMemoryCheckpoint(V2(1278640530u));
    REQUIRE(d.ok());
    CHECK(d->format == MemoryCheckpointFormat::kV2);
    CHECK(d->checkpoint == Expected(true));
    auto zero = DecodeMemoryCheckpoint(V2(0));
    REQUIRE(zero.ok());
    CHECK(zero->format == MemoryCheckpointFormat::kV1);
    CHECK(zero->checkpoint == Expected(false));
    CHECK(DecodeMemoryCheckpoint(V2(101010)).status().code() == absl::StatusCode::kDataLoss);
  }
  SECTION("V3 trusts only its data") {
    auto d = DecodeMemoryCheckpoint(V3(kData, 1849615440u));
    REQUIRE(d.ok());
    CHECK(d->format == MemoryCheckpointFormat::kV3);
    CHECK(d->checkpoint == Expected(false));
    auto pods = DecodeMemoryCheckpoint(V3(kDataWithPods, 637296054u));
    REQUIRE(pods.ok());
    CHECK(pods->checkpoint == Expected(true));
    const std::string unknown = "{\"unknownField\":\"value\"," + kData.substr(1);
    CHECK(DecodeMemoryCheckpoint(V3(unknown, 2100279793u)).ok());
  }
  SECTION("a broken V3 file is an error, never a fallback") {
    auto bad_sum = DecodeMemoryCheckpoint(V3(kData, 1234));
    CHECK(bad_sum.status().code() == absl::StatusCode::kDataLoss);
    CHECK(absl::StartsWith(bad_sum.status().message(),
                           "could not load v3 checkpoint: checkpoint is corrupted"));
    auto bad_data = DecodeMemoryCheckpoint(V3("{", 1234));
    CHECK(bad_data.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(absl::StartsWith(bad_data.status().message(),
                           "could not load v3 checkpoint: failed to deserialize memory manager "
                           "checkpoint data"));
    // dataChecksum without data.
    std::string no_data = V1(4215593881u);
    no_data.insert(no_data.size() - 1, ",\"dataChecksum\":1234");
    CHECK(absl::StartsWith(DecodeMemoryCheckpoint(no_data).status().message(),
                           "could not load v3 checkpoint"));
  }
  SECTION("malformed JSON") {
    auto d = DecodeMemoryCheckpoint("{");
    CHECK(d.status().code() == absl::StatusCode::kInvalidArgument);
    auto wrong_type = DecodeMemoryCheckpoint(
        R"({"policyName":"static","machineState":{"0":{"numberOfAssignments":"x"}},"checksum":0})");
    CHECK(wrong_type.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(absl::StrContains(wrong_type.status().message(), "numberOfAssignments"));
    auto bad_node = DecodeMemoryCheckpoint(
        R"({"policyName":"static","machineState":{"64":{"numberOfAssignments":0}},"checksum":0})");
    CHECK(bad_node.status().code() == absl::StatusCode::kInvalidArgument);
  }
  SECTION("field names match case-insensitively, as in Go") {
    std::string v1 = V1(4215593881u);
    v1.replace(v1.find("policyName"), 10, "PolicyName");
    CHECK(DecodeMemoryCheckpoint(v1).ok());
  }
}

TEST_CASE("memory_manager: the configured policy must match the checkpoint's",
          "[memory_manager][checkpoint]") {
  CHECK(CheckMemoryCheckpointPolicy(Expected(false), "none").message() ==
        "[memorymanager] configured policy \"none\" differs from state checkpoint policy "
        "\"static\"");
  CHECK(CheckMemoryCheckpointPolicy(Expected(false), "static").ok());
}

TEST_CASE("memory_manager: checkpoints are written as the kubelet writes V3",
          "[memory_manager][checkpoint]") {
  const MemoryCheckpoint c = Expected(true);
  const std::string text = EncodeMemoryCheckpoint(c);
  CHECK(text == absl::StrCat(R"({"policyName":"static","machineState":)", kMachine,
                             R"(,"entries":)", kEntries, R"(,"checksum":4215593881,"data":)",
                             Quoted(kDataWithPods), R"(,"dataChecksum":637296054})"));
  auto back = DecodeMemoryCheckpoint(text);
  REQUIRE(back.ok());
  CHECK(back->format == MemoryCheckpointFormat::kV3);
  CHECK(back->checkpoint == c);
  // Older kubelets read the same file as V1.
  const std::string v1_view = text.substr(0, text.find(",\"data\":")) + "}";
  auto old = DecodeMemoryCheckpoint(v1_view);
  REQUIRE(old.ok());
  CHECK(old->format == MemoryCheckpointFormat::kV1);
  CHECK(MemoryCheckpointChecksum(MemoryCheckpointHashText(c, false)) == 4215593881u);
  CHECK(MemoryCheckpointChecksum(MemoryCheckpointHashText(c, true)) == 1278640530u);
}

TEST_CASE("memory_manager: hash text is go-spew's rendering", "[memory_manager][checkpoint]") {
  MemoryCheckpoint c;
  c.policy_name = "Static";
  MemoryNumaNodeState& n = c.machine_state.nodes.emplace_back();
  n.id = 1;
  n.number_of_assignments = 2;
  n.cells = NumaMask{0, 1};
  n.memory = {MemoryResourceTable{kMemory, MemoryTable{5, 4, 3, 2, 1}},
              MemoryResourceTable{kHuge1G, MemoryTable{1, 0, 1, 1, 0}}};
  c.entries["p"]["c"] = {};
  c.pod_entries["p"] = {};
  CHECK(MemoryCheckpointHashText(c, true) ==
        "(*state.MemoryManagerCheckpoint){PolicyName:(string)Static "
        "MachineState:(state.NUMANodeMap)map[1:<*>{NumberOfAssignments:(int)2 "
        "MemoryMap:(map[v1.ResourceName]*state.MemoryTable)map[hugepages-1Gi:<*>{TotalMemSize:("
        "uint64)1 SystemReserved:(uint64)0 Allocatable:(uint64)1 Reserved:(uint64)1 "
        "Free:(uint64)0} memory:<*>{TotalMemSize:(uint64)5 SystemReserved:(uint64)4 "
        "Allocatable:(uint64)3 Reserved:(uint64)2 Free:(uint64)1}] Cells:([]int)[0 1]}] "
        "Entries:(state.ContainerMemoryAssignments)map[p:map[c:[]]] "
        "PodEntries:(state.PodMemoryAssignments)map[p:{MemoryBlocks:([]state.Block)<nil>}] "
        "Checksum:(checksum.Checksum)0}");
}

TEST_CASE("memory_manager: JSON map keys sort as text, like Go's", "[memory_manager][checkpoint]") {
  const MemoryStaticPolicy policy = UniformPolicy(12, 4 * kGi, kGi);
  MemoryCheckpoint c{"Static", DefaultMemoryMachineState(policy), {}, {}};
  const std::string text = EncodeMemoryCheckpoint(c);
  CHECK(text.find("\"10\":") < text.find("\"2\":"));
  auto back = DecodeMemoryCheckpoint(text);
  REQUIRE(back.ok());
  CHECK(back->checkpoint == c);
}

std::filesystem::path TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "podalloc-mm-XXXXXX").string();
  REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
  return tmpl;
}

std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_CASE("memory_manager: the state file is replaced atomically and never repaired",
          "[memory_manager][checkpoint]") {
  const std::filesystem::path dir = TempDir();
  const std::filesystem::path file = dir / "memory_manager_state";
  CHECK(ReadMemoryCheckpointFile(file, "static").status().code() == absl::StatusCode::kNotFound);

  REQUIRE(WriteMemoryCheckpointFile(file, Expected(true)).ok());
  REQUIRE(WriteMemoryCheckpointFile(file, Expected(false)).ok());
  auto read = ReadMemoryCheckpointFile(file, "static");
  REQUIRE(read.ok());
  CHECK(read->checkpoint == Expected(false));
  CHECK(std::distance(std::filesystem::directory_iterator(dir),
                      std::filesystem::directory_iterator()) == 1);  // no temporary left
  CHECK(ReadMemoryCheckpointFile(file, "none").status().code() ==
        absl::StatusCode::kFailedPrecondition);

  // A corrupted file is reported and left exactly as it was.
  std::string text = Slurp(file);
  text[text.rfind("1536")] = '2';  // inside "data", the part V3 verifies
  { std::ofstream(file, std::ios::binary) << text; }
  auto corrupt = ReadMemoryCheckpointFile(file, "static");
  CHECK(corrupt.status().code() == absl::StatusCode::kDataLoss);
  CHECK(absl::StrContains(corrupt.status().message(), file.string()));
  CHECK(Slurp(file) == text);

  CHECK(!WriteMemoryCheckpointFile(dir / "missing" / "state", Expected(false)).ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace podalloc
