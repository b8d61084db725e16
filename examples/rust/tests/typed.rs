//! Typed pods through the binding: the same decisions as the pod's JSON, placements read
//! without JSON, and the errors of bad typed input.
use podalloc::{Container, ContainerKind, Isolation, MemoryBlock, Node, Pod, Resources, Topology};

const MACHINE: &str = "pack:1 numa:2(memory=8GiB) core:4 pu:2";
const CONFIGS: [&str; 2] = [
    r#"{"cpuManagerPolicy": "static", "reservedSystemCPUs": "0",
 "topologyManagerPolicy": "single-numa-node", "topologyManagerScope": "pod",
 "featureGates": {"PodLevelResourceManagers": true}}"#,
    r#"{"cpuManagerPolicy": "static", "reservedSystemCPUs": "0",
 "topologyManagerPolicy": "best-effort"}"#,
];

fn node(config: &str) -> Node {
    let topology = Topology::from_synthetic(MACHINE).unwrap();
    Node::new(&topology, config.as_bytes()).unwrap()
}

fn guaranteed(cpu: i64) -> Resources {
    Resources {
        cpu_milli: Some(cpu * 1000),
        memory_bytes: Some(cpu << 30),
        ..Default::default()
    }
}

/// A pod-level budget of `budget` CPUs and Guaranteed containers of the given CPUs (0: none),
/// as JSON and as a typed Pod.
fn pod(uid: &str, budget: i64, containers: &[i64]) -> (String, Pod) {
    let mut typed = Pod {
        name: uid.into(),
        namespace: "default".into(),
        uid: uid.into(),
        pod_resources: Some((guaranteed(budget), guaranteed(budget))),
        ..Default::default()
    };
    let mut list = Vec::new();
    for (i, &cpu) in containers.iter().enumerate() {
        let name = format!("container-{}", i + 1);
        let mut c = Container {
            name: name.clone(),
            ..Default::default()
        };
        if cpu == 0 {
            list.push(format!(r#"{{"name": "{}"}}"#, name));
        } else {
            c.requests = guaranteed(cpu);
            c.limits = guaranteed(cpu);
            let own = format!(r#"{{"cpu": "{}", "memory": "{}Gi"}}"#, cpu, cpu);
            list.push(format!(
                r#"{{"name": "{}", "resources": {{"requests": {}, "limits": {}}}}}"#,
                name, own, own
            ));
        }
        typed.containers.push(c);
    }
    let b = format!(r#"{{"cpu": "{0}", "memory": "{0}Gi"}}"#, budget);
    let json = format!(
        r#"{{"metadata": {{"name": "{0}", "namespace": "default", "uid": "{0}"}},
 "spec": {{"resources": {{"requests": {1}, "limits": {1}}}, "containers": [{2}]}}}}"#,
        uid,
        b,
        list.join(", ")
    );
    (json, typed)
}

#[test]
fn typed_pods_decide_as_their_json() {
    for config in CONFIGS {
        let (by_json, by_typed) = (node(config), node(config));
        for (i, (budget, containers)) in [
            (4, vec![2, 0, 0]),
            (3, vec![1, 1, 1]),
            (8, vec![8]),
            (20, vec![2]),
        ]
        .iter()
        .enumerate()
        {
            let (json, typed) = pod(&format!("pod-{}", i), *budget, containers);
            let a = by_json.admit(json.as_bytes()).unwrap();
            let b = by_typed.admit_pod(&typed).unwrap();
            let (ja, jb) = (a.to_json().unwrap(), b.to_json().unwrap());
            assert_eq!(String::from_utf8_lossy(&ja), String::from_utf8_lossy(&jb));
            let placements = b.placements().unwrap();
            if b.admitted() {
                assert_eq!(placements.len(), containers.len());
            }
            for p in &placements {
                let needle = format!(r#""name":"{}""#, p.name);
                assert!(String::from_utf8_lossy(&jb).contains(&needle));
                assert_eq!(p.kind, ContainerKind::App);
            }
            assert_eq!(b.reason().0.is_empty(), b.admitted());
            by_json.commit(&a).unwrap();
            by_typed.commit(&b).unwrap();
        }
        assert_eq!(by_json.state().unwrap(), by_typed.state().unwrap());
    }
}

#[test]
fn bad_typed_input_names_the_field() {
    let n = node(CONFIGS[1]);
    let (_, mut typed) = pod("bad", 4, &[2]);
    typed.containers[0].requests.cpu_milli = Some(-1);
    let err = n.admit_pod(&typed).err().expect("negative request");
    assert!(
        err.message
            .starts_with("pod->containers[0].requests.cpu_milli: -1"),
        "{}",
        err.message
    );
    let (_, mut typed) = pod("bad", 4, &[2]);
    typed.containers[0].kind = ContainerKind::Ephemeral;
    let err = n.admit_pod(&typed).err().expect("no app container");
    assert!(
        err.message.starts_with("spec.containers: required"),
        "{}",
        err.message
    );
    let (_, typed) = pod("ok", 4, &[2]);
    let d = n.admit_and_commit_pod(&typed).unwrap();
    assert!(d.admitted());
    assert_eq!(d.placements().unwrap()[0].cpus.count(), 2);
}

/// Isolation and the Static memory manager's blocks come with each placement.
#[test]
fn placements_carry_isolation_and_memory_blocks() {
    let node = node(
        r#"{"cpuManagerPolicy": "static", "reservedSystemCPUs": "0",
 "topologyManagerPolicy": "single-numa-node", "memoryManagerPolicy": "Static",
 "reservedMemory": [{"numaNode": 0, "limits": {"memory": "512Mi"}},
                    {"numaNode": 1, "limits": {"memory": "512Mi"}}]}"#,
    );
    let shared = Resources {
        cpu_milli: Some(500),
        memory_bytes: Some(128 << 20),
        ..Default::default()
    };
    let p = Pod {
        name: "g".into(),
        namespace: "default".into(),
        uid: "g".into(),
        containers: vec![
            Container {
                name: "app".into(),
                requests: guaranteed(2),
                limits: guaranteed(2),
                ..Default::default()
            },
            Container {
                name: "side".into(),
                requests: shared.clone(),
                limits: shared,
                ..Default::default()
            },
        ],
        ..Default::default()
    };
    let d = node.admit_pod(&p).unwrap();
    assert!(d.admitted());
    let placements = d.placements().unwrap();
    assert_eq!(placements[0].isolation, Isolation::Container);
    assert_eq!(
        placements[0].memory_blocks,
        vec![MemoryBlock {
            hugepage_size_bytes: 0,
            size_bytes: 2 << 30,
            numa_nodes: placements[0].memory_nodes,
        }]
    );
    assert_eq!(placements[1].isolation, Isolation::Host);
    assert_eq!(placements[1].memory_blocks.len(), 1);
    assert_eq!(placements[1].memory_blocks[0].size_bytes, 128 << 20);
}
