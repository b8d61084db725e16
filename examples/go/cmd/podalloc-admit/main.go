// Command podalloc-admit admits one pod on a machine through the Go binding and prints the
// decision as JSON.
//
//	podalloc-admit [-machine "pack:1 numa:2(memory=16GiB) core:4 pu:2"] [-config kubelet.json] [pod.json]
//
// Without a pod file it admits the KEP-5526 example pod (a 4-CPU budget, one container with
// 2 exclusive CPUs, two sharing the rest) under the static CPU manager and pod scope, given as
// a typed podalloc.Pod (no JSON in); a pod file is admitted as JSON.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"podalloc.dev/podalloc"
)

const defaultConfig = `{"cpuManagerPolicy": "static", "reservedSystemCPUs": "0",
 "topologyManagerPolicy": "single-numa-node", "topologyManagerScope": "pod",
 "featureGates": {"PodLevelResourceManagers": true}}`

// The KEP-5526 example pod as typed data.
func defaultPod() *podalloc.Pod {
	budget := podalloc.Resources{Set: podalloc.HasCPU | podalloc.HasMemory, CPUMilli: 4000, MemoryBytes: 4 << 30}
	own := podalloc.Resources{Set: podalloc.HasCPU | podalloc.HasMemory, CPUMilli: 2000, MemoryBytes: 2 << 30}
	return &podalloc.Pod{Name: "kep-5526", Namespace: "default", UID: "pod-1",
		PodRequests: &budget, PodLimits: &budget,
		Containers: []podalloc.Container{
			{Name: "container-1", Requests: own, Limits: own},
			{Name: "container-2"}, {Name: "container-3"}}}
}

func main() {
	machine := flag.String("machine", "pack:1 numa:2(memory=16GiB) core:4 pu:2", "hwloc synthetic description")
	configFile := flag.String("config", "", "KubeletConfiguration JSON file")
	flag.Parse()
	if err := run(*machine, *configFile, flag.Arg(0)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(machine, configFile, podFile string) error {
	config := []byte(defaultConfig)
	var pod []byte
	var err error
	if configFile != "" {
		if config, err = os.ReadFile(configFile); err != nil {
			return err
		}
	}
	if podFile != "" {
		if pod, err = os.ReadFile(podFile); err != nil {
			return err
		}
	}
	topology, err := podalloc.TopologyFromSynthetic(machine)
	if err != nil {
		return err
	}
	defer topology.Close()
	node, err := podalloc.NewNode(topology, config)
	if err != nil {
		return err
	}
	defer node.Close()
	var decision []byte
	if pod != nil {
		decision, err = node.AdmitAndCommit(pod)
	} else {
		var d *podalloc.Decision
		if d, err = node.AdmitAndCommitPod(defaultPod()); err == nil {
			decision, err = d.JSON()
			d.Close()
		}
	}
	if err != nil {
		return err
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, decision, "", "  "); err != nil {
		return err
	}
	fmt.Printf("podalloc %s\n%s\n", podalloc.Version(), pretty.String())
	return nil
}
