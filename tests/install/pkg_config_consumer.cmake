# Compiles one C file against an installed podalloc using only `pkg-config --cflags --libs
# podalloc` (as `#cgo pkg-config: podalloc` does), then runs it.
# cmake -DPKG_CONFIG=... -DCC=... -DPREFIX=... -DSOURCE=... -DOUTPUT=... [-DEXTRA_FLAGS=...] -P
cmake_minimum_required(VERSION 3.25)
file(GLOB_RECURSE pc_files "${PREFIX}/*/podalloc.pc")
if(NOT pc_files)
  message(FATAL_ERROR "no podalloc.pc below ${PREFIX}")
endif()
list(GET pc_files 0 pc_file)
get_filename_component(pc_dir "${pc_file}" DIRECTORY)
set(ENV{PKG_CONFIG_PATH} "${pc_dir}")
foreach(query cflags libs)
  execute_process(COMMAND "${PKG_CONFIG}" --${query} podalloc OUTPUT_VARIABLE ${query}
                  RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config --${query} podalloc failed")
  endif()
  separate_arguments(${query} UNIX_COMMAND "${${query}}")
endforeach()
execute_process(COMMAND "${PKG_CONFIG}" --variable=libdir podalloc OUTPUT_VARIABLE libdir
                OUTPUT_STRIP_TRAILING_WHITESPACE)
separate_arguments(extra UNIX_COMMAND "${EXTRA_FLAGS}")
execute_process(COMMAND "${CC}" -std=c99 -Wall -Wextra -pedantic -Werror ${extra} ${cflags}
                        "${SOURCE}" -o "${OUTPUT}" ${libs} "-Wl,-rpath,${libdir}"
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "compiling ${SOURCE} with pkg-config flags failed: ${cflags} ${libs}")
endif()
execute_process(COMMAND "${OUTPUT}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${OUTPUT} exited with ${rc}")
endif()
