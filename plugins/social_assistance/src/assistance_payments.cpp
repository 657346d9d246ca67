// This module's part of the SDK's monthly payment runs (assistance_payments.h), and the paged
// list of a run's lines with the household each pays.
#include "assistance_payments.h"

#include <soci/soci.h>

#include <civ/sdk/caller.h>
#include <civ/sdk/context.h>
#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/list.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/money.h>
#include <civ/sdk/request.h>
#include <civ/sdk/response.h>
#include <civ/sdk/sql.h>

#include "case_store.h"
#include "kept_queries.h"
#include "schemas.h"
#include "search_routes.h"
#include "social_assistance_plugin.h"

namespace civ::plugins::social_assistance {

using nlohmann::json;

sdk::PaymentRunSpec paymentRunSpec() {
  sdk::PaymentRunSpec spec;
  spec.table_prefix = "sa";
  spec.subject_column = "case_id";
  spec.reference_field = "case_number";
  spec.reference_heading = "案件编号";
  spec.program_heading = "救助项目";
  spec.programs = programLabels();
  spec.subject_noun = "assistance case";
  return spec;
}

std::optional<sdk::Month> AssistancePayments::firstPayableMonth(sdk::Request& request) {
  std::string first_month;
  soci::indicator present = soci::i_null;
  request.db() << "SELECT MIN(start_month) FROM sa_cases WHERE county_code = :c",
      soci::into(first_month, present), soci::use(request.county());
  if (present != soci::i_ok) return std::nullopt;
  return sdk::Month::parse(first_month.substr(0, 7));
}

std::vector<sdk::PaymentLine> AssistancePayments::linesOf(sdk::Request& request, sdk::Month month) {
  auto& db = request.db();
  const std::string month_text = month.toString();
  std::vector<sdk::PaymentLine> lines;
  // Room for a line per case of the county (an index-only count): grown by doubling instead,
  // a county's lines were copied over into fresh memory four times, and fresh memory is a
  // page fault a page, 10-14 us on this kind of machine (RESULTS.md).
  long long cases = 0;
  db << "SELECT COUNT(*) FROM sa_cases WHERE county_code = :county", soci::into(cases),
      soci::use(request.county());
  lines.reserve(static_cast<std::size_t>(cases));
  forEachInRoll(db, context_.policy(), request.county(), month.firstDay(), std::nullopt,
                /*with_breakdown=*/false, [&](const CaseMonth& entry) {
                  if (entry.amount.fen() == 0) return;
                  lines.push_back({entry.row.id, entry.row.payee_person_id, entry.row.program,
                                   month_text, "regular", entry.amount.fen(), std::nullopt});
                });
  // Corrections of past months ride on this run as their own lines; paid lines never change.
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT a.id, a.case_id, c.payee_person_id, c.program, a.month,"
                     " a.amount_fen FROM sa_adjustments a JOIN sa_cases c ON c.id = a.case_id"
                     " WHERE c.county_code = :c AND a.paid_in_run IS NULL"
                     " AND a.confirmed_by IS NOT NULL ORDER BY a.id",
       soci::use(request.county()));
  for (const auto& row : rows)
    lines.push_back({sdk::sql::int64At(row, 1), sdk::sql::int64At(row, 2), sdk::sql::textAt(row, 3),
                     sdk::sql::textAt(row, 4), "adjustment", sdk::sql::int64At(row, 5),
                     sdk::sql::int64At(row, 0)});
  return lines;
}

void AssistancePayments::prepared(sdk::Request& request, std::int64_t run_id,
                                  const std::vector<sdk::PaymentLine>& lines) {
  const long long run = run_id;
  for (const auto& line : lines) {
    if (!line.adjustment_id) continue;
    const long long key = *line.adjustment_id;
    request.db() << "UPDATE sa_adjustments SET paid_in_run = :r WHERE id = :id", soci::use(run),
        soci::use(key);
  }
}

void AssistancePayments::cancelled(sdk::Request& request, std::int64_t run_id,
                                   const std::string& month) {
  auto& db = request.db();
  // Recoveries a death recorded against this run's lines of the month correct lines that no
  // longer exist: they go with it (the next run does not pay the ended case for that month).
  db << "DELETE FROM sa_adjustments WHERE paid_in_run IS NULL AND month = :m AND"
        " recorded_by = 'event:person.deceased' AND case_id IN (SELECT id FROM sa_cases WHERE"
        " county_code = :c)",
      soci::use(month), soci::use(request.county());
  const long long run = run_id;
  db << "UPDATE sa_adjustments SET paid_in_run = NULL WHERE paid_in_run = :r", soci::use(run);
}

std::vector<sdk::PaymentRunWarning> AssistancePayments::warnings(soci::session& db,
                                                                 std::int64_t run_id) {
  std::vector<sdk::PaymentRunWarning> warnings;
  const long long id = run_id;
  // Driven from the households without an account (a partial index, migration 8: none, or a
  // few, in a county whose roll is 100,000 lines), not from every line of the run. CROSS JOIN
  // keeps SQLite from starting at the cases instead; "+l.run_id" keeps it from answering the
  // EXISTS through the run's index, a scan of the whole run for every case.
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT c.number FROM sa_households h CROSS JOIN sa_cases c"
                     " WHERE c.household_id = h.id AND (h.bank_account IS NULL OR"
                     " h.bank_account = '') AND EXISTS (SELECT 1 FROM sa_payment_lines l"
                     " WHERE l.case_id = c.id AND +l.run_id = :r) ORDER BY c.number",
       soci::use(id));
  for (const auto& row : rows)
    warnings.push_back({sdk::sql::textAt(row, 0), "bank-account",
                        "the household has no bank account: the bank cannot pay this line until "
                        "one is recorded"});
  return warnings;
}

