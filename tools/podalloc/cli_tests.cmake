# End-to-end runs of the podalloc command (exit codes and output), registered with CTest under
# "podalloc_cli: ...". The fixtures come from tests/data/fixtures.
set(_fx "${PODALLOC_TEST_DATA_DIR}/fixtures")
function(podalloc_cli_test name regex)
  add_test(NAME "podalloc_cli: ${name}" COMMAND podalloc_cli ${ARGN})
  set_tests_properties("podalloc_cli: ${name}" PROPERTIES PASS_REGULAR_EXPRESSION "${regex}")
endfunction()
function(podalloc_cli_exit_test name code)
  # A wrapper checks the exit code, since CTest only knows "zero" and "non-zero".
  add_test(NAME "podalloc_cli: ${name}"
           COMMAND ${CMAKE_COMMAND} -DCODE=${code} -P "${CMAKE_CURRENT_SOURCE_DIR}/expect_exit.cmake"
                   -- $<TARGET_FILE:podalloc_cli> ${ARGN})
endfunction()
# The exit code and the output both: a usage error (2) must name the argument it refuses.
function(podalloc_cli_exit_match_test name code regex)
  add_test(NAME "podalloc_cli: ${name}"
           COMMAND ${CMAKE_COMMAND} -DCODE=${code} "-DMATCH=${regex}"
                   -P "${CMAKE_CURRENT_SOURCE_DIR}/expect_exit.cmake"
                   -- $<TARGET_FILE:podalloc_cli> ${ARGN})
endfunction()

podalloc_cli_test("help lists topology" "topology +print" help)
podalloc_cli_test("synthetic summary" "Sockets: +2.*NUMA nodes: +8.*Cores: +192.*L3 groups: +24"
                  topology --synthetic "pack:2 numa:4 l3:3 core:8 pu:2")
podalloc_cli_test("xml summary with distances" "NUMA nodes: +24.*Distances:.* 79"
                  topology --xml "${_fx}/hwloc-192em64t-24n8c2t.xml")
podalloc_cli_test("json export" "\"schema\": \"podalloc.topology/v1\""
                  topology --xml "${_fx}/hwloc-memorysidecaches.xml" --format json)
podalloc_cli_test("sysfs summary" "NUMA nodes: +64"
                  topology --sysfs "${CMAKE_BINARY_DIR}/fixtures/sysfs-256ia64-64n2s2c/256ia64-64n2s2c")
podalloc_cli_test("this machine" "Topology: host.*Devices" topology)
# Devices with their NUMA nodes: the one XML fixture with I/O objects, the derived sysfs tree.
podalloc_cli_test("xml devices with their NUMA nodes"
                  "Devices \\(12 PCI, 10 OS.*\n +ID +KIND +PCI +VENDOR:DEVICE +NUMA +NAME\n.*\n +0000:01:00\\.0 +network +- +8086:1521 +0 +I350 Gigabit Network Connection\n.*\n +0003:01:00\\.0 +network +- +15b3:1003 +6 +MT27500.*\n +ib0 +network +0003:01:00\\.0 +15b3:1003 +6 .*\n +mlx4_0 +openfabrics +0003:01:00\\.0 +15b3:1003 +6 .*\n +sdb +block +0001:02:00\\.0 +1000:0079 +1 "
                  topology --xml "${_fx}/hwloc-192em64t-24n8c2t.xml")
podalloc_cli_test("xml devices in the json export"
                  "\"devices\": \\[\n.*\"id\":\"0002:04:00\\.1\",\"kind\":\"network\".*\"numa_nodes\":\\[4\\]\\}.*\"id\":\"mlx4_0\",\"kind\":\"openfabrics\",\"pci_bus_id\":\"0003:01:00\\.0\".*\"numa_nodes\":\\[6\\]"
                  topology --xml "${_fx}/hwloc-192em64t-24n8c2t.xml" --format json)
podalloc_cli_test("sysfs devices with their NUMA nodes"
                  "\n +0000:00:17\\.0 +storage +- +8086:a182 +unknown\n +0000:17:00\\.0 +gpu +- +10de:20b0 +0\n.*\n +mlx5_0 +openfabrics +0000:31:00\\.0 +15b3:101b +1\n"
                  topology --sysfs "${PODALLOC_TEST_DATA_DIR}/derived/sysfs-pci-4cpu-2n")
podalloc_cli_test("a synthetic machine has no devices" "Devices: none found"
                  topology --synthetic "pack:2 numa:4 l3:3 core:8 pu:2")
