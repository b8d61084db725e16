//! Node calls through the binding: the KEP-5526 example pod, commit rules, errors,
//! checkpoints and concurrent admission from several threads.
use podalloc::sys;
use podalloc::{Checkpoint, CpuSet, Node, Topology};
use std::sync::Arc;

const MACHINE: &str = "pack:1 numa:2(memory=16GiB) core:4 pu:2";
const POD_SCOPE: &str = r#"{"cpuManagerPolicy": "static", "reservedSystemCPUs": "0",
 "topologyManagerPolicy": "single-numa-node", "topologyManagerScope": "pod",
 "featureGates": {"PodLevelResourceManagers": true}}"#;

fn node(config: &str) -> Node {
    let topology = Topology::from_synthetic(MACHINE).unwrap();
    Node::new(&topology, config.as_bytes()).unwrap()
}

/// A pod with a pod-level budget and Guaranteed containers of the given CPU counts (0: none).
fn pod(uid: &str, budget: u32, containers: &[u32]) -> String {
    let list: Vec<String> = containers
        .iter()
        .enumerate()
        .map(|(i, &cpu)| {
            if cpu == 0 {
                format!(r#"{{"name": "container-{}"}}"#, i + 1)
            } else {
                let own = format!(r#"{{"cpu": "{}", "memory": "1Gi"}}"#, cpu);
                format!(
                    r#"{{"name": "container-{}", "resources": {{"requests": {}, "limits": {}}}}}"#,
                    i + 1,
                    own,
                    own
                )
            }
        })
        .collect();
    let budget = format!(r#"{{"cpu": "{0}", "memory": "{0}Gi"}}"#, budget);
    format!(
        r#"{{"metadata": {{"name": "{0}", "namespace": "default", "uid": "{0}"}},
 "spec": {{"resources": {{"requests": {1}, "limits": {1}}}, "containers": [{2}]}}}}"#,
        uid,
        budget,
        list.join(", ")
    )
}

/// The value of `"key":"..."` after the first occurrence of `after` in a JSON text.
fn field<'a>(json: &'a str, after: &str, key: &str) -> &'a str {
    let start = json.find(after).expect(after);
    let rest = &json[start..];
    let k = format!("\"{}\":\"", key);
    let at = rest.find(&k).expect(key) + k.len();
    let end = rest[at..].find('"').unwrap();
    &rest[at..at + end]
}

#[test]
fn kep_5526_two_exclusive_cpus_and_a_shared_pool() {
    let node = node(POD_SCOPE);
    let json = node
        .admit_and_commit(pod("pod-1", 4, &[2, 0, 0]).as_bytes())
        .unwrap();
    let json = String::from_utf8(json).unwrap();
    assert!(json.contains(r#""admitted":true"#), "{}", json);
    let pod_cpus = CpuSet::parse(field(&json, "\"pod_cpus\"", "pod_cpus")).unwrap();
    let shared = CpuSet::parse(field(&json, "\"pod_shared_pool\"", "pod_shared_pool")).unwrap();
    assert_eq!(pod_cpus.count(), 4);
    assert_eq!(shared.count(), 2);
    let c1 = CpuSet::parse(field(&json, r#""name":"container-1""#, "cpus")).unwrap();
    assert_eq!(c1.count(), 2);
    for name in ["container-2", "container-3"] {
        let cpus = field(&json, &format!(r#""name":"{}""#, name), "cpus");
        assert_eq!(CpuSet::parse(cpus).unwrap(), shared, "{}", name);
    }
}

#[test]
fn kep_5526_empty_shared_pool_is_a_refusal_not_an_error() {
    let node = node(POD_SCOPE);
    let decision = node.admit(pod("pod-1", 5, &[3, 2, 0]).as_bytes()).unwrap();
    assert!(!decision.admitted());
    node.commit(&decision).unwrap();
    let state = String::from_utf8(node.state().unwrap()).unwrap();
    assert!(state.contains(r#""pods":[]"#), "{}", state);
}

#[test]
fn commit_rules_and_errors() {
    let node = node(POD_SCOPE);
    let other = self::node(POD_SCOPE);
    let decision = node.admit(pod("pod-1", 4, &[2, 0, 0]).as_bytes()).unwrap();
    assert_eq!(node.version(), 0);
    assert_eq!(
        other.commit(&decision).unwrap_err().code,
        sys::PODALLOC_INVALID_ARGUMENT
    );
    node.commit(&decision).unwrap();
    assert_eq!(node.version(), 1);
    assert_eq!(
        node.commit(&decision).unwrap_err().code,
        sys::PODALLOC_FAILED_PRECONDITION
    );
    let again = node.admit(pod("pod-1", 4, &[2, 0, 0]).as_bytes());
    assert_eq!(again.err().unwrap().code, sys::PODALLOC_ALREADY_EXISTS);
    let bad = node.admit(b"{\"spec\": {\"containers\": [{}]}}");
    assert_eq!(bad.err().unwrap().code, sys::PODALLOC_INVALID_ARGUMENT);
    assert_eq!(
        node.remove_pod("nope").unwrap_err().code,
        sys::PODALLOC_NOT_FOUND
    );
    assert!(node
        .metrics()
        .unwrap()
        .contains("topology_manager_admission_requests_total"));
    node.remove_container("pod-1", "container-1").unwrap();
    node.remove_pod("pod-1").unwrap();
}

#[test]
fn checkpoints_round_trip() {
    let node = node(POD_SCOPE);
    let pods = [pod("pod-1", 4, &[2, 0, 0]), pod("pod-2", 3, &[1, 1, 0])];
    for p in &pods {
        node.admit_and_commit(p.as_bytes()).unwrap();
    }
    let cpu = node.checkpoint(Checkpoint::CpuManager).unwrap();
    let memory = node.checkpoint(Checkpoint::MemoryManager).unwrap();
    let list = format!("[{}, {}]", pods[0], pods[1]);
    let restored = self::node(POD_SCOPE);
    restored.restore(&cpu, &memory, list.as_bytes()).unwrap();
    assert_eq!(restored.checkpoint(Checkpoint::CpuManager).unwrap(), cpu);
    let before = restored.state().unwrap();
    let err = restored
        .restore(b"{", &memory, list.as_bytes())
        .unwrap_err();
    assert_eq!(err.code, sys::PODALLOC_INVALID_ARGUMENT);
    assert_eq!(restored.state().unwrap(), before);
}

#[test]
fn threads_admit_on_one_node() {
    let node = Arc::new(node(POD_SCOPE));
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let n = node.clone();
            std::thread::spawn(move || {
                let json = n.admit_and_commit(pod(&format!("pod-{}", i), 2, &[1, 1]).as_bytes());
                String::from_utf8(json.unwrap())
                    .unwrap()
                    .contains(r#""admitted":true"#)
            })
        })
        .collect();
    let admitted = handles
        .into_iter()
        .filter(|_| true)
        .map(|h| h.join().unwrap())
        .filter(|a| *a)
        .count();
    assert_eq!(admitted, 4);
    assert_eq!(node.version(), 4);
}
