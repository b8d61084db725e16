#include "random_hints.h"

#include <algorithm>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace podalloc::testing {
namespace {

// An oracle over an explicit set, relying on HintOracle's default AnyHintBetween.
class SetOracle : public HintOracle {
 public:
  SetOracle(NumaMask nodes, std::vector<TopologyHint> hints)
      : nodes_(nodes), hints_(std::move(hints)) {}
  NumaMask nodes() const override { return nodes_; }
  bool IsHint(NumaMask m) const override { return Find(m) != nullptr; }
  bool IsPreferred(NumaMask m) const override { return Find(m)->preferred; }
  const std::vector<TopologyHint>& hints() const { return hints_; }

 private:
  const TopologyHint* Find(NumaMask m) const {
    for (const auto& h : hints_) {
      if (*h.affinity == m) return &h;
    }
    return nullptr;
  }
  NumaMask nodes_;
  std::vector<TopologyHint> hints_;
};

}  // namespace

NumaMask RandomHints::SubsetOf(NumaMask all, double p) {
  NumaMask m;
  for (int n : all.GetBits()) {
    if (Chance(p)) m.Set(n);
  }
  return m;
}

NumaMask RandomHints::Enumerable(NumaMask all) {
  if (all.Count() <= 10) return all;
  std::vector<int> ids = all.GetBits();
  std::shuffle(ids.begin(), ids.end(), rng_);
  NumaMask m;
  for (int i = 0, n = Uniform(1, 8); i < n; ++i) m.Set(ids[i]);
  return m;
}

std::vector<TopologyHint> RandomHints::ExplicitList(NumaMask all) {
  std::vector<TopologyHint> list;
  if (Chance(0.3)) {
    all = Enumerable(all);
    // Kubelet-shaped: every mask with at least m nodes, preferred when exactly m.
    const int m = Uniform(1, all.Count());
    IterateBitMasks(all.GetBits(), [&](NumaMask mask) {
      if (mask.Count() >= m && (all.Count() <= 4 || Chance(0.5))) {
        list.push_back(TopologyHint::Of(mask, mask.Count() == m));
      }
    });
  } else {
    const int size = Uniform(1, 6);
    for (int i = 0; i < size; ++i) {
      NumaMask m = SubsetOf(all, Chance(0.5) ? 0.3 : 0.6);
      if (m.IsEmpty() && Chance(0.8)) m.Set(all.GetBits()[Uniform(0, all.Count() - 1)]);
      if (Chance(0.05)) m.Set(Uniform(0, 20));  // possibly outside the machine
      list.push_back(TopologyHint::Of(m, Chance(0.5)));
    }
  }
  if (Chance(0.1)) list.push_back(TopologyHint::Any(Chance(0.5)));
  std::shuffle(list.begin(), list.end(), rng_);
  return list;
}

CapacityHints RandomHints::Capacity(NumaMask all) {
  CapacityHints f;
  all = Enumerable(all);  // the kubelet model lists every subset of the family's nodes
  f.nodes = Chance(0.8) ? all : SubsetOf(all, 0.7);
  if (f.nodes.IsEmpty()) f.nodes = all;
  const std::vector<int> ids = f.nodes.GetBits();
  const int demands = Uniform(1, 3);
  std::vector<std::vector<uint64_t>> capacity;
  std::vector<uint64_t> requests;
  for (int d = 0; d < demands; ++d) {
    CapacityDemand demand;
    std::vector<uint64_t> cap(64, 0);
    demand.available.assign(ids.back() + 1, 0);
    uint64_t total = 0;
    for (int n : ids) {
      cap[n] = static_cast<uint64_t>(Uniform(0, 8));
      demand.available[n] = Chance(0.3) ? cap[n] : static_cast<uint64_t>(Uniform(0, int(cap[n])));
      total += demand.available[n];
    }
    demand.request = static_cast<uint64_t>(Uniform(0, static_cast<int>(total) + 3));
    if (Chance(0.2)) demand.base = static_cast<uint64_t>(Uniform(0, 2));
    if (Chance(0.1)) {
      NumaMask m = SubsetOf(f.nodes, 0.5);
      if (!m.IsEmpty()) demand.exact_mask_extra.push_back({m, uint64_t(Uniform(1, 6))});
    }
    capacity.push_back(cap);
    requests.push_back(demand.request);
    f.demands.push_back(std::move(demand));
  }
  if (Chance(0.15)) f.required.Set(ids[Uniform(0, int(ids.size()) - 1)]);
  if (Chance(0.15)) f.not_alone = SubsetOf(f.nodes, 0.3);
  if (Chance(0.2)) {
    f.group_of.assign(64, NumaMask());
    NumaMask g = SubsetOf(f.nodes, 0.4);
    if (Chance(0.3)) g = NumaMask::Single(ids[Uniform(0, int(ids.size()) - 1)]);
    for (int n : g.GetBits()) {
      if (Chance(0.8)) f.group_of[n] = g;
    }
  }
  f.preferred_size = Chance(0.6) ? MinAffinitySize(capacity, requests, f.nodes)
                                 : Uniform(1, f.nodes.Count());
  if (Chance(0.15)) {
    f.socket_of_node.assign(64, 0);
    for (int n : ids) f.socket_of_node[n] = Uniform(0, 1);
    f.preferred_sockets = Uniform(1, 2);
  }
  return f;
}

