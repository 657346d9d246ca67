#include "host/routing/route_invoker.h"

#include <algorithm>
#include <atomic>

#include <civ/sdk/citizen_id.h>
#include <civ/sdk/error.h>
#include <civ/sdk/json_schema.h>
#include <civ/sdk/request.h>

#include "host/audit/audit_log.h"
#include "host/common/sha256.h"
#include "host/events/event_cause.h"
#include "host/storage/transaction.h"

namespace civ::host {

namespace {

class RoutedRequest : public sdk::Request {
 public:
  RoutedRequest(Invocation& invocation, soci::session& session)
      : invocation_(invocation), session_(session) {}

  sdk::Method method() const override { return invocation_.method; }
  const std::string& county() const override { return invocation_.county; }
  const std::string& pathParam(std::string_view name) const override {
    auto it = invocation_.path_params.find(name);
    if (it == invocation_.path_params.end())
      throw sdk::NotFound("the route has no path parameter '" + std::string(name) + "'");
    return it->second;
  }
  std::optional<std::string> queryParam(std::string_view name) const override {
    auto it = invocation_.query.find(name);
    if (it == invocation_.query.end()) return std::nullopt;
    return it->second;
  }
  const nlohmann::json& body() const override { return invocation_.body; }
  std::string_view fileFormat() const override { return invocation_.file_format; }
  std::string_view fileBytes() const override { return invocation_.file_bytes; }
  const sdk::Caller& caller() const override { return invocation_.caller; }
  soci::session& db() override { return session_; }
  sdk::Date today() const override { return invocation_.today; }
  void audit(const sdk::AuditRecord& record) override { records_.push_back(record); }

  const std::vector<sdk::AuditRecord>& records() const { return records_; }

