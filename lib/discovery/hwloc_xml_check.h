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
// I/O objects, Misc objects, user data, support flags and memory attributes are checked and
// then left out of the rewrite: hwloc ignores the first two by default and the model uses
// none of them. The rewrite is what hwloc's minimal reader parses correctly (hwloc_xml_writer.h).
#pragma once

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"

namespace podalloc::internal {

// The text to hand hwloc_topology_set_xmlbuffer, or InvalidArgument "<what>: line N: ..."
// saying what is wrong and where.
absl::StatusOr<std::string> CheckHwlocXml(absl::string_view xml, const std::string& what);

}  // namespace podalloc::internal
