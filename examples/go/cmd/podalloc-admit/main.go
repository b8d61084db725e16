// Command podalloc-admit admits one pod on a machine through the Go binding and prints the
// decision as JSON.
//
//	podalloc-admit [-machine "pack:1 numa:2(memory=16GiB) core:4 pu:2"] [-config kubelet.json] [pod.json]
//
// Without a pod file it admits the KEP-5526 example pod (a 4-CPU budget, one container with
// 2 exclusive CPUs, two sharing the rest) under the static CPU manager and pod scope.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"example.com/podalloc"
)

const defaultConfig = `{"cpuManagerPolicy": "static", "reservedSystemCPUs": "0",
 "topologyManagerPolicy": "single-numa-node", "topologyManagerScope": "pod",
 "featureGates": {"PodLevelResourceManagers": true}}`

const defaultPod = `{"metadata": {"name": "kep-5526", "namespace": "default", "uid": "pod-1"},
 "spec": {"resources": {"requests": {"cpu": "4", "memory": "4Gi"}, "limits": {"cpu": "4", "memory": "4Gi"}},
  "containers": [
   {"name": "container-1", "resources": {"requests": {"cpu": "2", "memory": "2Gi"}, "limits": {"cpu": "2", "memory": "2Gi"}}},
   {"name": "container-2"}, {"name": "container-3"}]}}`

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
	config, pod := []byte(defaultConfig), []byte(defaultPod)
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
	decision, err := node.AdmitAndCommit(pod)
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
