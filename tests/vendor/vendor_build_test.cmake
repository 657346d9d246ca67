# A vendor's path, end to end, as two people would do it:
#  - the county's IT installs civhost and the bundled modules (component `host`);
#  - the vendor installs only the SDK (component `sdk`: headers, libciv_sdk, the fake Context,
#    the CMake package and the plugin template), makes a NEW module from the template, builds it
#    against that prefix, and runs its unit tests;
#  - civhost serves the vendor's module from a second plugin directory beside the bundled one.
#   cmake -DSOURCE_DIR=... -DBUILD_DIR=... -DWORK_DIR=... -P vendor_build_test.cmake
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(sdk_prefix "${WORK_DIR}/sdk-prefix")
set(host_prefix "${WORK_DIR}/host-prefix")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "failed (${result}): ${ARGN}\n${output}")
  endif()
endfunction()

run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --component sdk --prefix "${sdk_prefix}")
run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --component host --prefix "${host_prefix}")
foreach(required lib/libciv_sdk.so lib/libciv_sdk_testing.so lib/cmake/CivSdk/CivSdkConfig.cmake
        lib/cmake/CivSdk/CivAddPlugin.cmake include/civ/sdk/plugin.h
        include/civ/sdk/route_builder.h include/civ/sdk/testing/fake_context.h
        share/civ/plugin-template/CMakeLists.txt)
  if(NOT EXISTS "${sdk_prefix}/${required}")
    message(FATAL_ERROR "the SDK install lacks ${required}")
  endif()
endforeach()
# The SDK alone: no civhost, no bundled modules, no static host library, and nothing in its CMake
# package asks a vendor for Poco or the PostgreSQL client.
foreach(absent bin/civhost lib/civ/plugins lib/libciv_host_core.a)
  if(EXISTS "${sdk_prefix}/${absent}")
    message(FATAL_ERROR "the SDK install holds ${absent}, which belongs to the host")
  endif()
endforeach()
# (FindSOCI.cmake can find the PostgreSQL backend when asked; the package never asks.)
file(GLOB package_files "${sdk_prefix}/lib/cmake/CivSdk/CivSdk*.cmake")
foreach(package_file IN LISTS package_files)
  file(READ "${package_file}" text)
  if(text MATCHES "Poco::|find_dependency\\(Poco|PostgreSQL::|SOCI::postgresql|COMPONENTS[^)]*postgresql")
    message(FATAL_ERROR "${package_file} asks a vendor for Poco or PostgreSQL")
  endif()
endforeach()

# The vendor's tree: the installed template, renamed to a new module id (acme_notes), nothing
# of civ's sources.
set(vendor_src "${WORK_DIR}/vendor-src")
file(GLOB_RECURSE template_files RELATIVE "${sdk_prefix}/share/civ/plugin-template"
     "${sdk_prefix}/share/civ/plugin-template/*")
foreach(relative IN LISTS template_files)
  file(READ "${sdk_prefix}/share/civ/plugin-template/${relative}" content)
  string(REPLACE "example" "acme_notes" content "${content}")
  string(REPLACE "Example" "AcmeNotes" content "${content}")
  string(REPLACE "示例模块" "备注（厂商）" content "${content}")
  string(REPLACE "example" "acme_notes" target "${relative}")
  file(WRITE "${vendor_src}/${target}" "${content}")
endforeach()
find_program(CCACHE ccache)
set(launcher "")
if(CCACHE)
  set(launcher -DCMAKE_CXX_COMPILER_LAUNCHER=${CCACHE})
endif()
# Optimised by default: no build type given.
run(${CMAKE_COMMAND} -S "${vendor_src}" -B "${WORK_DIR}/vendor-build"
    -DCMAKE_PREFIX_PATH=${sdk_prefix} ${launcher})
run(${CMAKE_COMMAND} --build "${WORK_DIR}/vendor-build" -j2)
run(${CMAKE_COMMAND} -E chdir "${WORK_DIR}/vendor-build" ctest --output-on-failure)
if(NOT EXISTS "${WORK_DIR}/vendor-build/plugins/acme_notes/acme_notes.plugin.json")
  message(FATAL_ERROR "the vendor build produced no manifest")
endif()

# The county's configuration with the vendor's module enabled in 610902.
file(COPY "${SOURCE_DIR}/config/" DESTINATION "${WORK_DIR}/config")
file(READ "${WORK_DIR}/config/counties/610902.yaml" county)
string(REPLACE "modules:\n  - example" "modules:\n  - acme_notes\n  - example" county "${county}")
file(WRITE "${WORK_DIR}/config/counties/610902.yaml" "${county}")

# The installed civhost serves the bundled modules and the vendor's from a second directory.
run(bash "${CMAKE_CURRENT_LIST_DIR}/serve_vendor_plugin.sh" "${host_prefix}/bin/civhost"
    "${host_prefix}/lib/civ/plugins" "${WORK_DIR}/vendor-build/plugins" "${WORK_DIR}/config"
    "${WORK_DIR}")
message(STATUS "SDK-only vendor build, tests and civhost load from a second directory passed")
