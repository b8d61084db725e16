# Kubelet test topologies are loaded through the discovery module's JSON reader; the
# property tests compare the lazy and materialised walks of the module's private layout.
target_link_libraries(test_cpu_manager PRIVATE podalloc_discovery)
target_include_directories(test_cpu_manager PRIVATE "${PROJECT_SOURCE_DIR}/lib/cpu_manager")
