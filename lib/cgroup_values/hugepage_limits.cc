// Huge page size spellings and per-size hugepage sums.
#include "hugepage_limits.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "podalloc/internal/checked_math.h"
#include "podalloc/quantity.h"

namespace podalloc::internal {

std::optional<int64_t> HugePageSizeFromResourceName(std::string_view name) {
  if (!IsHugepagesResource(name)) return std::nullopt;
  auto size = Quantity::Parse(name.substr(kResourceHugepagesPrefix.size()));
  if (!size.ok() || size->Sign() <= 0) return std::nullopt;
  return size->Value();
}

std::optional<std::string> HugePageUnitSize(int64_t bytes) {
  static constexpr std::array<std::string_view, 6> kUnits = {"B", "KB", "MB", "GB", "TB", "PB"};
  if (bytes <= 0) return std::nullopt;
  size_t unit = 0;
  while (bytes % 1024 == 0 && unit + 1 < kUnits.size()) {
    bytes /= 1024;
    ++unit;
  }
  if (bytes > 1024 && unit + 1 < kUnits.size()) return std::nullopt;
  return absl::StrCat(bytes, absl::string_view(kUnits[unit].data(), kUnits[unit].size()));
}

std::map<int64_t, int64_t> HugePageLimits(const ResourceList& list) {
  std::map<int64_t, int64_t> limits;
  for (const auto& [name, quantity] : list) {
    const std::optional<int64_t> size = HugePageSizeFromResourceName(name);
    // Two names of one page size ("hugepages-2Mi", "hugepages-2048Ki") add up, clamped.
    if (size.has_value()) limits[*size] = SaturatingAdd(limits[*size], quantity.Value());
  }
  return limits;
}

}  // namespace podalloc::internal
