// File: capi/node_handles.h
// What node and decision handles hold, and the guard every call on a node goes through. A
// decision keeps the whole C++ Decision, since its state delta does not travel in the JSON,
// and the serial number of the node that made it, so it is committed to no other (not even a
// later node that happens to reuse the address).
#pragma once

#include <cstdint>
#include <memory>
#include <type_traits>

#include "guard.h"
#include "podalloc/node.h"
#include "podalloc/podalloc.h"

struct podalloc_node {
  std::unique_ptr<podalloc::Node> node;
  uint64_t serial = 0;  // unique among the nodes of this process
};

struct podalloc_decision {
  podalloc::Decision decision;
  uint64_t made_by = 0;  // the serial of the node that made it
};

struct podalloc_resize_decision {
  podalloc::ResizeDecision decision;
};

namespace podalloc::capi {

// Guard for a call on a node handle: a NULL handle is InvalidArgument "node is NULL";
// otherwise `fn` gets the handle's Node, const when the handle is.
template <typename Handle, typename Fn>
  requires std::is_same_v<std::remove_const_t<Handle>, podalloc_node>
podalloc_status GuardNode(podalloc_error** err, Handle* handle, Fn&& fn) noexcept {
  return Guard(err, [&]() -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(handle, "node"));
    if constexpr (std::is_const_v<Handle>) {
      return fn(static_cast<const Node&>(*handle->node));
    } else {
      return fn(*handle->node);
    }
  });
}

}  // namespace podalloc::capi
