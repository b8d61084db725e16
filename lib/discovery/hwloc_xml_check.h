// File: lib/discovery/hwloc_xml_check.h
// The gate between an hwloc XML export and hwloc. hwloc 2.9's XML import trusts what it reads:
// a malformed file dereferences NULL strings and bitmaps, trips assertions or leaks inside
// hwloc_topology_load, in any program that loads it. So podalloc parses the file with libxml2,
// checks it against hwloc's v2 format (docs/discovery.md) and hands hwloc a canonical rewrite
// instead of the original bytes:
//  - elements and attributes: only those of hwloc2.dtd, where hwloc reads them;
//  - values: the exact syntax hwloc writes (bitmaps "0x...,0x...", decimal integers in the
//    range of the field hwloc stores them in, known object types, PCI formats);
//  - structure: one root Machine object; normal objects under normal objects, NUMA nodes and
//    memory-side caches as memory children, I/O and Misc objects only where hwloc puts them;
//    every normal and memory object with its four sets, each set within its parent's, sibling
//    sets disjoint, a PU's and a NUMA node's set naming exactly its own index; distance matrices
//    whose indexes name existing objects and whose sizes add up.
// I/O objects (Bridge, PCIDev, OSDev) are kept for the device list, with a PCIDev's bus id in
// the form hwloc 2 stores (16-bit domain) and unique, an OSDev's name present and unique and
// its osdev_type one of hwloc 2's six; a version="3.0" file's I/O objects are left out (hwloc
// 3 numbers OS-device types as flags). Misc objects, user data, support flags and memory
// attributes are checked and then left out of the rewrite: the model uses none of them. The
// rewrite is what hwloc's minimal reader parses correctly (hwloc_xml_writer.h).
#pragma once

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"

namespace podalloc::internal {

// The text to hand hwloc_topology_set_xmlbuffer, or InvalidArgument "<what>: line N: ..."
// saying what is wrong and where.
absl::StatusOr<std::string> CheckHwlocXml(absl::string_view xml, const std::string& what);

}  // namespace podalloc::internal