ResourceHints RandomHints::Resource(NumaMask all) {
  const int kind = Uniform(0, 99);
  if (kind < 10) return ResourceHints::NoPreference();
  if (kind < 18) return ResourceHints::List({});
  if (kind < 53) return ResourceHints::List(ExplicitList(all));
  if (kind < 90) return ResourceHints::Capacity(Capacity(all));
  all = Enumerable(all);
  NumaMask nodes = SubsetOf(all, 0.8);
  if (nodes.IsEmpty()) nodes = all;
  std::vector<TopologyHint> hints;
  const double p = Chance(0.5) ? 0.2 : 0.6;
  IterateBitMasks(nodes.GetBits(), [&](NumaMask m) {
    if (Chance(p)) hints.push_back(TopologyHint::Of(m, Chance(0.4)));
  });
  return ResourceHints::Oracle(std::make_shared<SetOracle>(nodes, std::move(hints)));
}

RandomCase RandomHints::Case(int min_nodes, int max_nodes, int max_providers) {
  RandomCase c;
  const int n = Uniform(min_nodes, max_nodes);
  std::vector<int> ids;
  if (Chance(0.7)) {
    for (int i = 0; i < n; ++i) ids.push_back(i);
  } else {
    std::vector<int> pool(std::max(16, n));
    for (int i = 0; i < static_cast<int>(pool.size()); ++i) pool[i] = i;
    std::shuffle(pool.begin(), pool.end(), rng_);
    ids.assign(pool.begin(), pool.begin() + n);
    std::sort(ids.begin(), ids.end());
  }
  const int width = ids.back() + 1;
  const bool symmetric = Chance(0.7);
  std::vector<std::vector<uint64_t>> d(width, std::vector<uint64_t>(width, 10));
  for (int i = 0; i < width; ++i) {
    for (int j = 0; j < width; ++j) {
      if (i == j) continue;
      if (symmetric && j < i) {
        d[i][j] = d[j][i];
      } else {
        static constexpr uint64_t kTypical[] = {11, 12, 16, 20, 21, 32};
        d[i][j] = Chance(0.7) ? kTypical[Uniform(0, 5)] : uint64_t(Uniform(11, 40));
      }
    }
  }
  NumaMask all;
  for (int id : ids) {
    all.Set(id);
    c.machine.nodes.push_back(id);
    c.machine.distances[id] = d[id];
    c.nodes.push_back({id, d[id]});
  }
  const int p = Uniform(0, 99);
  c.policy = p < 4    ? TopologyPolicy::kNone
             : p < 36 ? TopologyPolicy::kBestEffort
             : p < 68 ? TopologyPolicy::kRestricted
                      : TopologyPolicy::kSingleNumaNode;
  c.prefer_closest = Chance(0.5);
  const int providers = Uniform(1, max_providers);
  for (int i = 0; i < providers; ++i) {
    ProviderHints ph;
    if (!Chance(0.12)) {
      const int resources = Uniform(1, 3);
      for (int r = 0; r < resources; ++r) ph.resources["r" + std::to_string(r)] = Resource(all);
    }
    c.providers.push_back(std::move(ph));
  }
  return c;
}

std::string Describe(const RandomCase& c) {
  std::ostringstream os;
  os << "nodes:";
  for (int n : c.machine.nodes) os << " " << n;
  os << "\npolicy " << TopologyPolicyName(c.policy) << " prefer_closest " << c.prefer_closest;
  os << "\ndistances:";
  for (const auto& [id, row] : c.machine.distances) {
    os << "\n  " << id << ":";
    for (uint64_t v : row) os << " " << v;
  }
  for (size_t p = 0; p < c.providers.size(); ++p) {
    os << "\nprovider " << p << (c.providers[p].resources.empty() ? " (no resources)" : "");
    for (const auto& [name, r] : c.providers[p].resources) {
      os << "\n  " << name << ": ";
      if (r.is_no_preference()) {
        os << "no preference";
        continue;
      }
      std::vector<TopologyHint> list;
      if (r.list()) {
        os << "list ";
        list = *r.list();
      } else if (r.capacity()) {
        const CapacityHints& f = *r.capacity();
        os << "capacity nodes " << f.nodes.ToList() << " required " << f.required.ToList()
           << " not_alone " << f.not_alone.ToList() << " preferred_size " << f.preferred_size
           << " preferred_sockets " << f.preferred_sockets << " groups";
        for (size_t n = 0; n < f.group_of.size(); ++n) {
          if (!f.group_of[n].IsEmpty()) os << " " << n << "->" << f.group_of[n].ToList();
        }
        for (const CapacityDemand& d : f.demands) {
          os << "\n    demand request " << d.request << " base " << d.base << " avail";
          for (uint64_t a : d.available) os << " " << a;
          for (const auto& [m, e] : d.exact_mask_extra) os << " extra " << m.ToList() << "+" << e;
        }
        list = reference::ListCapacityHints(f);
        os << "\n    = ";
      } else {
        os << "oracle ";
        list = reference::ListOracleHints(*r.oracle());
      }
      for (const TopologyHint& h : list) {
        os << (h.affinity ? "[" + h.affinity->ToList() + "]" : std::string("nil"))
           << (h.preferred ? "P " : " ");
      }
    }
  }
  return os.str();
}

}  // namespace podalloc::testing
