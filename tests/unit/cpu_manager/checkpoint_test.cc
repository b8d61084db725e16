// The cpu_manager_state codec: real kubelet files, every version, checksums, atomic writes.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "podalloc/cpu_checkpoint.h"

namespace podalloc {
namespace {

// cpu_manager_state files written by real kubelets (published in documentation and blog
// posts); their checksums were computed by the kubelet.
const char* const kRealV2Files[] = {
    R"({"policyName":"static","defaultCpuSet":"0,4-27","entries":{"39b37746-7f5e-4064-b8e1-eebd2bfaa003":{"app":"1-3"}},"checksum":3300516549})",
    R"({"policyName":"static","defaultCpuSet":"0,4-8,12-15","entries":{"088fe178-cec9-4eb9-ba3c-cf45cba46371":{"qos-demo-ctr":"1,9"},"681eca58-a216-4ec4-a57b-941cad3c4e0f":{"qos-demo-ctr":"2-3,10-11"}},"checksum":2993692383})",
    R"({"policyName":"static","defaultCpuSet":"0,10-15,25-31","entries":{"777870b5-c64f-42f5-9296-688b9dc212ba":{"container-1":"16-24"},"fb15e10a-b6a5-4aaa-8fcd-76c1aa64e6fd":{"container-1":"1-9"}},"checksum":318470969})",
    R"({"policyName":"static","defaultCpuSet":"0-63","checksum":1058907510})",
    R"({"policyName":"static","defaultCpuSet":"2-15,17-31,34-47,49-63","checksum":4141502832})",
    R"({"policyName":"none","defaultCpuSet":"","checksum":1353318690})",
};

CpuCheckpoint Sample() {
  CpuCheckpoint cp;
  cp.policy_name = "static";
  cp.default_cpu_set = "0,5-7";
  cp.entries["pod-a"]["app"] = "1-2";
  cp.entries["pod-a"]["init"] = "1-2";
  cp.entries["pod-b"]["web<1>"] = "3-4";
  cp.pod_entries["pod-c"] = "8-11";
  return cp;
}

TEST_CASE("cpu_manager: real kubelet V2 checkpoints are accepted", "[cpu_manager][checkpoint]") {
  for (const char* file : kRealV2Files) {
    INFO(file);
    auto decoded = DecodeCpuCheckpoint(file);
    REQUIRE(decoded.ok());
    CHECK(decoded->format == CpuCheckpointFormat::kV2);
    // Written back in the same form, the kubelet's bytes come out.
    CpuCheckpoint cp = decoded->checkpoint;
    auto again = EncodeCpuCheckpoint(cp, CpuCheckpointFormat::kV2);
    REQUIRE(again.ok());
    CHECK(*again == file);
  }
  auto first = DecodeCpuCheckpoint(kRealV2Files[0]);
  REQUIRE(first.ok());
  CHECK(first->checkpoint.policy_name == "static");
  CHECK(first->checkpoint.default_cpu_set == "0,4-27");
  CHECK(first->checkpoint.entries.at("39b37746-7f5e-4064-b8e1-eebd2bfaa003").at("app") == "1-3");
  CHECK(CpuCheckpointHashInput(first->checkpoint, CpuCheckpointFormat::kV2) ==
        "(*state.CPUManagerCheckpoint){PolicyName:(string)static DefaultCPUSet:(string)0,4-27 "
        "Entries:(map[string]map[string]string)map[39b37746-7f5e-4064-b8e1-eebd2bfaa003:"
        "map[app:1-3]] Checksum:(checksum.Checksum)0}");
}

TEST_CASE("cpu_manager: a checksum mismatch is DataLoss", "[cpu_manager][checkpoint]") {
  std::string file = kRealV2Files[1];
  file.replace(file.find("2993692383"), 10, "2993692384");
  auto decoded = DecodeCpuCheckpoint(file);
  REQUIRE_FALSE(decoded.ok());
  CHECK(decoded.status().code() == absl::StatusCode::kDataLoss);
  CHECK(std::string(decoded.status().message()).find("2993692384") != std::string::npos);

  // Changing the content under a valid checksum is caught as well.
  std::string tampered = kRealV2Files[0];
  tampered.replace(tampered.find("\"1-3\""), 5, "\"1-4\"");
  CHECK(DecodeCpuCheckpoint(tampered).status().code() == absl::StatusCode::kDataLoss);
}

TEST_CASE("cpu_manager: V4 is written as the kubelet writes it", "[cpu_manager][checkpoint]") {
  CpuCheckpoint cp;
  cp.policy_name = "static";
  cp.default_cpu_set = "0-3";
  cp.entries["p"]["c"] = "4";
  auto bytes = EncodeCpuCheckpoint(cp);
  REQUIRE(bytes.ok());
  const std::string data =
      R"({"policyName":"static","defaultCpuSet":"0-3","entries":{"p":{"c":"4"}}})";
  const std::string want =
      R"({"policyName":"static","defaultCpuSet":"0-3","entries":{"p":{"c":"4"}},"checksum":0,"data":"{\"policyName\":\"static\",\"defaultCpuSet\":\"0-3\",\"entries\":{\"p\":{\"c\":\"4\"}}}","dataChecksum":)" +
      std::to_string(Fnv1a32("(string)" + data)) + "}";
  CHECK(*bytes == want);
  CHECK(CpuCheckpointDataChecksum(data) == Fnv1a32("(string)" + data));
}

TEST_CASE("cpu_manager: every written format reads back", "[cpu_manager][checkpoint]") {
  const CpuCheckpoint cp = Sample();
  for (auto format :
       {CpuCheckpointFormat::kV2, CpuCheckpointFormat::kV3, CpuCheckpointFormat::kV4}) {
    auto bytes = EncodeCpuCheckpoint(cp, format);
    REQUIRE(bytes.ok());
    INFO(*bytes);
    auto decoded = DecodeCpuCheckpoint(*bytes);
    REQUIRE(decoded.ok());
    CHECK(decoded->format == format);
    CpuCheckpoint want = cp;
    if (format == CpuCheckpointFormat::kV2) want.pod_entries.clear();
    CHECK(decoded->checkpoint == want);
  }
  // Go escapes <, > and & in strings.
  auto bytes = EncodeCpuCheckpoint(cp, CpuCheckpointFormat::kV3);
  REQUIRE(bytes.ok());
  CHECK(bytes->find("web\\u003c1\\u003e") != std::string::npos);
  CHECK(bytes->find("\"podEntries\":{\"pod-c\":{\"cpuSet\":\"8-11\"}}") != std::string::npos);
  CHECK(EncodeCpuCheckpoint(cp, CpuCheckpointFormat::kV1).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("cpu_manager: V3 checksum renders pod entries as cpuset structs",
          "[cpu_manager][checkpoint]") {
  CpuCheckpoint cp;
  cp.policy_name = "static";
  cp.default_cpu_set = "0";
  cp.pod_entries["u"] = "1-2";
  CHECK(CpuCheckpointHashInput(cp, CpuCheckpointFormat::kV3) ==
        "(*state.CPUManagerCheckpoint){PolicyName:(string)static DefaultCPUSet:(string)0 "
        "Entries:(map[string]map[string]string)map[] PodEntries:(state.PodCPUAssignments)"
        "map[u:{CPUSet:(cpuset.CPUSet){elems:(map[int]struct {})map[1:{} 2:{}]}}] "
        "Checksum:(checksum.Checksum)0}");
}

TEST_CASE("cpu_manager: V4 data checksum and content are verified", "[cpu_manager][checkpoint]") {
  auto bytes = EncodeCpuCheckpoint(Sample());
  REQUIRE(bytes.ok());
  std::string bad = *bytes;
  bad.replace(bad.find("\\\"0,5-7\\\""), 9, "\\\"0,5-8\\\"");
  CHECK(DecodeCpuCheckpoint(bad).status().code() == absl::StatusCode::kDataLoss);
}

TEST_CASE("cpu_manager: V1 entries are migrated through the container map",
          "[cpu_manager][checkpoint]") {
  CpuCheckpoint v1;
  v1.policy_name = "static";
  v1.default_cpu_set = "0-1";
  v1.entries[""]["abc123"] = "2-3";
  const std::string file =
      R"({"policyName":"static","defaultCpuSet":"0-1","entries":{"abc123":"2-3"},"checksum":)" +
      std::to_string(Fnv1a32(CpuCheckpointHashInput(v1, CpuCheckpointFormat::kV1))) + "}";
  auto unresolved = DecodeCpuCheckpoint(file);
  REQUIRE_FALSE(unresolved.ok());
  CHECK(std::string(unresolved.status().message()) ==
        "failed to migrate checkpoint from v1 to v2: containerID 'abc123' not found in initial "
        "containers list");
  auto decoded = DecodeCpuCheckpoint(
      file, [](std::string_view id) -> std::optional<std::pair<std::string, std::string>> {
        if (id == "abc123") return std::make_pair(std::string("pod"), std::string("ctr"));
        return std::nullopt;
      });
  REQUIRE(decoded.ok());
  CHECK(decoded->format == CpuCheckpointFormat::kV1);
  CHECK(decoded->checkpoint.entries.at("pod").at("ctr") == "2-3");
}

TEST_CASE("cpu_manager: malformed checkpoints are InvalidArgument", "[cpu_manager][checkpoint]") {
  for (const char* text :
       {"", "{", "[]", R"({"policyName":3})", R"({"policyName":"static","entries":{"p":{"c":1}}})",
        R"({"policyName":"static","checksum":-1})",
        R"({"policyName":"static","entries":{"p":{"c":"1"},"q":"2"}})",
        R"({"data":"{not json","dataChecksum":0})"}) {
    INFO(text);
    auto decoded = DecodeCpuCheckpoint(text);
    REQUIRE_FALSE(decoded.ok());
    CHECK((decoded.status().code() == absl::StatusCode::kInvalidArgument ||
           decoded.status().code() == absl::StatusCode::kDataLoss));
  }
  auto nonjson = DecodeCpuCheckpoint(R"({"data":"{not json","dataChecksum":)" +
                                     std::to_string(CpuCheckpointDataChecksum("{not json")) + "}");
  CHECK(nonjson.status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("cpu_manager: checkpoint and state convert both ways", "[cpu_manager][checkpoint]") {
  CpuManagerState state;
  state.default_cpu_set = CpuSet{0, 5, 6, 7};
  state.assignments["pod-a"]["app"] = CpuSet{1, 2};
  state.pod_assignments["pod-c"] = CpuSet::Range(8, 11);
  const CpuCheckpoint cp = CpuCheckpointFromState(state, "static");
  CHECK(cp.default_cpu_set == "0,5-7");
  auto back = CpuStateFromCheckpoint(cp, "static");
  REQUIRE(back.ok());
  CHECK(*back == state);

  auto other = CpuStateFromCheckpoint(cp, "none");
  REQUIRE_FALSE(other.ok());
  CHECK(std::string(other.status().message()) ==
        "configured policy \"none\" differs from state checkpoint policy \"static\"");
  CpuCheckpoint bad = cp;
  bad.entries["pod-a"]["app"] = "3-1";
  auto parsed = CpuStateFromCheckpoint(bad, "static");
  REQUIRE_FALSE(parsed.ok());
  CHECK(std::string(parsed.status().message())
            .rfind("could not parse cpuset \"3-1\" for container \"app\" in pod \"pod-a\": ", 0) ==
        0);
}

TEST_CASE("cpu_manager: checkpoint files are replaced atomically", "[cpu_manager][checkpoint]") {
  const auto dir =
      std::filesystem::temp_directory_path() / ("podalloc-cpu-ckpt-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "cpu_manager_state";
  CHECK(ReadCpuCheckpointFile(path).status().code() == absl::StatusCode::kNotFound);
  REQUIRE(WriteCpuCheckpointFile(path, Sample()).ok());
  auto read = ReadCpuCheckpointFile(path);
  REQUIRE(read.ok());
  CHECK(read->checkpoint == Sample());
  CpuCheckpoint next = Sample();
  next.default_cpu_set = "0";
  REQUIRE(WriteCpuCheckpointFile(path, next).ok());
  CHECK(ReadCpuCheckpointFile(path)->checkpoint == next);
  // Nothing but the file is left behind.
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    (void)e;
    ++files;
  }
  CHECK(files == 1);
  // A write that cannot happen leaves the old file as it was.
  CHECK_FALSE(WriteCpuCheckpointFile(dir / "missing" / "cpu_manager_state", next).ok());
  {
    std::ofstream corrupt(path, std::ios::trunc);
    corrupt << R"({"policyName":"static","defaultCpuSet":"0","checksum":1})";
  }
  CHECK(ReadCpuCheckpointFile(path).status().code() == absl::StatusCode::kDataLoss);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace podalloc
