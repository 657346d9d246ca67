# A vendor's path, end to end: install civ (SDK + civhost) to a temporary prefix, build a copy
# of plugins/example as a separate CMake project with find_package(CivSdk), run its own unit
# tests, then have the installed civhost load it and answer on its route.
#   cmake -DSOURCE_DIR=... -DBUILD_DIR=... -DWORK_DIR=... -P vendor_build_test.cmake
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "failed (${result}): ${ARGN}\n${output}")
  endif()
endfunction()

run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}")
foreach(required bin/civhost lib/libciv_sdk.so lib/cmake/CivSdk/CivSdkConfig.cmake
        lib/cmake/CivSdk/CivAddPlugin.cmake include/civ/sdk/plugin.h include/civ/sdk/testing/fake_context.h)
  if(NOT EXISTS "${prefix}/${required}")
    message(FATAL_ERROR "the installed SDK lacks ${required}")
  endif()
endforeach()

# The vendor's tree: a copy of the example, nothing else of civ's sources.
file(COPY "${SOURCE_DIR}/plugins/example/" DESTINATION "${WORK_DIR}/vendor-src")
find_program(CCACHE ccache)
set(launcher "")
if(CCACHE)
  set(launcher -DCMAKE_CXX_COMPILER_LAUNCHER=${CCACHE})
endif()
run(${CMAKE_COMMAND} -S "${WORK_DIR}/vendor-src" -B "${WORK_DIR}/vendor-build"
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=RelWithDebInfo ${launcher})
run(${CMAKE_COMMAND} --build "${WORK_DIR}/vendor-build" -j2)
run(${CMAKE_COMMAND} -E chdir "${WORK_DIR}/vendor-build" ctest --output-on-failure)
if(NOT EXISTS "${WORK_DIR}/vendor-build/plugins/example/example.plugin.json")
  message(FATAL_ERROR "the vendor build produced no manifest")
endif()

# The installed civhost loads the vendor's build and answers on its route.
run(bash "${CMAKE_CURRENT_LIST_DIR}/serve_vendor_plugin.sh" "${prefix}/bin/civhost"
    "${WORK_DIR}/vendor-build/plugins" "${SOURCE_DIR}/config" "${WORK_DIR}")
message(STATUS "vendor build, tests and civhost load passed")
