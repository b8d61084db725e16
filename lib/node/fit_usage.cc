#include "fit_usage.h"

namespace podalloc::internal {

void FitUsage::Set(std::string_view key, const FitResources& request) {
  Erase(key);
  by_pod_.emplace(std::string(key), request);
  total_ += request;
}

void FitUsage::Erase(std::string_view key) {
  auto it = by_pod_.find(key);
  if (it == by_pod_.end()) return;
  if (total_.Saturated()) {
    // A saturated sum cannot be taken apart: add the others up again.
    by_pod_.erase(it);
    total_ = FitResources();
    for (const auto& [other, request] : by_pod_) total_ += request;
  } else {
    total_ -= it->second;
    by_pod_.erase(it);
  }
}

void FitUsage::Reset(const NodeState& state, const FitOptions& options) {
  by_pod_.clear();
  total_ = FitResources();
  for (const auto& [key, record] : state.pods) Set(key, PodFitRequest(record.pod, options));
}

}  // namespace podalloc::internal
