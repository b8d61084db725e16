// PCI functions and their OS devices from sysfs (lib/discovery/sysfs_pci.cc): the derived tree
// tests/data/derived/sysfs-pci-4cpu-2n, and bad numa_node, class and id files.
#include <catch2/catch.hpp>
#include <string>

#include "capture_root.h"
#include "fake_sysfs.h"
#include "podalloc/discovery.h"
#include "podalloc/topology_json.h"
#include "support/vectors.h"

namespace podalloc {
namespace {

TEST_CASE("sysfs devices: the derived PCI tree", "[sysfs][devices]") {
  auto t = FromSysfs(testing::TestDataDir() / "derived" / "sysfs-pci-4cpu-2n");
  INFO(t.status().ToString());
  REQUIRE(t.ok());
  CHECK(t->NumaIds() == std::vector<int>{0, 1});
  struct Want {
    IoDevice::Type type;
    const char* id;
    IoDeviceKind kind;
    const char* bus;
    uint16_t vendor, device, class_id;
    std::optional<NumaMask> numa;
  };
  const IoDevice::Type pci = IoDevice::Type::kPci, os = IoDevice::Type::kOs;
  const std::vector<Want> want = {
      {pci, "0000:00:17.0", IoDeviceKind::kStorage, "0000:00:17.0", 0x8086, 0xa182, 0x0106,
       std::nullopt},
      {pci, "0000:17:00.0", IoDeviceKind::kGpu, "0000:17:00.0", 0x10de, 0x20b0, 0x0302,
       NumaMask{0}},
      {pci, "0000:31:00.0", IoDeviceKind::kNetwork, "0000:31:00.0", 0x15b3, 0x101b, 0x0200,
       NumaMask{1}},
      {pci, "0000:b1:00.0", IoDeviceKind::kNetwork, "0000:b1:00.0", 0x1af4, 0x1041, 0x0200,
       NumaMask{1}},
      {os, "ens1f0np0", IoDeviceKind::kNetwork, "0000:31:00.0", 0x15b3, 0x101b, 0x0200,
       NumaMask{1}},
      {os, "eth1", IoDeviceKind::kNetwork, "0000:b1:00.0", 0x1af4, 0x1041, 0x0200, NumaMask{1}},
      {os, "mlx5_0", IoDeviceKind::kOpenFabrics, "0000:31:00.0", 0x15b3, 0x101b, 0x0200,
       NumaMask{1}},
  };
  // The host bridge (0x0600) and the USB controller (0x0c03) are not devices worth listing.
  REQUIRE(t->devices().size() == want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    const Want& w = want[i];
    const IoDevice& d = t->devices()[i];
    CAPTURE(w.id);
    CHECK(d.type == w.type);
    CHECK(d.id == w.id);
    CHECK(d.kind == w.kind);
    CHECK(d.pci_bus_id == w.bus);
    CHECK(d.vendor_id == w.vendor);
    CHECK(d.device_id == w.device);
    CHECK(d.class_id == w.class_id);
    CHECK(d.numa_nodes == w.numa);
    CHECK(d.name.empty());
  }
  auto again = TopologyFromJson(TopologyToJsonString(*t));
  REQUIRE(again.ok());
  CHECK(*again == *t);
}

TEST_CASE("sysfs devices: captures without /sys/bus/pci have none", "[sysfs][devices]") {
  auto t = FromSysfs(testing::CaptureRoot("sysfs-64amd64-4s2n4ca2co"));
  INFO(t.status().ToString());
  REQUIRE(t.ok());
  CHECK(t->devices().empty());
}

TEST_CASE("sysfs devices: numa_node as the kernel means it", "[sysfs][devices]") {
  testing::FakeSysfs fs;
  fs.SmallMachine();
  const std::string dir = "sys/bus/pci/devices/0000:17:00.0/";
  fs.Write(dir + "class", "0x030200");
  fs.Write(dir + "vendor", "0x10de");
  fs.Write(dir + "device", "0x20b0");

  SECTION("-1 is unknown locality") {
    fs.Write(dir + "numa_node", "-1");
    auto t = FromSysfs(fs.root());
    REQUIRE(t.ok());
    REQUIRE(t->devices().size() == 1);
    CHECK_FALSE(t->devices()[0].numa_nodes.has_value());
  }
  SECTION("a kernel without NUMA has no numa_node: unknown locality") {
    auto t = FromSysfs(fs.root());
    REQUIRE(t.ok());
    REQUIRE(t->devices().size() == 1);
    CHECK_FALSE(t->devices()[0].numa_nodes.has_value());
  }
  SECTION("a node id is that node") {
    fs.Write(dir + "numa_node", "1");
    auto t = FromSysfs(fs.root());
    REQUIRE(t.ok());
    CHECK(t->devices()[0].numa_nodes == std::optional<NumaMask>(NumaMask{1}));
  }
  SECTION("values the kernel never shows are errors naming the file and the value") {
    auto c = GENERATE(table<std::string, std::string, std::string>({
        {"numa_node", "abc", "expected an integer, got \"abc\""},
        {"numa_node", "-2", "NUMA node -2 is out of range (-1 for unknown, else 0..63)"},
        {"numa_node", "64", "NUMA node 64 is out of range"},
        {"numa_node", "5", "NUMA node 5 is not an online node of the machine (0,1)"},
        {"class", "0x0302000", "expected \"0x\" and at most 6 hex digits, got \"0x0302000\""},
        {"class", "gpu", "got \"gpu\""},
        {"vendor", "0x10dex", "expected \"0x\" and at most 4 hex digits"},
    }));
    const std::string& file = std::get<0>(c);
    CAPTURE(file, std::get<1>(c));
    fs.Write(dir + "numa_node", "0");
    fs.Write(dir + file, std::get<1>(c));
    auto t = FromSysfs(fs.root());
    REQUIRE_FALSE(t.ok());
    CHECK(t.status().code() == absl::StatusCode::kInvalidArgument);
    const std::string message(t.status().message());
    CHECK_THAT(message, Catch::Contains((fs.root() / dir / file).string()) &&
                            Catch::Contains(std::get<2>(c)));
  }
  SECTION("a missing id file is an error naming it") {
    fs.Remove(dir + "vendor");
    auto t = FromSysfs(fs.root());
    REQUIRE_FALSE(t.ok());
    CHECK_THAT(std::string(t.status().message()), Catch::Contains(dir + "vendor"));
  }
}

}  // namespace
}  // namespace podalloc
