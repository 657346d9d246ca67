// Lists and search, one convention for every module and the host.
//
// Request:  ?limit=20&cursor=...&sort=-received_on  plus the route's own filters.
//   limit   page size, 1..max_limit (default default_limit); larger is refused (400).
//   sort    one of the declared sortable fields, "-" in front for descending; ties are broken
//           by id, so every order is total and paging never skips or repeats a row.
//   cursor  the `next` of the previous page, opaque to the client.
// Response: {"items": [...], "total": n, "limit": n, "next": "..." | null}
//
// Paging is by keyset (WHERE id > last id, on the primary key) when the order is by id, so a
// deep page costs what the first does; for other orders it is by offset. `total` counts every
// row that matches the filters.
//
//   // declaring (route_builder.h):
//   Route::get("/households").list(householdSchema, kHouseholdList).query("township", ...)
//   // handling:
//   const auto page = sdk::ListRequest::from(request, kHouseholdList);
//   "SELECT ... WHERE county_code = :county AND " + page.keysetCondition("h.id") +
//       page.orderAndLimit({{"id", "h.id"}, {"received_on", "h.received_on"}})
//   return sdk::Response::ok(page.answer(items, total, ids));   // ids: one per item, in order
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <civ/sdk/abi.h>

namespace civ::sdk {

class Request;

/// How a list may be paged and sorted. Constant per route: declare it once beside the route.
/// Frozen for ABI major 1 (libciv_sdk reads it by reference): a new need is a new struct.
struct ListSpec {
  /// Fields a client may sort by (JSON names of the items). "id" is always allowed.
  std::vector<std::string> sortable;
  /// Default order: a sortable field, "-" in front for descending.
  std::string default_sort = "id";
  int default_limit = 20;
  /// The hard maximum: a larger limit is refused, never silently cut.
  int max_limit = 200;
};

/// The paging and sort of one list request, checked against its ListSpec. Frozen for ABI major 1
/// (a plugin holds it by value).
class CIV_SDK_API ListRequest {
 public:
  /// Reads limit, sort and cursor. Throws ValidationError (400) naming the parameter: a limit
  /// outside 1..max_limit, a sort field not in the spec, a cursor not made by this list.
  static ListRequest from(const Request& request, const ListSpec& spec);
  /// The same from the three texts (for code that has no sdk::Request, e.g. the host's lists).
  static ListRequest from(const std::optional<std::string>& limit,
                          const std::optional<std::string>& sort,
                          const std::optional<std::string>& cursor, const ListSpec& spec);

  int limit() const { return limit_; }
  /// The sort field (a JSON name from the spec) and its direction.
  const std::string& sortField() const { return sort_field_; }
  bool descending() const { return descending_; }
  /// True when this page is read by keyset (order by id).
  bool keyset() const { return sort_field_ == "id"; }
  /// True on the list's first page: no cursor, so neither a keyset position nor an offset is
  /// written into the SQL. A first page's text repeats from one request to the next with the
  /// same filters; a later page's does not (what KeptQueryCache keeps, kept_query.h).
  bool firstPage() const { return !after_id_ && offset_ == 0; }

  /// An SQL condition for the keyset ("id_column > 1234", "< " when descending), or "1=1" when
  /// paging by offset or on the first page. Safe to splice: it holds only an integer.
  std::string keysetCondition(std::string_view id_column) const;
  /// " ORDER BY <column> [DESC], <id column> [DESC] LIMIT <limit+1> [OFFSET n]". `columns`
  /// maps each sortable field to its SQL column and must include "id". One row more than the
  /// page is asked for, so answer() knows whether there is a next page.
  std::string orderAndLimit(const std::map<std::string, std::string, std::less<>>& columns) const;

  /// The page answer from the rows read with orderAndLimit (at most limit+1) and the total;
  /// `ids` are the rows' ids in the same order, one per item (for the keyset cursor; a count
  /// that differs is std::logic_error). Drops the extra row.
  nlohmann::json answer(nlohmann::json items, std::int64_t total,
                        const std::vector<std::int64_t>& ids) const;
  /// The page of a short list held in memory, already in its order (offset paging only: the
  /// spec's default sort must not be "id").
  nlohmann::json answerInMemory(nlohmann::json all) const;

 private:
  int limit_ = 20;
  std::string sort_field_ = "id";
  bool descending_ = false;
  std::optional<std::int64_t> after_id_;
  std::int64_t offset_ = 0;
};

}  // namespace civ::sdk
