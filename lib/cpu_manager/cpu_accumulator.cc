// The kubelet's cpuAccumulator: its take() and the sorted entity lists every step walks.
#include <algorithm>
#include <memory>

#include "cpu_layout.h"

namespace podalloc {
namespace internal::cpu {

Accumulator::Accumulator(const CpuLayoutData& layout, const CpuSet& available, int num_cpus,
                         CpuSortingStrategy sorting)
    : L(layout), strategy(sorting), needed(num_cpus) {
  // CPUDetails.KeepOnly(available): CPUs unknown to the topology are dropped.
  for (int i = 0; i < L.nw; ++i) free[i] = available.words()[i] & L.all_words[i];
}

int Accumulator::FreeCount() const {
  int n = 0;
  for (int i = 0; i < L.nw; ++i) n += std::popcount(free[i]);
  return n;
}

int Accumulator::CoreFree(int c) const {
  int n = 0;
  for (int i = L.core_cpu_begin[c]; i < L.core_cpu_begin[c + 1]; ++i) {
    n += TestBit(free.data(), L.core_cpus[i]);
  }
  return n;
}

void Accumulator::TakeMask(const uint64_t* mask) {
  int n = 0;
  for (int i = 0; i < L.nw; ++i) {
    const uint64_t taken = mask[i] & free[i];
    result[i] |= taken;
    free[i] &= ~taken;
    n += std::popcount(taken);
  }
  needed -= n;
}

void Accumulator::TakeWords(const Words& w) { TakeMask(w.data()); }

void Accumulator::TakeCpu(int cpu) {
  if (!TestBit(free.data(), cpu)) return;
  result[cpu >> 6] |= uint64_t{1} << (cpu & 63);
  free[cpu >> 6] &= ~(uint64_t{1} << (cpu & 63));
  needed -= 1;
}

void Accumulator::TakeAsKubelet(const Words& w) {
  int n = 0;
  for (int i = 0; i < L.nw; ++i) {
    result[i] |= w[i];
    free[i] &= ~result[i];
    n += std::popcount(w[i]);
  }
  needed -= n;
}

template <typename F>
void Accumulator::SortByFree(std::vector<int>& v, F count) {
  std::vector<std::pair<int, int>> keyed;
  keyed.reserve(v.size());
  for (int e : v) keyed.emplace_back(count(e), e);
  std::sort(keyed.begin(), keyed.end());
  for (size_t i = 0; i < v.size(); ++i) v[i] = keyed[i].second;
}

// Children of each parent (in the parents' order) that hold a free CPU in that parent, each
// run sorted by the child's own free count: the kubelet's hierarchical sort.
template <typename Count>
std::vector<int> Accumulator::Under(const std::vector<int>& parents, const EntityKind& parent_kind,
                                    const std::vector<std::vector<int>>& children,
                                    const EntityKind& child_kind, Count count) const {
  std::vector<int> out;
  for (int p : parents) {
    std::vector<int> part;
    for (int c : children[p]) {
      if (PopcountAnd3(free.data(), parent_kind.mask(p, L.nw), child_kind.mask(c, L.nw), L.nw) >
          0) {
        part.push_back(c);
      }
    }
    SortByFree(part, count);
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

// Every entity of a kind with a free CPU, sorted by free count.
template <typename Count>
std::vector<int> Accumulator::Flat(const EntityKind& kind, Count count) const {
  std::vector<int> out;
  for (int e = 0; e < kind.count(); ++e) {
    if (count(e) > 0) out.push_back(e);
  }
  SortByFree(out, count);
  return out;
}

std::vector<int> Accumulator::SortedNumas() const {
  auto count = [&](int n) { return NumaFree(n); };
  if (L.numa_first) return Flat(L.numas, count);
  return Under(SortedSockets(), L.sockets, L.numas_in_socket, L.numas, count);
}

std::vector<int> Accumulator::SortedSockets() const {
  auto count = [&](int s) { return SocketFree(s); };
  if (!L.numa_first) return Flat(L.sockets, count);
  return Under(SortedNumas(), L.numas, L.sockets_in_numa, L.sockets, count);
}

std::vector<int> Accumulator::SortedCores() const {
  std::vector<int> out;
  for (int g : CoreGroups()) {
    std::vector<int> part;
    for (int c : CoresOfGroup(g)) {
      if (CoreFree(c) > 0) part.push_back(c);
    }
    SortByFree(part, [&](int c) { return CoreFree(c); });
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

std::vector<int> Accumulator::SortedUncores() const {
  return Under(SortedNumas(), L.numas, L.uncores_in_numa, L.uncores,
               [&](int u) { return UncoreFree(u); });
}

std::vector<int> Accumulator::FreeNumas() const {
  std::vector<int> out;
  for (int n : SortedNumas()) {
    if (NumaFree(n) == L.numas.size[n]) out.push_back(n);
  }
  return out;
}

std::vector<int> Accumulator::FreeSockets() const {
  // The kubelet compares with CPUsPerSocket (header arithmetic), not the socket's own size.
  std::vector<int> out;
  for (int s : SortedSockets()) {
    if (SocketFree(s) == L.cpus_per_socket) out.push_back(s);
  }
  return out;
}

std::vector<int> Accumulator::FreeCores() const {
  std::vector<int> out;
  for (int c : SortedCores()) {
    if (CoreFree(c) == L.cpus_per_core) out.push_back(c);
  }
  return out;
}

std::vector<int> Accumulator::FreeUncores() const {
  std::vector<int> out;
  for (int u : SortedUncores()) {
    if (UncoreFree(u) == L.uncores.size[u]) out.push_back(u);
  }
  return out;
}

std::vector<int> Accumulator::PackedCpus() const {
  std::vector<int> out;
  for (int c : SortedCores()) {
    for (int i = L.core_cpu_begin[c]; i < L.core_cpu_begin[c + 1]; ++i) {
      if (TestBit(free.data(), L.core_cpus[i])) out.push_back(L.core_cpus[i]);
    }
  }
  return out;
}

std::vector<int> Accumulator::SpreadCpus() const {
  std::vector<int> out;
  for (int s : SortedSockets()) {
    const uint64_t* mask = L.sockets.mask(s, L.nw);
    for (int i = 0; i < L.nw; ++i) {
      for (uint64_t b = free[i] & mask[i]; b != 0; b &= b - 1) {
        out.push_back(i * 64 + std::countr_zero(b));
      }
    }
  }
  return out;
}

}  // namespace internal::cpu

namespace {
std::vector<int> ToIds(const std::vector<int>& indices, const std::vector<int>& ids) {
  std::vector<int> out;
  out.reserve(indices.size());
  for (int i : indices) out.push_back(ids[i]);
  return out;
}
}  // namespace

CpuAccumulator::CpuAccumulator(const CpuLayout& layout, const CpuSet& available, int num_cpus,
                               CpuSortingStrategy strategy)
    : acc_(std::make_unique<internal::cpu::Accumulator>(layout.data(), available, num_cpus,
                                                        strategy)) {}
CpuAccumulator::~CpuAccumulator() = default;

std::vector<int> CpuAccumulator::FreeNumaNodes() const {
  return ToIds(acc_->FreeNumas(), acc_->L.numas.ids);
}
std::vector<int> CpuAccumulator::FreeSockets() const {
  return ToIds(acc_->FreeSockets(), acc_->L.sockets.ids);
}
std::vector<int> CpuAccumulator::FreeCores() const {
  return ToIds(acc_->FreeCores(), acc_->L.cores.ids);
}
std::vector<int> CpuAccumulator::FreeCpus() const { return acc_->OrderedCpus(); }

void CpuAccumulator::Take(const CpuSet& cpus) {
  // The kubelet lowers the count by the size of the whole set, whatever it holds.
  internal::cpu::Words w{};
  int in_words = 0;
  for (int i = 0; i < acc_->L.nw; ++i) {
    w[i] = cpus.words()[i];
    in_words += std::popcount(w[i]);
  }
  acc_->TakeAsKubelet(w);
  acc_->needed -= cpus.Size() - in_words;
}
bool CpuAccumulator::IsSatisfied() const { return acc_->IsSatisfied(); }
bool CpuAccumulator::IsFailed() const { return acc_->IsFailed(); }
int CpuAccumulator::NumCpusNeeded() const { return acc_->needed; }
CpuSet CpuAccumulator::Result() const {
  return internal::cpu::WordsToCpuSet(acc_->result, acc_->L.nw);
}

}  // namespace podalloc