 private:
  Invocation& invocation_;
  soci::session& session_;
  std::vector<sdk::AuditRecord> records_;
};

/// The row written for a mutating request whose handler recorded nothing.
sdk::AuditRecord genericRecord(const RouteEntry& route, const Invocation& invocation,
                               const sdk::Response& response) {
  sdk::AuditRecord record;
  record.action = std::string(toString(invocation.method)) + " " + route.declaration.path;
  record.entity_type = route.plugin_id;
  for (const auto& [name, value] : invocation.path_params)
    record.entity_id += (record.entity_id.empty() ? "" : ",") + name + "=" + value;
  if (record.entity_id.empty() && !response.location.empty())
    record.entity_id = response.location.substr(response.location.rfind('/') + 1);
  record.changes = {{"request", invocation.body}};
  if (!invocation.file_format.empty())
    record.changes = {{"request",
                       {{"file", invocation.file_format},
                        {"bytes", invocation.file_bytes.size()},
                        {"sha256", sha256Hex(invocation.file_bytes)}}}};  // which file it was
  return record;
}

void writeAudit(soci::session& session, sdk::Dialect dialect, AuditStatements* kept,
                const RouteEntry& route, const Invocation& invocation,
                const std::vector<sdk::AuditRecord>& records) {
  std::vector<AuditEntry> entries;
  entries.reserve(records.size());
  for (const auto& record : records) {
    AuditEntry entry;
    entry.at = invocation.timestamp;
    entry.user = invocation.caller.user;
    entry.role = invocation.caller.role;
    entry.county = invocation.county;
    entry.module = route.plugin_id;
    entry.action = record.action;
    entry.entity_type = record.entity_type;
    entry.entity_id = record.entity_id;
    entry.request_id = invocation.request_id;
    entry.summary = sdk::maskCitizenIds(
        record.changes.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    entries.push_back(std::move(entry));
  }
  if (kept != nullptr)
    AuditLog::appendAll(session, *kept, std::move(entries));
  else
    AuditLog::appendAll(session, dialect, std::move(entries));
}

void checkBody(const RouteEntry& route, const Invocation& invocation) {
  if (!invocation.file_format.empty()) {
    // The file itself (Route::acceptsFile): its reader checks it; the schema is the JSON form's.
    if (!route.declaration.accepts_file)
      throw sdk::Error(415, "unsupported-media-type", "Unsupported media type",
                       "this route takes its body as application/json, not as a " +
                           invocation.file_format + " file");
    return;
  }
  const auto& schema = route.declaration.request_schema;
  if (schema.is_null()) {
    if (!invocation.body.is_null())
      throw sdk::ValidationError("(body)", "no_body", "this route takes no request body", 400);
    return;
  }
  if (invocation.body.is_null())
    throw sdk::ValidationError("(body)", "required", "this route needs a JSON request body", 400);
  auto errors = sdk::validateJson(schema, invocation.body, invocation.today);
  if (!errors.empty()) throw sdk::ValidationError(std::move(errors), 400);
}

/// The text of a path or query parameter as the JSON value its schema describes, or nullopt
/// when it is not of that type.
std::optional<nlohmann::json> typedParameter(const nlohmann::json& schema,
                                             const std::string& text) {
  const std::string type = schema.value("type", "string");
  if (type == "string") return nlohmann::json(text);
  if (type == "boolean") {
    if (text == "true" || text == "false") return nlohmann::json(text == "true");
    return std::nullopt;
  }
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::size_t start = text[0] == '-' ? 1 : 0;
  bool digits = start < text.size();
  bool point = false;
  int digit_count = 0;
  for (std::size_t i = start; i < text.size(); ++i) {
    if (text[i] == '.' && type == "number" && !point)
      point = true;
    else if (text[i] < '0' || text[i] > '9')
      digits = false;
    else
      ++digit_count;
  }
  if (!digits || digit_count == 0) return std::nullopt;  // "." and "-" are not numbers
  if (type == "integer") return nlohmann::json(std::stoll(text));
  return nlohmann::json(std::stod(text));
}

/// Checks path and query parameters against the declaration and fills in query defaults. A
/// path parameter that is not of its type names no record (404); a bad or unknown query
/// parameter is the caller's mistake (400, naming it).
void checkParameters(const RouteEntry& route, Invocation& invocation) {
  for (const auto& parameter : route.declaration.parameters) {
    if (parameter.in == sdk::ParameterLocation::Path) {
      auto it = invocation.path_params.find(parameter.name);
      if (it == invocation.path_params.end()) continue;
      // A malformed row id names no record (404); a malformed value of another kind (a
      // citizen ID with a wrong checksum) is the caller's mistake, named like a body field.
      auto value = typedParameter(parameter.schema, it->second);
      if (!value) throw sdk::NotFound("no record with " + parameter.name + " '" + it->second + "'");
      auto errors = sdk::validateJson(parameter.schema, *value, invocation.today);
      if (errors.empty()) continue;
      if (!value->is_string())
        throw sdk::NotFound("no record with " + parameter.name + " '" + it->second + "'");
      for (auto& error : errors) {
        error.field = parameter.name;
        error.message = "path segment '" + parameter.name + "' " + error.message;
      }
      throw sdk::ValidationError(std::move(errors), 400);
    }
    auto it = invocation.query.find(parameter.name);
    if (it == invocation.query.end()) {
      if (auto fallback = parameter.schema.find("default"); fallback != parameter.schema.end())
        invocation.query[parameter.name] =
            fallback->is_string() ? fallback->get<std::string>() : fallback->dump();
      else if (parameter.required)
        throw sdk::ValidationError(parameter.name, "required",
                                   "query parameter '" + parameter.name + "' is required", 400);
      continue;
    }
    auto value = typedParameter(parameter.schema, it->second);
    if (!value)
      throw sdk::ValidationError(parameter.name, "type",
                                 "query parameter '" + parameter.name + "' must be " +
                                     parameter.schema.value("type", "string") + ", got '" +
                                     it->second + "'",
                                 400);
    auto errors = sdk::validateJson(parameter.schema, *value, invocation.today);
    for (auto& error : errors) {
      error.field = parameter.name;
      error.message = "query parameter '" + parameter.name + "' " + error.message;
    }
    if (!errors.empty()) throw sdk::ValidationError(std::move(errors), 400);
  }
  for (const auto& entry : invocation.query) {
    const std::string& name = entry.first;  // not a structured binding: clang 14 cannot capture one
    const bool declared =
        std::any_of(route.declaration.parameters.begin(), route.declaration.parameters.end(),
                    [&](const sdk::RouteParameter& p) {
                      return p.in == sdk::ParameterLocation::Query && p.name == name;
                    });
    if (declared) continue;
    std::string known;
    for (const auto& p : route.declaration.parameters)
      if (p.in == sdk::ParameterLocation::Query) known += (known.empty() ? "" : ", ") + p.name;
    throw sdk::ValidationError(name, "unknown_parameter",
                               "this route has no query parameter '" + name +
                                   "'; it takes: " + (known.empty() ? "none" : known),
                               400);
  }
}

std::string_view mediaType(std::string_view content_type) {
  return content_type.substr(0, content_type.find(';'));
}

}  // namespace

namespace {
std::atomic<bool> g_check_answers{false};
}

void checkAnswersAgainstDeclarations(bool on) { g_check_answers = on; }

void checkAnswer(const RouteEntry& route, const sdk::Response& response, sdk::Date today) {
  const bool document = !response.content_type.empty();
  const sdk::RouteResponse* declared = nullptr;
  for (const auto& candidate : route.declaration.responses) {
    if (candidate.status != response.status) continue;
    const bool candidate_document =
        candidate.status != 204 && candidate.content_type != "application/json";
    if (candidate_document != document) continue;
    if (document && mediaType(candidate.content_type) != mediaType(response.content_type)) continue;
    declared = &candidate;
  }
  const std::string route_name = route.plugin_id + " " +
                                 std::string(toString(route.declaration.method)) + " " +
                                 route.declaration.path;
  if (declared == nullptr)
    throw std::logic_error("route " + route_name + " answered " + std::to_string(response.status) +
                           " " + (document ? response.content_type : "application/json") +
                           ", which it does not declare");
  if (document || response.status == 204) return;
  auto errors = sdk::validateJson(declared->schema, response.body, today);
  if (!errors.empty())
    throw std::logic_error("route " + route_name + " answered " + std::to_string(response.status) +
                           " with a body that breaks its declared schema at " +
                           errors.front().field + ": " + errors.front().message);
}

sdk::Response invokeRoute(const RouteEntry& route, Invocation invocation, Database& database,
                          soci::session& session, AuditStatements* audit) {
  checkParameters(route, invocation);
  checkBody(route, invocation);
  if (!isMutating(invocation.method)) {
    RoutedRequest request(invocation, session);
    sdk::Response response = route.handler(request);
    if (g_check_answers) checkAnswer(route, response, invocation.today);
    return response;
  }
  if (invocation.request_id.empty()) invocation.request_id = newRequestId();
  // Events the handler publishes carry its user and request, for their handlers' audit rows.
  EventCauseScope cause({invocation.caller.user, invocation.request_id});
  // On SQLite the write runs on the writer session (its page cache stays warm), synced through
  // the request's own lease after the writer is handed on.
  Transaction transaction = Transaction::onWriter(database, session);
  soci::session& db = transaction.session();
  RoutedRequest request(invocation, db);
  sdk::Response response = route.handler(request);
  if (g_check_answers) checkAnswer(route, response, invocation.today);
  if (request.records().empty()) {
    if (!route.audits_itself)
      writeAudit(db, database.dialect(), audit, route, invocation,
                 {genericRecord(route, invocation, response)});
  } else {
    writeAudit(db, database.dialect(), audit, route, invocation, request.records());
  }
  transaction.commit();
  return response;
}

}  // namespace civ::host
