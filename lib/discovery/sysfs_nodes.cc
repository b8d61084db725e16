// NUMA nodes as the kernel lists them under /sys/devices/system/node: the facts cadvisor
// gives the kubelet's memory manager (MemTotal per node, hugepages per size) and the SLIT
// distances the topology manager's prefer-closest-numa-nodes option reads.
#include <algorithm>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "podalloc/internal/input_quote.h"
#include "podalloc/status_macros.h"
#include "sysfs_reader.h"

namespace podalloc::internal {
namespace {

const std::string kNodeDir = "sys/devices/system/node";

std::string NodeFile(int id, const std::string& file) {
  return absl::StrCat(kNodeDir, "/node", id, "/", file);
}

// "Node 0 MemTotal:       16769836 kB" -> bytes.
absl::StatusOr<uint64_t> ParseMemTotal(const SysfsRoot& root, const std::string& relative) {
  PODALLOC_ASSIGN_OR_RETURN(std::string text, root.Read(relative));
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    size_t key = line.find("MemTotal:");
    if (key == std::string::npos) continue;
    std::istringstream fields(line.substr(key + 9));
    uint64_t value = 0;
    std::string unit;
    if (!(fields >> value) || !(fields >> unit) || unit != "kB" || value > (UINT64_MAX >> 10)) {
      return root.Malformed(relative, absl::StrCat("cannot parse ", QuoteInput(line)));
    }
    return value << 10;
  }
  return root.Malformed(relative, "no MemTotal line");
}

// node<N>/hugepages/hugepages-<size>kB/nr_hugepages, ascending size.
absl::StatusOr<std::vector<HugePages>> ReadHugePages(const SysfsRoot& root, int node) {
  std::vector<HugePages> out;
  const std::string dir = NodeFile(node, "hugepages");
  if (!root.Exists(dir)) return out;
  PODALLOC_ASSIGN_OR_RETURN(std::vector<std::string> names, root.List(dir));
  for (const std::string& name : names) {
    const std::string prefix = "hugepages-";
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    std::string size_text = name.substr(prefix.size());
    uint64_t kb = 0;
    size_t used = 0;
    bool ok = size_text.size() > 2 && size_text.compare(size_text.size() - 2, 2, "kB") == 0;
    for (; ok && used < size_text.size() - 2; ++used) {
      char c = size_text[used];
      ok = c >= '0' && c <= '9' && kb < (UINT64_MAX >> 14);
      kb = kb * 10 + static_cast<uint64_t>(c - '0');
    }
    if (!ok || kb == 0) {
      return root.Malformed(absl::StrCat(dir, "/", name), "cannot parse the page size");
    }
    const std::string count_file = absl::StrCat(dir, "/", name, "/nr_hugepages");
    PODALLOC_ASSIGN_OR_RETURN(int64_t count, root.ReadInt(count_file));
    if (count < 0) return root.Malformed(count_file, absl::StrCat("negative count ", count));
    out.push_back(
        HugePages{.page_size_bytes = kb << 10, .total_pages = static_cast<uint64_t>(count)});
  }
  std::sort(out.begin(), out.end(), [](const HugePages& a, const HugePages& b) {
    return a.page_size_bytes < b.page_size_bytes;
  });
  return out;
}

absl::StatusOr<std::vector<int>> ReadDistanceRow(const SysfsRoot& root, int node, size_t expected) {
  const std::string file = NodeFile(node, "distance");
  PODALLOC_ASSIGN_OR_RETURN(std::string text, root.Read(file));
  std::istringstream fields(text);
  std::vector<int> row;
  std::string field;
  while (fields >> field) {
    bool digits =
        !field.empty() && field.size() <= 9 &&
        std::all_of(field.begin(), field.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) return root.Malformed(file, absl::StrCat("bad distance ", QuoteInput(field)));
    row.push_back(std::stoi(field));
  }
  if (row.size() != expected) {
    return root.Malformed(file,
                          absl::StrCat(row.size(), " distances for ", expected, " NUMA nodes"));
  }
  return row;
}

}  // namespace

absl::StatusOr<SysfsNumaFacts> ReadSysfsNumaNodes(const SysfsRoot& root) {
  SysfsNumaFacts facts;
  facts.cpu_node.assign(CpuSet::kMaxCpus, -1);
  if (!root.Exists(kNodeDir)) {
    // A kernel without NUMA in sysfs: cadvisor then makes one node per package, without
    // memory figures; ReadSysfsCpus does the same.
    facts.has_node_dir = false;
    return facts;
  }
  PODALLOC_ASSIGN_OR_RETURN(std::vector<int> ids, root.ListNumbered(kNodeDir, "node"));
  // Only online nodes have meaningful files; the distance rows list exactly those.
  const std::string online_file = kNodeDir + "/online";
  if (root.Exists(online_file)) {
    PODALLOC_ASSIGN_OR_RETURN(CpuSet online, root.ReadCpuList(online_file));
    std::erase_if(ids, [&](int id) { return !online.Contains(id); });
  }
  bool any_distance = false;
  for (int id : ids) any_distance = any_distance || root.Exists(NodeFile(id, "distance"));
  for (int id : ids) {
    NumaNodeInfo node;
    node.id = id;
    PODALLOC_ASSIGN_OR_RETURN(
        CpuSet cpus, root.ReadCpuListOrMask(NodeFile(id, "cpulist"), NodeFile(id, "cpumap")));
    for (int cpu : cpus) {
      if (facts.cpu_node[cpu] >= 0) {
        return root.Malformed(
            NodeFile(id, "cpulist"),
            absl::StrCat("CPU ", cpu, " is also in NUMA node ", facts.cpu_node[cpu]));
      }
      facts.cpu_node[cpu] = id;
    }
    PODALLOC_ASSIGN_OR_RETURN(node.memory_bytes, ParseMemTotal(root, NodeFile(id, "meminfo")));
    PODALLOC_ASSIGN_OR_RETURN(node.hugepages, ReadHugePages(root, id));
    if (any_distance) {
      PODALLOC_ASSIGN_OR_RETURN(std::vector<int> row, ReadDistanceRow(root, id, ids.size()));
      facts.distances.push_back(std::move(row));
    }
    facts.nodes.push_back(std::move(node));
  }
  return facts;
}

}  // namespace podalloc::internal
