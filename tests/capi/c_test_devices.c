/* File: tests/capi/c_test_devices.c
 * Device plugins through the C ABI, end to end: an 8-NUMA machine with 10 GPUs (two on NUMA
 * nodes 2 and 5, one on each other node) and 2 NICs under the single-numa-node policy. Two
 * pods of 16 CPUs, 32Gi and 2 GPUs land on nodes 2 and 5 with both GPUs there; a third is
 * refused with the kubelet's reason; the three checkpoint files restore a node that decides
 * the same. A plugin's GetPreferredAllocation as a C callback picks among three FPGAs. */
#include <stdint.h>
#include <stdlib.h>

#include "c_test.h"

static const char kMachine[] = "pack:2 numa:4(memory=40GiB) core:8 pu:2";
static const char kConfig[] =
    "{\"cpuManagerPolicy\": \"static\", \"reservedSystemCPUs\": \"0\","
    " \"topologyManagerPolicy\": \"single-numa-node\", \"memoryManagerPolicy\": \"Static\","
    " \"reservedMemory\": [{\"numaNode\": 0, \"limits\": {\"memory\": \"1Gi\"}}]}";
static const char kGpu[] = "nvidia.com/gpu";
static const char kNic[] = "example.com/nic";

/* The first two pods as v1 Pods, for the restore. */
static const char kPodsJson[] =
    "[{\"metadata\": {\"name\": \"gpu-0\", \"namespace\": \"default\", \"uid\": \"gpu-0\"},"
    "  \"spec\": {\"containers\": [{\"name\": \"app\", \"resources\": {"
    "    \"requests\": {\"cpu\": \"16\", \"memory\": \"32Gi\", \"nvidia.com/gpu\": \"2\"},"
    "    \"limits\": {\"cpu\": \"16\", \"memory\": \"32Gi\", \"nvidia.com/gpu\": \"2\"}}}]}},"
    " {\"metadata\": {\"name\": \"gpu-1\", \"namespace\": \"default\", \"uid\": \"gpu-1\"},"
    "  \"spec\": {\"containers\": [{\"name\": \"app\", \"resources\": {"
    "    \"requests\": {\"cpu\": \"16\", \"memory\": \"32Gi\", \"nvidia.com/gpu\": \"2\"},"
    "    \"limits\": {\"cpu\": \"16\", \"memory\": \"32Gi\", \"nvidia.com/gpu\": \"2\"}}}]}}]";

static char g_ids[16][8];

/* GPU i: "gpu-<node><a|b>". */
static void register_devices(podalloc_node* node) {
  podalloc_device gpus[10];
  podalloc_device nics[2];
  size_t n = 0;
  int numa;
  for (numa = 0; numa < 8; ++numa) {
    int second;
    for (second = 0; second < ((numa == 2 || numa == 5) ? 2 : 1); ++second) {
      podalloc_device d = PODALLOC_DEVICE_INIT;
      snprintf(g_ids[n], sizeof g_ids[n], "gpu-%d%c", numa, second ? 'b' : 'a');
      d.id.data = g_ids[n];
      d.id.size = strlen(g_ids[n]);
      d.flags |= PODALLOC_DEVICE_NUMA;
      d.numa_nodes = (uint64_t)1 << numa;
      gpus[n++] = d;
    }
  }
  CHECK(n == 10);
  for (n = 0; n < 2; ++n) {
    podalloc_device d = PODALLOC_DEVICE_INIT;
    snprintf(g_ids[10 + n], sizeof g_ids[10 + n], "nic-%d", (int)n);
    d.id.data = g_ids[10 + n];
    d.id.size = strlen(g_ids[10 + n]);
    d.flags |= PODALLOC_DEVICE_NUMA;
    d.numa_nodes = (uint64_t)1 << (n * 4);
    nics[n] = d;
  }
  CHECK_OK(podalloc_node_set_device_resource(node, TEXT(kGpu), gpus, 10, NULL));
  CHECK_OK(podalloc_node_set_device_resource(node, TEXT(kNic), nics, 2, NULL));
}

