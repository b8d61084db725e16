package podalloc

/*
#include <podalloc/podalloc.h>
*/
import "C"

import (
	"runtime"
	"sync"
)

// Node is one machine's allocation state: topology, kubelet configuration and the pods
// admitted so far. Safe for concurrent use.
type Node struct {
	h *C.podalloc_node
	// The device plugins' GetPreferredAllocation functions the library may call.
	hooks struct {
		sync.Mutex
		byResource map[string]*preferredHook
	}
}

// NewNode creates a node on t with a KubeletConfiguration JSON object (cpuManagerPolicy,
// topologyManagerPolicy, topologyManagerScope, reservedSystemCPUs, featureGates, ...);
// nil or empty config means every policy none. The topology is copied.
func NewNode(t *Topology, config []byte) (*Node, error) {
	p, n := text(config)
	var h *C.podalloc_node
	err := call(func(e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_node_create(&h, t.h, p, n, e)
	})
	runtime.KeepAlive(t)
	runtime.KeepAlive(config)
	if err != nil {
		return nil, err
	}
	node := &Node{h: h}
	runtime.SetFinalizer(node, (*Node).Close)
	return node, nil
}

// Close releases the node. Safe to call twice.
func (n *Node) Close() {
	if n.h != nil {
		C.podalloc_node_destroy(n.h)
		n.h = nil
		n.dropPreferred("", true)
		runtime.SetFinalizer(n, nil)
	}
}

// Version grows with every change of the node's state.
func (n *Node) Version() uint64 {
	defer runtime.KeepAlive(n)
	return uint64(C.podalloc_node_version(n.h))
}

// Decision is a planned admission. A refused pod is a decision too (Admitted false).
type Decision struct {
	h *C.podalloc_decision
}

// Admit plans the admission of a Kubernetes v1 Pod (JSON) without changing the node. AdmitPod
// takes the pod as typed data instead and needs no JSON.
func (n *Node) Admit(pod []byte) (*Decision, error) {
	p, l := text(pod)
	var h *C.podalloc_decision
	err := call(func(e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_node_admit(&h, n.h, p, l, e)
	})
	runtime.KeepAlive(n)
	runtime.KeepAlive(pod)
	if err != nil {
		return nil, err
	}
	return newDecision(h), nil
}

func newDecision(h *C.podalloc_decision) *Decision {
	d := &Decision{h: h}
	runtime.SetFinalizer(d, (*Decision).Close)
	return d
}

// Close releases the decision. Safe to call twice.
func (d *Decision) Close() {
	if d.h != nil {
		C.podalloc_decision_destroy(d.h)
		d.h = nil
		runtime.SetFinalizer(d, nil)
	}
}

// Admitted reports whether the decision admits its pod.
func (d *Decision) Admitted() bool {
	defer runtime.KeepAlive(d)
	return C.podalloc_decision_admitted(d.h) != 0
}

// JSON is the decision document (see DecisionDoc).
func (d *Decision) JSON() ([]byte, error) {
	var buf C.podalloc_buffer
	err := call(func(e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_decision_to_json(&buf, d.h, e)
	})
	runtime.KeepAlive(d)
	if err != nil {
		return nil, err
	}
	return takeBuffer(&buf), nil
}

// Commit applies a decision this node made. FailedPrecondition when the node changed since.
func (n *Node) Commit(d *Decision) error {
	err := call(func(e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_node_commit(n.h, d.h, e)
	})
	runtime.KeepAlive(n)
	runtime.KeepAlive(d)
	return err
}

// AdmitAndCommit admits and commits a pod in one step and returns the decision document.
func (n *Node) AdmitAndCommit(pod []byte) ([]byte, error) {
	p, l := text(pod)
	var buf C.podalloc_buffer
	err := call(func(e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_node_admit_and_commit(&buf, n.h, p, l, e)
	})
	runtime.KeepAlive(n)
	runtime.KeepAlive(pod)
	if err != nil {
		return nil, err
	}
	return takeBuffer(&buf), nil
}

