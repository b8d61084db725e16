package podalloc

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// A machine of 2 NUMA nodes of 8 CPUs, restricted: after pod-x (7 CPUs) and pod-b (3) and the
// removal of pod-x, pod-a (2) leaves 5 free CPUs on each node, and restricted admits 1-5 and
// 9-10 CPUs but not 6-8 (the NRT spec's Example 4).
const restrictedConfig = `{"cpuManagerPolicy": "static", "reservedSystemCPUs": "0",
 "topologyManagerPolicy": "restricted", "topologyManagerScope": "container"}`

func guaranteedPod(uid, cpu string) []byte {
	res := map[string]string{"cpu": cpu, "memory": "100Mi"}
	pod := map[string]any{
		"metadata": map[string]string{"name": uid, "namespace": "default", "uid": uid},
		"spec": map[string]any{"containers": []any{map[string]any{
			"name": "c", "resources": map[string]any{"requests": res, "limits": res}}}},
	}
	b, _ := json.Marshal(pod)
	return b
}

func nonMonotoneNode(t *testing.T) *Node {
	t.Helper()
	topo, err := TopologyFromSynthetic("pack:2 numa:1 core:8 pu:1")
	if err != nil {
		t.Fatal(err)
	}
	defer topo.Close()
	node, err := NewNode(topo, []byte(restrictedConfig))
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct{ uid, cpu string }{{"pod-x", "7"}, {"pod-b", "3"}} {
		if _, err := node.AdmitAndCommit(guaranteedPod(step.uid, step.cpu)); err != nil {
			t.Fatal(err)
		}
	}
	if err := node.RemovePod("pod-x"); err != nil {
		t.Fatal(err)
	}
	if _, err := node.AdmitAndCommit(guaranteedPod("pod-a", "2")); err != nil {
		t.Fatal(err)
	}
	return node
}

func TestNRT(t *testing.T) {
	node := nonMonotoneNode(t)
	defer node.Close()
	doc, err := node.NRT([]byte(`{"nodeName": "worker-0"}`), false)
	if err != nil {
		t.Fatal(err)
	}
	var nrt struct {
		Kind  string `json:"kind"`
		Zones []struct {
			Name      string `json:"name"`
			Resources []struct {
				Name      string `json:"name"`
				Available string `json:"available"`
			} `json:"resources"`
		} `json:"zones"`
		Attributes []struct{ Name, Value string } `json:"attributes"`
	}
	if err := json.Unmarshal(doc, &nrt); err != nil {
		t.Fatal(err)
	}
	if nrt.Kind != "NodeResourceTopology" || len(nrt.Zones) != 2 {
		t.Fatalf("unexpected object: %s", doc)
	}
	for _, z := range nrt.Zones {
		if len(z.Resources) != 1 || z.Resources[0].Name != "cpu" || z.Resources[0].Available != "5" {
			t.Errorf("zone %s: %+v, want 5 CPUs available", z.Name, z.Resources)
		}
	}
	if nrt.Attributes[0].Value != "pfp0v0017628d51feb3f3a36" {
		t.Errorf("fingerprint %q", nrt.Attributes[0].Value)
	}
	yaml, err := node.NRT([]byte(`{"nodeName": "worker-0"}`), true)
	if err != nil || !strings.HasPrefix(string(yaml), `"apiVersion": "topology.node.k8s.io/v1alpha2"`) {
		t.Errorf("yaml: %v %s", err, yaml)
	}
	_, err = node.NRT([]byte(`{}`), false)
	var perr *Error
	if !errors.As(err, &perr) || perr.Code != InvalidArgument {
		t.Errorf("no nodeName: %v", err)
	}
}

func TestFitReport(t *testing.T) {
	node := nonMonotoneNode(t)
	defer node.Close()
	before, _ := node.State()
	doc, err := node.FitReport(nil)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := node.State()
	if string(before) != string(after) {
		t.Error("the fit report changed the node")
	}
	var report struct {
		Results []struct {
			Policy    string `json:"policy"`
			Resources []struct {
				Name    string `json:"name"`
				Overall struct {
					Largest string `json:"largest"`
				} `json:"overall"`
			} `json:"resources"`
		} `json:"results"`
	}
	if err := json.Unmarshal(doc, &report); err != nil {
		t.Fatal(err)
	}
	cpu := report.Results[0].Resources[0]
	if report.Results[0].Policy != "restricted" || cpu.Name != "cpu" || cpu.Overall.Largest != "10" {
		t.Errorf("want 10 CPUs under restricted, got %s", doc)
	}
}

func TestPodFingerprint(t *testing.T) {
	sig, err := PodFingerprint([]byte(`[{"metadata": {"namespace": "default", "name": "test-pod-0"}}]`))
	if err != nil || sig != "pfp0v001fe53c4dbd2c5f4a0" {
		t.Errorf("got %q, %v", sig, err)
	}
}