static podalloc_text text_of(const char* s) {
  podalloc_text t;
  t.data = s;
  t.size = strlen(s);
  return t;
}

/* A Guaranteed pod of one container: 16 CPUs, 32Gi and `count` devices of `resource`. */
static podalloc_decision* admit_device_pod(podalloc_node* node, const char* uid,
                                           const char* resource, int64_t count, int commit) {
  podalloc_container c = PODALLOC_CONTAINER_INIT;
  podalloc_pod p = PODALLOC_POD_INIT;
  podalloc_named_quantity gpu;
  podalloc_decision* d = NULL;
  gpu.name = text_of(resource);
  gpu.value = count;
  c.name = text_of("app");
  c.requests.present = c.limits.present = PODALLOC_RESOURCE_CPU | PODALLOC_RESOURCE_MEMORY;
  c.requests.cpu_milli = c.limits.cpu_milli = 16000;
  c.requests.memory_bytes = c.limits.memory_bytes = (int64_t)32 << 30;
  c.requests.other = c.limits.other = &gpu;
  c.requests.other_count = c.limits.other_count = 1;
  p.name = p.uid = text_of(uid);
  p.namespace_name = text_of("default");
  p.containers = &c;
  p.container_count = 1;
  if (commit) {
    CHECK_OK(podalloc_node_admit_and_commit_typed(&d, node, &p, NULL));
  } else {
    CHECK_OK(podalloc_node_admit_typed(&d, node, &p, NULL));
  }
  return d;
}

static podalloc_decision* admit_gpu_pod(podalloc_node* node, const char* uid, int64_t gpus,
                                        int commit) {
  return admit_device_pod(node, uid, kGpu, gpus, commit);
}

static int text_is(podalloc_text t, const char* s) {
  return t.size == strlen(s) && memcmp(t.data, s, t.size) == 0;
}

/* The decision admitted the pod on NUMA node `numa` with the GPUs `a` and `b` there. */
static void check_on_node(const podalloc_decision* d, int numa, const char* a, const char* b) {
  podalloc_container_placement p = PODALLOC_CONTAINER_PLACEMENT_INIT;
  podalloc_device_resource r = PODALLOC_DEVICE_RESOURCE_INIT;
  podalloc_text id = PODALLOC_TEXT_EMPTY;
  podalloc_text reason = PODALLOC_TEXT_EMPTY;
  podalloc_decision_reason(d, &reason, NULL);
  CHECK(reason.size == 0);
  CHECK_OK(podalloc_decision_container(&p, d, 0, NULL));
  CHECK((p.flags & PODALLOC_PLACEMENT_EXCLUSIVE_CPUS) != 0);
  CHECK(p.hint_numa_nodes == (uint64_t)1 << numa);
  CHECK(p.memory_nodes == (uint64_t)1 << numa);
  CHECK(p.cpu_count == 16);
  CHECK(p.device_resource_count == 1);
  CHECK_OK(podalloc_decision_device_resource(&r, d, 0, 0, NULL));
  CHECK(text_is(r.name, kGpu));
  CHECK(r.device_count == 2);
  CHECK_OK(podalloc_decision_device_id(&id, d, 0, 0, 0, NULL));
  CHECK(text_is(id, a));
  CHECK_OK(podalloc_decision_device_id(&id, d, 0, 0, 1, NULL));
  CHECK(text_is(id, b));
}

static void check_refused(const podalloc_decision* d) {
  podalloc_text reason = PODALLOC_TEXT_EMPTY;
  podalloc_text message = PODALLOC_TEXT_EMPTY;
  podalloc_container_placement p = PODALLOC_CONTAINER_PLACEMENT_INIT;
  podalloc_decision_reason(d, &reason, &message);
  CHECK(text_is(reason, "TopologyAffinityError"));
  CHECK(text_is(message, "Resources cannot be allocated with Topology locality"));
  CHECK_OK(podalloc_decision_container(&p, d, 0, NULL));
  CHECK(p.device_resource_count == 0);
}

