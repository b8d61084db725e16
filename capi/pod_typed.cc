// File: capi/pod_typed.cc
// Typed pods (podalloc_pod) into the C++ Pod, and admission of them. The translation only
// checks what the C form can get wrong on its own (NULLs, sizes, kinds, negative integers,
// resource names) and names the typed field; everything a JSON pod is checked for, and the
// API server's defaulting, is the JSON reader's own code (DefaultAndValidatePod), so both
// inputs give the same pod and the same decision.

#include <cstdint>
#include <new>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "guard.h"
#include "pod_typed.h"
#include "node_handles.h"
#include "podalloc/pod.h"
#include "podalloc/pod_json.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/internal/utf8.h"
#include "podalloc/quantity.h"

namespace podalloc::capi {
namespace {

// The first published versions of the structs.
constexpr size_t kPodV0Size = sizeof(podalloc_pod);
constexpr size_t kContainerV0Size = sizeof(podalloc_container);

constexpr uint32_t kPodFlags = PODALLOC_POD_RESOURCES | PODALLOC_POD_PRIORITY |
                               PODALLOC_POD_CONFIG_SOURCE | PODALLOC_POD_MIRROR;
constexpr uint32_t kResourceBits =
    PODALLOC_RESOURCE_CPU | PODALLOC_RESOURCE_MEMORY | PODALLOC_RESOURCE_EPHEMERAL_STORAGE;

absl::string_view AV(std::string_view s) { return absl::string_view(s.data(), s.size()); }

absl::Status Invalid(absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", what));
}

// The typed field an error names ("pod->containers[1].requests.cpu_milli"), as a chain of
// segments on the stack: a call that succeeds builds no string.
struct Field {
  const Field* parent = nullptr;
  absl::string_view name;
  int64_t index = -1;  // "[index]" after the name when not negative

