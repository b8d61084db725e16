package podalloc

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// A node of two NUMA nodes with 4 cores each, static CPU policy, single-numa-node.
func newDeviceNode(t *testing.T) *Node {
	topo, err := TopologyFromSynthetic("pack:1 numa:2(memory=16GiB) core:4 pu:2")
	if err != nil {
		t.Fatal(err)
	}
	defer topo.Close()
	node, err := NewNode(topo, []byte(`{"cpuManagerPolicy": "static", "reservedSystemCPUs": "0",
 "topologyManagerPolicy": "single-numa-node"}`))
	if err != nil {
		t.Fatal(err)
	}
	return node
}

// GPUs as the third hint provider: a pod asking for two GPUs lands on the NUMA node that has
// two, its CPUs there too, read typed and in the JSON alike; a second such pod does not fit.
func TestDevicesAlignWithCPUs(t *testing.T) {
	node := newDeviceNode(t)
	defer node.Close()
	if err := node.SetDeviceResource("example.com/gpu", []Device{
		{ID: "gpu-0", Healthy: true, NUMANodes: 1 << 1},
		{ID: "gpu-1", Healthy: true, NUMANodes: 1 << 1},
		{ID: "gpu-2", Healthy: true, NUMANodes: 1 << 0},
	}); err != nil {
		t.Fatal(err)
	}
	gpuPod := func(uid string) *Pod {
		r := Resources{Set: HasCPU | HasMemory, CPUMilli: 2000, MemoryBytes: 1 << 30,
			Other: []Quantity{{Name: "example.com/gpu", Value: 2}}}
		return &Pod{Name: uid, Namespace: "default", UID: uid,
			Containers: []Container{{Name: "train", Requests: r, Limits: r}}}
	}
	d, err := node.AdmitAndCommitPod(gpuPod("first"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if !d.Admitted() {
		t.Fatalf("refused: %v", d)
	}
	placements, err := d.Placements()
	if err != nil {
		t.Fatal(err)
	}
	want := []DeviceAllocation{{Resource: "example.com/gpu", IDs: []string{"gpu-0", "gpu-1"}}}
	if !reflect.DeepEqual(placements[0].Devices, want) {
		t.Fatalf("devices %+v, want %+v", placements[0].Devices, want)
	}
	if placements[0].Hint == nil || placements[0].Hint.Affinity != 1<<1 {
		t.Fatalf("hint %+v, want NUMA node 1", placements[0].Hint)
	}
	raw, _ := d.JSON()
	doc := decode(t, raw)
	if got := doc.Containers[0].Devices["example.com/gpu"]; !reflect.DeepEqual(got, want[0].IDs) {
		t.Fatalf("JSON devices %v", got)
	}

	// Explained first: refused, each provider's hints in the merge.
	why, err := node.Explain([]byte(`{"metadata": {"name": "second", "uid": "second"},
 "spec": {"containers": [{"name": "train", "resources": {"limits":
  {"cpu": "2", "memory": "1Gi", "example.com/gpu": "2"}}}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	var explained struct {
		Decision struct {
			Admitted bool `json:"admitted"`
		} `json:"decision"`
		Merges []struct {
			Providers []struct {
				Name string `json:"name"`
			} `json:"providers"`
		} `json:"merges"`
	}
	if err := json.Unmarshal(why, &explained); err != nil {
		t.Fatal(err)
	}
	if explained.Decision.Admitted || len(explained.Merges) == 0 ||
		explained.Merges[0].Providers[0].Name != "device_manager" {
		t.Fatalf("explanation %s", why)
	}

	second, err := node.AdmitPod(gpuPod("second"))
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	if second.Admitted() {
		t.Fatal("a second two-GPU pod was admitted with one GPU left")
	}
	if reason, _ := second.Reason(); reason == "" {
		t.Fatal("refused without a reason")
	}

	if err := node.RemoveDeviceResource("example.com/gpu"); err != nil {
		t.Fatal(err)
	}
	if err := node.RemoveDeviceResource("example.com/gpu"); err == nil {
		t.Fatal("removing an unknown resource succeeded")
	}
	if err := node.SetDeviceResource("cpu", []Device{{ID: "x", Healthy: true}}); err == nil {
		t.Fatal("registering cpu as a device resource succeeded")
	}
}

// A device plugin's GetPreferredAllocation as a Go function: of three FPGAs on one NUMA node,
// a one-FPGA pod gets the one the plugin prefers; an error refuses the pod; unset, ascending
// IDs again.
func TestDevicePreferredAllocation(t *testing.T) {
	node := newDeviceNode(t)
	defer node.Close()
	const fpga = "example.com/fpga"
	prefer := func(resource string, available, must []string, size int) ([]string, error) {
		if resource != fpga || size != 1 || len(must) != 0 {
			t.Errorf("asked for %q, %d, must %v", resource, size, must)
		}
		if !reflect.DeepEqual(available, []string{"fpga-0", "fpga-1", "fpga-2"}) {
			t.Errorf("offered %v", available)
		}
		return []string{"not-offered", available[len(available)-1]}, nil
	}
	if err := node.SetDevicePreferredAllocation(fpga, prefer); err == nil {
		t.Fatal("a function for an unregistered resource was taken")
	}
	if err := node.SetDeviceResource(fpga, []Device{
		{ID: "fpga-0", Healthy: true, NUMANodes: 1 << 1},
		{ID: "fpga-1", Healthy: true, NUMANodes: 1 << 1},
		{ID: "fpga-2", Healthy: true, NUMANodes: 1 << 1},
	}); err != nil {
		t.Fatal(err)
	}
	r := Resources{Set: HasCPU | HasMemory, CPUMilli: 2000, MemoryBytes: 1 << 30,
		Other: []Quantity{{Name: fpga, Value: 1}}}
	pod := &Pod{Name: "p", Namespace: "default", UID: "p",
		Containers: []Container{{Name: "c", Requests: r, Limits: r}}}
	devicesOf := func() ([]DeviceAllocation, bool, string) {
		d, err := node.AdmitPod(pod)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		reason, message := d.Reason()
		if !d.Admitted() {
			return nil, false, reason + ": " + message
		}
		placements, err := d.Placements()
		if err != nil {
			t.Fatal(err)
		}
		return placements[0].Devices, true, ""
	}
	if err := node.SetDevicePreferredAllocation(fpga, prefer); err != nil {
		t.Fatal(err)
	}
	if got, ok, why := devicesOf(); !ok || !reflect.DeepEqual(got[0].IDs, []string{"fpga-2"}) {
		t.Fatalf("devices %+v (%s), want fpga-2", got, why)
	}
	failing := func(string, []string, []string, int) ([]string, error) {
		return nil, errors.New("plugin gone")
	}
	if err := node.SetDevicePreferredAllocation(fpga, failing); err != nil {
		t.Fatal(err)
	}
	if _, ok, why := devicesOf(); ok || !strings.Contains(why, "UnexpectedAdmissionError") ||
		!strings.Contains(why, `returned 1: "plugin gone"`) {
		t.Fatalf("admitted (or refused for %q) although the plugin failed", why)
	}
	if err := node.SetDevicePreferredAllocation(fpga, nil); err != nil {
		t.Fatal(err)
	}
	if got, ok, why := devicesOf(); !ok || !reflect.DeepEqual(got[0].IDs, []string{"fpga-0"}) {
		t.Fatalf("devices %+v (%s), want fpga-0", got, why)
	}
	if err := node.RemoveDeviceResource(fpga); err != nil {
		t.Fatal(err)
	}
}
