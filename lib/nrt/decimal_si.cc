// Kubernetes' canonical DecimalSI text of an integer, the form resource-topology-exporter's
// quantities take (each built with resource.NewQuantity(v, DecimalSI)), so exported objects
// are byte-stable and diffable against a live exporter.
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "podalloc/nrt.h"

namespace podalloc {

std::string DecimalSiText(int64_t value) {
  if (value == 0) return "0";
  // Magnitude as unsigned so INT64_MIN has one.
  uint64_t mantissa = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  int exponent = 0;
  // Strip decimal zeros three at a time: the suffix exponent must be a multiple of 3, and
  // the largest is E (10^18).
  while (exponent < 18 && mantissa % 1000 == 0) {
    mantissa /= 1000;
    exponent += 3;
  }
  static constexpr const char* kSuffix[] = {"", "k", "M", "G", "T", "P", "E"};
  return absl::StrCat(value < 0 ? "-" : "", mantissa, kSuffix[exponent / 3]);
}

}  // namespace podalloc