podalloc_cli_exit_test("no subcommand is bad usage" 2)
podalloc_cli_exit_test("unknown subcommand is bad usage" 2 frobnicate)
podalloc_cli_exit_test("unknown flag is bad usage" 2 topology --nope x)
podalloc_cli_exit_test("two sources are bad usage" 2 topology --xml a --sysfs b)
podalloc_cli_exit_test("bad format is bad usage" 2 topology --format yaml)
podalloc_cli_exit_test("missing file is a failure" 1 topology --xml /nonexistent.xml)
podalloc_cli_exit_test("bad synthetic string is a failure" 1 topology --synthetic "bogus:2")
podalloc_cli_exit_test("bad json is a failure" 1 topology --json "${_fx}/README.md")

# simulate: the built-in example, a described machine with the shared fixtures, usage errors.
if(TARGET podalloc_node)
  podalloc_cli_test("simulate default admits the KEP examples"
                    "kep-mixed.*admitted.*c1 +app +container.*kep-empty-shared-pool.*REJECTED"
                    simulate --default)
  podalloc_cli_test("simulate default as JSON" "\"pod_level\":true" simulate --default --json)
  podalloc_cli_test("simulate explain prints cgroup files" "cpu.max = max 100000"
                    simulate --default --explain)
  # Devices: the default machine's GPUs on NUMA nodes 1 and 3, the built-in GPU pod placed
  # with both GPUs on node 1; a pod of 3 GPUs refused, the device hints shown by --explain.
  podalloc_cli_test("simulate default places the GPU pod with its GPUs"
                    "devices: nvidia.com/gpu: gpu-0@NUMA1 gpu-1@NUMA1 gpu-2@NUMA3 gpu-3@NUMA3
.*gpu-trainer \\(uid pod-6\\): admitted.*trainer +app +container +16-19 +1 +off +4Gi +nvidia.com/gpu=gpu-0,gpu-1 +4 exclusive CPUs"
                    simulate --default)
  podalloc_cli_test("simulate default JSON lists devices"
                    "\"devices\":{\"nvidia.com/gpu\":\\[\"gpu-0\",\"gpu-1\"\\]}"
                    simulate --default --json)
  podalloc_cli_test("simulate explain shows the device hints of a refused pod"
                    "three-gpus.*REJECTED.*device_manager:
 +nvidia.com/gpu: preferred {1,3}; not preferred"
                    simulate --default --pods "${CMAKE_CURRENT_SOURCE_DIR}/testdata/three_gpu_pod.json" --explain)
  podalloc_cli_test("simulate with a devices file"
                    "devices: example.com/nic: nic-0@NUMA0 nic-1@NUMA1 nic-2
"
                    simulate --default --devices "${CMAKE_CURRENT_SOURCE_DIR}/testdata/nic_devices.json")
  podalloc_cli_exit_test("simulate with a bad devices file fails" 1
                         simulate --default --devices "${CMAKE_CURRENT_SOURCE_DIR}/testdata/bad_devices.json")
  podalloc_cli_exit_test("simulate without a machine is bad usage" 2 simulate)
  podalloc_cli_exit_test("simulate with two machines is bad usage" 2 simulate --default --host)
  podalloc_cli_exit_test("simulate with a missing pod file fails" 1
                         simulate --default --pods /nonexistent.json)
  # Resize steps after the admissions: the Burstable pod grows (pod cgroup first), the
  # Guaranteed container under the static CPU manager cannot.
  set(_resize "${CMAKE_CURRENT_SOURCE_DIR}/testdata/resize_default_pods.json")
  podalloc_cli_test("simulate resize prints outcomes and ordered writes"
                    "resize default/burstable \\(uid pod-5\\): accepted\n.*1 +\\(pod\\) +cpu.weight +39\n +2 +web +cpu.weight +100\n.*resize default/kep-mixed \\(uid pod-2\\): Infeasible \\(guaranteed_pod_cpu_manager_static_policy\\)\n +message: Resize is infeasible for Guaranteed Pods"
                    simulate --default --resize "${_resize}")
  podalloc_cli_test("simulate resize as JSON"
                    "\"uid\":\"pod-5\"},\"feasible\":true.*\"applied\":true.*\"cgroup\":\"\",\"file\":\"cpu.weight\",\"value\":\"39\".*\"uid\":\"pod-2\"},\"feasible\":false,\"reason\":\"Infeasible\""
                    simulate --default --json --resize "${_resize}")
  podalloc_cli_exit_test("simulate resize of a pod not admitted fails" 1
                         simulate --synthetic "pack:1 core:2 pu:2" --resize "${_resize}")
  podalloc_cli_exit_test("simulate with a missing resize file fails" 1
                         simulate --default --resize /nonexistent.json)
  podalloc_cli_exit_test("simulate --resize needs a file" 2 simulate --default --resize)
  # A kubeadm-style KubeletConfiguration in YAML: the fields podalloc does not read are
  # skipped, an unknown field and an unmodelled feature gate are warnings on stderr, and
  # LimitedSwap gives the Burstable container its share of the machine's swap.
  set(_kubelet_config "${CMAKE_CURRENT_SOURCE_DIR}/testdata/kubelet-config.yaml")
  podalloc_cli_test("simulate with a kubeadm KubeletConfiguration warns and admits"
                    "warning: unknown field \"imageGCHighThreshold\": ignored.*warning: featureGates.RotateKubeletServerCertificate: not a gate podalloc models.*config: cpu static \\(reserved CPUs 0-1\\), memory Static, topology restricted \\(scope pod\\).*kep-mixed.*admitted"
                    simulate --default --config "${_kubelet_config}" --swap 4Gi)
  podalloc_cli_test("simulate with LimitedSwap writes memory.swap.max"
                    "burstable.*memory.swap.max = 16777216"
                    simulate --default --config "${_kubelet_config}" --swap 4Gi --explain)
  podalloc_cli_test("simulate reads YAML pods"
                    "yaml-pod \\(uid yaml-1\\): admitted, Burstable"
                    simulate --default --config "${_kubelet_config}"
                    --pods "${CMAKE_CURRENT_SOURCE_DIR}/testdata/pods.yaml")
  podalloc_cli_exit_test("simulate refuses swap with failSwapOn" 1
                         simulate --default --swap 4Gi)
  # Resource fit at admission: two 40-CPU Burstable pods on the 64-CPU default machine (62
  # allocatable once CPUs 0-1 are reserved); the second is the kubelet's OutOfcpu.
  set(_big "${CMAKE_CURRENT_SOURCE_DIR}/testdata/burstable_40cpu_pods.json")
  podalloc_cli_test("simulate refuses the second 40-CPU Burstable pod"
                    "big-1 \\(uid big-1\\): admitted.*big-2 \\(uid big-2\\): REJECTED, Burstable.*\n  reason: OutOfcpu: Node didn't have enough resource: cpu, requested: 40000, used: 40000, capacity: 62000"
                    simulate --default --pods "${_big}")
  podalloc_cli_test("simulate explain says what is short"
                    "resource fit against node allocatable:\n    cpu: short by 18 \\(requested 40, used 40, allocatable 62\\)"
                    simulate --default --pods "${_big}" --explain)
  podalloc_cli_test("simulate JSON lists the insufficient resources"
                    "\"reason\":\"OutOfcpu\".*\"insufficient_resources\":\\[\\{\"resource\":\"cpu\",\"requested\":40000,\"used\":40000,\"capacity\":62000,\"short_by\":18000"
                    simulate --default --pods "${_big}" --json)
  podalloc_cli_test("simulate explain names the provider that left no admissible merge"
                    "TopologyAffinityError.*no admissible merge once memory_manager's hints are added\n    cpu_manager:\n      cpu: preferred \\{0\\} \\{1\\} \\{2\\} \\{3\\}; not preferred.*memory_manager:\n      memory: preferred \\{0,1\\}"
                    simulate --default --pods "${CMAKE_CURRENT_SOURCE_DIR}/testdata/unaligned_guaranteed_pod.json" --explain)
  # The table is read back by columns: a 40-character container name and a 200-CPU cpuset on the
  # 384-CPU fixture (SMT siblings 192 apart) keep every column where its header starts.
  add_test(NAME "podalloc_cli: simulate table stays aligned with long names and cpusets"
           COMMAND ${CMAKE_COMMAND} -DHEADER=CONTAINER -DCOLUMN=CPUSET
                   "-DCELL=1-4,8-103,193-196,200-295"
                   -P "${CMAKE_CURRENT_SOURCE_DIR}/expect_table.cmake" --
                   $<TARGET_FILE:podalloc_cli> simulate --xml "${_fx}/hwloc-192em64t-24n8c2t.xml"
                   --config "${CMAKE_CURRENT_SOURCE_DIR}/testdata/static_cpu_config.yaml"
                   --pods "${CMAKE_CURRENT_SOURCE_DIR}/testdata/wide_table_pods.json")
  podalloc_cli_test("simulate prints memory limits as quantities"
                    "a-container-name-of-forty-characters-xyz  app .* 16Gi .*side .* 1536Mi "
                    simulate --xml "${_fx}/hwloc-192em64t-24n8c2t.xml"
                    --config "${CMAKE_CURRENT_SOURCE_DIR}/testdata/static_cpu_config.yaml"
                    --pods "${CMAKE_CURRENT_SOURCE_DIR}/testdata/wide_table_pods.json")
  podalloc_cli_test("simulate derives reserved CPUs from kubeReserved and systemReserved"
                    "config: cpu static \\(reserved CPUs 0-1\\)"
                    simulate --default --config "${CMAKE_CURRENT_SOURCE_DIR}/testdata/reservation_config.json" --pods "${_big}")
