// File: tools/podalloc/decision_table.h
// How `podalloc simulate` prints one admission decision: the pod's line (admitted or refused,
// QoS, scope, pod-level pool) and a table with a row per container, as kubectl prints
// resources: `table` the usual columns, `wide` the same and what one wants when debugging a
// placement (the container's merged NUMA hint, memory blocks, cgroup CPU values).
#pragma once

#include <ostream>

#include "podalloc/node.h"

namespace podalloc::cli {

struct DecisionTableStyle {
  bool wide = false;     // -o wide: DEVICES always, HINT, MEMORY.BLOCKS, CPU.MAX, CPU.WEIGHT
  bool explain = false;  // --explain: every reason and cgroup file below the table
  bool with_devices = false;  // the node has device plugins: a DEVICES column in the table
};

void PrintDecision(const Decision& d, const DecisionTableStyle& style, std::ostream& out);

}  // namespace podalloc::cli
