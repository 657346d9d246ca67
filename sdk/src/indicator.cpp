#include <cctype>
#include <memory>

#include <soci/soci.h>

#include <civ/sdk/indicator.h>
#include <civ/sdk/sql.h>

namespace civ::sdk {

namespace {

/// Whether `sql` uses the bind name `:name` (not as the prefix of a longer name).
bool usesBind(const std::string& sql, const std::string& name) {
  const std::string marker = ":" + name;
  for (auto at = sql.find(marker); at != std::string::npos; at = sql.find(marker, at + 1)) {
    const auto after = at + marker.size();
    if (after == sql.size() ||
        !(std::isalnum(static_cast<unsigned char>(sql[after])) || sql[after] == '_'))
      return true;
  }
  return false;
}

/// Runs `sql` with the query's values (as text) bound to the names it uses; `row` receives each
/// result row. Returns the statement, executed, positioned on the first row if any.
class BoundStatement {
 public:
  BoundStatement(soci::session& db, const std::string& sql, const IndicatorQuery& query)
      : county_(query.county), from_(query.from.toString()), to_(query.to.toString()) {
    soci::details::prepare_temp_type prepared = (db.prepare << sql, soci::into(row_));
    if (usesBind(sql, "county")) prepared, soci::use(county_, "county");
    if (usesBind(sql, "from")) prepared, soci::use(from_, "from");
    if (usesBind(sql, "to")) prepared, soci::use(to_, "to");
    statement_ = std::make_unique<soci::statement>(prepared);
    has_row_ = statement_->execute(true);
  }
  bool hasRow() const { return has_row_; }
  const soci::row& row() const { return row_; }
  void next() { has_row_ = statement_->fetch(); }

 private:
  std::string county_, from_, to_;
  soci::row row_;
  std::unique_ptr<soci::statement> statement_;
  bool has_row_ = false;
};

}  // namespace

IndicatorDeclaration sqlIndicator(std::string id, LocalizedText name, Measure measure,
                                  std::string unit, LocalizedText description,
                                  std::string total_sql, std::string township_sql) {
  IndicatorDeclaration declaration;
  declaration.id = std::move(id);
  declaration.name = std::move(name);
  declaration.measure = measure;
  declaration.unit = std::move(unit);
  declaration.description = std::move(description);
  declaration.compute = [sql = std::move(total_sql)](soci::session& db,
                                                     const IndicatorQuery& query) {
    BoundStatement statement(db, sql, query);
    return statement.hasRow() ? sql::optionalInt64At(statement.row(), 0).value_or(0)
                              : std::int64_t{0};
  };
  if (!township_sql.empty())
    declaration.by_township = [sql = std::move(township_sql)](soci::session& db,
                                                              const IndicatorQuery& query) {
      std::vector<TownshipValue> values;
      for (BoundStatement statement(db, sql, query); statement.hasRow(); statement.next())
        values.push_back({sql::textAt(statement.row(), 0),
                          sql::optionalInt64At(statement.row(), 1).value_or(0)});
      return values;
    };
  return declaration;
}

}  // namespace civ::sdk
