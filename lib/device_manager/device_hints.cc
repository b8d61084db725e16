// generateDeviceTopologyHints as a hint family. Devices only count through the nodes they are
// local to; a node without devices never changes a mask's count, only its size, which is why
// a compact form exists at all (the kubelet's walk stalls on machines with dozens of
// device-less NUMA nodes).
#include "podalloc/device_hints.h"

#include <algorithm>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace podalloc {
namespace {

// Restricted to `universe`, without the devices that have no node in it.
std::vector<NumaMask> Within(const std::vector<NumaMask>& devices, NumaMask universe) {
  std::vector<NumaMask> out;
  out.reserve(devices.size());
  for (NumaMask d : devices) {
    if (!(d & universe).IsEmpty()) out.push_back(d & universe);
  }
  return out;
}

int CountTouching(const std::vector<NumaMask>& masks, NumaMask m) {
  int n = 0;
  for (NumaMask d : masks) n += (d & m).IsEmpty() ? 0 : 1;
  return n;
}

// Calls f(S) for every subset S of `pool` with |S| == k until f returns true.
template <typename F>
bool AnySubsetOfSize(NumaMask pool, int k, F&& f) {
  const std::vector<int> ids = pool.GetBits();
  const int n = static_cast<int>(ids.size());
  if (k < 0 || k > n) return false;
  std::vector<int> pos(k);
  for (int i = 0; i < k; ++i) pos[i] = i;
  while (true) {
    NumaMask s;
    for (int p : pos) s.Set(ids[p]);
    if (f(s)) return true;
    int i = k - 1;
    while (i >= 0 && pos[i] == n - k + i) --i;
    if (i < 0) return false;
    ++pos[i];
    for (int j = i + 1; j < k; ++j) pos[j] = pos[j - 1] + 1;
  }
}

// The kubelet's minimum mask size over registered devices: the fewest nodes whose devices
// reach `request`, |universe| when none do. Only device-hosting nodes matter (any other
// node adds nothing), so subsets of those are searched by size.
int MinSize(const std::vector<NumaMask>& all, NumaMask universe, int64_t request) {
  const int n = universe.Count();
  if (request <= 0) return std::min(1, n);
  NumaMask hosts;
  bool single = true;
  for (NumaMask d : all) {
    hosts |= d;
    single = single && d.Count() == 1;
  }
  if (single) {
    // Devices on one node each: a capacity per node, for which the shared search is exact.
    std::vector<uint64_t> per_node(NumaMask::kMaxNodes, 0);
    for (NumaMask d : all) ++per_node[d.First()];
    return MinAffinitySize({per_node}, {static_cast<uint64_t>(request)}, universe);
  }
  for (int k = 1; k <= std::min(hosts.Count(), n); ++k) {
    if (AnySubsetOfSize(hosts, k, [&](NumaMask s) { return CountTouching(all, s) >= request; })) {
      return k;
    }
  }
  return n;
}

// The rule for devices local to several nodes: exact, answered by searching subsets of the
// device-hosting nodes only.
class DeviceHintOracle final : public HintOracle {
 public:
  DeviceHintOracle(NumaMask universe, std::vector<NumaMask> available,
                   std::vector<NumaMask> reusable, int64_t request, int min_size)
      : universe_(universe), available_(std::move(available)), reusable_(std::move(reusable)),
        request_(request), min_size_(min_size) {
    for (NumaMask d : available_) hosts_ |= d;
    for (NumaMask d : reusable_) hosts_ |= d;
  }

  NumaMask nodes() const override { return universe_; }

  bool IsHint(NumaMask mask) const override {
    if (mask.IsEmpty() || !mask.IsSubsetOf(universe_)) return false;
    for (NumaMask r : reusable_) {
      if ((r & mask).IsEmpty()) return false;
    }
    return static_cast<int64_t>(reusable_.size()) + CountTouching(available_, mask) >= request_;
  }
  bool IsPreferred(NumaMask mask) const override { return mask.Count() == min_size_; }

  // Hints are closed upwards, so the widest candidate settles existence, and a preferred one
  // exists when some hint between the bounds has at most min_size nodes (then pad it).
  bool AnyHintBetween(NumaMask lower, NumaMask upper, bool preferred_only) const override {
    upper &= universe_;
    if (!lower.IsSubsetOf(upper) || upper.IsEmpty()) return false;
    if (!IsHint(upper)) return false;
    if (!preferred_only) return true;
    const int k = min_size_;
    if (lower.Count() > k || upper.Count() < k) return false;
    const NumaMask pool = NumaMask::FromBits(hosts_.bits() & upper.bits() & ~lower.bits());
    for (int s = 0; s <= k - lower.Count(); ++s) {
      if (AnySubsetOfSize(pool, s, [&](NumaMask extra) {
            NumaMask m = lower | extra;
            if (m.IsEmpty()) m = NumaMask::Single(upper.First());
            return IsHint(m);
          })) {
        return true;
      }
    }
    return false;
  }

