// Small builders for the pods the cgroup_values tests feed the public API.
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

#include "podalloc/cgroup_values.h"
#include "podalloc/pod.h"
#include "podalloc/quantity.h"

namespace podalloc::testing {

inline constexpr int64_t kMi = int64_t{1} << 20;
inline constexpr int64_t kGi = int64_t{1} << 30;

using Entries = std::initializer_list<std::pair<const char*, const char*>>;

inline ResourceList Resources(Entries entries) {
  ResourceList list;
  for (const auto& [name, text] : entries) {
    auto q = Quantity::Parse(text);
    REQUIRE(q.ok());
    list.emplace(name, *q);
  }
  return list;
}

inline Container MakeContainer(std::string name, Entries requests, Entries limits,
                               std::string restart_policy = "") {
  Container c;
  c.name = std::move(name);
  c.resources.requests = Resources(requests);
  c.resources.limits = Resources(limits);
  c.restart_policy = std::move(restart_policy);
  return c;
}

// Default kubelet settings on a 64Gi node (cgroup v2, CFS quota on, Memory QoS off).
inline NodeCgroupSettings DefaultNode() {
  NodeCgroupSettings s;
  s.node_memory_capacity = 64 * kGi;
  return s;
}

inline Pod MakePod(std::initializer_list<Container> containers) {
  Pod pod;
  pod.name = "pod";
  pod.namespace_name = "default";
  pod.uid = "uid-1";
  pod.containers = containers;
  return pod;
}

}  // namespace podalloc::testing

namespace Catch {
template <>
struct StringMaker<podalloc::CgroupFile> {
  static std::string convert(const podalloc::CgroupFile& f) { return f.name + "=" + f.value; }
};
}  // namespace Catch
