package podalloc

/*
#include <podalloc/podalloc.h>
*/
import "C"

import (
	"math/bits"
	"runtime"
	"unsafe"
)

// CPUSet is a set of CPU ids as the C ABI carries it: CPU c is bit c%64 of word c/64.
type CPUSet []uint64

// ParseCPUSet reads the kubelet's list syntax ("0-3,8").
func ParseCPUSet(list string) (CPUSet, error) {
	b := []byte(list)
	p, n := text(b)
	var needed C.size_t
	// Ask the size first (a NULL array of 0 words), then fill.
	err := call(func(e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_cpuset_parse(nil, 0, &needed, p, n, e)
	})
	if err != nil && err.(*Error).Code != OutOfRange {
		return nil, err
	}
	set := make(CPUSet, needed)
	if needed > 0 {
		err = call(func(e **C.podalloc_error) C.podalloc_status {
			return C.podalloc_cpuset_parse(set.ptr(), C.size_t(len(set)), nil, p, n, e)
		})
	}
	runtime.KeepAlive(b)
	return set, err
}

// NewCPUSet is the set of the given CPU ids.
func NewCPUSet(cpus ...int) CPUSet {
	var set CPUSet
	for _, c := range cpus {
		for len(set) <= c/64 {
			set = append(set, 0)
		}
		set[c/64] |= 1 << (uint(c) % 64)
	}
	return set
}

// String is the kubelet's canonical list syntax.
func (s CPUSet) String() string {
	var needed C.size_t
	_ = call(func(e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_cpuset_format(nil, 0, &needed, s.ptr(), C.size_t(len(s)), e)
	})
	out := make([]byte, needed+1)
	if err := call(func(e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_cpuset_format((*C.char)(unsafe.Pointer(&out[0])), C.size_t(len(out)), nil,
			s.ptr(), C.size_t(len(s)), e)
	}); err != nil {
		return "<" + err.Error() + ">"
	}
	return string(out[:needed])
}

// Count is the number of CPUs in the set.
func (s CPUSet) Count() int {
	n := 0
	for _, w := range s {
		n += bits.OnesCount64(w)
	}
	return n
}

// Contains reports whether cpu is in the set.
func (s CPUSet) Contains(cpu int) bool {
	return cpu >= 0 && cpu/64 < len(s) && s[cpu/64]&(1<<(uint(cpu)%64)) != 0
}

func (s CPUSet) ptr() *C.uint64_t {
	if len(s) == 0 {
		return nil
	}
	return (*C.uint64_t)(unsafe.Pointer(&s[0]))
}

// TakeOptions are the CPU manager static policy options that change take-by-topology.
type TakeOptions struct {
	SpreadAcrossCores    bool // distribute-cpus-across-cores
	AlignByUncoreCache   bool // prefer-align-cpus-by-uncorecache
	DistributeAcrossNUMA bool // distribute-cpus-across-numa
	CPUGroupSize         int  // with DistributeAcrossNUMA; 0 means 1
}

