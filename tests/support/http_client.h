// A minimal HTTP client for end-to-end tests (Poco, one connection per call).
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace civ::testing {

struct HttpResult {
  int status = 0;
  std::string content_type;
  std::string body;
  std::map<std::string, std::string> headers;

  nlohmann::json json() const { return nlohmann::json::parse(body); }
};

/// `token`, when not empty, is sent as "Authorization: Bearer <token>".
HttpResult httpRequest(int port, const std::string& method, const std::string& target,
                       const std::string& body = "", const std::string& token = "",
                       const std::string& content_type = "application/json");

/// A request with extra header fields (a browser's Cookie and X-CSRF-Token, Accept-Encoding).
HttpResult httpRequestWithHeaders(int port, const std::string& method, const std::string& target,
                                  const std::map<std::string, std::string>& headers,
                                  const std::string& body = "");

}  // namespace civ::testing
