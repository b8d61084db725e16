# PODALLOC_SANITIZE=ON instruments every target with a sanitizer; any report is fatal.
# PODALLOC_SANITIZER picks which: "address" (the default: AddressSanitizer and
# UndefinedBehaviorSanitizer) or "thread" (ThreadSanitizer, which cannot share a process with
# ASan). PODALLOC_SANITIZE_FLAGS holds the flags, for projects configured from the tests.
set(PODALLOC_SANITIZER "address" CACHE STRING
    "Sanitizer used when PODALLOC_SANITIZE is ON: address (ASan+UBSan) or thread (TSan)")
set_property(CACHE PODALLOC_SANITIZER PROPERTY STRINGS address thread)
set(PODALLOC_SANITIZE_FLAGS "")
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
endif()
