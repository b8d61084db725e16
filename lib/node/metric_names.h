// The kubelet's metric names (pkg/kubelet/metrics/metrics.go; subsystem "kubelet"), as the
// series keys of MetricCounts. Label values follow the kubelet: resource_name cpu|memory,
// source pod|node, assignment_type node_exclusive|pod_exclusive|pod_shared.
#pragma once

#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"

namespace podalloc::internal {

inline constexpr char kCpuPinningRequests[] = "kubelet_cpu_manager_pinning_requests_total";
inline constexpr char kCpuPinningErrors[] = "kubelet_cpu_manager_pinning_errors_total";
inline constexpr char kMemoryPinningRequests[] = "kubelet_memory_manager_pinning_requests_total";
inline constexpr char kMemoryPinningErrors[] = "kubelet_memory_manager_pinning_errors_total";
inline constexpr char kTopologyAdmissionRequests[] =
    "kubelet_topology_manager_admission_requests_total";
inline constexpr char kTopologyAdmissionErrors[] = "kubelet_topology_manager_admission_errors_total";
inline constexpr char kAllocationsFamily[] = "kubelet_resource_manager_allocations_total";
inline constexpr char kAllocationErrorsFamily[] = "kubelet_resource_manager_allocation_errors_total";
inline constexpr char kAssignmentsFamily[] = "kubelet_resource_manager_container_assignments";
inline constexpr char kInfeasibleResizesFamily[] = "kubelet_pod_infeasible_resizes_total";
inline constexpr char kDevicePluginRegistrationsFamily[] =
    "kubelet_device_plugin_registration_total";

inline std::string Allocations(std::string_view resource, std::string_view source) {
  return absl::StrCat(kAllocationsFamily, "{resource_name=\"", std::string(resource),
                      "\",source=\"", std::string(source), "\"}");
}
inline std::string AllocationErrors(std::string_view resource, std::string_view source) {
  return absl::StrCat(kAllocationErrorsFamily, "{resource_name=\"", std::string(resource),
                      "\",source=\"", std::string(source), "\"}");
}
inline std::string InfeasibleResizes(std::string_view reason_detail) {
  return absl::StrCat(kInfeasibleResizesFamily, "{reason_detail=\"", std::string(reason_detail),
                      "\"}");
}
inline std::string DevicePluginRegistrations(std::string_view resource) {
  return absl::StrCat(kDevicePluginRegistrationsFamily, "{resource_name=\"", std::string(resource),
                      "\"}");
}
inline std::string Assignments(std::string_view resource, std::string_view type) {
  return absl::StrCat(kAssignmentsFamily, "{resource_name=\"", std::string(resource),
                      "\",assignment_type=\"", std::string(type), "\"}");
}

}  // namespace podalloc::internal
