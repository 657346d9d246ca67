# civ_add_plugin() and civ_add_plugin_test(): how a civ module is built, in tree and out of tree.
#
#   civ_add_plugin(<target>
#     ID <id>                       # [a-z][a-z0-9_]*: folder, namespace civ::plugins::<id>, table prefix
#     VERSION <x.y.z>
#     NAME_ZH <text> NAME_EN <text>
#     [VENDOR <text>] [LICENSE <text>] [DESCRIPTION <text>]
#     [REQUIRES "<id> <range>" ...]  # e.g. "social_assistance [1.0,2.0)"
#     [OPTIONAL "<id> <range>" ...]
#     SOURCES <files...>)
#
# Builds <target> as a MODULE library libciv_<id>.so with hidden visibility, generates the
# manifest <id>.plugin.json beside it from the same arguments, compiles ID and VERSION in (the
# host cross-checks both after loading), and installs both into <libdir>/civ/plugins/<id>/.
# The sources are also kept as the object library <target>_objects so that unit tests can link
# them without loading the module (see civ_add_plugin_test).
#
#   civ_add_plugin_test(<test-target> PLUGIN <target> SOURCES <files...>)
#
# Builds a GoogleTest executable from the plugin's objects, the test sources and CivSdk::testing
# (the fake Context), and registers it with CTest.

function(civ_add_plugin target)
  cmake_parse_arguments(PARSE_ARGV 1 arg ""
    "ID;VERSION;NAME_ZH;NAME_EN;VENDOR;LICENSE;DESCRIPTION"
    "REQUIRES;OPTIONAL;SOURCES")
  foreach(required ID VERSION NAME_ZH NAME_EN SOURCES)
    if(NOT arg_${required})
      message(FATAL_ERROR "civ_add_plugin(${target}): ${required} is required")
    endif()
  endforeach()
  if(NOT arg_ID MATCHES "^[a-z][a-z0-9_]*$")
    message(FATAL_ERROR "civ_add_plugin(${target}): ID '${arg_ID}' must match [a-z][a-z0-9_]*")
  endif()
  if(NOT arg_VERSION MATCHES "^[0-9]+\\.[0-9]+\\.[0-9]+$")
    message(FATAL_ERROR "civ_add_plugin(${target}): VERSION '${arg_VERSION}' must be x.y.z")
  endif()
  if(NOT CIV_SDK_VERSION)
    message(FATAL_ERROR "civ_add_plugin: CIV_SDK_VERSION unknown; find_package(CivSdk) first")
  endif()
  string(REGEX MATCH "^[0-9]+" sdk_abi "${CIV_SDK_VERSION}")

  set(output_root "${CIV_PLUGIN_OUTPUT_DIR}")
  if(NOT output_root)
    set(output_root "${CMAKE_BINARY_DIR}/plugins")
  endif()
  set(output_dir "${output_root}/${arg_ID}")

  add_library(${target}_objects OBJECT ${arg_SOURCES})
  set_target_properties(${target}_objects PROPERTIES
    POSITION_INDEPENDENT_CODE ON
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_compile_features(${target}_objects PUBLIC cxx_std_20)
  target_compile_definitions(${target}_objects PUBLIC
    CIV_PLUGIN_ID="${arg_ID}" CIV_PLUGIN_VERSION="${arg_VERSION}")
  target_link_libraries(${target}_objects PUBLIC CivSdk::sdk)

  add_library(${target} MODULE $<TARGET_OBJECTS:${target}_objects>)
  target_link_libraries(${target} PRIVATE CivSdk::sdk)
  target_link_options(${target} PRIVATE -Wl,--exclude-libs,ALL)
  if(NOT CIV_FUZZ)
    # Every symbol resolved at link time. Not in the fuzz build: there the sanitizer runtime
    # lives in the fuzz target and the plugin's references to it resolve when it is loaded.
    target_link_options(${target} PRIVATE -Wl,--no-undefined)
  endif()
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME "civ_${arg_ID}"
    PREFIX "lib"
    LIBRARY_OUTPUT_DIRECTORY "${output_dir}")

  # The manifest, from the same arguments. string(JSON) does the quoting.
  set(manifest "{}")
  string(JSON manifest SET "${manifest}" manifest_version 1)
  string(JSON manifest SET "${manifest}" id "\"${arg_ID}\"")
  string(JSON manifest SET "${manifest}" name "{}")
  _civ_json_string(name_zh "${arg_NAME_ZH}")
  _civ_json_string(name_en "${arg_NAME_EN}")
  string(JSON manifest SET "${manifest}" name zh "${name_zh}")
  string(JSON manifest SET "${manifest}" name en "${name_en}")
  string(JSON manifest SET "${manifest}" version "\"${arg_VERSION}\"")
  foreach(field VENDOR LICENSE DESCRIPTION)
    string(TOLOWER ${field} key)
    _civ_json_string(value "${arg_${field}}")
    string(JSON manifest SET "${manifest}" ${key} "${value}")
  endforeach()
  string(JSON manifest SET "${manifest}" sdk "{}")
  string(JSON manifest SET "${manifest}" sdk abi ${sdk_abi})
  string(JSON manifest SET "${manifest}" sdk built_with "\"${CIV_SDK_VERSION}\"")
  foreach(kind REQUIRES OPTIONAL)
    string(TOLOWER ${kind} key)
    set(entries "[]")
    set(index 0)
    foreach(requirement IN LISTS arg_${kind})
      if(NOT requirement MATCHES "^([a-z][a-z0-9_]*) +([\\[(].*[\\])])$")
        message(FATAL_ERROR "civ_add_plugin(${target}): ${kind} entry '${requirement}' must be '<id> <range>', e.g. 'social_assistance [1.0,2.0)'")
      endif()
      string(JSON entries SET "${entries}" ${index} "{\"id\":\"${CMAKE_MATCH_1}\",\"version\":\"${CMAKE_MATCH_2}\"}")
      math(EXPR index "${index} + 1")
    endforeach()
    string(JSON manifest SET "${manifest}" ${key} "${entries}")
  endforeach()
  string(JSON manifest SET "${manifest}" library "\"libciv_${arg_ID}.so\"")
  string(JSON manifest SET "${manifest}" platform "\"linux-${CMAKE_SYSTEM_PROCESSOR}\"")
  file(GENERATE OUTPUT "${output_dir}/${arg_ID}.plugin.json" CONTENT "${manifest}\n")

  if(TARGET civ_plugins)
    add_dependencies(civ_plugins ${target})
  endif()

  install(TARGETS ${target} LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}/civ/plugins/${arg_ID}"
          COMPONENT host)
  install(FILES "${output_dir}/${arg_ID}.plugin.json"
          DESTINATION "${CMAKE_INSTALL_LIBDIR}/civ/plugins/${arg_ID}" COMPONENT host)
  set_property(TARGET ${target} PROPERTY CIV_PLUGIN_ID ${arg_ID})
endfunction()

function(civ_add_plugin_test target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "PLUGIN" "SOURCES")
  find_package(GTest REQUIRED)
  add_executable(${target} ${arg_SOURCES})
  target_link_libraries(${target} PRIVATE ${arg_PLUGIN}_objects CivSdk::testing GTest::gtest_main)
  include(GoogleTest)
  gtest_discover_tests(${target} DISCOVERY_TIMEOUT 60)
endfunction()

function(_civ_json_string out text)
  string(REPLACE "\\" "\\\\" text "${text}")
  string(REPLACE "\"" "\\\"" text "${text}")
  set(${out} "\"${text}\"" PARENT_SCOPE)
endfunction()
