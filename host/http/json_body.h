// JSON request bodies and replies, the same for plugin routes and the host's own routes.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "host/http/http_exchange.h"

namespace civ::host {

/// Bodies nested deeper than this are refused before parsing (the parser and the schema
/// validator recurse).
inline constexpr int kMaxJsonDepth = 64;

/// The request body as JSON; null when there is none. 415 for another content type, 400 for a
/// body nested too deep or not valid JSON, each naming the rule.
nlohmann::json parseJsonBody(const HttpExchange& exchange);
/// The media type of a Content-Type value, lower case, without parameters or blanks
/// ("Application/JSON; charset=utf-8" is "application/json"): media types are case-insensitive.
std::string mediaType(std::string_view content_type);
/// "csv" for a body sent as text/csv, "xlsx" for the XLSX media type, else "" (JSON or none):
/// a file a route declared with Route::acceptsFile() takes as it came (SDK 1.5).
std::string uploadedFileFormat(std::string_view content_type);
/// A 200-class reply with `body` serialised (invalid UTF-8 replaced, never thrown on).
HttpReply jsonReply(int status, const nlohmann::json& body);
/// Deepest nesting of arrays and objects in a JSON text (strings skipped), stopping early once
/// `limit` is passed.
int jsonNestingDepth(std::string_view text, int limit);

}  // namespace civ::host
