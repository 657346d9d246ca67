// Reading cases and their monthly amounts. One loader serves the payment run (every case of a
// county in a month, set-based: four queries whatever the county's size) and the single-case
// views, so what a clerk sees for a month is what the run pays.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <civ/sdk/coverage.h>
#include <civ/sdk/date.h>
#include <civ/sdk/money.h>
#include <civ/sdk/policy.h>

namespace soci {
class row;
class session;
}  // namespace soci

namespace civ::sdk {
class Context;
class KeptQuery;
class Request;
}  // namespace civ::sdk

namespace civ::plugins::social_assistance {

struct CaseRow {
  std::int64_t id = 0;
  std::string county;
  std::string number;
  std::int64_t household_id = 0;
  std::optional<std::int64_t> person_id;
  std::int64_t payee_person_id = 0;
  std::string program;
  std::string status;
  std::string start_month;
  std::optional<std::string> end_month;
  std::optional<std::string> support_mode;
  std::optional<std::string> self_care_level;
  std::optional<std::int64_t> fixed_amount_fen;
  std::string decided_on;
  std::string category;  ///< the household's: urban or rural
  std::string township;  ///< the household's (乡镇/街道), for the caller's township scope
};

/// The columns caseFromRow reads (a query may add its own after them), and their tables.
extern const char* const kCaseColumns;
/// How many columns kCaseColumns selects: a query's own columns start at this index.
inline constexpr std::size_t kCaseColumnCount = 16;
extern const char* const kCaseTables;
CaseRow caseFromRow(const soci::row& row);

std::optional<CaseRow> findCase(soci::session& db, std::int64_t id);
/// The case of the request's county (NotFound otherwise), within the caller's township scope
/// (Forbidden otherwise).
CaseRow caseInScope(sdk::Request& request, std::int64_t id);

/// The payload of assistance.granted/changed/terminated for `c`, effective `month`.
nlohmann::json casePayload(const CaseRow& c, const std::string& month, const std::string& change);
/// Publishes assistance.granted/changed/terminated (`event`) for `c`, effective `month`.
void publishCase(sdk::Context& context, soci::session& db, const CaseRow& c, const char* event,
                 const std::string& month, const std::string& change);

/// A 特困 case's support mode (集中/分散 供养) is dated: the decision's mode from the start, then
/// each switch (sa_support_modes) from its month, e.g. when elderly_care admits or discharges
/// the person. This SQL expression is the mode of case `c` in the month `month_sql` (an SQL
/// expression of a "YYYY-MM" text, e.g. a bind name or substr(:to, 1, 7)).
std::string supportModeInMonthSql(const std::string& month_sql);

/// The mode of `case_id` in `month` ("YYYY-MM"); nullopt for a case that has none (not 特困).
std::optional<std::string> supportModeIn(soci::session& db, std::int64_t case_id,
                                         const std::string& month);

/// What a month's amount is computed from, and what a payment line carries: a roll reads these
/// seven columns of each case, not CaseRow's sixteen (a county's run reads 100,000 of them).
struct RollCase {
  std::int64_t id = 0;
  std::int64_t payee_person_id = 0;
  std::string program;
  std::string category;  ///< the household's: urban or rural
  std::optional<std::string> support_mode;
  std::optional<std::string> self_care_level;
  std::optional<std::int64_t> fixed_amount_fen;
};

/// One case's amount for one month, with how it was computed.
struct CaseMonth {
  RollCase row;
  sdk::Money amount;
  nlohmann::json breakdown;
};

/// Every case of `county` in force in the month starting `month_start` (not suspended), with its
/// amount from the parameters in force on that day; `only_case` narrows it to one case. The
/// step-by-step breakdown is built only when asked for (a county's run does not need 100,000 of
/// them).
std::vector<CaseMonth> monthRoll(soci::session& db, const sdk::PolicyReader& policy,
                                 const std::string& county, sdk::Date month_start,
                                 std::optional<std::int64_t> only_case = std::nullopt,
                                 bool with_breakdown = true);

/// The same roll, one case at a time and in case order, without holding it: a county's run
/// writes its lines as the cases come (100,000 of them were 20 MB of fresh memory, RESULTS.md).
/// `visit` sees each case's entry only during the call, and may take it (every field is set
/// afresh for the next case).
void forEachInRoll(soci::session& db, const sdk::PolicyReader& policy, const std::string& county,
                   sdk::Date month_start, std::optional<std::int64_t> only_case,
                   bool with_breakdown, const std::function<void(CaseMonth&)>& visit);

/// The programs this module covered `person_id` by on `on` (the coverage directory's answer).
std::vector<sdk::ProgramCoverage> coverageOf(soci::session& db, const std::string& county,
                                             std::int64_t person_id, sdk::Date on);

/// What a number of a kind, county and year starts with, e.g. "DB610902-2026-".
std::string numberPrefix(const std::string& kind, const std::string& county, int year);

/// Next number of a kind for a county and year, e.g. "DB610902-2026-000001". Serialised by an
/// upsert on a counter row, so concurrent requests on PostgreSQL never draw the same number.
/// `counter` is KeptQueries::next_number (county, kind, year).
std::string nextNumber(sdk::KeptQuery& counter, soci::session& db, const std::string& county,
                       const std::string& kind, int year);

}  // namespace civ::plugins::social_assistance
