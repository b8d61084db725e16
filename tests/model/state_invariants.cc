#include "state_invariants.h"

#include <charconv>
#include <cstdint>
#include <map>

namespace podalloc_model {
namespace {

using nlohmann::json;

void Add(std::vector<Violation>& out, Violation::Kind kind, std::string detail) {
  out.push_back({kind, std::move(detail)});
}

// A member's CPU list; a violation and nullopt when absent or malformed.
std::optional<CpuBits> CpusAt(const json& value, const std::string& where,
                              std::vector<Violation>& out) {
  if (!value.is_string()) {
    Add(out, Violation::kMalformed, where + " is not a CPU list string");
    return std::nullopt;
  }
  std::optional<CpuBits> cpus = ParseCpuList(value.get<std::string>());
  if (!cpus) Add(out, Violation::kMalformed, where + " = \"" + value.get<std::string>() + "\"");
  return cpus;
}

void CheckCpus(const json& cpu, const std::set<std::string>& pods, const NodeFacts& facts,
               std::vector<Violation>& out) {
  if (!cpu.is_object() || cpu.value("policyName", "") != "static") return;
  std::optional<CpuBits> shared = CpusAt(cpu.value("defaultCpuSet", json()), "defaultCpuSet", out);
  if (!shared) return;
  // Per pod: everything it holds exclusively (its pod-level set and its containers' sets).
  std::map<std::string, CpuBits> held;
  const json pod_entries = cpu.value("podEntries", json::object());
  std::map<std::string, CpuBits> pod_sets;
  for (const auto& [uid, entry] : pod_entries.items()) {
    if (!pods.contains(uid)) Add(out, Violation::kGhostEntry, "cpu podEntries of pod " + uid);
    const json list = entry.is_object() ? entry.value("cpuSet", json()) : entry;
    if (std::optional<CpuBits> cpus = CpusAt(list, "podEntries/" + uid, out)) {
      held[uid] |= *cpus;
      pod_sets[uid] = *cpus;
    }
  }
  const json entries = cpu.value("entries", json::object());
  for (const auto& [uid, containers] : entries.items()) {
    if (!pods.contains(uid)) Add(out, Violation::kGhostEntry, "cpu entries of pod " + uid);
    const auto pod_set = pod_sets.find(uid);
    const auto init = facts.init_containers.find(uid);
    CpuBits apps;
    for (const auto& [name, list] : containers.items()) {
      std::optional<CpuBits> cpus = CpusAt(list, "entries/" + uid + "/" + name, out);
      if (!cpus) continue;
      held[uid] |= *cpus;
      if (pod_set != pod_sets.end()) {
        // A pod-level pod's containers live inside its set; those in its shared pool share.
        if ((*cpus & ~pod_set->second).any()) {
          Add(out, Violation::kCpuOutsidePod,
              "pod " + uid + " container " + name + ": CPUs " +
                  FormatCpuList(*cpus & ~pod_set->second));
        }
        continue;
      }
      // Init containers hand their CPUs on to the app containers (the kubelet's reuse).
      if (init != facts.init_containers.end() && init->second.contains(name)) continue;
      if ((apps & *cpus).any()) {
        Add(out, Violation::kCpuInTwoContainers,
            "pod " + uid + " container " + name + ": CPUs " + FormatCpuList(apps & *cpus));
      }
      apps |= *cpus;
    }
  }

  CpuBits exclusive;
  for (const auto& [uid, cpus] : held) {
    if ((exclusive & cpus).any()) {
      Add(out, Violation::kCpuInTwoPods,
          "pod " + uid + ": CPUs " + FormatCpuList(exclusive & cpus));
    }
    if ((cpus & *shared).any()) {
      Add(out, Violation::kExclusiveShared,
          "pod " + uid + ": CPUs " + FormatCpuList(cpus & *shared) + " also in defaultCpuSet");
    }
    if ((cpus & facts.reserved).any()) {
      Add(out, Violation::kReservedExclusive,
          "pod " + uid + ": CPUs " + FormatCpuList(cpus & facts.reserved));
    }
    exclusive |= cpus;
  }
  const CpuBits outside = (exclusive | *shared) & ~facts.machine_cpus;
  if (outside.any()) Add(out, Violation::kCpuOutside, "CPUs " + FormatCpuList(outside));
  CpuBits accounted = exclusive | *shared;
  if (facts.strict_reservation) accounted |= facts.reserved;
  const CpuBits lost = facts.machine_cpus & ~accounted;
  if (lost.any()) Add(out, Violation::kCpuLost, "CPUs " + FormatCpuList(lost));
}

uint64_t Bytes(const json& v) { return v.is_number_unsigned() ? v.get<uint64_t>() : 0; }

// Sums the sizes of a list of memory blocks into `by_type`.
void SumBlocks(const json& blocks, std::map<std::string, uint64_t>& by_type) {
  if (!blocks.is_array()) return;
  for (const json& block : blocks) {
    if (block.is_object()) by_type[block.value("type", "")] += Bytes(block.value("size", json()));
  }
}

void CheckMemory(const json& memory, const std::set<std::string>& pods,
                 std::vector<Violation>& out) {
  if (!memory.is_object() || memory.value("policyName", "") != "Static") return;
  std::map<std::string, uint64_t> reserved_total;
  const json machine = memory.value("machineState", json::object());
  for (const auto& [numa, node] : machine.items()) {
    const json map = node.is_object() ? node.value("memoryMap", json::object()) : json::object();
    for (const auto& [type, t] : map.items()) {
      const uint64_t total = Bytes(t.value("total", json()));
      const uint64_t system = Bytes(t.value("systemReserved", json()));
      const uint64_t allocatable = Bytes(t.value("allocatable", json()));
      const uint64_t reserved = Bytes(t.value("reserved", json()));
      const uint64_t free = Bytes(t.value("free", json()));
      const std::string where = "NUMA node " + numa + " " + type + ": ";
      if (reserved > allocatable) {
        Add(out, Violation::kMemoryOver,
            where + std::to_string(reserved) + " reserved of " + std::to_string(allocatable));
      }
      // (allocatable is total less systemReserved and, for memory, less the huge pages)
      if (free + reserved != allocatable || system > total || allocatable > total - system) {
        Add(out, Violation::kMemoryAccounting, where + t.dump());
      }
      reserved_total[type] += reserved;
    }
  }
  // The blocks handed out add up to what the NUMA nodes say is reserved. A pod with a
  // pod-level entry holds its blocks there (its containers' entries are carved from it).
  std::map<std::string, uint64_t> blocks_total;
  const json pod_entries = memory.value("podEntries", json::object());
  for (const auto& [uid, entry] : pod_entries.items()) {
    if (!pods.contains(uid)) Add(out, Violation::kGhostEntry, "memory podEntries of pod " + uid);
    SumBlocks(entry.is_object() ? entry.value("memoryBlocks", json()) : entry, blocks_total);
  }
  const json entries = memory.value("entries", json::object());
  for (const auto& [uid, containers] : entries.items()) {
    if (!pods.contains(uid)) Add(out, Violation::kGhostEntry, "memory entries of pod " + uid);
    if (pod_entries.contains(uid)) continue;
    for (const auto& [name, blocks] : containers.items()) SumBlocks(blocks, blocks_total);
  }
  for (const auto& [type, bytes] : blocks_total) {
    if (bytes != reserved_total[type]) {
      Add(out, Violation::kMemoryAccounting,
          type + ": blocks add up to " + std::to_string(bytes) + ", NUMA nodes reserve " +
              std::to_string(reserved_total[type]));
    }
  }
}

}  // namespace

std::optional<CpuBits> ParseCpuList(std::string_view text) {
  CpuBits cpus;
  if (text.empty()) return cpus;
  auto number = [](std::string_view s, int& v) {
    if (s.empty()) return false;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc() && end == s.data() + s.size() && v >= 0 && v < 4096;
  };
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    const std::string_view part = text.substr(start, comma - start);
    const size_t dash = part.find('-');
    int first = 0;
    int last = 0;
    if (dash == std::string_view::npos) {
      if (!number(part, first)) return std::nullopt;
      last = first;
    } else if (!number(part.substr(0, dash), first) || !number(part.substr(dash + 1), last) ||
               last < first) {
      return std::nullopt;
    }
    for (int cpu = first; cpu <= last; ++cpu) cpus.set(cpu);
    start = comma + 1;
  }
  return cpus;
}

