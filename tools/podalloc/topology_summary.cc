#include "topology_summary.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "podalloc/internal/input_quote.h"

namespace podalloc::cli {
namespace {

std::string Join(const std::vector<int>& ids) { return absl::StrJoin(ids, ","); }

std::string OrNone(const std::string& cpus) { return cpus.empty() ? "none" : cpus; }

// "2", or "1-2" on machines whose cores differ (hybrid P/E cores).
std::string ThreadsPerCore(const Topology& t) {
  int least = 0, most = 0;
  for (int core : t.CoreIds()) {
    int n = t.CpusInCore(core).Size();
    least = least == 0 ? n : std::min(least, n);
    most = std::max(most, n);
  }
  return least == most ? absl::StrCat(most) : absl::StrCat(least, "-", most);
}

std::string Counts(const Topology& t) {
  std::string out = absl::StrCat("CPUs:           ", t.cpus().Size(), " online (",
                                 OrNone(t.cpus().ToString()), ")");
  if (!t.spec().offline_cpus.IsEmpty()) {
    absl::StrAppend(&out, ", ", t.spec().offline_cpus.Size(), " offline or not usable (",
                    t.spec().offline_cpus.ToString(), ")");
  }
  absl::StrAppend(&out, "\nSockets:        ", t.SocketIds().size(),
                  "\nNUMA nodes:     ", t.NumaIds().size(),
                  "\nCores:          ", t.CoreIds().size(), "\nThreads/core:   ", ThreadsPerCore(t),
                  "\nL3 groups:      ", t.UncoreIds().size(), "\n");
  const TopologySpec& s = t.spec();
  if (s.num_cpus || s.num_cores || s.num_sockets || s.num_numa_nodes || s.num_uncore_caches) {
    absl::StrAppend(&out, "Header counts:  cpus=", t.NumCpus(), " cores=", t.NumCores(),
                    " sockets=", t.NumSockets(), " numa=", t.NumNumaNodes(),
                    " uncore=", t.NumUncoreCaches(), " (as given)\n");
  }
  return out;
}

std::string Sockets(const Topology& t) {
  std::string out = "\nSockets:\n";
  for (int id : t.SocketIds()) {
    const CpuSet& cpus = t.CpusInSocket(id);
    int cores = 0;
    for (int core : t.CoreIds()) cores += t.CpusInCore(core).Intersects(cpus) ? 1 : 0;
    absl::StrAppend(&out, "  socket ", id, ": ", cores, " cores, ", cpus.Size(), " CPUs (",
                    cpus.ToString(), "), NUMA ", Join(t.NumaIdsInSocket(id)), "\n");
  }
  return out;
}

std::string NumaNodes(const Topology& t) {
  std::string out = "\nNUMA nodes:\n";
  for (int id : t.NumaIds()) {
    const NumaNodeInfo* node = t.NumaNode(id);
    const CpuSet& cpus = t.CpusInNumaNode(id);
    absl::StrAppend(&out, "  node ", id, ": ", HumanBytes(node->memory_bytes),
                    node->memory_bytes == 0 ? " (memory-less)" : "", ", ");
    if (cpus.IsEmpty()) {
      absl::StrAppend(&out, "CPU-less");
    } else {
      absl::StrAppend(&out, cpus.Size(), " CPUs (", cpus.ToString(), "), socket ",
                      Join(t.SocketIdsInNumaNode(id)));
    }
    for (const HugePages& hp : node->hugepages) {
      absl::StrAppend(&out, ", ", hp.total_pages, " x ", HumanBytes(hp.page_size_bytes),
                      " hugepages");
    }
    absl::StrAppend(&out, "\n");
  }
  return out;
}

std::string Kinds(const Topology& t) {
  std::map<int, CpuSet> kinds;
  for (int cpu : t.cpus()) kinds[t.cpu(cpu)->kind].Add(cpu);
  if (kinds.size() <= 1) return "";
  std::string out = "\nCore kinds (0 = least performant):\n";
  for (const auto& [kind, cpus] : kinds) {
    absl::StrAppend(&out, "  kind ", kind, ": ", cpus.Size(), " CPUs (", cpus.ToString(), ")\n");
  }
  return out;
}

std::string Uncore(const Topology& t) {
  std::string out = "\nL3 groups (uncore caches; the socket where there is no L3):\n";
  for (int id : t.UncoreIds()) {
    const CpuSet& cpus = t.CpusInUncoreCache(id);
    absl::StrAppend(&out, "  uncore ", id, ": ", cpus.Size(), " CPUs (", cpus.ToString(),
                    "), NUMA ", Join(t.NumaNodesOf(cpus).GetBits()), "\n");
  }
  return out;
}

std::string Distances(const Topology& t) {
  if (!t.HasDistances()) return "\nDistances: not reported (10 local, 20 remote assumed)\n";
  const std::vector<int>& ids = t.NumaIds();
  int width = 3;
  for (const auto& row : t.spec().distances) {
    for (int d : row) width = std::max(width, static_cast<int>(absl::StrCat(d).size()) + 1);
  }
  for (int id : ids) width = std::max(width, static_cast<int>(absl::StrCat(id).size()) + 1);
  auto cell = [width](const std::string& s) {
    return std::string(static_cast<size_t>(std::max(0, width - static_cast<int>(s.size()))), ' ') +
           s;
  };
  std::string out = "\nDistances:\n  " + cell("");
  for (int id : ids) out += cell(absl::StrCat(id));
  out += "\n";
  for (int from : ids) {
    out += "  " + cell(absl::StrCat(from));
    for (int to : ids) out += cell(absl::StrCat(t.Distance(from, to)));
    out += "\n";
  }
  return out;
}

// "8086:1521", or "-" when the PCI ids are unknown.
std::string PciIds(const IoDevice& d) {
  if (!d.vendor_id.has_value() || !d.device_id.has_value()) return "-";
  char text[16];
  std::snprintf(text, sizeof(text), "%04x:%04x", *d.vendor_id, *d.device_id);
  return text;
}

// One row per device: ids and names come from files, so they are escaped; the model bounds
// them to 256 bytes, which the table shows whole.
std::string Devices(const Topology& t) {
  const std::vector<IoDevice>& devices = t.devices();
  if (devices.empty()) return "\nDevices: none found\n";
  size_t pci = 0;
  for (const IoDevice& d : devices) pci += d.type == IoDevice::Type::kPci ? 1 : 0;
  std::vector<std::vector<std::string>> rows = {{"ID", "KIND", "PCI", "VENDOR:DEVICE", "NUMA",
                                                 "NAME"}};
  for (const IoDevice& d : devices) {
    rows.push_back({internal::EscapeInput(d.id, 256), std::string(IoDeviceKindName(d.kind)),
                    d.type == IoDevice::Type::kPci || d.pci_bus_id.empty() ? "-" : d.pci_bus_id,
                    PciIds(d), d.numa_nodes.has_value() ? d.numa_nodes->ToList() : "unknown",
                    internal::EscapeInput(d.name, 256)});
  }
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  std::string out = absl::StrCat("\nDevices (", pci, " PCI, ", devices.size() - pci,
                                 " OS; NUMA = the nodes a device is local to):\n");
  for (const auto& row : rows) {
    std::string line = " ";
    for (size_t i = 0; i < row.size(); ++i) {
      absl::StrAppend(&line, " ", row[i]);
      if (i + 1 < row.size()) line.append(width[i] - row[i].size() + 1, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

}  // namespace

std::string HumanBytes(uint64_t bytes) {
  static const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int unit = 0;
  uint64_t whole = bytes;
  while (whole >= 1024 && unit < 6) {
    whole /= 1024;
    ++unit;
  }
  if (unit == 0) return absl::StrCat(bytes, " B");
  const double scaled =
      static_cast<double>(bytes) / static_cast<double>(uint64_t{1} << (10 * unit));
  char text[32];
  if (bytes % (uint64_t{1} << (10 * unit)) == 0) {
    std::snprintf(text, sizeof(text), "%.0f %s", scaled, kUnits[unit]);
  } else {
    std::snprintf(text, sizeof(text), "%.1f %s", scaled, kUnits[unit]);
  }
  return text;
}

std::string TopologySummary(const Topology& topology) {
  return absl::StrCat("Topology: ", topology.name().empty() ? "(unnamed)" : topology.name(), "\n",
                      Counts(topology), Sockets(topology), NumaNodes(topology), Kinds(topology),
                      Uncore(topology), Distances(topology), Devices(topology));
}

}  // namespace podalloc::cli
