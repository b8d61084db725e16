// Building a Node: the kubelet's container manager start-up for the three managers, in its
// order (topology manager, CPU manager, memory manager), each validating the configuration
// against the machine, then the managers' Start on an empty state.
#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "admission_timer.h"
#include "fit_usage.h"
#include "node_internal.h"
#include "podalloc/internal/checked_math.h"
#include "podalloc/status_macros.h"

namespace podalloc {
namespace {

std::vector<NumaInfoNode> TopologyManagerNodes(const Topology& topology) {
  std::vector<NumaInfoNode> nodes;
  const std::vector<int>& ids = topology.NumaIds();
  const int max_id = ids.empty() ? -1 : *std::max_element(ids.begin(), ids.end());
  for (int id : ids) {
    NumaInfoNode n{id, std::nullopt};
    if (topology.HasDistances()) {
      std::vector<uint64_t> row(max_id + 1, 0);
      for (int to : ids) row[to] = static_cast<uint64_t>(topology.Distance(id, to));
      n.distances = std::move(row);
    }
    nodes.push_back(std::move(n));
  }
  return nodes;
}

NodeCgroupSettings CgroupSettingsFor(const Topology& topology, const NodeConfig& config,
                                     const NodeSwap& swap) {
  NodeCgroupSettings s;
  // ParseNodeConfig has checked the behaviour's name.
  s.swap.behavior = ParseSwapBehavior(config.memory_swap_behavior).value_or(SwapBehavior::kNoSwap);
  s.swap.controller_available = swap.controller_available;
  s.swap.swap_capacity = static_cast<int64_t>(swap.capacity_bytes);
  s.pod_level_resources = config.feature_gates.pod_level_resources;
  uint64_t capacity = 0;
  for (const NumaNodeInfo& n : topology.spec().numa_nodes) {
    capacity += n.memory_bytes;
    for (const HugePages& h : n.hugepages) {
      const auto size = static_cast<int64_t>(h.page_size_bytes);
      if (std::find(s.hugepage_sizes.begin(), s.hugepage_sizes.end(), size) ==
          s.hugepage_sizes.end()) {
        s.hugepage_sizes.push_back(size);
      }
    }
  }
  // The machine's memory fits in int64 (Topology::Build); the reservations are configuration
  // and only clamp the allocatable amount, so they saturate.
  uint64_t reserved = 0;
  for (const MemoryReservation& r : config.reserved_memory) {
    if (auto it = r.limits.find("memory"); it != r.limits.end()) {
      reserved = internal::SaturatingAdd(reserved, it->second);
    }
  }
  s.node_memory_capacity = static_cast<int64_t>(capacity);
  s.memory_qos.enabled = config.feature_gates.memory_qos;
  s.memory_qos.throttling_factor = config.memory_throttling_factor;
  s.memory_qos.reservation_policy = config.memory_reservation_policy;
  s.memory_qos.node_allocatable_memory =
      static_cast<int64_t>(capacity > reserved ? capacity - reserved : 0);
  return s;
}

}  // namespace

std::string_view ContainerTypeName(ContainerType type) {
  switch (type) {
    case ContainerType::kInit: return "init";
    case ContainerType::kSidecar: return "sidecar";
    case ContainerType::kApp: return "app";
    case ContainerType::kEphemeral: return "ephemeral";
  }
  return "app";
}

absl::StatusOr<std::unique_ptr<Node>> Node::Create(Topology topology, NodeConfig config,
                                                   NodeOptions options) {
  // The container manager refuses to start on a machine with swap on unless told it may.
  if (config.fail_swap_on && options.swap.capacity_bytes > 0) {
    return absl::FailedPreconditionError(
        "running with swap on is not supported, please disable swap or set --fail-swap-on flag "
        "to false");
  }
  const NodeFeatureGates& gates = config.feature_gates;
  OptionAvailability availability = OptionAvailability::Default();
  availability.alpha_options_gate = gates.topology_manager_policy_alpha_options;
  availability.beta_options_gate = gates.topology_manager_policy_beta_options;
  PODALLOC_ASSIGN_OR_RETURN(
      TopologyManager tm,
      TopologyManager::Create(TopologyManagerNodes(topology), config.topology_manager_policy,
                              config.topology_manager_scope,
                              config.topology_manager_policy_options, availability));

  // getReservedCPUs (cmd/kubelet/app/server.go), whatever the CPU manager policy.
  if (!config.reserved_system_cpus.IsSubsetOf(topology.cpus())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "reserved-cpus: ", config.reserved_system_cpus.ToString(),
        " is not a subset of online-cpus: ", topology.cpus().ToString()));
  }
  const ResourceList capacity = NodeCapacity(topology, config);
  const ResourceList reservation = NodeAllocatableReservation(topology, config);

  NodeState state;
  state.devices = DeviceManager(topology.NumaIds());
  std::optional<CpuStaticPolicy> cpu;
  if (config.cpu_manager_policy == kPolicyStatic) {
    // NewManager: as many CPUs as the cpu reservation rounded up; without reservedSystemCPUs
    // the policy picks them by topology, honouring its options.
    PODALLOC_ASSIGN_OR_RETURN(
        const int num_reserved,
        StaticPolicyReservedCpuCount(FindResource(reservation, kResourceCpu)));
    CpuStaticPolicyConfig c;
    c.options = config.cpu_manager_policy_options;
    c.gates.alpha_options = gates.cpu_manager_policy_alpha_options;
    c.gates.beta_options = gates.cpu_manager_policy_beta_options;
    c.reserved_cpus = config.reserved_system_cpus;
    c.num_reserved_cpus = num_reserved;
    c.topology_manager_policy = config.topology_manager_policy;
    c.pod_level_resource_managers = gates.pod_level_resources && gates.pod_level_resource_managers;
    PODALLOC_ASSIGN_OR_RETURN(CpuStaticPolicy p, CpuStaticPolicy::Create(topology, c));
    PODALLOC_RETURN_IF_ERROR(p.Start(state.cpu));
    cpu = std::move(p);
  } else if (!config.cpu_manager_policy_options.empty()) {
    return absl::InvalidArgumentError(
        "cpuManagerPolicyOptions: options need the static CPU manager policy");
  }

  std::optional<MemoryStaticPolicy> memory;
  if (config.memory_manager_policy == "Static") {
    std::vector<NumaNodeInfo> numa = MemoryNumaNodes(topology);
    // validateReservedMemory against kubeReserved + systemReserved + hard eviction; with none
    // of them configured the reservation is what reservedMemory adds up to, so the kubelet's
    // "sum must equal node allocatable" check holds by construction.
    std::map<std::string, uint64_t> node_reservation;
    for (const auto& [name, q] : reservation) {
      if (q.Sign() > 0) node_reservation[name] = static_cast<uint64_t>(q.Value());
    }
    PODALLOC_ASSIGN_OR_RETURN(
        SystemReservedMemory reserved,
        SystemReservedMemoryFromConfig(numa, node_reservation, config.reserved_memory));
    MemoryManagerGates mg{gates.pod_level_resources, gates.pod_level_resource_managers};
    PODALLOC_ASSIGN_OR_RETURN(MemoryStaticPolicy p,
                              NewMemoryStaticPolicy(std::move(numa), std::move(reserved), mg));
    PODALLOC_RETURN_IF_ERROR(StartMemoryManager(p, state.memory));
    memory = std::move(p);
  } else if (!config.reserved_memory.empty()) {
    return absl::InvalidArgumentError(
        "reservedMemory: a per-NUMA reservation needs the Static memory manager policy");
  }

  // validateNodeAllocatable (container manager Start, after the managers were built): the
  // kubelet refuses to start when a reservation exceeds the capacity. Resources the machine
  // description has no capacity for are left alone.
  for (const auto& [name, reserved] : reservation) {
    const Quantity* total = FindResource(capacity, name);
    if (total != nullptr && reserved > *total) {
      // The kubelet's text, with quantities printed plainly (it prints Go structs).
      return absl::InvalidArgumentError(absl::StrCat(
          "invalid Node Allocatable configuration. Resource \"", name, "\" has a reservation of ",
          reserved.ToString(), " but capacity of ", total->ToString(),
          ". Expected capacity >= reservation. (kubeReserved + systemReserved + evictionHard)"));
    }
  }

  NodeCgroupSettings cgroups = CgroupSettingsFor(topology, config, options.swap);
  PODALLOC_RETURN_IF_ERROR(ValidateNodeCgroupSettings(cgroups));
  ResourceList allocatable = NodeAllocatable(topology, config);
  ResourceList allocatable_absolute = NodeAllocatableAbsolute(topology, config);
  FitResources fit_allocatable = NodeFitAllocatable(allocatable);
  auto parts = std::make_unique<Parts>(Parts{
      std::move(topology), config, std::move(tm), std::move(cpu), std::move(memory),
      std::move(cgroups),
      GuaranteedCpusOptions{gates.pod_level_resources, gates.pod_level_resource_managers},
      QosOptions{gates.pod_level_resources}, std::move(allocatable),
      std::move(allocatable_absolute), std::move(fit_allocatable),
      FitOptions{gates.pod_level_resources, gates.dra_extended_resource}});
  return std::unique_ptr<Node>(new Node(std::move(parts), std::move(state), std::move(options)));
}

