# Warnings as errors for every target of ours; call podalloc_warnings(<target>).
# GCC 12 at -O3 reports -Wrestrict inside libstdc++'s std::string (GCC bug 105329, a false
# positive in inlined library code), so that one diagnostic stays a warning.
function(podalloc_warnings target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Werror -Wnon-virtual-dtor>
    $<$<AND:$<CXX_COMPILER_ID:GNU>,$<COMPILE_LANGUAGE:CXX>>:-Wshadow=local>
    $<$<AND:$<CXX_COMPILER_ID:Clang>,$<COMPILE_LANGUAGE:CXX>>:-Wshadow>
    $<$<COMPILE_LANGUAGE:C>:-Wall -Wextra -Wpedantic -Werror>
    $<$<AND:$<CXX_COMPILER_ID:GNU>,$<COMPILE_LANGUAGE:CXX>>:-Wno-error=restrict>)
endfunction()
