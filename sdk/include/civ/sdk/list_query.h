// The WHERE clause of a list (list.h) built from the filters a request gives. Every value is
// bound, never spliced; the page and the total run the same clause, in one statement each or
// the total as a column of the page's statement (countColumn, sumColumn).
// Header-only and opt-in: it includes SOCI, which list.h does not.
//
//   ListQuery query("d.county_code", request.county());
//   if (auto township = request.queryParam("township"))
//     query.add("d.township = " + query.text(*township));
//   query.addPeriod(request, "d.death_date", "death_from", "death_to");
//   const auto total = query.count(db, " FROM fu_deaths d LEFT JOIN civ_persons p ...");
//   soci::rowset<soci::row> rows = query.rows(db, "SELECT ... FROM ..." + query.clause() +
//       " AND " + page.keysetCondition("d.id") + page.orderAndLimit(...));
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <soci/soci.h>

#include <civ/sdk/error.h>
#include <civ/sdk/kept_query.h>
#include <civ/sdk/request.h>
#include <civ/sdk/sql.h>

namespace civ::sdk {

class ListQuery {
 public:
  /// " WHERE <county_column> = <the county>": every list is of one county.
  ListQuery(const std::string& county_column, const std::string& county)
      : clause_(" WHERE " + county_column + " = ") {
    clause_ += text(county);
  }
  // The statements bind references to the values held here.
  ListQuery(const ListQuery&) = delete;
  ListQuery& operator=(const ListQuery&) = delete;

  /// Appends " AND <condition>"; its values come from text(), number() or containing().
  void add(const std::string& condition) { clause_ += " AND " + condition; }
  /// A placeholder bound to `value`. Use each placeholder once; they may appear in any order
  /// (they are bound in the order they occur in the statement).
  std::string text(std::string value) {
    values_.push_back({false, std::move(value), 0});
    return placeholder();
  }
  std::string number(long long value) {
    values_.push_back({true, {}, value});
    return placeholder();
  }
  /// "LIKE <placeholder> ESCAPE '!'" matching `value` anywhere in the column, with the LIKE
  /// wildcards in `value` taken literally.
  std::string containing(const std::string& value) {
    std::string pattern = "%";
    for (char c : value) {
      if (c == '%' || c == '_' || c == '!') pattern += '!';
      pattern += c;
    }
    return "LIKE " + text(pattern + "%") + " ESCAPE '!'";
  }
  /// Narrows `column` (a column, or an SQL expression such as a corrected date) to the period
  /// that the query parameters `from_name` and `to_name` give, both days included; either may be
  /// absent. The filter every list with a date has, stated once. Throws ValidationError (400,
  /// rule "period-order", naming `to_name`) when `to_name` is before `from_name`, and
  /// ValidationError naming the parameter when one is not a date (Request::queryDate).
  void addPeriod(const Request& request, const std::string& column,
                 std::string_view from_name = "from", std::string_view to_name = "to") {
    const auto from = request.queryDate(from_name);
    const auto to = request.queryDate(to_name);
    if (from && to && *to < *from)
      throw ValidationError(
          std::string(to_name), "period-order",
          "'" + std::string(to_name) + "' is before '" + std::string(from_name) + "'", 400);
    if (from) add(column + " >= " + text(from->toString()));
    if (to) add(column + " <= " + text(to->toString()));
  }
  const std::string& clause() const { return clause_; }

