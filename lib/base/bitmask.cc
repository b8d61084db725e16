#include "podalloc/bitmask.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace podalloc {
namespace {

absl::Status CheckIds(const std::vector<int>& ids) {
  for (int id : ids) {
    if (id < 0 || id >= NumaMask::kMaxNodes) {
      return absl::InvalidArgumentError(
          absl::StrCat("NUMA node id ", id, " is out of range (0..", NumaMask::kMaxNodes - 1,
                       ")"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

NumaMask::NumaMask(std::initializer_list<int> ids) {
  for (int id : ids) {
    if (id >= 0 && id < kMaxNodes) Set(id);
  }
}

absl::StatusOr<NumaMask> NumaMask::New(const std::vector<int>& ids) {
  NumaMask m;
  absl::Status s = m.Add(ids);
  if (!s.ok()) return s;
  return m;
}

absl::Status NumaMask::Add(const std::vector<int>& ids) {
  if (absl::Status s = CheckIds(ids); !s.ok()) return s;
  for (int id : ids) Set(id);
  return absl::OkStatus();
}

absl::Status NumaMask::Remove(const std::vector<int>& ids) {
  if (absl::Status s = CheckIds(ids); !s.ok()) return s;
  for (int id : ids) bits_ &= ~(uint64_t{1} << id);
  return absl::OkStatus();
}

bool NumaMask::AnySet(const std::vector<int>& ids) const {
  for (int id : ids) {
    if (IsSet(id)) return true;
  }
  return false;
}

std::vector<int> NumaMask::GetBits() const {
  std::vector<int> out;
  for (uint64_t b = bits_; b != 0; b &= b - 1) out.push_back(std::countr_zero(b));
  return out;
}

std::string NumaMask::ToString() const {
  // The kubelet picks the width from the first shift (62, 60, ..., 2) that the value
  // strictly exceeds 2^shift, then pads to shift + 2 digits; otherwise 2 digits.
  int width = 2;
  for (int shift = 62; shift >= 2; shift -= 2) {
    if (bits_ > (uint64_t{1} << shift)) {
      width = shift + 2;
      break;
    }
  }
  int digits = bits_ == 0 ? 1 : 64 - std::countl_zero(bits_);
  if (digits < width) digits = width;
  std::string out(digits, '0');
  for (int i = 0; i < digits; ++i) {
    if ((bits_ >> i) & 1u) out[digits - 1 - i] = '1';
  }
  return out;
}

std::string NumaMask::ToList() const { return absl::StrJoin(GetBits(), ","); }

}  // namespace podalloc
