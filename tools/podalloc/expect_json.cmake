# Runs a command (the arguments after "--") and reads its standard output as JSON. Fails unless
# the command succeeds, the output parses, and the member at PATH (keys and indexes separated
# by ";") equals VALUE.
#   cmake "-DPATH=merges;0;providers;0;name" -DVALUE=device_manager -P expect_json.cmake -- cmd args...
include("${CMAKE_CURRENT_LIST_DIR}/command_after_dashes.cmake")
execute_process(COMMAND ${_cmd} OUTPUT_VARIABLE _out ERROR_VARIABLE _err RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "command failed (${_rc}):\n${_err}")
endif()
string(JSON _value ERROR_VARIABLE _json_error GET "${_out}" ${PATH})
if(_json_error)
  message(FATAL_ERROR "${PATH}: ${_json_error}\n${_out}")
endif()
if(NOT _value STREQUAL VALUE)
  message(FATAL_ERROR "${PATH} is \"${_value}\", expected \"${VALUE}\"")
endif()
