# Debian packages (issue 24), built with `cpack -G DEB` in the build directory:
#   civ_<version>_<arch>.deb      civhost, the bundled modules, the console, /etc/civ, the
#                                 systemd unit (runs as the system user civ; data in /var/lib/civ)
#   civ-dev_<version>_<arch>.deb  the SDK for vendors: headers, libciv_sdk, the fake Context,
#                                 the CMake package and the plugin template
# tests/package/inspect-debs.sh builds both and checks their files, modes and unit.

# What only the package installs: its configuration (the demo counties' files as a start,
# with a host.yaml for the service's paths), the unit, the console, the administrator's docs.
install(FILES ${PROJECT_SOURCE_DIR}/packaging/host.yaml DESTINATION /etc/civ COMPONENT package)
foreach(part counties policy calendar)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/config/${part} DESTINATION /etc/civ COMPONENT package)
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/packaging/civhost.service
  DESTINATION /lib/systemd/system COMPONENT package)
if(EXISTS ${PROJECT_SOURCE_DIR}/console/dist/index.html)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/console/dist/
    DESTINATION ${CMAKE_INSTALL_DATADIR}/civ/console COMPONENT package)
endif()
install(FILES ${PROJECT_SOURCE_DIR}/docs/admin-guide.md ${PROJECT_SOURCE_DIR}/docs/security.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT package)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME civ)
set(CPACK_PACKAGE_VENDOR "civ project")
set(CPACK_PACKAGE_CONTACT "civ project <civ@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "civil affairs platform for a county bureau (民政)")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# Without the debug information the build carries (RelWithDebInfo): a 300 MB install is 20 MB.
# Debug sections only (packaging/strip-debug): a full strip makes every module unloadable.
set(CPACK_STRIP_FILES ON)
set(CMAKE_STRIP ${PROJECT_SOURCE_DIR}/packaging/strip-debug)
set(CPACK_DEBIAN_COMPRESSION_TYPE gzip)
set(CPACK_DEB_COMPONENT_INSTALL ON)
# The service package is `host` and `package` together; the SDK is its own.
set(CPACK_COMPONENTS_GROUPING IGNORE)
set(CPACK_COMPONENTS_ALL host package sdk)
set(CPACK_COMPONENT_HOST_GROUP service)
set(CPACK_COMPONENT_PACKAGE_GROUP service)
set(CPACK_COMPONENT_SDK_GROUP dev)
set(CPACK_COMPONENTS_GROUPING ONE_PER_GROUP)
set(CPACK_DEBIAN_SERVICE_PACKAGE_NAME civ)
set(CPACK_DEBIAN_SERVICE_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_SERVICE_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_SERVICE_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_SERVICE_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_SERVICE_PACKAGE_SUGGESTS "postgresql-client, nginx")
set(CPACK_DEBIAN_SERVICE_PACKAGE_CONTROL_EXTRA
  "${PROJECT_SOURCE_DIR}/packaging/debian/postinst;${PROJECT_SOURCE_DIR}/packaging/debian/prerm;${PROJECT_SOURCE_DIR}/packaging/debian/postrm")
set(CPACK_DEBIAN_SERVICE_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_DEV_PACKAGE_NAME civ-dev)
set(CPACK_DEBIAN_DEV_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
  "nlohmann-json3-dev, libsoci-dev, libspdlog-dev, libfmt-dev, libboost-dev")
set(CPACK_DEBIAN_DEV_PACKAGE_SHLIBDEPS ON)
include(CPack)
