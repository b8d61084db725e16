// devicesToAllocate and filterByAffinity (manager.go): which devices a container gets for one
// resource. The kubelet takes "any" member of each stage (Go set order); podalloc takes them
// in ascending ID order, which is one of the kubelet's possible answers.
#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "podalloc/device_manager.h"
#include "podalloc/internal/input_quote.h"

namespace podalloc {
namespace {

using IdSet = std::set<std::string>;

std::vector<std::string> Sorted(const IdSet& s) { return {s.begin(), s.end()}; }

IdSet Union(const IdSet& a, const IdSet& b) {
  IdSet out = a;
  out.insert(b.begin(), b.end());
  return out;
}

// The devices picked so far and how many are still needed.
struct Picker {
  int64_t needed = 0;
  IdSet taken;
  // Takes members of `from` not yet taken until satisfied; true once nothing is needed.
  bool TakeFrom(const IdSet& from) {
    for (const std::string& id : from) {
      if (needed <= 0) break;
      if (taken.insert(id).second) --needed;
    }
    return needed <= 0;
  }
};

}  // namespace

AffinitySplit DeviceManager::FilterByAffinity(const std::string& resource, const IdSet& available,
                                              const std::optional<NumaMask>& hint) const {
  AffinitySplit out;
  bool any_numa = false;
  const auto it = devices_.find(resource);
  if (it != devices_.end()) {
    for (const auto& [id, d] : it->second.by_id) any_numa = any_numa || d.HasNuma();
  }
  if (!any_numa || !hint.has_value()) {
    out.no_affinity = available;
    return out;
  }
  // Both are in ID order: one walk finds each available device's entry.
  const std::map<std::string, PluginDevice>& by_id = it->second.by_id;
  auto next = by_id.begin();
  for (const std::string& id : available) {
    while (next != by_id.end() && next->first < id) ++next;
    const PluginDevice* d = next != by_id.end() && next->first == id ? &next->second : nullptr;
    if (d == nullptr || !d->HasNuma()) {
      out.no_affinity.insert(id);
      continue;
    }
    bool in_hint = false;
    for (int64_t node : *d->numa_nodes) {
      in_hint = in_hint || (node >= 0 && node < NumaMask::kMaxNodes &&
                            hint->IsSet(static_cast<int>(node)));
    }
    (in_hint ? out.aligned : out.unaligned).insert(id);
  }
  return out;
}

absl::StatusOr<std::optional<std::vector<std::string>>> DeviceManager::DevicesToAllocate(
    const std::string& pod_uid, const std::string& container, const std::string& resource,
    int64_t required, const IdSet& reusable, const std::optional<NumaMask>& hint,
    const DeviceAllocateContext& context, int* counted_calls) const {
  using Result = std::optional<std::vector<std::string>>;
  if (counted_calls != nullptr) *counted_calls = 0;
  int64_t needed = required;
  const DeviceEntry* entry = Entry(pod_uid, container, resource);
  IdSet held;
  if (entry != nullptr) {
    held = entry->Devices();
    needed -= static_cast<int64_t>(held.size());
    if (needed != 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "pod ", internal::QuoteInput(pod_uid), " container ", internal::QuoteInput(container),
          " changed request for resource ", internal::QuoteInput(resource), " from ",
          held.size(), " to ", required));
    }
  }
  // A kubelet restart finds the container running: its devices are in place.
  if (!context.sources_ready && context.running_at_start.count({pod_uid, container}) > 0) {
    return Result();
  }
  if (!IsRegistered(resource)) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot allocate unregistered device ", resource));
  }
  const IdSet healthy = HealthyIds(resource);
  if (healthy.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no healthy devices present; cannot allocate unhealthy devices ", resource));
  }
  if (!std::includes(healthy.begin(), healthy.end(), held.begin(), held.end())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "previously allocated devices are no longer healthy; cannot allocate unhealthy "
        "devices ",
        resource));
  }
  if (needed == 0) return Result();

  Picker pick{needed, {}};
  const auto done = [&]() -> absl::StatusOr<Result> { return Result(Sorted(pick.taken)); };
  // Devices of finished init containers first, whatever their health or NUMA node.
  if (pick.TakeFrom(reusable)) return done();
  const IdSet reused = pick.taken;

  IdSet available;
  const auto used = in_use_.find(resource);
  for (const std::string& id : healthy) {
    if (used != in_use_.end() && used->second.count(id) > 0) continue;
    if (reused.count(id) > 0) continue;
    available.insert(available.end(), id);
  }
  if (static_cast<int64_t>(available.size()) < pick.needed) {
    return absl::ResourceExhaustedError(
        absl::StrCat("requested number of devices unavailable for ", resource,
                     ". Requested: ", pick.needed, ", Available: ", available.size()));
  }
  const AffinitySplit split = FilterByAffinity(resource, available, hint);

  // GetPreferredAllocation, when the plugin offers it: `offered` includes `must` (the devices
  // taken so far).
  const auto preferred = [&](const IdSet& offered, const IdSet& must) -> absl::StatusOr<IdSet> {
    auto e = endpoints_.find(resource);
    if (e == endpoints_.end()) {
      return absl::FailedPreconditionError(
          absl::StrCat("endpoint not found in cache for a registered resource: ", resource));
    }
    if (!e->second.options.get_preferred_allocation_available) return IdSet();
    auto fn = context.preferred.find(resource);
    if (fn == context.preferred.end() || !fn->second) return IdSet();
    if (counted_calls != nullptr) ++*counted_calls;
    absl::StatusOr<std::vector<std::string>> answer =
        fn->second(Sorted(offered), Sorted(must), static_cast<int>(required));
    if (!answer.ok()) {
      return absl::UnavailableError(absl::StrCat(
          "device plugin GetPreferredAllocation rpc failed with err: ", answer.status().message()));
    }
    return IdSet(answer->begin(), answer->end());
  };
  const auto intersect = [](const IdSet& a, const IdSet& b) {
    IdSet out;
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(),
                          std::inserter(out, out.end()));
    return out;
  };
  const auto shortfall = [&]() {
    return absl::InternalError(
        absl::StrCat("unexpectedly allocated less resources than required. Requested: ",
                     required, ", Got: ", required - pick.needed));
  };

  if (pick.needed < static_cast<int64_t>(split.aligned.size())) {
    absl::StatusOr<IdSet> p = preferred(Union(split.aligned, pick.taken), pick.taken);
    if (!p.ok()) return p.status();
    if (pick.TakeFrom(intersect(*p, split.aligned))) return done();
    if (pick.TakeFrom(split.aligned)) return done();
    return shortfall();
  }
  if (pick.TakeFrom(split.aligned)) return done();
  absl::StatusOr<IdSet> p = preferred(Union(available, pick.taken), pick.taken);
  if (!p.ok()) return p.status();
  if (pick.TakeFrom(intersect(*p, available))) return done();
  if (pick.TakeFrom(split.unaligned)) return done();
  if (pick.TakeFrom(split.no_affinity)) return done();
  return shortfall();
}

}  // namespace podalloc
