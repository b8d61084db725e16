// File: podalloc/internal/checked_math.h
// Integer sums and products that never wrap. The kubelet adds resource amounts in Go's
// int64 and uint64, which wrap silently (a machine of four 2^64-1 byte NUMA nodes has -4
// bytes of memory there); in C++ signed overflow is undefined behaviour. Amounts that only
// feed a comparison or a cgroup value saturate; amounts that must be exact are checked and
// the caller turns a nullopt into an error naming the input.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>

namespace podalloc::internal {

// a + b clamped to [INT64_MIN, INT64_MAX].
constexpr int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t sum = 0;
  if (!__builtin_add_overflow(a, b, &sum)) return sum;
  return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
}

// a + b clamped to UINT64_MAX.
constexpr uint64_t SaturatingAdd(uint64_t a, uint64_t b) {
  uint64_t sum = 0;
  return __builtin_add_overflow(a, b, &sum) ? std::numeric_limits<uint64_t>::max() : sum;
}

// a + b, or nullopt when it does not fit in 64 bits.
constexpr std::optional<uint64_t> CheckedAdd(uint64_t a, uint64_t b) {
  uint64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) return std::nullopt;
  return sum;
}

// a * b, or nullopt when it does not fit in 64 bits.
constexpr std::optional<uint64_t> CheckedMul(uint64_t a, uint64_t b) {
  uint64_t product = 0;
  if (__builtin_mul_overflow(a, b, &product)) return std::nullopt;
  return product;
}

}  // namespace podalloc::internal
