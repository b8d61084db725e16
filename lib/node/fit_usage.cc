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
  total_ -= it->second;
  by_pod_.erase(it);
}

void FitUsage::Reset(const NodeState& state, const FitOptions& options) {
  by_pod_.clear();
  total_ = FitResources();
  for (const auto& [key, record] : state.pods) Set(key, PodFitRequest(record.pod, options));
}

}  // namespace podalloc::internal
