# Kubelet test topologies are loaded through the discovery module's JSON reader; the
# property tests compare the lazy and materialised walks of the module's private layout.
target_link_libraries(test_cpu_manager PRIVATE podalloc_discovery)
target_include_directories(test_cpu_manager PRIVATE "${PROJECT_SOURCE_DIR}/lib/cpu_manager")
# The brute-force kubelet model lives in reference/ and is compiled into the test binary only.
target_sources(test_${module} PRIVATE "${dir}/reference/kubelet_distributed.cc")