std::string FormatCpuList(const CpuBits& cpus) {
  std::string out;
  for (size_t cpu = 0; cpu < cpus.size(); ++cpu) {
    if (!cpus.test(cpu)) continue;
    size_t last = cpu;
    while (last + 1 < cpus.size() && cpus.test(last + 1)) ++last;
    if (!out.empty()) out += ",";
    out += std::to_string(cpu);
    if (last > cpu) out += "-" + std::to_string(last);
    cpu = last;
  }
  return out;
}

const char* KindName(Violation::Kind kind) {
  switch (kind) {
    case Violation::kMalformed:
      return "malformed state";
    case Violation::kGhostEntry:
      return "entry of an unlisted pod";
    case Violation::kCpuInTwoPods:
      return "CPU exclusive to two pods";
    case Violation::kCpuInTwoContainers:
      return "CPU exclusive to two containers";
    case Violation::kCpuOutsidePod:
      return "container CPU outside its pod's set";
    case Violation::kExclusiveShared:
      return "exclusive CPU in the shared pool";
    case Violation::kReservedExclusive:
      return "reserved CPU exclusive";
    case Violation::kCpuOutside:
      return "CPU outside the machine";
    case Violation::kCpuLost:
      return "CPU lost";
    case Violation::kMemoryOver:
      return "NUMA memory over-allocated";
    case Violation::kMemoryAccounting:
      return "memory accounting";
  }
  return "?";
}

std::vector<Violation> CheckState(const json& state, const NodeFacts& facts) {
  std::vector<Violation> out;
  if (!state.is_object() || !state.contains("pods") || !state["pods"].is_array()) {
    Add(out, Violation::kMalformed, "no pods array");
    return out;
  }
  std::set<std::string> pods;
  for (const json& pod : state["pods"]) pods.insert(pod.value("uid", ""));
  CheckCpus(state.value("cpu_manager", json()), pods, facts, out);
  CheckMemory(state.value("memory_manager", json()), pods, out);
  return out;
}

}  // namespace podalloc_model