std::vector<sdk::BankRollLine> AssistancePayments::bankRoll(soci::session& db,
                                                            std::int64_t run_id) {
  const long long id = run_id;
  std::vector<sdk::BankRollLine> lines;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT l.id, p.name, p.citizen_id, h.bank_account, h.bank_name, l.program,"
                     " l.month, l.kind, l.amount_fen, c.number FROM sa_payment_lines l"
                     " JOIN sa_cases c ON c.id = l.case_id JOIN sa_households h ON h.id ="
                     " c.household_id JOIN civ_persons p ON p.id = l.payee_person_id"
                     " WHERE l.run_id = :r ORDER BY l.id",
       soci::use(id));
  for (const auto& row : rows)
    lines.push_back({sdk::sql::int64At(row, 0), sdk::sql::textAt(row, 1), sdk::sql::textAt(row, 2),
                     sdk::sql::optionalTextAt(row, 3).value_or(""),
                     sdk::sql::optionalTextAt(row, 4).value_or(""), sdk::sql::textAt(row, 5),
                     sdk::sql::textAt(row, 6), sdk::sql::textAt(row, 7), sdk::sql::int64At(row, 8),
                     sdk::sql::textAt(row, 9)});
  return lines;
}

/// The month in the path of a run's route, or 404.
static std::string monthPath(const sdk::Request& request) {
  const std::string text = request.pathParam("month");
  if (!sdk::Month::parse(text)) throw sdk::NotFound("no payment run for month '" + text + "'");
  return text;
}

static std::int64_t runIdOf(soci::session& db, const std::string& county,
                            const std::string& month) {
  long long id = 0;
  soci::indicator present = soci::i_null;
  db << "SELECT id FROM sa_payment_runs WHERE county_code = :c AND month = :m",
      soci::into(id, present), soci::use(county), soci::use(month);
  if (present != soci::i_ok)
    throw sdk::NotFound("no payment run for " + month + " in county " + county);
  return id;
}

sdk::Response SocialAssistancePlugin::listPaymentLines(sdk::Request& request) {
  sdk::requireCountyWide(request.caller(), "the payment roll");
  auto& db = request.db();
  const std::string month = monthPath(request);
  const auto run_id = runIdOf(db, request.county(), month);
  const auto page = sdk::ListRequest::from(request, kPaymentLineList);
  sdk::ListQuery query("r.county_code", request.county());
  query.add("l.run_id = " + query.number(run_id));
  if (auto program = request.queryParam("program"))
    query.add("l.program = " + query.text(*program));
  if (auto township = request.queryParam("township"))
    query.add("h.township = " + query.text(*township));
  if (auto kind = request.queryParam("kind")) query.add("l.kind = " + query.text(*kind));
  const std::string has_account = "(h.bank_account IS NOT NULL AND h.bank_account <> '')";
  if (auto account = request.queryParam("bank_account"))
    query.add(*account == "true" ? has_account : "NOT " + has_account);
  const std::string tables =
      " FROM sa_payment_lines l JOIN sa_payment_runs r ON r.id = l.run_id"
      " JOIN sa_cases c ON c.id = l.case_id JOIN sa_households h ON h.id = c.household_id"
      " JOIN civ_persons p ON p.id = l.payee_person_id";
  const auto total = query.count(queries_->lists, db, tables);
  soci::rowset<soci::row> rows = query.rows(
      db,
      "SELECT l.id, l.case_id, c.number, l.program, h.id, h.number, h.township, p.name,"
      " l.month, l.kind, l.amount_fen, CASE WHEN " +
          has_account + " THEN 1 ELSE 0 END" + tables + query.clause() + " AND " +
          page.keysetCondition("l.id") +
          page.orderAndLimit(
              {{"id", "l.id"}, {"case_number", "c.number"}, {"amount", "l.amount_fen"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    ids.push_back(sdk::sql::int64At(row, 0));
    items.push_back(
        sdk::jsonObject({{"line_id", ids.back()},
                         {"case_id", sdk::sql::int64At(row, 1)},
                         {"case_number", sdk::sql::textAt(row, 2)},
                         {"program", sdk::sql::textAt(row, 3)},
                         {"household_id", sdk::sql::int64At(row, 4)},
                         {"household_number", sdk::sql::textAt(row, 5)},
                         {"township", sdk::sql::textAt(row, 6)},
                         {"payee", sdk::sql::textAt(row, 7)},
                         {"month", sdk::sql::textAt(row, 8)},
                         {"kind", sdk::sql::textAt(row, 9)},
                         {"amount", sdk::Money::fromFen(sdk::sql::int64At(row, 10)).toString()},
                         {"has_bank_account", sdk::sql::int64At(row, 11) != 0}}));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

}  // namespace civ::plugins::social_assistance