  Field Child(absl::string_view child, int64_t i = -1) const { return Field{this, child, i}; }
  std::string Str() const {
    std::string s;
    if (parent != nullptr) s = absl::StrCat(parent->Str(), parent->parent == nullptr ? "->" : ".");
    absl::StrAppend(&s, name);
    if (index >= 0) absl::StrAppend(&s, "[", index, "]");
    return s;
  }
};

absl::Status Invalid(const Field& field, absl::string_view what) {
  return Invalid(field.Str(), what);
}

absl::StatusOr<std::string_view> TextField(const podalloc_text& t, const Field& field) {
  if (t.data == nullptr && t.size != 0) {
    return Invalid(field, absl::StrCat("data is NULL but size is ", t.size));
  }
  const std::string_view text(t.data == nullptr ? "" : t.data, t.size);
  // Names reach the decision and state JSON, which must be UTF-8 (a JSON pod's always are).
  if (const size_t bad = internal::FirstInvalidUtf8(text); bad != std::string_view::npos) {
    return Invalid(field,
                   absl::StrCat(internal::QuoteInput(text), " is not UTF-8 (byte ", bad, ")"));
  }
  return text;
}

// Bytes print as the JSON form usually writes them ("2Gi" rather than "2147483648") in
// messages and in the state, whole multiples of 1Ki in binary units.
Quantity Bytes(int64_t bytes) {
  return Quantity::FromValue(
      bytes, bytes % 1024 == 0 ? Quantity::Format::kBinarySI : Quantity::Format::kDecimalSI);
}

absl::Status Add(ResourceList& list, std::string_view name, Quantity q, int64_t value,
                 const Field& field) {
  if (value < 0) {
    return Invalid(field, absl::StrCat(value, " must be greater than or equal to 0"));
  }
  list.emplace(std::string(name), q);
  return absl::OkStatus();
}

absl::StatusOr<ResourceList> Resources(const podalloc_resources& r, const Field& field) {
  if ((r.present & ~kResourceBits) != 0) {
    return Invalid(field.Child("present"),
                   absl::StrCat("unknown bits 0x", absl::Hex(r.present & ~kResourceBits)));
  }
  ResourceList list;
  if ((r.present & PODALLOC_RESOURCE_CPU) != 0) {
    PODALLOC_RETURN_IF_ERROR(Add(list, kResourceCpu, Quantity::FromMilli(r.cpu_milli), r.cpu_milli,
                                 field.Child("cpu_milli")));
  }
  if ((r.present & PODALLOC_RESOURCE_MEMORY) != 0) {
    PODALLOC_RETURN_IF_ERROR(Add(list, kResourceMemory, Bytes(r.memory_bytes), r.memory_bytes,
                                 field.Child("memory_bytes")));
  }
  if ((r.present & PODALLOC_RESOURCE_EPHEMERAL_STORAGE) != 0) {
    PODALLOC_RETURN_IF_ERROR(Add(list, kResourceEphemeralStorage, Bytes(r.ephemeral_storage_bytes),
                                 r.ephemeral_storage_bytes,
                                 field.Child("ephemeral_storage_bytes")));
  }
  if (r.other_count != 0 && r.other == nullptr) {
    return Invalid(field.Child("other"), absl::StrCat("NULL but other_count is ", r.other_count));
  }
  for (size_t i = 0; i < r.other_count; ++i) {
    const Field entry = field.Child("other", static_cast<int64_t>(i));
    PODALLOC_ASSIGN_OR_RETURN(std::string_view name,
                              TextField(r.other[i].name, entry.Child("name")));
    if (name.empty() || name == kResourceCpu || name == kResourceMemory ||
        name == kResourceEphemeralStorage) {
      return Invalid(entry.Child("name"),
                     absl::StrCat("\"", AV(name),
                                  "\" is not an extended or hugepages resource (cpu, memory "
                                  "and ephemeral-storage have their own fields)"));
    }
    if (list.contains(name)) {
      return Invalid(entry.Child("name"), absl::StrCat("\"", AV(name), "\" given twice"));
    }
    const int64_t v = r.other[i].value;
    const Quantity q = IsHugepagesResource(name) ? Bytes(v) : Quantity::FromValue(v);
    PODALLOC_RETURN_IF_ERROR(Add(list, name, q, v, entry.Child("value")));
  }
  return list;
}

absl::StatusOr<std::string> RestartPolicy(const podalloc_container& c, const Field& field) {
  const bool sidecar = c.kind == PODALLOC_CONTAINER_KIND_SIDECAR;
  switch (c.restart_policy) {
    case PODALLOC_RESTART_UNSET: return sidecar ? "Always" : "";
    case PODALLOC_RESTART_ALWAYS:
      if (c.kind == PODALLOC_CONTAINER_KIND_INIT) {
        return Invalid(field,
                       "ALWAYS on an init container makes it a sidecar: give kind "
                       "PODALLOC_CONTAINER_KIND_SIDECAR");
      }
      return "Always";
    case PODALLOC_RESTART_ON_FAILURE:
    case PODALLOC_RESTART_NEVER:
      if (sidecar) return Invalid(field, "a sidecar's restart policy is ALWAYS");
      return c.restart_policy == PODALLOC_RESTART_NEVER ? "Never" : "OnFailure";
    default:
      return Invalid(field, absl::StrCat(c.restart_policy, " is not a PODALLOC_RESTART_ value"));
  }
}

absl::StatusOr<Container> ContainerFromTyped(const podalloc_container& c, const Field& field) {
  Container out;
  PODALLOC_ASSIGN_OR_RETURN(std::string_view name, TextField(c.name, field.Child("name")));
  out.name = std::string(name);
  PODALLOC_ASSIGN_OR_RETURN(out.restart_policy, RestartPolicy(c, field.Child("restart_policy")));
  PODALLOC_ASSIGN_OR_RETURN(out.resources.requests, Resources(c.requests, field.Child("requests")));
  PODALLOC_ASSIGN_OR_RETURN(out.resources.limits, Resources(c.limits, field.Child("limits")));
  if (c.resize_policy_count != 0 && c.resize_policy == nullptr) {
    return Invalid(field.Child("resize_policy"),
                   absl::StrCat("NULL but resize_policy_count is ", c.resize_policy_count));
  }
  for (size_t i = 0; i < c.resize_policy_count; ++i) {
    const podalloc_resize_policy& p = c.resize_policy[i];
    const Field entry = field.Child("resize_policy", static_cast<int64_t>(i));
    PODALLOC_ASSIGN_OR_RETURN(std::string_view resource,
                              TextField(p.resource_name, entry.Child("resource_name")));
    if (p.restart != PODALLOC_RESIZE_NOT_REQUIRED &&
        p.restart != PODALLOC_RESIZE_RESTART_CONTAINER) {
      return Invalid(entry.Child("restart"),
                     absl::StrCat(p.restart, " is not a PODALLOC_RESIZE_ value"));
    }
    out.resize_policy.push_back(ContainerResizePolicy{
        std::string(resource),
        p.restart == PODALLOC_RESIZE_NOT_REQUIRED ? "NotRequired" : "RestartContainer"});
  }
  return out;
}

// Container `index` of the array, whose stride is the first element's struct_size.
absl::StatusOr<podalloc_container> ContainerAt(const podalloc_pod& pod, size_t index,
                                               const Field& field) {
  const auto* base = reinterpret_cast<const unsigned char*>(pod.containers);
  const size_t stride = pod.containers[0].struct_size;
  const auto* c = reinterpret_cast<const podalloc_container*>(base + index * stride);
  if (c->struct_size != stride) {
    return Invalid(field.Child("struct_size"),
                   absl::StrCat(c->struct_size, " differs from containers[0].struct_size ", stride,
                                " (the array's stride)"));
  }
  podalloc_container defaults{};
  defaults.struct_size = sizeof(podalloc_container);
  // The stride is at least the first version's size (checked on containers[0]), so only a
  // longer struct can be refused, and only then is the name needed.
  if (stride <= sizeof(podalloc_container)) {
    return ReadOptions(c, defaults, kContainerV0Size, "pod->containers[]");
  }
  return ReadOptions(c, defaults, kContainerV0Size, field.Str().c_str());
}

// The kind's place in the Pod, and its JSON path ("spec.initContainers").
std::pair<std::vector<Container>*, absl::string_view> Group(Pod& pod, int32_t kind) {
  switch (kind) {
    case PODALLOC_CONTAINER_KIND_APP: return {&pod.containers, "spec.containers"};
    case PODALLOC_CONTAINER_KIND_INIT:
    case PODALLOC_CONTAINER_KIND_SIDECAR: return {&pod.init_containers, "spec.initContainers"};
    case PODALLOC_CONTAINER_KIND_EPHEMERAL:
      return {&pod.ephemeral_containers, "spec.ephemeralContainers"};
    default: return {nullptr, ""};
  }
}

// A validation error of the translated pod names a JSON path; when it is a container's, say
// which typed container that is.
absl::Status NameTypedContainer(const absl::Status& status, const podalloc_pod& pod) {
  Pod counter;
  const Field root{nullptr, "pod"};
  for (size_t i = 0; i < pod.container_count; ++i) {
    const int32_t kind = ContainerAt(pod, i, root.Child("containers", i))->kind;
    auto [group, path] = Group(counter, kind);
    const std::string prefix = absl::StrCat(path, "[", group->size(), "]");
    group->emplace_back();
    const absl::string_view message = status.message();
    if (absl::StartsWith(message, prefix) && message.size() > prefix.size() &&
        (message[prefix.size()] == '.' || message[prefix.size()] == ':')) {
      return absl::Status(status.code(), absl::StrCat(message, " (pod->containers[", i, "])"));
    }
  }
  return status;
}

}  // namespace

absl::StatusOr<Pod> PodFromTyped(const podalloc_pod* typed) {
  PODALLOC_RETURN_IF_ERROR(NotNull(typed, "pod"));
  podalloc_pod defaults{};
  defaults.struct_size = sizeof(podalloc_pod);
  PODALLOC_ASSIGN_OR_RETURN(const podalloc_pod p, ReadOptions(typed, defaults, kPodV0Size, "pod"));
  PODALLOC_RETURN_IF_ERROR(CheckFlags(p.flags, kPodFlags, "pod->flags"));
  const Field root{nullptr, "pod"};
  Pod pod;
  PODALLOC_ASSIGN_OR_RETURN(std::string_view name, TextField(p.name, root.Child("name")));
  PODALLOC_ASSIGN_OR_RETURN(std::string_view ns,
                            TextField(p.namespace_name, root.Child("namespace_name")));
  PODALLOC_ASSIGN_OR_RETURN(std::string_view uid, TextField(p.uid, root.Child("uid")));
  pod.name = std::string(name);
  pod.namespace_name = std::string(ns);
  pod.uid = std::string(uid);
  if (p.container_count != 0) {
    PODALLOC_RETURN_IF_ERROR(NotNull(p.containers, "pod->containers"));
    if (p.containers[0].struct_size < kContainerV0Size) {
      return Invalid("pod->containers[0].struct_size",
                     absl::StrCat(p.containers[0].struct_size, "; expected at least ",
                                  kContainerV0Size, " (initialise with PODALLOC_CONTAINER_INIT)"));
    }
  }
  for (size_t i = 0; i < p.container_count; ++i) {
    const Field field = root.Child("containers", static_cast<int64_t>(i));
    PODALLOC_ASSIGN_OR_RETURN(const podalloc_container c, ContainerAt(p, i, field));
    auto [group, path] = Group(pod, c.kind);
    if (group == nullptr) {
      return Invalid(field.Child("kind"),
                     absl::StrCat(c.kind, " is not a PODALLOC_CONTAINER_KIND_ value"));
    }
    PODALLOC_ASSIGN_OR_RETURN(Container container, ContainerFromTyped(c, field));
    group->push_back(std::move(container));
  }
  PODALLOC_ASSIGN_OR_RETURN(pod.overhead, Resources(p.overhead, root.Child("overhead")));
  if ((p.flags & PODALLOC_POD_RESOURCES) != 0) {
    ResourceRequirements pod_level;
    PODALLOC_ASSIGN_OR_RETURN(pod_level.requests, Resources(p.requests, root.Child("requests")));
    PODALLOC_ASSIGN_OR_RETURN(pod_level.limits, Resources(p.limits, root.Child("limits")));
    pod.resources = std::move(pod_level);
  }
  if ((p.flags & PODALLOC_POD_PRIORITY) != 0) pod.priority = p.priority;
  if ((p.flags & PODALLOC_POD_CONFIG_SOURCE) != 0) {
    PODALLOC_ASSIGN_OR_RETURN(std::string_view source,
                              TextField(p.config_source, root.Child("config_source")));
    pod.config_source = std::string(source);
  }
  pod.mirror = (p.flags & PODALLOC_POD_MIRROR) != 0;
  if (absl::Status s = DefaultAndValidatePod(pod); !s.ok()) return NameTypedContainer(s, p);
  return pod;
}

}  // namespace podalloc::capi

