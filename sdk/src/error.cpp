#include <utility>

#include <civ/sdk/error.h>

namespace civ::sdk {

Error::Error(int status, std::string type, std::string title, std::string detail)
    : std::runtime_error(detail),
      status_(status),
      type_(std::move(type)),
      title_(std::move(title)),
      detail_(std::move(detail)) {}
Error::~Error() = default;

namespace {
std::string describe(const std::vector<FieldError>& errors) {
  std::string text;
  for (const auto& error : errors) {
    if (!text.empty()) text += "; ";
    text += error.field + ": " + error.message;
  }
  return text;
}
}  // namespace

ValidationError::ValidationError(std::string field, std::string rule, std::string message,
                                 int status)
    : ValidationError(
          std::vector<FieldError>{{std::move(field), std::move(rule), std::move(message)}},
          status) {}

ValidationError::ValidationError(std::vector<FieldError> errors, int status)
    : Error(status, "validation-error", "The request breaks a validation rule", describe(errors)) {
  field_errors_ = std::move(errors);
}
ValidationError::~ValidationError() = default;

NotFound::NotFound(std::string detail) : Error(404, "not-found", "Not found", std::move(detail)) {}
NotFound::~NotFound() = default;

Conflict::Conflict(std::string detail)
    : Error(409, "conflict", "The request conflicts with the current state", std::move(detail)) {}
Conflict::~Conflict() = default;

Forbidden::Forbidden(std::string detail)
    : Error(403, "forbidden", "Not permitted", std::move(detail)) {}
Forbidden::~Forbidden() = default;

}  // namespace civ::sdk
