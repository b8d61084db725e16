// File: capi/node_handles.h
// What node and decision handles hold. A decision keeps the whole C++ Decision, since its
// state delta does not travel in the JSON, and the serial number of the node that made it, so
// it is committed to no other (not even a later node that happens to reuse the address).
#pragma once

#include <cstdint>
#include <memory>

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
