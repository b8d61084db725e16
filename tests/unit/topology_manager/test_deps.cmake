# The brute-force kubelet model lives in reference/ and is compiled into the test binary only.
target_sources(test_${module} PRIVATE "${dir}/reference/kubelet_merge.cc")
