#include "host/storage/database_url.h"

#include <cstdlib>
#include <regex>

namespace civ::host {

DatabaseUrl DatabaseUrl::parse(std::string_view text) {
  const bool uri = text.starts_with("postgresql://") || text.starts_with("postgres://");
  const bool keywords = text.find("dbname=") != std::string_view::npos ||
                        text.find("host=") != std::string_view::npos;
  if (uri || keywords) return {sdk::Dialect::Postgresql, std::string(text)};
  return {sdk::Dialect::Sqlite, std::string(text)};
}

std::string DatabaseUrl::libpqConnection() const {
  if (connection.find("connect_timeout") != std::string::npos ||
      connection.find("service=") != std::string::npos || std::getenv("PGCONNECT_TIMEOUT") ||
      std::getenv("PGSERVICE"))
    return connection;
  if (!connection.starts_with("postgresql://") && !connection.starts_with("postgres://"))
    return connection + " connect_timeout=10";
  const bool has_query = connection.find('?') != std::string::npos;
  const bool ends_a_pair = connection.ends_with('?') || connection.ends_with('&');
  return connection + (!has_query ? "?" : ends_a_pair ? "" : "&") + "connect_timeout=10";
}

std::string DatabaseUrl::describe() const {
  if (dialect == sdk::Dialect::Sqlite) return "sqlite:" + connection;
  static const std::regex uri_password(R"((://[^:/@]+:)[^@]*@)");
  static const std::regex keyword_password(R"(password=\S+)");
  std::string text = std::regex_replace(connection, uri_password, "$1***@");
  return "postgresql:" + std::regex_replace(text, keyword_password, "password=***");
}

}  // namespace civ::host