static void test_bad_device_input(podalloc_node* node) {
  podalloc_device d = PODALLOC_DEVICE_INIT;
  podalloc_buffer before = c_test_state_of(node);
  d.id = text_of("x");
  CHECK_STATUS(podalloc_node_set_device_resource(node, TEXT("cpu"), &d, 1, NULL),
               PODALLOC_INVALID_ARGUMENT);
  d.flags |= PODALLOC_DEVICE_NUMA;
  CHECK_STATUS(podalloc_node_set_device_resource(node, TEXT(kNic), &d, 1, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(strstr(podalloc_last_error_message(), "devices[0].numa_nodes is 0") != NULL);
  d.numa_nodes = (uint64_t)1 << 9;
  CHECK_STATUS(podalloc_node_set_device_resource(node, TEXT(kNic), &d, 1, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK(strstr(podalloc_last_error_message(), "NUMA node 9 is not on this machine") != NULL);
  d.numa_nodes = 1;
  d.flags |= 0x80u;
  CHECK_STATUS(podalloc_node_set_device_resource(node, TEXT(kNic), &d, 1, NULL),
               PODALLOC_INVALID_ARGUMENT);
  d.flags = PODALLOC_DEVICE_HEALTHY;
  d.struct_size = 4;
  CHECK_STATUS(podalloc_node_set_device_resource(node, TEXT(kNic), &d, 1, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_set_device_resource(node, TEXT(kNic), NULL, 1, NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_STATUS(podalloc_node_remove_device_resource(node, TEXT("example.com/none"), NULL),
               PODALLOC_NOT_FOUND);
  CHECK(c_test_same_state(&before, node));
  podalloc_buffer_free(&before);
}

static void test_bad_reads(const podalloc_decision* d) {
  podalloc_device_resource r = PODALLOC_DEVICE_RESOURCE_INIT;
  podalloc_text id = PODALLOC_TEXT_EMPTY;
  CHECK_STATUS(podalloc_decision_device_resource(&r, d, 1, 0, NULL), PODALLOC_OUT_OF_RANGE);
  CHECK_STATUS(podalloc_decision_device_resource(&r, d, 0, 1, NULL), PODALLOC_OUT_OF_RANGE);
  CHECK_STATUS(podalloc_decision_device_id(&id, d, 0, 0, 2, NULL), PODALLOC_OUT_OF_RANGE);
  CHECK_STATUS(podalloc_decision_device_id(NULL, d, 0, 0, 0, NULL), PODALLOC_INVALID_ARGUMENT);
  r.struct_size = 4;
  CHECK_STATUS(podalloc_decision_device_resource(&r, d, 0, 0, NULL), PODALLOC_INVALID_ARGUMENT);
}

/* Saves the three files of `node`, restores them on a new node of the same machine and
 * configuration, and checks the restored node decides as `node` does. */
static void test_round_trip(podalloc_node* node, const podalloc_topology* t) {
  podalloc_buffer cpu = PODALLOC_BUFFER_INIT;
  podalloc_buffer memory = PODALLOC_BUFFER_INIT;
  podalloc_buffer devices = PODALLOC_BUFFER_INIT;
  podalloc_node* restored = NULL;
  podalloc_decision* a;
  podalloc_decision* b;
  podalloc_container_placement pa = PODALLOC_CONTAINER_PLACEMENT_INIT;
  podalloc_container_placement pb = PODALLOC_CONTAINER_PLACEMENT_INIT;
  podalloc_text ia = PODALLOC_TEXT_EMPTY;
  podalloc_text ib = PODALLOC_TEXT_EMPTY;
  CHECK_OK(podalloc_node_checkpoint_save(&cpu, node, PODALLOC_CHECKPOINT_CPU_MANAGER, NULL));
  CHECK_OK(podalloc_node_checkpoint_save(&memory, node, PODALLOC_CHECKPOINT_MEMORY_MANAGER, NULL));
  CHECK_OK(
      podalloc_node_checkpoint_save(&devices, node, PODALLOC_CHECKPOINT_DEVICE_MANAGER, NULL));
  C_TEST_CHECK_HAS(devices.data, "\"PodUID\":\"gpu-1\"");
  CHECK_OK(podalloc_node_create(&restored, t, TEXT(kConfig), NULL));
  /* A device entry of a pod that is not listed: refused, nothing changes. */
  CHECK_STATUS(podalloc_node_checkpoint_restore_with_devices(restored, cpu.data, 0, NULL, 0,
                                                             devices.data, devices.size, "[]", 2,
                                                             NULL),
               PODALLOC_INVALID_ARGUMENT);
  CHECK_OK(podalloc_node_checkpoint_restore_with_devices(
      restored, cpu.data, cpu.size, memory.data, memory.size, devices.data, devices.size,
      TEXT(kPodsJson), NULL));
  /* The plugins register again after the restart; the restored node then writes the same
   * files (until then its resources are registered without healthy devices). */
  register_devices(restored);
  {
    podalloc_buffer again = PODALLOC_BUFFER_INIT;
    CHECK_OK(podalloc_node_checkpoint_save(&again, restored, PODALLOC_CHECKPOINT_DEVICE_MANAGER,
                                           NULL));
    CHECK(again.size == devices.size && memcmp(again.data, devices.data, devices.size) == 0);
    podalloc_buffer_free(&again);
    CHECK_OK(podalloc_node_checkpoint_save(&again, restored, PODALLOC_CHECKPOINT_CPU_MANAGER,
                                           NULL));
    CHECK(again.size == cpu.size && memcmp(again.data, cpu.data, cpu.size) == 0);
    podalloc_buffer_free(&again);
  }
  a = admit_gpu_pod(node, "gpu-2", 2, 0);
  b = admit_gpu_pod(restored, "gpu-2", 2, 0);
  check_refused(a);
  check_refused(b);
  podalloc_decision_destroy(a);
  podalloc_decision_destroy(b);
  /* One GPU still fits, in the same place on both. */
  a = admit_gpu_pod(node, "gpu-3", 1, 0);
  b = admit_gpu_pod(restored, "gpu-3", 1, 0);
  CHECK_OK(podalloc_decision_container(&pa, a, 0, NULL));
  CHECK_OK(podalloc_decision_container(&pb, b, 0, NULL));
  CHECK(pa.device_resource_count == 1 && pb.device_resource_count == 1);
  CHECK(pa.hint_numa_nodes == pb.hint_numa_nodes);
  CHECK(pa.memory_nodes == pb.memory_nodes);
  CHECK_OK(podalloc_decision_device_id(&ia, a, 0, 0, 0, NULL));
  CHECK_OK(podalloc_decision_device_id(&ib, b, 0, 0, 0, NULL));
  CHECK(ia.size == ib.size && memcmp(ia.data, ib.data, ia.size) == 0);
  podalloc_decision_destroy(a);
  podalloc_decision_destroy(b);
  podalloc_node_destroy(restored);
  podalloc_buffer_free(&cpu);
  podalloc_buffer_free(&memory);
  podalloc_buffer_free(&devices);
}

/* A plugin's GetPreferredAllocation: records the offer and prefers its last device (plus an
 * index out of range, which is ignored); with `fail` set it reports an error. */
struct preferred_calls {
  int calls;
  int fail;
  size_t offered;
  size_t must;
  size_t size;
  int last_is_fpga_2;
};

static int prefer_last(void* user_data, podalloc_text resource, const podalloc_text* available,
                       size_t available_count, const podalloc_text* must_include,
                       size_t must_include_count, size_t size, size_t* chosen,
                       size_t chosen_capacity, size_t* chosen_count, char* message,
                       size_t message_capacity) {
  struct preferred_calls* calls = (struct preferred_calls*)user_data;
  (void)must_include;
  CHECK(text_is(resource, "example.com/fpga"));
  ++calls->calls;
  calls->offered = available_count;
  calls->must = must_include_count;
  calls->size = size;
  calls->last_is_fpga_2 = available_count > 0 && text_is(available[available_count - 1], "fpga-2");
  if (calls->fail) {
    static const char kWhy[] = "plugin socket closed";
    CHECK(message_capacity > sizeof kWhy);
    memcpy(message, kWhy, sizeof kWhy);
    return 7;
  }
  CHECK(chosen_capacity >= 2);
  chosen[0] = available_count - 1;
  chosen[1] = 99;
  *chosen_count = 2;
  return 0;
}

/* Three FPGAs on NUMA node 1; a one-FPGA pod gets the one the plugin prefers. */
static void test_preferred_allocation(const podalloc_topology* t) {
  podalloc_node* node = NULL;
  podalloc_device fpgas[3];
  static const char* const kIds[3] = {"fpga-0", "fpga-1", "fpga-2"};
  struct preferred_calls calls = {0, 0, 0, 0, 0, 0};
  podalloc_decision* d;
  podalloc_text id = PODALLOC_TEXT_EMPTY;
  podalloc_text reason = PODALLOC_TEXT_EMPTY;
  podalloc_text message = PODALLOC_TEXT_EMPTY;
  size_t i;
  CHECK_OK(podalloc_node_create(&node, t, TEXT(kConfig), NULL));
  for (i = 0; i < 3; ++i) {
    podalloc_device init = PODALLOC_DEVICE_INIT;
    fpgas[i] = init;
    fpgas[i].id = text_of(kIds[i]);
    fpgas[i].flags |= PODALLOC_DEVICE_NUMA;
    fpgas[i].numa_nodes = (uint64_t)1 << 1;
  }
  CHECK(podalloc_node_set_device_preferred_allocation(node, TEXT("example.com/fpga"), prefer_last,
                                                      &calls, NULL) == PODALLOC_NOT_FOUND);
  CHECK_OK(podalloc_node_set_device_resource(node, TEXT("example.com/fpga"), fpgas, 3, NULL));
  CHECK(podalloc_node_set_device_preferred_allocation(NULL, TEXT("example.com/fpga"), prefer_last,
                                                      &calls, NULL) == PODALLOC_INVALID_ARGUMENT);
  CHECK_OK(podalloc_node_set_device_preferred_allocation(node, TEXT("example.com/fpga"),
                                                         prefer_last, &calls, NULL));

  d = admit_device_pod(node, "fpga", "example.com/fpga", 1, 0);
  CHECK(calls.calls == 1 && calls.offered == 3 && calls.must == 0 && calls.size == 1);
  CHECK(calls.last_is_fpga_2);
  CHECK_OK(podalloc_decision_device_id(&id, d, 0, 0, 0, NULL));
  CHECK(text_is(id, "fpga-2"));
  podalloc_decision_destroy(d);

  calls.fail = 1;
  d = admit_device_pod(node, "fpga", "example.com/fpga", 1, 0);
  podalloc_decision_reason(d, &reason, &message);
  CHECK(text_is(reason, "UnexpectedAdmissionError"));
  {
    char text[512];
    const size_t n = message.size < sizeof text - 1 ? message.size : sizeof text - 1;
    memcpy(text, message.data, n);
    text[n] = '\0';
    C_TEST_CHECK_HAS(text, "GetPreferredAllocation rpc failed with err: the preferred-allocation "
                           "callback returned 7: \"plugin socket closed\"");
  }
  podalloc_decision_destroy(d);

  CHECK_OK(podalloc_node_set_device_preferred_allocation(node, TEXT("example.com/fpga"), NULL,
                                                         NULL, NULL));
  d = admit_device_pod(node, "fpga", "example.com/fpga", 1, 0);
  CHECK(calls.calls == 2);
  CHECK_OK(podalloc_decision_device_id(&id, d, 0, 0, 0, NULL));
  CHECK(text_is(id, "fpga-0"));
  podalloc_decision_destroy(d);
  podalloc_node_destroy(node);
}

/* The third pod explained: refused, with the device manager's hints (NUMA nodes 2 and 5 are
 * taken) and the CPU manager's as the provider that left no admissible merge. */
static void test_explain(podalloc_node* node) {
  static const char kPod[] =
      "{\"metadata\": {\"name\": \"gpu-2\", \"namespace\": \"default\", \"uid\": \"gpu-2\"},"
      " \"spec\": {\"containers\": [{\"name\": \"app\", \"resources\": {"
      "  \"limits\": {\"cpu\": \"16\", \"memory\": \"32Gi\", \"nvidia.com/gpu\": \"2\"}}}]}}";
  podalloc_buffer out = PODALLOC_BUFFER_INIT;
  podalloc_buffer before = c_test_state_of(node);
  CHECK_OK(podalloc_node_explain(&out, node, TEXT(kPod), NULL));
  C_TEST_CHECK_HAS(out.data, "\"reason\":\"TopologyAffinityError\"");
  C_TEST_CHECK_HAS(out.data, "\"name\":\"device_manager\"");
  C_TEST_CHECK_HAS(out.data, "\"name\":\"cpu_manager\"");
  CHECK(c_test_same_state(&before, node));
  podalloc_buffer_free(&out);
  CHECK(podalloc_node_explain(&out, node, TEXT("{"), NULL) == PODALLOC_INVALID_ARGUMENT);
  CHECK(podalloc_node_explain(NULL, node, TEXT(kPod), NULL) == PODALLOC_INVALID_ARGUMENT);
  podalloc_buffer_free(&before);
}

void test_devices(void) {
  podalloc_topology* t = NULL;
  podalloc_node* node = NULL;
  podalloc_decision* d;
  podalloc_buffer before;
  podalloc_buffer metrics = PODALLOC_BUFFER_INIT;
  CHECK_OK(podalloc_topology_from_synthetic(&t, TEXT(kMachine), NULL));
  CHECK_OK(podalloc_node_create(&node, t, TEXT(kConfig), NULL));
  register_devices(node);
  test_bad_device_input(node);

  d = admit_gpu_pod(node, "gpu-0", 2, 1);
  check_on_node(d, 2, "gpu-2a", "gpu-2b");
  test_bad_reads(d);
  podalloc_decision_destroy(d);
  d = admit_gpu_pod(node, "gpu-1", 2, 1);
  check_on_node(d, 5, "gpu-5a", "gpu-5b");
  podalloc_decision_destroy(d);

  test_explain(node);
  before = c_test_state_of(node);
  C_TEST_CHECK_HAS(before.data, "\"device_manager\":");
  d = admit_gpu_pod(node, "gpu-2", 2, 1);
  check_refused(d);
  podalloc_decision_destroy(d);
  CHECK(c_test_same_state(&before, node));
  podalloc_buffer_free(&before);

  CHECK_OK(podalloc_node_metrics(&metrics, node, NULL));
  C_TEST_CHECK_HAS(metrics.data,
                   "kubelet_device_plugin_registration_total{resource_name=\"nvidia.com/gpu\"} 1");
  podalloc_buffer_free(&metrics);

  test_round_trip(node, t);
  test_preferred_allocation(t);
  podalloc_node_destroy(node);
  podalloc_topology_destroy(t);
}
