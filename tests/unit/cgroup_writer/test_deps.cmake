# The live test uses the machine's cgroup v2 hierarchy; it is its own executable so it can
# exit with 77, which CTest reports as Skipped when no suitable hierarchy is writable.
add_executable(test_cgroup_writer_live "${dir}/live/live_cgroup_test.cc")
target_link_libraries(test_cgroup_writer_live PRIVATE podalloc_cgroup_writer)
podalloc_warnings(test_cgroup_writer_live)
add_test(NAME "cgroup_writer: live cgroup v2 hierarchy" COMMAND test_cgroup_writer_live)
set_tests_properties("cgroup_writer: live cgroup v2 hierarchy" PROPERTIES
  SKIP_RETURN_CODE 77 TIMEOUT 60)
