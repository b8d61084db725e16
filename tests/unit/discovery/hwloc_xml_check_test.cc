// The gate in front of hwloc's XML import (lib/discovery/hwloc_xml_check.h): the reproducers
// that crashed or leaked inside hwloc 2.9 are refused cleanly, real exports load exactly as
// before, and each structural rule refuses the input that breaks it, naming file and line.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "hwloc_xml_check.h"
#include "small_machine_xml.h"
#include "podalloc/discovery.h"
#include "podalloc/topology_json.h"
#include "support/vectors.h"

namespace podalloc {
namespace {

using testing::kMachine;

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Replaced(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  return text;
}

TEST_CASE("hwloc xml check: the reproducers that crashed or leaked in hwloc are refused",
          "[hwloc][xml][xml_check]") {
  const std::string file = GENERATE(
      as<std::string>{}, "topology_xml-hwloc-segv-strspn-21B.xml",
      "topology_xml-hwloc-segv-bitmap_set.xml", "topology_xml-hwloc-segv-bitmap_or.xml",
      "topology_xml-hwloc-segv-bitmap_compare_first.xml", "topology_xml-hwloc-leak.xml");
  const std::filesystem::path path = testing::TestDataDir() / "repro" / file;
  CAPTURE(file);
  auto from_file = FromHwlocXml(path);
  REQUIRE_FALSE(from_file.ok());
  CHECK(from_file.status().code() == absl::StatusCode::kInvalidArgument);
  const std::string message(from_file.status().message());
  CAPTURE(message);
  CHECK_THAT(message, Catch::Contains(path.string()) && Catch::Contains(": line "));
  auto from_buffer = FromHwlocXmlBuffer(ReadFile(path));
  REQUIRE_FALSE(from_buffer.ok());
  CHECK(from_buffer.status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("hwloc xml check: real exports pass and their rewrite is a fixed point",
          "[hwloc][xml][xml_check]") {
  const std::string file =
      GENERATE(as<std::string>{}, "hwloc-16amd64-8n2c-cpusets.xml", "hwloc-192em64t-24n8c2t.xml",
               "hwloc-fakeheterodistances.xml", "hwloc-memorysidecaches.xml");
  CAPTURE(file);
  auto rewritten = internal::CheckHwlocXml(ReadFile(testing::TestDataDir() / "fixtures" / file), file);
  INFO(rewritten.status().ToString());
  REQUIRE(rewritten.ok());
  auto again = internal::CheckHwlocXml(*rewritten, file);
  REQUIRE(again.ok());
  CHECK(*again == *rewritten);
  // I/O objects are kept for the device list, every one of them.
  auto count = [](const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  };
  const std::string original = ReadFile(testing::TestDataDir() / "fixtures" / file);
  for (const char* type : {"type=\"PCIDev\"", "type=\"OSDev\"", "type=\"Bridge\""}) {
    CAPTURE(type);
    CHECK(count(*rewritten, type) == count(original, type));
  }
}

TEST_CASE("hwloc xml check: a small machine loads, escapes and comments included",
          "[hwloc][xml][xml_check]") {
  auto plain = FromHwlocXmlBuffer(kMachine);
  INFO(plain.status().ToString());
  REQUIRE(plain.ok());
  CHECK(plain->cpus() == CpuSet::Range(0, 3));
  CHECK(plain->NumaIds() == std::vector<int>{0, 1});
  CHECK(plain->Distance(0, 1) == 20);
  // What libxml2 reads but hwloc's own reader does not: single quotes, comments, a '>' and
  // character references in a value. The rewrite hands hwloc the same machine.
  std::string fancy = Replaced(kMachine, R"(<info name="Backend" value="Synthetic"/>)",
                               "<!-- exported by hand -->\n<info name='Backend' value='a > b &amp; "
                               "&#x41;&#10;c \"q\"'/>");
  auto loaded = FromHwlocXmlBuffer(fancy);
  INFO(loaded.status().ToString());
  REQUIRE(loaded.ok());
  CHECK(TopologyToJsonString(*loaded) == TopologyToJsonString(*plain));
  auto rewritten = internal::CheckHwlocXml(fancy, "fancy");
  REQUIRE(rewritten.ok());
  CHECK_THAT(*rewritten, Catch::Contains("value=\"a &gt; b &amp; A&#10;c &quot;q&quot;\""));
}

TEST_CASE("hwloc xml check: each broken rule is refused with file, line and reason",
          "[hwloc][xml][xml_check]") {
  const std::string pu0 =
      R"(<object type="PU" os_index="0" cpuset="0x00000001" complete_cpuset="0x00000001" nodeset="0x00000001" complete_nodeset="0x00000001" gp_index="6"/>)";
  const std::string pu1 =
      R"(<object type="PU" os_index="1" cpuset="0x00000002" complete_cpuset="0x00000002" nodeset="0x00000001" complete_nodeset="0x00000001" gp_index="7"/>)";
  const std::string numa1 =
      R"(<object type="NUMANode" os_index="1" cpuset="0x0000000c" complete_cpuset="0x0000000c" nodeset="0x00000002" complete_nodeset="0x00000002" gp_index="9" local_memory="1073741824"/>)";
  auto c = GENERATE_COPY(table<const char*, std::string, std::string, std::string>({
      {"missing complete_nodeset (NULL bitmap in hwloc)", R"( complete_nodeset="0x00000001" gp_index="6")",
       R"( gp_index="6")", "line 12: <object>: a PU needs complete_nodeset"},
      {"missing complete_cpuset", R"( complete_cpuset="0x00000003" nodeset="0x00000001" complete_nodeset="0x00000001" gp_index="5")",
       R"( nodeset="0x00000001" complete_nodeset="0x00000001" gp_index="5")", "needs complete_cpuset"},
      {"sets on a Misc object", pu0,
       pu0 + R"(<object type="Misc" cpuset="0x1"/>)", "a Misc has no cpuset"},
      {"bitmap word not hex", R"(cpuset="0x00000004")", R"(cpuset="0x0000zz04")",
       R"(attribute cpuset="0x0000zz04": word 1 is not "0x" and 1 to 8 hex digits)"},
      {"bitmap word too long", R"(cpuset="0x00000004")", R"(cpuset="0x000000004")", "word 1"},
      {"infinite bitmap", R"(cpuset="0x00000004")", R"(cpuset="0xf...f,0x4")", "infinite"},
      {"bitmap beyond 4096 bits", R"(cpuset="0x00000004")",
       R"(cpuset="0x1)" + std::string(128, ',') + R"(0x4")", "more than 128 words"},
      {"trailing comma", R"(cpuset="0x00000004")", R"(cpuset="0x4,")", "comma-separated words"},
      {"unknown attribute", R"(cache_size="8388608")", R"(ccche_size="8388608")",
       "ccche_size=\"8388608\": not an attribute of <object>"},
      {"attribute of another type", R"(gp_index="8">)", R"(gp_index="8" cache_size="1">)",
       "belongs to caches, not to Package"},
      {"unknown type", R"(type="Package" os_index="1")", R"(type="Socket" os_index="1")",
       "type=\"Socket\": not an object type"},
      {"root not a Machine", R"(<object type="Machine")", R"(<object type="Group")",
       "the root object must have type=\"Machine\""},
      {"second Machine", R"(type="Package" os_index="1")", R"(type="Machine" os_index="1")",
       "Machine is the root object only"},
      {"second root object", "</object>\n  <distances2",
       "</object>\n  <object type=\"Machine\"/>\n  <distances2", "a second root object"},
      {"NUMA node below a PU", pu0,
       R"(<object type="PU" os_index="0" cpuset="0x00000001" complete_cpuset="0x00000001" nodeset="0x00000001" complete_nodeset="0x00000001" gp_index="6">)" +
           numa1 + "</object>",
       "a PU holds no objects but Misc ones"},
      {"PU index does not match its set", R"(os_index="3" cpuset="0x00000008" complete_cpuset="0x00000008")",
       R"(os_index="5" cpuset="0x00000008" complete_cpuset="0x00000008")",
       "the complete_cpuset of PU P#5 must hold exactly CPU 5"},
      {"PU without os_index", R"(os_index="3" cpuset="0x00000008")", R"(cpuset="0x00000008")",
       "a PU needs its os_index"},
      {"child set outside the parent", R"(os_index="3" cpuset="0x00000008" complete_cpuset="0x00000008")",
       R"(os_index="4" cpuset="0x00000010" complete_cpuset="0x00000010")",
       "is not within its parent's cpuset"},
      {"overlapping siblings", R"(os_index="1" cpuset="0x00000002" complete_cpuset="0x00000002")",
       R"(os_index="0" cpuset="0x00000001" complete_cpuset="0x00000001")", "a second PU P#0"},
      {"overlapping sibling packages",
       R"(cpuset="0x0000000c" complete_cpuset="0x0000000c" nodeset="0x00000002" complete_nodeset="0x00000002" gp_index="8")",
       R"(cpuset="0x0000000e" complete_cpuset="0x0000000e" nodeset="0x00000002" complete_nodeset="0x00000002" gp_index="8")",
       "complete_cpuset 1-3 overlaps a sibling's"},
      {"siblings out of order", pu0 + "\n          " + pu1, pu1 + "\n          " + pu0,
       "listed in the order of their lowest CPU"},
      {"root without CPUs", R"(<object type="Machine" os_index="0" cpuset="0x0000000f")",
       R"(<object type="Machine" os_index="0" cpuset="0x0")", "a non-empty cpuset and nodeset"},
      {"cache depth does not match its type", R"(depth="3")", R"(depth="2")",
       "an L3Cache needs depth=\"3\""},
      {"os_index out of range", R"(type="Package" os_index="1")",
       R"(type="Package" os_index="4294967296")", "out of range (0..2147483647)"},
      {"signed integer", R"(cache_associativity="16")", R"(cache_associativity="+16")",
       "expected a decimal integer"},
      {"duplicate gp_index", R"(gp_index="12")", R"(gp_index="11")", "the same gp_index"},
      {"page types outside a NUMA node", R"(gp_index="8">)",
       R"(gp_index="8"><page_type size="4096" count="1"/>)", "only a NUMANode has page types"},
      {"info after the child objects", "</object>\n    </object>\n    <object type=\"Package\"",
       "</object>\n<info name=\"a\" value=\"b\"/>\n    </object>\n    <object type=\"Package\"",
       "<info> must come before the child objects"},
      {"text inside an object", R"(<info name="Backend" value="Synthetic"/>)", "stray text",
       "<object> holds text \"\\n    stray text"},
      {"unknown element", R"(<info name="Backend" value="Synthetic"/>)", "<infos/>",
       "not a child element of <object>"},
      {"XML version 1", R"(<topology version="2.0">)", R"(<topology version="1.0">)",
       "only hwloc's XML format 2"},
      {"no version", R"(<topology version="2.0">)", "<topology>", "version missing"},
      {"not well-formed", "</topology>", "</topologie>", "line 32: not well-formed XML: Opening and ending tag mismatch"},
      {"CDATA section", R"(<info name="Backend" value="Synthetic"/>)", "<![CDATA[x]]>",
       "a CDATA section in <object> is not accepted"},
      {"entity declaration", R"(<!DOCTYPE topology SYSTEM "hwloc2.dtd">)",
       R"(<!DOCTYPE topology [<!ENTITY a "b">]>)", "line 2: entity declarations are not accepted"},
      {"namespace", R"(<topology version="2.0">)", R"(<topology xmlns="urn:x" version="2.0">)",
       "namespaces are not accepted"},
      {"distance index of no object", R"(<indexes length="4">0 1 </indexes>)",
       R"(<indexes length="4">0 7 </indexes>)", "index \"7\" names no NUMANode object"},
      {"distance octal index", R"(<indexes length="4">0 1 </indexes>)",
       R"(<indexes length="5">0 01 </indexes>)", "no leading zeros"},
      {"distance length mismatch", R"(<indexes length="4">0 1 </indexes>)",
       R"(<indexes length="9">0 1 </indexes>)", "length=\"9\" but the text has 4 bytes"},
      {"distance values missing", R"(<u64values length="12">10 20 20 10 </u64values>)",
       R"(<u64values length="9">10 20 20 </u64values>)", "needs 2 indexes and 4 values"},
      {"distance indexing", R"(indexing="os")", R"(indexing="gp")", "has indexing=\"os\""},
      {"cpukind outside the machine", R"(<cpukind cpuset="0x0000000f")",
       R"(<cpukind cpuset="0x0000001f")", "within the machine's CPUs"},
      {"memory attribute flags", "</cpukind>",
       "</cpukind>\n<memattr name=\"Capacity\" flags=\"3\"/>",
       "not a valid combination of hwloc's memory attribute flags"},
      {"memory attribute target", "</cpukind>",
       "</cpukind>\n<memattr name=\"Bandwidth\" flags=\"5\"><memattr_value "
       "target_obj_gp_index=\"77\" target_obj_type=\"NUMANode\" value=\"1\"/></memattr>",
       "no NUMANode object has gp_index 77"},
      {"element after the root object", "</cpukind>", "</cpukind>\n<distances/>",
       "not an element of hwloc's format after the root object"},
  }));
  const std::string& name = std::get<0>(c);
  CAPTURE(name);
  const std::string xml = Replaced(kMachine, std::get<1>(c), std::get<2>(c));
  auto loaded = FromHwlocXmlBuffer(xml);
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.status().code() == absl::StatusCode::kInvalidArgument);
  const std::string message(loaded.status().message());
  CAPTURE(message);
  CHECK_THAT(message, Catch::StartsWith("XML topology: line ") && Catch::Contains(std::get<3>(c)));
}

}  // namespace
}  // namespace podalloc