std::string PodStateKey(const Pod& pod) {
  return pod.uid.empty() ? absl::StrCat(pod.namespace_name, "/", pod.name) : pod.uid;
}

Node::Node(std::unique_ptr<const Parts> parts, NodeState initial, NodeOptions options)
    : parts_(std::move(parts)),
      admission_timer_(
          std::make_unique<internal::AdmissionTimer>(std::move(options.clock_nanos))),
      state_(std::move(initial)),
      fit_usage_(std::make_unique<internal::FitUsage>()) {
  fit_usage_->Reset(state_, parts_->fit_options);
}
Node::~Node() = default;

const Topology& Node::topology() const { return parts_->topology; }
const NodeConfig& Node::config() const { return parts_->config; }
const std::vector<std::string>& Node::Warnings() const { return parts_->config.warnings; }
const NodeCgroupSettings& Node::cgroup_settings() const { return parts_->cgroups; }
CpuSet Node::ReservedCpus() const {
  return parts_->cpu.has_value() ? parts_->cpu->reserved_cpus() : CpuSet();
}

absl::StatusOr<Decision> Node::AdmitLocked(const Pod& pod) const {
  // The kubelet times scope.Admit, which is this plan (its allocation included).
  const int64_t start = admission_timer_->Now();
  absl::StatusOr<Decision> d =
      internal::PlanAdmission(*parts_, state_, fit_usage_.get(), pod, version_);
  admission_timer_->Observe(admission_timer_->Now() - start);
  return d;
}

