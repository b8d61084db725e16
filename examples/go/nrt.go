package podalloc

/*
#include <podalloc/podalloc.h>
*/
import "C"

import "runtime"

// NRT is the node's NodeResourceTopology object (topology.node.k8s.io/v1alpha2) for the
// options JSON ({"nodeName": ..., "mode": "exact"|"rte", ...}, docs/nrt.md), as JSON or, with
// yaml, as YAML. The node is not changed.
func (n *Node) NRT(options []byte, yaml bool) ([]byte, error) {
	p, l := text(options)
	var flags C.uint32_t
	if yaml {
		flags = C.PODALLOC_NRT_YAML
	}
	var buf C.podalloc_buffer
	err := call(func(e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_node_nrt(&buf, n.h, p, l, flags, e)
	})
	runtime.KeepAlive(n)
	runtime.KeepAlive(options)
	if err != nil {
		return nil, err
	}
	return takeBuffer(&buf), nil
}

// FitReport is what the node can still take, as the report JSON of docs/nrt.md: the largest
// Guaranteed pod per resource (overall and per NUMA node, for the configured and what-if
// topology-manager policies) and whether the query's pod shapes fit. A nil query means the
// defaults. The node is not changed.
func (n *Node) FitReport(query []byte) ([]byte, error) {
	p, l := text(query)
	var buf C.podalloc_buffer
	err := call(func(e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_node_fit_report(&buf, n.h, p, l, e)
	})
	runtime.KeepAlive(n)
	runtime.KeepAlive(query)
	if err != nil {
		return nil, err
	}
	return takeBuffer(&buf), nil
}

// PodFingerprint is the pod fingerprint ("pfp0v001" + 16 hex digits) of v1 Pods given as a
// JSON array or a v1 List; only their namespaces and names count.
func PodFingerprint(pods []byte) (string, error) {
	p, l := text(pods)
	var buf C.podalloc_buffer
	err := call(func(e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_pod_fingerprint(&buf, p, l, e)
	})
	runtime.KeepAlive(pods)
	if err != nil {
		return "", err
	}
	return string(takeBuffer(&buf)), nil
}