endif()

# nrt: the NodeResourceTopology of the spec's worked examples (tests/data/derived/nrt).
if(TARGET podalloc_nrt)
  set(_nrt "${PODALLOC_TEST_DATA_DIR}/derived/nrt")
  podalloc_cli_test("nrt prints the object with zones and fingerprint"
                    "\"kind\": \"NodeResourceTopology\".*\"name\": \"node-1\".*\"available\": \"5\".*\"name\": \"nodeTopologyPodsFingerprint\",\n *\"value\": \"pfp0v001[0-9a-f]+\".*\"value\": \"restricted\""
                    nrt --json-topology "${_nrt}/example4-topology.json"
                    --config "${_nrt}/example4-config.json"
                    --pods "${_nrt}/pods/pod-x.json" "${_nrt}/pods/pod-b.json" --node-name worker-0)
  podalloc_cli_test("nrt as YAML in rte mode"
                    "\"apiVersion\": \"topology.node.k8s.io/v1alpha2\"\n\"kind\": \"NodeResourceTopology\"\n.*  - \"name\": \"memory\"\n    \"capacity\": \"12884901888\"\n    \"allocatable\": \"10737418240\"\n    \"available\": \"0\""
                    nrt --json-topology "${_nrt}/example3-topology.json"
                    --config "${_nrt}/example3-config.json" --pods "${_nrt}/pods/bigmem-0.json"
                    --mode rte --format yaml)
  podalloc_cli_exit_test("nrt with an unknown mode is bad usage" 2 nrt --default --mode nfd)
  podalloc_cli_exit_test("nrt without a machine is bad usage" 2 nrt --format yaml)
