# PODALLOC_SANITIZE=ON instruments every target with a sanitizer; any report is fatal.
# PODALLOC_SANITIZER picks which: "address" (the default: AddressSanitizer and
# UndefinedBehaviorSanitizer) or "thread" (ThreadSanitizer, which cannot share a process with
# ASan). PODALLOC_SANITIZE_FLAGS holds the flags, for projects configured from the tests.
#
# PODALLOC_BUILD_FUZZERS=ON (clang, with PODALLOC_SANITIZE=ON and the address sanitizer)
# builds the libFuzzer targets of tests/fuzz/ and adds the fuzzer's coverage instrumentation
# to every target (-fsanitize=fuzzer-no-link), so the fuzz targets share the tests' objects.
option(PODALLOC_BUILD_FUZZERS "Build the libFuzzer targets (clang, ASan+UBSan build)" OFF)
set(PODALLOC_SANITIZER "address" CACHE STRING
    "Sanitizer used when PODALLOC_SANITIZE is ON: address (ASan+UBSan) or thread (TSan)")
set_property(CACHE PODALLOC_SANITIZER PROPERTY STRINGS address thread)
set(PODALLOC_SANITIZE_FLAGS "")
set(PODALLOC_SANITIZE_C_LINK_FLAGS "")
if(PODALLOC_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang" OR NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "PODALLOC_BUILD_FUZZERS needs clang (libFuzzer): configure with "
                        "CC=clang CXX=clang++ (Debian: apt-get install clang libclang-rt-14-dev)")
  endif()
  if(NOT PODALLOC_SANITIZE OR NOT PODALLOC_SANITIZER STREQUAL "address")
    message(FATAL_ERROR "PODALLOC_BUILD_FUZZERS needs the ASan+UBSan build: "
                        "-DPODALLOC_SANITIZE=ON -DPODALLOC_SANITIZER=address")
  endif()
endif()
if(PODALLOC_SANITIZE)
  if(PODALLOC_SANITIZER STREQUAL "address")
    set(PODALLOC_SANITIZE_FLAGS -fsanitize=address,undefined)
    add_compile_options(-fno-sanitize-recover=all)
  elseif(PODALLOC_SANITIZER STREQUAL "thread")
    set(PODALLOC_SANITIZE_FLAGS -fsanitize=thread)
  else()
    message(FATAL_ERROR
            "PODALLOC_SANITIZER=\"${PODALLOC_SANITIZER}\": expected \"address\" or \"thread\"")
  endif()
  add_compile_options(${PODALLOC_SANITIZE_FLAGS} -fno-omit-frame-pointer)
  add_link_options(${PODALLOC_SANITIZE_FLAGS})
  # clang links UBSan's C++ half only into C++ programs, but a C program linking the
  # instrumented C++ library needs it too (and, for it, libstdc++).
  if(PODALLOC_SANITIZER STREQUAL "address" AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    set(PODALLOC_SANITIZE_C_LINK_FLAGS -fsanitize-link-c++-runtime -lstdc++)
    add_link_options("$<$<LINK_LANGUAGE:C>:${PODALLOC_SANITIZE_C_LINK_FLAGS}>")
  endif()
  if(PODALLOC_BUILD_FUZZERS)
    add_compile_options(-fsanitize=fuzzer-no-link)
  endif()
endif()
