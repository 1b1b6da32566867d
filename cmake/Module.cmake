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
  # Record the module's own dependencies (dw_x -> x) for the layering check.
  set(module_deps "")
  foreach(d ${M_DEPS})
    if(d MATCHES "^dw_(.*)")
      list(APPEND module_deps ${CMAKE_MATCH_1})
    endif()
  endforeach()
  string(REPLACE ";" "," module_deps "${module_deps}")
  set_property(GLOBAL APPEND PROPERTY DOGWATCH_MODULES "${name}:${module_deps}")
endfunction()

# After every module is declared: write the table and check includes against it on every build.
function(dogwatch_check_layering)
  get_property(modules GLOBAL PROPERTY DOGWATCH_MODULES)
  string(REPLACE ";" "\n" text "${modules}")
  file(WRITE ${CMAKE_BINARY_DIR}/modules.txt "${text}\n")
  add_custom_target(layering ALL
    COMMAND ${CMAKE_COMMAND} -DMODULES=${CMAKE_BINARY_DIR}/modules.txt -DSOURCE_DIR=${CMAKE_SOURCE_DIR}
            -P ${CMAKE_SOURCE_DIR}/cmake/CheckLayering.cmake
    COMMENT "Checking module layering (DESIGN.md)")
endfunction()
