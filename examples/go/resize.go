package podalloc

/*
#include <stdlib.h>
#include <podalloc/podalloc.h>
*/
import "C"

import (
	"encoding/json"
	"fmt"
	"runtime"
	"unsafe"
)

// ResizeOptions tune Node.Resize; the zero value resizes for real, as a regular pod, with
// memory usage unknown.
type ResizeOptions struct {
	// CheckOnly previews the resize: the same answer and plan, and the node is not changed.
	CheckOnly bool
	// StaticPod marks a static (config-file) pod, which is never resized in place.
	StaticPod bool
	// Usage is the current memory usage (memory.current); nil when unknown. With it, a
	// memory limit at or below usage refuses the plan.
	Usage *ResizeUsage
}

// ResizeUsage is current memory usage in bytes.
type ResizeUsage struct {
	Pod        *int64           `json:"pod,omitempty"`
	Containers map[string]int64 `json:"containers,omitempty"`
}

// Resize outcomes (ResizeDecision.Reason).
const (
	ResizeInfeasible = "Infeasible" // never fits this node
	ResizeDeferred   = "Deferred"   // does not fit beside the other pods now
)

// ResizeDecision is the answer of Node.Resize. A resize that is not feasible is an answer,
// not an error: Feasible is false and Reason says Infeasible or Deferred.
type ResizeDecision struct {
	Pod struct {
		UID string `json:"uid"`
	} `json:"pod"`
	Feasible bool   `json:"feasible"`
	Reason   string `json:"reason"`  // "", ResizeInfeasible or ResizeDeferred
	Message  string `json:"message"` // the PodResizePending condition message
	// ReasonDetail labels kubelet_pod_infeasible_resizes_total, e.g. "static_pod".
	ReasonDetail string `json:"reason_detail"`
	// Applied: the pod's allocation took the new resources.
	Applied bool `json:"applied"`
	Plan    struct {
		// Refused: a memory limit at or below usage; Writes is then empty.
		Refused bool   `json:"refused"`
		Refusal string `json:"refusal"`
		// Writes in the order they must be applied.
		Writes []CgroupWrite `json:"writes"`
	} `json:"plan"`
	// RestartedContainers are restarted by their resizePolicy; they have no writes.
	RestartedContainers []string `json:"restarted_containers"`
	BaseVersion         uint64   `json:"base_version"`
}

// CgroupWrite is one cgroup v2 file write. Cgroup is relative to the pod cgroup: "" for the
// pod cgroup itself, else a container's name.
type CgroupWrite struct {
	Cgroup string `json:"cgroup"`
	File   string `json:"file"`
	Value  string `json:"value"`
}

// Resize resizes an admitted pod in place: pod is the admitted Kubernetes v1 Pod (JSON)
// with new container-level and/or pod-level resources. Errors: NotFound for a pod the node
// has not admitted, InvalidArgument for bad JSON or containers that differ from the
// admitted ones, Unimplemented for a resize of exclusive CPUs or Static-manager memory.
func (n *Node) Resize(pod []byte, opts ResizeOptions) (*ResizeDecision, error) {
	var copts C.podalloc_resize_options
	C.podalloc_resize_options_init(&copts)
	if opts.CheckOnly {
		copts.flags |= C.PODALLOC_RESIZE_CHECK_ONLY
	}
	if opts.StaticPod {
		copts.flags |= C.PODALLOC_RESIZE_STATIC_POD
	}
	if opts.Usage != nil {
		usage, err := json.Marshal(opts.Usage)
		if err != nil {
			return nil, err
		}
		// The options struct is passed to C, so what it points to must be C memory.
		copts.usage_json = (*C.char)(C.CBytes(usage))
		copts.usage_json_len = C.size_t(len(usage))
		defer C.free(unsafe.Pointer(copts.usage_json))
	}
	p, l := text(pod)
	var buf C.podalloc_buffer
	err := call(func(e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_node_resize(&buf, n.h, p, l, &copts, e)
	})
	runtime.KeepAlive(n)
	runtime.KeepAlive(pod)
	if err != nil {
		return nil, err
	}
	raw := takeBuffer(&buf)
	var d ResizeDecision
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("podalloc: resize decision %s: %w", raw, err)
	}
	return &d, nil
}
