// Key functions: the out-of-line destructors and default virtuals of the SDK's interfaces, so
// their vtables and typeinfo live once, in libciv_sdk.so, for the host and every plugin.
#include <civ/sdk/context.h>
#include <civ/sdk/coverage.h>
#include <civ/sdk/error.h>
#include <civ/sdk/events.h>
#include <civ/sdk/persons.h>
#include <civ/sdk/plugin.h>
#include <civ/sdk/request.h>
#include <civ/sdk/router.h>
#include <civ/sdk/storage.h>

namespace civ::sdk {

Plugin::~Plugin() = default;
void Plugin::declare(Declarations&) const {}
void Plugin::stop() noexcept {}
void* Plugin::capability(std::string_view) noexcept { return nullptr; }
Declarations::~Declarations() = default;

Context::~Context() = default;
EventBus::~EventBus() = default;
CoverageDirectory::~CoverageDirectory() = default;

bool CoverageAnswer::answers(std::string_view program) const {
  for (const auto& answered : answered_programs)
    if (answered == program) return true;
  return false;
}

const ProgramCoverage* CoverageAnswer::find(std::string_view program) const {
  for (const auto& coverage : covered)
    if (coverage.program == program) return &coverage;
  return nullptr;
}
Router::~Router() = default;
// A Router written against SDK 1.0-1.5 overrides add() only: the declaration is copied as before.
void Router::adopt(RouteDeclaration&& route, RouteHandler handler) {
  add(route, std::move(handler));
}
Storage::~Storage() = default;
BulkWriter::~BulkWriter() = default;
PersonsRegistry::~PersonsRegistry() = default;

Request::~Request() = default;
std::string_view Request::fileFormat() const { return {}; }
std::string_view Request::fileBytes() const { return {}; }

std::int64_t Request::pathId(std::string_view name) const {
  const std::string& text = pathParam(name);
  std::int64_t id = 0;
  if (text.empty() || text.size() > 18)
    throw NotFound("no record with " + std::string(name) + " '" + text + "'");
  for (char c : text) {
    if (c < '0' || c > '9')
      throw NotFound("no record with " + std::string(name) + " '" + text + "'");
    id = id * 10 + (c - '0');
  }
  if (id <= 0) throw NotFound("no record with " + std::string(name) + " '" + text + "'");
  return id;
}

std::optional<Date> Request::queryDate(std::string_view name) const {
  auto text = queryParam(name);
  if (!text) return std::nullopt;
  auto date = Date::parse(*text);
  if (!date)
    throw ValidationError(std::string(name), "format",
                          "query parameter '" + std::string(name) +
                              "' must be a real date YYYY-MM-DD, got '" + *text + "'",
                          400);
  return date;
}

}  // namespace civ::sdk
