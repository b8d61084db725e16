// The hints calculateHints lists, answered without listing them. A mask is a hint when
//  1. its nodes' allocatable bytes cover the request for every resource,
//  2. a single node is not part of a larger group, and in a multi-node mask every node
//     already in use belongs to a multi-node group equal to the mask,
//  3. its nodes' free bytes, plus what the pod's init containers left reusable on exactly
//     this mask, cover the request.
// A node that does not track a requested resource at all is in no hint (the kubelet would
// crash on it; cadvisor lists every hugepage size on every node, so it does not happen there).
// Preferred hints are those with minAffinitySize nodes, the fewest nodes passing rule 1
// alone (the kubelet lowers minAffinitySize before it applies rules 2 and 3).
//
// By rule 2 the multi-node hints are the unused-node subsets and the existing groups, so
// the narrowest hint containing a mask is the best of: a single node, an existing group, a
// mask with reusable memory, and the fewest unused nodes covering the request.
#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "cover_search.h"
#include "podalloc/memory_manager.h"

namespace podalloc {
namespace {

uint64_t SaturatingAdd(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

bool Narrower(NumaMask a, NumaMask b) { return a.IsNarrowerThan(b); }

}  // namespace

struct MemoryHintSpace::Impl {
  std::vector<int> ids;  // machine nodes, ascending
  int index_of[NumaMask::kMaxNodes];
  std::vector<int64_t> assignments;  // per node
  std::vector<NumaMask> cells;       // per node
  std::vector<uint64_t> request;     // per requested resource
  std::vector<uint64_t> free, allocatable;  // [node * resources + r]
  std::vector<std::pair<NumaMask, std::vector<uint64_t>>> reusable;  // per exact mask
  NumaMask machine, unused;
  NumaMask offers_all;  // nodes with a table for every requested resource
  bool free_exceeds_allocatable = false;
  int min_affinity = 0;

  size_t dims() const { return request.size(); }
  int Index(int id) const { return index_of[id]; }

  uint64_t Reusable(NumaMask mask, size_t r) const {
    for (const auto& [m, bytes] : reusable) {
      if (m == mask) return bytes[r];
    }
    return 0;
  }

  bool Covers(NumaMask mask, const std::vector<uint64_t>& per_node, const NumaMask* reuse) const {
    for (size_t r = 0; r < dims(); ++r) {
      uint64_t sum = reuse != nullptr ? Reusable(*reuse, r) : 0;
      for (uint64_t bits = mask.bits(); bits != 0; bits &= bits - 1) {
        sum = SaturatingAdd(sum, per_node[Index(std::countr_zero(bits)) * dims() + r]);
      }
      if (sum < request[r]) return false;
    }
    return true;
  }

  bool GroupAllows(NumaMask mask) const {
    if (mask.Count() == 1) return cells[Index(mask.First())].Count() <= 1;
    for (int id : mask.GetBits()) {
      const int i = Index(id);
      if (assignments[i] > 0 && (cells[i].Count() == 1 || cells[i] != mask)) return false;
    }
    return true;
  }

  bool IsHint(NumaMask mask) const {
    return !mask.IsEmpty() && mask.IsSubsetOf(offers_all) && Covers(mask, allocatable, nullptr) &&
           GroupAllows(mask) && Covers(mask, free, &mask);
  }

  internal::CoverProblem Problem(NumaMask pool, const std::vector<uint64_t>& per_node,
                                 bool with_allocatable, NumaMask required) const {
    internal::CoverProblem p;
    p.dims = with_allocatable ? 2 * dims() : dims();
    p.need = request;
    if (with_allocatable) p.need.insert(p.need.end(), request.begin(), request.end());
    auto value = [&](int id, size_t d) {
      const size_t at = Index(id) * dims() + d % dims();
      return d < dims() ? per_node[at] : allocatable[at];
    };
    for (int id : required.GetBits()) {
      for (size_t d = 0; d < p.dims; ++d) p.need[d] = p.need[d] > value(id, d) ? p.need[d] - value(id, d) : 0;
    }
    for (int id : pool.GetBits()) {
      if (required.IsSet(id)) continue;
      p.ids.push_back(id);
      for (size_t d = 0; d < p.dims; ++d) p.values.push_back(value(id, d));
    }
    return p;
  }