endif()

# fits: pod-x fills NUMA node 0, pod-b and pod-a land on node 1, which keeps 3 CPUs; 4 would
# need both nodes, which restricted refuses. Then the non-monotone Example 4 (pod-x removed
# after pod-b was placed) as a running node: its pods and its cpu_manager_state restored.
if(TARGET podalloc_nrt)
  podalloc_cli_test("fits reports the largest pod, per zone, and why the next size fails"
                    "policy restricted, scope container \\(configured\\)\n  cpu +largest 3 +on NUMA 1 +\\(available 3\\)\n +per zone: node-0 0 node-1 3\n +next 4: TopologyAffinityError"
                    fits --json-topology "${_nrt}/example4-topology.json"
                    --config "${_nrt}/example4-config.json"
                    --pods "${_nrt}/pods/pod-x.json" "${_nrt}/pods/pod-b.json" "${_nrt}/pods/pod-a.json")
  podalloc_cli_test("fits as JSON with what-if policies and shapes"
                    "\"policy\": \"single-numa-node\",\n *\"scope\": \"container\",\n *\"configured\": false.*\"shapes\": \\[\n *{\n *\"pod\": \"default/pod-a\",\n *\"admitted\": true"
                    fits --json-topology "${_nrt}/example4-topology.json"
                    --config "${_nrt}/example4-config.json" --pods "${_nrt}/pods/pod-b.json"
                    --what-if single-numa-node --shapes "${_nrt}/pods/pod-a.json" --json)
  podalloc_cli_test("fits on the non-monotone state finds 10 CPUs where bisection would say 5"
                    "policy restricted, scope container \\(configured\\)\n  cpu +largest 10 +on NUMA 0,1 +\\(available 10\\)\n +per zone: node-0 5 node-1 5\n +next 11:"
                    fits --json-topology "${_nrt}/example4-topology.json"
                    --config "${_nrt}/example4-config.json"
                    --running "${_nrt}/example4-running.json"
                    --cpu-state "${_nrt}/example4-cpu_manager_state")
  podalloc_cli_exit_test("fits refuses a checkpoint that does not match the running pods" 1
                         fits --json-topology "${_nrt}/example4-topology.json"
                         --config "${_nrt}/example4-config.json"
                         --running "${_nrt}/pods/pod-a.json"
                         --cpu-state "${_nrt}/example4-cpu_manager_state")
  podalloc_cli_exit_test("fits with a bad floor is bad usage" 2 fits --default --cpu-floor 0)
  podalloc_cli_exit_test("fits with an unknown what-if policy fails" 1
                         fits --default --what-if sometimes)
