# Compiles one C file against an installed podalloc using only `pkg-config --cflags --libs
# podalloc` (as `#cgo pkg-config: podalloc` does), then runs it: the run path comes from
# podalloc.pc, as it must for a user who sets neither LD_LIBRARY_PATH nor an rpath.
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
separate_arguments(extra UNIX_COMMAND "${EXTRA_FLAGS}")
execute_process(COMMAND "${CC}" -std=c99 -Wall -Wextra -pedantic -Werror ${extra} ${cflags}
                        "${SOURCE}" -o "${OUTPUT}" ${libs}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "compiling ${SOURCE} with pkg-config flags failed: ${cflags} ${libs}")
endif()
execute_process(COMMAND "${OUTPUT}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${OUTPUT} exited with ${rc}")
endif()