  // The narrowest set of unused nodes (at least two) containing `required` whose free
  // bytes alone cover the request.
  std::optional<NumaMask> NarrowestUnused(NumaMask required) const {
    const NumaMask pool = unused & offers_all;
    if (!required.IsSubsetOf(pool)) return std::nullopt;
    internal::CoverProblem p = Problem(pool, free, free_exceeds_allocatable, required);
    const int at_least = std::max(2 - required.Count(), 0);
    std::optional<int> extra = internal::FewestCovering(p, at_least);
    if (!extra) return std::nullopt;
    std::optional<NumaMask> rest = internal::SmallestCover(p, *extra);
    if (!rest) return std::nullopt;
    return *rest | required;
  }
};

MemoryHintSpace::MemoryHintSpace(const MemoryMachineState& machine, const MemoryAmounts& request,
                                 const std::map<ReusableMemoryKey, uint64_t>* reusable)
    : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  std::fill(std::begin(s.index_of), std::end(s.index_of), -1);
  for (const MemoryAmount& a : request) s.request.push_back(a.bytes);
  const size_t dims = request.size();
  for (const MemoryNumaNodeState& node : machine.nodes) {
    s.index_of[node.id] = static_cast<int>(s.ids.size());
    s.ids.push_back(node.id);
    s.machine.Set(node.id);
    if (node.number_of_assignments <= 0) s.unused.Set(node.id);
    s.assignments.push_back(node.number_of_assignments);
    s.cells.push_back(node.cells);
    bool offers_all = true;
    for (const MemoryAmount& a : request) {
      // A node that does not track a resource offers none of it.
      const MemoryTable* t = node.Find(a.resource);
      s.free.push_back(t != nullptr ? t->free : 0);
      s.allocatable.push_back(t != nullptr ? t->allocatable : 0);
      if (t != nullptr && t->free > t->allocatable) s.free_exceeds_allocatable = true;
      if (t == nullptr) offers_all = false;
    }
    if (offers_all) s.offers_all.Set(node.id);
  }
  if (reusable != nullptr) {
    for (const auto& [key, bytes] : *reusable) {
      auto it = std::find_if(request.begin(), request.end(),
                             [&resource = key.resource](const MemoryAmount& a) {
                               return a.resource == resource;
                             });
      if (it == request.end() || bytes == 0) continue;
      const NumaMask mask = NumaMask::FromBits(key.mask_bits);
      auto entry = std::find_if(s.reusable.begin(), s.reusable.end(),
                                [&](const auto& e) { return e.first == mask; });
      if (entry == s.reusable.end()) {
        s.reusable.emplace_back(mask, std::vector<uint64_t>(dims, 0));
        entry = s.reusable.end() - 1;
      }
      entry->second[static_cast<size_t>(it - request.begin())] = bytes;
    }
  }
  // minAffinitySize starts at the node count and only goes down.
  s.min_affinity = static_cast<int>(s.ids.size());
  if (!s.ids.empty()) {
    internal::CoverProblem p = s.Problem(s.offers_all, s.allocatable, false, NumaMask());
    if (std::optional<int> fewest = internal::FewestCovering(p, 1)) {
      s.min_affinity = std::min(s.min_affinity, *fewest);
    }
  }
}

MemoryHintSpace::MemoryHintSpace(MemoryHintSpace&&) noexcept = default;
MemoryHintSpace& MemoryHintSpace::operator=(MemoryHintSpace&&) noexcept = default;
MemoryHintSpace::~MemoryHintSpace() = default;

int MemoryHintSpace::MinAffinitySize() const { return impl_->min_affinity; }

std::optional<MemoryHint> MemoryHintSpace::Find(NumaMask mask) const {
  if (!impl_->IsHint(mask)) return std::nullopt;
  return MemoryHint{mask, mask.Count() == impl_->min_affinity};
}

std::optional<MemoryHint> MemoryHintSpace::NarrowestContaining(NumaMask mask) const {
  const Impl& s = *impl_;
  if (!mask.IsSubsetOf(s.machine)) return std::nullopt;
  std::optional<NumaMask> best;
  auto consider = [&](NumaMask candidate) {
    if (!mask.IsSubsetOf(candidate) || !s.IsHint(candidate)) return;
    if (!best || Narrower(candidate, *best)) best = candidate;
  };
  if (mask.Count() <= 1) {
    for (int id : s.ids) {
      if (mask.IsEmpty() || mask.IsSet(id)) consider(NumaMask::Single(id));
    }
  }
  for (size_t i = 0; i < s.ids.size(); ++i) {
    if (s.assignments[i] > 0 && s.cells[i].Count() > 1) consider(s.cells[i]);
  }
  for (const auto& entry : s.reusable) consider(entry.first);
  if (std::optional<NumaMask> unused = s.NarrowestUnused(mask)) {
    // Free bytes cover the request on their own here; the other rules still apply.
    consider(*unused);
  }
  if (!best) return std::nullopt;
  return MemoryHint{*best, best->Count() == s.min_affinity};
}

absl::StatusOr<std::vector<MemoryHint>> MemoryHintSpace::Enumerate() const {
  const Impl& s = *impl_;
  if (s.ids.size() > static_cast<size_t>(kMaxEnumeratedNumaNodes)) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "listing memory hints on ", s.ids.size(), " NUMA nodes would try 2^", s.ids.size(),
        " masks; at most ", kMaxEnumeratedNumaNodes, " nodes are listed"));
  }
  std::vector<MemoryHint> out;
  IterateBitMasks(s.ids, [&](NumaMask m) {
    if (s.IsHint(m)) out.push_back(MemoryHint{m, m.Count() == s.min_affinity});
  });
  return out;
}

}  // namespace podalloc
