// File: capi/resize.cc
// In-place resize of an admitted pod (Node::Resize, or Node::CheckResize for a preview): the
// desired pod (JSON or typed) and options in, the ResizeDecision out as JSON or as a handle
// (read in resize_typed.cc). Current memory usage comes as a small JSON document, read here
// and nowhere else.

#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "buffer.h"
#include "guard.h"
#include "node_handles.h"
#include "pod_typed.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/internal/json_input.h"
#include "podalloc/pod.h"
#include "podalloc/quantity.h"
#include "podalloc/resize.h"
#include "podalloc/resize_json.h"

namespace podalloc::capi {
namespace {

constexpr uint32_t kResizeFlags = PODALLOC_RESIZE_CHECK_ONLY | PODALLOC_RESIZE_STATIC_POD;
// podalloc_resize_options as published in 0.1.
constexpr size_t kResizeOptionsV0Size = sizeof(podalloc_resize_options);

podalloc_resize_options DefaultResizeOptions() {
  return podalloc_resize_options PODALLOC_RESIZE_OPTIONS_INIT;
}

// A byte count: a non-negative integer, or a quantity string ("512Mi") read as the
// kubelet reads memory (Value(), rounded up).
absl::StatusOr<int64_t> UsageBytes(const nlohmann::json& value, const std::string& path) {
  if (value.is_number_unsigned()) {
    const uint64_t n = value.get<uint64_t>();
    if (n <= static_cast<uint64_t>(INT64_MAX)) return static_cast<int64_t>(n);
  } else if (value.is_number_integer()) {
    const int64_t n = value.get<int64_t>();
    if (n >= 0) return n;
  } else if (value.is_string()) {
    absl::StatusOr<Quantity> q = Quantity::Parse(value.get<std::string>());
    if (q.ok() && q->Sign() >= 0) return q->Value();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "options->usage_json: ", path, " is ", internal::JsonExcerpt(value),
      "; expected a byte count (a non-negative integer or a quantity such as \"512Mi\")"));
}

bool HasContainer(const Pod& pod, std::string_view name) {
  for (const auto* list : {&pod.init_containers, &pod.containers}) {
    for (const Container& c : *list) {
      if (c.name == name) return true;
    }
  }
  return false;
}

// {"pod": bytes, "containers": {"name": bytes}}; both keys optional, nothing else allowed.
// Containers must be init or app containers of `pod`, so a misspelt name is not ignored.
absl::StatusOr<ResizeUsage> ParseUsage(std::string_view text, const Pod& pod) {
  absl::StatusOr<nlohmann::json> parsed =
      internal::ParseJson(text, internal::JsonPathStyle::kDotted);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("options->usage_json is not valid JSON: ", parsed.status().message()));
  }
  const nlohmann::json& doc = *parsed;
  if (!doc.is_object()) {
    return absl::InvalidArgumentError("options->usage_json must be a JSON object");
  }
  ResizeUsage usage;
  for (const auto& [key, value] : doc.items()) {
    if (key == "pod") {
      PODALLOC_ASSIGN_OR_RETURN(usage.pod_memory, UsageBytes(value, "pod"));
    } else if (key == "containers") {
      if (!value.is_object()) {
        return absl::InvalidArgumentError(
            "options->usage_json: containers must be an object of container name -> bytes");
      }
      for (const auto& [name, bytes] : value.items()) {
        const std::string path = absl::StrCat("containers.", internal::EscapeInput(name));
        if (!HasContainer(pod, name)) {
          return absl::InvalidArgumentError(absl::StrCat("options->usage_json: ", path,
                                                         ": the pod has no container ",
                                                         internal::QuoteInput(name)));
        }
        PODALLOC_ASSIGN_OR_RETURN(usage.container_memory[name], UsageBytes(bytes, path));
      }
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("options->usage_json: unknown key ", internal::QuoteInput(key),
                       " (expected \"pod\", \"containers\")"));
    }
  }
  return usage;
}