absl::StatusOr<Decision> Node::Admit(const Pod& pod) const {
  internal::RwReaderLock lock(&mu_);
  return AdmitLocked(pod);
}

absl::StatusOr<Decision> Node::AdmitOn(const NodeState& state, const Pod& pod) const {
  return internal::PlanAdmission(*parts_, state, /*usage=*/nullptr, pod, 0);
}

absl::StatusOr<Decision> Node::AdmitAndCommit(const Pod& pod) {
  internal::RwWriterLock lock(&mu_);
  PODALLOC_ASSIGN_OR_RETURN(Decision d, AdmitLocked(pod));
  PODALLOC_RETURN_IF_ERROR(CommitLocked(d));
  return d;
}

absl::Status Node::Commit(const Decision& decision) {
  internal::RwWriterLock lock(&mu_);
  return CommitLocked(decision);
}

NodeState Node::State() const {
  internal::RwReaderLock lock(&mu_);
  return state_;
}

uint64_t Node::version() const {
  internal::RwReaderLock lock(&mu_);
  return version_;
}

std::optional<Pod> Node::AdmittedPod(std::string_view key) const {
  internal::RwReaderLock lock(&mu_);
  auto it = state_.pods.find(key);
  if (it == state_.pods.end()) return std::nullopt;
  return it->second.pod;
}

NodeSnapshot Node::Snapshot() const {
  internal::RwReaderLock lock(&mu_);
  return NodeSnapshot{state_, version_};
}

}  // namespace podalloc
