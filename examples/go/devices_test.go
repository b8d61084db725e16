package podalloc

import (
	"reflect"
	"testing"
)

// GPUs as the third hint provider: a pod asking for two GPUs lands on the NUMA node that has
// two, its CPUs there too, read typed and in the JSON alike; a second such pod does not fit.
func TestDevicesAlignWithCPUs(t *testing.T) {
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
