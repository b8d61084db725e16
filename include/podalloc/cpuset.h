// File: podalloc/cpuset.h
// A set of logical CPU ids held as a fixed-size bitset, with the kubelet's list syntax
// ("0-3,8,10-11"). It plays the role of k8s.io/utils/cpuset.CPUSet, which is a hash set in
// the kubelet; here every set operation is a handful of word operations, so the allocation
// hot paths can use it freely.
//
// CpuSet is a regular value type: cheap to copy (kMaxCpus / 8 bytes), thread-compatible.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace podalloc {

class CpuSet {
 public:
  // CPU ids are 0 .. kMaxCpus-1.
  static constexpr int kMaxCpus = 4096;
  static constexpr int kWords = kMaxCpus / 64;

  constexpr CpuSet() = default;
  // Ids outside [0, kMaxCpus) are ignored; use Parse or TryAdd to validate input.
  CpuSet(std::initializer_list<int> cpus);
  static CpuSet FromVector(const std::vector<int>& cpus);
  // All CPUs in [first, last] (inclusive); empty when first > last.
  static CpuSet Range(int first, int last);
  // The set of a CPU mask: CPU c is bit c % 64 of words[c / 64] (Linux cpu masks, Go's and
  // Rust's bit sets, the C ABI). The mask may have any length; words past kWords must be
  // zero, else InvalidArgument naming the lowest CPU id of kMaxCpus or more. A word copy,
  // not a loop over bits.
  [[nodiscard]] static absl::StatusOr<CpuSet> FromWords(std::span<const uint64_t> words);

  // Parses the kubelet list syntax: comma-separated elements, each "N" or "A-B" with A <= B,
  // decimal digits only (no whitespace, no sign). The empty string is the empty set.
  // Errors name the offending element and the whole input.
  [[nodiscard]] static absl::StatusOr<CpuSet> Parse(std::string_view text);
  // Canonical form: ascending, runs of two or more consecutive ids merged into "A-B".
  std::string ToString() const;

  bool Contains(int cpu) const {
    return cpu >= 0 && cpu < kMaxCpus && ((words_[cpu >> 6] >> (cpu & 63)) & 1u);
  }
  // Precondition: 0 <= cpu < kMaxCpus.
  void Add(int cpu) { words_[cpu >> 6] |= uint64_t{1} << (cpu & 63); }
  void Remove(int cpu) { words_[cpu >> 6] &= ~(uint64_t{1} << (cpu & 63)); }
  // Adds `cpu`, or returns an error naming it when it is out of range.
  [[nodiscard]] absl::Status TryAdd(int cpu);

  int Size() const {
    int n = 0;
    for (uint64_t w : words_) n += std::popcount(w);
    return n;
  }
  bool IsEmpty() const {
    for (uint64_t w : words_) {
      if (w != 0) return false;
    }
    return true;
  }
  bool IsSubsetOf(const CpuSet& other) const {
    for (int i = 0; i < kWords; ++i) {
      if (words_[i] & ~other.words_[i]) return false;
    }
    return true;
  }
  bool Intersects(const CpuSet& other) const {
    for (int i = 0; i < kWords; ++i) {
      if (words_[i] & other.words_[i]) return true;
    }
    return false;
  }
  // Size of the intersection, without building it.
  int CountIn(const CpuSet& other) const {
    int n = 0;
    for (int i = 0; i < kWords; ++i) n += std::popcount(words_[i] & other.words_[i]);
    return n;
  }

  CpuSet Union(const CpuSet& o) const { CpuSet r = *this; r |= o; return r; }
  CpuSet Intersection(const CpuSet& o) const { CpuSet r = *this; r &= o; return r; }
  CpuSet Difference(const CpuSet& o) const { CpuSet r = *this; r -= o; return r; }

  CpuSet& operator|=(const CpuSet& o) {
    for (int i = 0; i < kWords; ++i) words_[i] |= o.words_[i];
    return *this;
  }
  CpuSet& operator&=(const CpuSet& o) {
    for (int i = 0; i < kWords; ++i) words_[i] &= o.words_[i];
    return *this;
  }
  CpuSet& operator-=(const CpuSet& o) {
    for (int i = 0; i < kWords; ++i) words_[i] &= ~o.words_[i];
    return *this;
  }
  friend CpuSet operator|(CpuSet a, const CpuSet& b) { return a |= b; }
  friend CpuSet operator&(CpuSet a, const CpuSet& b) { return a &= b; }
  friend CpuSet operator-(CpuSet a, const CpuSet& b) { return a -= b; }
  friend bool operator==(const CpuSet&, const CpuSet&) = default;

  // Lowest id in the set, or -1 when empty.
  int First() const;
  // Lowest id > cpu in the set, or -1.
  int Next(int cpu) const;
  // The lowest `n` ids (all of them when n >= Size()).
  CpuSet FirstN(int n) const;
  // Ids in ascending order.
  std::vector<int> ToVector() const;

  // Ascending iteration: for (int cpu : set) ...
  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = int;
    using difference_type = std::ptrdiff_t;
    using pointer = const int*;
    using reference = int;
    Iterator(const CpuSet* set, int cpu) : set_(set), cpu_(cpu) {}
    int operator*() const { return cpu_; }
    Iterator& operator++() { cpu_ = set_->Next(cpu_); return *this; }
    Iterator operator++(int) { Iterator t = *this; ++*this; return t; }
    friend bool operator==(const Iterator& a, const Iterator& b) { return a.cpu_ == b.cpu_; }
   private:
    const CpuSet* set_;
    int cpu_;
  };
  Iterator begin() const { return Iterator(this, First()); }
  Iterator end() const { return Iterator(this, -1); }

  const std::array<uint64_t, kWords>& words() const { return words_; }
  // Words up to the last non-zero one: the shortest mask holding the set (0 when empty).
  size_t UsedWords() const;
  // Writes the set as a mask (the layout of FromWords) into `out`, zero-filling it past the
  // set, and returns UsedWords(). Like snprintf, it writes nothing when `out` is shorter than
  // that: the caller compares the result with out.size().
  [[nodiscard]] size_t ToWords(std::span<uint64_t> out) const;

  template <typename H>
  friend H AbslHashValue(H h, const CpuSet& s) {
    return H::combine_contiguous(std::move(h), s.words_.data(), s.words_.size());
  }

 private:
  std::array<uint64_t, kWords> words_{};
};

}  // namespace podalloc
