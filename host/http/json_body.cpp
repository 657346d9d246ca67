#include "host/http/json_body.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <civ/sdk/error.h>

namespace civ::host {

int jsonNestingDepth(std::string_view text, int limit) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

nlohmann::json parseJsonBody(const HttpExchange& exchange) {
  if (exchange.body.empty()) return nullptr;
  if (mediaType(exchange.content_type) != "application/json")
    throw sdk::Error(415, "unsupported-media-type", "Unsupported media type",
                     "send the body as application/json, not '" + exchange.content_type + "'");
  if (jsonNestingDepth(exchange.body, kMaxJsonDepth) > kMaxJsonDepth)
    throw sdk::ValidationError(
        "(body)", "max_depth",
        "the body nests deeper than " + std::to_string(kMaxJsonDepth) + " levels", 400);
  // A key given twice in one object is refused, not last-wins: two readers of the same body
  // (a proxy, a log, this parser) must not see two different requests.
  std::vector<std::set<std::string>> keys_by_depth;
  std::optional<std::string> duplicate;
  const auto watch = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if (event == Event::object_start) keys_by_depth.emplace_back();
    if (event == Event::object_end && !keys_by_depth.empty()) keys_by_depth.pop_back();
    if (event == Event::key && !keys_by_depth.empty() && !duplicate &&
        !keys_by_depth.back().insert(parsed.get<std::string>()).second)
      duplicate = parsed.get<std::string>();
    return true;
  };
  try {
    nlohmann::json body = nlohmann::json::parse(exchange.body, watch);
    if (duplicate)
      throw sdk::ValidationError(
          *duplicate, "duplicate_key",
          "the key '" + *duplicate + "' appears twice in one object; send it once", 400);
    return body;
  } catch (const nlohmann::json::parse_error& error) {
    throw sdk::ValidationError(
        "(body)", "json", "the body is not valid JSON (at byte " + std::to_string(error.byte) + ")",
        400);
  }
}

std::string mediaType(std::string_view content_type) {
  std::string type(content_type.substr(0, content_type.find(';')));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.erase(0, 1);
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return type;
}

std::string uploadedFileFormat(std::string_view content_type) {
  const std::string type = mediaType(content_type);
  if (type == "text/csv") return "csv";
  if (type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") return "xlsx";
  return "";
}

HttpReply jsonReply(int status, const nlohmann::json& body) {
  HttpReply reply;
  reply.status = status;
  if (status != 204)
    reply.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return reply;
}

}  // namespace civ::host
