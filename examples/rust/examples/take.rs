//! Takes CPUs on a synthetic machine as the kubelet's static policy would.
//! Usage: cargo run --example take -- "<hwloc synthetic>" <count>
use podalloc::{TakeOptions, Topology};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let description = args
        .get(1)
        .map(String::as_str)
        .unwrap_or("pack:2 numa:2 core:8 pu:2");
    let count: i32 = args.get(2).map(|s| s.parse()).transpose()?.unwrap_or(4);
    let topology = Topology::from_synthetic(description)?;
    let taken = topology.take_cpus(&topology.cpus()?, count, &TakeOptions::default())?;
    println!(
        "podalloc {}: {} CPUs of \"{}\": {}",
        podalloc::version(),
        count,
        description,
        taken
    );
    Ok(())
}