endif()

# draw: the picture of the README (machine with SMT siblings 40 apart and sub-NUMA nodes),
# every CPU drawn once and rendered by a real SVG renderer; the built-in example too.
function(podalloc_draw_test name cpus)
  add_test(NAME "podalloc_cli: draw ${name}"
           COMMAND ${CMAKE_COMMAND} "-DOUT=${CMAKE_CURRENT_BINARY_DIR}/draw-${cpus}.svg"
                   "-DPNG=${CMAKE_CURRENT_BINARY_DIR}/draw-${cpus}.png" -DCPUS=${cpus}
                   -P "${CMAKE_CURRENT_SOURCE_DIR}/expect_svg.cmake" --
                   $<TARGET_FILE:podalloc_cli> draw ${ARGN}
                   -o "${CMAKE_CURRENT_BINARY_DIR}/draw-${cpus}.svg")
  set_tests_properties("podalloc_cli: draw ${name}" PROPERTIES SKIP_REGULAR_EXPRESSION "SKIP: ")
endfunction()
# (--input, not -i: "cmake -P" itself takes -i for an option of its own)
podalloc_draw_test("a sub-NUMA machine with pods renders" 80
                   --input "${_fx}/hwloc-memorysidecaches.xml"
                   --config "${CMAKE_CURRENT_SOURCE_DIR}/testdata/draw_config.yaml"
                   --pods "${CMAKE_CURRENT_SOURCE_DIR}/testdata/draw_pods.yaml")
podalloc_draw_test("the built-in example renders" 64 --default)
podalloc_draw_test("a 24-NUMA machine with its PCI devices renders" 384
                   --input "${_fx}/hwloc-192em64t-24n8c2t.xml")
podalloc_cli_test("draw shows PCI devices with their OS devices in their NUMA node"
                  "network 0003:01:00.0 \\(ib0, mlx4_0\\)"
                  draw --xml "${_fx}/hwloc-192em64t-24n8c2t.xml")
podalloc_cli_test("draw writes SVG to stdout with a legend"
                  "<svg xmlns=.*Legend.*reserved CPUs 0-1.*default/kep-mixed: c1 \\(exclusive\\) 6-7.*refused, TopologyAffinityError"
                  draw --default)
podalloc_cli_exit_test("draw refuses an unknown flag" 2 draw --default --frobnicate)
podalloc_cli_exit_test("draw with a missing --input is bad usage" 2
                       draw --input /nonexistent/machine.xml)

# -i recognises each kind of input; "--flag=value" works like "--flag value".
podalloc_cli_test("-i reads an hwloc XML file" "hwloc-192em64t-24n8c2t: 24 sockets"
                  simulate -i "${_fx}/hwloc-192em64t-24n8c2t.xml" --pods "${CMAKE_CURRENT_SOURCE_DIR}/testdata/pods.yaml")
podalloc_cli_test("-i reads a sysfs root" "64 NUMA nodes"
                  simulate "--input=${CMAKE_BINARY_DIR}/fixtures/sysfs-256ia64-64n2s2c/256ia64-64n2s2c")
podalloc_cli_test("-i reads a synthetic description" "2 sockets, 2 NUMA nodes, 16 CPUs"
                  simulate -i "pack:2 numa:1 core:4 pu:2")
podalloc_cli_test("--xml=F works as --xml F" "hwloc-memorysidecaches: 2 sockets"
                  simulate "--xml=${_fx}/hwloc-memorysidecaches.xml")
podalloc_cli_test("--help after other flags prints the help" "usage: podalloc simulate"
                  simulate --default --help)

# Bad input names the file, the line and the column.
podalloc_cli_test("bad pod JSON names file, line and column"
                  "bad_pod.json: not valid JSON: parse error at line 2, column 40"
                  simulate --default --pods "${CMAKE_CURRENT_SOURCE_DIR}/testdata/bad_pod.json")
podalloc_cli_test("bad config YAML names file, line and column"
                  "bad_config.yaml: node config: not valid YAML: yaml: line 5, column 2"
                  simulate --default --config "${CMAKE_CURRENT_SOURCE_DIR}/testdata/bad_config.yaml")
podalloc_cli_exit_test("bad pod JSON is a failure" 1
                       simulate --default --pods "${CMAKE_CURRENT_SOURCE_DIR}/testdata/bad_pod.json")
podalloc_cli_test("-i reads a topology JSON file" "192 CPUs"
                  simulate -i "${PODALLOC_TEST_DATA_DIR}/derived/repeated-core-ids-192cpu-64gi-numa.json")
