#!/usr/bin/env python3
"""Packs the sysfs files podalloc's topology reader reads into the text archive that
fuzz_sysfs.cc unpacks: one record per file, a header line "== <path below the root>" and the
file's bytes. Used to make the seed corpus from the captures in tests/data/fixtures.

Usage: tests/fuzz/sysfs_archive.py <capture root holding sys/> > corpus/sysfs/<name>
"""
import os
import re
import sys

# What lib/discovery/sysfs_*.cc reads (paths below the root).
READ = [
    r"sys/devices/system/cpu/online",
    r"sys/devices/system/cpu/cpu\d+/online",
    r"sys/devices/system/cpu/cpu\d+/topology/(core_cpus_list|thread_siblings_list|"
    r"thread_siblings|core_id|physical_package_id)",
    r"sys/devices/system/cpu/cpu\d+/cache/index\d+/(level|shared_cpu_list|shared_cpu_map|id)",
    r"sys/devices/system/cpu/cpu\d+/cpu_capacity",
    r"sys/devices/system/cpu/cpu\d+/cpufreq/(base_frequency|cpuinfo_max_freq)",
    r"sys/devices/cpu_(atom|core)/cpus",
    r"sys/devices/system/node/online",
    r"sys/devices/system/node/node\d+/(cpulist|cpumap|meminfo|distance)",
    r"sys/devices/system/node/node\d+/hugepages/hugepages-\d+kB/nr_hugepages",
    # PCI devices; an interface or RDMA device folder is carried by one file inside it.
    r"sys/bus/pci/devices/[^/]+/(class|vendor|device|numa_node)",
    r"sys/bus/pci/devices/[^/]+/(virtio\d+/)?net/[^/]+/address",
    r"sys/bus/pci/devices/[^/]+/infiniband/[^/]+/node_guid",
]
PATTERN = re.compile("^(" + "|".join(READ) + ")$")


def natural(path):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", path)]


def main():
    root = sys.argv[1]
    paths = []
    for directory, _, files in os.walk(root):
        for name in files:
            rel = os.path.relpath(os.path.join(directory, name), root)
            if PATTERN.match(rel):
                paths.append(rel)
    out = sys.stdout.buffer
    for rel in sorted(paths, key=natural):
        with open(os.path.join(root, rel), "rb") as f:
            body = f.read()
        out.write(b"== " + rel.encode() + b"\n" + body)
        if body and not body.endswith(b"\n"):
            out.write(b"\n")


if __name__ == "__main__":
    main()
