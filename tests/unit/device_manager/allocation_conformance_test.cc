// aligned_allocation.json, preferred_allocation_params.json, filter_by_affinity.json and
// allocate.json: devicesToAllocate, filterByAffinity and Allocate, every case through the
// public API. Where the kubelet picks at random the vectors assert sizes, required members,
// one-of groups and per-NUMA counts, and so does this test.
#include <catch2/catch.hpp>

#include "podalloc/device_run_options.h"
#include "support/vectors.h"
#include "vector_model.h"

namespace podalloc {
namespace {

using namespace device_vectors;

constexpr char kHolder[] = "in-use-holder";

// j[key], or an empty array when absent (no temporaries in range-for loops).
const Json& Member(const Json& j, const char* key) {
  static const Json kEmpty = Json::array();
  return j.is_object() && j.contains(key) && !j[key].is_null() ? j[key] : kEmpty;
}

std::string ErrorOf(const absl::Status& s) { return s.ok() ? "" : std::string(s.message()); }

Json Ids(const std::vector<std::string>& ids) {
  Json out = Json::array();
  for (const std::string& id : ids) out.push_back(id);
  return out;
}

// One devicesToAllocate call of aligned_allocation.json / preferred_allocation_params.json.
struct AlignedCall {
  std::vector<Json> calls;
  int counted = 0;
  absl::StatusOr<std::optional<std::vector<std::string>>> result;
};

AlignedCall RunAligned(const Json& c, DeviceManager& m) {
  const std::string r = c["resource"];
  const Json plugin = c["plugin"];
  if (plugin.value("endpoint", true)) {
    m.RegisterPlugin(r, DevicePluginOptions{plugin.value("supports_preferred", false), false});
  }
  REQUIRE(m.UpdateDevices(r, DevicesOf(c["devices"])).ok());
  if (!c["in_use"].empty()) {
    DeviceEntry e;
    e.devices_per_numa[-1] = c["in_use"].get<std::vector<std::string>>();
    m.SetEntry(kHolder, "c", r, e);
  }
  AlignedCall out{{}, 0, std::nullopt};
  DeviceAllocateContext context;
  context.preferred[r] = [&](const std::vector<std::string>& available,
                             const std::vector<std::string>& must, int size)
      -> absl::StatusOr<std::vector<std::string>> {
    out.calls.push_back({{"available", Ids(available)}, {"must_include", Ids(must)},
                         {"size", size}});
    const Json answer = plugin.value("preferred_response", Json());
    return answer.is_null() ? std::vector<std::string>() : answer.get<std::vector<std::string>>();
  };
  out.result = m.DevicesToAllocate("pod", "container", r, c["request"].get<int64_t>(),
                                   IdsOf(c["reusable"]), HintOf(c["hint"]), context,
                                   &out.counted);
  return out;
}

TEST_CASE("device allocation: aligned_allocation.json, every case",
          "[device_manager][conformance]") {
  const Json vectors = testing::LoadVectors("devicemanager/aligned_allocation.json");
  REQUIRE(vectors["cases"].size() >= 11);
  for (const Json& c : vectors["cases"]) {
    INFO("case: " << c["name"].get<std::string>());
    DeviceManager m({0, 1, 2, 3});
    AlignedCall call = RunAligned(c, m);
    REQUIRE(call.result.ok());
    REQUIRE(call.result->has_value());
    const std::vector<std::string>& got = **call.result;
    const std::set<std::string> picked(got.begin(), got.end());
    const Json& e = c["expected"];
    CHECK(picked.size() == got.size());
    CHECK(got.size() == e["size"].get<size_t>());
    for (const Json& id : e["must_include"]) CHECK(picked.count(id.get<std::string>()) == 1);
    for (const Json& group : Member(e, "one_of")) {
      bool any = false;
      for (const Json& id : group) any = any || picked.count(id.get<std::string>()) > 0;
      CHECK(any);
    }
    if (e.contains("numa_histogram")) {
      std::map<std::string, int> histogram;
      for (const PluginDevice& d : m.Devices(c["resource"])) {
        if (picked.count(d.id) && d.HasNuma()) ++histogram[std::to_string(d.numa_nodes->front())];
      }
      CHECK(Json(histogram) == e["numa_histogram"]);
    }
    if (e.contains("preferred_calls")) CHECK(call.counted == e["preferred_calls"].get<int>());
    CHECK(call.counted == static_cast<int>(call.calls.size()));
    // The allocation itself changed nothing: devicesToAllocate is a pure plan.
    DeviceManager again({0, 1, 2, 3});
    (void)RunAligned(c, again);
    CHECK(again == m);
  }
}

TEST_CASE("device allocation: preferred_allocation_params.json, every case",
          "[device_manager][conformance]") {
  const Json vectors = testing::LoadVectors("devicemanager/preferred_allocation_params.json");
  REQUIRE(vectors["cases"].size() >= 3);
  for (const Json& c : vectors["cases"]) {
    INFO("case: " << c["name"].get<std::string>());
    DeviceManager m({0, 1});
    AlignedCall call = RunAligned(c, m);
    REQUIRE(call.result.ok());
    REQUIRE(!call.calls.empty());
    const Json want = c["expected"]["preferred_call"];
    CHECK(call.calls[0]["available"] == want["available"]);
    CHECK(call.calls[0]["must_include"] == want["must_include"]);
    CHECK(call.calls[0]["size"] == want["size"]);
  }
}

TEST_CASE("device allocation: filter_by_affinity.json, every case",
          "[device_manager][conformance]") {
  const Json vectors = testing::LoadVectors("devicemanager/filter_by_affinity.json");
  REQUIRE(vectors["cases"].size() >= 4);
  for (const Json& c : vectors["cases"]) {
    INFO("case: " << c["name"].get<std::string>());
    DeviceManager m({0, 1, 2});
    REQUIRE(m.UpdateDevices(c["resource"], DevicesOf(c["devices"])).ok());
    const AffinitySplit split = m.FilterByAffinity(c["resource"], IdsOf(c["available"]),
                                                   HintOf(c["hint"]));
    CHECK(Json(split.aligned) == c["expected"]["aligned"]);
    CHECK(Json(split.unaligned) == c["expected"]["unaligned"]);
    CHECK(Json(split.no_affinity) == c["expected"]["no_affinity"]);
  }
}

// --- allocate.json ----------------------------------------------------------------------------

DeviceManager StateOf(const Json& st) {
  DeviceManager m(NodesOf(st.value("numa_nodes", Json())));
  AddResources(m, st.value("resources", Json()));
  for (const Json& r : Member(st, "registered_resources")) {
    if (!m.IsRegistered(r)) {
      m.RegisterPlugin(r);
      REQUIRE(m.UpdateDevices(r, {}).ok());
    }
  }
  AddAllocations(m, st.value("allocations", Json()));
  return m;
}

// The fake plugin of the kubelet's tests: its response for a set of devices concatenates
// what it returns for each device.
PluginAllocateFn StubPlugin(const Json& stub) {
  return [stub](const std::string& r, const std::vector<std::string>& ids)
             -> absl::StatusOr<std::string> {
    ContainerAllocateResponse response;
    for (const std::string& id : ids) {
      if (!stub.contains(r) || !stub[r].contains(id)) continue;
      const Json& d = stub[r][id];
      for (const Json& path : Member(d, "devices")) {
        response.devices.push_back(DeviceSpec{path, path, "mrw"});
      }
      for (const Json& path : Member(d, "mounts")) {
        response.mounts.push_back(DeviceMount{path, path, false});
      }
      if (d.contains("envs")) {
        for (const auto& [k, v] : d["envs"].items()) response.envs[k] = v;
      }
    }
    return EncodeContainerAllocateResponse(response);
  };
}

void CheckDevicesToAllocate(const Json& c) {
  DeviceManager m = StateOf(c["state"]);
  const Json call = c["call"];
  DeviceAllocateContext context;
  context.sources_ready = call.value("sources_ready", true);
  if (call.value("container_running", false)) {
    context.running_at_start.insert(
        {call["pod"].get<std::string>(), call["container"].get<std::string>()});
  }
  const auto got = m.DevicesToAllocate(call["pod"], call["container"], call["resource"],
                                       call["required"].get<int64_t>(), IdsOf(call["reusable"]),
                                       std::nullopt, context);
  const Json want_error = c["expected"]["error"];
  CHECK(ErrorOf(got.status()) == (want_error.is_null() ? "" : want_error.get<std::string>()));
  if (got.ok()) {
    const Json want = c["expected"]["devices"];
    if (want.is_null()) {
      CHECK(!got->has_value());
    } else {
      REQUIRE(got->has_value());
      CHECK(Json(**got) == want);
    }
  }
}

void CheckAllocate(const Json& c) {
  DeviceManager m = StateOf(c["state"]);
  std::set<std::string> active;
  for (const Json& p : Member(c["state"], "active_pods")) active.insert(p);
  m.RemoveInactivePods(active);
  DeviceAllocateContext context;
  context.dra_extended_resource = c.value("feature_gates", Json::object())
                                      .value("DRAExtendedResource", true);
  const DeviceManager before = m;
  const absl::Status s = m.Allocate(PodOf(c["pod"]), c["container"], std::nullopt, context);
  CHECK(!s.ok() == c["expected"].value("error", false));
  if (c["expected"].contains("error_text_derived")) {
    CHECK(ErrorOf(s) == c["expected"]["error_text_derived"].get<std::string>());
  }
  if (!s.ok()) CHECK(m == before);
}

void CheckSequence(const Json& c) {
  DeviceManager m = StateOf(c["state"]);
  DeviceAllocateContext context;
  context.plugin_allocate = StubPlugin(c["plugin_allocate_stub"]);
  const std::optional<NumaMask> hint = HintOf(c["state"].value("hint", Json()));
  for (const Json& step : c["steps"]) {
    INFO("step: " << step["description"].get<std::string>());
    std::set<std::string> active;
    for (const Json& p : step["active_pods"]) active.insert(p);
    m.RemoveInactivePods(active);
    const Pod pod = PodOf(step["pod"]);
    const std::string name = pod.containers.at(0).name;
    const DeviceManager before = m;
    const absl::Status s = m.Allocate(pod, name, hint, context);
    const Json want = step["expected"];
    CHECK(ErrorOf(s) == (want["error"].is_null() ? "" : want["error"].get<std::string>()));
    if (!s.ok()) CHECK(m == before);
    for (const auto& [r, n] : want["allocated_count"].items()) {
      auto it = m.in_use().find(r);
      CHECK((it == m.in_use().end() ? 0 : it->second.size()) == n.get<size_t>());
    }
    const auto options = RunContainerOptions(m, pod.uid, name);
    REQUIRE(options.ok());
    if (want["run_container_options_len"].is_null()) {
      CHECK(!options->has_value());
    } else {
      REQUIRE(options->has_value());
      const Json len = want["run_container_options_len"];
      CHECK((*options)->devices.size() == len["devices"].get<size_t>());
      CHECK((*options)->mounts.size() == len["mounts"].get<size_t>());
      CHECK((*options)->envs.size() == len["envs"].get<size_t>());
    }
  }
}

void CheckPodProperties(const Json& c) {
  DeviceManager m = StateOf(c["state"]);
  const Pod pod = PodOf(c["pod"]);
  const std::optional<NumaMask> hint = HintOf(c["state"].value("hint", Json()));
  for (const Json& name : c["allocate_order"]) {
    INFO("container " << name.get<std::string>());
    CHECK(m.Allocate(pod, name, hint).ok());
  }
  const auto held = [&](const std::string& container, const std::string& r) {
    const DeviceEntry* e = m.Entry(pod.uid, container, r);
    return e == nullptr ? std::set<std::string>() : e->Devices();
  };
  const Json& e = c["expected"];
  for (const auto& [container, per] : e["counts"].items()) {
    for (const auto& [r, n] : per.items()) CHECK(held(container, r).size() == n.get<size_t>());
  }
  for (const Json& t : e["superset"]) {
    const auto a = held(t[0], t[2]), b = held(t[1], t[2]);
    CHECK(std::includes(a.begin(), a.end(), b.begin(), b.end()));
  }
  for (const Json& t : e["disjoint"]) {
    const auto a = held(t[0], t[2]), b = held(t[1], t[2]);
    for (const std::string& id : a) CHECK(b.count(id) == 0);
  }
}

TEST_CASE("device allocation: allocate.json, every case", "[device_manager][conformance]") {
  const Json vectors = testing::LoadVectors("devicemanager/allocate.json");
  REQUIRE(vectors["cases"].size() >= 7);
  for (const Json& c : vectors["cases"]) {
    INFO("case: " << c["name"].get<std::string>());
    const std::string op = c["op"];
    if (op == "devices_to_allocate") {
      CheckDevicesToAllocate(c);
    } else if (op == "allocate") {
      CheckAllocate(c);
    } else if (op == "allocate_sequence") {
      CheckSequence(c);
    } else if (op == "allocate_pod_properties") {
      CheckPodProperties(c);
    } else {
      FAIL("unknown op " << op);
    }
  }
}

}  // namespace
}  // namespace podalloc