podalloc_cli_exit_test("-i of a file that is neither XML nor JSON is bad usage" 2
                       simulate --input "${CMAKE_CURRENT_SOURCE_DIR}/testdata/pods.yaml")

# Every subcommand answers --help with its usage and examples or flags, exit 0.
foreach(_sub topology simulate nrt fits draw explain)
  podalloc_cli_test("${_sub} --help" "usage: podalloc ${_sub}" ${_sub} --help)
  podalloc_cli_exit_test("${_sub} --help exits 0" 0 ${_sub} --help)
endforeach()
podalloc_cli_test("topology -i lists the PCI devices of an XML export" "NUMA nodes: +24.*eth0"
                  topology -i "${_fx}/hwloc-192em64t-24n8c2t.xml")
podalloc_cli_test("topology -o json" "\"schema\": \"podalloc.topology/v1\""
                  topology "--input=pack:1 core:2 pu:2" -o json)
podalloc_cli_exit_test("topology with --output and --format is bad usage" 2
                       topology --synthetic "pack:1 core:2 pu:2" -o json --format json)
podalloc_cli_test("simulate --output yaml" "- \"pod\":\n    \"uid\": \"pod-1\""
                  simulate --default --output yaml)
podalloc_cli_exit_test("simulate --output of an unknown format is bad usage" 2
                       simulate --default --output xml)
add_test(NAME "podalloc_cli: simulate --svg draws the node after the pods"
         COMMAND ${CMAKE_COMMAND} "-DOUT=${CMAKE_CURRENT_BINARY_DIR}/simulate-64.svg"
                 "-DPNG=${CMAKE_CURRENT_BINARY_DIR}/simulate-64.png" -DCPUS=64
                 -P "${CMAKE_CURRENT_SOURCE_DIR}/expect_svg.cmake" --
                 $<TARGET_FILE:podalloc_cli> simulate --default
                 --svg "${CMAKE_CURRENT_BINARY_DIR}/simulate-64.svg")
set_tests_properties("podalloc_cli: simulate --svg draws the node after the pods" PROPERTIES
                     SKIP_REGULAR_EXPRESSION "SKIP: ")
podalloc_cli_test("draw names who holds each device-plugin device"
                  "nvidia.com/gpu gpu-0: default/gpu-trainer: trainer"
                  draw --default)

# The CLI11 command line: every subcommand's help shows examples; --help wins wherever it is;
# -o chooses each output; "--flag=value" and "--flag value" read the same; usage errors exit 2
# and name what they refuse.
foreach(_sub topology simulate nrt fits draw explain)
  podalloc_cli_test("${_sub} --help shows an example" "examples:\n  podalloc ${_sub} " ${_sub} --help)
  podalloc_cli_exit_match_test("${_sub} -h exits 0 with the usage" 0 "^usage: podalloc ${_sub} " ${_sub} -h)
  podalloc_cli_exit_match_test("help ${_sub} prints its help" 0 "usage: podalloc ${_sub} .*examples:"
                               help ${_sub})
endforeach()
podalloc_cli_exit_match_test("--version prints the version" 0 "^podalloc [0-9]+\\.[0-9]+\\.[0-9]+\n$" --version)
podalloc_cli_exit_match_test("--help lists the subcommands" 0 "usage: podalloc <subcommand>.*draw +draw the node" --help)
podalloc_cli_exit_match_test("--help wins over a bad value before it" 0 "^usage: podalloc simulate "
                             simulate --default -o xml --help)
podalloc_cli_exit_match_test("--help taken as a flag's value still prints the help" 0
                             "^usage: podalloc simulate " simulate --default --svg --help)
podalloc_cli_exit_match_test("unknown subcommand is named" 2 "unknown subcommand \"frobnicate\""
                             frobnicate)
podalloc_cli_exit_match_test("unknown flag is named" 2
                             "podalloc simulate: unexpected argument \"--bogus\"\nRun 'podalloc simulate --help'"
                             simulate --default --bogus)
podalloc_cli_exit_match_test("stray argument is named" 2 "podalloc draw: unexpected argument \"extra\""
                             draw --default extra)
podalloc_cli_exit_match_test("bad --output value names flag and value" 2
                             "--output: \"xml\" is not one of table, wide, json, yaml"
                             simulate --default --output=xml)
podalloc_cli_exit_match_test("two machines name both flags" 2 "--default excludes --host"
                             simulate --default --host)
