// File: capi/hotpath.cc
// Typed calls with plain C types for the hot paths callers make per container: CPU list
// syntax, take-by-topology, and a pod's QoS class.

#include <cstring>
#include <string>

#include "cpu_mask.h"
#include "guard.h"
#include "handles.h"
#include "podalloc/cpu_assignment.h"
#include "podalloc/cpuset.h"
#include "podalloc/pod.h"
#include "podalloc/pod_json.h"
#include "podalloc/qos.h"

namespace podalloc::capi {
namespace {

constexpr uint32_t kTakeFlags = PODALLOC_TAKE_SPREAD_ACROSS_CORES |
                                PODALLOC_TAKE_ALIGN_BY_UNCORE_CACHE |
                                PODALLOC_TAKE_DISTRIBUTE_ACROSS_NUMA;
constexpr uint32_t kQosFlags = PODALLOC_QOS_IGNORE_STATUS | PODALLOC_QOS_NO_POD_LEVEL_RESOURCES;
// podalloc_take_options as published in 0.1.
constexpr size_t kTakeOptionsV0Size = sizeof(podalloc_take_options);

podalloc_take_options DefaultTakeOptions() {
  return podalloc_take_options PODALLOC_TAKE_OPTIONS_INIT;
}

absl::StatusOr<CpuSet> Take(const podalloc_topology& t, const CpuSet& available, int num_cpus,
                            const podalloc_take_options& options) {
  const CpuSortingStrategy strategy = (options.flags & PODALLOC_TAKE_SPREAD_ACROSS_CORES) != 0
                                          ? CpuSortingStrategy::kSpread
                                          : CpuSortingStrategy::kPacked;
  if ((options.flags & PODALLOC_TAKE_DISTRIBUTE_ACROSS_NUMA) != 0) {
    const int group = options.cpu_group_size == 0 ? 1 : options.cpu_group_size;
    return TakeByTopologyNumaDistributed(t.layout, available, num_cpus, group, strategy);
  }
  return TakeByTopologyNumaPacked(t.layout, available, num_cpus, strategy,
                                  (options.flags & PODALLOC_TAKE_ALIGN_BY_UNCORE_CACHE) != 0);
}

}  // namespace
}  // namespace podalloc::capi

using podalloc::capi::Guard;
using podalloc::capi::NotNull;

extern "C" {

PODALLOC_API podalloc_status podalloc_cpuset_parse(uint64_t* out, size_t out_words,
                                                   size_t* needed_words, const char* text,
                                                   size_t text_len,
                                                   podalloc_error** err) noexcept {
  return Guard(err, [&]() -> absl::Status {
    if (out == nullptr && out_words > 0) {
      return absl::InvalidArgumentError(absl::StrCat("out is NULL but its length is ", out_words,
                                                     " words"));
    }
    PODALLOC_ASSIGN_OR_RETURN(std::string_view list, podalloc::capi::Text(text, text_len, "text"));
    absl::StatusOr<podalloc::CpuSet> parsed = podalloc::CpuSet::Parse(list);
    // CpuSet::Parse answers an id of 4096 or more with OutOfRange, which in the C ABI means
    // "the output is too small": a bad input here is INVALID_ARGUMENT, as for masks.
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(std::string(parsed.status().message()));
    }
    const podalloc::CpuSet& set = *parsed;
    if (needed_words != nullptr) *needed_words = set.UsedWords();
    return podalloc::capi::WriteMask(set, out, out_words, "out");
  });
}

PODALLOC_API podalloc_status podalloc_cpuset_format(char* out, size_t capacity, size_t* needed,
                                                    const uint64_t* cpus, size_t cpus_words,
                                                    podalloc_error** err) noexcept {
  return Guard(err, [&]() -> absl::Status {
    if (out == nullptr && capacity > 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("out is NULL but its capacity is ", capacity));
    }
    PODALLOC_ASSIGN_OR_RETURN(podalloc::CpuSet set,
                              podalloc::capi::CpuSetFromMask(cpus, cpus_words, "cpus"));
    const std::string text = set.ToString();
    if (needed != nullptr) *needed = text.size();
    if (capacity < text.size() + 1) {
      return absl::OutOfRangeError(absl::StrCat("out has ", capacity, " bytes; \"", text,
                                                "\" needs ", text.size() + 1));
    }
    std::memcpy(out, text.c_str(), text.size() + 1);
    return absl::OkStatus();
  });
}

