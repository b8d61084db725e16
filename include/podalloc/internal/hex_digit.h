// File: podalloc/internal/hex_digit.h
// The value of one hexadecimal digit, for the readers of hex text (kernel CPU masks, sysfs PCI
// ids, hwloc bitmaps, the topology JSON's PCI ids).
#pragma once

namespace podalloc::internal {

// 0..15 for '0'-'9', 'a'-'f', 'A'-'F'; -1 for anything else.
constexpr int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace podalloc::internal
