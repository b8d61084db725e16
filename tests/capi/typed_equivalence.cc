// File: tests/capi/typed_equivalence.cc
// The typed pod path of the C ABI against the JSON one: every pod found in the test data
// (any JSON object with spec.containers in tests/data and tools/podalloc/testdata, YAML pod
// streams included) is given to two identical nodes, once as JSON (podalloc_node_admit) and
// once as a podalloc_pod built from the same pod as written (the typed path does the API
// server's defaulting itself), and the two decisions must be byte-identical JSON, or the two
// calls must fail with the same code. Each pod runs on fresh nodes under two configurations
// (container scope with the static CPU and memory managers; pod scope with pod-level resource
// managers), then all pods are admitted and committed one after the other on one pair of
// nodes whose states must stay identical. The pod's status is left out of both: the typed
// form describes a pod to admit, which has none.
//
// Pods in the conformance vectors' compact form are read as the v1 Pods they describe.
//
// Usage: capi_typed_equivalence <dir> ... (folders searched for *.json, *.yaml).

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "podalloc/pod.h"
#include "podalloc/pod_json.h"
#include "podalloc/podalloc.h"
#include "podalloc/yaml_json.h"

namespace {

using nlohmann::json;

int failures = 0;

#define EXPECT(cond, what)                                               \
  do {                                                                   \
    if (!(cond)) {                                                       \
      ++failures;                                                        \
      std::fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #cond, \
                   std::string(what).c_str());                           \
    }                                                                    \
  } while (0)

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The conformance vectors write pods in a compact snake_case form (containers with
// requests/limits at the top or under resources, cpu_request/cpu_limit, init_containers,
// overhead, pod-level resources, priority, static); this gives the v1 Pod JSON they stand for.
// The vectors often leave names out or repeat them (their subject is not names); each
// container gets a name of its own so the pod stays a valid one.
json ContainerJson(const json& c, const std::string& fallback_name, std::set<std::string>* seen) {
  std::string name =
      c.contains("name") && c["name"].is_string() ? c["name"].get<std::string>() : "";
  if (name.empty() || !seen->insert(name).second) name = fallback_name;
  json out = {{"name", name}};
  json resources =
      c.contains("resources") && c["resources"].is_object() ? c["resources"] : json::object();
  for (const char* list : {"requests", "limits"}) {
    if (c.contains(list)) resources[list] = c[list];
  }
  if (c.contains("cpu_request")) resources["requests"]["cpu"] = c["cpu_request"];
  if (c.contains("cpu_limit")) resources["limits"]["cpu"] = c["cpu_limit"];
  if (!resources.empty()) out["resources"] = resources;
  if (c.contains("restart_policy")) out["restartPolicy"] = c["restart_policy"];
  return out;
}

json VectorPodJson(const json& v, size_t n) {
  const std::string uid = v.contains("uid") && v["uid"].is_string() ? v["uid"].get<std::string>()
                                                                    : "pod-" + std::to_string(n);
  json pod = {{"metadata", {{"name", uid}, {"namespace", "default"}, {"uid", uid}}},
              {"spec", json::object()}};
  if (v.value("static", false))
    pod["metadata"]["annotations"]["kubernetes.io/config.source"] = "file";
  json& spec = pod["spec"];
  const struct {
    const char* from;
    const char* to;
    const char* prefix;
  } groups[] = {{"init_containers", "initContainers", "init-"},
                {"containers", "containers", "app-"}};
  std::set<std::string> seen;
  for (const auto& g : groups) {
    if (!v.contains(g.from) || !v[g.from].is_array()) continue;
    spec[g.to] = json::array();
    for (size_t i = 0; i < v[g.from].size(); ++i) {
      spec[g.to].push_back(ContainerJson(v[g.from][i], g.prefix + std::to_string(i), &seen));
    }
  }
  if (v.contains("overhead")) spec["overhead"] = v["overhead"];
  if (v.contains("resources")) spec["resources"] = v["resources"];
  if (v.contains("priority")) spec["priority"] = v["priority"];
  return pod;
}

void CollectPods(const json& v, const std::string& where,
                 std::vector<std::pair<std::string, json>>* out) {
  if (v.is_object()) {
    auto spec = v.find("spec");
    if (spec != v.end() && spec->is_object() && spec->contains("containers")) {
      json pod = v;
      pod.erase("status");
      out->emplace_back(where, std::move(pod));
    } else if (v.contains("containers") && v["containers"].is_array()) {
      out->emplace_back(where, VectorPodJson(v, out->size()));
    }
    for (auto it = v.begin(); it != v.end(); ++it)
      CollectPods(it.value(), where + "." + it.key(), out);
  } else if (v.is_array()) {
    for (size_t i = 0; i < v.size(); ++i)
      CollectPods(v[i], where + "[" + std::to_string(i) + "]", out);
  }
}

// Owns everything a podalloc_pod points to.
struct TypedPod {
  podalloc_pod pod = PODALLOC_POD_INIT;
  std::vector<podalloc_container> containers;
  std::vector<std::vector<podalloc_named_quantity>> others;
  std::vector<std::vector<podalloc_resize_policy>> resize;

  static podalloc_text Text(const std::string& s) { return podalloc_text{s.data(), s.size()}; }

  // False when a quantity has no exact integer form (memory in fractions of a byte).
  bool Resources(const podalloc::ResourceList& list, podalloc_resources* out) {
    *out = podalloc_resources{};
    std::vector<podalloc_named_quantity>& other = others.emplace_back();
    for (const auto& [name, q] : list) {
      if (name == podalloc::kResourceCpu) {
        out->present |= PODALLOC_RESOURCE_CPU;
        out->cpu_milli = q.MilliValue();
        if (podalloc::Quantity::FromMilli(q.MilliValue()) != q) return false;
        continue;
      }
      if (podalloc::Quantity::FromValue(q.Value()) != q) return false;
      if (name == podalloc::kResourceMemory) {
        out->present |= PODALLOC_RESOURCE_MEMORY;
        out->memory_bytes = q.Value();
      } else if (name == podalloc::kResourceEphemeralStorage) {
        out->present |= PODALLOC_RESOURCE_EPHEMERAL_STORAGE;
        out->ephemeral_storage_bytes = q.Value();
      } else {
        other.push_back(podalloc_named_quantity{Text(name), q.Value()});
      }
    }
    out->other = other.data();
    out->other_count = other.size();
    return true;
  }

  bool Container(const podalloc::Container& c, int32_t kind) {
    podalloc_container t = PODALLOC_CONTAINER_INIT;
    t.kind = kind;
    t.name = Text(c.name);
    if (c.restart_policy == "Always") t.restart_policy = PODALLOC_RESTART_ALWAYS;
    if (c.restart_policy == "OnFailure") t.restart_policy = PODALLOC_RESTART_ON_FAILURE;
    if (c.restart_policy == "Never") t.restart_policy = PODALLOC_RESTART_NEVER;
    if (kind == PODALLOC_CONTAINER_KIND_INIT && podalloc::IsSidecar(c)) {
      t.kind = PODALLOC_CONTAINER_KIND_SIDECAR;
      t.restart_policy = PODALLOC_RESTART_UNSET;  // the kind says Always
    }
    if (!Resources(c.resources.requests, &t.requests) ||
        !Resources(c.resources.limits, &t.limits)) {
      return false;
    }
    std::vector<podalloc_resize_policy>& r = resize.emplace_back();
    for (const auto& p : c.resize_policy) {
      r.push_back(
          podalloc_resize_policy{Text(p.resource_name), p.restart_policy == "RestartContainer"
                                                            ? PODALLOC_RESIZE_RESTART_CONTAINER
                                                            : PODALLOC_RESIZE_NOT_REQUIRED});
    }
    t.resize_policy = r.data();
    t.resize_policy_count = r.size();
    containers.push_back(t);
    return true;
  }

  // Builds the typed form of `p`, which must outlive it. False when it has none. (Moving
  // the inner vectors as the outer ones grow keeps their buffers, so pointers stay valid.)
  bool Build(const podalloc::Pod& p) {
    for (const auto& c : p.init_containers)
      if (!Container(c, PODALLOC_CONTAINER_KIND_INIT)) return false;
    for (const auto& c : p.containers)
      if (!Container(c, PODALLOC_CONTAINER_KIND_APP)) return false;
    for (const auto& c : p.ephemeral_containers) {
      if (!Container(c, PODALLOC_CONTAINER_KIND_EPHEMERAL)) return false;
    }
    pod.name = Text(p.name);
    pod.namespace_name = Text(p.namespace_name);
    pod.uid = Text(p.uid);
    pod.containers = containers.data();
    pod.container_count = containers.size();
    if (!Resources(p.overhead, &pod.overhead)) return false;
    if (p.resources) {
      pod.flags |= PODALLOC_POD_RESOURCES;
      if (!Resources(p.resources->requests, &pod.requests) ||
          !Resources(p.resources->limits, &pod.limits)) {
        return false;
      }
    }
    if (p.priority) {
      pod.flags |= PODALLOC_POD_PRIORITY;
      pod.priority = *p.priority;
    }
    if (!p.config_source.empty()) {
      pod.flags |= PODALLOC_POD_CONFIG_SOURCE;
      pod.config_source = Text(p.config_source);
    }
    if (p.mirror) pod.flags |= PODALLOC_POD_MIRROR;
    return true;
  }
};

std::string TakeBuffer(podalloc_buffer* b) {
  std::string s = b->data == nullptr ? "" : std::string(b->data, b->size);
  podalloc_buffer_free(b);
  return s;
}

std::string NodeState(const podalloc_node* node) {
  podalloc_buffer b = PODALLOC_BUFFER_INIT;
  if (podalloc_node_state(&b, node, nullptr) != PODALLOC_OK) return "state failed";
  return TakeBuffer(&b);
}

struct Pair {
  podalloc_node* json_node = nullptr;
  podalloc_node* typed_node = nullptr;
  Pair(const podalloc_topology* topology, const std::string& config) {
    if (podalloc_node_create(&json_node, topology, config.data(), config.size(), nullptr) != 0 ||
        podalloc_node_create(&typed_node, topology, config.data(), config.size(), nullptr) != 0) {
      std::fprintf(stderr, "node: %s\n", podalloc_last_error_message());
      std::exit(1);
    }
  }
  ~Pair() {
    podalloc_node_destroy(json_node);
    podalloc_node_destroy(typed_node);
  }
};

// Admits (and with `commit` commits) the pod both ways; true when the outcomes match.
void Compare(Pair& nodes, const std::string& pod_json, const podalloc_pod* typed, bool commit,
             const std::string& where) {
  podalloc_decision* by_json = nullptr;
  podalloc_decision* by_typed = nullptr;
  podalloc_error* json_err = nullptr;
  podalloc_error* typed_err = nullptr;
  const podalloc_status sj =
      podalloc_node_admit(&by_json, nodes.json_node, pod_json.data(), pod_json.size(), &json_err);
  const podalloc_status st =
      podalloc_node_admit_typed(&by_typed, nodes.typed_node, typed, &typed_err);
  EXPECT(sj == st, where + ": JSON " + podalloc_error_message(json_err) + " / typed " +
                       podalloc_error_message(typed_err));
  if (sj == PODALLOC_OK && st == PODALLOC_OK) {
    podalloc_buffer a = PODALLOC_BUFFER_INIT, b = PODALLOC_BUFFER_INIT;
    podalloc_decision_to_json(&a, by_json, nullptr);
    podalloc_decision_to_json(&b, by_typed, nullptr);
    const std::string ja = TakeBuffer(&a), jb = TakeBuffer(&b);
    EXPECT(ja == jb, where + ":\n  JSON  " + ja + "\n  typed " + jb);
    if (commit) {
      EXPECT(podalloc_node_commit(nodes.json_node, by_json, nullptr) == PODALLOC_OK, where);
      EXPECT(podalloc_node_commit(nodes.typed_node, by_typed, nullptr) == PODALLOC_OK, where);
    }
  }
  podalloc_decision_destroy(by_json);
  podalloc_decision_destroy(by_typed);
  podalloc_error_free(json_err);
  podalloc_error_free(typed_err);
}

std::string ReservedMemory() {
  std::string r = "[";
  for (int n = 0; n < 8; ++n) {
    r += std::string(n ? "," : "") + R"({"numaNode": )" + std::to_string(n) +
         R"(, "limits": {"memory": "256Mi"}})";
  }
  return r + "]";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::pair<std::string, json>> pods;
  for (int i = 1; i < argc; ++i) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(argv[i])) {
      const auto ext = entry.path().extension();
      if (!entry.is_regular_file() || (ext != ".json" && ext != ".yaml")) continue;
      auto docs = podalloc::YamlDocumentsToJson(ReadFile(entry.path()));
      if (!docs.ok()) continue;  // test data that is broken on purpose
      for (size_t d = 0; d < docs->size(); ++d) {
        CollectPods((*docs)[d].value, entry.path().string() + "#" + std::to_string(d), &pods);
      }
    }
  }
  podalloc_topology* topology = nullptr;
  const std::string machine = "pack:2 numa:4 core:4 pu:2";
  if (podalloc_topology_from_synthetic(&topology, machine.data(), machine.size(), nullptr) != 0) {
    std::fprintf(stderr, "topology: %s\n", podalloc_last_error_message());
    return 1;
  }
  const std::string container_scope =
      R"({"cpuManagerPolicy": "static", "reservedSystemCPUs": "0-1",
          "topologyManagerPolicy": "best-effort", "memoryManagerPolicy": "Static",
          "reservedMemory": )" +
      ReservedMemory() + "}";
  const std::string pod_scope =
      R"({"cpuManagerPolicy": "static", "reservedSystemCPUs": "0-1",
          "topologyManagerPolicy": "restricted", "topologyManagerScope": "pod",
          "memoryManagerPolicy": "Static", "reservedMemory": )" +
      ReservedMemory() + R"(, "featureGates": {"PodLevelResourceManagers": true}})";

  Pair accumulating(topology, container_scope);
  size_t compared = 0, invalid = 0, inexact = 0;
  for (const auto& [where, doc] : pods) {
    const std::string text = doc.dump();
    // The typed form is built from the pod as written, so the typed path's defaulting is
    // tested too; a pod valid only once defaulted is built from its defaulted form.
    podalloc::PodParseOptions as_written;
    as_written.apply_api_server_defaults = false;
    absl::StatusOr<podalloc::Pod> pod = podalloc::ParsePod(text, as_written);
    if (!pod.ok()) pod = podalloc::ParsePod(text);
    TypedPod typed;
    if (!pod.ok()) {
      // Invalid as JSON: the JSON path must say so; there is no typed form to compare.
      podalloc_decision* d = nullptr;
      EXPECT(podalloc_node_admit(&d, accumulating.json_node, text.data(), text.size(), nullptr) ==
                 PODALLOC_INVALID_ARGUMENT,
             where);
      podalloc_decision_destroy(d);
      if (std::getenv("TYPED_EQUIVALENCE_VERBOSE") != nullptr) {
        std::fprintf(stderr, "%s: %s\n", where.c_str(),
                     std::string(pod.status().message()).c_str());
      }
      ++invalid;
      continue;
    }
    if (!typed.Build(*pod)) {
      ++inexact;
      continue;
    }
    for (const std::string* config : {&container_scope, &pod_scope}) {
      Pair fresh(topology, *config);
      Compare(fresh, text, &typed.pod, false, where);
    }
    Compare(accumulating, text, &typed.pod, true, where + " (accumulating)");
    ++compared;
  }
  const std::string a = NodeState(accumulating.json_node), b = NodeState(accumulating.typed_node);
  EXPECT(a == b, "node states differ:\n  JSON  " + a + "\n  typed " + b);
  podalloc_topology_destroy(topology);
  std::printf(
      "%zu pods found: %zu compared, %zu invalid as JSON, %zu without an integer form; "
      "%d failures\n",
      pods.size(), compared, invalid, inexact, failures);
  if (compared < 50) {
    std::fprintf(stderr, "too few pods compared (%zu): the test data was not found\n", compared);
    return 1;
  }
  return failures == 0 ? 0 : 1;
}
