// File: capi/resize_typed.cc
// Reading a resize decision without JSON: outcome, flags, the kubelet's texts, the ordered
// cgroup writes and the restarted containers. Text is borrowed from the handle.

#include "absl/strings/str_cat.h"
#include "buffer.h"
#include "guard.h"
#include "node_handles.h"
#include "podalloc/resize_json.h"
#include "struct_out.h"

namespace podalloc::capi {
namespace {

// The first published layouts.
constexpr size_t kSummaryV0Size = sizeof(podalloc_resize_summary);
constexpr size_t kWriteV0Size = sizeof(podalloc_cgroup_write);

int32_t OutcomeOf(const ResizeDecision& d) {
  if (d.feasibility.feasible) return PODALLOC_RESIZE_FEASIBLE;
  return d.feasibility.reason == ResizeReason::kDeferred ? PODALLOC_RESIZE_DEFERRED
                                                         : PODALLOC_RESIZE_INFEASIBLE;
}

}  // namespace
}  // namespace podalloc::capi

using podalloc::capi::Guard;
using podalloc::capi::NotNull;

extern "C" {

PODALLOC_API void podalloc_resize_decision_destroy(podalloc_resize_decision* decision) noexcept {
  delete decision;
}

PODALLOC_API podalloc_status podalloc_resize_decision_summary(
    podalloc_resize_summary* out, const podalloc_resize_decision* decision,
    podalloc_error** err) noexcept {
  return Guard(err, [&]() -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_RETURN_IF_ERROR(NotNull(decision, "decision"));
    PODALLOC_RETURN_IF_ERROR(podalloc::capi::CheckStructSize(
        out->struct_size, podalloc::capi::kSummaryV0Size, "PODALLOC_RESIZE_SUMMARY_INIT"));
    const podalloc::ResizeDecision& d = decision->decision;
    podalloc_resize_summary s{};
    s.struct_size = sizeof s;
    s.outcome = podalloc::capi::OutcomeOf(d);
    if (d.applied) s.flags |= PODALLOC_RESIZE_APPLIED;
    if (d.plan.refused) s.flags |= PODALLOC_RESIZE_REFUSED;
    s.pod_uid = podalloc::capi::TextOf(d.pod_uid);
    s.message = podalloc::capi::TextOf(d.feasibility.message);
    s.reason_detail = podalloc::capi::TextOf(d.feasibility.reason_detail);
    s.refusal = podalloc::capi::TextOf(d.plan.refusal);
    s.write_count = d.plan.writes.size();
    s.restarted_count = d.restarted_containers.size();
    s.base_version = d.base_version;
    podalloc::capi::CopyOut(out, s);
    return absl::OkStatus();
  });
}

PODALLOC_API podalloc_status podalloc_resize_decision_write(podalloc_cgroup_write* out,
                                                            const podalloc_resize_decision* decision,
                                                            size_t index,
                                                            podalloc_error** err) noexcept {
  return Guard(err, [&]() -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_RETURN_IF_ERROR(NotNull(decision, "decision"));
    PODALLOC_RETURN_IF_ERROR(podalloc::capi::CheckStructSize(
        out->struct_size, podalloc::capi::kWriteV0Size, "PODALLOC_CGROUP_WRITE_INIT"));
    const auto& writes = decision->decision.plan.writes;
    if (index >= writes.size()) {
      return absl::OutOfRangeError(
          absl::StrCat("index ", index, " is past the plan's ", writes.size(), " writes"));
    }
    podalloc_cgroup_write w{};
    w.struct_size = sizeof w;
    w.cgroup = podalloc::capi::TextOf(writes[index].cgroup);
    w.file = podalloc::capi::TextOf(writes[index].file);
    w.value = podalloc::capi::TextOf(writes[index].value);
    podalloc::capi::CopyOut(out, w);
    return absl::OkStatus();
  });
}

PODALLOC_API podalloc_status podalloc_resize_decision_restarted(
    podalloc_text* out, const podalloc_resize_decision* decision, size_t index,
    podalloc_error** err) noexcept {
  return Guard(err, [&]() -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_RETURN_IF_ERROR(NotNull(decision, "decision"));
    const auto& restarted = decision->decision.restarted_containers;
    if (index >= restarted.size()) {
      return absl::OutOfRangeError(absl::StrCat("index ", index, " is past the ",
                                                restarted.size(), " restarted containers"));
    }
    *out = podalloc::capi::TextOf(restarted[index]);
    return absl::OkStatus();
  });
}

PODALLOC_API podalloc_status podalloc_resize_decision_to_json(
    podalloc_buffer* out, const podalloc_resize_decision* decision, podalloc_error** err) noexcept {
  return Guard(err, [&]() -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_RETURN_IF_ERROR(NotNull(decision, "decision"));
    podalloc::capi::FillBuffer(out, podalloc::ResizeDecisionToJson(decision->decision));
    return absl::OkStatus();
  });
}

}  // extern "C"
