// A concise way to declare a route completely (router.h says what the host does with it).
//
//   using sdk::schema::...;
//   context.router().add(
//       sdk::Route::post("/notes")
//           .permission(sdk::Permission::Edit)
//           .summary("登记备注", "Write a note about a person")
//           .body(object({{"citizen_id", citizenId()}, {"text", text(4000)}}))
//           .created(kNoteSchema),
//       [this](sdk::Request& request) { return createNote(request); });
//
//   sdk::Route::get("/notes/{id}").pathId("id").summary("备注", "One note").ok(kNoteSchema)
//   sdk::Route::get("/notes").list(kNoteSchema, kNoteList).query("person_id", id())
//   sdk::Route::get("/roll.csv").query("month", month(), true).document(sdk::kCsv, "bank roll")
#pragma once

#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include <civ/sdk/list.h>
#include <civ/sdk/router.h>
#include <civ/sdk/schema.h>

namespace civ::sdk {

inline constexpr const char* kCsv = "text/csv; charset=utf-8";
inline constexpr const char* kXlsx =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
inline constexpr const char* kHtml = "text/html; charset=utf-8";

class Route {
 public:
  Route(Method method, std::string path) {
    declaration_.method = method;
    declaration_.path = std::move(path);
    // Reads need only Read; a builder for a mutating route starts at Edit.
    declaration_.permission = method == Method::Get ? Permission::Read : Permission::Edit;
  }
  static Route get(std::string path) { return Route(Method::Get, std::move(path)); }
  static Route post(std::string path) { return Route(Method::Post, std::move(path)); }
  static Route put(std::string path) { return Route(Method::Put, std::move(path)); }
  static Route patch(std::string path) { return Route(Method::Patch, std::move(path)); }
  static Route del(std::string path) { return Route(Method::Delete, std::move(path)); }

  Route& permission(Permission permission) & {
    declaration_.permission = permission;
    return *this;
  }
  Route& summary(std::string zh, std::string en) & {
    declaration_.summary = {std::move(zh), std::move(en)};
    return *this;
  }
  /// A `{name}` segment holding a row id (an integer from 1). A value that is not one answers
  /// 404: a malformed id names no record.
  Route& pathId(std::string name) & {
    return pathParam(std::move(name), {{"type", "integer"}, {"minimum", 1}});
  }
  /// A `{name}` segment of another type (a certificate number, a citizen ID).
  Route& pathParam(std::string name, nlohmann::json schema) & {
    declaration_.parameters.push_back(
        {std::move(name), ParameterLocation::Path, true, std::move(schema)});
    return *this;
  }
  /// A query parameter (a filter, a period). Give the schema a "default" for a value the
  /// handler always sees, or set `required`.
  Route& query(std::string name, nlohmann::json schema, bool required = false) & {
    declaration_.parameters.push_back(
        {std::move(name), ParameterLocation::Query, required, std::move(schema)});
    return *this;
  }
  Route& body(nlohmann::json schema) & {
    declaration_.request_schema = std::move(schema);
    return *this;
  }
  /// 200 with a JSON body.
  Route& ok(nlohmann::json schema, std::string description = "success") & {
    return answers(200, std::move(schema), std::move(description));
  }
  /// 201 with the created record and a Location header.
  Route& created(nlohmann::json schema, std::string description = "created") & {
    return answers(201, std::move(schema), std::move(description));
  }
  /// 204 without a body.
  Route& noContent(std::string description = "done") & {
    declaration_.responses.push_back({204, "", nullptr, std::move(description)});
    return *this;
  }
  /// 200 with a document (CSV, XLSX, HTML) instead of JSON.
  Route& document(std::string content_type, std::string description) & {
    declaration_.responses.push_back(
        {200, std::move(content_type), nullptr, std::move(description)});
    return *this;
  }
  /// Any other JSON answer (e.g. 200 "already done" beside 201 "created").
  Route& answers(int status, nlohmann::json schema, std::string description) & {
    declaration_.responses.push_back(
        {status, "application/json", std::move(schema), std::move(description)});
    return *this;
  }
  /// The body may also be the file itself (SDK 1.5; RouteDeclaration::accepts_file): a CSV or
  /// XLSX import takes `curl --data-binary @file.csv -H 'Content-Type: text/csv'` beside the
  /// JSON {"format", "content"} form the console sends. Read it with sdk::uploadedTable().
  Route& acceptsFile() & {
    declaration_.accepts_file = true;
    return *this;
  }
  /// Hints for the web console (SDK 1.1), e.g. {"queue": true}.
  Route& console(nlohmann::json hints) & {
    declaration_.console = std::move(hints);
    return *this;
  }
  /// A list (list.h): the limit, sort and cursor parameters and a 200 page of `item`.
  /// Inline, like every member here: the builder is compiled into the plugin with the plugin's
  /// own RouteDeclaration layout.
  Route& list(nlohmann::json item, const ListSpec& spec) & {
    nlohmann::json orders = nlohmann::json::array({"id", "-id"});
    for (const auto& field : spec.sortable) {
      if (field == "id") continue;
      orders.push_back(field);
      orders.push_back("-" + field);
    }
    query("limit", schema::describe({{"type", "integer"},
                                     {"minimum", 1},
                                     {"maximum", spec.max_limit},
                                     {"default", spec.default_limit}},
                                    {"每页条数", "Items per page"}));
    query("sort",
          schema::describe({{"type", "string"}, {"enum", orders}, {"default", spec.default_sort}},
                           {"排序", "Sort field, '-' in front for descending"}));
    query("cursor", schema::describe({{"type", "string"}, {"pattern", "^[ko][0-9]{1,18}$"}},
                                     {"翻页位置", "The `next` of the previous page"}));
    return ok(schema::page(std::move(item)), "one page of the list");
  }

