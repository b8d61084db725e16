//! NodeResourceTopology and the fit report through the binding, on the NRT spec's
//! non-monotone example: 5 free CPUs on each of 2 NUMA nodes, restricted admits 1-5 and 9-10.
use podalloc::{pod_fingerprint, Node, Topology};

const RESTRICTED: &str = r#"{"cpuManagerPolicy": "static", "reservedSystemCPUs": "0",
 "topologyManagerPolicy": "restricted", "topologyManagerScope": "container"}"#;

fn pod(uid: &str, cpu: u32) -> String {
    let own = format!(r#"{{"cpu": "{}", "memory": "100Mi"}}"#, cpu);
    format!(
        r#"{{"metadata": {{"name": "{0}", "namespace": "default", "uid": "{0}"}},
 "spec": {{"containers": [{{"name": "c", "resources": {{"requests": {1}, "limits": {1}}}}}]}}}}"#,
        uid, own
    )
}

fn non_monotone_node() -> Node {
    let topology = Topology::from_synthetic("pack:2 numa:1 core:8 pu:1").unwrap();
    let node = Node::new(&topology, RESTRICTED.as_bytes()).unwrap();
    node.admit_and_commit(pod("pod-x", 7).as_bytes()).unwrap();
    node.admit_and_commit(pod("pod-b", 3).as_bytes()).unwrap();
    node.remove_pod("pod-x").unwrap();
    node.admit_and_commit(pod("pod-a", 2).as_bytes()).unwrap();
    node
}

#[test]
fn nrt_lists_five_free_cpus_per_zone_and_the_fingerprint() {
    let node = non_monotone_node();
    let doc = String::from_utf8(node.nrt(br#"{"nodeName": "worker-0"}"#, false).unwrap()).unwrap();
    assert!(doc.contains(
        r#""resources":[{"name":"cpu","capacity":"8","allocatable":"7","available":"5"}]"#
    ));
    assert!(doc.contains(
        r#""resources":[{"name":"cpu","capacity":"8","allocatable":"8","available":"5"}]"#
    ));
    assert!(doc.contains("pfp0v0017628d51feb3f3a36"));
    let yaml = String::from_utf8(node.nrt(br#"{"nodeName": "worker-0"}"#, true).unwrap()).unwrap();
    assert!(yaml.starts_with(r#""apiVersion": "topology.node.k8s.io/v1alpha2""#));
    let err = node.nrt(b"{}", false).unwrap_err();
    assert_eq!(err.code, podalloc::sys::PODALLOC_INVALID_ARGUMENT);
}

#[test]
fn fit_report_finds_ten_cpus_and_leaves_the_node_alone() {
    let node = non_monotone_node();
    let before = node.state().unwrap();
    let report = String::from_utf8(node.fit_report(b"").unwrap()).unwrap();
    assert_eq!(node.state().unwrap(), before);
    assert!(report.contains(
        r#""policy":"restricted","scope":"container","configured":true,"resources":[{"name":"cpu","nrtAvailable":"10","overall":{"largest":"10""#
    ));
}

#[test]
fn pod_fingerprint_of_a_list() {
    let sig = pod_fingerprint(br#"[{"metadata": {"namespace": "default", "name": "test-pod-0"}}]"#);
    assert_eq!(sig.unwrap(), "pfp0v001fe53c4dbd2c5f4a0");
}
