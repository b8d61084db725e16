#include "machine_svg.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "podalloc/device_manager.h"
#include "podalloc/internal/xml_escape.h"
#include "podalloc/io_device.h"

namespace podalloc::cli {
namespace {

// Geometry, in SVG user units.
constexpr int kCpu = 24;       // a CPU square
constexpr int kGap = 3;        // between CPUs of a core, and around a core's CPUs
constexpr int kCoresPerRow = 8;
constexpr int kPad = 8;        // inside a box, around its content
constexpr int kLabel = 16;     // a box's title line
constexpr int kBar = 12;       // a memory bar
constexpr int kLegendRow = 18;


// Distinct hues for pods (golden-angle steps), a lighter tone per further container.
std::string PodColour(int pod, int shade) {
  const int hue = (pod * 137 + 20) % 360;
  const int light = std::min(38 + shade * 9, 70);
  return absl::StrFormat("hsl(%d,65%%,%d%%)", hue, light);
}
std::string PoolColour(int pod) { return absl::StrFormat("hsl(%d,60%%,85%%)", (pod * 137 + 20) % 360); }
constexpr char kNodePool[] = "#dfe7ee";
constexpr char kReserved[] = "#8d8d8d";
constexpr char kUnassigned[] = "#ffffff";

struct Owner {
  std::string fill;
  std::string text = "#000";
  std::string title;  // tooltip
};

struct LegendEntry {
  std::string fill;
  std::string text;
};

// Who holds each CPU, and the legend in drawing order.
struct Ownership {
  std::map<int, Owner> by_cpu;
  std::vector<LegendEntry> legend;
};

Ownership Owners(const MachinePicture& p) {
  Ownership o;
  const CpuManagerState& cpu = p.state.cpu;
  o.legend.push_back({kReserved, absl::StrCat("reserved CPUs ", p.reserved.ToString())});
  o.legend.push_back({kNodePool, absl::StrCat("node shared pool ", cpu.default_cpu_set.ToString())});
  for (int c : cpu.default_cpu_set) o.by_cpu[c] = Owner{kNodePool, "#000", "node shared pool"};
  for (int c : p.reserved) o.by_cpu[c] = Owner{kReserved, "#fff", "reserved"};

  std::map<std::string, const Decision*> decision_of;
  for (const Decision& d : p.decisions) decision_of[d.pod_uid] = &d;
  // Pods in state order (by UID): the colours do not depend on admission order.
  std::vector<std::string> uids;
  for (const auto& [uid, record] : p.state.pods) uids.push_back(uid);
  int index = 0;
  for (const std::string& uid : uids) {
    const PodRecord& record = p.state.pods.at(uid);
    const std::string pod_name = absl::StrCat(record.pod.namespace_name, "/", record.pod.name);
    const Decision* d = decision_of.count(uid) ? decision_of[uid] : nullptr;
    auto exclusive = [&](const std::string& container) {
      if (d == nullptr) return true;
      for (const ContainerDecision& c : d->containers) {
        if (c.name == container) return c.exclusive_cpus;
      }
      return true;
    };
    bool drawn = false;
    if (auto pool = cpu.pod_assignments.find(uid); pool != cpu.pod_assignments.end()) {
      // The pod's CPUs less its containers' exclusive slices, drawn over it below.
      CpuSet shared = pool->second;
      if (auto a = cpu.assignments.find(uid); a != cpu.assignments.end()) {
        for (const auto& [container, set] : a->second) {
          if (exclusive(container)) shared = shared - set;
        }
      }
      const std::string fill = PoolColour(index);
      o.legend.push_back(
          {fill, absl::StrCat(pod_name, ": pod shared pool ",
                              shared.IsEmpty() ? "(empty)" : shared.ToString(),
                              shared == pool->second
                                  ? ""
                                  : absl::StrCat(" (the pod's CPUs: ", pool->second.ToString(), ")"))});
      for (int c : shared) {
        o.by_cpu[c] = Owner{fill, "#000", absl::StrCat(pod_name, ": pod shared pool")};
      }
      drawn = true;
    }
    int shade = 0;
    if (auto a = cpu.assignments.find(uid); a != cpu.assignments.end()) {
      for (const auto& [container, set] : a->second) {
        if (!exclusive(container)) continue;
        const std::string fill = PodColour(index, shade++);
        o.legend.push_back(
            {fill, absl::StrCat(pod_name, ": ", container, " (exclusive) ", set.ToString())});
        for (int c : set) {
          o.by_cpu[c] = Owner{fill, "#fff", absl::StrCat(pod_name, ": ", container, " (exclusive)")};
        }
        drawn = true;
      }
    }
    if (drawn) {
      ++index;
    } else {
      o.legend.push_back({kNodePool, absl::StrCat(pod_name, ": runs in the node shared pool")});
    }
  }
  for (const Decision& d : p.decisions) {
    if (!d.admitted) {
      o.legend.push_back({"none", absl::StrCat(d.pod_namespace, "/", d.pod_name,
                                               ": refused, ", d.reason)});
    }
  }
  return o;
}

// The CPUs of one NUMA node, grouped by L3 then by core: uncore id -> core id -> CPU ids.
using NumaLayout = std::map<int, std::map<int, std::vector<int>>>;

std::map<int, NumaLayout> Layout(const Topology& t) {
  std::map<int, NumaLayout> out;
  for (const CpuInfo& c : t.spec().cpus) out[c.numa_id][c.uncore_id][c.core_id].push_back(c.id);
  for (auto& [numa, groups] : out) {
    for (auto& [uncore, cores] : groups) {
      for (auto& [core, cpus] : cores) std::sort(cpus.begin(), cpus.end());
    }
  }
  return out;
}

struct Size {
  int w = 0, h = 0;
};

int CoreWidth(size_t threads) {
  return static_cast<int>(threads) * kCpu + static_cast<int>(threads + 1) * kGap;
}
constexpr int kCoreHeight = kCpu + 2 * kGap;

Size GroupSize(const std::map<int, std::vector<int>>& cores) {
  size_t threads = 1;
  for (const auto& [id, cpus] : cores) threads = std::max(threads, cpus.size());
  const int per_row = std::min<int>(kCoresPerRow, static_cast<int>(cores.size()));
  const int rows = (static_cast<int>(cores.size()) + kCoresPerRow - 1) / kCoresPerRow;
  return {2 * kPad + per_row * CoreWidth(threads) + (per_row - 1) * kGap,
          kLabel + kPad + rows * kCoreHeight + (rows - 1) * kGap + kPad};
}

class Canvas {
 public:
  void Rect(int x, int y, int w, int h, const std::string& fill, const std::string& stroke,
            int rx, const std::string& extra = "") {
    absl::StrAppendFormat(&body_,
                          "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"%d\" "
                          "fill=\"%s\" stroke=\"%s\"%s/>\n",
                          x, y, w, h, rx, fill, stroke, extra);
  }
  void Text(int x, int y, std::string_view text, int size, const std::string& fill = "#222",
            const std::string& anchor = "start") {
    absl::StrAppendFormat(&body_,
                          "<text x=\"%d\" y=\"%d\" font-size=\"%d\" fill=\"%s\" "
                          "text-anchor=\"%s\">%s</text>\n",
                          x, y, size, fill, anchor, internal::XmlEscaped(text));
  }
  void Raw(std::string_view s) { body_.append(s); }
  const std::string& body() const { return body_; }