// TakeCPUs chooses n CPUs among available exactly as the kubelet's static policy does.
func (t *Topology) TakeCPUs(available CPUSet, n int, opts TakeOptions) (CPUSet, error) {
	defer runtime.KeepAlive(t)
	var o C.podalloc_take_options
	C.podalloc_take_options_init(&o)
	if opts.SpreadAcrossCores {
		o.flags |= C.PODALLOC_TAKE_SPREAD_ACROSS_CORES
	}
	if opts.AlignByUncoreCache {
		o.flags |= C.PODALLOC_TAKE_ALIGN_BY_UNCORE_CACHE
	}
	if opts.DistributeAcrossNUMA {
		o.flags |= C.PODALLOC_TAKE_DISTRIBUTE_ACROSS_NUMA
	}
	o.cpu_group_size = C.int32_t(opts.CPUGroupSize)
	out := make(CPUSet, t.words())
	err := call(func(e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_cpuset_take(out.ptr(), C.size_t(len(out)), t.h, available.ptr(),
			C.size_t(len(available)), C.int32_t(n), &o, e)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Hint is a topology hint: a NUMA affinity (bit n = NUMA node n) and whether it is preferred.
// AnyNUMA is the kubelet's nil affinity.
type Hint struct {
	Affinity  uint64
	Preferred bool
	AnyNUMA   bool
}

// Policy is a topology manager policy.
type Policy int32

// The topology manager policies.
const (
	PolicyNone           Policy = C.PODALLOC_POLICY_NONE
	PolicyBestEffort     Policy = C.PODALLOC_POLICY_BEST_EFFORT
	PolicyRestricted     Policy = C.PODALLOC_POLICY_RESTRICTED
	PolicySingleNUMANode Policy = C.PODALLOC_POLICY_SINGLE_NUMA_NODE
)

// MergeHints merges the kubelet's hint lists (one per provider and resource) under policy;
// it returns the best hint and whether the policy admits it.
func (t *Topology) MergeHints(lists [][]Hint, policy Policy, preferClosestNUMA bool) (Hint, bool, error) {
	defer runtime.KeepAlive(t)
	var flat []C.podalloc_hint
	sizes := make([]C.size_t, len(lists))
	for i, list := range lists {
		sizes[i] = C.size_t(len(list))
		for _, h := range list {
			var c C.podalloc_hint
			c.affinity = C.uint64_t(h.Affinity)
			if h.Preferred {
				c.flags |= C.PODALLOC_HINT_PREFERRED
			}
			if h.AnyNUMA {
				c.flags |= C.PODALLOC_HINT_ANY_NUMA
			}
			flat = append(flat, c)
		}
	}
	var o C.podalloc_merge_options
	C.podalloc_merge_options_init(&o)
	o.policy = C.int32_t(policy)
	if preferClosestNUMA {
		o.flags |= C.PODALLOC_MERGE_PREFER_CLOSEST_NUMA
	}
	var hints *C.podalloc_hint
	if len(flat) > 0 {
		hints = &flat[0]
	}
	var sizesPtr *C.size_t
	if len(sizes) > 0 {
		sizesPtr = &sizes[0]
	}
	var result C.podalloc_merge_result
	err := call(func(e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_hints_merge(&result, t.h, hints, sizesPtr, C.size_t(len(sizes)), &o, e)
	})
	if err != nil {
		return Hint{}, false, err
	}
	h := Hint{
		Affinity:  uint64(result.hint.affinity),
		Preferred: result.hint.flags&C.PODALLOC_HINT_PREFERRED != 0,
		AnyNUMA:   result.hint.flags&C.PODALLOC_HINT_ANY_NUMA != 0,
	}
	if h.AnyNUMA {
		h.Affinity = 0
	}
	return h, result.admit != 0, nil
}

// QOSClass is a pod QoS class.
type QOSClass int32

// The pod QoS classes.
const (
	Guaranteed QOSClass = C.PODALLOC_QOS_GUARANTEED
	Burstable  QOSClass = C.PODALLOC_QOS_BURSTABLE
	BestEffort QOSClass = C.PODALLOC_QOS_BEST_EFFORT
)

// String is the class's v1.PodQOSClass spelling.
func (q QOSClass) String() string { return C.GoString(C.podalloc_qos_class_name(C.int32_t(q))) }

// PodQOSClass classifies a Kubernetes v1 Pod given as JSON: status.qosClass when set,
// otherwise computed from requests and limits (pod-level resources when present).
func PodQOSClass(pod []byte) (QOSClass, error) {
	p, n := text(pod)
	var q C.int32_t
	err := call(func(e **C.podalloc_error) C.podalloc_status {
		return C.podalloc_pod_qos_class(&q, p, n, 0, e)
	})
	runtime.KeepAlive(pod)
	return QOSClass(q), err
}
