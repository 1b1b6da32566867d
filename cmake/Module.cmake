# dogwatch_module(NAME SOURCES ... DEPS ...): one static library per module. Its DEPS are its whole
# dependency list (DESIGN.md "Modules"), so including a header from anything else fails the build.
# -Wno-restrict: GCC 12 reports std::string concatenation as overlapping memcpy at -O2 (a false
# positive, GCC bug 105329).
set(DOGWATCH_WARNINGS -Wall -Wextra -Werror -Wno-missing-field-initializers -Wno-restrict)

function(dogwatch_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS" ${ARGN})
  add_library(dw_${name} STATIC ${M_SOURCES})
  target_include_directories(dw_${name} PUBLIC ${CMAKE_SOURCE_DIR}/include
                             PRIVATE ${CMAKE_SOURCE_DIR}/src)
  target_compile_options(dw_${name} PRIVATE ${DOGWATCH_WARNINGS})
  target_link_libraries(dw_${name} PUBLIC ${M_DEPS})
endfunction()
