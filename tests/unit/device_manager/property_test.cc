// Random plugin updates, allocations and removals keep the device manager's invariants: no
// device held by two pods, no device shared by two containers of a pod unless lent by a regular
// init container, in_use equal to the union of the entries, a failed allocation leaving the
// state as it was, and the hint families equal to the kubelet's mask walk (written out below
// as a brute-force reference).
#include <random>

#include <catch2/catch.hpp>

#include "support/seed.h"
#include "podalloc/device_checkpoint.h"
#include "podalloc/device_hints.h"
#include "podalloc/quantity.h"

namespace podalloc {
namespace {

#ifdef PODALLOC_SANITIZED_TESTS
constexpr int kSequences = 200;
#else
constexpr int kSequences = 2000;
#endif

// generateDeviceTopologyHints as the kubelet writes it: every mask, in IterateBitMasks order.
std::vector<TopologyHint> ReferenceHints(const DeviceHintRequest& in) {
  const auto touches = [](NumaMask m, const DeviceTopology& t) {
    if (!t) return false;
    for (int64_t id : *t) {
      if (id >= 0 && id < 64 && m.IsSet(static_cast<int>(id))) return true;
    }
    return false;
  };
  int min_size = static_cast<int>(in.numa_nodes.size());
  std::vector<NumaMask> kept;
  IterateBitMasks(in.numa_nodes, [&](NumaMask m) {
    int64_t in_mask = 0;
    for (const DeviceTopology& t : in.all) in_mask += touches(m, t) ? 1 : 0;
    if (in_mask >= in.request && m.Count() < min_size) min_size = m.Count();
    int64_t count = 0;
    for (const DeviceTopology& t : in.reusable) {
      if (!t) continue;
      if (!touches(m, t)) return;
      ++count;
    }
    for (const DeviceTopology& t : in.available) count += touches(m, t) ? 1 : 0;
    if (count >= in.request) kept.push_back(m);
  });
  std::vector<TopologyHint> out;
  for (NumaMask m : kept) out.push_back(TopologyHint::Of(m, m.Count() == min_size));
  return out;
}

DeviceTopology RandomTopology(std::mt19937& rng, int nodes) {
  switch (rng() % 6) {
    case 0: return std::nullopt;
    case 1: return std::vector<int64_t>{};
    case 2: return std::vector<int64_t>{static_cast<int64_t>(rng() % nodes),
                                        static_cast<int64_t>(rng() % nodes)};
    case 3: return std::vector<int64_t>{static_cast<int64_t>(nodes + 1)};  // unknown node
    default: return std::vector<int64_t>{static_cast<int64_t>(rng() % nodes)};
  }
}

TEST_CASE("device hints: families equal the kubelet's mask walk", "[device_manager][property]") {
  const uint32_t seed = testing::RandomSeed();
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  for (int i = 0; i < kSequences * 5; ++i) {
    DeviceHintRequest in;
    const int nodes = 1 + static_cast<int>(rng() % 5);
    for (int n = 0; n < nodes; ++n) in.numa_nodes.push_back(n);
    const int devices = static_cast<int>(rng() % 7);
    for (int d = 0; d < devices; ++d) {
      in.all.push_back(RandomTopology(rng, nodes));
      if (rng() % 3 != 0) in.available.push_back(in.all.back());
    }
    for (int r = static_cast<int>(rng() % 3); r > 0; --r) {
      in.reusable.push_back(rng() % 4 == 0 || in.all.empty() ? DeviceTopology()
                                                              : in.all[rng() % in.all.size()]);
    }
    in.request = static_cast<int64_t>(rng() % 5);
    const ResourceHints family = GenerateDeviceHints(in);
    auto expanded = ExpandDeviceHints(family);
    REQUIRE(expanded.ok());
    REQUIRE(expanded->has_value());
    CHECK(**expanded == ReferenceHints(in));
    // The merger's existence questions, against enumeration.
    if (const HintOracle* oracle = family.oracle()) {
      const uint64_t all = NumaMask::FirstN(nodes).bits();
      for (uint64_t lower = 0; lower <= all; ++lower) {
        if ((lower & ~all) != 0) continue;
        const uint64_t upper = all & ~(rng() % 2 == 0 ? 0 : uint64_t{1} << (rng() % nodes));
        for (bool preferred : {false, true}) {
          bool exists = false;
          for (const TopologyHint& h : **expanded) {
            const uint64_t b = h.affinity->bits();
            const bool between = (lower & ~b) == 0 && (b & ~upper) == 0;
            exists = exists || (between && (!preferred || h.preferred));
          }
          CHECK(oracle->AnyHintBetween(NumaMask::FromBits(lower), NumaMask::FromBits(upper),
                                       preferred) == exists);
        }
      }
    }
  }
}

Container RandomContainer(std::mt19937& rng, const std::string& name, bool sidecar) {
  Container c;
  c.name = name;
  for (const char* r : {"gpu", "nic"}) {
    if (rng() % 2 == 0) continue;
    c.resources.limits[r] = Quantity::FromMilli(static_cast<int64_t>(rng() % 3) * 1000);
  }
  if (sidecar) c.restart_policy = "Always";
  return c;
}

// The invariants of one state.
void CheckInvariants(const DeviceManager& m) {
  std::map<std::string, std::set<std::string>> in_use;
  std::map<std::pair<std::string, std::string>, std::string> owner_pod;  // (r, id) -> pod
  for (const auto& [pod, containers] : m.pod_devices()) {
    std::map<std::pair<std::string, std::string>, int> keepers;  // (r, id) -> non-lending holders
    for (const auto& [name, resources] : containers) {
      const bool lends = name.rfind("init", 0) == 0;
      for (const auto& [r, entry] : resources) {
        for (const std::string& id : entry.Devices()) {
          in_use[r].insert(id);
          auto [it, inserted] = owner_pod.emplace(std::pair{r, id}, pod);
          CHECK(it->second == pod);  // never two pods
          if (!lends) CHECK(++keepers[{r, id}] == 1);
        }
      }
    }
  }
  std::map<std::string, std::set<std::string>> reported = m.in_use();
  for (auto it = reported.begin(); it != reported.end();) {
    it = it->second.empty() ? reported.erase(it) : std::next(it);
  }
  CHECK(reported == in_use);
}

TEST_CASE("device manager: random plugin updates, allocations and removals keep invariants",
          "[device_manager][property]") {
  const uint32_t seed = testing::RandomSeed();
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  for (int sequence = 0; sequence < kSequences; ++sequence) {
    const int nodes = 1 + static_cast<int>(rng() % 4);
    std::vector<int> ids;
    for (int n = 0; n < nodes; ++n) ids.push_back(n);
    DeviceManager m(ids);
    const auto update = [&](const std::string& r) {
      std::vector<PluginDevice> devices;
      for (int d = 0; d < 6; ++d) {
        if (rng() % 5 == 0) continue;
        devices.push_back(PluginDevice{r + "-" + std::to_string(d),
                                       rng() % 6 == 0 ? "Unhealthy" : kDeviceHealthy,
                                       RandomTopology(rng, nodes)});
      }
      m.RegisterPlugin(r, DevicePluginOptions{rng() % 2 == 0, false});
      REQUIRE(m.UpdateDevices(r, devices).ok());
    };
    update("gpu");
    update("nic");
    std::set<std::string> pods;
    for (int step = 0; step < 30; ++step) {
      const int op = static_cast<int>(rng() % 10);
      if (op == 0) {
        update(rng() % 2 ? "gpu" : "nic");
      } else if (op == 1 && !pods.empty()) {
        auto it = std::next(pods.begin(), static_cast<long>(rng() % pods.size()));
        m.RemovePod(*it);
        pods.erase(it);
      } else if (op == 2) {
        // A kubelet restart: the checkpoint comes back, then the plugins register again.
        absl::StatusOr<DeviceCheckpoint> read =
            ReadDeviceCheckpoint(WriteDeviceCheckpoint(DeviceCheckpointDataOf(m)));
        REQUIRE(read.ok());
        const auto before = m.pod_devices();
        CHECK(RestoreDeviceCheckpoint(m, read->data, 0).empty());
        CHECK(m.pod_devices() == before);
        update("gpu");
        update("nic");
      } else {
        Pod pod;
        pod.uid = "pod-" + std::to_string(step);
        std::vector<std::string> order;
        for (int i = static_cast<int>(rng() % 3); i > 0; --i) {
          const bool sidecar = rng() % 3 == 0;
          const std::string name = (sidecar ? "side" : "init") + std::to_string(i);
          pod.init_containers.push_back(RandomContainer(rng, name, sidecar));
          order.push_back(name);
        }
        for (int i = 1 + static_cast<int>(rng() % 2); i > 0; --i) {
          pod.containers.push_back(RandomContainer(rng, "app" + std::to_string(i), false));
          order.push_back("app" + std::to_string(i));
        }
        DeviceAllocateContext context;
        context.preferred["gpu"] = [&rng](const std::vector<std::string>& available,
                                          const std::vector<std::string>&, int)
            -> absl::StatusOr<std::vector<std::string>> {
          if (rng() % 5 == 0) return absl::UnavailableError("plugin down");
          std::vector<std::string> out = {available.back(), "bogus"};
          return out;
        };
        pods.insert(pod.uid);
        for (const std::string& name : order) {
          std::optional<NumaMask> hint;
          if (rng() % 2 == 0) hint = NumaMask::Single(static_cast<int>(rng() % nodes));
          const DeviceManager before = m;
          const absl::Status s = m.Allocate(pod, name, hint, context);
          if (!s.ok()) {
            CHECK(m == before);
            break;
          }
          // New devices were free and healthy, or lent by an earlier init container.
          std::map<std::string, DeviceEntry> mine;
          if (auto p = m.pod_devices().find(pod.uid); p != m.pod_devices().end()) {
            if (auto c = p->second.find(name); c != p->second.end()) mine = c->second;
          }
          for (const auto& [r, entry] : mine) {
            if (before.Entry(pod.uid, name, r) != nullptr) continue;  // held before
            for (const std::string& id : entry.Devices()) {
              const bool lent = before.Reusable(pod.uid).count(r) &&
                                before.Reusable(pod.uid).at(r).count(id);
              const bool was_free = !before.in_use().count(r) || !before.in_use().at(r).count(id);
              bool healthy = false;
              for (const PluginDevice& d : before.Devices(r)) {
                healthy = healthy || (d.id == id && d.healthy());
              }
              CHECK((lent || (was_free && healthy)));
            }
          }
        }
      }
      if (rng() % 4 == 0) {
        std::set<std::string> active;
        for (const std::string& p : pods) {
          if (rng() % 3 != 0) active.insert(p);
        }
        m.RemoveInactivePods(active, rng() % 5 != 0);
        for (auto it = pods.begin(); it != pods.end();) {
          it = m.pod_devices().count(*it) ? std::next(it) : pods.erase(it);
        }
      }
      CheckInvariants(m);
    }
  }
}

}  // namespace
}  // namespace podalloc
