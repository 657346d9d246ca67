// What a route handler returns. The host serialises it; a plugin never writes HTTP by hand.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace civ::sdk {

struct Response {
  int status = 200;
  nlohmann::json body;   ///< serialised as application/json; null with 204
  std::string location;  ///< Location header for 201, relative to the module's base path
  /// A document instead of JSON (a CSV bank file, an XLSX roll, a printable HTML list): when
  /// set, the host answers with these bytes and this media type and ignores `body`.
  std::string content_type;
  std::string document;
  std::string filename;  ///< offered as the download name (Content-Disposition) when set

  static Response ok(nlohmann::json body) { return withStatus(200, std::move(body)); }
  static Response created(nlohmann::json body, std::string location) {
    Response response = withStatus(201, std::move(body));
    response.location = std::move(location);
    return response;
  }
  static Response noContent() { return withStatus(204, nullptr); }
  static Response withStatus(int status, nlohmann::json body) {
    Response response;
    response.status = status;
    response.body = std::move(body);
    return response;
  }
  static Response file(std::string content_type, std::string bytes, std::string filename = {}) {
    Response response;
    response.content_type = std::move(content_type);
    response.document = std::move(bytes);
    response.filename = std::move(filename);
    return response;
  }
};

}  // namespace civ::sdk
