# civ_host: everything of civhost but main(), so tests link the same code.
add_library(civ_host STATIC
  cli/command_line.cpp
  cli/commands.cpp
  config/host_config.cpp
  config/policy_validation.cpp
  http/api_dispatcher.cpp
  http/assessment_routes.cpp
  http/console_files.cpp
  http/field_glossary.cpp
  http/http_server.cpp
  http/host_routes.cpp
  http/json_body.cpp
  http/metrics.cpp
  http/problem.cpp
  http/session_endpoints.cpp
  http/tls_context.cpp
  http/token_routes.cpp
  http/user_routes.cpp
  logging/logging.cpp
  operations/database_backup.cpp
  plugins/manifest.cpp
  plugins/plugin_loader.cpp
  plugins/version.cpp
  reports/indicator_csv.cpp
  reports/indicator_workbook.cpp
  runtime/plugin_runtime.cpp
  security/account_store.cpp
  security/grant.cpp
  security/password_hasher.cpp
  security/password_policy.cpp
  security/session_store.cpp
  security/token_authenticator.cpp
  security/token_store.cpp
  security/security_events.cpp
  security/user_store.cpp)
# Boost.DLL on std::filesystem: no Boost library to link.
target_compile_definitions(civ_host PUBLIC BOOST_DLL_USE_STD_FS)
# libxlsxwriter (Debian's, no CMake package): the indicators' XLSX export.
find_library(XLSXWRITER_LIBRARY xlsxwriter REQUIRED)
find_path(XLSXWRITER_INCLUDE_DIR xlsxwriter.h REQUIRED)
target_include_directories(civ_host PRIVATE ${XLSXWRITER_INCLUDE_DIR})
# OpenSSL's libssl: civhost's own HTTPS (http/tls_context.cpp).
find_package(OpenSSL 3 REQUIRED COMPONENTS SSL Crypto)
target_link_libraries(civ_host PUBLIC civ_host_core yaml-cpp Poco::Net Poco::Foundation OpenSSL::SSL
  ${XLSXWRITER_LIBRARY}
  Boost::headers PkgConfig::ARGON2 ${CMAKE_DL_LIBS} Threads::Threads)

add_executable(civhost main.cpp)
target_link_libraries(civhost PRIVATE civ_host)
set_target_properties(civhost PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin
  INSTALL_RPATH "$ORIGIN/../${CMAKE_INSTALL_LIBDIR}")
install(TARGETS civhost RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT host)
