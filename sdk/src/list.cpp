#include <civ/sdk/error.h>
#include <civ/sdk/list.h>
#include <civ/sdk/request.h>
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
  return from(request.queryParam("limit"), request.queryParam("sort"), request.queryParam("cursor"),
              spec);
}

ListRequest ListRequest::from(const std::optional<std::string>& limit_text,
                              const std::optional<std::string>& sort_text,
                              const std::optional<std::string>& cursor_text, const ListSpec& spec) {
  ListRequest list;
  list.limit_ = spec.default_limit;
  if (const auto& text = limit_text) {
    auto value = number(*text);
    if (!value || *value < 1 || *value > spec.max_limit)
      throw badParameter("limit", "maximum",
                         "must be a whole number from 1 to " + std::to_string(spec.max_limit));
    list.limit_ = static_cast<int>(*value);
  }
  std::string sort = sort_text.value_or(spec.default_sort);
  list.descending_ = !sort.empty() && sort.front() == '-';
  list.sort_field_ = list.descending_ ? sort.substr(1) : sort;
  if (!sortable(spec, list.sort_field_))
    throw badParameter("sort", "enum", "cannot sort by '" + list.sort_field_ + "'");
  if (const auto& cursor = cursor_text) {
    auto value = cursor->size() > 1 ? number(std::string_view(*cursor).substr(1)) : std::nullopt;
    const char kind = cursor->empty() ? '?' : cursor->front();
    if (!value || (kind == 'k' && !list.keyset()) || (kind == 'o' && list.keyset()) ||
        (kind != 'k' && kind != 'o'))
      throw badParameter("cursor", "format",
                         "is not the `next` of a previous page of this list in this order");
    if (kind == 'k')
      list.after_id_ = *value;
    else
      list.offset_ = *value;
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

nlohmann::json ListRequest::answerInMemory(nlohmann::json all) const {
  const std::int64_t total = static_cast<std::int64_t>(all.size());
  nlohmann::json items = nlohmann::json::array();
  for (std::int64_t i = offset_; i < total && i < offset_ + limit_; ++i) items.push_back(all[i]);
  nlohmann::json next = nullptr;
  if (offset_ + limit_ < total) next = "o" + std::to_string(offset_ + limit_);
  return {{"items", std::move(items)}, {"total", total}, {"limit", limit_}, {"next", next}};
}

nlohmann::json ListRequest::answer(nlohmann::json items, std::int64_t total,
                                   const std::vector<std::int64_t>& ids) const {
  if (keyset() && items.is_array() && ids.size() != items.size())
    throw std::logic_error("ListRequest::answer: " + std::to_string(ids.size()) + " ids for " +
                           std::to_string(items.size()) +
                           " items; the keyset cursor needs one each");
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

}  // namespace civ::sdk
