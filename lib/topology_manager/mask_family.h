// File: lib/topology_manager/mask_family.h
// A set of NUMA masks given by a rule rather than a list: the merger's view of a provider's
// capacity family (hint.h CapacityHints) or of a user oracle. The merger only ever asks the
// questions below, so it never has to enumerate the 2^N masks a kubelet provider walks.
#pragma once

#include <bit>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "podalloc/bitmask.h"
#include "podalloc/hint.h"
#include "podalloc/internal/checked_math.h"  // SaturatingAdd: capacity sums clamp

namespace podalloc::internal {

// A deterministic cap on search steps (pruning tests and covering branches), so that an
// adversarial input on a large machine ends in an error instead of stalling admission.
struct SearchBudget {
  int64_t steps_left = 0;
  bool Spend() { return --steps_left >= 0; }
  bool exhausted() const { return steps_left < 0; }
};

class MaskFamily {
 public:
  virtual ~MaskFamily() = default;
  // Searches inside the family (MinCount) draw on `budget` when set; null = unlimited.
  void set_budget(SearchBudget* budget) { budget_ = budget; }
  bool Spend() const { return budget_ == nullptr || budget_->Spend(); }
  // Every member is a non-empty subset of nodes().
  virtual NumaMask nodes() const = 0;
  virtual bool IsHint(NumaMask mask) const = 0;
  virtual bool IsPreferred(NumaMask mask) const = 0;  // for members only
  // Could a member h with lower ⊆ h ⊆ upper, |h| == count (count < 0: any size), preferred
  // when asked, exist? A relaxation: false only when none exists.
  virtual bool MayExist(NumaMask lower, NumaMask upper, int count, bool preferred_only) const = 0;
  // Exact: is there a member h with lower ⊆ h ⊆ upper?
  virtual bool ExistsBetween(NumaMask lower, NumaMask upper) const = 0;
  // The nodes common to every member containing `lower` (call only when one exists).
  // The default asks ExistsBetween once per node.
  virtual NumaMask CommonAbove(NumaMask lower) const;
  // Popcount of the narrowest member, -1 for an empty family. The default searches tiers.
  virtual int MinCount() const;

 private:
  SearchBudget* budget_ = nullptr;
};

// CapacityHints with its per-demand node orders precomputed. Keeps a reference: the
// CapacityHints must outlive it.
class CapacityFamily final : public MaskFamily {
 public:
  explicit CapacityFamily(const CapacityHints& hints);

  NumaMask nodes() const override { return nodes_; }
  bool IsHint(NumaMask mask) const override;
  bool IsPreferred(NumaMask mask) const override;
  bool MayExist(NumaMask lower, NumaMask upper, int count, bool preferred_only) const override;
  bool ExistsBetween(NumaMask lower, NumaMask upper) const override {
    return MayExist(lower, upper, -1, false);
  }
  NumaMask CommonAbove(NumaMask lower) const override;
  int MinCount() const override;

 private:
  struct Demand {
    uint64_t amount[64] = {};
    uint8_t order[64] = {};  // nodes_ ids by amount, largest first
    int order_len = 0;
    uint64_t request = 0;
    uint64_t base = 0;
    const std::vector<std::pair<NumaMask, uint64_t>>* extra = nullptr;
  };
  uint64_t Sum(const Demand& d, uint64_t mask) const;
  // Largest sum of `k` amounts of nodes in `pool` (saturating).
  static uint64_t TopK(const Demand& d, uint64_t pool, int k);
  bool DemandsMet(uint64_t mask) const;
  // Exact: can `count` nodes S with lower ⊆ S ⊆ pool meet every demand without extras?
  bool Fits(uint64_t lower, uint64_t pool, int count) const;
  bool FitsFrom(const uint8_t* order, int len, int next, int need, uint64_t remaining,
                uint64_t* sums) const;
  int SocketCount(uint64_t mask) const;

  const CapacityHints& hints_;
  NumaMask nodes_;
  uint64_t required_ = 0;
  uint64_t not_alone_ = 0;
  uint64_t constrained_ = 0;  // nodes with a group
  uint64_t free_multi_ = 0;   // nodes without a group
  std::vector<uint64_t> specials_;  // multi-node masks checked one by one (groups, extras)
  std::vector<Demand> demands_;
};

// A user HintOracle seen as a family.
class OracleFamily final : public MaskFamily {
 public:
  explicit OracleFamily(const HintOracle& oracle) : oracle_(oracle) {}
  NumaMask nodes() const override { return oracle_.nodes(); }
  bool IsHint(NumaMask mask) const override { return oracle_.IsHint(mask); }
  bool IsPreferred(NumaMask mask) const override { return oracle_.IsPreferred(mask); }
  bool MayExist(NumaMask lower, NumaMask upper, int count, bool preferred_only) const override;
  bool ExistsBetween(NumaMask lower, NumaMask upper) const override {
    return oracle_.AnyHintBetween(lower, upper & oracle_.nodes(), false);
  }

 private:
  const HintOracle& oracle_;
};

// The narrowest member (fewest nodes, then numerically smallest) with lower ⊆ h, preferred
// when asked; nullopt if none.
std::optional<NumaMask> NarrowestMember(const MaskFamily& family, NumaMask lower,
                                        bool preferred_only);
// Popcount of the narrowest member, -1 for an empty family.
inline int MinMemberCount(const MaskFamily& family) { return family.MinCount(); }

}  // namespace podalloc::internal
