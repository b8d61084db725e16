package podalloc

// DecisionDoc is the decision document of Decision.JSON and Node.AdmitAndCommit, for
// encoding/json. CPU and NUMA sets are in the kubelet's list syntax ("0-3,8").
type DecisionDoc struct {
	Pod struct {
		UID       string `json:"uid"`
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"pod"`
	Admitted      bool              `json:"admitted"`
	Reason        string            `json:"reason"`
	Message       string            `json:"message"`
	QOS           string            `json:"qos"`
	Scope         string            `json:"scope"`
	PodLevel      bool              `json:"pod_level"`
	PodHint       *HintDoc          `json:"pod_hint"`
	PodCPUs       string            `json:"pod_cpus"`
	PodSharedPool string            `json:"pod_shared_pool"`
	Reasons       []string          `json:"reasons"`
	Containers    []ContainerDoc    `json:"containers"`
	PodCgroup     map[string]string `json:"pod_cgroup"`
	BaseVersion   uint64            `json:"base_version"`
}

// HintDoc is a topology hint; NUMANodes is nil for "any NUMA node".
type HintDoc struct {
	NUMANodes *string `json:"numa_nodes"`
	Preferred bool    `json:"preferred"`
}

// ContainerDoc is where one container runs and why.
type ContainerDoc struct {
	Name             string            `json:"name"`
	Type             string            `json:"type"`
	Isolation        string            `json:"isolation"`
	ExclusiveCPUs    bool              `json:"exclusive_cpus"`
	CPUs             string            `json:"cpus"`
	MemoryNodes      string            `json:"memory_nodes"`
	CPUQuotaDisabled bool              `json:"cpu_quota_disabled"`
	Hint             *HintDoc          `json:"hint"`
	Cgroup           map[string]string `json:"cgroup"`
	Reasons          []string          `json:"reasons"`
}
