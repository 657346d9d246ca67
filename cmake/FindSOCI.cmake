# FindSOCI: Debian's libsoci-dev ships headers and libraries but no CMake package config.
#
# Components: sqlite3, postgresql (backends). Provides imported targets
#   SOCI::core, SOCI::sqlite3, SOCI::postgresql
# and SOCI_VERSION (e.g. 4.0.3), read from soci/version.h.
include(FindPackageHandleStandardArgs)

find_path(SOCI_INCLUDE_DIR soci/soci.h)
find_library(SOCI_CORE_LIBRARY NAMES soci_core)

if(SOCI_INCLUDE_DIR AND EXISTS "${SOCI_INCLUDE_DIR}/soci/version.h")
  file(STRINGS "${SOCI_INCLUDE_DIR}/soci/version.h" _soci_version_line
       REGEX "^#define SOCI_VERSION [0-9]+")
  string(REGEX REPLACE "^#define SOCI_VERSION ([0-9]+)" "\\1" _soci_version_number "${_soci_version_line}")
  math(EXPR _soci_major "${_soci_version_number} / 100000")
  math(EXPR _soci_minor "${_soci_version_number} / 100 % 1000")
  math(EXPR _soci_patch "${_soci_version_number} % 100")
  set(SOCI_VERSION "${_soci_major}.${_soci_minor}.${_soci_patch}")
endif()

if(SOCI_CORE_LIBRARY AND NOT TARGET SOCI::core)
  add_library(SOCI::core UNKNOWN IMPORTED)
  set_target_properties(SOCI::core PROPERTIES
    IMPORTED_LOCATION "${SOCI_CORE_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${SOCI_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${CMAKE_DL_LIBS}")
endif()

foreach(_component IN LISTS SOCI_FIND_COMPONENTS)
  find_library(SOCI_${_component}_LIBRARY NAMES soci_${_component})
  if(SOCI_${_component}_LIBRARY)
    set(SOCI_${_component}_FOUND TRUE)
    if(NOT TARGET SOCI::${_component})
      add_library(SOCI::${_component} UNKNOWN IMPORTED)
      set(_deps SOCI::core)
      if(_component STREQUAL "sqlite3")
        find_package(SQLite3 REQUIRED)
        list(APPEND _deps SQLite::SQLite3)
      elseif(_component STREQUAL "postgresql")
        find_package(PostgreSQL REQUIRED)
        list(APPEND _deps PostgreSQL::PostgreSQL)
      endif()
      set_target_properties(SOCI::${_component} PROPERTIES
        IMPORTED_LOCATION "${SOCI_${_component}_LIBRARY}"
        INTERFACE_LINK_LIBRARIES "${_deps}")
    endif()
  endif()
endforeach()

find_package_handle_standard_args(SOCI
  REQUIRED_VARS SOCI_CORE_LIBRARY SOCI_INCLUDE_DIR
  VERSION_VAR SOCI_VERSION
  HANDLE_COMPONENTS)
mark_as_advanced(SOCI_INCLUDE_DIR SOCI_CORE_LIBRARY)
