// GetDeviceRunContainerOptions: PreStartContainer and the re-allocation of a container that
// holds nothing yet (the node-reboot race, and KEP-5526 pods whose devices are only allocated
// when the container is created).
#include <catch2/catch.hpp>

#include "podalloc/device_run_options.h"
#include "podalloc/quantity.h"

namespace podalloc {
namespace {

Pod GpuPod(int64_t gpus) {
  Pod pod;
  pod.uid = "pod-1";
  Container c;
  c.name = "app";
  c.resources.limits["gpu"] = Quantity::FromMilli(gpus * 1000);
  c.resources.limits["cpu"] = Quantity::FromMilli(2000);
  pod.containers.push_back(c);
  return pod;
}

DeviceManager Manager(bool pre_start) {
  DeviceManager m({0, 1});
  m.RegisterPlugin("gpu", DevicePluginOptions{false, pre_start});
  REQUIRE(m.UpdateDevices("gpu", {PluginDevice{"g0", kDeviceHealthy, std::vector<int64_t>{0}},
                                  PluginDevice{"g1", kDeviceHealthy, std::vector<int64_t>{1}}})
              .ok());
  return m;
}

TEST_CASE("device run options: a container without devices is allocated when created",
          "[device_manager][run_options]") {
  DeviceManager m = Manager(false);
  RunContainerContext context;
  context.hint = NumaMask::Single(1);
  context.allocate.plugin_allocate =
      [](const std::string&, const std::vector<std::string>& ids) -> absl::StatusOr<std::string> {
    ContainerAllocateResponse r;
    for (const std::string& id : ids) r.envs["VISIBLE_" + id] = id;
    return EncodeContainerAllocateResponse(r);
  };
  auto options = GetDeviceRunContainerOptions(m, GpuPod(1), "app", context);
  REQUIRE(options.ok());
  REQUIRE(options->has_value());
  CHECK((*options)->envs == std::vector<std::pair<std::string, std::string>>{{"VISIBLE_g1", "g1"}});
  CHECK(m.Entry("pod-1", "app", "gpu")->Devices() == std::set<std::string>{"g1"});

  // An inactive pod is not allocated again; with nothing held there are no
  // options.
  DeviceManager idle = Manager(false);
  context.pod_active = false;
  options = GetDeviceRunContainerOptions(idle, GpuPod(1), "app", context);
  REQUIRE(options.ok());
  CHECK(!options->has_value());
  CHECK(idle.pod_devices().empty());
}

TEST_CASE("device run options: PreStartContainer errors carry the kubelet's texts",
          "[device_manager][run_options]") {
  DeviceManager m = Manager(true);
  RunContainerContext context;
  auto options = GetDeviceRunContainerOptions(m, GpuPod(1), "app", context);
  CHECK(options.status().message() ==
        "no devices found allocated in local cache for pod pod-1, container "
        "app, resource gpu");

  DeviceEntry held;
  held.devices_per_numa[0] = {"g0"};
  m.SetEntry("pod-1", "app", "gpu", held);
  std::vector<std::string> started;
  context.pre_start = [&](const std::string&, const std::vector<std::string>& ids) {
    started = ids;
    return absl::UnavailableError("socket closed");
  };
  options = GetDeviceRunContainerOptions(m, GpuPod(1), "app", context);
  CHECK(options.status().message() ==
        "device plugin PreStartContainer rpc failed with err: socket closed");
  CHECK(started == std::vector<std::string>{"g0"});

  context.pre_start = [](const std::string&, const std::vector<std::string>&) {
    return absl::OkStatus();
  };
  options = GetDeviceRunContainerOptions(m, GpuPod(1), "app", context);
  REQUIRE(options.ok());
  CHECK(options->has_value());

  // A device resource whose endpoint is gone (only allocated devices make it
  // one).
  DeviceManager orphan({0});
  orphan.SetEntry("pod-1", "app", "gpu", held);
  options = GetDeviceRunContainerOptions(orphan, GpuPod(1), "app", context);
  CHECK(options.status().message() == "endpoint not found in cache for a registered resource: gpu");
  // A zero limit is not looked at.
  options = GetDeviceRunContainerOptions(orphan, GpuPod(0), "app", context);
  CHECK(options.ok());
}

}  // namespace
}  // namespace podalloc
