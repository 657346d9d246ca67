#include "host/routing/route_invoker.h"

#include <civ/sdk/citizen_id.h>
#include <civ/sdk/error.h>
#include <civ/sdk/json_schema.h>
#include <civ/sdk/request.h>

#include "host/audit/audit_log.h"
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
  return record;
}

void writeAudit(soci::session& session, sdk::Dialect dialect, const RouteEntry& route,
                const Invocation& invocation, const std::vector<sdk::AuditRecord>& records) {
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
    entry.summary = sdk::maskCitizenIds(
        record.changes.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    AuditLog::append(session, dialect, std::move(entry));
  }
}

void checkBody(const RouteEntry& route, const Invocation& invocation) {
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

}  // namespace

sdk::Response invokeRoute(const RouteEntry& route, Invocation invocation, Database& database,
                          soci::session& session) {
  checkBody(route, invocation);
  RoutedRequest request(invocation, session);
  if (!isMutating(invocation.method)) return route.handler(request);
  Transaction transaction(database, session);
  sdk::Response response = route.handler(request);
  if (request.records().empty()) {
    writeAudit(session, database.dialect(), route, invocation,
               {genericRecord(route, invocation, response)});
  } else {
    writeAudit(session, database.dialect(), route, invocation, request.records());
  }
  transaction.commit();
  return response;
}

}  // namespace civ::host
