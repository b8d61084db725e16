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

/// Two NUMA nodes of 4 cores, static CPU policy, single-numa-node.
fn device_node() -> Node {
    let topology = Topology::from_synthetic("pack:1 numa:2(memory=16GiB) core:4 pu:2").unwrap();
    Node::new(
        &topology,
        br#"{"cpuManagerPolicy": "static", "reservedSystemCPUs": "0",
 "topologyManagerPolicy": "single-numa-node"}"#,
    )
    .unwrap()
}

#[test]
fn devices_align_with_cpus() {
    let node = device_node();
    let gpu = |id: &str, numa: u64| Device { id: id.into(), healthy: true, numa_nodes: Some(numa) };
    node.set_device_resource(
        "example.com/gpu",
        &[gpu("gpu-0", 1 << 1), gpu("gpu-1", 1 << 1), gpu("gpu-2", 1 << 0)],
    )
    .unwrap();

    let why = String::from_utf8(
        node.explain(
            br#"{"metadata": {"name": "first", "uid": "first"}, "spec": {"containers": [
 {"name": "train", "resources": {"limits": {"cpu": "2", "memory": "1Gi",
  "example.com/gpu": "2"}}}]}}"#,
        )
        .unwrap(),
    )
    .unwrap();
    assert!(why.contains(r#""name":"device_manager""#), "{}", why);
    assert!(node.explain(b"{").is_err());

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

/// A device plugin's GetPreferredAllocation as a closure: of three FPGAs on one NUMA node, a
/// one-FPGA pod gets the one the plugin prefers; an error refuses the pod; cleared, ascending
/// IDs again.
#[test]
fn preferred_allocation_closure() {
    const FPGA: &str = "example.com/fpga";
    let node = device_node();
    let prefer_last = |resource: &str, available: &[String], must: &[String], size: usize| {
        assert_eq!((resource, must.len(), size), (FPGA, 0, 1));
        assert_eq!(available, ["fpga-0", "fpga-1", "fpga-2"]);
        Ok(vec!["not-offered".to_string(), available[available.len() - 1].clone()])
    };
    assert!(node.set_device_preferred_allocation(FPGA, prefer_last).is_err());
    let fpga = |id: &str| Device { id: id.into(), healthy: true, numa_nodes: Some(1 << 1) };
    node.set_device_resource(FPGA, &[fpga("fpga-0"), fpga("fpga-1"), fpga("fpga-2")]).unwrap();

    let r = Resources {
        cpu_milli: Some(2000),
        memory_bytes: Some(1 << 30),
        other: vec![(FPGA.into(), 1)],
        ..Default::default()
    };
    let pod = Pod {
        name: "p".into(),
        namespace: "default".into(),
        uid: "p".into(),
        containers: vec![Container {
            name: "c".into(),
            requests: r.clone(),
            limits: r,
            ..Default::default()
        }],
        ..Default::default()
    };
    let devices = || {
        let d = node.admit_pod(&pod).unwrap();
        if !d.admitted() {
            let (reason, message) = d.reason();
            assert!(message.contains(r#"returned 1: "plugin gone""#), "{}", message);
            return Err(reason);
        }
        Ok(d.placements().unwrap()[0].devices.clone())
    };
    let only = |id: &str| Ok(vec![(FPGA.to_string(), vec![id.to_string()])]);

    node.set_device_preferred_allocation(FPGA, prefer_last).unwrap();
    assert_eq!(devices(), only("fpga-2"));
    node.set_device_preferred_allocation(FPGA, |_: &str, _: &[String], _: &[String], _: usize| {
        Err("plugin gone".to_string())
    })
    .unwrap();
    assert_eq!(devices(), Err("UnexpectedAdmissionError".to_string()));
    node.clear_device_preferred_allocation(FPGA).unwrap();
    assert_eq!(devices(), only("fpga-0"));
}
