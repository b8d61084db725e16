// File: tests/unit/cpu_manager/cpu_test_support.h
// What the CPU manager's tests set up again and again: a static policy with both option
// gates on, its started state, the option sets the property tests sweep, and random picks.
#pragma once

#include <map>
#include <random>
#include <string>
#include <vector>

#include "podalloc/cpu_manager.h"
#include "podalloc/topology.h"

namespace podalloc::testing {

using PolicyOptions = std::map<std::string, std::string>;

// CpuStaticPolicy::Create with `reserved` CPUs, `options`, the alpha and beta option gates on
// and the PodLevelResourceManagers gate as given; FAILs the current test when it is refused.
CpuStaticPolicy MakeStaticPolicy(const Topology& topology, int reserved,
                                 PolicyOptions options = {}, bool pod_level_gate = false);

// A fresh state after policy.Start; FAILs the current test when Start refuses it.
CpuManagerState StartedState(const CpuStaticPolicy& policy);

// The option combinations the random sequences run under: none, each placement option
// alone, and strict reservation with whole cores.
std::vector<PolicyOptions> PropertyOptionSets();

// A uniform integer in [lo, hi].
int Pick(std::mt19937_64& rng, int lo, int hi);

}  // namespace podalloc::testing
