package podalloc

import (
	"fmt"
	"testing"
)

// The `podalloc simulate --default` machine and configuration: 64 CPUs in 4 NUMA nodes of
// 16 GiB, CPUs 0-1 reserved, so 62 CPUs allocatable.
const defaultMachine = "pack:2 numa:2(memory=16GiB) core:8 pu:2"

const defaultConfig = `{"cpuManagerPolicy": "static", "reservedSystemCPUs": "0-1",
 "topologyManagerPolicy": "restricted", "topologyManagerScope": "pod",
 "memoryManagerPolicy": "Static", "reservedMemory": [
  {"numaNode": 0, "limits": {"memory": "1Gi"}}, {"numaNode": 1, "limits": {"memory": "1Gi"}},
  {"numaNode": 2, "limits": {"memory": "1Gi"}}, {"numaNode": 3, "limits": {"memory": "1Gi"}}],
 "featureGates": {"PodLevelResources": true, "PodLevelResourceManagers": true}}`

func burstablePod(uid string, cpus int) []byte {
	return []byte(fmt.Sprintf(`{"metadata": {"name": %q, "namespace": "default", "uid": %q},
	 "spec": {"containers": [{"name": "app",
	   "resources": {"requests": {"cpu": "%d", "memory": "1Gi"}}}]}}`, uid, uid, cpus))
}

// Two 40-CPU Burstable pods: the kubelet admits the first and refuses the second OutOfcpu.
func TestSecond40CPUPodIsOutOfCPU(t *testing.T) {
	topo, err := TopologyFromSynthetic(defaultMachine)
	if err != nil {
		t.Fatal(err)
	}
	defer topo.Close()
	node, err := NewNode(topo, []byte(defaultConfig))
	if err != nil {
		t.Fatal(err)
	}
	defer node.Close()

	if d := admit(t, node, burstablePod("big-1", 40)); !d.Admitted {
		t.Fatalf("first pod refused: %s: %s", d.Reason, d.Message)
	}
	d := admit(t, node, burstablePod("big-2", 40))
	if d.Admitted || d.Reason != "OutOfcpu" {
		t.Fatalf("second pod: admitted %v, reason %q, want refused OutOfcpu", d.Admitted, d.Reason)
	}
	const message = "Node didn't have enough resource: cpu, requested: 40000, used: 40000, capacity: 62000"
	if d.Message != message {
		t.Errorf("message %q, want %q", d.Message, message)
	}
	if len(d.InsufficientResources) != 1 || d.InsufficientResources[0].ShortBy != 18000 {
		t.Errorf("insufficient resources %+v, want cpu short by 18000", d.InsufficientResources)
	}
	if d.TopologyRejection != nil || d.Preemption != nil {
		t.Errorf("a fit refusal with a topology rejection or a preemption: %+v", d)
	}
	if node.Version() != 1 {
		t.Errorf("version %d after one admitted pod, want 1", node.Version())
	}
}
