// checkpoint.json: real kubelet_internal_checkpoint files and derived ones, hashed text,
// checksum and verification reproduced byte for byte; a file parsed and written again is the
// same file. Plus the write/clear/read round trip of TestCheckpoint.
#include <catch2/catch.hpp>

#include "podalloc/device_checkpoint.h"
#include "support/vectors.h"
#include "vector_model.h"

namespace podalloc {
namespace {

using namespace device_vectors;

void CheckFile(const Json& c) {
  const std::string text = c["json"];
  absl::StatusOr<DeviceCheckpoint> parsed = ParseDeviceCheckpoint(text);
  REQUIRE(parsed.ok());
  CHECK(DeviceCheckpointHashedText(parsed->data) == c["hashed_string"].get<std::string>());
  CHECK(DeviceCheckpointChecksum(parsed->data) == c["expected"]["checksum"].get<uint32_t>());
  CHECK(DeviceCheckpointJson(*parsed) == text);
  absl::StatusOr<DeviceCheckpoint> verified = ReadDeviceCheckpoint(text);
  if (c["expected"]["verify"] == "ok") {
    CHECK(verified.ok());
    CHECK(WriteDeviceCheckpoint(parsed->data) == text);
  } else {
    REQUIRE(!verified.ok());
    CHECK(verified.status().code() == absl::StatusCode::kDataLoss);
    const std::string message(verified.status().message());
    CHECK(message.rfind(c["expected"].value("error", std::string("checkpoint is corrupted")), 0) ==
          0);
  }
}

void CheckRoundtrip(const Json& c) {
  const Json st = c["state"];
  DeviceManager m(NodesOf(st.value("numa_nodes", Json())));
  AddResources(m, st.value("resources", Json()));
  AddAllocations(m, st.value("allocations", Json()));
  const std::string file = WriteDeviceCheckpoint(DeviceCheckpointDataOf(m));
  absl::StatusOr<DeviceCheckpoint> read = ReadDeviceCheckpoint(file);
  REQUIRE(read.ok());
  DeviceManager restored(m.numa_nodes());
  CHECK(RestoreDeviceCheckpoint(restored, read->data, 0).empty());
  const Json& e = c["expected"];
  for (const auto& [key, value] : e.items()) {
    const bool known = key == "pod_count" || key == "pods" || key == "allocated_after_read" ||
                       key == "healthy_after_read";
    if (!known) FAIL("expectation " << key << " is not checked by this test");
  }
  for (const char* key : {"pod_count", "pods"}) {
    if (e.contains(key)) CHECK(restored.pod_devices().size() == e[key].get<size_t>());
  }
  if (e.contains("allocated_after_read")) {
    Json got = Json::object();
    for (const auto& [r, ids] : restored.in_use()) got[r] = Json(ids);
    CHECK(got == e["allocated_after_read"]);
  }
  if (e.contains("healthy_after_read")) {
    Json got = Json::object();
    for (const auto& [r, ids] : restored.AllocatableDevices()) got[r] = Json(ids);
    CHECK(got == e["healthy_after_read"]);
  }
  // The same data again after the restore (entries, registered resources).
  CHECK(DeviceCheckpointDataOf(restored).pod_device_entries ==
        DeviceCheckpointDataOf(m).pod_device_entries);
}

TEST_CASE("device checkpoint: checkpoint.json, every case", "[device_manager][conformance]") {
  const Json vectors = testing::LoadVectors("devicemanager/checkpoint.json");
  REQUIRE(vectors["cases"].size() >= 9);
  for (const Json& c : vectors["cases"]) {
    INFO("case: " << c["name"].get<std::string>());
    if (c.value("op", std::string()) == "roundtrip") {
      CheckRoundtrip(c);
    } else {
      CheckFile(c);
    }
  }
}

}  // namespace
}  // namespace podalloc
