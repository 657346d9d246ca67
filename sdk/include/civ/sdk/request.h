// One request as a plugin sees it: county, parameters, body, caller, and the session of the
// request's transaction. Implemented by the host (and by the fake Context in tests).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <civ/sdk/abi.h>
#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/date.h>

namespace soci {
class session;
}

namespace civ::sdk {

enum class Method : std::int32_t { Get, Post, Put, Patch, Delete };

/// OWNERSHIP: the host owns the request; references it returns are valid until the handler
/// returns. One request is handled on one thread.
class CIV_SDK_API Request {
 public:
  virtual ~Request();

  virtual Method method() const = 0;
  /// The six-digit county code from the path; the host has checked that it is configured and
  /// that this module is enabled for it.
  virtual const std::string& county() const = 0;
  /// A `{name}` segment of the route's path template. Throws NotFound for an undeclared name.
  virtual const std::string& pathParam(std::string_view name) const = 0;
  /// A query-string value, percent-decoded; nullopt when absent.
  virtual std::optional<std::string> queryParam(std::string_view name) const = 0;
  /// The JSON body, already validated against the route's request schema; null when none.
  virtual const nlohmann::json& body() const = 0;
  virtual const Caller& caller() const = 0;
  /// The session of this request's transaction. Mutating methods (POST, PUT, PATCH, DELETE)
  /// run inside one transaction that commits when the handler returns normally and rolls
  /// back when it throws. Do not begin or commit transactions yourself.
  virtual soci::session& db() = 0;
  /// Today in China Standard Time, from the host's clock.
  virtual Date today() const = 0;
  /// Records a change for the audit trail, written in this request's transaction. A mutating
  /// request that records nothing gets one generic row (route, path parameters, masked body);
  /// record what changed, with old and new values, for a useful trail.
  virtual void audit(const AuditRecord& record) = 0;

  /// pathParam(name) as a positive integer id; NotFound otherwise (a malformed id names
  /// no entity).
  std::int64_t pathId(std::string_view name) const;
  /// queryParam(name) as a date; ValidationError naming the parameter when malformed.
  std::optional<Date> queryDate(std::string_view name) const;

  // ---- appended in SDK 1.5 ----

  /// "csv" or "xlsx" when the body is the file itself (a route declared with
  /// Route::acceptsFile(), sent with Content-Type text/csv or the XLSX type); "" when the body
  /// is JSON or absent. sdk::uploadedTable(request) reads either form. Not pure: a test's own
  /// Request written against 1.4 still compiles (the defaults answer "no file").
  virtual std::string_view fileFormat() const;
  /// The file's bytes when fileFormat() is not "" (the body as received; no copy is made).
  virtual std::string_view fileBytes() const;
};

}  // namespace civ::sdk
