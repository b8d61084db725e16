package podalloc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// typedKepPod is kepPod as a typed Pod.
func typedKepPod(uid string, cpu int, containerCPUs ...int) *Pod {
	budget := Resources{Set: HasCPU | HasMemory, CPUMilli: int64(cpu) * 1000, MemoryBytes: int64(cpu) << 30}
	p := &Pod{Name: uid, Namespace: "default", UID: uid, PodRequests: &budget, PodLimits: &budget}
	for i, n := range containerCPUs {
		c := Container{Name: fmt.Sprintf("container-%d", i+1)}
		if n > 0 {
			own := Resources{Set: HasCPU | HasMemory, CPUMilli: int64(n) * 1000, MemoryBytes: 1 << 30}
			c.Requests, c.Limits = own, own
		}
		p.Containers = append(p.Containers, c)
	}
	return p
}

// The typed and JSON paths give byte-identical decisions, admitted or refused, and the typed
// reading of the decision agrees with its JSON.
func TestTypedPodDecidesAsJSON(t *testing.T) {
	cases := []struct {
		cpu        int
		containers []int
	}{{4, []int{2, 0, 0}}, {3, []int{1, 1, 1}}, {8, []int{8}}, {20, []int{2}}}
	// The third configuration pins memory (Static memory manager): placements carry blocks.
	staticMemory := `{"cpuManagerPolicy": "static", "reservedSystemCPUs": "0",
 "topologyManagerPolicy": "single-numa-node", "topologyManagerScope": "pod",
 "memoryManagerPolicy": "Static", "reservedMemory": [
  {"numaNode": 0, "limits": {"memory": "50Mi"}}, {"numaNode": 1, "limits": {"memory": "50Mi"}}],
 "featureGates": {"PodLevelResourceManagers": true}}`
	blocks := 0
	for _, config := range []string{podScopeConfig, containerScopeConfig, staticMemory} {
		byJSON, typed := newTestNode(t, config), newTestNode(t, config)
		for i, c := range cases {
			uid := fmt.Sprintf("pod-%d", i)
			dj, err := byJSON.Admit(kepPod(uid, c.cpu, c.containers...))
			if err != nil {
				t.Fatal(err)
			}
			dt, err := typed.AdmitPod(typedKepPod(uid, c.cpu, c.containers...))
			if err != nil {
				t.Fatal(err)
			}
			a, _ := dj.JSON()
			b, _ := dt.JSON()
			if !bytes.Equal(a, b) {
				t.Fatalf("case %d:\nJSON  %s\ntyped %s", i, a, b)
			}
			doc := decode(t, a)
			placements, err := dt.Placements()
			if err != nil {
				t.Fatal(err)
			}
			if len(placements) != len(doc.Containers) {
				t.Fatalf("%d placements, %d containers", len(placements), len(doc.Containers))
			}
			for j, p := range placements {
				want := doc.Containers[j]
				if p.Name != want.Name || p.CPUs.String() != want.CPUs || p.ExclusiveCPUs != want.ExclusiveCPUs ||
					len(p.MemoryBlocks) != len(want.MemoryBlocks) {
					t.Fatalf("placement %+v, JSON %+v", p, want)
				}
				blocks += len(p.MemoryBlocks)
				for k, b := range p.MemoryBlocks {
					if b.SizeBytes != want.MemoryBlocks[k].Size {
						t.Fatalf("memory block %d: %+v, JSON %+v", k, b, want.MemoryBlocks[k])
					}
				}
			}
			if reason, _ := dt.Reason(); reason != doc.Reason {
				t.Fatalf("reason %q, JSON %q", reason, doc.Reason)
			}
			if err := byJSON.Commit(dj); err != nil {
				t.Fatal(err)
			}
			if err := typed.Commit(dt); err != nil {
				t.Fatal(err)
			}
		}
		a, _ := byJSON.State()
		b, _ := typed.State()
		if !bytes.Equal(a, b) {
			t.Fatalf("states differ:\n%s\n%s", a, b)
		}
	}
	if blocks == 0 {
		t.Fatal("no placement had memory blocks under the Static memory manager")
	}
}