// RemoveContainer gives a container's exclusive CPUs and memory back (kubelet
// RemoveContainer). NotFound for an unknown pod or container.
func (n *Node) RemoveContainer(podUID, container string) error {
	u, c := []byte(podUID), []byte(container)
	up, ul := text(u)
	cp, cl := text(c)
	err := call(func(e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_node_remove_container(n.h, up, ul, cp, cl, e)
	})
	runtime.KeepAlive(n)
	runtime.KeepAlive(u)
	runtime.KeepAlive(c)
	return err
}

// RemovePod removes every container of a pod.
func (n *Node) RemovePod(podUID string) error {
	u := []byte(podUID)
	up, ul := text(u)
	err := call(func(e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_node_remove_pod(n.h, up, ul, e)
	})
	runtime.KeepAlive(n)
	runtime.KeepAlive(u)
	return err
}

// CheckpointKind names one of the kubelet's state files.
type CheckpointKind int32

// The kubelet's checkpoint files.
const (
	CPUManagerCheckpoint    CheckpointKind = C.PODALLOC_CHECKPOINT_CPU_MANAGER
	MemoryManagerCheckpoint CheckpointKind = C.PODALLOC_CHECKPOINT_MEMORY_MANAGER
)

// Checkpoint is the file the kubelet would write for the node's state.
func (n *Node) Checkpoint(kind CheckpointKind) ([]byte, error) {
	var buf C.podalloc_buffer
	err := call(func(e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_node_checkpoint_save(&buf, n.h, C.int32_t(kind), e)
	})
	runtime.KeepAlive(n)
	if err != nil {
		return nil, err
	}
	return takeBuffer(&buf), nil
}

// Restore replaces the node's state with checkpoint files (nil: no file) and the pods they
// belong to (a JSON array of v1 Pods or a PodList). On error the node is unchanged.
func (n *Node) Restore(cpuCheckpoint, memoryCheckpoint, pods []byte) error {
	cp, cl := text(cpuCheckpoint)
	mp, ml := text(memoryCheckpoint)
	pp, pl := text(pods)
	err := call(func(e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_node_checkpoint_restore(n.h, cp, cl, mp, ml, pp, pl, e)
	})
	runtime.KeepAlive(n)
	runtime.KeepAlive(cpuCheckpoint)
	runtime.KeepAlive(memoryCheckpoint)
	runtime.KeepAlive(pods)
	return err
}

// Metrics is the Prometheus text exposition of the node's counters.
func (n *Node) Metrics() (string, error) {
	var buf C.podalloc_buffer
	err := call(func(e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_node_metrics(&buf, n.h, e)
	})
	runtime.KeepAlive(n)
	if err != nil {
		return "", err
	}
	return string(takeBuffer(&buf)), nil
}

// Explain plans the admission of podJSON without changing the node and returns, as JSON, the
// decision with every topology manager merge and each hint provider's hints
// ({"decision", "merges", "no_merge_reason"}; podalloc/admission_explanation.h).
func (n *Node) Explain(podJSON []byte) ([]byte, error) {
	p, l := text(podJSON)
	var buf C.podalloc_buffer
	err := call(func(e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_node_explain(&buf, n.h, p, l, e)
	})
	runtime.KeepAlive(n)
	runtime.KeepAlive(podJSON)
	if err != nil {
		return nil, err
	}
	return takeBuffer(&buf), nil
}

// State is the node's state as JSON (version, cpu_manager, memory_manager, pods).
func (n *Node) State() ([]byte, error) {
	var buf C.podalloc_buffer
	err := call(func(e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_node_state(&buf, n.h, e)
	})
	runtime.KeepAlive(n)
	if err != nil {
		return nil, err
	}
	return takeBuffer(&buf), nil
}
