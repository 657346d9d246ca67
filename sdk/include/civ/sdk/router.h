// Route declarations and the registrar a plugin adds them through.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include <civ/sdk/abi.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/request.h>
#include <civ/sdk/response.h>

namespace civ::sdk {

/// A route: data the host checks, enforces and documents (OpenAPI). Append-only.
struct RouteDeclaration {
  std::uint32_t struct_size = sizeof(RouteDeclaration);
  Method method = Method::Get;
  /// Template relative to the module's base /api/v1/counties/{county}/<plugin>, starting
  /// with '/': "/notes", "/notes/{id}". Segments in braces become path parameters.
  std::string path;
  Permission permission = Permission::Read;
  std::string summary;  ///< one line for the API document
  /// JSON Schema (the subset in json_schema.h) the body must satisfy; null = no body allowed.
  nlohmann::json request_schema;
  /// JSON Schema of a successful response body, for the API document.
  nlohmann::json response_schema;
};

/// Handles one request. May throw civ::sdk::Error subclasses; anything else becomes a 500 and
/// is logged with the plugin id. Called concurrently from several host threads.
using RouteHandler = std::function<Response(Request&)>;

/// The registrar. Everything added is recorded against the plugin and dropped when it stops.
/// OWNERSHIP: the host keeps the handler (and the plugin's library) alive while it routes.
class CIV_SDK_API Router {
 public:
  virtual ~Router();
  /// Adds a route. Throws Conflict when the same method and path are already declared.
  virtual void add(const RouteDeclaration& route, RouteHandler handler) = 0;
};

}  // namespace civ::sdk
