// The admission duration histogram. The kubelet observes whole milliseconds
// (time.Since(start).Milliseconds()), which puts every sub-millisecond admission at 0; podalloc
// observes the exact duration in milliseconds, on the kubelet's buckets and metric name.
#include "admission_timer.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace podalloc::internal {
namespace {

constexpr char kName[] = "kubelet_topology_manager_admission_duration_ms";

// Prometheus renders bounds as the shortest decimal that reads back exactly.
std::string Bound(int64_t nanos) { return absl::StrFormat("%g", static_cast<double>(nanos) / 1e6); }

}  // namespace

AdmissionTimer::AdmissionTimer(std::function<int64_t()> clock_nanos)
    : clock_(std::move(clock_nanos)) {}

int64_t AdmissionTimer::Now() const {
  if (clock_) return clock_();
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void AdmissionTimer::Observe(int64_t nanos) {
  if (nanos < 0) nanos = 0;  // a clock that stepped back: count it as instantaneous
  int bucket = 0;
  while (bucket < kBuckets && nanos > BucketBoundNanos(bucket)) ++bucket;
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_nanos_.fetch_add(static_cast<uint64_t>(nanos), std::memory_order_relaxed);
}

void AdmissionTimer::AppendText(std::string& out) const {
  absl::StrAppend(&out, "# HELP ", kName, " Duration in milliseconds to serve a pod admission request.\n",
                  "# TYPE ", kName, " histogram\n");
  uint64_t cumulative = 0;
  for (int i = 0; i < kBuckets; ++i) {
    cumulative += counts_[i].load(std::memory_order_relaxed);
    absl::StrAppend(&out, kName, "_bucket{le=\"", Bound(BucketBoundNanos(i)), "\"} ", cumulative,
                    "\n");
  }
  cumulative += counts_[kBuckets].load(std::memory_order_relaxed);
  // Count and +Inf come from the bucket tallies so one rendering is self-consistent even
  // while other threads observe.
  absl::StrAppend(&out, kName, "_bucket{le=\"+Inf\"} ", cumulative, "\n");
  absl::StrAppend(&out, kName, "_sum ",
                  absl::StrFormat("%.6f", static_cast<double>(sum_nanos_.load(
                                              std::memory_order_relaxed)) / 1e6),
                  "\n");
  absl::StrAppend(&out, kName, "_count ", cumulative, "\n");
}

}  // namespace podalloc::internal
