// cpuManagerPolicyOptions: availability by maturity and feature gate, Go ParseBool values,
// incompatible pairs and the machine checks of align-by-socket (policy_options.go).
#include <array>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "podalloc/cpu_manager.h"
#include "podalloc/internal/input_quote.h"

namespace podalloc {
namespace {

enum class Maturity { kAlpha, kBeta, kStable, kUnknown };

Maturity MaturityOf(std::string_view name) {
  if (name == kAlignBySocketOption || name == kDistributeCpusAcrossCoresOption) {
    return Maturity::kAlpha;
  }
  if (name == kStrictCpuReservationOption || name == kDistributeCpusAcrossNumaOption ||
      name == kPreferAlignByUncoreCacheOption) {
    return Maturity::kBeta;
  }
  if (name == kFullPcpusOnlyOption) return Maturity::kStable;
  return Maturity::kUnknown;
}

// Go's %q (strconv.Quote) for the ASCII texts option names and values are made of, bounded.
std::string GoQuote(std::string_view s) { return internal::QuoteInput(s); }

// strconv.ParseBool.
std::optional<bool> ParseGoBool(std::string_view v) {
  static constexpr std::array<std::string_view, 6> kTrue = {"1", "t", "T", "TRUE", "true", "True"};
  static constexpr std::array<std::string_view, 6> kFalse = {"0",     "f",     "F",
                                                             "FALSE", "false", "False"};
  for (auto t : kTrue) {
    if (v == t) return true;
  }
  for (auto f : kFalse) {
    if (v == f) return false;
  }
  return std::nullopt;
}

absl::Status Incompatible(const char* a, const char* b) {
  return absl::InvalidArgumentError(
      absl::StrCat("static policy options ", a, " and ", b, " can not be used at the same time"));
}

}  // namespace

absl::Status CheckCpuPolicyOptionAvailable(std::string_view name,
                                           const CpuPolicyOptionGates& gates) {
  const std::string quoted = GoQuote(name);
  switch (MaturityOf(name)) {
    case Maturity::kUnknown:
      return absl::InvalidArgumentError(
          absl::StrCat("unknown CPU Manager Policy option: ", quoted));
    case Maturity::kAlpha:
      if (!gates.alpha_options) {
        return absl::FailedPreconditionError(
            absl::StrCat("CPU Manager Policy Alpha-level Options not enabled, but option ", quoted,
                         " provided"));
      }
      break;
    case Maturity::kBeta:
      if (!gates.beta_options) {
        return absl::FailedPreconditionError(absl::StrCat(
            "CPU Manager Policy Beta-level Options not enabled, but option ", quoted, " provided"));
      }
      break;
    case Maturity::kStable:
      break;
  }
  return absl::OkStatus();
}

absl::StatusOr<CpuPolicyOptions> ParseCpuPolicyOptions(
    const std::map<std::string, std::string>& options, const CpuPolicyOptionGates& gates) {
  CpuPolicyOptions opts;
  for (const auto& [name, value] : options) {
    if (absl::Status s = CheckCpuPolicyOptionAvailable(name, gates); !s.ok()) return s;
    std::optional<bool> parsed = ParseGoBool(value);
    if (!parsed.has_value()) {
      return absl::InvalidArgumentError(absl::StrCat("bad value for option ", GoQuote(name),
                                                     ": strconv.ParseBool: parsing ",
                                                     GoQuote(value), ": invalid syntax"));
    }
    if (name == kFullPcpusOnlyOption) {
      opts.full_physical_cpus_only = *parsed;
    } else if (name == kDistributeCpusAcrossNumaOption) {
      opts.distribute_cpus_across_numa = *parsed;
    } else if (name == kAlignBySocketOption) {
      opts.align_by_socket = *parsed;
    } else if (name == kDistributeCpusAcrossCoresOption) {
      opts.distribute_cpus_across_cores = *parsed;
    } else if (name == kStrictCpuReservationOption) {
      opts.strict_cpu_reservation = *parsed;
    } else if (name == kPreferAlignByUncoreCacheOption) {
      opts.prefer_align_by_uncore_cache = *parsed;
    }
  }
  if (opts.full_physical_cpus_only && opts.distribute_cpus_across_cores) {
    return Incompatible(kFullPcpusOnlyOption, kDistributeCpusAcrossCoresOption);
  }
  if (opts.distribute_cpus_across_numa && opts.distribute_cpus_across_cores) {
    return Incompatible(kDistributeCpusAcrossNumaOption, kDistributeCpusAcrossCoresOption);
  }
  if (opts.prefer_align_by_uncore_cache && opts.distribute_cpus_across_cores) {
    return Incompatible(kPreferAlignByUncoreCacheOption, kDistributeCpusAcrossCoresOption);
  }
  if (opts.prefer_align_by_uncore_cache && opts.distribute_cpus_across_numa) {
    return Incompatible(kPreferAlignByUncoreCacheOption, kDistributeCpusAcrossNumaOption);
  }
  return opts;
}

absl::Status ValidateCpuPolicyOptions(const CpuPolicyOptions& options, const Topology& topology,
                                      std::string_view topology_manager_policy) {
  if (!options.align_by_socket) return absl::OkStatus();
  if (topology_manager_policy == "single-numa-node") {
    // The kubelet's text, misspelling included.
    return absl::FailedPreconditionError(
        "Topolgy manager single-numa-node policy is incompatible with CPUManager "
        "align-by-socket policy option");
  }
  if (topology.NumSockets() > topology.NumNumaNodes()) {
    return absl::FailedPreconditionError(
        "Align by socket is not compatible with hardware where number of sockets are more "
        "than number of NUMA");
  }
  return absl::OkStatus();
}

}  // namespace podalloc
