# The hwloc cross-checks drive hwloc directly through the discovery module's private mapping.
target_include_directories(test_discovery PRIVATE "${PROJECT_SOURCE_DIR}/lib/discovery")
target_link_libraries(test_discovery PRIVATE PkgConfig::HWLOC)
