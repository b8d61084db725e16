// The order in which an accepted resize reaches the cgroups (doPodResizeAction in
// pkg/kubelet/kuberuntime/kuberuntime_manager.go): memory, then CPU; for each, the pod cgroup
// grows before its containers and shrinks after them, so the pod never holds less than
// its containers ask for at any moment in between.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "podalloc/cpuset.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/qos.h"
#include "podalloc/resize.h"
#include "podalloc/status_macros.h"

namespace podalloc {
namespace {

enum class Direction { kSame, kGrow, kShrink };

// quota * period products overflow int64 for large quotas.
__extension__ typedef __int128 Wide;

struct CgroupFiles2 {
  std::string cgroup;  // "" = pod cgroup
  CgroupFiles old_files;
  CgroupFiles new_files;
};

// The value a file holds when the kubelet never wrote it (kernel default), so a file that
// appears or disappears still compares against something.
std::string DefaultValue(std::string_view file) {
  if (file == "cpu.max") return "max 100000";
  if (file == "cpu.weight") return "100";
  if (file == "memory.min" || file == "memory.low") return "0";
  return "max";
}

const std::string* Find(const CgroupFiles& files, std::string_view name) {
  for (const CgroupFile& f : files) {
    if (f.name == name) return &f.value;
  }
  return nullptr;
}

// "max" is unbounded; anything unparsable compares as unbounded too (never blocks growth).
std::optional<int64_t> Bytes(std::string_view v) {
  int64_t n = 0;
  if (v == "max" || !absl::SimpleAtoi(absl::string_view(v.data(), v.size()), &n)) {
    return std::nullopt;
  }
  return n;
}

Direction CompareBounded(std::optional<Wide> a, std::optional<Wide> b) {
  if (a == b) return Direction::kSame;
  if (!a) return Direction::kShrink;  // unbounded -> bounded
  if (!b) return Direction::kGrow;
  return *b > *a ? Direction::kGrow : Direction::kShrink;
}

// cpu.max "<quota> <period>": compares quota/period by cross-multiplying.
Direction CompareCpuMax(std::string_view a, std::string_view b) {
  auto parse = [](std::string_view v) -> std::pair<std::optional<int64_t>, int64_t> {
    std::vector<std::string> parts = absl::StrSplit(absl::string_view(v.data(), v.size()), ' ');
    int64_t period = kDefaultCfsPeriod;
    if (parts.size() > 1 && !absl::SimpleAtoi(parts[1], &period)) period = kDefaultCfsPeriod;
    return {Bytes(parts.empty() ? std::string_view("max") : std::string_view(parts[0])), period};
  };
  auto [qa, pa] = parse(a);
  auto [qb, pb] = parse(b);
  if (!qa && !qb) return a == b ? Direction::kSame : Direction::kGrow;
  std::optional<Wide> x, y;
  if (qa) x = static_cast<Wide>(*qa) * pb;
  if (qb) y = static_cast<Wide>(*qb) * pa;
  const Direction d = CompareBounded(x, y);
  return d == Direction::kSame && a != b ? Direction::kGrow : d;
}

Direction Compare(std::string_view file, std::string_view a, std::string_view b) {
  if (a == b) return Direction::kSame;
  if (file == "cpu.max") return CompareCpuMax(a, b);
  if (file == "cpuset.cpus" || file == "cpuset.mems") {
    auto old_set = CpuSet::Parse(a);
    auto new_set = CpuSet::Parse(b);
    if (old_set.ok() && new_set.ok() && !old_set->IsSubsetOf(*new_set)) return Direction::kShrink;
    return Direction::kGrow;
  }
  auto to128 = [](std::optional<int64_t> v) -> std::optional<Wide> {
    if (v) return static_cast<Wide>(*v);
    return std::nullopt;
  };
  const Direction d = CompareBounded(to128(Bytes(a)), to128(Bytes(b)));
  return d == Direction::kSame ? Direction::kGrow : d;
}

bool IsMemoryFile(std::string_view name) { return name.rfind("memory.", 0) == 0; }
bool IsCpuFile(std::string_view name) {
  return name.rfind("cpu.", 0) == 0 || name.rfind("cpuset.", 0) == 0;
}

// Changed files of one cgroup for one resource, split by direction, in list order.
void Changes(const CgroupFiles2& cg, bool memory, std::vector<CgroupWrite>& grow,
             std::vector<CgroupWrite>& shrink) {
  std::vector<std::string> names;
  for (const CgroupFiles* list : {&cg.new_files, &cg.old_files}) {
    for (const CgroupFile& f : *list) {
      if ((memory ? IsMemoryFile(f.name) : IsCpuFile(f.name)) &&
          std::find(names.begin(), names.end(), f.name) == names.end()) {
        names.push_back(f.name);
      }
    }
  }
  for (const std::string& name : names) {
    const std::string* o = Find(cg.old_files, name);
    const std::string* n = Find(cg.new_files, name);
    // cpuset files absent from the new list mean "inherit": left as they are.
    if (n == nullptr && name.rfind("cpuset.", 0) == 0) continue;
    const std::string old_value = o ? *o : DefaultValue(name);
    const std::string new_value = n ? *n : DefaultValue(name);
    switch (Compare(name, old_value, new_value)) {
      case Direction::kSame:
        break;
      case Direction::kGrow:
        grow.push_back({cg.cgroup, name, new_value});
        break;
      case Direction::kShrink:
        shrink.push_back({cg.cgroup, name, new_value});
        break;
    }
  }
}

const ContainerPlacement& PlacementOf(
    const std::map<std::string, ContainerPlacement, std::less<>>& placements,
    const std::string& name) {
  static const ContainerPlacement kShared;
  auto it = placements.find(name);
  return it == placements.end() ? kShared : it->second;
}

std::optional<int64_t> NewMemoryMax(const CgroupFiles& files) {
  const std::string* v = Find(files, "memory.max");
  return v ? Bytes(*v) : std::nullopt;
}

}  // namespace

absl::StatusOr<ResizePlan> PlanResize(const Pod& old_pod, const Pod& new_pod,
                                      const ResizeUsage* usage,
                                      const ResizePlanSettings& settings) {
  const std::vector<const Container*> old_containers = ResizableContainers(old_pod);
  const std::vector<const Container*> new_containers = ResizableContainers(new_pod);
  if (old_containers.size() != new_containers.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("resize: old pod has ", old_containers.size(),
                     " resizable containers, new pod has ", new_containers.size()));
  }

