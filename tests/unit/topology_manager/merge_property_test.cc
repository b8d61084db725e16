// The fast merge against the brute-force kubelet model on seeded random cases.
#include <catch2/catch.hpp>

#include "podalloc/topology_manager.h"
#include "random_hints.h"
#include "reference/kubelet_merge.h"

namespace podalloc {
namespace {

using testing::RandomCase;
using testing::RandomHints;

uint64_t Seed() {
  const uint64_t s = Catch::rngSeed();
  return s != 0 ? s : 20240611;
}

// What the kubelet answered, to show the generator reaches every branch of the merge.
struct Outcomes {
  int preferred = 0;       // a preferred merge won
  int narrowed = 0;        // no preferred merge; a reachable intersection won
  int whole_machine = 0;   // nothing won: default affinity, not preferred
  int nil = 0;             // policy none, or single-numa-node's "whole machine"
};

// Runs `want` cases whose cross product stays below `max_permutations`; returns how many
// disagreed (each disagreement is reported with its full input).
int CompareRandom(RandomHints& gen, int want, int min_nodes, int max_nodes, int max_providers,
                  double max_permutations, Outcomes* outcomes) {
  int done = 0, mismatches = 0;
  while (done < want) {
    RandomCase c = gen.Case(min_nodes, max_nodes, max_providers);
    if (reference::PermutationCount(c.providers, c.policy) > max_permutations) continue;
    ++done;
    absl::StatusOr<NumaInfo> numa = NumaInfo::Create(c.nodes, true);
    REQUIRE(numa.ok());
    TopologyPolicyOptions options;
    options.prefer_closest_numa = c.prefer_closest;
    absl::StatusOr<MergeResult> fast = MergeHints(c.providers, c.policy, *numa, options);
    REQUIRE(fast.ok());
    const MergeResult slow = reference::KubeletMerge(c.providers, c.policy, c.machine,
                                                     c.prefer_closest);
    NumaMask all;
    for (int n : c.machine.nodes) all.Set(n);
    if (!slow.hint.affinity) {
      ++outcomes->nil;
    } else if (slow.hint.preferred) {
      ++outcomes->preferred;
    } else {
      ++(*slow.hint.affinity == all ? outcomes->whole_machine : outcomes->narrowed);
    }
    if (!(*fast == slow)) {
      ++mismatches;
      if (mismatches <= 3) {
        FAIL_CHECK("case " << done << "\n" << testing::Describe(c) << "\nfast "
                           << fast->hint.ToString() << " admit " << fast->admit << "\nkubelet "
                           << slow.hint.ToString() << " admit " << slow.admit);
      }
    }
  }
  return mismatches;
}

// 100000 cases in the optimised build; a fifth under the sanitizers, where the test is the
// ASan+UBSan stage's longest (about 5 minutes at full size) and looks for memory errors only.
#ifdef PODALLOC_SANITIZED_TESTS
constexpr int kRandomCases = 20000;
#else
constexpr int kRandomCases = 100000;
#endif

TEST_CASE("topology_manager: merge equals the kubelet's on random cases up to 8 nodes",
          "[topology_manager][property]") {
  const uint64_t seed = Seed();
  INFO("seed " << seed << " (rerun with --rng-seed " << seed << ")");
  RandomHints gen(seed);
  Outcomes o;
  CHECK(CompareRandom(gen, kRandomCases, 1, 8, 4, 20000, &o) == 0);
  INFO("preferred " << o.preferred << ", narrowed " << o.narrowed << ", whole machine "
                    << o.whole_machine << ", nil " << o.nil);
  // Every kind of outcome is common: at least 5%, 5%, 1% and 1% of the cases.
  CHECK(o.preferred > kRandomCases / 20);
  CHECK(o.narrowed > kRandomCases / 20);
  CHECK(o.whole_machine > kRandomCases / 100);
  CHECK(o.nil > kRandomCases / 100);
}

TEST_CASE("topology_manager: merge equals the kubelet's beyond 8 nodes, up to 64",
          "[topology_manager][property]") {
  const uint64_t seed = Seed() + 1;
  INFO("seed " << seed << " (rerun with --rng-seed " << seed - 1 << ")");
  RandomHints gen(seed);
  Outcomes o;
  CHECK(CompareRandom(gen, 300, 9, 12, 2, 20000, &o) == 0);
  CHECK(CompareRandom(gen, 5000, 13, 64, 3, 20000, &o) == 0);
  INFO("preferred " << o.preferred << ", narrowed " << o.narrowed);
  CHECK(o.preferred > 100);
  CHECK(o.narrowed > 100);
}

}  // namespace
}  // namespace podalloc
