package podalloc

/*
#include <stdint.h>
#include <stdlib.h>
#include <podalloc/podalloc.h>

// Declared as _cgo_export.h declares it (without const); the library calls it through the
// typedef, whose pointer parameters are const.
extern int podallocGoPreferredAllocation(void*, podalloc_text, podalloc_text*, size_t,
                                         podalloc_text*, size_t, size_t, size_t*, size_t,
                                         size_t*, char*, size_t);

static podalloc_preferred_allocation_fn podalloc_go_preferred_fn(void) {
  return (podalloc_preferred_allocation_fn)podallocGoPreferredAllocation;
}
*/
import "C"

import (
	"runtime"
	"runtime/cgo"
	"unsafe"
)

// PreferredAllocation is a device plugin's GetPreferredAllocation: among available (ascending
// IDs, mustInclude among them), the IDs the plugin prefers for a container that needs size
// devices of resource. IDs outside available are ignored; an error (or a panic) refuses the
// pod with UnexpectedAdmissionError, its text in the pod's message. It runs during admissions, possibly on several goroutines
// at once, and must not call into the same Node.
type PreferredAllocation func(resource string, available, mustInclude []string, size int) ([]string, error)

// preferredHook keeps a registered function alive: its handle, in C memory the library holds.
type preferredHook struct {
	handle cgo.Handle
	cell   unsafe.Pointer // a C uintptr_t holding handle
}

func (h *preferredHook) free() {
	h.handle.Delete()
	C.free(h.cell)
}

// SetDevicePreferredAllocation gives the resource's device plugin a GetPreferredAllocation (nil
// removes it). The node asks it when a container can take more devices than it needs, as the
// kubelet asks plugins registered with GetPreferredAllocationAvailable. It is kept when the
// devices are listed again (SetDeviceResource) and dropped by RemoveDeviceResource.
func (n *Node) SetDevicePreferredAllocation(resource string, fn PreferredAllocation) error {
	r := []byte(resource)
	rp, rl := text(r)
	var hook *preferredHook
	var cfn C.podalloc_preferred_allocation_fn
	var user unsafe.Pointer
	if fn != nil {
		hook = &preferredHook{handle: cgo.NewHandle(fn), cell: C.malloc(C.sizeof_uintptr_t)}
		*(*C.uintptr_t)(hook.cell) = C.uintptr_t(hook.handle)
		cfn = C.podalloc_go_preferred_fn()
		user = hook.cell
	}
	err := call(func(e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_node_set_device_preferred_allocation(n.h, rp, rl, cfn, user, e)
	})
	runtime.KeepAlive(r)
	n.hooks.Lock()
	defer n.hooks.Unlock()
	if err != nil {
		if hook != nil {
			hook.free()
		}
		return err
	}
	// The library holds the new function now; the one it replaced is no longer called.
	if old, ok := n.hooks.byResource[resource]; ok {
		old.free()
		delete(n.hooks.byResource, resource)
	}
	if hook != nil {
		if n.hooks.byResource == nil {
			n.hooks.byResource = map[string]*preferredHook{}
		}
		n.hooks.byResource[resource] = hook
	}
	return nil
}

// dropPreferred frees the function of a resource the library forgot (or of every resource,
// for a node being closed).
func (n *Node) dropPreferred(resource string, all bool) {
	n.hooks.Lock()
	defer n.hooks.Unlock()
	for r, hook := range n.hooks.byResource {
		if all || r == resource {
			hook.free()
			delete(n.hooks.byResource, r)
		}
	}
}
