package podalloc

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// A machine with 2 NUMA nodes of 8 CPUs (4 cores x 2 threads) and 16 GiB; CPU 0 is reserved.
const testMachine = "pack:1 numa:2(memory=16GiB) core:4 pu:2"

const podScopeConfig = `{"cpuManagerPolicy": "static", "reservedSystemCPUs": "0",
 "topologyManagerPolicy": "single-numa-node", "topologyManagerScope": "pod",
 "featureGates": {"PodLevelResourceManagers": true}}`

const containerScopeConfig = `{"cpuManagerPolicy": "static", "reservedSystemCPUs": "0",
 "topologyManagerPolicy": "single-numa-node", "topologyManagerScope": "container",
 "featureGates": {"PodLevelResourceManagers": true}}`

func newTestNode(t *testing.T, config string) *Node {
	t.Helper()
	topo, err := TopologyFromSynthetic(testMachine)
	if err != nil {
		t.Fatal(err)
	}
	defer topo.Close()
	node, err := NewNode(topo, []byte(config))
	if err != nil {
		t.Fatal(err)
	}
	return node
}

// kepPod is a pod with a pod-level budget of cpu CPUs and as many GiB, and one container per
// entry of containerCPUs: 0 is a container without requests, n > 0 a Guaranteed container
// of n CPUs and 1Gi.
func kepPod(uid string, cpu int, containerCPUs ...int) []byte {
	type list map[string]string
	type resources struct {
		Requests list `json:"requests,omitempty"`
		Limits   list `json:"limits,omitempty"`
	}
	type container struct {
		Name      string     `json:"name"`
		Resources *resources `json:"resources,omitempty"`
	}
	budget := list{"cpu": fmt.Sprint(cpu), "memory": fmt.Sprintf("%dGi", cpu)}
	pod := map[string]any{
		"metadata": map[string]string{"name": uid, "namespace": "default", "uid": uid},
	}
	var containers []container
	for i, n := range containerCPUs {
		c := container{Name: fmt.Sprintf("container-%d", i+1)}
		if n > 0 {
			own := list{"cpu": fmt.Sprint(n), "memory": "1Gi"}
			c.Resources = &resources{Requests: own, Limits: own}
		}
		containers = append(containers, c)
	}
	pod["spec"] = map[string]any{
		"resources":  resources{Requests: budget, Limits: budget},
		"containers": containers,
	}
	b, err := json.Marshal(pod)
	if err != nil {
		panic(err)
	}
	return b
}

func admit(t *testing.T, node *Node, pod []byte) DecisionDoc {
	t.Helper()
	raw, err := node.AdmitAndCommit(pod)
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, raw)
}

