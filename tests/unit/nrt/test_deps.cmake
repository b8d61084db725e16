# The schema test exports the NRT object of every machine fixture, read through discovery.
target_link_libraries(test_nrt PRIVATE podalloc_discovery podalloc_yaml podalloc_resize)
