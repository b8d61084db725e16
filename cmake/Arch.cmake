# Instruction-set level of the build.
#
# The bit-set hot paths (CPU sets, NUMA masks, the take and the hint merge) count bits with
# std::popcount. Compiled for baseline x86-64 that is a call into libgcc's software routine,
# about 7% of an admission; with POPCNT it is one instruction. Every x86-64 CPU since 2008-2009
# (Intel Nehalem, AMD Barcelona) has POPCNT, and x86-64-v2 distributions (RHEL 9 and later)
# require it, so it is on by default. -DPODALLOC_POPCNT=OFF builds for baseline x86-64; a
# library built with it ON refuses to start on a CPU without POPCNT (lib/base/cpuset.cc)
# instead of dying on an illegal instruction mid-decision.
include(CheckCXXCompilerFlag)

set(_podalloc_x86 OFF)
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  check_cxx_compiler_flag(-mpopcnt PODALLOC_HAVE_MPOPCNT)
  if(PODALLOC_HAVE_MPOPCNT)
    set(_podalloc_x86 ON)
  endif()
endif()
option(PODALLOC_POPCNT "x86-64: use the POPCNT instruction (CPUs since 2008; OFF for baseline x86-64)"
       ${_podalloc_x86})
if(PODALLOC_POPCNT AND _podalloc_x86)
  add_compile_options(-mpopcnt)
  add_compile_definitions(PODALLOC_REQUIRE_POPCNT=1)
endif()