podalloc_cli_exit_match_test("two described machines name both flags" 2 "--synthetic excludes --xml"
                             nrt --synthetic "pack:1 core:2 pu:2" --xml "${_fx}/hwloc-memorysidecaches.xml")
podalloc_cli_exit_match_test("no machine says how to name one" 2 "podalloc fits: name a machine: --default"
                             fits --no-zones)
podalloc_cli_exit_match_test("a flag without its value names the flag after it" 2
                             "--config: needs a value, not the flag --pods"
                             simulate --default --config --pods "${CMAKE_CURRENT_SOURCE_DIR}/testdata/pods.yaml")
podalloc_cli_exit_match_test("a bad quantity names flag and value" 2 "--swap: \"lots\" is not a quantity"
                             simulate --default --swap lots)
podalloc_cli_exit_match_test("-i of a missing file names it" 2 "--input: \"/nonexistent/m.xml\": no such file"
                             topology --input /nonexistent/m.xml)
podalloc_cli_exit_match_test("a bad nrt mode names the choices" 2 "--mode: \"nfd\" is not one of exact, rte"
                             nrt --default --mode=nfd)

# Each -o value. simulate: table as before (REASON last, no HINT); wide read back by columns.
podalloc_cli_test("simulate -o table is the default table"
                  "\n  CONTAINER +TYPE +ISOLATION +CPUSET +NUMA +QUOTA +MEMORY.MAX +DEVICES +REASON\n  trainer +app +container +16-19 +1 +off +4Gi +nvidia.com/gpu=gpu-0,gpu-1 +4 exclusive CPUs"
                  simulate --default -o table)
podalloc_cli_test("simulate -o wide adds hint, memory blocks and cgroup CPU values"
                  "\n  CONTAINER +TYPE +ISOLATION +CPUSET +NUMA +QUOTA +MEMORY.MAX +DEVICES +HINT +MEMORY.BLOCKS +CPU.MAX +CPU.WEIGHT +REASON\n  trainer +app +container +16-19 +1 +off +4Gi +nvidia.com/gpu=gpu-0,gpu-1 +1 preferred +memory=4Gi@NUMA1 +max 100000 +[0-9]+ +4 exclusive CPUs"
                  simulate --default -o wide)
add_test(NAME "podalloc_cli: simulate -o wide stays aligned"
         COMMAND ${CMAKE_COMMAND} -DHEADER=CONTAINER -DCOLUMN=MEMORY.BLOCKS "-DCELL=pool:memory=4Gi@NUMA0"
                 -P "${CMAKE_CURRENT_SOURCE_DIR}/expect_table.cmake" --
                 $<TARGET_FILE:podalloc_cli> simulate --default --output wide)
podalloc_cli_test("simulate -o json" "^\\[\n\\{\"pod\":\\{\"uid\":\"pod-1\"" simulate --default -o json)
podalloc_cli_test("simulate -o yaml" "^- \"pod\":\n    \"uid\": \"pod-1\"" simulate --default -o yaml)
podalloc_cli_test("simulate --explain -o wide lists the reasons below"
                  "HINT +MEMORY.BLOCKS +CPU.MAX +CPU.WEIGHT\n.*container trainer:\n +- "
                  simulate --default --explain -o wide)
podalloc_cli_test("topology -o text" "Sockets: +1" topology --synthetic "pack:1 core:2 pu:2" -o text)
podalloc_cli_test("topology --output=json" "\"schema\": \"podalloc.topology/v1\""
                  topology "--synthetic=pack:1 core:2 pu:2" --output=json)
podalloc_cli_test("nrt -o json" "{\n  \"apiVersion\": \"topology.node.k8s.io/v1alpha2\""
                  nrt --default -o json)
podalloc_cli_test("nrt -o yaml" "\"apiVersion\": \"topology.node.k8s.io/v1alpha2\"\n\"kind\""
                  nrt --default -o yaml)
podalloc_cli_test("fits -o text" "policy restricted, scope pod \\(configured\\)\n  cpu +largest"
                  fits --default -o text)
podalloc_cli_test("fits -o json" "{\n  \"stateVersion\": " fits --default --output json)

# "--flag=value" and "--flag value", and a multi-value flag that stops at the next flag.
podalloc_cli_test("--pods=A B takes both files"
                  "three-gpus \\(uid gpu-3\\): REJECTED.*yaml-pod \\(uid yaml-1\\): admitted"
                  simulate --default "--pods=${CMAKE_CURRENT_SOURCE_DIR}/testdata/three_gpu_pod.json"
                  "${CMAKE_CURRENT_SOURCE_DIR}/testdata/pods.yaml" --explain)
