// The "devices" array of the versioned topology document: it round-trips, is written only when
// there are devices, and bad entries are InvalidArgument naming the JSON path or the device.
#include <catch2/catch.hpp>
#include <string>

#include "podalloc/topology_json.h"

namespace podalloc {
namespace {

std::string WithDevices(const std::string& devices) {
  return R"({"schema":"podalloc.topology/v1","name":"t","cpus":[)"
         R"({"id":0,"core":0,"socket":0,"numa":0},{"id":1,"core":1,"socket":1,"numa":1}],)"
         R"("devices":)" +
         devices + "}";
}

const char* const kDevices = R"([
  {"type":"os","id":"mlx5_0","kind":"openfabrics","pci_bus_id":"0000:31:00.0",
   "vendor":"15b3","device":"101b","class":"0207","name":"","numa_nodes":[1]},
  {"type":"pci","id":"0000:17:00.0","kind":"gpu","pci_bus_id":"0000:17:00.0",
   "vendor":"10de","device":"20b0","class":"0302","name":"GA100","numa_nodes":[0,1]},
  {"type":"pci","id":"0000:31:00.0","kind":"openfabrics","numa_nodes":null},
  {"type":"os","id":"eth0","kind":"network"}])";

TEST_CASE("topology JSON devices: read, ordered and round-tripped", "[json][devices]") {
  auto t = TopologyFromJson(WithDevices(kDevices));
  INFO(t.status().ToString());
  REQUIRE(t.ok());
  const std::vector<IoDevice>& d = t->devices();
  REQUIRE(d.size() == 4);
  // PCI devices first, each type by id.
  CHECK(d[0].id == "0000:17:00.0");
  CHECK(d[1].id == "0000:31:00.0");
  CHECK(d[2].id == "eth0");
  CHECK(d[3].id == "mlx5_0");
  CHECK(d[0].kind == IoDeviceKind::kGpu);
  CHECK(d[0].vendor_id == uint16_t{0x10de});
  CHECK(d[0].class_id == uint16_t{0x0302});
  CHECK(d[0].name == "GA100");
  CHECK(d[0].numa_nodes == std::optional<NumaMask>(NumaMask{0, 1}));
  CHECK(d[1].pci_bus_id == "0000:31:00.0");  // a PCI device's bus id defaults to its id
  CHECK_FALSE(d[1].numa_nodes.has_value());
  CHECK_FALSE(d[1].vendor_id.has_value());
  CHECK(d[2].pci_bus_id.empty());
  CHECK_FALSE(d[2].numa_nodes.has_value());
  CHECK(d[3].type == IoDevice::Type::kOs);
  CHECK(d[3].numa_nodes == std::optional<NumaMask>(NumaMask{1}));

  for (int indent : {-1, 2}) {
    const std::string text = TopologyToJsonString(*t, indent);
    auto again = TopologyFromJson(text);
    INFO(text);
    REQUIRE(again.ok());
    CHECK(*again == *t);
    CHECK(TopologyToJsonString(*again, indent) == text);
  }
  const nlohmann::json doc = TopologyToJson(*t);
  CHECK(doc["devices"][0]["vendor"] == "10de");
  CHECK(doc["devices"][0]["numa_nodes"] == nlohmann::json::array({0, 1}));
  CHECK(doc["devices"][1]["numa_nodes"].is_null());
  CHECK_FALSE(doc["devices"][1].contains("vendor"));
}

TEST_CASE("topology JSON devices: absent when the machine has none", "[json][devices]") {
  auto t = TopologyFromJson(WithDevices("[]"));
  REQUIRE(t.ok());
  CHECK(t->devices().empty());
  CHECK_FALSE(TopologyToJson(*t).contains("devices"));
}