 private:
  NumaMask universe_;
  std::vector<NumaMask> available_;
  std::vector<NumaMask> reusable_;
  int64_t request_;
  int min_size_;
  NumaMask hosts_;
};

}  // namespace

NumaMask DeviceNodes(const std::vector<int64_t>& ids, NumaMask machine) {
  NumaMask m;
  for (int64_t id : ids) {
    if (id >= 0 && id < NumaMask::kMaxNodes && machine.IsSet(static_cast<int>(id))) {
      m.Set(static_cast<int>(id));
    }
  }
  return m;
}

ResourceHints GenerateDeviceHints(const DeviceHintRequest& in) {
  DeviceHintMasks masks;
  for (int id : in.numa_nodes) {
    if (id >= 0 && id < NumaMask::kMaxNodes) masks.machine.Set(id);
  }
  const auto add = [&](const std::vector<DeviceTopology>& from, std::vector<NumaMask>& to) {
    for (const DeviceTopology& t : from) {
      if (t) to.push_back(DeviceNodes(*t, masks.machine));
    }
  };
  add(in.all, masks.all);
  add(in.available, masks.available);
  for (const DeviceTopology& t : in.reusable) {
    masks.reusable.push_back(t ? std::optional<NumaMask>(DeviceNodes(*t, masks.machine))
                               : std::nullopt);
  }
  masks.request = in.request;
  masks.options = in.options;
  return GenerateDeviceHints(masks);
}

ResourceHints GenerateDeviceHints(const DeviceHintMasks& in) {
  NumaMask universe = in.machine;
  if (in.options.only_device_nodes) {
    // PR #138244: the walk covers the nodes hosting a registered device, or every node when
    // none does.
    NumaMask hosts;
    for (NumaMask d : in.all) hosts |= d & in.machine;
    if (!hosts.IsEmpty()) universe = hosts;
  }
  const std::vector<NumaMask> all = Within(in.all, universe);
  const int64_t request = std::max<int64_t>(in.request, 0);
  std::vector<NumaMask> available = Within(in.available, universe);
  std::vector<NumaMask> reusable;
  for (const std::optional<NumaMask>& t : in.reusable) {
    if (!t) continue;  // skipped: neither counted nor constraining
    const NumaMask m = *t & universe;
    // A reusable device local to no node of the walk rules out every mask.
    if (m.IsEmpty()) return ResourceHints::List({});
    reusable.push_back(m);
  }
  const int min_size = MinSize(all, universe, request);
  const auto single = [](const std::vector<NumaMask>& v) {
    return std::all_of(v.begin(), v.end(), [](NumaMask m) { return m.Count() == 1; });
  };
  if (single(available) && single(reusable)) {
    CapacityHints family;
    family.nodes = universe;
    CapacityDemand demand;
    demand.available.assign(NumaMask::kMaxNodes, 0);
    for (NumaMask d : available) ++demand.available[d.First()];
    demand.base = reusable.size();
    demand.request = static_cast<uint64_t>(request);
    family.demands.push_back(std::move(demand));
    for (NumaMask r : reusable) family.required |= r;
    family.preferred_size = min_size;
    return ResourceHints::Capacity(std::move(family));
  }
  return ResourceHints::Oracle(std::make_shared<DeviceHintOracle>(
      universe, std::move(available), std::move(reusable), request, min_size));
}

absl::StatusOr<std::optional<std::vector<TopologyHint>>> ExpandDeviceHints(
    const ResourceHints& hints) {
  if (hints.is_no_preference()) return std::optional<std::vector<TopologyHint>>();
  if (const std::vector<TopologyHint>* list = hints.list()) {
    return std::optional<std::vector<TopologyHint>>(*list);
  }
  if (const CapacityHints* family = hints.capacity()) {
    absl::StatusOr<std::vector<TopologyHint>> list = ExpandHints(*family);
    if (!list.ok()) return list.status();
    return std::optional<std::vector<TopologyHint>>(*std::move(list));
  }
  const HintOracle* oracle = hints.oracle();
  if (oracle == nullptr) return absl::InvalidArgumentError("null hint oracle");
  const std::vector<int> ids = oracle->nodes().GetBits();
  if (ids.size() > 24) {
    return absl::ResourceExhaustedError(
        absl::StrCat("expanding device hints over ", ids.size(), " NUMA nodes"));
  }
  std::vector<TopologyHint> out;
  IterateBitMasks(ids, [&](NumaMask m) {
    if (oracle->IsHint(m)) out.push_back(TopologyHint::Of(m, oracle->IsPreferred(m)));
  });
  return std::optional<std::vector<TopologyHint>>(std::move(out));
}

}  // namespace podalloc