func mustParse(t *testing.T, list string) CPUSet {
	t.Helper()
	set, err := ParseCPUSet(list)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// The KEP-5526 examples (pod-level resource managers), topology manager scope pod.
func TestKEP5526PodScope(t *testing.T) {
	cases := []struct {
		name       string
		budget     int
		containers []int
		admitted   bool
		// Per container: number of exclusive CPUs, or 0 for "shares the pod shared pool".
		exclusive []int
	}{
		{"three containers without requests share the 4-CPU set", 4, []int{0, 0, 0}, true, []int{0, 0, 0}},
		{"2 exclusive CPUs, two containers share the other 2", 4, []int{2, 0, 0}, true, []int{2, 0, 0}},
		{"3 + 2 exclusive leave an empty shared pool: refused", 5, []int{3, 2, 0}, false, nil},
		{"3, 1 and 1 exclusive CPUs", 5, []int{3, 1, 1}, true, []int{3, 1, 1}},
		{"3 exclusive, two containers share the other 2", 5, []int{3, 0, 0}, true, []int{3, 0, 0}},
		{"no requests: all share the 5 CPUs", 5, []int{0, 0, 0}, true, []int{0, 0, 0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			node := newTestNode(t, podScopeConfig)
			defer node.Close()
			d := admit(t, node, kepPod("pod-1", c.budget, c.containers...))
			if d.Admitted != c.admitted {
				t.Fatalf("admitted = %v (%s: %s), want %v", d.Admitted, d.Reason, d.Message, c.admitted)
			}
			if !d.Admitted {
				state, _ := node.State()
				if !strings.Contains(string(state), `"pods":[]`) {
					t.Fatalf("a refused pod is in the state: %s", state)
				}
				return
			}
			pool := mustParse(t, d.PodCPUs)
			if !d.PodLevel || pool.Count() != c.budget {
				t.Fatalf("pod-level %v, pod CPUs %q, want %d CPUs", d.PodLevel, d.PodCPUs, c.budget)
			}
			shared := mustParse(t, d.PodSharedPool)
			taken := 0
			for i, want := range c.exclusive {
				got := d.Containers[i]
				cpus := mustParse(t, got.CPUs)
				if want > 0 {
					if !got.ExclusiveCPUs || cpus.Count() != want || got.Isolation != "container" {
						t.Errorf("%s: %+v, want %d exclusive CPUs", got.Name, got, want)
					}
					taken += want
				} else if got.ExclusiveCPUs || cpus.String() != shared.String() {
					t.Errorf("%s: CPUs %q, want the pod shared pool %q", got.Name, got.CPUs, d.PodSharedPool)
				}
				for cpu := 0; cpu < 64; cpu++ {
					if cpus.Contains(cpu) && !pool.Contains(cpu) {
						t.Errorf("%s: CPU %d is outside the pod's set %s", got.Name, cpu, d.PodCPUs)
					}
				}
			}
			if shared.Count() != c.budget-taken {
				t.Errorf("pod shared pool %q, want %d CPUs", d.PodSharedPool, c.budget-taken)
			}
		})
	}
}

// The KEP-5526 examples under topology manager scope container.
func TestKEP5526ContainerScope(t *testing.T) {
	node := newTestNode(t, containerScopeConfig)
	defer node.Close()
	d := admit(t, node, kepPod("pod-1", 4, 2, 0, 0))
	if !d.Admitted || d.PodLevel {
		t.Fatalf("admitted %v, pod-level %v", d.Admitted, d.PodLevel)
	}
	c1 := d.Containers[0]
	cpus := mustParse(t, c1.CPUs)
	if !c1.ExclusiveCPUs || cpus.Count() != 2 || c1.Hint == nil || !c1.Hint.Preferred {
		t.Fatalf("container-1: %+v, want 2 exclusive NUMA-aligned CPUs", c1)
	}
	for _, c := range d.Containers[1:] {
		if c.ExclusiveCPUs || c.Isolation != "host" {
			t.Errorf("%s: %+v, want the node shared pool", c.Name, c)
		}
		shared := mustParse(t, c.CPUs)
		for cpu := 0; cpu < 16; cpu++ {
			if shared.Contains(cpu) && cpus.Contains(cpu) {
				t.Errorf("%s shares CPU %d with container-1's exclusive CPUs", c.Name, cpu)
			}
		}
	}

	// No container requests at all: nothing exclusive, everyone in the node shared pool.
	other := admit(t, node, kepPod("pod-2", 4, 0, 0, 0))
	for _, c := range other.Containers {
		if c.ExclusiveCPUs || c.Isolation != "host" {
			t.Errorf("pod-2 %s: %+v, want the node shared pool", c.Name, c)
		}
	}
}

func TestAdmitCommitAndErrors(t *testing.T) {
	node := newTestNode(t, containerScopeConfig)
	defer node.Close()
	pod := kepPod("pod-1", 4, 2, 0, 0)
	d, err := node.Admit(pod)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if !d.Admitted() || node.Version() != 0 {
		t.Fatalf("admitted %v, version %d", d.Admitted(), node.Version())
	}
	if err := node.Commit(d); err != nil {
		t.Fatal(err)
	}
	var e *Error
	if err := node.Commit(d); !errors.As(err, &e) || e.Code != FailedPrecondition {
		t.Fatalf("second commit: %v", err)
	}
	if _, err := node.Admit(pod); !errors.As(err, &e) || e.Code != AlreadyExists {
		t.Fatalf("admitting the pod again: %v", err)
	}
	if _, err := node.Admit([]byte(`{"spec": {"containers": [{"name": 1}]}}`)); !errors.As(err, &e) || e.Code != InvalidArgument {
		t.Fatalf("malformed pod: %v", err)
	}
	if err := node.RemoveContainer("pod-1", "nope"); !errors.As(err, &e) || e.Code != NotFound {
		t.Fatalf("unknown container: %v", err)
	}
	if _, err := NewNode(&Topology{}, []byte(`{"cpuManagerPolicy": "dynamic"}`)); err == nil {
		t.Fatal("a bad configuration was accepted")
	}
	metrics, err := node.Metrics()
	if err != nil || !strings.Contains(metrics, "cpu_manager_pinning_requests_total") {
		t.Fatalf("metrics %q: %v", metrics, err)
	}
	if err := node.RemovePod("pod-1"); err != nil {
		t.Fatal(err)
	}
}

func TestCheckpointRoundTrip(t *testing.T) {
	node := newTestNode(t, containerScopeConfig)
	defer node.Close()
	pods := [][]byte{kepPod("pod-1", 4, 2, 0, 0), kepPod("pod-2", 2, 1, 1)}
	for _, p := range pods {
		if d := admit(t, node, p); !d.Admitted {
			t.Fatalf("%s refused: %s", d.Pod.UID, d.Message)
		}
	}
	cpu, err := node.Checkpoint(CPUManagerCheckpoint)
	if err != nil {
		t.Fatal(err)
	}
	memory, err := node.Checkpoint(MemoryManagerCheckpoint)
	if err != nil {
		t.Fatal(err)
	}
	list := []byte("[" + string(pods[0]) + "," + string(pods[1]) + "]")
	restored := newTestNode(t, containerScopeConfig)
	defer restored.Close()
	if err := restored.Restore(cpu, memory, list); err != nil {
		t.Fatal(err)
	}
	again, _ := restored.Checkpoint(CPUManagerCheckpoint)
	if string(again) != string(cpu) {
		t.Fatalf("checkpoint after restore:\n%s\nwant\n%s", again, cpu)
	}
	// A corrupted file is refused and the node keeps its state.
	before, _ := restored.State()
	bad := strings.Replace(string(cpu), `"dataChecksum":`, `"dataChecksum":1`, 1)
	var e *Error
	if err := restored.Restore([]byte(bad), memory, list); !errors.As(err, &e) || e.Code != DataLoss {
		t.Fatalf("corrupted checkpoint: %v", err)
	}
	if after, _ := restored.State(); string(after) != string(before) {
		t.Fatal("a failed restore changed the node")
	}
}

// Goroutines admit concurrently on one node; every pod is admitted once, with disjoint
// exclusive CPUs.
func TestConcurrentAdmission(t *testing.T) {
	node := newTestNode(t, containerScopeConfig)
	defer node.Close()
	var wg sync.WaitGroup
	docs := make([]DecisionDoc, 6)
	errs := make([]error, len(docs))
	for i := range docs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			raw, err := node.AdmitAndCommit(kepPod(fmt.Sprintf("pod-%d", i), 2, 2))
			if err == nil {
				err = json.Unmarshal(raw, &docs[i])
			}
			errs[i] = err
		}(i)
	}
	wg.Wait()
	seen := CPUSet{}
	admitted := 0
	for i, d := range docs {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if !d.Admitted {
			continue
		}
		admitted++
		cpus := mustParse(t, d.Containers[0].CPUs)
		for cpu := 0; cpu < 16; cpu++ {
			if cpus.Contains(cpu) && seen.Contains(cpu) {
				t.Fatalf("CPU %d given twice", cpu)
			}
		}
		seen = NewCPUSet(append(cpusOf(seen), cpusOf(cpus)...)...)
	}
	// 15 free CPUs hold 7 pods of 2 CPUs: all 6 fit.
	if admitted != len(docs) || node.Version() != uint64(len(docs)) {
		t.Fatalf("admitted %d of %d, version %d", admitted, len(docs), node.Version())
	}
}

func cpusOf(s CPUSet) []int {
	var ids []int
	for cpu := 0; cpu < 64*len(s); cpu++ {
		if s.Contains(cpu) {
			ids = append(ids, cpu)
		}
	}
	return ids
}
