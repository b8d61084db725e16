package podalloc

// #include <stdlib.h>
// #include <podalloc/podalloc.h>
import "C"

import (
	"runtime"
	"unsafe"
)

// Device is one device of a device plugin (pluginapi.Device).
type Device struct {
	ID      string
	Healthy bool
	// NUMANodes: bit n = NUMA node n; 0 = no NUMA info (the plugin gives no TopologyInfo).
	NUMANodes uint64
}

// SetDeviceResource registers (or re-registers) a device plugin's resource with its full
// device list, as the kubelet's device manager takes ListAndWatch: the device manager becomes
// the first topology hint provider and healthy devices count in the node's allocatable.
func (n *Node) SetDeviceResource(resource string, devices []Device) error {
	r := []byte(resource)
	rp, rl := text(r)
	// The array and the IDs are laid out in C memory: cgo forbids C from reading Go
	// pointers held in Go memory.
	size := C.size_t(unsafe.Sizeof(C.podalloc_device{}))
	total := size * C.size_t(len(devices))
	for _, d := range devices {
		total += C.size_t(len(d.ID))
	}
	var block unsafe.Pointer
	if total > 0 {
		block = C.malloc(total)
		defer C.free(block)
	}
	arr := unsafe.Slice((*C.podalloc_device)(block), len(devices))
	ids := unsafe.Add(block, uintptr(size)*uintptr(len(devices)))
	for i, d := range devices {
		var c C.podalloc_device
		c.struct_size = C.uint32_t(size)
		if d.Healthy {
			c.flags |= C.PODALLOC_DEVICE_HEALTHY
		}
		if d.NUMANodes != 0 {
			c.flags |= C.PODALLOC_DEVICE_NUMA
			c.numa_nodes = C.uint64_t(d.NUMANodes)
		}
		if len(d.ID) > 0 {
			copy(unsafe.Slice((*byte)(ids), len(d.ID)), d.ID)
			c.id.data = (*C.char)(ids)
			c.id.size = C.size_t(len(d.ID))
			ids = unsafe.Add(ids, len(d.ID))
		}
		arr[i] = c
	}
	var first *C.podalloc_device
	if len(devices) > 0 {
		first = &arr[0]
	}
	err := call(func(e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_node_set_device_resource(n.h, rp, rl, first, C.size_t(len(devices)), e)
	})
	runtime.KeepAlive(n)
	runtime.KeepAlive(r)
	return err
}

// RemoveDeviceResource forgets a resource whose device plugin is gone; containers keep the
// devices they hold.
func (n *Node) RemoveDeviceResource(resource string) error {
	r := []byte(resource)
	rp, rl := text(r)
	err := call(func(e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_node_remove_device_resource(n.h, rp, rl, e)
	})
	runtime.KeepAlive(n)
	runtime.KeepAlive(r)
	if err == nil {
		n.dropPreferred(resource, false)
	}
	return err
}
