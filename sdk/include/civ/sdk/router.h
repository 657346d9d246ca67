// Route declarations and the registrar a plugin adds them through. A declaration states
// everything the host does with a route: it matches the path, checks the path and query
// parameters and the body against their schemas before the handler runs, enforces the
// permission, and documents the route in /api/openapi.json (from which the console builds its
// pages). Declare routes with RouteBuilder (route_builder.h) rather than filling these by hand.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <civ/sdk/abi.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/localized_text.h>
#include <civ/sdk/request.h>
#include <civ/sdk/response.h>

namespace civ::sdk {

enum class ParameterLocation : std::int32_t { Path, Query };

/// A path or query parameter. Frozen for ABI major 1 (it travels inside a std::vector, so it
/// can never grow): whatever a later SDK needs to say about a parameter goes into its schema,
/// as JSON Schema keywords or "x-civ-..." extensions.
struct RouteParameter {
  std::string name;
  ParameterLocation in = ParameterLocation::Query;
  /// Path parameters are always required. A query parameter that is absent takes the schema's
  /// "default" when it has one (the handler then sees that value), else it is absent.
  bool required = false;
  /// The value's schema, checked on the text of the parameter: "integer" or "number" (and
  /// minimum, maximum), "boolean" ("true"/"false"), or "string" with format, pattern, enum,
  /// lengths. A "default" must itself satisfy the schema (checked when the route is added).
  nlohmann::json schema;
};

/// One answer a route gives on success. Frozen, as RouteParameter. Error answers
/// (application/problem+json) are documented by the host for every route.
struct RouteResponse {
  int status = 200;
  /// "application/json", or a document's media type: "text/csv; charset=utf-8",
  /// "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/html; ...".
  std::string content_type = "application/json";
  /// JSON Schema of a JSON body; null for 204 and for documents.
  nlohmann::json schema;
  std::string description;
};

/// A route. Append-only: new fields go at the end and `struct_size` tells the host which of
/// them a plugin built against an older SDK minor has (the host reads no further).
struct RouteDeclaration {
  std::uint32_t struct_size = sizeof(RouteDeclaration);
  Method method = Method::Get;
  /// Template relative to the module's base /api/v1/counties/{county}/<plugin>, starting
  /// with '/': "/notes", "/notes/{id}". Every segment in braces must be declared in
  /// `parameters` with ParameterLocation::Path.
  std::string path;
  Permission permission = Permission::Read;
  /// One line each in Chinese (what the console shows) and English (the API document).
  LocalizedText summary;
  /// Path and query parameters. A query parameter the route does not declare is refused (400),
  /// as an unknown body field is.
  std::vector<RouteParameter> parameters;
  /// JSON Schema the body must satisfy; null = no body allowed.
  nlohmann::json request_schema;
  /// Every success answer, by status. At least one.
  std::vector<RouteResponse> responses;

  // ---- appended in SDK 1.1 (a plugin built against 1.0 does not carry it) ----

  /// Hints for the web console, an object of "x-civ-..."-style keys the console reads (which
  /// list is a work queue, which workflow step a route is); null when none. Documented in the
  /// API document as `x-civ-console`.
  nlohmann::json console;

  // ---- appended in SDK 1.5 ----

  /// The body may also be the file itself, sent with Content-Type text/csv or
  /// application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: the host then checks no
  /// JSON schema (request_schema describes the JSON form, {"format", "content"}), and the handler
  /// reads the file through Request::fileFormat()/fileBytes() or sdk::uploadedTable(). A file
  /// sent to a route without it is refused (415). For imports: a county register of 55 MB is
  /// read as it came, not wrapped in JSON and parsed twice.
  bool accepts_file = false;
};

/// Handles one request. May throw civ::sdk::Error subclasses; anything else becomes a 500 and
/// is logged with the plugin id. Called concurrently from several host threads.
using RouteHandler = std::function<Response(Request&)>;

class Route;  // route_builder.h

/// The registrar. Everything added is recorded against the plugin and dropped when it stops.
/// OWNERSHIP: the host keeps the handler (and the plugin's library) alive while it routes.
class CIV_SDK_API Router {
 public:
  virtual ~Router();
  /// Adds a route. Throws ValidationError naming the route and the fix when the declaration
  /// cannot be served or documented (a path parameter without a type, a schema the host cannot
  /// check or document, no success answer), Conflict when the method and path are declared
  /// twice. A throw from start() marks the plugin failed; the other plugins are unaffected.
  virtual void add(const RouteDeclaration& route, RouteHandler handler) = 0;

  // ---- appended in SDK 1.6 ----

  /// Adds a route as add() does, taking the declaration over instead of copying it: the JSON
  /// schemas of a module's routes are most of its start-up, and a copy of each doubled it.
  /// `route` is left moved from. The default (a Router written before 1.6) copies.
  virtual void adopt(RouteDeclaration&& route, RouteHandler handler);

  /// `router.add(Route::get(...)...ok(...), handler)`: a declaration built in the call is
  /// handed over (adopt), not copied. Inline, defined in route_builder.h (include it to call
  /// this): libciv_sdk exports no such function.
  inline void add(Route&& route, RouteHandler handler);
};

}  // namespace civ::sdk
