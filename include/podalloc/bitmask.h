// File: podalloc/bitmask.h
// NumaMask: the topology manager's NUMA affinity mask, one bit per NUMA node id 0..63.
// Mirrors pkg/kubelet/cm/topologymanager/bitmask, including its orderings: "less than" is
// numeric order of the 64-bit value, and "narrower than" means fewer nodes, ties broken by
// numeric order. A regular value type (8 bytes), thread-compatible.
#pragma once

#include <bit>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace podalloc {

class NumaMask {
 public:
  static constexpr int kMaxNodes = 64;

  constexpr NumaMask() = default;
  static constexpr NumaMask FromBits(uint64_t bits) { return NumaMask(bits); }
  // A mask of the given ids; an id outside 0..63 is an error and no mask is made.
  [[nodiscard]] static absl::StatusOr<NumaMask> New(const std::vector<int>& ids);
  // Ids outside 0..63 are ignored (for literals in code and tests).
  NumaMask(std::initializer_list<int> ids);
  // Every id in 0..n-1 (the kubelet's "default affinity" for n NUMA nodes).
  static constexpr NumaMask FirstN(int n) {
    return NumaMask(n >= 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1);
  }
  static constexpr NumaMask Single(int id) { return NumaMask(uint64_t{1} << id); }

  // Adds/removes every id, or returns an error naming the first bad id and leaves the mask
  // exactly as it was.
  [[nodiscard]] absl::Status Add(const std::vector<int>& ids);
  [[nodiscard]] absl::Status Remove(const std::vector<int>& ids);
  void Set(int id) { bits_ |= uint64_t{1} << id; }  // precondition: 0 <= id < 64
  void Clear() { bits_ = 0; }
  void Fill() { bits_ = ~uint64_t{0}; }

  constexpr uint64_t bits() const { return bits_; }
  constexpr bool IsEmpty() const { return bits_ == 0; }
  constexpr bool IsSet(int id) const {
    return id >= 0 && id < kMaxNodes && ((bits_ >> id) & 1u);
  }
  bool AnySet(const std::vector<int>& ids) const;
  constexpr int Count() const { return std::popcount(bits_); }
  // Ascending ids.
  std::vector<int> GetBits() const;
  // Lowest set id, or -1.
  constexpr int First() const { return bits_ == 0 ? -1 : std::countr_zero(bits_); }
  constexpr bool IsSubsetOf(NumaMask o) const { return (bits_ & ~o.bits_) == 0; }

  // Numeric order of the underlying value.
  constexpr bool IsLessThan(NumaMask o) const { return bits_ < o.bits_; }
  constexpr bool IsGreaterThan(NumaMask o) const { return bits_ > o.bits_; }
  // Fewer nodes, or as many nodes and numerically smaller.
  constexpr bool IsNarrowerThan(NumaMask o) const {
    int a = Count(), b = o.Count();
    return a == b ? bits_ < o.bits_ : a < b;
  }

  // The kubelet's String(): binary, most significant bit first, zero-padded to the width
  // its rule gives (see the spec); used in messages and logs.
  std::string ToString() const;
  // Ids as a list, "0,2,3" (empty string for the empty mask); the human-facing form.
  std::string ToList() const;

  constexpr NumaMask operator&(NumaMask o) const { return NumaMask(bits_ & o.bits_); }
  constexpr NumaMask operator|(NumaMask o) const { return NumaMask(bits_ | o.bits_); }
  constexpr NumaMask& operator&=(NumaMask o) { bits_ &= o.bits_; return *this; }
  constexpr NumaMask& operator|=(NumaMask o) { bits_ |= o.bits_; return *this; }
  friend constexpr bool operator==(NumaMask, NumaMask) = default;

  template <typename H>
  friend H AbslHashValue(H h, NumaMask m) {
    return H::combine(std::move(h), m.bits_);
  }

 private:
  explicit constexpr NumaMask(uint64_t bits) : bits_(bits) {}
  uint64_t bits_ = 0;
};

// Calls f(mask) for every non-empty subset of `ids`, by size 1..n and, within a size, in
// lexicographic order of positions in `ids` — the kubelet's IterateBitMasks order.
// 2^n - 1 calls: only for small n (reference code, tests, and the kubelet-shaped paths).
template <typename F>
void IterateBitMasks(const std::vector<int>& ids, F&& f) {
  const int n = static_cast<int>(ids.size());
  std::vector<int> pos;
  for (int k = 1; k <= n; ++k) {
    pos.resize(k);
    for (int i = 0; i < k; ++i) pos[i] = i;
    while (true) {
      NumaMask m;
      for (int p : pos) m.Set(ids[p]);
      f(m);
      int i = k - 1;
      while (i >= 0 && pos[i] == n - k + i) --i;
      if (i < 0) break;
      ++pos[i];
      for (int j = i + 1; j < k; ++j) pos[j] = pos[j - 1] + 1;
    }
  }
}

}  // namespace podalloc
