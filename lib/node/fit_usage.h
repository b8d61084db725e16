// What the admitted pods request, as resource fit counts them (the scheduler NodeInfo's
// Requested), kept per pod and in total so that an admission reads one sum instead of adding
// up every admitted pod again. The node changes it with its state, under its lock.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "podalloc/node.h"
#include "podalloc/resource_fit.h"

namespace podalloc::internal {

class FitUsage {
 public:
  // Records `request` for the pod under `key`, replacing what it had.
  void Set(std::string_view key, const FitResources& request);
  // Forgets the pod (nothing happens for an unknown key).
  void Erase(std::string_view key);
  // Rebuilds from every pod of `state`.
  void Reset(const NodeState& state, const FitOptions& options);
  const FitResources& total() const { return total_; }

 private:
  std::map<std::string, FitResources, std::less<>> by_pod_;
  FitResources total_;
};

}  // namespace podalloc::internal
