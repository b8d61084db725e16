# cmake -DCODE=<n> [-DMATCH=<regex>] -P expect_exit.cmake -- <program> [args...]: runs the
# program and fails unless it exits with <n> and, when MATCH is given, its output (stdout then
# stderr) matches the regex. The command follows "--", or cmake would read its flags (--help,
# -i) as its own.
include("${CMAKE_CURRENT_LIST_DIR}/command_after_dashes.cmake")
if(NOT _cmd)
  message(FATAL_ERROR "no command after --")
endif()
execute_process(COMMAND ${_cmd} RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
if(NOT _rc EQUAL CODE)
  message(FATAL_ERROR "exit code ${_rc}, expected ${CODE}\nstdout: ${_out}\nstderr: ${_err}")
endif()
if(DEFINED MATCH AND NOT "${_out}${_err}" MATCHES "${MATCH}")
  message(FATAL_ERROR "output does not match ${MATCH}\nstdout: ${_out}\nstderr: ${_err}")
endif()
