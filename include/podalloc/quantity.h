// File: podalloc/quantity.h
// A Kubernetes resource quantity ("100m", "1.5", "2Gi", "1e3"), mirroring
// k8s.io/apimachinery/pkg/api/resource (quantity.go, suffix.go, amount.go). Values are held
// exactly as a signed count of nano-units, the finest precision Kubernetes keeps, so
// addition, subtraction and comparison never round; MilliValue()/Value() round up the way
// the kubelet's accessors do.
//
// Quantity is a regular value type: cheap to copy, thread-compatible. Equality and ordering
// compare the value only ("1Gi" == "1073741824"); the format only decides how ToString()
// spells the value.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"

namespace podalloc {

class Quantity {
 public:
  // How a quantity is spelled, remembered from parsing (Kubernetes' Format).
  enum class Format {
    kDecimalSI,        // "1500m", "2k", "3G"
    kBinarySI,         // "512Mi", "2Gi"
    kDecimalExponent,  // "12e6"
  };

  // The largest magnitude a quantity may have: 2^63-1 units, Kubernetes' cap.
  static constexpr int64_t kMaxUnits = INT64_MAX;

  // Zero, DecimalSI.
  constexpr Quantity() = default;

  // Parses the Kubernetes quantity syntax: an optional sign, a decimal number ("1", "1.5",
  // ".5", "1."), and a suffix (n u m "" k M G T P E, Ki Mi Gi Ti Pi Ei, or e<int>/E<int>).
  // As in Kubernetes, precision below 1n is rounded up (away from zero) to 1n, and a
  // BinarySI value above 2^63-1 is capped there. A decimal or exponent value above 2^63-1
  // in magnitude is an OutOfRange error (Kubernetes would keep it as an unbounded decimal);
  // malformed text is InvalidArgument. Messages quote the input.
  [[nodiscard]] static absl::StatusOr<Quantity> Parse(std::string_view text);

  // value * 10^-3 (NewMilliQuantity) and value (NewQuantity).
  static Quantity FromMilli(int64_t milli, Format format = Format::kDecimalSI);
  static Quantity FromValue(int64_t value, Format format = Format::kDecimalSI);

  // ceil(q * 1000) and ceil(q), rounding away from zero like Kubernetes' MilliValue() /
  // Value(). Both saturate at the int64 limits (MilliValue of more than ~9.2e15 units),
  // where Kubernetes would overflow.
  int64_t MilliValue() const;
  int64_t Value() const;
  // True when the value is a whole number (Kubernetes: Value()*1000 == MilliValue() for
  // values without sub-milli precision; this is the exact test).
  bool IsWhole() const;

  bool IsZero() const { return nanos_ == 0; }
  int Sign() const { return nanos_ > 0 ? 1 : (nanos_ < 0 ? -1 : 0); }
  Format format() const { return format_; }

  // Canonical form, as Kubernetes' String(): the largest suffix that keeps the mantissa a
  // whole number ("1500m", "1536Mi", "12e6", "0"). BinarySI values that are not whole or lie
  // strictly between -1024 and 1024 are written in DecimalSI.
  std::string ToString() const;

  // Exact arithmetic. As Kubernetes' Add/Sub, a zero left operand takes the right one's
  // format. Sums stay exact for any realistic number of terms (the value range is ~1.7e29
  // units; each operand is at most 2^63-1 units).
  Quantity& operator+=(const Quantity& o);
  Quantity& operator-=(const Quantity& o);
  friend Quantity operator+(Quantity a, const Quantity& b) { return a += b; }
  friend Quantity operator-(Quantity a, const Quantity& b) { return a -= b; }
  Quantity operator-() const;

  friend bool operator==(const Quantity& a, const Quantity& b) { return a.nanos_ == b.nanos_; }
  friend std::strong_ordering operator<=>(const Quantity& a, const Quantity& b) {
    return a.nanos_ <=> b.nanos_;
  }

  template <typename H>
  friend H AbslHashValue(H h, const Quantity& q) {
    return H::combine(std::move(h), static_cast<int64_t>(q.nanos_ >> 64),
                      static_cast<uint64_t>(q.nanos_));
  }

 private:
  __extension__ typedef __int128 Nanos;
  constexpr Quantity(Nanos nanos, Format format) : nanos_(nanos), format_(format) {}

  Nanos nanos_ = 0;
  Format format_ = Format::kDecimalSI;
};

// Name of a format as Kubernetes spells it ("DecimalSI", "BinarySI", "DecimalExponent").
std::string_view FormatName(Quantity::Format format);

}  // namespace podalloc
