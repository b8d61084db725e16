# For the "cmake -P" test scripts: the command to run is every argument after "--", put in
# _cmd (cmake -P has no other way to take a list of arguments).
set(_cmd)
set(_seen OFF)
foreach(_i RANGE 0 ${CMAKE_ARGC})
  if(_seen)
    list(APPEND _cmd "${CMAKE_ARGV${_i}}")
  elseif("${CMAKE_ARGV${_i}}" STREQUAL "--")
    set(_seen ON)
  endif()
endforeach()