 private:
  std::string body_;
};

void DrawCpu(Canvas& c, int x, int y, int cpu, const Owner& owner) {
  c.Raw(absl::StrFormat("<g data-cpu=\"%d\"><title>CPU %d: %s</title>", cpu, cpu,
                        internal::XmlEscaped(owner.title)));
  c.Rect(x, y, kCpu, kCpu, owner.fill, "#555", 2);
  c.Text(x + kCpu / 2, y + kCpu / 2 + 4, absl::StrCat(cpu), cpu >= 1000 ? 7 : 9, owner.text,
         "middle");
  c.Raw("</g>\n");
}

// A byte count for a label: whole binary units as Kubernetes writes them ("15Gi"), else one
// decimal of the largest unit ("368.5Gi").
std::string Bytes(uint64_t bytes) {
  static const struct {
    uint64_t unit;
    const char* suffix;
  } kUnits[] = {{uint64_t{1} << 40, "Ti"}, {uint64_t{1} << 30, "Gi"}, {uint64_t{1} << 20, "Mi"},
                {uint64_t{1} << 10, "Ki"}};
  for (const auto& u : kUnits) {
    if (bytes < u.unit) continue;
    if (bytes % u.unit == 0) return absl::StrCat(bytes / u.unit, u.suffix);
    return absl::StrFormat("%.1f%s", static_cast<double>(bytes) / u.unit, u.suffix);
  }
  return absl::StrCat(bytes);
}

// Memory bars of one NUMA node: pinned / allocatable per resource of the Static memory
// manager, or the node's memory when the memory manager does not track it.
std::vector<std::pair<std::string, double>> MemoryBars(const MachinePicture& p, int numa) {
  std::vector<std::pair<std::string, double>> bars;
  if (const MemoryNumaNodeState* n = p.state.memory.machine.Node(numa); n != nullptr) {
    for (const MemoryResourceTable& r : n->memory) {
      const MemoryTable& t = r.table;
      if (t.total == 0 && t.allocatable == 0) continue;  // no pages of this size here
      const double used =
          t.allocatable == 0 ? 0.0 : static_cast<double>(t.reserved) / static_cast<double>(t.allocatable);
      bars.emplace_back(absl::StrCat(r.resource.Name(), ": ", Bytes(t.reserved), " of ",
                                     Bytes(t.allocatable), " allocatable pinned"),
                        used);
    }
  } else if (const NumaNodeInfo* info = p.topology->NumaNode(numa);
             info != nullptr && info->memory_bytes > 0) {
    bars.emplace_back(absl::StrCat("memory: ", Bytes(info->memory_bytes),
                                   " (not pinned by the memory manager)"),
                      -1.0);
  }
  return bars;
}

// One line per PCI function (with its OS devices' names) and per OS device without a PCI
// function among the machine's devices; `numa` = -1 for devices of unknown locality.
std::vector<std::string> DeviceLines(const Topology& t, int numa) {
  std::vector<std::string> lines;
  auto here = [&](const IoDevice& d) {
    return numa < 0 ? !d.numa_nodes.has_value()
                    : d.numa_nodes.has_value() && d.numa_nodes->IsSet(numa);
  };
  for (const IoDevice& d : t.devices()) {
    if (!here(d)) continue;
    if (d.type == IoDevice::Type::kPci) {
      std::string os;
      for (const IoDevice& o : t.devices()) {
        if (o.type == IoDevice::Type::kOs && o.pci_bus_id == d.id) {
          absl::StrAppend(&os, os.empty() ? " (" : ", ", o.id);
        }
      }
      if (!os.empty()) os += ")";
      lines.push_back(absl::StrCat(std::string(IoDeviceKindName(d.kind)), " ", d.id, os,
                                   d.name.empty() ? "" : absl::StrCat(": ", d.name)));
    } else if (d.pci_bus_id.empty()) {
      lines.push_back(absl::StrCat(std::string(IoDeviceKindName(d.kind)), " ", d.id));
    }
  }
  return lines;
}

// Who holds each device-plugin device: (resource, id) -> "namespace/pod: container".
using DeviceHolders = std::map<std::pair<std::string, std::string>, std::string>;

DeviceHolders HoldersOf(const MachinePicture& p) {
  DeviceHolders holder;
  for (const auto& [uid, containers] : p.state.devices.pod_devices()) {
    std::string pod = uid;
    if (auto r = p.state.pods.find(uid); r != p.state.pods.end()) {
      pod = absl::StrCat(r->second.pod.namespace_name, "/", r->second.pod.name);
    }
    for (const auto& [container, resources] : containers) {
      for (const auto& [resource, entry] : resources) {
        for (const std::string& id : entry.Devices()) {
          holder[{resource, id}] = absl::StrCat(pod, ": ", container);
        }
      }
    }
  }
  return holder;
}

// One line per device-plugin device: its resource and ID, and who holds it; `numa` = -1 for
// devices without NUMA info. A device local to several nodes is listed under each.
std::vector<std::string> PluginDeviceLines(const MachinePicture& p, const DeviceHolders& holder,
                                           int numa) {
  const DeviceManager& m = p.state.devices;
  std::vector<std::string> lines;
  for (const std::string& resource : m.Resources()) {
    for (const PluginDevice& d : m.Devices(resource)) {
      bool here = false;
      if (numa < 0) {
        here = !d.HasNuma();
      } else if (d.HasNuma()) {
        for (int64_t n : *d.numa_nodes) here = here || n == numa;
      }
      if (!here) continue;
      auto h = holder.find({resource, d.id});
      lines.push_back(absl::StrCat(resource, " ", d.id, d.healthy() ? "" : " (unhealthy)", ": ",
                                   h != holder.end() ? h->second : "free"));
    }
  }
  return lines;
}

constexpr int kDeviceLine = 13;

}  // namespace

MachinePicture PictureOfNode(const Node& node, std::vector<Decision> decisions) {
  const Topology& t = node.topology();
  MachinePicture picture;
  picture.topology = &t;
  picture.state = node.State();
  picture.reserved = node.ReservedCpus();
  picture.decisions = std::move(decisions);
  picture.title = absl::StrCat(t.name(), ": ", t.NumSockets(), " sockets, ", t.NumNumaNodes(),
                               " NUMA nodes, ", t.NumCpus(), " CPUs; cpu ",
                               node.config().cpu_manager_policy, ", memory ",
                               node.config().memory_manager_policy, ", topology ",
                               node.config().topology_manager_policy);
  return picture;
}

absl::Status WriteTextFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) return absl::PermissionDeniedError(absl::StrCat(path, ": cannot write"));
  return absl::OkStatus();
}

