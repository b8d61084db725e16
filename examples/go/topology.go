package podalloc

/*
#include <podalloc/podalloc.h>
*/
import "C"

import "runtime"

// Topology is a machine: CPUs with their core, socket, NUMA node and uncore cache, and NUMA
// nodes with memory and distances. Immutable; safe for concurrent use.
type Topology struct {
	h *C.podalloc_topology
}

func newTopology(build func(out **C.podalloc_topology, err **C.podalloc_error) C.podalloc_status) (*Topology, error) {
	var h *C.podalloc_topology
	if err := call(func(e **C.podalloc_error) C.podalloc_status { return build(&h, e) }); err != nil {
		return nil, err
	}
	t := &Topology{h: h}
	runtime.SetFinalizer(t, (*Topology).Close)
	return t, nil
}

// DiscoverTopology reads this machine through hwloc.
func DiscoverTopology() (*Topology, error) {
	return newTopology(func(out **C.podalloc_topology, e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_topology_discover(out, e)
	})
}

// TopologyFromSynthetic builds a machine from an hwloc synthetic description, e.g.
// "pack:2 numa:2 core:8 pu:2".
func TopologyFromSynthetic(description string) (*Topology, error) {
	return fromText([]byte(description), func(out **C.podalloc_topology, p *C.char, n C.size_t, e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_topology_from_synthetic(out, p, n, e)
	})
}

// TopologyFromJSON reads the "podalloc.topology/v1" document or a kubelet test-topology record.
func TopologyFromJSON(doc []byte) (*Topology, error) {
	return fromText(doc, func(out **C.podalloc_topology, p *C.char, n C.size_t, e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_topology_from_json(out, p, n, e)
	})
}

// TopologyFromXMLFile reads an hwloc XML export.
func TopologyFromXMLFile(path string) (*Topology, error) {
	return fromText([]byte(path), func(out **C.podalloc_topology, p *C.char, n C.size_t, e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_topology_from_xml_file(out, p, n, e)
	})
}

// TopologyFromSysfs reads Linux sysfs below root ("/" for this machine).
func TopologyFromSysfs(root string) (*Topology, error) {
	return fromText([]byte(root), func(out **C.podalloc_topology, p *C.char, n C.size_t, e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_topology_from_sysfs(out, p, n, e)
	})
}

func fromText(b []byte, build func(**C.podalloc_topology, *C.char, C.size_t, **C.podalloc_error) C.podalloc_status) (*Topology, error) {
	p, n := text(b)
	t, err := newTopology(func(out **C.podalloc_topology, e **C.podalloc_error) C.podalloc_status {
		return build(out, p, n, e)
	})
	runtime.KeepAlive(b)
	return t, err
}

// Close releases the topology; later calls on it fail. Safe to call twice.
func (t *Topology) Close() {
	if t.h != nil {
		C.podalloc_topology_destroy(t.h)
		t.h = nil
		runtime.SetFinalizer(t, nil)
	}
}

// JSON is the topology's "podalloc.topology/v1" document.
func (t *Topology) JSON() ([]byte, error) {
	var buf C.podalloc_buffer
	err := call(func(e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_topology_to_json(&buf, t.h, e)
	})
	runtime.KeepAlive(t)
	if err != nil {
		return nil, err
	}
	return takeBuffer(&buf), nil
}

// Name is the topology's free-text name.
func (t *Topology) Name() string {
	defer runtime.KeepAlive(t)
	return C.GoString(C.podalloc_topology_name(t.h))
}

// NumCPUs, NumCores, NumSockets and NumNUMANodes are the kubelet's CPUTopology counts.
func (t *Topology) NumCPUs() int {
	defer runtime.KeepAlive(t)
	return int(C.podalloc_topology_num_cpus(t.h))
}

func (t *Topology) NumCores() int {
	defer runtime.KeepAlive(t)
	return int(C.podalloc_topology_num_cores(t.h))
}

func (t *Topology) NumSockets() int {
	defer runtime.KeepAlive(t)
	return int(C.podalloc_topology_num_sockets(t.h))
}

func (t *Topology) NumNUMANodes() int {
	defer runtime.KeepAlive(t)
	return int(C.podalloc_topology_num_numa_nodes(t.h))
}

// CPUs is the set of the topology's online CPUs.
func (t *Topology) CPUs() (CPUSet, error) {
	defer runtime.KeepAlive(t)
	set := make(CPUSet, t.words())
	err := call(func(e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_topology_cpus(set.ptr(), C.size_t(len(set)), t.h, e)
	})
	return set, err
}

// words is the mask length that holds every CPU of the topology (at least 1).
func (t *Topology) words() int { return int(C.podalloc_topology_cpuset_words(t.h)) + 1 }
