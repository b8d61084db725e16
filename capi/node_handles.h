// File: capi/node_handles.h
// What node and decision handles hold. A decision keeps the whole C++ Decision, since its
// state delta does not travel in the JSON, and the node that made it, so it is committed to
// no other.
#pragma once

#include <memory>

#include "podalloc/node.h"
#include "podalloc/podalloc.h"

struct podalloc_node {
  std::unique_ptr<podalloc::Node> node;
};

struct podalloc_decision {
  podalloc::Decision decision;
  const podalloc_node* made_by = nullptr;
};