namespace {

// What one NUMA node's box holds within one socket, gathered once for measuring and drawing.
struct NumaBox {
  int numa = 0;
  std::vector<std::pair<int, std::map<int, std::vector<int>>>> groups;  // L3 id -> its cores
  std::vector<std::pair<std::string, double>> bars;
  std::vector<std::string> plugin_devices, devices;
  Size size;
};

NumaBox GatherNumaBox(const MachinePicture& p, const DeviceHolders& holders,
                      const NumaLayout& layout, int socket, int numa) {
  const Topology& t = *p.topology;
  NumaBox b;
  b.numa = numa;
  b.size = {0, kLabel + kPad};
  for (const auto& [uncore, cores] : layout) {
    // Only this socket's cores (a NUMA node may span sockets on odd machines).
    std::map<int, std::vector<int>> mine;
    for (const auto& [core, cpus] : cores) {
      if (t.cpu(cpus.front())->socket_id == socket) mine[core] = cpus;
    }
    if (mine.empty()) continue;
    const Size g = GroupSize(mine);
    b.size.w = std::max(b.size.w, g.w);
    b.size.h += g.h + kGap;
    b.groups.emplace_back(uncore, std::move(mine));
  }
  b.size.w = std::max(b.size.w + 2 * kPad, 260);
  b.bars = MemoryBars(p, numa);
  b.size.h += static_cast<int>(b.bars.size()) * (kBar + 16) + kPad;
  b.plugin_devices = PluginDeviceLines(p, holders, numa);
  b.devices = DeviceLines(t, numa);
  for (const auto* lines : {&b.plugin_devices, &b.devices}) {
    for (const std::string& line : *lines) {
      b.size.h += kDeviceLine;
      b.size.w = std::max(b.size.w, static_cast<int>(line.size()) * 5 + 2 * kPad);  // ~5 a glyph
    }
  }
  return b;
}

}  // namespace

