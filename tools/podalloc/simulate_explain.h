// File: tools/podalloc/simulate_explain.h
// `podalloc simulate --explain` for a refused pod (or a critical pod admitted through
// preemption): which hint provider left the topology manager nothing to admit, with every
// provider's hints, and which resources the pod does not fit by how much.
#pragma once

#include <ostream>

#include "podalloc/node.h"

namespace podalloc::cli {

// Prints the decision's topology rejection, resource shortfalls and preemption, if any,
// indented under the pod's line.
void PrintWhy(const Decision& decision, std::ostream& out);

// The resource fit part of PrintWhy: the resources the pod does not fit by how much, and a
// critical pod's preemption.
void PrintFitShortfall(const Decision& decision, std::ostream& out);

}  // namespace podalloc::cli
