// Policy and scope names and the policy options (policy_options.go), with Go's strconv
// syntax for the values so the same strings are accepted and rejected.
#include <cstdint>
#include <limits>
#include <optional>
#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/topology_manager.h"

namespace podalloc {
namespace {

// Go's %q for the plain option names and values the kubelet quotes, bounded.
std::string Quote(std::string_view s) { return internal::QuoteInput(s); }

// strconv.ParseBool.
std::optional<bool> GoParseBool(std::string_view v) {
  for (const char* t : {"1", "t", "T", "TRUE", "true", "True"}) {
    if (v == t) return true;
  }
  for (const char* f : {"0", "f", "F", "FALSE", "false", "False"}) {
    if (v == f) return false;
  }
  return std::nullopt;
}

// strconv.Atoi on a 64-bit platform: optional sign, decimal digits, nothing else.
// Returns the error text Go would give, or the value.
absl::StatusOr<int64_t> GoAtoi(std::string_view v) {
  const std::string prefix = absl::StrCat("strconv.Atoi: parsing ", Quote(v), ": ");
  size_t i = 0;
  bool negative = false;
  if (!v.empty() && (v[0] == '+' || v[0] == '-')) {
    negative = v[0] == '-';
    i = 1;
  }
  if (i == v.size()) return absl::InvalidArgumentError(prefix + "invalid syntax");
  uint64_t magnitude = 0;
  bool overflow = false;
  for (; i < v.size(); ++i) {
    if (v[i] < '0' || v[i] > '9') return absl::InvalidArgumentError(prefix + "invalid syntax");
    const uint64_t digit = static_cast<uint64_t>(v[i] - '0');
    if (magnitude > (std::numeric_limits<uint64_t>::max() - digit) / 10) overflow = true;
    magnitude = overflow ? magnitude : magnitude * 10 + digit;
  }
  const uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  if (overflow || magnitude > limit) {
    return absl::InvalidArgumentError(prefix + "value out of range");
  }
  return negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
}

}  // namespace

absl::StatusOr<TopologyPolicy> ParseTopologyPolicy(std::string_view name) {
  for (TopologyPolicy p : {TopologyPolicy::kNone, TopologyPolicy::kBestEffort,
                           TopologyPolicy::kRestricted, TopologyPolicy::kSingleNumaNode}) {
    if (name == TopologyPolicyName(p)) return p;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown policy: ", Quote(name)));
}

const char* TopologyPolicyName(TopologyPolicy policy) {
  switch (policy) {
    case TopologyPolicy::kNone:
      return "none";
    case TopologyPolicy::kBestEffort:
      return "best-effort";
    case TopologyPolicy::kRestricted:
      return "restricted";
    case TopologyPolicy::kSingleNumaNode:
      return "single-numa-node";
  }
  return "none";
}

absl::StatusOr<TopologyScope> ParseTopologyScope(std::string_view name) {
  if (name == "container") return TopologyScope::kContainer;
  if (name == "pod") return TopologyScope::kPod;
  return absl::InvalidArgumentError(absl::StrCat("unknown scope: ", Quote(name)));
}

const char* TopologyScopeName(TopologyScope scope) {
  return scope == TopologyScope::kPod ? "pod" : "container";
}

OptionAvailability OptionAvailability::Default() {
  OptionAvailability a;
  a.levels[kPreferClosestNumaNodes] = OptionMaturity::kStable;
  a.levels[kMaxAllowableNumaNodes] = OptionMaturity::kStable;
  return a;
}

absl::Status CheckPolicyOptionAvailable(std::string_view name,
                                        const OptionAvailability& availability) {
  auto it = availability.levels.find(std::string(name));
  if (it == availability.levels.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown Topology Manager Policy option: ", Quote(name)));
  }
  if (it->second == OptionMaturity::kAlpha && !availability.alpha_options_gate) {
    return absl::FailedPreconditionError(absl::StrCat(
        "topology manager policy alpha-level options not enabled, but option ", Quote(name),
        " provided"));
  }
  if (it->second == OptionMaturity::kBeta && !availability.beta_options_gate) {
    return absl::FailedPreconditionError(absl::StrCat(
        "topology manager policy beta-level options not enabled, but option ", Quote(name),
        " provided"));
  }
  return absl::OkStatus();
}

absl::StatusOr<TopologyPolicyOptions> ParseTopologyPolicyOptions(
    const std::map<std::string, std::string>& raw, const OptionAvailability& availability) {
  TopologyPolicyOptions opts;
  for (const auto& [name, value] : raw) {
    if (absl::Status s = CheckPolicyOptionAvailable(name, availability); !s.ok()) return s;
    if (name == kPreferClosestNumaNodes) {
      const std::optional<bool> b = GoParseBool(value);
      if (!b) {
        return absl::InvalidArgumentError(absl::StrCat("bad value for option ", Quote(name),
                                                       ": strconv.ParseBool: parsing ",
                                                       Quote(value), ": invalid syntax"));
      }
      opts.prefer_closest_numa = *b;
    } else if (name == kMaxAllowableNumaNodes) {
      absl::StatusOr<int64_t> n = GoAtoi(value);
      if (!n.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("unable to convert policy option to integer ", Quote(name), ": ",
                         n.status().message()));
      }
      if (*n < kDefaultMaxAllowableNumaNodes) {
        return absl::InvalidArgumentError(
            absl::StrCat("the minimum value of ", Quote(name), " should not be less than ",
                         kDefaultMaxAllowableNumaNodes));
      }
      // Above 8 the kubelet only logs a warning; anything past 64 allows every machine.
      opts.max_allowable_numa_nodes =
          static_cast<int>(std::min<int64_t>(*n, std::numeric_limits<int>::max()));
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unsupported topologymanager option: ",
                                                     Quote(name), " (", value, ")"));
    }
  }
  return opts;
}

}  // namespace podalloc
