//! The binding against the C library: struct layouts as the header pins them, versions,
//! errors, and the kubelet's take-by-topology answers.
use podalloc::sys;
use podalloc::{pod_qos_class, CpuSet, Hint, Policy, QosClass, TakeOptions, Topology};
use std::mem::{align_of, size_of};

#[test]
fn struct_layouts_match_the_header() {
    assert_eq!(size_of::<sys::podalloc_buffer>(), 2 * size_of::<usize>());
    assert_eq!(size_of::<sys::podalloc_take_options>(), 12);
    assert_eq!(size_of::<sys::podalloc_hint>(), 16);
    assert_eq!(align_of::<sys::podalloc_hint>(), 8);
    assert_eq!(size_of::<sys::podalloc_merge_options>(), 12);
    assert_eq!(size_of::<sys::podalloc_merge_result>(), 24);
    assert_eq!(
        size_of::<sys::podalloc_resize_options>(),
        8 + size_of::<*const u8>() + size_of::<usize>()
    );
    // The typed pod structs (64-bit layout, as tests/capi/header_c99.c pins it).
    if size_of::<usize>() == 8 {
        assert_eq!(size_of::<sys::podalloc_text>(), 16);
        assert_eq!(size_of::<sys::podalloc_named_quantity>(), 24);
        assert_eq!(size_of::<sys::podalloc_resources>(), 48);
        assert_eq!(size_of::<sys::podalloc_resize_policy>(), 24);
        assert_eq!(size_of::<sys::podalloc_container>(), 144);
        assert_eq!(size_of::<sys::podalloc_pod>(), 240);
        assert_eq!(size_of::<sys::podalloc_container_placement>(), 80);
        assert_eq!(size_of::<sys::podalloc_device>(), 32);
        assert_eq!(size_of::<sys::podalloc_device_resource>(), 32);
        assert_eq!(size_of::<sys::podalloc_memory_block>(), 32);
        assert_eq!(size_of::<sys::podalloc_resize_summary>(), 104);
        assert_eq!(size_of::<sys::podalloc_cgroup_write>(), 56);
    }
    let mut r = sys::podalloc_resize_options::default();
    r.struct_size = 0;
    unsafe { sys::podalloc_resize_options_init(&mut r) };
    assert_eq!(
        r.struct_size as usize,
        size_of::<sys::podalloc_resize_options>()
    );
    let mut o = sys::podalloc_take_options::default();
    unsafe { sys::podalloc_take_options_init(&mut o) };
    assert_eq!(
        o.struct_size as usize,
        size_of::<sys::podalloc_take_options>()
    );
}

#[test]
fn version_matches() {
    assert!(
        podalloc::version_matches(),
        "loaded {}",
        podalloc::version()
    );
}

#[test]
fn errors_carry_code_and_message() {
    let err = Topology::from_json(b"{\"schema\":")
        .err()
        .expect("bad JSON accepted");
    assert_eq!(err.code, sys::PODALLOC_INVALID_ARGUMENT);
    assert_eq!(err.code_name(), "INVALID_ARGUMENT");
    assert!(!err.message.is_empty());
    assert!(CpuSet::parse("3-1").is_err());
}

// The kubelet's topoSingleSocketHT (CPU c on core c % 4).
const SINGLE_SOCKET_HT: &str = r#"{"name": "topoSingleSocketHT", "num_cpus": 8,
 "num_sockets": 1, "num_cores": 4, "num_numanodes": 1, "num_uncorecache": 1, "cpus": [
 {"cpu": 0, "core": 0, "socket": 0, "numa": 0}, {"cpu": 1, "core": 1, "socket": 0, "numa": 0},
 {"cpu": 2, "core": 2, "socket": 0, "numa": 0}, {"cpu": 3, "core": 3, "socket": 0, "numa": 0},
 {"cpu": 4, "core": 0, "socket": 0, "numa": 0}, {"cpu": 5, "core": 1, "socket": 0, "numa": 0},
 {"cpu": 6, "core": 2, "socket": 0, "numa": 0}, {"cpu": 7, "core": 3, "socket": 0, "numa": 0}]}"#;

#[test]
fn take_cpus_matches_the_kubelet() {
    let topology = Topology::from_json(SINGLE_SOCKET_HT.as_bytes()).unwrap();
    assert_eq!(topology.num_cpus(), 8);
    assert_eq!(topology.name(), "topoSingleSocketHT");
    let all = topology.cpus().unwrap();
    assert_eq!(all.to_string(), "0-7");
    let packed = TakeOptions::default();
    assert_eq!(
        topology.take_cpus(&all, 2, &packed).unwrap().to_string(),
        "0,4"
    );
    let some = CpuSet::parse("1,3,5-7").unwrap();
    assert_eq!(
        topology.take_cpus(&some, 1, &packed).unwrap().to_string(),
        "6"
    );
    let spread = TakeOptions {
        spread_across_cores: true,
        ..TakeOptions::default()
    };
    assert_eq!(
        topology.take_cpus(&all, 3, &spread).unwrap().to_string(),
        "0-2"
    );
    let err = topology
        .take_cpus(&CpuSet::parse("0,2,4,6").unwrap(), 5, &packed)
        .unwrap_err();
    assert_eq!(err.code, sys::PODALLOC_RESOURCE_EXHAUSTED);
    assert_eq!(
        err.message,
        "not enough cpus available to satisfy request: requested=5, available=4"
    );
}

#[test]
fn topology_is_shared_between_threads() {
    let topology =
        std::sync::Arc::new(Topology::from_synthetic("pack:2 numa:2 core:4 pu:2").unwrap());
    let handles: Vec<_> = (0..4)
        .map(|n| {
            let t = topology.clone();
            std::thread::spawn(move || {
                let all = t.cpus().unwrap();
                t.take_cpus(&all, 2 * (n + 1), &TakeOptions::default())
                    .unwrap()
                    .count()
            })
        })
        .collect();
    let counts: Vec<u32> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(counts, vec![2, 4, 6, 8]);
}

#[test]
fn merge_hints() {
    let topology = Topology::from_synthetic("pack:1 numa:2 core:2 pu:1").unwrap();
    let cpu = vec![
        Hint {
            affinity: Some(1),
            preferred: true,
        },
        Hint {
            affinity: Some(2),
            preferred: true,
        },
        Hint {
            affinity: Some(3),
            preferred: false,
        },
    ];
    let memory = vec![
        Hint {
            affinity: Some(2),
            preferred: true,
        },
        Hint {
            affinity: Some(3),
            preferred: false,
        },
    ];
    let (best, admit) = topology
        .merge_hints(&[cpu, memory], Policy::Restricted, false)
        .unwrap();
    assert_eq!(
        best,
        Hint {
            affinity: Some(2),
            preferred: true
        }
    );
    assert!(admit);
    let (best, admit) = topology
        .merge_hints(&[vec![]], Policy::Restricted, false)
        .unwrap();
    assert!(!best.preferred && !admit);
}

#[test]
fn qos_classes() {
    let guaranteed = br#"{"spec": {"containers": [{"name": "a", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}]}}"#;
    assert_eq!(pod_qos_class(guaranteed).unwrap(), QosClass::Guaranteed);
    assert_eq!(
        pod_qos_class(br#"{"spec": {"containers": [{"name": "a"}]}}"#).unwrap(),
        QosClass::BestEffort
    );
    assert!(pod_qos_class(b"[]").is_err());
}
