#include <civ/sdk/error.h>
#include <civ/sdk/list.h>
#include <civ/sdk/request.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/schema.h>

namespace civ::sdk {

namespace {

// Cursors: "k<id>" continues a keyset after that id, "o<offset>" an offset. Opaque to clients.
std::optional<std::int64_t> number(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

ValidationError badParameter(const std::string& name, const std::string& rule,
                             const std::string& message) {
  return ValidationError(name, rule, "query parameter '" + name + "' " + message, 400);
}

bool sortable(const ListSpec& spec, std::string_view field) {
  if (field == "id") return true;
  for (const auto& allowed : spec.sortable)
    if (allowed == field) return true;
  return false;
}

}  // namespace

ListRequest ListRequest::from(const Request& request, const ListSpec& spec) {
  ListRequest list;
  list.limit_ = spec.default_limit;
  if (auto text = request.queryParam("limit")) {
    auto value = number(*text);
    if (!value || *value < 1 || *value > spec.max_limit)
      throw badParameter("limit", "maximum",
                         "must be a whole number from 1 to " + std::to_string(spec.max_limit));
    list.limit_ = static_cast<int>(*value);
  }
  std::string sort = request.queryParam("sort").value_or(spec.default_sort);
  list.descending_ = !sort.empty() && sort.front() == '-';
  list.sort_field_ = list.descending_ ? sort.substr(1) : sort;
  if (!sortable(spec, list.sort_field_))
    throw badParameter("sort", "enum", "cannot sort by '" + list.sort_field_ + "'");
  if (auto cursor = request.queryParam("cursor")) {
    auto value = cursor->size() > 1 ? number(std::string_view(*cursor).substr(1)) : std::nullopt;
    const char kind = cursor->empty() ? '?' : cursor->front();
    if (!value || (kind == 'k' && !list.keyset()) || (kind == 'o' && list.keyset()) ||
        (kind != 'k' && kind != 'o'))
      throw badParameter("cursor", "format",
                         "is not the `next` of a previous page of this list in this order");
    if (kind == 'k') list.after_id_ = *value;
    else list.offset_ = *value;
  }
  return list;
}

std::string ListRequest::keysetCondition(std::string_view id_column) const {
  if (!after_id_) return "1=1";
  return std::string(id_column) + (descending_ ? " < " : " > ") + std::to_string(*after_id_);
}

std::string ListRequest::orderAndLimit(
    const std::map<std::string, std::string, std::less<>>& columns) const {
  const auto column = columns.find(sort_field_);
  const auto id = columns.find("id");
  if (column == columns.end() || id == columns.end())
    throw std::logic_error("ListRequest::orderAndLimit: no column for '" + sort_field_ +
                           "' or 'id'");
  const char* direction = descending_ ? " DESC" : "";
  std::string sql = " ORDER BY " + column->second + direction;
  if (!keyset()) sql += ", " + id->second + direction;
  sql += " LIMIT " + std::to_string(limit_ + 1);
  if (!keyset() && offset_ > 0) sql += " OFFSET " + std::to_string(offset_);
  return sql;
}

nlohmann::json ListRequest::answer(nlohmann::json items, std::int64_t total,
                                   const std::vector<std::int64_t>& ids) const {
  nlohmann::json next = nullptr;
  if (items.is_array() && items.size() > static_cast<std::size_t>(limit_)) {
    items.erase(items.begin() + limit_, items.end());
    if (keyset() && ids.size() >= static_cast<std::size_t>(limit_))
      next = "k" + std::to_string(ids[limit_ - 1]);
    else if (!keyset())
      next = "o" + std::to_string(offset_ + limit_);
  }
  return {{"items", std::move(items)}, {"total", total}, {"limit", limit_}, {"next", next}};
}

Route& Route::list(nlohmann::json item, const ListSpec& spec) {
  nlohmann::json orders = nlohmann::json::array({"id", "-id"});
  for (const auto& field : spec.sortable) {
    if (field == "id") continue;
    orders.push_back(field);
    orders.push_back("-" + field);
  }
  query("limit", schema::describe(
                     {{"type", "integer"}, {"minimum", 1}, {"maximum", spec.max_limit},
                      {"default", spec.default_limit}},
                     {"每页条数", "Items per page"}));
  query("sort", schema::describe({{"type", "string"}, {"enum", orders},
                                  {"default", spec.default_sort}},
                                 {"排序", "Sort field, '-' in front for descending"}));
  query("cursor", schema::describe({{"type", "string"}, {"pattern", "^[ko][0-9]{1,18}$"}},
                                   {"翻页位置", "The `next` of the previous page"}));
  return ok(schema::page(std::move(item)), "one page of the list");
}

}  // namespace civ::sdk
