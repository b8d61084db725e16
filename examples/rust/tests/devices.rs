//! GPUs as the third hint provider through the binding: a two-GPU pod lands on the NUMA node
//! with two GPUs, read typed and in the JSON alike; a second one does not fit.
use podalloc::{Container, Device, Node, Pod, Resources, Topology};

fn gpu_pod(uid: &str) -> Pod {
    let r = Resources {
        cpu_milli: Some(2000),
        memory_bytes: Some(1 << 30),
        other: vec![("example.com/gpu".into(), 2)],
        ..Default::default()
    };
    Pod {
        name: uid.into(),
        namespace: "default".into(),
        uid: uid.into(),
        containers: vec![Container {
            name: "train".into(),
            requests: r.clone(),
            limits: r,
            ..Default::default()
        }],
        ..Default::default()
    }
}

#[test]
fn devices_align_with_cpus() {
    let topology = Topology::from_synthetic("pack:1 numa:2(memory=16GiB) core:4 pu:2").unwrap();
    let node = Node::new(
        &topology,
        br#"{"cpuManagerPolicy": "static", "reservedSystemCPUs": "0",
 "topologyManagerPolicy": "single-numa-node"}"#,
    )
    .unwrap();
    let gpu = |id: &str, numa: u64| Device { id: id.into(), healthy: true, numa_nodes: Some(numa) };
    node.set_device_resource(
        "example.com/gpu",
        &[gpu("gpu-0", 1 << 1), gpu("gpu-1", 1 << 1), gpu("gpu-2", 1 << 0)],
    )
    .unwrap();

    let d = node.admit_and_commit_pod(&gpu_pod("first")).unwrap();
    assert!(d.admitted());
    let p = &d.placements().unwrap()[0];
    assert_eq!(
        p.devices,
        vec![("example.com/gpu".to_string(), vec!["gpu-0".to_string(), "gpu-1".to_string()])]
    );
    assert_eq!(p.hint.map(|h| h.0), Some(1 << 1));
    let json = String::from_utf8(d.to_json().unwrap()).unwrap();
    assert!(json.contains(r#""devices":{"example.com/gpu":["gpu-0","gpu-1"]}"#), "{}", json);

    let second = node.admit_pod(&gpu_pod("second")).unwrap();
    assert!(!second.admitted());
    assert!(!second.reason().0.is_empty());

    node.remove_device_resource("example.com/gpu").unwrap();
    assert!(node.remove_device_resource("example.com/gpu").is_err());
    assert!(node
        .set_device_resource("cpu", &[Device { id: "x".into(), healthy: true, numa_nodes: None }])
        .is_err());
}
