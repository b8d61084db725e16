//! In-place resize through the binding: a Burstable pod grows (preview first), and a
//! Guaranteed pod under the static CPU manager is Infeasible.
use podalloc::{CgroupWrite, Container, Node, Pod, ResizeOptions, ResizeUsage, Resources, Topology};

const MACHINE: &str = "pack:1 numa:2(memory=16GiB) core:4 pu:2";

fn node(config: &str) -> Node {
    let topology = Topology::from_synthetic(MACHINE).unwrap();
    Node::new(&topology, config.as_bytes()).unwrap()
}

/// A one-container pod "app" with cpu and memory requests and limits.
fn pod(uid: &str, cpu: (&str, &str), memory: (&str, &str)) -> Vec<u8> {
    format!(
        r#"{{"metadata": {{"name": "{0}", "namespace": "default", "uid": "{0}"}},
 "spec": {{"containers": [{{"name": "app", "resources": {{
  "requests": {{"cpu": "{1}", "memory": "{3}"}}, "limits": {{"cpu": "{2}", "memory": "{4}"}}}}}}]}}}}"#,
        uid, cpu.0, cpu.1, memory.0, memory.1
    )
    .into_bytes()
}

#[test]
fn a_pod_grows_in_place() {
    let node = node("");
    node.admit_and_commit(&pod("web", ("1", "2"), ("256Mi", "512Mi"))).unwrap();
    let grown = pod("web", ("2", "3"), ("256Mi", "512Mi"));

    let preview = node
        .resize(&grown, &ResizeOptions { check_only: true, ..Default::default() })
        .unwrap();
    assert!(preview.feasible && !preview.applied, "{}", preview.json);
    assert_eq!(node.version(), 1);

    let done = node.resize(&grown, &ResizeOptions::default()).unwrap();
    assert!(done.feasible && done.applied, "{}", done.json);
    assert_eq!(done.reason, "");
    assert_eq!(node.version(), 2);
    let writes = &done.writes;
    assert_eq!(writes, &preview.writes);
    // Growing: each file of the pod cgroup is written before the container's.
    for file in ["cpu.weight", "cpu.max"] {
        let at = |cgroup: &str| writes.iter().position(|w| w.cgroup == cgroup && w.file == file);
        assert!(at("").unwrap() < at("app").unwrap(), "{}: {:?}", file, writes);
    }
    assert!(writes.contains(&CgroupWrite {
        cgroup: "app".into(),
        file: "cpu.max".into(),
        value: "300000 100000".into()
    }));
    assert_eq!(done.pod_uid, "web");
    assert_eq!(done.base_version, 1);
    assert!(done.json.contains(r#""applied":true"#));

    // A memory limit below what the container uses: refused, nothing recorded.
    let usage = ResizeUsage { pod: None, containers: vec![("app".into(), 300 << 20)] };
    let refused = node
        .resize(
            &pod("web", ("2", "3"), ("256Mi", "280Mi")),
            &ResizeOptions { usage: Some(usage), ..Default::default() },
        )
        .unwrap();
    assert!(refused.refused && !refused.applied, "{}", refused.json);
    assert!(refused.refusal.contains("app"), "{}", refused.refusal);
    assert!(refused.writes.is_empty());
    assert_eq!(node.version(), 2);

    let unknown = node.resize(&pod("nope", ("1", "1"), ("1Mi", "1Mi")), &ResizeOptions::default());
    assert_eq!(unknown.unwrap_err().code, podalloc::sys::PODALLOC_NOT_FOUND);
}

#[test]
fn guaranteed_pod_under_the_static_cpu_manager_is_infeasible() {
    let node = node(r#"{"cpuManagerPolicy": "static", "reservedSystemCPUs": "0"}"#);
    node.admit_and_commit(&pod("db", ("2", "2"), ("256Mi", "256Mi"))).unwrap();
    let d = node
        .resize(&pod("db", ("3", "3"), ("256Mi", "256Mi")), &ResizeOptions::default())
        .unwrap();
    assert!(!d.feasible && !d.applied, "{}", d.json);
    assert_eq!(d.reason, "Infeasible");
    assert_eq!(d.reason_detail, "guaranteed_pod_cpu_manager_static_policy");
    assert!(d.writes.is_empty());
    assert!(!d.message.is_empty());
    assert_eq!(node.version(), 1);
}

/// The typed pod gives the same answer as its JSON, restarted containers included.
#[test]
fn a_typed_resize_answers_as_the_json_one() {
    let by_json = node("");
    let by_type = node("");
    let admitted = pod("web", ("1", "2"), ("256Mi", "512Mi"));
    by_json.admit_and_commit(&admitted).unwrap();
    by_type.admit_and_commit(&admitted).unwrap();
    let typed = Pod {
        name: "web".into(),
        namespace: "default".into(),
        uid: "web".into(),
        containers: vec![Container {
            name: "app".into(),
            requests: Resources {
                cpu_milli: Some(2000),
                memory_bytes: Some(256 << 20),
                ..Default::default()
            },
            limits: Resources {
                cpu_milli: Some(3000),
                memory_bytes: Some(768 << 20),
                ..Default::default()
            },
            resize_policy: vec![("memory".into(), true)],
            ..Default::default()
        }],
        ..Default::default()
    };
    let json = format!(
        r#"{{"metadata": {{"name": "web", "namespace": "default", "uid": "web"}},
 "spec": {{"containers": [{{"name": "app",
  "resizePolicy": [{{"resourceName": "memory", "restartPolicy": "RestartContainer"}}],
  "resources": {{"requests": {{"cpu": "2", "memory": "256Mi"}},
   "limits": {{"cpu": "3", "memory": "768Mi"}}}}}}]}}}}"#
    );
    let a = by_json.resize(json.as_bytes(), &ResizeOptions::default()).unwrap();
    let b = by_type.resize_pod(&typed, &ResizeOptions::default()).unwrap();
    assert_eq!(a, b);
    assert!(b.feasible && b.applied, "{}", b.json);
    assert_eq!(b.restarted_containers, vec!["app".to_string()]);
    assert!(b.writes.iter().all(|w| w.cgroup.is_empty()), "{:?}", b.writes);
}