podalloc_cli_test("--config=C --swap=Q work as --config C --swap Q"
                  "config: cpu static \\(reserved CPUs 0-1\\), memory Static.*kep-mixed.*admitted"
                  simulate --default "--config=${CMAKE_CURRENT_SOURCE_DIR}/testdata/kubelet-config.yaml" --swap=4Gi)
podalloc_cli_test("nrt --exclude A B stops at the next flag"
                  "\"name\": \"node-1\",\n *\"annotations\".*\"name\": \"node-0\",\n *\"type\": \"Node\"\n *}"
                  nrt --default --exclude memory cpu --node-name=node-1)

podalloc_cli_test("a pod file without a namespace is in default, as kubectl reads it"
                  "pod default/two \\(uid default/two\\): admitted"
                  simulate --default --pods "${CMAKE_CURRENT_SOURCE_DIR}/testdata/no_namespace_pod.yaml")

# explain: one pod's admission on the default machine, every merge with each provider's hints.
if(TARGET podalloc_node)
  set(_td "${CMAKE_CURRENT_SOURCE_DIR}/testdata")
  podalloc_cli_test("explain shows each provider's hints for the GPU pod"
                    "gpu-trainer \\(uid pod-6\\): admitted\n.*pod: restricted policy, merged hint NUMA 1 \\(preferred\\), admitted\n    device_manager:\n      nvidia.com/gpu: preferred \\{1\\} \\{3\\}; not preferred \\{0,1\\}.*\n    cpu_manager:\n      cpu: preferred \\{0\\} \\{1\\} \\{2\\} \\{3\\};.*\n    memory_manager:\n      memory: preferred \\{0\\} \\{1\\} \\{2\\} \\{3\\};.*trainer \\(app\\)\n.*cpus: +16-19, exclusive\n.*devices: +nvidia.com/gpu gpu-0, gpu-1\n.*memory.max = 4294967296 \\(4Gi\\)"
                    explain --default --pod "${_td}/gpu_pod.json")
  podalloc_cli_test("explain says why a pod does not fit"
                    "big-2 \\(uid big-2\\): REFUSED\n  reason:  OutOfcpu: .*pod: restricted policy, merged hint .*, admitted\n.*cpu: short by 18 \\(requested 40, used 40, allocatable 62\\)"
                    explain --default --pods "${_td}/burstable_40cpu_pods.json"
                    --pod "${_td}/burstable_40cpu_pods.json" --name big-2)
  podalloc_cli_test("explain names the provider of a topology refusal"
                    "REFUSED\n  reason:  TopologyAffinityError: .*not admitted\n    no admissible merge once cpu_manager's hints are added\n    device_manager:\n      nvidia.com/gpu: preferred \\{1,3\\}"
                    explain --default --pod "${_td}/three_gpu_pod.json")
  podalloc_cli_test("explain under topology policy none says why nothing was merged"
                    "topology manager merges:\n  none: topology manager policy none"
                    explain --synthetic "pack:1 numa:2 core:4 pu:2" --pod "${_td}/gpu_pod.json")
  add_test(NAME "podalloc_cli: explain -o json parses"
           COMMAND ${CMAKE_COMMAND} "-DPATH=merges;0;providers;0;name" -DVALUE=device_manager
                   -P "${CMAKE_CURRENT_SOURCE_DIR}/expect_json.cmake" --
                   $<TARGET_FILE:podalloc_cli> explain --default --pod "${_td}/gpu_pod.json" -o json)
  add_test(NAME "podalloc_cli: explain -o json holds the decision"
           COMMAND ${CMAKE_COMMAND} "-DPATH=decision;containers;0;devices;nvidia.com/gpu;1"
                   -DVALUE=gpu-1 -P "${CMAKE_CURRENT_SOURCE_DIR}/expect_json.cmake" --
                   $<TARGET_FILE:podalloc_cli> explain --default --pod "${_td}/gpu_pod.json"
                   --output=json)
  podalloc_cli_exit_test("explain without --pod is bad usage" 2 explain --default)
  podalloc_cli_exit_test("explain -o of an unknown format is bad usage" 2
                         explain --default --pod "${_td}/gpu_pod.json" -o yaml)
  podalloc_cli_exit_test("explain of a file of several pods without --name fails" 1
                         explain --default --pod "${_td}/burstable_40cpu_pods.json")
  podalloc_cli_exit_test("explain of an unknown --name fails" 1
                         explain --default --pod "${_td}/gpu_pod.json" --name nope)
  podalloc_cli_exit_test("explain of an admitted pod fails" 1
                         explain --default --pods "${_td}/gpu_pod.json" --pod "${_td}/gpu_pod.json")
endif()
