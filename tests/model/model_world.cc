#include "model_world.h"

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace podalloc_model {
namespace {

using nlohmann::json;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "model: %s: %s\n", what.c_str(), podalloc_last_error_message());
  std::exit(2);
}

// 16 CPUs on 2 sockets / 2 NUMA nodes (core c holds c and c + 8), 8 GiB and 2 MiB huge pages
// per node: the one machine with huge pages to hand out.
std::string HugePageMachine() {
  json cpus = json::array();
  for (int cpu = 0; cpu < 16; ++cpu) {
    const int core = cpu % 8;
    cpus.push_back({{"id", cpu}, {"core", core}, {"socket", core / 4}, {"numa", core / 4}});
  }
  json nodes = json::array();
  for (int numa = 0; numa < 2; ++numa) {
    nodes.push_back({{"id", numa},
                     {"memory_bytes", 8589934592ull},
                     {"hugepages", {{{"page_size_bytes", 2097152}, {"total_pages", 512}}}}});
  }
  return json{{"schema", "podalloc.topology/v1"},
              {"name", "json-16cpu-2numa-hugepages"},
              {"cpus", cpus},
              {"numa_nodes", nodes},
              {"distances", {{10, 21}, {21, 10}}}}
      .dump();
}

Machine Describe(std::string name, podalloc_topology* topology) {
  Machine m;
  m.name = std::move(name);
  m.topology = topology;
  podalloc_buffer out = PODALLOC_BUFFER_INIT;
  if (podalloc_topology_to_json(&out, topology, nullptr) != PODALLOC_OK) Die(m.name);
  const json doc = json::parse(std::string(out.data, out.size));
  podalloc_buffer_free(&out);
  for (const json& cpu : doc["cpus"]) {
    m.cpus.set(cpu["id"].get<int>());
    m.cpu_ids.push_back(cpu["id"].get<int>());
  }
  m.has_memory = true;
  for (const json& node : doc.value("numa_nodes", json::array())) {
    ++m.numa_nodes;
    if (node.value("memory_bytes", uint64_t{0}) < (uint64_t{1} << 30)) m.has_memory = false;
    for (const json& h : node.value("hugepages", json::array())) {
      if (h["page_size_bytes"] == 2097152 && h["total_pages"].get<uint64_t>() >= 64) {
        m.has_hugepages_2m = true;
      }
    }
  }
  return m;
}

std::string CpuList(const std::vector<int>& ids) {
  CpuBits bits;
  for (int id : ids) bits.set(id);
  return FormatCpuList(bits);
}

}  // namespace

std::vector<Machine> LoadMachines(const std::string& data_dir, const std::string& unpacked_dir) {
  std::vector<Machine> machines;
  podalloc_topology* t = nullptr;
  const std::string hugepages = HugePageMachine();
  if (podalloc_topology_from_json(&t, hugepages.data(), hugepages.size(), nullptr) != PODALLOC_OK) {
    Die("the huge page machine");
  }
  machines.push_back(Describe("json-16cpu-2numa-hugepages", t));
  const std::string_view synthetic = "pack:2 numa:2 l3:1 core:4 pu:2";
  if (podalloc_topology_from_synthetic(&t, synthetic.data(), synthetic.size(), nullptr) !=
      PODALLOC_OK) {
    Die("the synthetic machine");
  }
  machines.push_back(Describe(std::string(synthetic), t));
  for (const char* xml : {"hwloc-16amd64-8n2c-cpusets.xml", "hwloc-fakeheterodistances.xml",
                          "hwloc-memorysidecaches.xml", "hwloc-192em64t-24n8c2t.xml"}) {
    const std::string path = data_dir + "/fixtures/" + xml;
    if (podalloc_topology_from_xml_file(&t, path.data(), path.size(), nullptr) != PODALLOC_OK) {
      Die(path);
    }
    machines.push_back(Describe(xml, t));
  }
  for (const char* capture : {"sysfs-64amd64-4s2n4ca2co/64amd64-4s2n4ca2co",
                              "sysfs-20em64t-hybrid-1p6c2t+2ca4co1t/20em64t-hybrid-1p6c2t+2ca4co1t",
                              "sysfs-128arm-2pa2n8cluster4co/128arm-2pa2n8cluster4co"}) {
    const std::string root = unpacked_dir + "/" + capture;
    if (podalloc_topology_from_sysfs(&t, root.data(), root.size(), nullptr) != PODALLOC_OK) {
      Die(root);
    }
    machines.push_back(Describe(capture, t));
  }
  return machines;
}

