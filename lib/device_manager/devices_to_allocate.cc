// devicesToAllocate and filterByAffinity (manager.go): which devices a container gets for one
// resource. The kubelet takes "any" member of each stage (Go set order); podalloc takes them
// in ascending ID order, which is one of the kubelet's possible answers.
#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "device_list.h"
#include "podalloc/device_manager.h"
#include "podalloc/internal/input_quote.h"

namespace podalloc {
namespace {

using IdSet = std::set<std::string>;
using internal::DeviceBits;
using internal::DeviceList;

// The devices picked so far and how many are still needed: devices lent by finished init
// containers by ID (they need not be listed any more), the rest as indices into the list.
struct Picker {
  int64_t needed = 0;
  std::vector<std::string> reused;  // ascending
  DeviceBits taken;

  // Takes reusable IDs, ascending, until satisfied; true once nothing is needed.
  bool TakeReused(const IdSet& from) {
    for (const std::string& id : from) {
      if (needed <= 0) break;
      reused.push_back(id);
      --needed;
    }
    return needed <= 0;
  }
  // Takes members of `from` not yet taken, ascending, until satisfied.
  bool TakeFrom(const DeviceBits& from) {
    from.ForEach([&](size_t i) {
      if (needed <= 0) return false;
      if (!taken.Test(i)) {
        taken.Set(i);
        --needed;
      }
      return true;
    });
    return needed <= 0;
  }
  // Every ID taken, ascending. Reused IDs are never among the indices (they are left out of
  // what is available).
  std::vector<std::string> Ids(const DeviceList& list) const {
    std::vector<std::string> picked = list.IdsOf(taken);
    std::vector<std::string> out;
    out.reserve(reused.size() + picked.size());
    std::merge(reused.begin(), reused.end(), picked.begin(), picked.end(),
               std::back_inserter(out));
    return out;
  }
};

// `bits` as IDs, with `extra` (IDs, ascending) merged in.
std::vector<std::string> WithIds(const DeviceList& list, const DeviceBits& bits,
                                 const std::vector<std::string>& extra) {
  std::vector<std::string> ids = list.IdsOf(bits);
  std::vector<std::string> out;
  out.reserve(ids.size() + extra.size());
  std::set_union(ids.begin(), ids.end(), extra.begin(), extra.end(), std::back_inserter(out));
  return out;
}

}  // namespace

AffinitySplit DeviceManager::FilterByAffinity(const std::string& resource, const IdSet& available,
                                              const std::optional<NumaMask>& hint) const {
  static const DeviceList kUnlisted;
  const DeviceList* found = List(resource);
  const DeviceList& list = found == nullptr ? kUnlisted : *found;
  const internal::AffinityBits split = internal::SplitByAffinity(list, list.BitsOf(available), hint);
  AffinitySplit out;
  for (const std::string& id : list.IdsOf(split.aligned)) out.aligned.insert(out.aligned.end(), id);
  for (const std::string& id : list.IdsOf(split.unaligned)) {
    out.unaligned.insert(out.unaligned.end(), id);
  }
  // An ID the resource does not list has no NUMA info.
  for (const std::string& id : available) {
    const int i = list.IndexOf(id);
    if (i < 0 || split.no_affinity.Test(static_cast<size_t>(i))) out.no_affinity.insert(id);
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
  const DeviceList* found = List(resource);
  if (found == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot allocate unregistered device ", resource));
  }
  const DeviceList& list = *found;
  if (list.healthy.Empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no healthy devices present; cannot allocate unhealthy devices ", resource));
  }
  for (const std::string& id : held) {
    const int i = list.IndexOf(id);
    if (i < 0 || !list.healthy.Test(static_cast<size_t>(i))) {
      return absl::FailedPreconditionError(absl::StrCat(
          "previously allocated devices are no longer healthy; cannot allocate unhealthy "
          "devices ",
          resource));
    }
  }
  if (needed == 0) return Result();

  Picker pick{needed, {}, DeviceBits(list.size())};
  const auto done = [&]() -> absl::StatusOr<Result> { return Result(pick.Ids(list)); };
  // Devices of finished init containers first, whatever their health or NUMA node.
  if (pick.TakeReused(reusable)) return done();

  DeviceBits available = list.healthy;
  if (const auto used = in_use_.find(resource); used != in_use_.end()) {
    available.Subtract(list.BitsOf(used->second));
  }
  if (!pick.reused.empty()) {
    available.Subtract(list.BitsOf(IdSet(pick.reused.begin(), pick.reused.end())));
  }
  const int64_t available_count = available.Count();
  if (available_count < pick.needed) {
    return absl::ResourceExhaustedError(
        absl::StrCat("requested number of devices unavailable for ", resource,
                     ". Requested: ", pick.needed, ", Available: ", available_count));
  }
  const internal::AffinityBits split = internal::SplitByAffinity(list, available, hint);

  // GetPreferredAllocation, when the plugin offers it: `offered` includes the devices taken so
  // far, which it must include. The answer as bits of `among` (IDs outside it are ignored).
  const auto preferred = [&](const DeviceBits& offered,
                             const DeviceBits& among) -> absl::StatusOr<DeviceBits> {
    auto e = endpoints_.find(resource);
    if (e == endpoints_.end()) {
      return absl::FailedPreconditionError(
          absl::StrCat("endpoint not found in cache for a registered resource: ", resource));
    }
    DeviceBits out(list.size());
    if (!e->second.options.get_preferred_allocation_available) return out;
    auto fn = context.preferred.find(resource);
    if (fn == context.preferred.end() || !fn->second) return out;
    if (counted_calls != nullptr) ++*counted_calls;
    const std::vector<std::string> must = pick.Ids(list);
    absl::StatusOr<std::vector<std::string>> answer =
        fn->second(WithIds(list, offered, must), must, static_cast<int>(required));
    if (!answer.ok()) {
      return absl::UnavailableError(absl::StrCat(
          "device plugin GetPreferredAllocation rpc failed with err: ", answer.status().message()));
    }
    for (const std::string& id : *answer) {
      const int i = list.IndexOf(id);
      if (i >= 0 && among.Test(static_cast<size_t>(i))) out.Set(static_cast<size_t>(i));
    }
    return out;
  };
  const auto shortfall = [&]() {
    return absl::InternalError(
        absl::StrCat("unexpectedly allocated less resources than required. Requested: ",
                     required, ", Got: ", required - pick.needed));
  };

  if (pick.needed < static_cast<int64_t>(split.aligned.Count())) {
    absl::StatusOr<DeviceBits> p = preferred(split.aligned, split.aligned);
    if (!p.ok()) return p.status();
    if (pick.TakeFrom(*p)) return done();
    if (pick.TakeFrom(split.aligned)) return done();
    return shortfall();
  }
  if (pick.TakeFrom(split.aligned)) return done();
  absl::StatusOr<DeviceBits> p = preferred(available, available);
  if (!p.ok()) return p.status();
  if (pick.TakeFrom(*p)) return done();
  if (pick.TakeFrom(split.unaligned)) return done();
  if (pick.TakeFrom(split.no_affinity)) return done();
  return shortfall();
}

}  // namespace podalloc
