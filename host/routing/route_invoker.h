// Runs one matched route the way every caller (HTTP server, fake Context) must: body checked
// against the route's schema, a pooled session, one transaction for mutating methods,
// committed only when the handler returns normally.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include <civ/sdk/caller.h>
#include <civ/sdk/date.h>
#include <civ/sdk/response.h>

#include "host/audit/audit_log.h"
#include "host/routing/route_table.h"
#include "host/storage/database.h"

namespace civ::host {

struct Invocation {
  sdk::Method method = sdk::Method::Get;
  std::string county;
  PathParams path_params;
  std::map<std::string, std::string, std::less<>> query;
  nlohmann::json body;          ///< null when the request had none
  std::string file_format;      ///< "csv" or "xlsx" when the body is a file, else ""
  std::string_view file_bytes;  ///< the file, when file_format is set (owned by the exchange)
  sdk::Caller caller;
  sdk::Date today;
  std::string timestamp;   ///< when the request is handled, for the audit trail
  std::string request_id;  ///< on its audit rows and its events; made up when empty
};

/// Throws sdk::ValidationError (status 400) for a body or query parameter that breaks its
/// declaration (sdk::NotFound for a path id that is not a row id); whatever the
/// handler throws propagates after the rollback. A mutating route's audit rows (what the
/// handler recorded, or one generic row) are written before the commit. `session` is a
/// session of `database`'s pool leased by the caller. `audit`, when given, writes the audit
/// rows through the host's kept statements.
sdk::Response invokeRoute(const RouteEntry& route, Invocation invocation, Database& database,
                          soci::session& session, AuditStatements* audit = nullptr);

/// Whether every answer is checked against the route's declared responses (status, content
/// type, body schema); a mismatch becomes std::logic_error (a 500, rolled back). On in tests
/// (the fake Context, and civhost with CIV_CHECK_ANSWERS=1), off in production, where the check
/// would cost every request what the contract test already proved.
void checkAnswersAgainstDeclarations(bool on);

/// Throws std::logic_error when `response` is not one of the route's declared answers.
void checkAnswer(const RouteEntry& route, const sdk::Response& response, sdk::Date today);

}  // namespace civ::host
