# The node tests build machines from TopologySpec directly; the CLI-facing tests use discovery.
target_link_libraries(test_node PRIVATE podalloc_discovery)