// Reads the options, judges the resize of `desired` (and, unless check-only, records it) and
// hands the decision to `deliver`. Should `deliver` run out of memory after a recorded
// resize, the pod is resized back to what it had, so the failed call leaves the node as it
// found it.
template <typename ReadPod, typename Deliver>
absl::Status ResizeAndDeliver(Node& n, const podalloc_resize_options* options, ReadPod&& read_pod,
                              Deliver&& deliver) {
  PODALLOC_ASSIGN_OR_RETURN(
      const podalloc_resize_options opts,
      ReadOptions(options, DefaultResizeOptions(), kResizeOptionsV0Size, "options"));
  PODALLOC_RETURN_IF_ERROR(CheckFlags(opts.flags, kResizeFlags, "options->flags"));
  PODALLOC_ASSIGN_OR_RETURN(std::string_view usage_text,
                            Text(opts.usage_json, opts.usage_json_len, "options->usage_json"));
  PODALLOC_ASSIGN_OR_RETURN(const Pod desired, read_pod());
  std::optional<ResizeUsage> usage;
  if (!usage_text.empty()) {
    PODALLOC_ASSIGN_OR_RETURN(usage, ParseUsage(usage_text, desired));
  }
  const ResizeUsage* usage_ptr = usage ? &*usage : nullptr;
  const bool static_pod = (opts.flags & PODALLOC_RESIZE_STATIC_POD) != 0;

  if ((opts.flags & PODALLOC_RESIZE_CHECK_ONLY) != 0) {
    PODALLOC_ASSIGN_OR_RETURN(
        ResizeDecision decision,
        static_cast<const Node&>(n).CheckResize(desired, usage_ptr, static_pod));
    deliver(std::move(decision));
    return absl::OkStatus();
  }
  const std::optional<Pod> recorded = n.AdmittedPod(PodStateKey(desired));
  PODALLOC_ASSIGN_OR_RETURN(ResizeDecision decision, n.Resize(desired, usage_ptr, static_pod));
  const bool applied = decision.applied;
  try {
    deliver(std::move(decision));
  } catch (const std::bad_alloc&) {
    if (applied && recorded) n.Resize(*recorded).IgnoreError();
    throw;
  }
  return absl::OkStatus();
}

// The desired pod of the JSON calls.
absl::StatusOr<Pod> ReadJsonPod(const char* pod_json, size_t pod_json_len) {
  PODALLOC_ASSIGN_OR_RETURN(std::string_view json, Text(pod_json, pod_json_len, "pod_json"));
  return ParsePod(json);
}

}  // namespace
}  // namespace podalloc::capi

using podalloc::capi::GuardNode;
using podalloc::capi::NotNull;

extern "C" {

PODALLOC_API void podalloc_resize_options_init(podalloc_resize_options* options) noexcept {
  if (options != nullptr) *options = podalloc::capi::DefaultResizeOptions();
}

PODALLOC_API podalloc_status podalloc_node_resize(podalloc_buffer* out, podalloc_node* node,
                                                  const char* pod_json, size_t pod_json_len,
                                                  const podalloc_resize_options* options,
                                                  podalloc_error** err) noexcept {
  return GuardNode(err, node, [&](podalloc::Node& n) -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    return podalloc::capi::ResizeAndDeliver(
        n, options, [&] { return podalloc::capi::ReadJsonPod(pod_json, pod_json_len); },
        [out](podalloc::ResizeDecision&& decision) {
          podalloc::capi::FillBuffer(out, podalloc::ResizeDecisionToJson(decision));
        });
  });
}

PODALLOC_API podalloc_status podalloc_node_resize_json(podalloc_resize_decision** out,
                                                       podalloc_node* node, const char* pod_json,
                                                       size_t pod_json_len,
                                                       const podalloc_resize_options* options,
                                                       podalloc_error** err) noexcept {
  return GuardNode(err, node, [&](podalloc::Node& n) -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    *out = nullptr;
    auto handle = std::make_unique<podalloc_resize_decision>();
    PODALLOC_RETURN_IF_ERROR(podalloc::capi::ResizeAndDeliver(
        n, options, [&] { return podalloc::capi::ReadJsonPod(pod_json, pod_json_len); },
        [&handle](podalloc::ResizeDecision&& decision) { handle->decision = std::move(decision); }));
    *out = handle.release();
    return absl::OkStatus();
  });
}

PODALLOC_API podalloc_status podalloc_node_resize_typed(podalloc_resize_decision** out,
                                                        podalloc_node* node,
                                                        const podalloc_pod* pod,
                                                        const podalloc_resize_options* options,
                                                        podalloc_error** err) noexcept {
  return GuardNode(err, node, [&](podalloc::Node& n) -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    *out = nullptr;
    auto handle = std::make_unique<podalloc_resize_decision>();
    PODALLOC_RETURN_IF_ERROR(podalloc::capi::ResizeAndDeliver(
        n, options, [&] { return podalloc::capi::PodFromTyped(pod); },
        [&handle](podalloc::ResizeDecision&& decision) { handle->decision = std::move(decision); }));
    *out = handle.release();
    return absl::OkStatus();
  });
}

}  // extern "C"
