package podalloc

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestVersionMatchesHeader(t *testing.T) {
	if Version() != HeaderVersion {
		t.Fatalf("loaded %s, compiled against %s", Version(), HeaderVersion)
	}
}

func TestTopologyFromSyntheticAndJSON(t *testing.T) {
	topo, err := TopologyFromSynthetic("pack:2 numa:1 core:4 pu:2")
	if err != nil {
		t.Fatal(err)
	}
	defer topo.Close()
	if topo.NumCPUs() != 16 || topo.NumCores() != 8 || topo.NumSockets() != 2 || topo.NumNUMANodes() != 2 {
		t.Fatalf("counts %d %d %d %d", topo.NumCPUs(), topo.NumCores(), topo.NumSockets(), topo.NumNUMANodes())
	}
	doc, err := topo.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var parsed map[string]any
	if err := json.Unmarshal(doc, &parsed); err != nil || parsed["schema"] != "podalloc.topology/v1" {
		t.Fatalf("topology JSON %s: %v", doc, err)
	}
	again, err := TopologyFromJSON(doc)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	doc2, _ := again.JSON()
	if string(doc2) != string(doc) {
		t.Fatalf("round trip changed the document")
	}
	all, err := topo.CPUs()
	if err != nil || all.String() != "0-15" {
		t.Fatalf("CPUs %v: %v", all, err)
	}
}

func TestErrorsComeWithTheirCall(t *testing.T) {
	_, err := TopologyFromJSON([]byte(`{"schema": `))
	var e *Error
	if !errors.As(err, &e) || e.Code != InvalidArgument || e.Message == "" {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(err.Error(), "INVALID_ARGUMENT") {
		t.Fatalf("error text %q", err.Error())
	}
	if _, err := TopologyFromSynthetic("pack:none"); err == nil {
		t.Fatal("a bad synthetic string was accepted")
	}
}

func TestCPUSetSyntax(t *testing.T) {
	set, err := ParseCPUSet("0-3,8,100")
	if err != nil {
		t.Fatal(err)
	}
	if set.Count() != 6 || !set.Contains(100) || set.Contains(4) || set.String() != "0-3,8,100" {
		t.Fatalf("set %v", set)
	}
	empty, err := ParseCPUSet("")
	if err != nil || empty.Count() != 0 || empty.String() != "" {
		t.Fatalf("empty set %v: %v", empty, err)
	}
	if _, err := ParseCPUSet("5-2"); err == nil {
		t.Fatal("bad syntax accepted")
	}
	if NewCPUSet(1, 2, 3, 70).String() != "1-3,70" {
		t.Fatal("NewCPUSet")
	}
}

// The kubelet's topoDualSocketHT and expectations from TestTakeByTopologyNUMAPacked and
// TestTakeByTopologyWithSpreadPhysicalCPUsPreferredOption.
const dualSocketHT = `{"name": "topoDualSocketHT", "num_cpus": 12, "num_sockets": 2,
 "num_cores": 6, "num_numanodes": 2, "num_uncorecache": 2, "cpus": [
 {"cpu": 0, "core": 0, "socket": 0, "numa": 0}, {"cpu": 1, "core": 1, "socket": 1, "numa": 1},
 {"cpu": 2, "core": 2, "socket": 0, "numa": 0}, {"cpu": 3, "core": 3, "socket": 1, "numa": 1},
 {"cpu": 4, "core": 4, "socket": 0, "numa": 0}, {"cpu": 5, "core": 5, "socket": 1, "numa": 1},
 {"cpu": 6, "core": 0, "socket": 0, "numa": 0}, {"cpu": 7, "core": 1, "socket": 1, "numa": 1},
 {"cpu": 8, "core": 2, "socket": 0, "numa": 0}, {"cpu": 9, "core": 3, "socket": 1, "numa": 1},
 {"cpu": 10, "core": 4, "socket": 0, "numa": 0}, {"cpu": 11, "core": 5, "socket": 1, "numa": 1}]}`

func TestTakeCPUsMatchesTheKubelet(t *testing.T) {
	topo, err := TopologyFromJSON([]byte(dualSocketHT))
	if err != nil {
		t.Fatal(err)
	}
	defer topo.Close()
	cases := []struct {
		available string
		n         int
		opts      TakeOptions
		want      string
	}{
		{"0-11", 6, TakeOptions{}, "0,2,4,6,8,10"},
		{"1-5,7-11", 1, TakeOptions{}, "2"},
		{"0-11", 8, TakeOptions{}, "0-2,4,6-8,10"},
		{"0-11", 3, TakeOptions{SpreadAcrossCores: true}, "0,2,4"},
		{"0-11", 8, TakeOptions{SpreadAcrossCores: true}, "0-4,6,8,10"},
	}
	for _, c := range cases {
		available, _ := ParseCPUSet(c.available)
		got, err := topo.TakeCPUs(available, c.n, c.opts)
		if err != nil || got.String() != c.want {
			t.Errorf("take %d of %s (%+v): got %v (%v), want %s", c.n, c.available, c.opts, got, err, c.want)
		}
	}
	available, _ := ParseCPUSet("0,2")
	_, err = topo.TakeCPUs(available, 3, TakeOptions{})
	var e *Error
	if !errors.As(err, &e) || e.Code != ResourceExhausted {
		t.Fatalf("taking 3 of 2 CPUs: %v", err)
	}
}

func TestMergeHints(t *testing.T) {
	topo, err := TopologyFromJSON([]byte(dualSocketHT))
	if err != nil {
		t.Fatal(err)
	}
	defer topo.Close()
	cpu := []Hint{{Affinity: 1, Preferred: true}, {Affinity: 2, Preferred: true}, {Affinity: 3}}
	memory := []Hint{{Affinity: 2, Preferred: true}, {Affinity: 3}}
	best, admit, err := topo.MergeHints([][]Hint{cpu, memory}, PolicySingleNUMANode, false)
	if err != nil || !admit || best != (Hint{Affinity: 2, Preferred: true}) {
		t.Fatalf("merge: %+v %v %v", best, admit, err)
	}
	// Nothing fits one node: restricted refuses.
	_, admit, err = topo.MergeHints([][]Hint{{{Affinity: 3}}}, PolicyRestricted, false)
	if err != nil || admit {
		t.Fatalf("restricted admitted a non-preferred hint: %v", err)
	}
}

func TestPodQOSClass(t *testing.T) {
	cases := map[string]QOSClass{
		`{"spec": {"containers": [{"name": "a", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}]}}`: Guaranteed,
		`{"spec": {"containers": [{"name": "a", "resources": {"requests": {"memory": "1Gi"}}}]}}`:           Burstable,
		`{"spec": {"containers": [{"name": "a"}]}}`:                                                         BestEffort,
	}
	for pod, want := range cases {
		got, err := PodQOSClass([]byte(pod))
		if err != nil || got != want {
			t.Errorf("%s: got %v (%v), want %v", pod, got, err, want)
		}
	}
	if _, err := PodQOSClass([]byte(`{"spec": {"containers": "x"}}`)); err == nil {
		t.Fatal("a malformed pod was accepted")
	}
}