using podalloc::capi::GuardNode;
using podalloc::capi::NotNull;

extern "C" {

PODALLOC_API podalloc_status podalloc_node_admit_typed(podalloc_decision** out,
                                                       const podalloc_node* node,
                                                       const podalloc_pod* pod,
                                                       podalloc_error** err) noexcept {
  return GuardNode(err, node, [&](const podalloc::Node& n) -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_ASSIGN_OR_RETURN(podalloc::Pod p, podalloc::capi::PodFromTyped(pod));
    PODALLOC_ASSIGN_OR_RETURN(podalloc::Decision decision, n.Admit(p));
    *out = new podalloc_decision{std::move(decision), node->serial};
    return absl::OkStatus();
  });
}

PODALLOC_API podalloc_status podalloc_node_admit_and_commit_typed(podalloc_decision** out,
                                                                  podalloc_node* node,
                                                                  const podalloc_pod* pod,
                                                                  podalloc_error** err) noexcept {
  return GuardNode(err, node, [&](podalloc::Node& n) -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_ASSIGN_OR_RETURN(podalloc::Pod p, podalloc::capi::PodFromTyped(pod));
    PODALLOC_ASSIGN_OR_RETURN(podalloc::Decision decision, n.AdmitAndCommit(p));
    try {
      *out = new podalloc_decision{std::move(decision), node->serial};
    } catch (const std::bad_alloc&) {
      // Out of memory after the commit: take the pod back out so the call changes nothing.
      if (decision.admitted) n.RemovePod(decision.pod_uid).IgnoreError();
      throw;
    }
    return absl::OkStatus();
  });
}

}  // extern "C"