TEST_CASE("topology JSON devices: bad entries name the path or the device",
          "[json][devices][errors]") {
  auto c = GENERATE(table<std::string, std::string>({
      {R"({"id":"x"})", "/devices: expected an array, got"},
      {R"([7])", "/devices/0: expected an object"},
      {R"([{"type":"pci","id":"0000:17:00.0","kind":"gpu","colour":"red"}])",
       "/devices/0/colour: unknown key"},
      {R"([{"id":"0000:17:00.0","kind":"gpu"}])", "/devices/0/type: missing"},
      {R"([{"type":"usb","id":"a","kind":"gpu"}])", "/devices/0/type: expected \"pci\" or \"os\""},
      {R"([{"type":"pci","id":17,"kind":"gpu"}])", "/devices/0/id: expected a string"},
      {R"([{"type":"os","id":"a","kind":"fpga"}])", "/devices/0/kind: unknown device kind \"fpga\""},
      {R"([{"type":"os","id":"a","kind":"gpu","vendor":"10de0"}])",
       "/devices/0/vendor: expected four hex digits"},
      {R"([{"type":"os","id":"a","kind":"gpu","class":"03g2"}])",
       "/devices/0/class: expected four hex digits"},
      {R"([{"type":"os","id":"a","kind":"gpu","numa_nodes":[64]}])", "/devices/0/numa_nodes/0"},
      {R"([{"type":"os","id":"a","kind":"gpu","numa_nodes":"0"}])",
       "/devices/0/numa_nodes: expected an array"},
      {R"([{"type":"os","id":"a","kind":"gpu","numa_nodes":[]}])",
       "device \"a\": an empty NUMA node set"},
      {R"([{"type":"os","id":"a","kind":"gpu","numa_nodes":[2]}])",
       "device \"a\": NUMA nodes 2 are not all nodes of the machine (0,1)"},
      {R"([{"type":"pci","id":"eth0","kind":"network"}])",
       "device \"eth0\": a PCI device's id is its bus id"},
      {R"([{"type":"pci","id":"0000:17:00.0","kind":"gpu","pci_bus_id":"0000:17:00.1"}])",
       "pci_bus_id \"0000:17:00.1\" differs"},
      {R"([{"type":"os","id":"eth0","kind":"network","pci_bus_id":"17:00.0"}])",
       "pci_bus_id \"17:00.0\" is not of the form"},
      {R"([{"type":"os","id":"","kind":"network"}])", "a device has an empty id"},
      {R"([{"type":"os","id":"eth0","kind":"network"},{"type":"os","id":"eth0","kind":"dma"}])",
       "device \"eth0\": listed twice"},
  }));
  const std::string& devices = std::get<0>(c);
  CAPTURE(devices);
  auto t = TopologyFromJson(WithDevices(devices));
  REQUIRE_FALSE(t.ok());
  CHECK(t.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(t.status().message()), Catch::Contains(std::get<1>(c)));
}

TEST_CASE("topology JSON devices: PCI bus ids and kinds", "[devices]") {
  for (const char* ok : {"0000:00:1f.2", "10000:e1:00.7", "ffffffff:ff:1f.0"}) {
    CAPTURE(ok);
    CHECK(IsPciBusId(ok));
  }
  for (const char* bad : {"", "000:00:1f.2", "0000:00:20.0", "0000:00:1f.8", "0000:00:1F.2",
                          "0000:0:1f.2", "0000:00:1f.2 ", "123456789:00:00.0", "0000-00:1f.2"}) {
    CAPTURE(bad);
    CHECK_FALSE(IsPciBusId(bad));
  }
  CHECK(PciClassKind(0x0302) == IoDeviceKind::kGpu);
  CHECK(PciClassKind(0x0200) == IoDeviceKind::kNetwork);
  CHECK(PciClassKind(0x0207) == IoDeviceKind::kOpenFabrics);
  CHECK(PciClassKind(0x0c06) == IoDeviceKind::kOpenFabrics);
  CHECK(PciClassKind(0x0108) == IoDeviceKind::kStorage);
  CHECK(PciClassKind(0x1200) == IoDeviceKind::kCoprocessor);
  CHECK(PciClassKind(0x0c03) == IoDeviceKind::kOther);
  CHECK(IsImportantPciClass(0x0302));
  CHECK_FALSE(IsImportantPciClass(0x0604));  // bridges are topology, not devices
  CHECK_FALSE(IsImportantPciClass(0x0c03));  // USB controllers
  for (IoDeviceKind k : {IoDeviceKind::kOther, IoDeviceKind::kGpu, IoDeviceKind::kNetwork,
                         IoDeviceKind::kOpenFabrics, IoDeviceKind::kStorage, IoDeviceKind::kBlock,
                         IoDeviceKind::kCoprocessor, IoDeviceKind::kDma}) {
    CHECK(ParseIoDeviceKind(IoDeviceKindName(k)) == k);
  }
  CHECK_FALSE(ParseIoDeviceKind("GPU").has_value());
}

}  // namespace
}  // namespace podalloc
