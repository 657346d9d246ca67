// What a route handler returns. The host serialises it; a plugin never writes HTTP by hand.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace civ::sdk {

struct Response {
  int status = 200;
  nlohmann::json body;   ///< serialised as application/json; null with 204
  std::string location;  ///< Location header for 201, relative to the module's base path

  static Response ok(nlohmann::json body) { return Response{200, std::move(body), {}}; }
  static Response created(nlohmann::json body, std::string location) {
    return Response{201, std::move(body), std::move(location)};
  }
  static Response noContent() { return Response{204, nullptr, {}}; }
};

}  // namespace civ::sdk
