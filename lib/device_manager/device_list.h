// One resource's registered devices in the form the hot paths want: ascending by ID, so a
// device is an index, and the sets the allocator works with (healthy, in use, aligned with a
// hint, picked) are bits over those indices instead of sets of ID strings.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "podalloc/bitmask.h"
#include "podalloc/device_manager.h"

namespace podalloc::internal {

// A set of device indices.
class DeviceBits {
 public:
  DeviceBits() = default;
  explicit DeviceBits(size_t size) : words_((size + 63) / 64, 0) {}

  void Set(size_t i) { words_[i >> 6] |= uint64_t{1} << (i & 63); }
  void Clear(size_t i) { words_[i >> 6] &= ~(uint64_t{1} << (i & 63)); }
  bool Test(size_t i) const {
    return (i >> 6) < words_.size() && ((words_[i >> 6] >> (i & 63)) & 1u);
  }
  int Count() const {
    int n = 0;
    for (uint64_t w : words_) n += std::popcount(w);
    return n;
  }
  bool Empty() const {
    for (uint64_t w : words_) {
      if (w != 0) return false;
    }
    return true;
  }
  // Removes the members of `other` (which may be shorter).
  void Subtract(const DeviceBits& other) {
    for (size_t w = 0; w < words_.size() && w < other.words_.size(); ++w) {
      words_[w] &= ~other.words_[w];
    }
  }
  // Calls f(i) for each member, ascending; stops early when f returns false.
  template <typename F>
  void ForEach(F&& f) const {
    for (size_t w = 0; w < words_.size(); ++w) {
      for (uint64_t bits = words_[w]; bits != 0; bits &= bits - 1) {
        if (!f(w * 64 + static_cast<size_t>(std::countr_zero(bits)))) return;
      }
    }
  }
  friend bool operator==(const DeviceBits&, const DeviceBits&) = default;

 private:
  std::vector<uint64_t> words_;
};

struct DeviceList {
  std::vector<PluginDevice> devices;  // ascending ID; index i is devices[i]
  // devices[i]'s node ids that fit a NumaMask (0..63); empty without NUMA info.
  std::vector<NumaMask> nodes;
  DeviceBits healthy;
  DeviceBits with_numa;  // PluginDevice::HasNuma
  bool any_numa = false;

  // Builds the index; `devices` must hold distinct IDs.
  static DeviceList Make(std::vector<PluginDevice> devices);

  size_t size() const { return devices.size(); }
  // The index of the device with this ID; -1 when the resource does not list it.
  int IndexOf(std::string_view id) const;
  // The listed members of `ids`, as bits (IDs the resource does not list are left out).
  DeviceBits BitsOf(const std::set<std::string>& ids) const;
  // The IDs of `bits`, ascending.
  std::vector<std::string> IdsOf(const DeviceBits& bits) const;

  friend bool operator==(const DeviceList& a, const DeviceList& b) {
    return a.devices == b.devices;
  }
};

// filterByAffinity's three stages over indices: `available` split by whether a device has a
// node in `hint` (aligned), NUMA info without such a node (unaligned), or no NUMA info; all of
// it is no_affinity when the resource has no device with NUMA info or there is no hint.
struct AffinityBits {
  DeviceBits aligned, unaligned, no_affinity;
};
AffinityBits SplitByAffinity(const DeviceList& list, const DeviceBits& available,
                             const std::optional<NumaMask>& hint);

}  // namespace podalloc::internal
