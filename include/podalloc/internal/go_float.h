// File: podalloc/internal/go_float.h
// Go's strconv.ParseFloat for bit size 32, which the kubelet uses to read eviction percentages
// (pkg/kubelet/eviction/helpers.go parsePercentage). Accepts what Go accepts and nothing else:
// decimal and hexadecimal ("0x1.8p3") literals with Go's digit-separating underscores, a sign,
// and the words Inf, Infinity (signed) and NaN in any case; no spaces. Locale-independent.
// Internal to podalloc: no API promise.
#pragma once

#include <string_view>

namespace podalloc::internal::go {

struct ParsedFloat32 {
  enum class Result {
    kOk,
    kSyntax,  // strconv.ErrSyntax
    kRange,   // strconv.ErrRange: beyond the float32 range (Go returns ±Inf with it)
  };
  Result result = Result::kSyntax;
  float value = 0;  // the nearest float32; ±0 when the literal underflows, as in Go
};

ParsedFloat32 ParseFloat32(std::string_view text);

}  // namespace podalloc::internal::go
