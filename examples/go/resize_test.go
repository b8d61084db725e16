package podalloc

import (
	"encoding/json"
	"errors"
	"testing"
)

// resizePod is a one-container pod "app" with the given requests and limits (cpu, memory).
func resizePod(uid string, requests, limits map[string]string) []byte {
	pod := map[string]any{
		"metadata": map[string]string{"name": uid, "namespace": "default", "uid": uid},
		"spec": map[string]any{"containers": []any{map[string]any{
			"name":      "app",
			"resources": map[string]any{"requests": requests, "limits": limits},
		}}},
	}
	b, err := json.Marshal(pod)
	if err != nil {
		panic(err)
	}
	return b
}

func TestResizeGrowsInPlace(t *testing.T) {
	node := newTestNode(t, "")
	defer node.Close()
	admit(t, node, resizePod("web", map[string]string{"cpu": "1", "memory": "256Mi"},
		map[string]string{"cpu": "2", "memory": "512Mi"}))
	grown := resizePod("web", map[string]string{"cpu": "2", "memory": "256Mi"},
		map[string]string{"cpu": "3", "memory": "512Mi"})

	preview, err := node.Resize(grown, ResizeOptions{CheckOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if !preview.Feasible || preview.Applied || node.Version() != 1 {
		t.Fatalf("preview %+v, version %d", preview, node.Version())
	}

	d, err := node.Resize(grown, ResizeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !d.Feasible || !d.Applied || d.Pod.UID != "web" || node.Version() != 2 {
		t.Fatalf("resize %+v, version %d", d, node.Version())
	}
	// Growing: each file of the pod cgroup is written before the container's.
	index := map[CgroupWrite]int{}
	for i, w := range d.Plan.Writes {
		index[CgroupWrite{Cgroup: w.Cgroup, File: w.File}] = i
	}
	for _, file := range []string{"cpu.weight", "cpu.max"} {
		pod, okPod := index[CgroupWrite{Cgroup: "", File: file}]
		app, okApp := index[CgroupWrite{Cgroup: "app", File: file}]
		if !okPod || !okApp || pod > app {
			t.Errorf("%s: pod write %d, container write %d in %+v", file, pod, app, d.Plan.Writes)
		}
	}

	// A memory limit below what the container uses: refused, nothing recorded.
	used := int64(300 << 20)
	refused, err := node.Resize(resizePod("web", map[string]string{"cpu": "2", "memory": "256Mi"},
		map[string]string{"cpu": "3", "memory": "280Mi"}),
		ResizeOptions{Usage: &ResizeUsage{Containers: map[string]int64{"app": used}}})
	if err != nil {
		t.Fatal(err)
	}
	if !refused.Plan.Refused || refused.Applied || node.Version() != 2 {
		t.Fatalf("refused %+v, version %d", refused, node.Version())
	}

	var e *Error
	if _, err := node.Resize(resizePod("nope", nil, nil), ResizeOptions{}); !errors.As(err, &e) || e.Code != NotFound {
		t.Fatalf("unknown pod: %v", err)
	}
}

func TestResizeGuaranteedUnderStaticCPUManagerIsInfeasible(t *testing.T) {
	node := newTestNode(t, `{"cpuManagerPolicy": "static", "reservedSystemCPUs": "0"}`)
	defer node.Close()
	two := map[string]string{"cpu": "2", "memory": "256Mi"}
	admit(t, node, resizePod("db", two, two))
	three := map[string]string{"cpu": "3", "memory": "256Mi"}
	d, err := node.Resize(resizePod("db", three, three), ResizeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Feasible || d.Reason != ResizeInfeasible || d.Applied ||
		d.ReasonDetail != "guaranteed_pod_cpu_manager_static_policy" || len(d.Plan.Writes) != 0 {
		t.Fatalf("resize %+v", d)
	}
	if node.Version() != 1 {
		t.Fatalf("version %d after an infeasible resize", node.Version())
	}
}
