# layering.cmake — the module layering check (cmake -P; the al_layering
# target runs it before any module compiles).
#
#   cmake -DAL_SRC=<source tree> -DAL_GRAPH=<build>/layering.graph -P cmake/layering.cmake
#
# AL_GRAPH has one line per module, written by al_module() in CMakeLists.txt:
# "folder|public header|modules it may use". Every .c and .h file of every
# module is read, and an #include of a header of another module fails the
# check unless the including module may use that module and the header is
# that module's public header. Each offence is printed as
#   <file>:<line>: <module> -> <module>: <why>
# and the check then fails (so does the build). Includes of the module's own
# headers, of system headers and of generated headers ("al_version.h") are
# not judged; tests/ and fuzz/ are not modules and may include anything.
cmake_minimum_required(VERSION 3.20)

if(NOT AL_SRC OR NOT AL_GRAPH)
  message(FATAL_ERROR "usage: cmake -DAL_SRC=<source tree> -DAL_GRAPH=<layering.graph> -P layering.cmake")
endif()

file(STRINGS "${AL_GRAPH}" _graph)
set(_modules "")
foreach(_line IN LISTS _graph)
  string(REPLACE "|" ";" _f "${_line}")
  list(GET _f 0 _m)
  list(GET _f 1 _h)
  list(LENGTH _f _n)
  set(_may "")
  if(_n GREATER 2)
    list(GET _f 2 _may)
    separate_arguments(_may UNIX_COMMAND "${_may}")
  endif()
  list(APPEND _modules "${_m}")
  set(PUBLIC_${_m} "${_h}")
  set(MAY_${_m} "${_may}")
endforeach()

set(_offences 0)
foreach(_m IN LISTS _modules)
  file(GLOB_RECURSE _files "${AL_SRC}/${_m}/*.c" "${AL_SRC}/${_m}/*.h")
  list(SORT _files)
  foreach(_file IN LISTS _files)
    file(RELATIVE_PATH _rel "${AL_SRC}" "${_file}")
    file(READ "${_file}" _text)
    # a leading newline lets every directive be matched at a line start
    set(_rest "\n${_text}")
    set(_lineno 0)
    while(TRUE)
      string(REGEX MATCH "\n[ \t]*#[ \t]*include[ \t]*[\"<]([A-Za-z0-9_.-]+)/([^\">\n]+)[\">]" _inc "${_rest}")
      if(NOT _inc)
        break()
      endif()
      set(_dir "${CMAKE_MATCH_1}")
      set(_hdr "${CMAKE_MATCH_2}")
      string(FIND "${_rest}" "${_inc}" _pos)
      string(SUBSTRING "${_rest}" 0 ${_pos} _before)
      string(REGEX MATCHALL "\n" _nls "${_before}")
      list(LENGTH _nls _k)
      math(EXPR _lineno "${_lineno} + ${_k} + 1")
      string(LENGTH "${_inc}" _len)
      math(EXPR _cut "${_pos} + ${_len}")
      string(SUBSTRING "${_rest}" ${_cut} -1 _rest)
      if(_dir STREQUAL _m OR NOT _dir IN_LIST _modules)
        continue()
      endif()
      if(NOT _dir IN_LIST MAY_${_m})
        string(REPLACE ";" ", " _allowed "${MAY_${_m}}")
        if(_allowed STREQUAL "")
          set(_allowed "nothing")
        endif()
        message("${_rel}:${_lineno}: ${_m} -> ${_dir}: ${_m}/ may not use ${_dir}/ "
                "(#include \"${_dir}/${_hdr}\"); ${_m}/ may use ${_allowed} (al_module in CMakeLists.txt)")
        math(EXPR _offences "${_offences} + 1")
      elseif(NOT _hdr STREQUAL PUBLIC_${_dir})
        message("${_rel}:${_lineno}: ${_m} -> ${_dir}: \"${_dir}/${_hdr}\" is private to ${_dir}/; "
                "other modules include only \"${_dir}/${PUBLIC_${_dir}}\"")
        math(EXPR _offences "${_offences} + 1")
      endif()
    endwhile()
  endforeach()
endforeach()

if(_offences GREATER 0)
  message(FATAL_ERROR "module layering: ${_offences} include(s) against the module graph (CMakeLists.txt, al_module)")
endif()
