// The duration histogram of the kubelet's topology manager admission
// (kubelet_topology_manager_admission_duration_ms, pkg/kubelet/metrics: exponential buckets
// from 0.05 ms doubling 15 times). Observed around each admission plan; lock-free so that
// concurrent Admit calls under the shared lock can record without contention. The only place
// the node reads a clock: decisions never depend on it.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace podalloc::internal {

class AdmissionTimer {
 public:
  static constexpr int kBuckets = 15;
  // Upper bounds in nanoseconds: 0.05 ms * 2^i.
  static constexpr int64_t BucketBoundNanos(int i) { return int64_t{50'000} << i; }

  // `clock_nanos` returns monotonic nanoseconds; empty means std::chrono::steady_clock.
  explicit AdmissionTimer(std::function<int64_t()> clock_nanos);

  int64_t Now() const;
  void Observe(int64_t nanos);
  // Appends the histogram family (HELP, TYPE, cumulative buckets, +Inf, sum, count).
  void AppendText(std::string& out) const;

 private:
  std::function<int64_t()> clock_;
  std::array<std::atomic<uint64_t>, kBuckets + 1> counts_{};  // the last one is +Inf only
  std::atomic<uint64_t> sum_nanos_{0};
};

}  // namespace podalloc::internal