void FreeMachines(std::vector<Machine>& machines) {
  for (Machine& m : machines) podalloc_topology_destroy(m.topology);
  machines.clear();
}

Scenario RandomScenario(Rng& rng, const Machine& machine) {
  Scenario s;
  s.machine = &machine;
  s.facts.machine_cpus = machine.cpus;
  json config = json::object();
  json gates = json::object();
  if (rng.Chance(75)) {
    s.cpu_static = true;
    config["cpuManagerPolicy"] = "static";
    // One or two of the lowest CPUs, or the first and the last.
    std::vector<int> reserved = {machine.cpu_ids.front()};
    if (rng.Chance(40)) reserved.push_back(machine.cpu_ids[1]);
    if (rng.Chance(20)) reserved.push_back(machine.cpu_ids.back());
    for (int id : reserved) s.facts.reserved.set(id);
    config["reservedSystemCPUs"] = CpuList(reserved);
    json options = json::object();
    for (const char* option : {"full-pcpus-only", "distribute-cpus-across-numa", "align-by-socket",
                               "distribute-cpus-across-cores", "strict-cpu-reservation",
                               "prefer-align-cpus-by-uncorecache"}) {
      // NUMA-distributed takes are exponential in the NUMA count (repro item 9).
      if (std::string_view(option) == "distribute-cpus-across-numa" && machine.numa_nodes > 8) {
        continue;
      }
      if (rng.Chance(15)) options[option] = "true";
    }
    if (!options.empty()) {
      config["cpuManagerPolicyOptions"] = options;
      gates["CPUManagerPolicyAlphaOptions"] = true;
      s.facts.strict_reservation = options.contains("strict-cpu-reservation");
    }
  }
  static const char* const kPolicies[] = {"none", "best-effort", "restricted", "single-numa-node"};
  const char* policy = kPolicies[rng.Below(4)];
  config["topologyManagerPolicy"] = policy;
  if (rng.Chance(50)) config["topologyManagerScope"] = "pod";
  json tm_options = json::object();
  if (machine.numa_nodes > 8)
    tm_options["max-allowable-numa-nodes"] = std::to_string(machine.numa_nodes);
  if (rng.Chance(20)) tm_options["prefer-closest-numa-nodes"] = "true";
  if (!tm_options.empty() && std::string_view(policy) != "none") {
    config["topologyManagerPolicyOptions"] = tm_options;
  }
  // The Static memory manager's hints cover every NUMA mask: kept to the kubelet's 8 nodes.
  if (machine.has_memory && machine.numa_nodes <= 8 && rng.Chance(50)) {
    s.memory_static = true;
    config["memoryManagerPolicy"] = "Static";
    json reserved = json::array();
    reserved.push_back(
        {{"numaNode", 0}, {"limits", {{"memory", rng.Chance(50) ? "256Mi" : "1Gi"}}}});
    if (machine.numa_nodes > 1 && rng.Chance(30)) {
      reserved.push_back({{"numaNode", 1}, {"limits", {{"memory", "128Mi"}}}});
    }
    config["reservedMemory"] = reserved;
  }
  s.pod_level_managers = rng.Chance(50);
  if (s.pod_level_managers) gates["PodLevelResourceManagers"] = true;
  if (s.cpu_static && rng.Chance(30)) gates["InPlacePodVerticalScalingExclusiveCPUs"] = true;
  if (!gates.empty()) config["featureGates"] = gates;
  s.config = config.dump();
  return s;
}

