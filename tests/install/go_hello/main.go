// A program outside the podalloc source tree that uses the installed Go binding: it admits
// one Guaranteed pod of 2 CPUs and prints the container's CPUs and memory NUMA nodes.
package main

import (
	"fmt"
	"os"

	"podalloc.dev/podalloc"
)

func main() {
	topology, err := podalloc.TopologyFromSynthetic("pack:1 numa:2(memory=8GiB) core:4 pu:2")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer topology.Close()
	node, err := podalloc.NewNode(topology, []byte(`{"cpuManagerPolicy": "static", "reservedSystemCPUs": "0"}`))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer node.Close()
	two := podalloc.Resources{Set: podalloc.HasCPU | podalloc.HasMemory, CPUMilli: 2000, MemoryBytes: 1 << 30}
	pod := &podalloc.Pod{Name: "hello", Namespace: "default", UID: "hello-1",
		Containers: []podalloc.Container{{Name: "app", Requests: two, Limits: two}}}
	d, err := node.AdmitPod(pod)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer d.Close()
	placements, err := d.Placements()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, p := range placements {
		fmt.Printf("admitted=%v container=%s cpus=%s\n", d.Admitted(), p.Name, p.CPUs)
	}
}