PODALLOC_API void podalloc_take_options_init(podalloc_take_options* options) noexcept {
  if (options != nullptr) *options = podalloc::capi::DefaultTakeOptions();
}

PODALLOC_API podalloc_status podalloc_cpuset_take(uint64_t* out, size_t out_words,
                                                  const podalloc_topology* topology,
                                                  const uint64_t* available,
                                                  size_t available_words, int32_t num_cpus,
                                                  const podalloc_take_options* options,
                                                  podalloc_error** err) noexcept {
  return Guard(err, [&]() -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_RETURN_IF_ERROR(NotNull(topology, "topology"));
    PODALLOC_ASSIGN_OR_RETURN(
        const podalloc_take_options opts,
        podalloc::capi::ReadOptions(options, podalloc::capi::DefaultTakeOptions(),
                                    podalloc::capi::kTakeOptionsV0Size, "options"));
    PODALLOC_RETURN_IF_ERROR(
        podalloc::capi::CheckFlags(opts.flags, podalloc::capi::kTakeFlags, "options->flags"));
    if (opts.cpu_group_size < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("options->cpu_group_size is ", opts.cpu_group_size, "; must be >= 0"));
    }
    if (num_cpus < 0) {
      return absl::InvalidArgumentError(absl::StrCat("num_cpus is ", num_cpus, "; must be >= 0"));
    }
    PODALLOC_ASSIGN_OR_RETURN(
        podalloc::CpuSet free_cpus,
        podalloc::capi::CpuSetFromMask(available, available_words, "available"));
    PODALLOC_ASSIGN_OR_RETURN(podalloc::CpuSet taken,
                              podalloc::capi::Take(*topology, free_cpus, num_cpus, opts));
    return podalloc::capi::WriteMask(taken, out, out_words, "out");
  });
}

PODALLOC_API podalloc_status podalloc_pod_qos_class(int32_t* out, const char* pod_json,
                                                    size_t pod_json_len, uint32_t flags,
                                                    podalloc_error** err) noexcept {
  return Guard(err, [&]() -> absl::Status {
    PODALLOC_RETURN_IF_ERROR(NotNull(out, "out"));
    PODALLOC_RETURN_IF_ERROR(podalloc::capi::CheckFlags(flags, podalloc::capi::kQosFlags, "flags"));
    PODALLOC_ASSIGN_OR_RETURN(std::string_view json,
                              podalloc::capi::Text(pod_json, pod_json_len, "pod_json"));
    const bool pod_level_resources = (flags & PODALLOC_QOS_NO_POD_LEVEL_RESOURCES) == 0;
    // The parser applies the API server's defaulting (the kubelet only sees stored pods);
    // with the gate off the API server leaves pod-level resources alone, so a pod-level
    // request must not be defaulted (and then rejected) beside a smaller limit.
    podalloc::PodParseOptions parse_options;
    parse_options.defaulting.pod_level_resources = pod_level_resources;
    PODALLOC_ASSIGN_OR_RETURN(podalloc::Pod pod, podalloc::ParsePod(json, parse_options));
    podalloc::QosOptions options;
    options.pod_level_resources = pod_level_resources;
    const podalloc::QosClass qos = (flags & PODALLOC_QOS_IGNORE_STATUS) != 0
                                       ? podalloc::ComputePodQos(pod, options)
                                       : podalloc::GetPodQos(pod, options);
    switch (qos) {
      case podalloc::QosClass::kGuaranteed: *out = PODALLOC_QOS_GUARANTEED; break;
      case podalloc::QosClass::kBurstable: *out = PODALLOC_QOS_BURSTABLE; break;
      case podalloc::QosClass::kBestEffort: *out = PODALLOC_QOS_BEST_EFFORT; break;
    }
    return absl::OkStatus();
  });
}

PODALLOC_API const char* podalloc_qos_class_name(int32_t qos_class) noexcept {
  switch (qos_class) {
    case PODALLOC_QOS_GUARANTEED: return "Guaranteed";
    case PODALLOC_QOS_BURSTABLE: return "Burstable";
    case PODALLOC_QOS_BEST_EFFORT: return "BestEffort";
    default: return "";
  }
}

}  // extern "C"