  /// SELECT COUNT(*) <from> <clause>.
  std::int64_t count(soci::session& db, const std::string& from) {
    return firstInteger(db, nullptr, "SELECT COUNT(*)" + from + clause_);
  }
  /// The same, its statement kept in `kept` (KeptQueryCache: prepared once per session).
  std::int64_t count(KeptQueryCache& kept, soci::session& db, const std::string& from) {
    return firstInteger(db, &kept, "SELECT COUNT(*)" + from + clause_);
  }
  /// SELECT SUM(<column>) <from> <clause>, 0 when no row matches: the total of a list whose
  /// module keeps counts per group (e.g. households per township) and whose filters name only
  /// the grouped columns, under the same alias.
  std::int64_t sum(soci::session& db, const std::string& column, const std::string& from) {
    return firstInteger(db, nullptr, sumSql(column, from));
  }
  /// The same, its statement kept in `kept`.
  std::int64_t sum(KeptQueryCache& kept, soci::session& db, const std::string& column,
                   const std::string& from) {
    return firstInteger(db, &kept, sumSql(column, from));
  }
  /// The total as a column of the page's own statement: "(SELECT COUNT(*) <from> <clause>)",
  /// the clause repeated with placeholders of its own. On PostgreSQL a page and its total are
  /// then one round trip, not two. Only a page with rows carries it: when a page comes back
  /// empty, ask count() (or sum()) instead. Call it after the last add(): it copies the clause
  /// as it stands.
  ///   const std::string total = query.countColumn(" FROM fu_deaths d");
  ///   ... "SELECT d.id, ..., " + total + " FROM fu_deaths d" + query.clause() + ...
  std::string countColumn(const std::string& from) {
    return "(SELECT COUNT(*)" + from + clauseAgain() + ")";
  }
  /// The same for sum(): "(SELECT SUM(<column>) <from> <clause>)", 0 when no row matches.
  std::string sumColumn(const std::string& column, const std::string& from) {
    return "(SELECT CAST(COALESCE(SUM(" + column + "), 0) AS BIGINT)" + from + clauseAgain() + ")";
  }
  /// The rows of `sql`, with the placeholders it contains bound to their values.
  soci::rowset<soci::row> rows(soci::session& db, const std::string& sql) {
    auto prepared = (db.prepare << sql);
    forEachPlaceholder(sql, [&](Value& value) {
      if (value.integer)
        prepared, soci::use(value.number);
      else
        prepared, soci::use(value.text);
    });
    return soci::rowset<soci::row>(prepared);
  }
  /// Calls `each` for every row of `sql`, its statement kept in `kept` once the text repeats
  /// (a list's first page, the same filters again); returns the row count. Read rows with the
  /// helpers of civ/sdk/sql.h, as from rows().
  std::size_t forEach(KeptQueryCache& kept, soci::session& db, const std::string& sql,
                      const std::function<void(const soci::row&)>& each) {
    const auto parameters = parametersOf(sql);
    if (KeptQuery* query = kept.find(sql, parameters)) return query->forEach(db, parameters, each);
    return forEach(db, sql, each);
  }
  /// The same, run unkept: for a text that seldom repeats (a later page, whose position
  /// ListRequest writes into the SQL).
  std::size_t forEach(soci::session& db, const std::string& sql,
                      const std::function<void(const soci::row&)>& each) {
    std::size_t count = 0;
    soci::rowset<soci::row> all = rows(db, sql);
    for (const auto& row : all) {
      ++count;
      each(row);
    }
    return count;
  }
  /// The values of the placeholders in `sql`, in the order they occur there.
  std::vector<BulkValue> parametersOf(const std::string& sql) {
    std::vector<BulkValue> parameters;
    forEachPlaceholder(sql, [&](Value& value) {
      if (value.integer)
        parameters.emplace_back(static_cast<std::int64_t>(value.number));
      else
        parameters.emplace_back(value.text);
    });
    return parameters;
  }

 private:
  struct Value {
    bool integer = false;
    std::string text;
    long long number = 0;
  };
  static constexpr std::string_view kPrefix = ":lq";
  std::string sumSql(const std::string& column, const std::string& from) const {
    return "SELECT CAST(COALESCE(SUM(" + column + "), 0) AS BIGINT)" + from + clause_;
  }
  std::int64_t firstInteger(soci::session& db, KeptQueryCache* kept, const std::string& sql) {
    std::int64_t first = 0;
    bool seen = false;
    const auto take = [&](const soci::row& row) {
      if (!seen) first = sdk::sql::int64At(row, 0);
      seen = true;
    };
    if (kept != nullptr) {
      forEach(*kept, db, sql, take);
    } else {
      soci::rowset<soci::row> all = rows(db, sql);
      for (const auto& row : all) take(row);
    }
    return first;
  }
  /// Calls `bind` with the value of each placeholder of `sql` (outside quotes), in order.
  template <typename Bind>
  void forEachPlaceholder(const std::string& sql, Bind bind) {
    bool quoted = false;
    for (std::size_t i = 0; i < sql.size(); ++i) {
      if (sql[i] == '\'') quoted = !quoted;
      if (quoted || sql.compare(i, kPrefix.size(), kPrefix) != 0) continue;
      std::size_t end = i + kPrefix.size();
      std::size_t index = 0;
      while (end < sql.size() && sql[end] >= '0' && sql[end] <= '9')
        index = index * 10 + static_cast<std::size_t>(sql[end++] - '0');
      bind(values_.at(index));
      i = end - 1;
    }
  }

  /// The clause with a new placeholder for each of its own, bound to a copy of the same value:
  /// SQLite binds a name that occurs twice in a statement once, so no placeholder repeats.
  std::string clauseAgain() {
    std::string again;
    bool quoted = false;
    for (std::size_t i = 0; i < clause_.size(); ++i) {
      if (clause_[i] == '\'') quoted = !quoted;
      if (quoted || clause_.compare(i, kPrefix.size(), kPrefix) != 0) {
        again += clause_[i];
        continue;
      }
      std::size_t end = i + kPrefix.size();
      std::size_t index = 0;
      while (end < clause_.size() && clause_[end] >= '0' && clause_[end] <= '9')
        index = index * 10 + static_cast<std::size_t>(clause_[end++] - '0');
      values_.push_back(Value(values_.at(index)));
      again += placeholder();
      i = end - 1;
    }
    return again;
  }
  std::string placeholder() const {
    return std::string(kPrefix) + std::to_string(values_.size() - 1);
  }

  std::deque<Value> values_;  // a deque: binding keeps references, pushing never moves them
  std::string clause_;
};

}  // namespace civ::sdk
