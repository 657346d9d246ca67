// A request and its reply as plain data, so the API dispatcher can be tested without sockets
// and no Poco type reaches the code that talks to plugins.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace civ::host {

struct HttpExchange {
  std::string method;        ///< "GET", "POST", ...
  std::string target;        ///< path and query as sent, e.g. "/api/v1/counties/610902/x?y=1"
  std::string content_type;  ///< empty when absent
  std::string body;
  std::string authorization;    ///< the Authorization header, empty when absent
  std::string client_address;   ///< the peer's IP address ("127.0.0.1"), empty when unknown
  std::string cookie;           ///< the Cookie header (console sessions), empty when absent
  std::string csrf_token;       ///< the X-CSRF-Token header, empty when absent
  std::string accept_encoding;  ///< the Accept-Encoding header (the console's files)
  std::string forwarded_proto;  ///< X-Forwarded-Proto from a reverse proxy ("https")
  std::string if_none_match;    ///< If-None-Match (the console's files)
};

struct HttpReply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool close_connection = false;
  /// Metric labels: the module ("civ" for the host's own routes) and the route template.
  std::string metric_module = "civ";
  std::string metric_route = "unmatched";
};

}  // namespace civ::host