  // The same on a Route being built in the call (SDK 1.6), so that the chain stays an rvalue
  // and Router::add hands the declaration over instead of copying it.
  Route&& permission(Permission level) && { return std::move(permission(level)); }
  Route&& summary(std::string zh, std::string en) && {
    return std::move(summary(std::move(zh), std::move(en)));
  }
  Route&& pathId(std::string name) && { return std::move(pathId(std::move(name))); }
  Route&& pathParam(std::string name, nlohmann::json schema) && {
    return std::move(pathParam(std::move(name), std::move(schema)));
  }
  Route&& query(std::string name, nlohmann::json schema, bool required = false) && {
    return std::move(query(std::move(name), std::move(schema), required));
  }
  Route&& body(nlohmann::json schema) && { return std::move(body(std::move(schema))); }
  Route&& ok(nlohmann::json schema, std::string description = "success") && {
    return std::move(ok(std::move(schema), std::move(description)));
  }
  Route&& created(nlohmann::json schema, std::string description = "created") && {
    return std::move(created(std::move(schema), std::move(description)));
  }
  Route&& noContent(std::string description = "done") && {
    return std::move(noContent(std::move(description)));
  }
  Route&& document(std::string content_type, std::string description) && {
    return std::move(document(std::move(content_type), std::move(description)));
  }
  Route&& answers(int status, nlohmann::json schema, std::string description) && {
    return std::move(answers(status, std::move(schema), std::move(description)));
  }
  Route&& acceptsFile() && { return std::move(acceptsFile()); }
  Route&& console(nlohmann::json hints) && { return std::move(console(std::move(hints))); }
  Route&& list(nlohmann::json item, const ListSpec& spec) && {
    return std::move(list(std::move(item), spec));
  }

  const RouteDeclaration& declaration() const { return declaration_; }
  operator const RouteDeclaration&() const { return declaration_; }  // NOLINT: for Router::add
  /// The declaration, moved out (Router::add(Route&&, ...)).
  RouteDeclaration&& take() && { return std::move(declaration_); }

 private:
  RouteDeclaration declaration_;
};

inline void Router::add(Route&& route, RouteHandler handler) {
  adopt(std::move(route).take(), std::move(handler));
}

}  // namespace civ::sdk
