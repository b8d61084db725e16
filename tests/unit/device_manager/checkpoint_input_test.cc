// Bad kubelet_internal_checkpoint input: every refusal names the field and quotes the value;
// nothing is half-read.
#include <catch2/catch.hpp>

#include "podalloc/device_checkpoint.h"
#include "podalloc/device_run_options.h"

namespace podalloc {
namespace {

std::string ErrorOf(std::string_view text) {
  absl::StatusOr<DeviceCheckpoint> c = ReadDeviceCheckpoint(text);
  return c.ok() ? "" : std::string(c.status().message());
}

TEST_CASE("device checkpoint: bad input is refused with the field and value",
          "[device_manager][checkpoint]") {
  CHECK(ErrorOf("{").rfind("device checkpoint: ", 0) == 0);
  CHECK(ErrorOf("[]") == "device checkpoint (top level): expected an object, found array []");
  CHECK(ErrorOf(R"({"Data":{"PodDeviceEntries":{}}})") ==
        "device checkpoint Data.PodDeviceEntries: expected an array, found object {}");
  CHECK(ErrorOf(R"({"Data":{"PodDeviceEntries":[{"PodUID":7}]}})") ==
        "device checkpoint Data.PodDeviceEntries[0].PodUID: expected a string, found number 7");
  CHECK(ErrorOf(R"({"Data":{"PodDeviceEntries":[{"DeviceIDs":{"x1":["a"]}}]}})") ==
        "device checkpoint Data.PodDeviceEntries[0].DeviceIDs: NUMA node key \"x1\" is not a "
        "64-bit integer");
  CHECK(ErrorOf(R"({"Data":{"PodDeviceEntries":[{"DeviceIDs":{"0":"a"}}]}})") ==
        "device checkpoint Data.PodDeviceEntries[0].DeviceIDs[\"0\"]: expected an array of "
        "strings, found string \"a\"");
  CHECK(ErrorOf(R"({"Data":{"PodDeviceEntries":[{"AllocResp":"abc"}]}})") ==
        "device checkpoint Data.PodDeviceEntries[0].AllocResp: not padded standard base64: "
        "\"abc\"");
  CHECK(ErrorOf(R"({"Data":{"RegisteredDevices":{"gpu":[1]}}})") ==
        "device checkpoint Data.RegisteredDevices[\"gpu\"][0]: expected a string, found number 1");
  CHECK(ErrorOf(R"({"Data":null,"Checksum":-1})") ==
        "device checkpoint Checksum: expected an unsigned integer, found number -1");
  // Valid JSON with the wrong checksum.
  const std::string empty = WriteDeviceCheckpoint({});
  CHECK(ErrorOf(empty) == "");
  std::string wrong = empty;
  wrong.replace(wrong.find("Checksum\":") + 10, 1, "9");
  CHECK(ErrorOf(wrong).rfind("checkpoint is corrupted: stored checksum ", 0) == 0);
}

TEST_CASE("device checkpoint: Go decoding rules", "[device_manager][checkpoint]") {
  // Field names case-insensitively, the last spelling winning; unknown fields (BootID)
  // ignored; a null string left empty.
  absl::StatusOr<DeviceCheckpoint> c = ParseDeviceCheckpoint(
      R"({"data":{"podDeviceEntries":[{"PodUID":"a","poduid":"b","ContainerName":null,)"
      R"("DeviceIDs":{"+1":["x"],"-1":null},"AllocResp":""}]},"Checksum":1,"BootID":"z"})");
  REQUIRE(c.ok());
  const DeviceCheckpointEntry& e = c->data.pod_device_entries->at(0);
  CHECK(e.pod_uid == "b");
  CHECK(e.container_name.empty());
  CHECK(e.device_ids->at(1) == std::vector<std::string>{"x"});
  CHECK(!e.device_ids->at(-1).has_value());
  CHECK(e.alloc_resp == std::string());
  CHECK(!c->data.registered_devices.has_value());
  CHECK(DeviceCheckpointHashedText(c->data) ==
        "(checkpoint.checkpointData){PodDeviceEntries:([]checkpoint.PodDevicesEntry)[{PodUID:"
        "(string)b ContainerName:(string) ResourceName:(string) DeviceIDs:(checkpoint."
        "DevicesPerNUMA)map[-1:<nil> 1:[x]] AllocResp:([]uint8)[]}] RegisteredDevices:"
        "(map[string][]string)<nil>}");
}

TEST_CASE("device checkpoint: an entry whose response is not protobuf is left out, and said",
          "[device_manager][checkpoint]") {
  using PerNuma = std::map<int64_t, std::optional<std::vector<std::string>>>;
  DeviceCheckpointData data;
  data.pod_device_entries.emplace();
  data.pod_device_entries->push_back(DeviceCheckpointEntry{
      "p", "c", "gpu", PerNuma{{0, std::vector<std::string>{"a"}}}, std::string("\x0a\x05", 2)});
  data.pod_device_entries->push_back(DeviceCheckpointEntry{
      "p", "c", "nic", PerNuma{{-1, std::vector<std::string>{"v"}}}, std::string()});
  DeviceManager m;
  const std::vector<std::string> left_out = RestoreDeviceCheckpoint(m, data, 0);
  REQUIRE(left_out.size() == 1);
  CHECK(left_out[0] ==
        "pod \"p\" container \"c\" resource \"gpu\": ContainerAllocateResponse: length past the "
        "end at byte 2");
  CHECK(m.Entry("p", "c", "gpu") == nullptr);
  REQUIRE(m.Entry("p", "c", "nic") != nullptr);
  CHECK(m.in_use().at("nic") == std::set<std::string>{"v"});
}

TEST_CASE("device run options: the response codec round-trips and merges first-wins",
          "[device_manager][run_options]") {
  ContainerAllocateResponse a;
  a.envs = {{"K", "1"}, {"L", "2"}};
  a.mounts = {DeviceMount{"/c", "/h", true}};
  a.devices = {DeviceSpec{"/dev/x", "/dev/y", "rw"}};
  a.annotations = {{"an", "v"}};
  a.cdi_devices = {"vendor.com/c=1"};
  absl::StatusOr<ContainerAllocateResponse> back =
      DecodeContainerAllocateResponse(EncodeContainerAllocateResponse(a));
  REQUIRE(back.ok());
  CHECK(*back == a);
  ContainerAllocateResponse b;
  b.envs = {{"K", "other"}};
  b.devices = {DeviceSpec{"/dev/x", "/dev/z", "r"}};
  b.cdi_devices = {"vendor.com/c=1", "vendor.com/c=2"};
  const DeviceRunContainerOptions o = MergeRunContainerOptions({a, b});
  CHECK(o.envs == std::vector<std::pair<std::string, std::string>>{{"K", "1"}, {"L", "2"}});
  CHECK(o.devices.size() == 1);
  CHECK(o.devices[0].host_path == "/dev/y");
  CHECK(o.cdi_devices == std::vector<std::string>{"vendor.com/c=1", "vendor.com/c=2"});
  // The real response of a Jetson checkpoint: NVIDIA_VISIBLE_DEVICES=tegra.
  absl::StatusOr<ContainerAllocateResponse> jetson = DecodeContainerAllocateResponse(
      std::string("\x0a\x1f\x0a\x16NVIDIA_VISIBLE_DEVICES\x12\x05tegra", 33));
  REQUIRE(jetson.ok());
  CHECK(jetson->envs.at("NVIDIA_VISIBLE_DEVICES") == "tegra");
}

}  // namespace
}  // namespace podalloc