func TestTypedPodErrors(t *testing.T) {
	node := newTestNode(t, podScopeConfig)
	p := typedKepPod("bad", 4, 2)
	p.Containers[0].Requests.CPUMilli = -1
	var e *Error
	if _, err := node.AdmitPod(p); !errors.As(err, &e) || e.Code != InvalidArgument ||
		!strings.HasPrefix(e.Message, "pod->containers[0].requests.cpu_milli: -1") {
		t.Fatalf("got %v", err)
	}
	p = typedKepPod("bad", 4, 2)
	p.Containers[0].Kind = 9
	if _, err := node.AdmitPod(p); !errors.As(err, &e) || !strings.Contains(e.Message, "kind") {
		t.Fatalf("got %v", err)
	}
	p = typedKepPod("ok", 4, 2)
	p.Containers = append(p.Containers, Container{Name: "init", Kind: SidecarContainer,
		Limits:       Resources{Set: HasCPU, CPUMilli: 100, Other: []Quantity{{"example.com/dev", 1}}},
		ResizePolicy: []ResizePolicy{{Resource: "cpu", RestartContainer: true}}})
	d, err := node.AdmitAndCommitPod(p)
	if err != nil || !d.Admitted() {
		t.Fatalf("admit: %v", err)
	}
}

// decode reads a decision JSON strictly: a field the library writes that DecisionDoc does not
// declare fails the test, so the Go types keep up with every field of the document.
func decode(t *testing.T, raw []byte) DecisionDoc {
	t.Helper()
	var doc DecisionDoc
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("decision JSON %s: %v", raw, err)
	}
	return doc
}

func BenchmarkAdmitTyped(b *testing.B) {
	node := newBenchNode(b)
	p := benchPodTyped()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d, err := node.AdmitPod(p)
		if err != nil {
			b.Fatal(err)
		}
		d.Close()
	}
}

func BenchmarkAdmitJSON(b *testing.B) {
	node := newBenchNode(b)
	pod := []byte(benchPodJSON)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d, err := node.Admit(pod)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := d.JSON(); err != nil {
			b.Fatal(err)
		}
		d.Close()
	}
}

// The pod and node of bench/capi_bench.cc (BM_CapiAdmit*): 384 CPUs, 8 NUMA nodes, the
// static CPU manager, a Guaranteed pod of a 2-CPU container and a 500m sidecar.
const benchPodJSON = `{"metadata": {"name": "web", "namespace": "default", "uid": "u1"},
  "spec": {"containers": [
    {"name": "app", "resources": {"requests": {"cpu": "2", "memory": "2Gi"},
                                  "limits": {"cpu": "2", "memory": "2Gi"}}},
    {"name": "sidecar", "resources": {"limits": {"cpu": "500m", "memory": "256Mi"}}}]}}`

func benchPodTyped() *Pod {
	app := Resources{Set: HasCPU | HasMemory, CPUMilli: 2000, MemoryBytes: 2 << 30}
	return &Pod{Name: "web", Namespace: "default", UID: "u1", Containers: []Container{
		{Name: "app", Requests: app, Limits: app},
		{Name: "sidecar", Limits: Resources{Set: HasCPU | HasMemory, CPUMilli: 500, MemoryBytes: 256 << 20}},
	}}
}

func newBenchNode(b *testing.B) *Node {
	topo, err := TopologyFromSynthetic("pack:2 numa:4 core:24 pu:2")
	if err != nil {
		b.Fatal(err)
	}
	defer topo.Close()
	node, err := NewNode(topo, []byte(`{"cpuManagerPolicy": "static", "reservedSystemCPUs": "0-1",
  "topologyManagerPolicy": "best-effort"}`))
	if err != nil {
		b.Fatal(err)
	}
	return node
}
