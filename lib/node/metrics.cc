// The node's counters in the Prometheus text exposition format: every family with its HELP and
// TYPE lines, series in name order, the unlabelled counters always present.
#include "absl/strings/str_cat.h"
#include "admission_timer.h"
#include "metric_names.h"
#include "node_internal.h"

namespace podalloc {
namespace {

struct Family {
  const char* name;
  const char* help;
};

constexpr Family kFamilies[] = {
    {internal::kCpuPinningRequests, "The number of cpu core allocations which required pinning."},
    {internal::kCpuPinningErrors,
     "The number of cpu core allocations which required pinning failed."},
    {internal::kMemoryPinningRequests,
     "The number of memory pages allocations which required pinning."},
    {internal::kMemoryPinningErrors,
     "The number of memory pages allocations which required pinning that failed."},
    {internal::kTopologyAdmissionRequests,
     "The number of admission requests where resources have to be aligned."},
    {internal::kTopologyAdmissionErrors,
     "The number of admission request failures where resources could not be aligned."},
    {internal::kAllocationsFamily,
     "The number of exclusive resource allocations performed by a resource manager, by source."},
    {internal::kAllocationErrorsFamily,
     "The number of exclusive resource allocation errors, by intended source."},
    {internal::kAssignmentsFamily,
     "The number of containers given each kind of resource assignment."},
    {internal::kInfeasibleResizesFamily, "Number of infeasible resizes for pods."},
    {internal::kDevicePluginRegistrationsFamily,
     "Cumulative number of device plugin registrations. Broken down by resource name."},
};

bool IsLabelled(const char* family) {
  return std::string_view(family) == internal::kAllocationsFamily ||
         std::string_view(family) == internal::kAllocationErrorsFamily ||
         std::string_view(family) == internal::kAssignmentsFamily ||
         std::string_view(family) == internal::kInfeasibleResizesFamily ||
         std::string_view(family) == internal::kDevicePluginRegistrationsFamily;
}

}  // namespace

std::string Node::MetricsText() const {
  MetricCounts counts;
  {
    internal::RwReaderLock lock(&mu_);
    counts = metrics_;
  }
  std::string out;
  for (const Family& f : kFamilies) {
    absl::StrAppend(&out, "# HELP ", f.name, " ", f.help, "\n# TYPE ", f.name, " counter\n");
    if (!IsLabelled(f.name)) {
      auto it = counts.find(f.name);
      absl::StrAppend(&out, f.name, " ", it == counts.end() ? 0 : it->second, "\n");
      continue;
    }
    const std::string prefix = absl::StrCat(f.name, "{");
    for (auto it = counts.lower_bound(prefix); it != counts.end() && it->first.starts_with(prefix);
         ++it) {
      absl::StrAppend(&out, it->first, " ", it->second, "\n");
    }
  }
  admission_timer_->AppendText(out);
  return out;
}

}  // namespace podalloc
