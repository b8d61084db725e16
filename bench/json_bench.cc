// The bounded JSON edge (podalloc/internal/json_input.h) against nlohmann's own parse on the
// same pod document, in one run: ParseJson drives nlohmann's DOM builder through a SAX handler
// that counts depth, so a document within the limits must cost what json::parse costs.
#include <string>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include "podalloc/internal/json_input.h"

namespace podalloc {
namespace {

// A pod as the API server returns it (about 1.6 KB), fields allocation never reads included.
const std::string& PodText() {
  static const std::string* text = new std::string(R"({
  "apiVersion": "v1", "kind": "Pod",
  "metadata": {"name": "web-0", "namespace": "shop", "uid": "8f2c1a4e-11d2-4c1b-9a57-3b2f1c0d9e8a",
    "labels": {"app": "web", "tier": "frontend"}, "annotations": {"a": "b"},
    "ownerReferences": [{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web",
      "uid": "0c7e5d1b-2f3a-4b6c-8d9e-1a2b3c4d5e6f", "controller": true}],
    "creationTimestamp": "2026-01-01T00:00:00Z"},
  "spec": {"nodeName": "node-1", "priority": 0, "restartPolicy": "Always",
    "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists",
      "effect": "NoExecute", "tolerationSeconds": 300}],
    "volumes": [{"name": "data", "emptyDir": {}}, {"name": "kube-api-access", "projected":
      {"sources": [{"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}}]}}],
    "initContainers": [{"name": "setup", "image": "busybox", "command": ["sh", "-c", "true"],
      "resources": {"requests": {"cpu": "500m", "memory": "64Mi"}}},
      {"name": "proxy", "image": "envoy", "restartPolicy": "Always",
       "resources": {"requests": {"cpu": "1", "memory": "128Mi"},
                     "limits": {"cpu": "1", "memory": "128Mi"}}}],
    "containers": [{"name": "app", "image": "nginx:1.27", "ports": [{"containerPort": 80}],
      "env": [{"name": "MODE", "value": "production"}],
      "resources": {"requests": {"cpu": "2", "memory": "1Gi"},
                    "limits": {"cpu": "2", "memory": "1Gi"}},
      "resizePolicy": [{"resourceName": "cpu", "restartPolicy": "NotRequired"}],
      "volumeMounts": [{"name": "data", "mountPath": "/data"}]}]},
  "status": {"phase": "Running", "qosClass": "Burstable",
    "conditions": [{"type": "Ready", "status": "True"}]}})");
  return *text;
}

void BM_JsonParseNlohmann(benchmark::State& state) {
  for (auto _ : state) {
    nlohmann::json doc = nlohmann::json::parse(PodText());
    benchmark::DoNotOptimize(doc);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(PodText().size()));
}
BENCHMARK(BM_JsonParseNlohmann);

void BM_JsonParseBounded(benchmark::State& state) {
  for (auto _ : state) {
    absl::StatusOr<nlohmann::json> doc = internal::ParseJson(PodText());
    benchmark::DoNotOptimize(doc);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(PodText().size()));
}
BENCHMARK(BM_JsonParseBounded);

}  // namespace
}  // namespace podalloc
