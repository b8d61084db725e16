package podalloc

/*
#include <stdlib.h>
#include <string.h>
#include <podalloc/podalloc.h>
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// ContainerKind says where a container sits in the pod spec.
type ContainerKind int32

const (
	AppContainer       ContainerKind = C.PODALLOC_CONTAINER_KIND_APP       // spec.containers
	InitContainer      ContainerKind = C.PODALLOC_CONTAINER_KIND_INIT      // spec.initContainers
	SidecarContainer   ContainerKind = C.PODALLOC_CONTAINER_KIND_SIDECAR   // restartable init container
	EphemeralContainer ContainerKind = C.PODALLOC_CONTAINER_KIND_EPHEMERAL // spec.ephemeralContainers
)

// RestartPolicy is a container's restartPolicy; RestartUnset when absent.
type RestartPolicy int32

const (
	RestartUnset     RestartPolicy = C.PODALLOC_RESTART_UNSET
	RestartAlways    RestartPolicy = C.PODALLOC_RESTART_ALWAYS
	RestartOnFailure RestartPolicy = C.PODALLOC_RESTART_ON_FAILURE
	RestartNever     RestartPolicy = C.PODALLOC_RESTART_NEVER
)

// ResourceSet says which of cpu, memory and ephemeral-storage a Resources holds (an absent
// resource is not a zero: absent requests are defaulted from limits).
type ResourceSet uint32

const (
	HasCPU              ResourceSet = C.PODALLOC_RESOURCE_CPU
	HasMemory           ResourceSet = C.PODALLOC_RESOURCE_MEMORY
	HasEphemeralStorage ResourceSet = C.PODALLOC_RESOURCE_EPHEMERAL_STORAGE
)

// Quantity is a named resource beyond cpu, memory and ephemeral-storage: hugepages-<size> in
// bytes, an extended resource in whole units.
type Quantity struct {
	Name  string
	Value int64
}

// Resources is a v1.ResourceList in integers.
type Resources struct {
	Set                   ResourceSet
	CPUMilli              int64
	MemoryBytes           int64
	EphemeralStorageBytes int64
	Other                 []Quantity
}

// ResizePolicy is one entry of a container's resizePolicy.
type ResizePolicy struct {
	Resource         string // "cpu", "memory"
	RestartContainer bool   // RestartContainer rather than NotRequired
}

// Container is the resource-relevant part of a v1.Container.
type Container struct {
	Name          string
	Kind          ContainerKind
	RestartPolicy RestartPolicy
	Requests      Resources
	Limits        Resources
	ResizePolicy  []ResizePolicy
}

// Pod is the resource-relevant part of a v1.Pod: what Node.AdmitPod reads, with the same
// defaulting and validation as the JSON of Node.Admit. Containers of each kind keep their
// order (init containers and sidecars in start order).
type Pod struct {
	Name, Namespace, UID string
	Containers           []Container
	Overhead             Resources
	// Pod-level resources (spec.resources); nil when absent.
	PodRequests, PodLimits *Resources
	Priority               *int32
	ConfigSource           *string // annotation kubernetes.io/config.source
	Mirror                 bool    // annotation kubernetes.io/config.mirror
}

// cPod lays a Pod out in one C allocation, since C may not keep or read Go pointers held in
// Go memory: the structs first (8-byte aligned), then every string's bytes.
type cPod struct {
	base unsafe.Pointer
	off  uintptr
	size uintptr
}

func (a *cPod) alloc(n uintptr) unsafe.Pointer {
	p := unsafe.Add(a.base, a.off)
	a.off += (n + 7) &^ 7
	return p
}

func (a *cPod) text(s string) C.podalloc_text {
	if len(s) == 0 {
		return C.podalloc_text{}
	}
	p := a.alloc(uintptr(len(s)))
	copy(unsafe.Slice((*byte)(p), len(s)), s)
	return C.podalloc_text{data: (*C.char)(p), size: C.size_t(len(s))}
}

func align(n uintptr) uintptr { return (n + 7) &^ 7 }

func resourcesSize(r *Resources) uintptr {
	n := align(uintptr(len(r.Other)) * unsafe.Sizeof(C.podalloc_named_quantity{}))
	for _, q := range r.Other {
		n += align(uintptr(len(q.Name)))
	}
	return n
}

func (a *cPod) resources(r *Resources) C.podalloc_resources {
	out := C.podalloc_resources{
		present:                 C.uint32_t(r.Set),
		cpu_milli:               C.int64_t(r.CPUMilli),
		memory_bytes:            C.int64_t(r.MemoryBytes),
		ephemeral_storage_bytes: C.int64_t(r.EphemeralStorageBytes),
	}
	if len(r.Other) > 0 {
		qs := unsafe.Slice((*C.podalloc_named_quantity)(a.alloc(uintptr(len(r.Other))*unsafe.Sizeof(C.podalloc_named_quantity{}))), len(r.Other))
		for i, q := range r.Other {
			qs[i] = C.podalloc_named_quantity{name: a.text(q.Name), value: C.int64_t(q.Value)}
		}
		out.other = &qs[0]
		out.other_count = C.size_t(len(r.Other))
	}
	return out
}

func newCPod(p *Pod) *cPod {
	size := align(unsafe.Sizeof(C.podalloc_pod{})) +
		align(uintptr(len(p.Containers))*unsafe.Sizeof(C.podalloc_container{})) +
		align(uintptr(len(p.Name))) + align(uintptr(len(p.Namespace))) + align(uintptr(len(p.UID))) +
		resourcesSize(&p.Overhead)
	for i := range p.Containers {
		c := &p.Containers[i]
		size += align(uintptr(len(c.Name))) + resourcesSize(&c.Requests) + resourcesSize(&c.Limits) +
			align(uintptr(len(c.ResizePolicy))*unsafe.Sizeof(C.podalloc_resize_policy{}))
		for _, r := range c.ResizePolicy {
			size += align(uintptr(len(r.Resource)))
		}
	}
	if p.PodRequests != nil {
		size += resourcesSize(p.PodRequests)
	}
	if p.PodLimits != nil {
		size += resourcesSize(p.PodLimits)
	}
	if p.ConfigSource != nil {
		size += align(uintptr(len(*p.ConfigSource)))
	}
	a := &cPod{base: C.malloc(C.size_t(size)), size: size}
	if a.base == nil {
		panic("podalloc: out of memory")
	}
	cp := (*C.podalloc_pod)(a.alloc(unsafe.Sizeof(C.podalloc_pod{})))
	*cp = C.podalloc_pod{struct_size: C.uint32_t(unsafe.Sizeof(C.podalloc_pod{}))}
	var containers []C.podalloc_container
	if len(p.Containers) > 0 {
		containers = unsafe.Slice((*C.podalloc_container)(a.alloc(uintptr(len(p.Containers))*unsafe.Sizeof(C.podalloc_container{}))), len(p.Containers))
	}
	cp.name = a.text(p.Name)
	cp.namespace_name = a.text(p.Namespace)
	cp.uid = a.text(p.UID)
	for i := range p.Containers {
		c := &p.Containers[i]
		cc := C.podalloc_container{
			struct_size:    C.uint32_t(unsafe.Sizeof(C.podalloc_container{})),
			kind:           C.int32_t(c.Kind),
			restart_policy: C.int32_t(c.RestartPolicy),
			name:           a.text(c.Name),
			requests:       a.resources(&c.Requests),
			limits:         a.resources(&c.Limits),
		}
		if len(c.ResizePolicy) > 0 {
			rs := unsafe.Slice((*C.podalloc_resize_policy)(a.alloc(uintptr(len(c.ResizePolicy))*unsafe.Sizeof(C.podalloc_resize_policy{}))), len(c.ResizePolicy))
			for j, r := range c.ResizePolicy {
				rs[j] = C.podalloc_resize_policy{resource_name: a.text(r.Resource), restart: C.PODALLOC_RESIZE_NOT_REQUIRED}
				if r.RestartContainer {
					rs[j].restart = C.PODALLOC_RESIZE_RESTART_CONTAINER
				}
			}
			cc.resize_policy = &rs[0]
			cc.resize_policy_count = C.size_t(len(rs))
		}
		containers[i] = cc
	}
	if len(containers) > 0 {
		cp.containers = &containers[0]
		cp.container_count = C.size_t(len(containers))
	}
	cp.overhead = a.resources(&p.Overhead)
	if p.PodRequests != nil || p.PodLimits != nil {
		cp.flags |= C.PODALLOC_POD_RESOURCES
		if p.PodRequests != nil {
			cp.requests = a.resources(p.PodRequests)
		}
		if p.PodLimits != nil {
			cp.limits = a.resources(p.PodLimits)
		}
	}
	if p.Priority != nil {
		cp.flags |= C.PODALLOC_POD_PRIORITY
		cp.priority = C.int32_t(*p.Priority)
	}
	if p.ConfigSource != nil {
		cp.flags |= C.PODALLOC_POD_CONFIG_SOURCE
		cp.config_source = a.text(*p.ConfigSource)
	}
	if p.Mirror {
		cp.flags |= C.PODALLOC_POD_MIRROR
	}
	return a
}

func (a *cPod) pod() *C.podalloc_pod { return (*C.podalloc_pod)(a.base) }
func (a *cPod) free()                { C.free(a.base) }

// AdmitPod plans the admission of a typed pod without changing the node: the same decision as
// Admit with the pod's JSON, without JSON on either side.
func (n *Node) AdmitPod(p *Pod) (*Decision, error) { return n.admitTyped(p, false) }

// AdmitAndCommitPod admits a typed pod and commits it in one step under the node's lock.
func (n *Node) AdmitAndCommitPod(p *Pod) (*Decision, error) { return n.admitTyped(p, true) }

func (n *Node) admitTyped(p *Pod, commit bool) (*Decision, error) {
	a := newCPod(p)
	defer a.free()
	var h *C.podalloc_decision
	err := call(func(e **C.podalloc_error) C.podalloc_status {
		if commit {
			return C.podalloc_node_admit_and_commit_typed(&h, n.h, a.pod(), e)
		}
		return C.podalloc_node_admit_typed(&h, n.h, a.pod(), e)
	})
	runtime.KeepAlive(n)
	if err != nil {
		return nil, err
	}
	return newDecision(h), nil
}

// Isolation says which CPUs a container shares.
type Isolation int32

const (
	IsolationHost      Isolation = C.PODALLOC_ISOLATION_HOST      // the node's shared pool
	IsolationPod       Isolation = C.PODALLOC_ISOLATION_POD       // the pod's shared pool
	IsolationContainer Isolation = C.PODALLOC_ISOLATION_CONTAINER // exclusive CPUs
)

// Placement is where one container of a decision runs, read without JSON.
type Placement struct {
	Name             string
	Kind             ContainerKind
	Isolation        Isolation
	ExclusiveCPUs    bool
	CPUQuotaDisabled bool
	CPUs             CPUSet // cpuset.cpus
	MemoryNodes      uint64 // cpuset.mems: bit n = NUMA node n; 0 = not pinned
	Hint             *Hint  // the topology manager's hint; nil under policy none
	// Exclusive memory of the Static memory manager, one block per resource.
	MemoryBlocks []MemoryBlock
	// Devices per device-plugin resource, resources in name order, IDs ascending.
	Devices []DeviceAllocation
}

// DeviceAllocation is the devices a container holds of one device-plugin resource.
type DeviceAllocation struct {
	Resource string
	IDs      []string
}

// MemoryBlock is one block of a container's exclusive memory.
type MemoryBlock struct {
	HugepageSizeBytes uint64 // 0 for "memory", else the page size of hugepages-<size>
	SizeBytes         uint64
	NUMANodes         uint64 // bit n = NUMA node n
}

// Reason is the kubelet's reason and message for a refused pod ("" when admitted).
func (d *Decision) Reason() (reason, message string) {
	var r, m C.podalloc_text
	C.podalloc_decision_reason(d.h, &r, &m)
	reason = C.GoStringN(r.data, C.int(r.size))
	message = C.GoStringN(m.data, C.int(m.size))
	runtime.KeepAlive(d)
	return reason, message
}

// Placements reads every container's placement (init, sidecars, app, ephemeral).
func (d *Decision) Placements() ([]Placement, error) {
	defer runtime.KeepAlive(d)
	n := int(C.podalloc_decision_container_count(d.h))
	out := make([]Placement, n)
	for i := range out {
		var p C.podalloc_container_placement
		p.struct_size = C.uint32_t(unsafe.Sizeof(p))
		if err := call(func(e **C.podalloc_error) C.podalloc_status {
			return C.podalloc_decision_container(&p, d.h, C.size_t(i), e)
		}); err != nil {
			return nil, err
		}
		words := 0
		if p.max_cpu >= 0 {
			words = int(p.max_cpu)/64 + 1
		}
		cpus := make(CPUSet, words)
		if err := call(func(e **C.podalloc_error) C.podalloc_status {
			return C.podalloc_decision_container_cpus(cpus.ptr(), C.size_t(words), d.h, C.size_t(i), e)
		}); err != nil {
			return nil, err
		}
		flags := uint32(p.flags)
		out[i] = Placement{
			Name:             C.GoStringN(p.name.data, C.int(p.name.size)),
			Kind:             ContainerKind(p.kind),
			Isolation:        Isolation(p.isolation),
			ExclusiveCPUs:    flags&C.PODALLOC_PLACEMENT_EXCLUSIVE_CPUS != 0,
			CPUQuotaDisabled: flags&C.PODALLOC_PLACEMENT_CPU_QUOTA_DISABLED != 0,
			CPUs:             cpus,
			MemoryNodes:      uint64(p.memory_nodes),
		}
		if flags&C.PODALLOC_PLACEMENT_HINT != 0 {
			out[i].Hint = &Hint{Affinity: uint64(p.hint_numa_nodes),
				Preferred: flags&C.PODALLOC_PLACEMENT_HINT_PREFERRED != 0,
				AnyNUMA:   p.hint_numa_nodes == 0}
		}
		for b := 0; b < int(p.memory_block_count); b++ {
			var m C.podalloc_memory_block
			m.struct_size = C.uint32_t(unsafe.Sizeof(m))
			if err := call(func(e **C.podalloc_error) C.podalloc_status {
				return C.podalloc_decision_memory_block(&m, d.h, C.size_t(i), C.size_t(b), e)
			}); err != nil {
				return nil, err
			}
			out[i].MemoryBlocks = append(out[i].MemoryBlocks, MemoryBlock{
				HugepageSizeBytes: uint64(m.hugepage_size_bytes),
				SizeBytes:         uint64(m.size_bytes), NUMANodes: uint64(m.numa_nodes)})
		}
		for r := 0; r < int(p.device_resource_count); r++ {
			var res C.podalloc_device_resource
			res.struct_size = C.uint32_t(unsafe.Sizeof(res))
			if err := call(func(e **C.podalloc_error) C.podalloc_status {
				return C.podalloc_decision_device_resource(&res, d.h, C.size_t(i), C.size_t(r), e)
			}); err != nil {
				return nil, err
			}
			a := DeviceAllocation{Resource: C.GoStringN(res.name.data, C.int(res.name.size))}
			for k := 0; k < int(res.device_count); k++ {
				var id C.podalloc_text
				if err := call(func(e **C.podalloc_error) C.podalloc_status {
					return C.podalloc_decision_device_id(&id, d.h, C.size_t(i), C.size_t(r), C.size_t(k), e)
				}); err != nil {
					return nil, err
				}
				a.IDs = append(a.IDs, C.GoStringN(id.data, C.int(id.size)))
			}
			out[i].Devices = append(out[i].Devices, a)
		}
	}
	return out, nil
}
