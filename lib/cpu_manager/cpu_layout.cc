#include "cpu_layout.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <set>
#include <utility>

namespace podalloc {
namespace internal::cpu {
namespace {

void FillKind(EntityKind& kind, const std::vector<int>& ids,
              const std::function<const CpuSet&(int)>& cpus_of, int nw) {
  kind.ids = ids;
  kind.masks.assign(ids.size() * nw, 0);
  kind.size.assign(ids.size(), 0);
  for (size_t i = 0; i < ids.size(); ++i) {
    const CpuSet& set = cpus_of(ids[i]);
    for (int w = 0; w < nw; ++w) kind.masks[i * nw + w] = set.words()[w];
    kind.size[i] = set.Size();
  }
  kind.min_size = kind.size.empty() ? 0 : *std::min_element(kind.size.begin(), kind.size.end());
}

int IndexOf(const std::vector<int>& ids, int id) {
  auto it = std::lower_bound(ids.begin(), ids.end(), id);
  return it != ids.end() && *it == id ? static_cast<int>(it - ids.begin()) : -1;
}

// Relation lists from (a, b) index pairs: out[a] = ascending distinct b.
std::vector<std::vector<int>> Relate(const std::set<std::pair<int, int>>& pairs, int n) {
  std::vector<std::vector<int>> out(n);
  for (const auto& [a, b] : pairs) out[a].push_back(b);
  return out;
}

}  // namespace

CpuSet WordsToCpuSet(const Words& w, int nw) {
  CpuSet out;
  for (int i = 0; i < nw; ++i) {
    for (uint64_t b = w[i]; b != 0; b &= b - 1) out.Add(i * 64 + std::countr_zero(b));
  }
  return out;
}

std::shared_ptr<const CpuLayoutData> BuildLayout(const Topology& t) {
  auto d = std::make_shared<CpuLayoutData>();
  d->all = t.cpus();
  const int max_cpu = d->all.IsEmpty() ? 0 : d->all.ToVector().back();
  d->nw = max_cpu / 64 + 1;
  const int nw = d->nw;
  for (int w = 0; w < nw; ++w) d->all_words[w] = d->all.words()[w];
  d->num_cpus = d->all.Size();

  std::vector<int> numa_ids;
  for (int id : t.NumaIds()) {
    if (!t.CpusInNumaNode(id).IsEmpty()) numa_ids.push_back(id);
  }
  FillKind(
      d->sockets, t.SocketIds(), [&](int id) -> const CpuSet& { return t.CpusInSocket(id); }, nw);
  FillKind(
      d->numas, numa_ids, [&](int id) -> const CpuSet& { return t.CpusInNumaNode(id); }, nw);
  FillKind(
      d->cores, t.CoreIds(), [&](int id) -> const CpuSet& { return t.CpusInCore(id); }, nw);
  FillKind(
      d->uncores, t.UncoreIds(), [&](int id) -> const CpuSet& { return t.CpusInUncoreCache(id); },
      nw);

  const int slots = max_cpu + 1;
  d->core_of.assign(slots, -1);
  d->socket_of.assign(slots, -1);
  d->numa_of.assign(slots, -1);
  d->uncore_of.assign(slots, -1);
  std::set<std::pair<int, int>> core_socket, core_numa, socket_numa, numa_socket, uncore_numa;
  for (int cpu : d->all) {
    const CpuInfo* info = t.cpu(cpu);
    const int c = IndexOf(d->cores.ids, info->core_id);
    const int s = IndexOf(d->sockets.ids, info->socket_id);
    const int n = IndexOf(d->numas.ids, info->numa_id);
    const int u = IndexOf(d->uncores.ids, info->uncore_id);
    d->core_of[cpu] = c;
    d->socket_of[cpu] = s;
    d->numa_of[cpu] = n;
    d->uncore_of[cpu] = u;
    core_socket.insert({s, c});
    core_numa.insert({n, c});
    socket_numa.insert({n, s});
    numa_socket.insert({s, n});
    uncore_numa.insert({n, u});
  }
  d->cores_in_socket = Relate(core_socket, d->sockets.count());
  d->cores_in_numa = Relate(core_numa, d->numas.count());
  d->sockets_in_numa = Relate(socket_numa, d->numas.count());
  d->numas_in_socket = Relate(numa_socket, d->sockets.count());
  d->uncores_in_numa = Relate(uncore_numa, d->numas.count());

  d->core_cpu_begin.assign(d->cores.count() + 1, 0);
  for (int c = 0; c < d->cores.count(); ++c) {
    d->core_cpu_begin[c] = static_cast<int>(d->core_cpus.size());
    for (int cpu : t.CpusInCore(d->cores.ids[c])) d->core_cpus.push_back(cpu);
  }
  d->core_cpu_begin[d->cores.count()] = static_cast<int>(d->core_cpus.size());

  d->cpus_per_core = t.CpusPerCore();
  d->cpus_per_socket = t.CpusPerSocket();
  d->cpus_per_uncore = t.CpusPerUncoreCache();
  d->header_num_numa = t.NumNumaNodes();
  d->header_num_sockets = t.NumSockets();
  d->numa_first = t.NumSockets() >= t.NumNumaNodes();
  // A socket listed under two NUMA nodes (or the reverse) would appear twice in the kubelet's
  // lists; only then are the lists materialised in full.
  std::vector<int> seen(std::max(d->sockets.count(), d->numas.count()), 0);
  const auto& second_level = d->numa_first ? d->sockets_in_numa : d->numas_in_socket;
  for (const auto& list : second_level) {
    for (int e : list) {
      if (++seen[e] > 1) d->tree = false;
    }
  }
  return d;
}

}  // namespace internal::cpu

CpuLayout::CpuLayout(const Topology& topology) : data_(internal::cpu::BuildLayout(topology)) {}

const CpuSet& CpuLayout::cpus() const { return data_->all; }
const std::vector<int>& CpuLayout::numa_ids() const { return data_->numas.ids; }
const std::vector<int>& CpuLayout::socket_ids() const { return data_->sockets.ids; }
int CpuLayout::cpus_per_core() const { return data_->cpus_per_core; }

namespace {
CpuSet MaskToSet(const uint64_t* mask, int nw) {
  internal::cpu::Words w{};
  for (int i = 0; i < nw; ++i) w[i] = mask[i];
  return internal::cpu::WordsToCpuSet(w, nw);
}
}  // namespace

CpuSet CpuLayout::CpusInNumaNode(int id) const {
  const auto& ids = data_->numas.ids;
  auto it = std::lower_bound(ids.begin(), ids.end(), id);
  if (it == ids.end() || *it != id) return CpuSet();
  return MaskToSet(data_->numas.mask(static_cast<int>(it - ids.begin()), data_->nw), data_->nw);
}

CpuSet CpuLayout::CpusInSocket(int id) const {
  const auto& ids = data_->sockets.ids;
  auto it = std::lower_bound(ids.begin(), ids.end(), id);
  if (it == ids.end() || *it != id) return CpuSet();
  return MaskToSet(data_->sockets.mask(static_cast<int>(it - ids.begin()), data_->nw), data_->nw);
}

CpuSet CpuLayout::CoreSiblingsOf(const CpuSet& cpus) const {
  CpuSet out;
  const internal::cpu::CpuLayoutData& d = *data_;
  for (int cpu : cpus) {
    if (cpu >= static_cast<int>(d.core_of.size()) || d.core_of[cpu] < 0) continue;
    const int c = d.core_of[cpu];
    for (int i = d.core_cpu_begin[c]; i < d.core_cpu_begin[c + 1]; ++i) out.Add(d.core_cpus[i]);
  }
  return out;
}

std::vector<int> CpuLayout::SocketsOfNumaNodes(const std::vector<int>& numa_ids) const {
  const internal::cpu::CpuLayoutData& d = *data_;
  std::set<int> sockets;
  for (int id : numa_ids) {
    const int n = internal::cpu::IndexOf(d.numas.ids, id);
    if (n < 0) continue;
    for (int s : d.sockets_in_numa[n]) sockets.insert(d.sockets.ids[s]);
  }
  return std::vector<int>(sockets.begin(), sockets.end());
}

}  // namespace podalloc
