// capacity.json, pod_device_request.json and run_container_options.json: plugin device
// lists, capacity and allocatable, forgotten resources, pod-scope requests and the merge of
// the plugins' responses, every case through the public API.
#include <algorithm>

#include <catch2/catch.hpp>

#include "podalloc/device_checkpoint.h"
#include "podalloc/device_run_options.h"
#include "support/vectors.h"
#include "vector_model.h"

namespace podalloc {
namespace {

using namespace device_vectors;

constexpr int64_t kNow = 100000;

Json Counts(const std::map<std::string, int64_t>& m) {
  Json out = Json::object();
  for (const auto& [r, n] : m) out[r] = n;
  return out;
}

void CheckCapacitySequence(const Json& c) {
  const int64_t grace = c["endpoint_stop_grace_period_seconds"].get<int64_t>();
  DeviceManager m;
  for (const Json& step : c["steps"]) {
    const std::string what = step["do"];
    INFO("step " << what << " " << step.value("resource", std::string()));
    if (what == "devices") {
      if (!m.HasEndpoint(step["resource"])) m.RegisterPlugin(step["resource"]);
      REQUIRE(m.UpdateDevices(step["resource"], DevicesOf(step["devices"])).ok());
    } else if (what == "endpoint_stopped") {
      const int64_t at = kNow - step["stopped_seconds_ago"].get<int64_t>();
      if (step.value("mark_unhealthy", false)) {
        m.DisconnectPlugin(step["resource"], at);
      } else {
        m.StopEndpoint(step["resource"], at);
      }
    } else if (what == "checkpoint_roundtrip") {
      const std::string file = WriteDeviceCheckpoint(DeviceCheckpointDataOf(m));
      absl::StatusOr<DeviceCheckpoint> read = ReadDeviceCheckpoint(file);
      REQUIRE(read.ok());
      DeviceManager fresh;
      CHECK(RestoreDeviceCheckpoint(fresh, read->data, kNow).empty());
      m = fresh;
    } else {
      FAIL("unknown step " << what);
    }
    const DeviceCapacity got = m.GetCapacity(kNow, grace);
    const Json& e = step["expected"];
    CHECK(Counts(got.capacity) == e["capacity"]);
    CHECK(Counts(got.allocatable) == e["allocatable"]);
    std::vector<std::string> removed = e["removed"].get<std::vector<std::string>>();
    std::sort(removed.begin(), removed.end());
    CHECK(got.removed == removed);
    if (e.contains("forgotten")) {
      for (const Json& r : e["forgotten"]) {
        CHECK(!m.IsRegistered(r));
        CHECK(!m.HasEndpoint(r));
      }
    }
    if (e.contains("endpoints")) CHECK(Json(m.Endpoints()) == e["endpoints"]);
    if (e.contains("is_device_plugin_resource")) {
      for (const auto& [r, want] : e["is_device_plugin_resource"].items()) {
        CHECK(m.IsDevicePluginResource(r) == want.get<bool>());
      }
    }
  }
}

TEST_CASE("device registry: capacity.json, every case", "[device_manager][conformance]") {
  const Json vectors = testing::LoadVectors("devicemanager/capacity.json");
  REQUIRE(vectors["cases"].size() >= 3);
  for (const Json& c : vectors["cases"]) {
    INFO("case: " << c["name"].get<std::string>());
    const std::string op = c["op"];
    if (op == "capacity_sequence") {
      CheckCapacitySequence(c);
    } else if (op == "allocatable_devices") {
      DeviceManager m;
      for (const Json& u : c["updates"]) {
        m.RegisterPlugin(u["resource"]);
        REQUIRE(m.UpdateDevices(u["resource"], DevicesOf(u["devices"])).ok());
        if (u.contains("expected")) {
          for (const auto& [r, ids] : u["expected"].items()) {
            CHECK(Json(m.AllocatableDevices()[r]) == ids);
          }
        }
      }
      CHECK(Json(m.AllocatableDevices()) == c["expected"]["allocatable_devices"]);
    } else if (op == "sanitize_node_allocatable") {
      DeviceManager m;
      if (c["pod_has_allocations"].get<bool>()) {
        for (const auto& [r, ids] : c["allocated"].items()) {
          DeviceEntry e;
          e.devices_per_numa[-1] = ids.get<std::vector<std::string>>();
          m.SetEntry("pod", "container", r, e);
        }
      }
      std::map<std::string, int64_t> allocatable =
          c["node_allocatable"].get<std::map<std::string, int64_t>>();
      m.SanitizeNodeAllocatable("pod", allocatable);
      CHECK(Counts(allocatable) == c["expected"]["node_allocatable"]);
    } else if (op == "should_reset_extended_resource_capacity") {
      for (const Json& step : c["steps"]) {
        CHECK(ShouldResetExtendedResourceCapacity(
                  step["checkpoint_files"].get<std::vector<std::string>>()) ==
              step["expected"].get<bool>());
      }
    } else {
      FAIL("unknown op " << op);
    }
  }
}

TEST_CASE("device requests: pod_device_request.json, every case",
          "[device_manager][conformance]") {
  const Json vectors = testing::LoadVectors("devicemanager/pod_device_request.json");
  REQUIRE(vectors["cases"].size() >= 7);
  for (const Json& c : vectors["cases"]) {
    INFO("case: " << c["name"].get<std::string>());
    DeviceManager m;
    for (const Json& r : c["registered_resources"]) {
      m.RegisterPlugin(r);
      REQUIRE(m.UpdateDevices(r, {}).ok());
    }
    CHECK(Counts(m.PodRequests(PodOf(c["pod"]))) == c["expected"]["requests"]);
  }
}

template <typename T>
Json Sorted(const std::vector<T>& v) {
  Json out = Json::array();
  for (const T& x : v) out.push_back(x);
  std::sort(out.begin(), out.end());
  return out;
}

TEST_CASE("device run options: run_container_options.json, every case",
          "[device_manager][conformance]") {
  const Json vectors = testing::LoadVectors("devicemanager/run_container_options.json");
  REQUIRE(vectors["cases"].size() >= 2);
  for (const Json& c : vectors["cases"]) {
    INFO("case: " << c["name"].get<std::string>());
    // Recorded as the plugins' responses of one container, then merged from the entries.
    DeviceManager m;
    for (const auto& [r, fields] : c["responses_per_resource"].items()) {
      ContainerAllocateResponse response;
      if (fields.contains("cdi_devices")) {
        response.cdi_devices = fields["cdi_devices"].get<std::vector<std::string>>();
      }
      for (const auto& [key, value] : fields.items()) {
        if (key != "cdi_devices") FAIL("response field " << key << " is not modelled here");
      }
      DeviceEntry e;
      e.alloc_resp = EncodeContainerAllocateResponse(response);
      m.SetEntry("pod", "container", r, e);
    }
    const auto options = RunContainerOptions(m, "pod", "container");
    REQUIRE(options.ok());
    REQUIRE(options->has_value());
    const DeviceRunContainerOptions& o = **options;
    const Json& e = c["expected"];
    CHECK(Sorted(o.cdi_devices) == Sorted(e["cdi_devices"].get<std::vector<std::string>>()));
    CHECK(o.devices.size() == e["devices"].size());
    CHECK(o.mounts.size() == e["mounts"].size());
    CHECK(o.envs.size() == e["envs"].size());
    CHECK(o.annotations.size() == e["annotations"].size());
  }
}

}  // namespace
}  // namespace podalloc