namespace {

std::string Memory(Rng& rng) { return std::to_string(64 * rng.Range(1, 24)) + "Mi"; }

// Resources of one container of the given kind: 0 Guaranteed whole CPUs, 1 Guaranteed
// fractional, 2 Burstable, 3 BestEffort.
json Resources(Rng& rng, int kind, bool hugepages) {
  const std::string memory = Memory(rng);
  switch (kind) {
    case 0: {
      json limits = {{"cpu", std::to_string(rng.Range(1, 4))}, {"memory", memory}};
      if (hugepages) limits["hugepages-2Mi"] = std::to_string(2 * rng.Range(1, 8)) + "Mi";
      return {{"limits", limits}};
    }
    case 1:
      return {
          {"limits", {{"cpu", std::to_string(100 * rng.Range(1, 25)) + "m"}, {"memory", memory}}}};
    case 2: {
      json r = {
          {"requests", {{"cpu", std::to_string(50 * rng.Range(1, 20)) + "m"}, {"memory", memory}}}};
      if (rng.Chance(50)) r["limits"] = {{"memory", std::to_string(64 * rng.Range(24, 40)) + "Mi"}};
      return r;
    }
    default:
      return json::object();
  }
}

}  // namespace

ModelPod RandomPod(Rng& rng, const Scenario& scenario, int serial) {
  ModelPod pod;
  pod.uid = "pod-" + std::to_string(serial);
  const bool hugepages = scenario.machine->has_hugepages_2m && rng.Chance(30);
  // Pod kinds: Guaranteed whole CPUs (most useful to the CPU manager), fractional, Burstable,
  // BestEffort, mixed, and a pod-level budget (KEP-2837/5526).
  const int kind = static_cast<int>(rng.Below(7));
  json spec = json::object();
  json containers = json::array();
  const int count = rng.Range(1, 3);
  if (kind == 6) {
    // A pod-level Guaranteed budget: one container with whole CPUs inside it, others without.
    const int inner = rng.Range(1, 3);
    const int total = inner + rng.Range(1, 2);
    const int memory_mi = 64 * rng.Range(8, 24);
    spec["resources"] = {
        {"requests",
         {{"cpu", std::to_string(total)}, {"memory", std::to_string(memory_mi) + "Mi"}}},
        {"limits", {{"cpu", std::to_string(total)}, {"memory", std::to_string(memory_mi) + "Mi"}}}};
    for (int i = 0; i < count; ++i) {
      json c = {{"name", "c" + std::to_string(i)}};
      if (i == 0)
        c["resources"] = {{"limits", {{"cpu", std::to_string(inner)}, {"memory", "256Mi"}}}};
      containers.push_back(c);
    }
  } else {
    for (int i = 0; i < count; ++i) {
      const int k = kind == 5 ? static_cast<int>(rng.Below(4)) : std::min(kind, 3);
      containers.push_back(
          {{"name", "c" + std::to_string(i)}, {"resources", Resources(rng, k, hugepages)}});
    }
  }
  if (rng.Chance(25)) {
    const bool sidecar = rng.Chance(40);
    json init = {{"name", sidecar ? "sidecar" : "init"}};
    if (kind != 6) init["resources"] = Resources(rng, kind == 0 ? 0 : std::min(kind, 3), false);
    if (sidecar) init["restartPolicy"] = "Always";
    spec["initContainers"] = json::array({init});
    pod.init_names.insert(init["name"].get<std::string>());
    pod.containers.push_back(init["name"].get<std::string>());
  }
  for (const json& c : containers) pod.containers.push_back(c["name"].get<std::string>());
  spec["containers"] = containers;
  pod.doc = {{"metadata", {{"name", pod.uid}, {"namespace", "model"}, {"uid", pod.uid}}},
             {"spec", spec}};
  return pod;
}

json ResizedPod(Rng& rng, const ModelPod& pod) {
  json doc = pod.doc;
  for (json& c : doc["spec"]["containers"]) {
    if (!c.contains("resources") || !rng.Chance(70)) continue;
    json& r = c["resources"];
    for (const char* side : {"requests", "limits"}) {
      if (!r.contains(side)) continue;
      if (r[side].contains("cpu")) {
        r[side]["cpu"] = rng.Chance(50) ? std::to_string(rng.Range(1, 4))
                                        : std::to_string(50 * rng.Range(1, 40)) + "m";
      }
      if (r[side].contains("memory") && rng.Chance(50)) r[side]["memory"] = Memory(rng);
    }
    // Keep a request at or below its limit, as the API server would.
    if (r.contains("requests") && r.contains("limits")) {
      for (const char* res : {"cpu", "memory"}) {
        if (r["requests"].contains(res) && r["limits"].contains(res))
          r["requests"][res] = r["limits"][res];
      }
    }
  }
  return doc;
}

}  // namespace podalloc_model
