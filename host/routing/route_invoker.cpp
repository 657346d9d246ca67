#include "host/routing/route_invoker.h"

#include <civ/sdk/error.h>
#include <civ/sdk/json_schema.h>
#include <civ/sdk/request.h>

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

 private:
  Invocation& invocation_;
  soci::session& session_;
};

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

sdk::Response invokeRoute(const RouteEntry& route, Invocation invocation, Database& database) {
  checkBody(route, invocation);
  PooledSession lease(database);
  soci::session& session = lease.session();
  RoutedRequest request(invocation, session);
  if (!isMutating(invocation.method)) return route.handler(request);
  Transaction transaction(session, database.dialect());
  sdk::Response response = route.handler(request);
  transaction.commit();
  return response;
}

}  // namespace civ::host
