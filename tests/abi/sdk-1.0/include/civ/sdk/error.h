// Errors a plugin reports. Only civ::sdk::Error subclasses may leave a plugin; the host maps
// each to an application/problem+json answer with the status below and changes nothing
// (the request's transaction is rolled back).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include <civ/sdk/abi.h>

namespace civ::sdk {

/// One violated rule on one field of a request, e.g. {"citizen_id", "checksum", "..."}.
struct FieldError {
  std::string field;    ///< JSON path of the field, e.g. "members[2].citizen_id"
  std::string rule;     ///< short machine-readable rule name, e.g. "required", "maximum"
  std::string message;  ///< human-readable explanation naming the limit
};

/// Base of every error that may cross the plugin boundary. Defined in libciv_sdk.so so that
/// host and plugins share one typeinfo (catch works across shared objects).
class CIV_SDK_API Error : public std::runtime_error {
 public:
  /// @param status HTTP status the host answers with (4xx for caller errors).
  /// @param type   problem type slug, e.g. "validation-error" (becomes "urn:civ:problem:<type>").
  /// @param title  short summary that does not vary between occurrences.
  /// @param detail what happened this time, naming the field, the rule and the fix.
  Error(int status, std::string type, std::string title, std::string detail);
  ~Error() override;

  int status() const { return status_; }
  const std::string& type() const { return type_; }
  const std::string& title() const { return title_; }
  const std::string& detail() const { return detail_; }
  /// Per-field errors; empty except for ValidationError.
  const std::vector<FieldError>& fieldErrors() const { return field_errors_; }

 protected:
  std::vector<FieldError> field_errors_;

 private:
  int status_;
  std::string type_;
  std::string title_;
  std::string detail_;
};

/// 422-class input problems: the request is well-formed but breaks a rule. Status 400 when the
/// body shape itself is wrong (the host uses that for schema failures), 422 for business rules.
class CIV_SDK_API ValidationError : public Error {
 public:
  ValidationError(std::string field, std::string rule, std::string message, int status = 422);
  explicit ValidationError(std::vector<FieldError> errors, int status = 422);
  ~ValidationError() override;
};

/// 404: the addressed entity does not exist (in this county).
class CIV_SDK_API NotFound : public Error {
 public:
  explicit NotFound(std::string detail);
  ~NotFound() override;
};

/// 409: the request conflicts with the current state (duplicate, wrong workflow state).
class CIV_SDK_API Conflict : public Error {
 public:
  explicit Conflict(std::string detail);
  ~Conflict() override;
};

/// 403: the caller is known but may not do this (scope, role, four-eyes rule).
class CIV_SDK_API Forbidden : public Error {
 public:
  explicit Forbidden(std::string detail);
  ~Forbidden() override;
};

}  // namespace civ::sdk
