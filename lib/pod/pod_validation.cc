#include "pod_validation.h"

#include <map>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/pod_resources.h"
#include "podalloc/qos.h"
#include "podalloc/status_macros.h"

namespace podalloc::internal {
namespace {

absl::string_view AV(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// "<path>.<name>" with the name (a resource name from the document) escaped and bounded.
std::string Field(std::string_view path, std::string_view name) {
  std::string out(path);
  out += '.';
  AppendEscaped(out, name);
  return out;
}

absl::Status Invalid(std::string_view path, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(AV(path), ": ", AV(what)));
}

// ValidateNonnegativeQuantity for every entry.
absl::Status ValidateNonNegative(const ResourceList& list, std::string_view path) {
  for (const auto& [name, q] : list) {
    if (q.Sign() < 0) {
      return Invalid(Field(path, name),
                     absl::StrCat("\"", q.ToString(), "\" must be greater than or equal to 0"));
    }
  }
  return absl::OkStatus();
}

// ValidateResourceRequirements: no negative values, a request never above its limit, and
// hugepages (which cannot be overcommitted) requested only with an equal limit.
absl::Status ValidateRequirements(const ResourceRequirements& r, std::string_view path) {
  const std::string requests_path = absl::StrCat(AV(path), ".requests");
  const std::string limits_path = absl::StrCat(AV(path), ".limits");
  PODALLOC_RETURN_IF_ERROR(ValidateNonNegative(r.requests, requests_path));
  PODALLOC_RETURN_IF_ERROR(ValidateNonNegative(r.limits, limits_path));
  for (const auto& [name, request] : r.requests) {
    const Quantity* limit = FindResource(r.limits, name);
    const std::string field = Field(requests_path, name);
    if (IsHugepagesResource(name)) {
      if (limit == nullptr) {
        return Invalid(field, absl::StrCat("\"", request.ToString(), "\" needs an equal ",
                                           EscapeInput(name),
                                           " limit (hugepages cannot be overcommitted)"));
      }
      if (*limit != request) {
        return Invalid(field, absl::StrCat("\"", request.ToString(), "\" must be equal to ",
                                           EscapeInput(name), " limit \"", limit->ToString(),
                                           "\""));
      }
    } else if (limit != nullptr && request > *limit) {
      return Invalid(field, absl::StrCat("\"", request.ToString(),
                                         "\" must be less than or equal to ", EscapeInput(name),
                                         " limit \"", limit->ToString(), "\""));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateContainer(const Container& c, std::string_view path) {
  if (c.name.empty()) return Invalid(absl::StrCat(AV(path), ".name"), "required, must be non-empty");
  if (!c.restart_policy.empty() && c.restart_policy != "Always" &&
      c.restart_policy != "OnFailure" && c.restart_policy != "Never") {
    return Invalid(absl::StrCat(AV(path), ".restartPolicy"),
                   absl::StrCat(QuoteInput(c.restart_policy),
                                " is not a supported value (Always, OnFailure, Never)"));
  }
  for (size_t i = 0; i < c.resize_policy.size(); ++i) {
    const ContainerResizePolicy& p = c.resize_policy[i];
    const std::string ppath = absl::StrCat(AV(path), ".resizePolicy[", i, "]");
    if (p.resource_name.empty()) {
      return Invalid(absl::StrCat(ppath, ".resourceName"), "required, must be non-empty");
    }
    if (p.restart_policy != "NotRequired" && p.restart_policy != "RestartContainer") {
      return Invalid(absl::StrCat(ppath, ".restartPolicy"),
                     absl::StrCat(QuoteInput(p.restart_policy),
                                  " is not a supported value (NotRequired, RestartContainer)"));
    }
  }
  return ValidateRequirements(c.resources, absl::StrCat(AV(path), ".resources"));
}

// validatePodResourceConsistency: a pod-level budget must hold what its containers ask for.
// Pod-level requests cover the containers' aggregate requests (sidecar-aware, as the
// scheduler sums them), a pod-level hugepage limit covers the containers' aggregate limit,
// and no app container's limit exceeds the pod-level limit of the same resource. Only the
// resources spec.resources may carry count (cpu, memory, hugepages-*). The paths name the
// field to change (the API server reports the last rule under a path built from
// spec.resources).
absl::Status ValidatePodResourceConsistency(const Pod& pod) {
  const ResourceRequirements& budget = *pod.resources;
  for (const auto& [name, aggregate] : AggregateContainerRequests(pod)) {
    const Quantity* requested = FindResource(budget.requests, name);
    if (requested != nullptr && IsSupportedPodLevelResource(name) && aggregate > *requested) {
      return Invalid(absl::StrCat("spec.resources.requests.", EscapeInput(name)),
                     absl::StrCat("\"", requested->ToString(),
                                  "\" must be greater than or equal to aggregate container "
                                  "requests of ",
                                  aggregate.ToString()));
    }
  }
  for (const auto& [name, aggregate] : AggregateContainerLimits(pod)) {
    if (!IsHugepagesResource(name)) continue;
    const Quantity* limit = FindResource(budget.limits, name);
    if (limit != nullptr && aggregate > *limit) {
      return Invalid(absl::StrCat("spec.resources.limits.", EscapeInput(name)),
                     absl::StrCat("\"", limit->ToString(),
                                  "\" must be greater than or equal to aggregate container "
                                  "limits of ",
                                  aggregate.ToString()));
    }
  }
  for (size_t i = 0; i < pod.containers.size(); ++i) {
    for (const auto& [name, limit] : pod.containers[i].resources.limits) {
      const Quantity* pod_limit = FindResource(budget.limits, name);
      if (pod_limit != nullptr && IsSupportedPodLevelResource(name) && limit > *pod_limit) {
        return Invalid(
            absl::StrCat("spec.containers[", i, "].resources.limits.", EscapeInput(name)),
            absl::StrCat("\"", limit.ToString(), "\" must be less than or equal to pod limits of ",
                         pod_limit->ToString()));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidatePod(const Pod& pod, bool pod_level_resources) {
  if (pod.containers.empty()) {
    return Invalid("spec.containers", "required, a pod needs at least one container");
  }
  // Container names are unique across init, app and ephemeral containers.
  std::map<std::string, std::string, std::less<>> seen;
  const struct {
    const std::vector<Container>* list;
    std::string_view path;
  } groups[] = {{&pod.init_containers, "spec.initContainers"},
                {&pod.containers, "spec.containers"},
                {&pod.ephemeral_containers, "spec.ephemeralContainers"}};
  for (const auto& group : groups) {
    for (size_t i = 0; i < group.list->size(); ++i) {
      const Container& c = (*group.list)[i];
      const std::string path = absl::StrCat(AV(group.path), "[", i, "]");
      PODALLOC_RETURN_IF_ERROR(ValidateContainer(c, path));
      auto [it, inserted] = seen.emplace(c.name, path);
      if (!inserted) {
        return Invalid(absl::StrCat(path, ".name"),
                       absl::StrCat(QuoteInput(c.name), " duplicates ", it->second, ".name"));
      }
    }
  }
  PODALLOC_RETURN_IF_ERROR(ValidateNonNegative(pod.overhead, "spec.overhead"));
  if (pod.resources) {
    PODALLOC_RETURN_IF_ERROR(ValidateRequirements(*pod.resources, "spec.resources"));
    if (pod_level_resources) PODALLOC_RETURN_IF_ERROR(ValidatePodResourceConsistency(pod));
  }
  if (!pod.status.qos_class.empty() && !ParseQosClass(pod.status.qos_class).ok()) {
    return Invalid("status.qosClass",
                   absl::StrCat(QuoteInput(pod.status.qos_class),
                                " is not a QoS class (Guaranteed, Burstable, BestEffort)"));
  }
  return absl::OkStatus();
}

}  // namespace podalloc::internal
