// devicesToAllocate and filterByAffinity on large device lists (up to 300 devices, so the
// allocator's index sets span several words) with IDs whose text order is not their number
// order ("d10" before "d9"), random health, NUMA info, devices held by other pods (some no
// longer listed), devices lent by init containers and GetPreferredAllocation answers; compared
// with the kubelet's algorithm written out over ID sets (manager.go devicesToAllocate).
#include <algorithm>
#include <random>

#include <catch2/catch.hpp>

#include "support/seed.h"
#include "podalloc/device_manager.h"

namespace podalloc {
namespace {

#ifdef PODALLOC_SANITIZED_TESTS
constexpr int kCases = 300;
#else
constexpr int kCases = 3000;
#endif

using IdSet = std::set<std::string>;

struct Fixture {
  std::vector<PluginDevice> devices;
  bool preferred_available = false;
  IdSet in_use;
  IdSet reusable;
  std::optional<NumaMask> hint;
  int64_t required = 1;
};

struct PreferredCall {
  std::vector<std::string> available, must;
  int size = 0;
  friend bool operator==(const PreferredCall&, const PreferredCall&) = default;
};

// The plugin's answer: a deterministic pick of what it was offered, plus an ID it was not.
std::vector<std::string> PluginAnswer(const std::vector<std::string>& available, uint32_t salt) {
  std::vector<std::string> out;
  for (size_t i = 0; i < available.size(); ++i) {
    if ((i * 2654435761u + salt) % 3 == 0) out.push_back(available[i]);
  }
  out.push_back("not-offered");
  return out;
}

// The kubelet's algorithm over ID sets, for a container that holds nothing yet.
absl::StatusOr<std::vector<std::string>> Reference(const Fixture& f, uint32_t salt,
                                                   std::vector<PreferredCall>& calls) {
  std::map<std::string, const PluginDevice*> by_id;
  for (const PluginDevice& d : f.devices) by_id[d.id] = &d;
  IdSet healthy;
  bool any_numa = false;
  for (const PluginDevice& d : f.devices) {
    if (d.healthy()) healthy.insert(d.id);
    any_numa = any_numa || d.HasNuma();
  }
  if (healthy.empty()) return absl::FailedPreconditionError("no healthy devices");
  int64_t needed = f.required;
  IdSet taken;
  const auto take = [&](const IdSet& from) {
    for (const std::string& id : from) {
      if (needed <= 0) break;
      if (taken.insert(id).second) --needed;
    }
    return needed <= 0;
  };
  const auto result = [&]() { return std::vector<std::string>(taken.begin(), taken.end()); };
  if (take(f.reusable)) return result();
  IdSet available;
  for (const std::string& id : healthy) {
    if (!f.in_use.count(id) && !taken.count(id)) available.insert(id);
  }
  if (static_cast<int64_t>(available.size()) < needed) {
    return absl::ResourceExhaustedError("unavailable");
  }
  IdSet aligned, unaligned, none;
  for (const std::string& id : available) {
    const PluginDevice& d = *by_id.at(id);
    if (!any_numa || !f.hint.has_value() || !d.HasNuma()) {
      none.insert(id);
      continue;
    }
    bool in_hint = false;
    for (int64_t n : *d.numa_nodes) in_hint = in_hint || f.hint->IsSet(static_cast<int>(n));
    (in_hint ? aligned : unaligned).insert(id);
  }
  const auto preferred = [&](const IdSet& offered, const IdSet& among) {
    IdSet out;
    if (!f.preferred_available) return out;
    IdSet all = offered;
    all.insert(taken.begin(), taken.end());
    PreferredCall call{{all.begin(), all.end()}, {taken.begin(), taken.end()},
                       static_cast<int>(f.required)};
    for (const std::string& id : PluginAnswer(call.available, salt)) {
      if (among.count(id)) out.insert(id);
    }
    calls.push_back(std::move(call));
    return out;
  };
  if (needed < static_cast<int64_t>(aligned.size())) {
    if (take(preferred(aligned, aligned)) || take(aligned)) return result();
    return absl::InternalError("short");
  }
  if (take(aligned)) return result();
  if (take(preferred(available, available)) || take(unaligned) || take(none)) return result();
  return absl::InternalError("short");
}

Fixture RandomFixture(std::mt19937& rng, int nodes) {
  Fixture f;
  const int count = 1 + static_cast<int>(rng() % 300);
  std::vector<std::string> ids;
  for (int i = 0; i < count; ++i) ids.push_back("d" + std::to_string(i));
  std::shuffle(ids.begin(), ids.end(), rng);
  for (const std::string& id : ids) {
    PluginDevice d{id, rng() % 8 == 0 ? "Unhealthy" : kDeviceHealthy, std::nullopt};
    switch (rng() % 6) {
      case 0: break;
      case 1: d.numa_nodes = std::vector<int64_t>{}; break;
      case 2: d.numa_nodes = std::vector<int64_t>{static_cast<int64_t>(rng() % nodes),
                                               static_cast<int64_t>(rng() % nodes)};
        break;
      default: d.numa_nodes = std::vector<int64_t>{static_cast<int64_t>(rng() % nodes)}; break;
    }
    f.devices.push_back(std::move(d));
  }
  // Every device of the resource without NUMA info is its own case (no affinity at all).
  if (rng() % 8 == 0) {
    for (PluginDevice& d : f.devices) d.numa_nodes.reset();
  }
  f.preferred_available = rng() % 2 == 0;
  for (const std::string& id : ids) {
    if (rng() % 3 == 0) f.in_use.insert(id);
  }
  f.in_use.insert("gone-" + std::to_string(rng() % 5));
  for (int i = static_cast<int>(rng() % 4); i > 0; --i) {
    f.reusable.insert(rng() % 4 == 0 ? "lent-" + std::to_string(i) : ids[rng() % ids.size()]);
  }
  if (rng() % 5 != 0) f.hint = NumaMask::FromBits(rng() & ((uint64_t{1} << nodes) - 1));
  f.required = 1 + static_cast<int64_t>(rng() % 12);
  return f;
}

TEST_CASE("device allocation: large lists pick as the kubelet's algorithm over ID sets",
          "[device_manager][property]") {
  const uint32_t seed = testing::RandomSeed();
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  for (int i = 0; i < kCases; ++i) {
    const int nodes = 1 + static_cast<int>(rng() % 8);
    std::vector<int> numa;
    for (int n = 0; n < nodes; ++n) numa.push_back(n);
    const Fixture f = RandomFixture(rng, nodes);
    const uint32_t salt = rng();
    INFO("case " << i << ", " << f.devices.size() << " devices, required " << f.required);

    DeviceManager m(numa);
    m.RegisterPlugin("r", DevicePluginOptions{f.preferred_available, false});
    REQUIRE(m.UpdateDevices("r", f.devices).ok());
    DeviceEntry held;
    held.devices_per_numa[-1] = {f.in_use.begin(), f.in_use.end()};
    m.SetEntry("other", "c", "r", held);
    REQUIRE(m.in_use().at("r") == f.in_use);

    std::vector<PreferredCall> got_calls, want_calls;
    DeviceAllocateContext context;
    context.preferred["r"] = [&](const std::vector<std::string>& available,
                                 const std::vector<std::string>& must, int size) {
      got_calls.push_back(PreferredCall{available, must, size});
      return absl::StatusOr<std::vector<std::string>>(PluginAnswer(available, salt));
    };
    const auto got =
        m.DevicesToAllocate("pod", "c", "r", f.required, f.reusable, f.hint, context);
    const auto want = Reference(f, salt, want_calls);
    REQUIRE(got.ok() == want.ok());
    if (!want.ok()) {
      CHECK(got.status().code() == want.status().code());
      continue;
    }
    REQUIRE(got->has_value());
    CHECK(**got == *want);
    CHECK(got_calls == want_calls);

    // filterByAffinity alone, on what the container could take (unlisted IDs included).
    IdSet offered = f.reusable;
    for (const PluginDevice& d : f.devices) {
      if (rng() % 2 == 0) offered.insert(d.id);
    }
    const AffinitySplit split = m.FilterByAffinity("r", offered, f.hint);
    IdSet all = split.aligned;
    all.insert(split.unaligned.begin(), split.unaligned.end());
    all.insert(split.no_affinity.begin(), split.no_affinity.end());
    CHECK(all == offered);
    CHECK(split.aligned.size() + split.unaligned.size() + split.no_affinity.size() ==
          offered.size());
    for (const std::string& id : split.aligned) {
      const PluginDevice* d = nullptr;
      for (const PluginDevice& x : f.devices) d = x.id == id ? &x : d;
      REQUIRE(d != nullptr);
      REQUIRE(d->HasNuma());
      REQUIRE(f.hint.has_value());
    }
  }
}

}  // namespace
}  // namespace podalloc