  std::vector<CgroupFiles2> cgroups;
  CgroupFiles2 pod_cg;
  {
    PODALLOC_ASSIGN_OR_RETURN(ResourceConfig old_cfg,
                              ResourceConfigForPod(old_pod, settings.cgroup,
                                                   settings.pod_has_exclusive_cpus));
    PODALLOC_ASSIGN_OR_RETURN(ResourceConfig new_cfg,
                              ResourceConfigForPod(new_pod, settings.cgroup,
                                                   settings.pod_has_exclusive_cpus));
    PODALLOC_ASSIGN_OR_RETURN(pod_cg.old_files, ResourceConfigFiles(old_cfg, settings.cgroup));
    PODALLOC_ASSIGN_OR_RETURN(pod_cg.new_files, ResourceConfigFiles(new_cfg, settings.cgroup));
  }
  // Each pod's class once, not once per container (it walks every container).
  const QosOptions qos_options{settings.cgroup.pod_level_resources};
  const QosClass old_qos = GetPodQos(old_pod, qos_options);
  const QosClass new_qos = GetPodQos(new_pod, qos_options);
  cgroups.reserve(new_containers.size());
  for (size_t i = 0; i < new_containers.size(); ++i) {
    const Container& nc = *new_containers[i];
    if (old_containers[i]->name != nc.name) {
      return absl::InvalidArgumentError(absl::StrCat(
          "resize: container ", i, " is ", internal::QuoteInput(old_containers[i]->name),
          " in the old pod and ", internal::QuoteInput(nc.name), " in the new pod"));
    }
    CgroupFiles2 cg;
    cg.cgroup = nc.name;
    PODALLOC_ASSIGN_OR_RETURN(
        cg.old_files, ContainerCgroupFiles(old_pod, old_qos, *old_containers[i],
                                           PlacementOf(settings.old_placements, nc.name),
                                           settings.cgroup, settings.container_weight_mapping));
    PODALLOC_ASSIGN_OR_RETURN(
        cg.new_files,
        ContainerCgroupFiles(new_pod, new_qos, nc, PlacementOf(settings.new_placements, nc.name),
                             settings.cgroup, settings.container_weight_mapping));
    cgroups.push_back(std::move(cg));
  }

  ResizePlan plan;
  // Lowering a memory limit to or below what is in use would make the kernel reclaim or
  // OOM-kill; the kubelet aborts such a resize instead (best effort: usage can change).
  if (usage != nullptr) {
    const std::optional<int64_t> pod_limit = NewMemoryMax(pod_cg.new_files);
    if (usage->pod_memory && pod_limit && pod_limit != NewMemoryMax(pod_cg.old_files) &&
        *usage->pod_memory >= *pod_limit) {
      plan.refused = true;
      plan.refusal = absl::StrCat("pod cgroup: new memory limit ", *pod_limit,
                                  " is not above current usage ", *usage->pod_memory);
      return plan;
    }
    for (const CgroupFiles2& cg : cgroups) {
      auto used = usage->container_memory.find(cg.cgroup);
      const std::optional<int64_t> limit = NewMemoryMax(cg.new_files);
      if (used == usage->container_memory.end() || !limit) continue;
      const std::optional<int64_t> old_limit = NewMemoryMax(cg.old_files);
      const bool lowered = !old_limit || *limit < *old_limit;
      if (lowered && used->second >= *limit) {
        plan.refused = true;
        plan.refusal = absl::StrCat("container ", internal::QuoteInput(cg.cgroup),
                                    ": new memory limit ", *limit,
                                    " is not above current usage ", used->second);
        return plan;
      }
    }
  }

  for (bool memory : {true, false}) {
    std::vector<CgroupWrite> pod_grow, pod_shrink, ctr_grow, ctr_shrink;
    Changes(pod_cg, memory, pod_grow, pod_shrink);
    for (const CgroupFiles2& cg : cgroups) Changes(cg, memory, ctr_grow, ctr_shrink);
    for (auto* step : {&pod_grow, &ctr_shrink, &pod_shrink, &ctr_grow}) {
      plan.writes.insert(plan.writes.end(), step->begin(), step->end());
    }
  }
  return plan;
}

}  // namespace podalloc
