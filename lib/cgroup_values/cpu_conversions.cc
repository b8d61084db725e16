// CPU request/limit -> cpu.shares, CFS quota and cgroup v2 cpu.weight.
#include <cmath>
#include <cstdint>
#include <string_view>

#include "podalloc/cgroup_values.h"

namespace podalloc {
namespace {
__extension__ typedef __int128 Int128;  // products of two int64 values never overflow
}  // namespace

uint64_t MilliCpuToShares(int64_t milli_cpu) {
  // Zero maps to the kernel minimum rather than "unset" (which the runtime would turn into
  // the kernel default of 1024).
  if (milli_cpu <= 0) return kMinShares;
  // Multiply before dividing, as the kubelet does, to keep the rounding of 1024/1000.
  const Int128 shares = Int128{milli_cpu} * kSharesPerCpu / 1000;
  if (shares < Int128{kMinShares}) return kMinShares;
  if (shares > Int128{kMaxShares}) return kMaxShares;
  return static_cast<uint64_t>(shares);
}

int64_t MilliCpuToQuota(int64_t milli_cpu, int64_t period) {
  if (milli_cpu == 0) return 0;
  const Int128 quota = Int128{milli_cpu} * period / 1000;
  // The kernel refuses a quota below 1ms.
  if (quota < kMinCfsQuota) return kMinCfsQuota;
  if (quota > INT64_MAX) return INT64_MAX;
  return static_cast<int64_t>(quota);
}

std::string_view CpuWeightMappingName(CpuWeightMapping mapping) {
  switch (mapping) {
    case CpuWeightMapping::kLinear:
      return "linear";
    case CpuWeightMapping::kQuadratic:
      return "quadratic";
  }
  return "linear";
}

namespace {

// Maps [2, 262144] linearly onto [1, 10000].
uint64_t LinearWeight(uint64_t shares) {
  if (shares >= kMaxShares) return 10000;
  return 1 + ((shares - kMinShares) * 9999) / (kMaxShares - kMinShares);
}

// The quadratic in log2(shares) that runc >= 1.3.2 fits through the three fixed points
// (2 -> 1, 1024 -> 100, 262144 -> 10000), so the default share count lands on the cgroup v2
// default weight. Double arithmetic in the same order as the Go original: over the whole
// domain no value lies within 2e-6 of an integer except 1024 -> 100 exactly, so ceil() cannot
// be tipped by a last-bit difference between libm implementations.
uint64_t QuadraticWeight(uint64_t shares) {
  if (shares <= kMinShares) return 1;
  if (shares >= kMaxShares) return 10000;
  const double l = std::log2(static_cast<double>(shares));
  const double exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
  return static_cast<uint64_t>(std::ceil(std::pow(10.0, exponent)));
}

}  // namespace

CpuWeight CpuSharesToWeight(uint64_t shares, CpuWeightMapping mapping) {
  CpuWeight weight{0, mapping};
  if (shares == 0) return weight;  // unset stays unset
  if (shares < kMinShares) shares = kMinShares;
  weight.value =
      mapping == CpuWeightMapping::kLinear ? LinearWeight(shares) : QuadraticWeight(shares);
  return weight;
}

}  // namespace podalloc