std::string MachineSvg(const MachinePicture& p) {
  const Topology& t = *p.topology;
  const Ownership owners = Owners(p);
  const std::map<int, NumaLayout> layout = Layout(t);
  const DeviceHolders holders = HoldersOf(p);
  Canvas c;
  int y = 40;
  int width = 0;
  // One row per socket; its NUMA nodes side by side; in each, its L3 groups stacked.
  for (int socket : t.SocketIds()) {
    std::vector<NumaBox> boxes;
    int socket_w = kPad, socket_h = 0;
    for (int numa : t.NumaIdsInSocket(socket)) {
      boxes.push_back(GatherNumaBox(p, holders, layout.at(numa), socket, numa));
      socket_w += boxes.back().size.w + kPad;
      socket_h = std::max(socket_h, boxes.back().size.h);
    }
    socket_h += kLabel + 2 * kPad;
    const int sx = 20;
    c.Rect(sx, y, socket_w, socket_h, "#f7f7f7", "#333", 6);
    c.Text(sx + kPad, y + 13, absl::StrCat("socket ", socket), 12, "#111");
    int nx = sx + kPad;
    for (const NumaBox& box : boxes) {
      const int ny = y + kLabel + kPad;
      c.Rect(nx, ny, box.size.w, box.size.h, "#ffffff", "#6a8caf", 4);
      c.Text(nx + kPad, ny + 13, absl::StrCat("NUMA node ", box.numa), 11, "#2a4d6e");
      int gy = ny + kLabel + kPad;
      for (const auto& [uncore, mine] : box.groups) {
        const Size g = GroupSize(mine);
        const int gx = nx + kPad;
        c.Rect(gx, gy, g.w, g.h, "#fbfbf2", "#b0a96a", 3);
        c.Text(gx + kPad, gy + 12, absl::StrCat("L3 ", uncore, " (", mine.size(), " cores)"), 9,
               "#6b6430");
        size_t threads = 1;
        for (const auto& [id, cpus] : mine) threads = std::max(threads, cpus.size());
        int k = 0;
        for (const auto& [core, cpus] : mine) {
          const int cx = gx + kPad + (k % kCoresPerRow) * (CoreWidth(threads) + kGap);
          const int cy = gy + kLabel + (k / kCoresPerRow) * (kCoreHeight + kGap);
          c.Rect(cx, cy, CoreWidth(threads), kCoreHeight, "#eeeeee", "#999", 3);
          for (size_t j = 0; j < cpus.size(); ++j) {
            auto it = owners.by_cpu.find(cpus[j]);
            const Owner owner = it != owners.by_cpu.end()
                                    ? it->second
                                    : Owner{kUnassigned, "#000", "in no pool"};
            DrawCpu(c, cx + kGap + static_cast<int>(j) * (kCpu + kGap), cy + kGap, cpus[j],
                    owner);
          }
          ++k;
        }
        gy += g.h + kGap;
      }
      for (const auto& [label, used] : box.bars) {
        const int bw = box.size.w - 2 * kPad;
        c.Text(nx + kPad, gy + 11, label, 9, "#333");
        gy += 14;
        c.Rect(nx + kPad, gy, bw, kBar, "#eef3e8", "#7a9a5a", 2);
        if (used > 0) {
          c.Rect(nx + kPad, gy, std::max(1, static_cast<int>(bw * std::min(used, 1.0))), kBar,
                 "#7a9a5a", "none", 2);
        }
        gy += kBar + 2;
      }
      for (const std::string& line : box.plugin_devices) {
        c.Text(nx + kPad, gy + 11, line, 9, "#8a4b08");
        gy += kDeviceLine;
      }
      for (const std::string& line : box.devices) {
        c.Text(nx + kPad, gy + 11, line, 9, "#5a3e8c");
        gy += kDeviceLine;
      }
      nx += box.size.w + kPad;
    }
    width = std::max(width, sx + socket_w + 20);
    y += socket_h + 16;
  }
  // Devices the machine (or their device plugin) gives no NUMA locality for.
  std::vector<std::string> lines = PluginDeviceLines(p, holders, -1);
  for (std::string& line : DeviceLines(t, -1)) lines.push_back(std::move(line));
  if (!lines.empty()) {
    c.Text(20, y + 14, "Devices without NUMA locality", 12, "#111");
    y += 22;
    for (const std::string& line : lines) {
      c.Text(20, y + 11, line, 10, "#5a3e8c");
      width = std::max(width, 20 + static_cast<int>(line.size()) * 6 + 20);
      y += kDeviceLine + 2;
    }
    y += 8;
  }
  // Legend.
  c.Text(20, y + 14, "Legend", 12, "#111");
  y += 22;
  for (const LegendEntry& e : owners.legend) {
    if (e.fill == "none") {
      c.Text(20, y + 12, absl::StrCat("× ", e.text), 11, "#a00");
    } else {
      c.Rect(20, y, 14, 14, e.fill, "#555", 2);
      c.Text(40, y + 12, e.text, 11, "#222");
    }
    width = std::max(width, 40 + static_cast<int>(e.text.size()) * 6 + 20);
    y += kLegendRow;
  }
  const int height = y + 16;
  std::string svg = absl::StrFormat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
      "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
      "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
      width, height, width, height);
  absl::StrAppend(&svg, "<text x=\"20\" y=\"24\" font-size=\"15\" fill=\"#111\">",
                  internal::XmlEscaped(p.title), "</text>\n", c.body(), "</svg>\n");
  return svg;
}

}  // namespace podalloc::cli
