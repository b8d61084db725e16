package podalloc

// DecisionDoc is the decision document of Decision.JSON and Node.AdmitAndCommit, for
// encoding/json. CPU and NUMA sets are in the kubelet's list syntax ("0-3,8").
type DecisionDoc struct {
	Pod struct {
		UID       string `json:"uid"`
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"pod"`
	Admitted      bool     `json:"admitted"`
	Reason        string   `json:"reason"`
	Message       string   `json:"message"`
	QOS           string   `json:"qos"`
	Scope         string   `json:"scope"`
	PodLevel      bool     `json:"pod_level"`
	PodHint       *HintDoc `json:"pod_hint"`
	PodCPUs       string   `json:"pod_cpus"`
	PodSharedPool string   `json:"pod_shared_pool"`
	Reasons       []string `json:"reasons"`
	// Why the pod was refused (or, for a critical pod, admitted through preemption).
	TopologyRejection     *TopologyRejectionDoc     `json:"topology_rejection"`
	InsufficientResources []InsufficientResourceDoc `json:"insufficient_resources"`
	Preemption            *PreemptionDoc            `json:"preemption"`
	Containers            []ContainerDoc            `json:"containers"`
	PodCgroup             map[string]string         `json:"pod_cgroup"`
	// Files of the kubepods/burstable cgroup this admission changes (the kubelet's QoS
	// cgroup update), empty when none.
	BurstableCgroup map[string]string `json:"burstable_cgroup"`
	BaseVersion     uint64            `json:"base_version"`
}

// TopologyRejectionDoc is the topology manager's refusal: every hint provider's hints and the
// provider after which the policy had no hint left to admit. Container is nil at scope pod.
type TopologyRejectionDoc struct {
	Container        *string `json:"container"`
	Policy           string  `json:"policy"`
	MergedHint       HintDoc `json:"merged_hint"`
	BlockingProvider *string `json:"blocking_provider"`
	Providers        []struct {
		Name        string `json:"name"`
		AdmitsAlone bool   `json:"admits_alone"`
		Resources   []struct {
			Resource     string    `json:"resource"`
			NoPreference bool      `json:"no_preference"`
			Hints        []HintDoc `json:"hints"`
		} `json:"resources"`
	} `json:"providers"`
}

// InsufficientResourceDoc is one resource the pod does not fit: cpu in millicores, the rest in
// units; ShortBy is Requested - (Capacity - Used).
type InsufficientResourceDoc struct {
	Resource     string `json:"resource"`
	Requested    int64  `json:"requested"`
	Used         int64  `json:"used"`
	Capacity     int64  `json:"capacity"`
	ShortBy      int64  `json:"short_by"`
	Unresolvable bool   `json:"unresolvable"`
}

// PreemptionDoc is the kubelet's preemption for a critical pod: the pods to evict (their UIDs)
// when Found, and what had to be freed.
type PreemptionDoc struct {
	Found     bool     `json:"found"`
	Victims   []string `json:"victims"`
	Shortfall []struct {
		Resource string `json:"resource"`
		Amount   int64  `json:"amount"`
	} `json:"shortfall"`
}

// HintDoc is a topology hint; NUMANodes is nil for "any NUMA node".
type HintDoc struct {
	NUMANodes *string `json:"numa_nodes"`
	Preferred bool    `json:"preferred"`
}

// ContainerDoc is where one container runs and why.
type ContainerDoc struct {
	Name             string   `json:"name"`
	Type             string   `json:"type"`
	Isolation        string   `json:"isolation"`
	ExclusiveCPUs    bool     `json:"exclusive_cpus"`
	CPUs             string   `json:"cpus"`
	MemoryNodes      string   `json:"memory_nodes"`
	CPUQuotaDisabled bool     `json:"cpu_quota_disabled"`
	Hint             *HintDoc `json:"hint"`
	// Exclusive memory of the Static memory manager, one block per resource.
	MemoryBlocks []MemoryBlockDoc `json:"memory_blocks"`
	// Device IDs per device-plugin resource ("nvidia.com/gpu": ["gpu-0", "gpu-1"]).
	Devices map[string][]string `json:"devices"`
	Cgroup  map[string]string   `json:"cgroup"`
	Reasons []string            `json:"reasons"`
}

// MemoryBlockDoc is one block of exclusive memory: the resource ("memory" or
// "hugepages-<size>"), its bytes and its NUMA nodes ("0,1").
type MemoryBlockDoc struct {
	NUMANodes string `json:"numa_nodes"`
	Type      string `json:"type"`
	Size      uint64 `json:"size"`
}
