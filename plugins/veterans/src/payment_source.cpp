#include "payment_source.h"

#include <soci/soci.h>

#include <civ/sdk/context.h>
#include <civ/sdk/request.h>
#include <civ/sdk/sql.h>

#include "entitlement_store.h"

namespace civ::plugins::veterans {

sdk::PaymentRunSpec paymentRunSpec() {
  sdk::PaymentRunSpec spec;
  spec.table_prefix = "vt";
  spec.subject_column = "entitlement_id";
  spec.reference_field = "entitlement_number";
  spec.reference_heading = "待遇编号";
  spec.program_heading = "待遇项目";
  spec.programs = {{"disability_pension", {"残疾抚恤金", "disability pension"}},
                   {"survivor_pension", {"定期抚恤金", "periodic survivors' pension"}},
                   {"living_subsidy", {"定期生活补助", "periodic living subsidy"}},
                   {"care_allowance", {"护理费", "care allowance"}},
                   {"hardship", {"困难补助", "county hardship top-up"}},
                   {"martyr_honour", {"烈士褒扬金", "martyr honour payment"}},
                   {"death_lump_sum", {"一次性抚恤金", "one-time death pension"}},
                   {"visit", {"慰问金", "holiday visit"}}};
  spec.kinds = {{"regular", {"正常发放", "regular"}},
                {"adjustment", {"补发/扣减", "adjustment"}},
                {"funeral_aid", {"丧葬补助", "funeral aid"}},
                {"one_time", {"一次性发放", "one-time payment"}},
                {"visit", {"慰问金", "holiday visit"}}};
  spec.file_prefix = "veterans-roll";
  spec.subject_noun = "entitlement";
  return spec;
}

std::optional<sdk::Month> VeteransPayments::firstPayableMonth(sdk::Request& request) {
  auto& db = request.db();
  std::optional<sdk::Month> first;
  const auto consider = [&](const std::string& text) {
    if (auto month = sdk::Month::parse(text.substr(0, 7)); month && (!first || *month < *first))
      first = month;
  };
  std::string value;
  soci::indicator present = soci::i_null;
  db << "SELECT MIN(start_month) FROM vt_entitlements WHERE county_code = :c AND start_month IS"
        " NOT NULL",
      soci::into(value, present), soci::use(request.county());
  if (present == soci::i_ok) consider(value);
  present = soci::i_null;
  // A line owed once waits for the run of its month (a visit) or any run (the rest).
  db << "SELECT MIN(COALESCE(payable_from, month)) FROM vt_adjustments WHERE county_code = :c"
        " AND paid_in_run IS NULL AND withdrawn_on IS NULL",
      soci::into(value, present), soci::use(request.county());
  if (present == soci::i_ok) consider(value);
  return first;
}

std::vector<sdk::PaymentLine> VeteransPayments::linesOf(sdk::Request& request, sdk::Month month) {
  auto& db = request.db();
  const std::string& county = request.county();
  const std::string month_text = month.toString();
  std::vector<sdk::PaymentLine> lines;
  // The table and the county's figures in force on the month's first day.
  const auto table = loadTable(db, county);
  const auto local = localFigures(context_, county, month.firstDay());
  forEachSchedulePaying(db, county, month, [&](const Schedule& schedule) {
    const auto amount = dueFor(schedule, month, table, local);
    if (amount.fen() == 0) return;
    lines.push_back({schedule.entitlement.id, schedule.beneficiary.payee(),
                     schedule.entitlement.type, month_text, "regular", amount.fen(), std::nullopt});
  });
  // Lines owed once ride on this run; paid lines never change.
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT a.id, a.entitlement_id, COALESCE(b.agent_person_id, b.person_id),"
                     " e.type, a.month, a.kind, a.amount_fen FROM vt_adjustments a JOIN"
                     " vt_entitlements e ON e.id = a.entitlement_id JOIN vt_beneficiaries b ON"
                     " b.id = e.beneficiary_id WHERE a.county_code = :c AND a.paid_in_run IS NULL"
                     " AND a.withdrawn_on IS NULL AND (a.payable_from IS NULL OR a.payable_from"
                     " <= :m) ORDER BY a.id",
       soci::use(county), soci::use(month_text));
  for (const auto& row : rows)
    lines.push_back({sdk::sql::int64At(row, 1), sdk::sql::int64At(row, 2), sdk::sql::textAt(row, 3),
                     sdk::sql::textAt(row, 4), sdk::sql::textAt(row, 5), sdk::sql::int64At(row, 6),
                     sdk::sql::int64At(row, 0)});
  return lines;
}

void VeteransPayments::prepared(sdk::Request& request, std::int64_t run_id,
                                const std::vector<sdk::PaymentLine>& lines) {
  const long long run = run_id;
  for (const auto& line : lines) {
    if (!line.adjustment_id) continue;
    const long long key = *line.adjustment_id;
    request.db() << "UPDATE vt_adjustments SET paid_in_run = :r WHERE id = :id", soci::use(run),
        soci::use(key);
  }
}

void VeteransPayments::cancelled(sdk::Request& request, std::int64_t run_id,
                                 const std::string& month) {
  auto& db = request.db();
  // Adjustments computed against this run's lines of its month correct lines that no longer
  // exist: they go with it (the next run of the month computes the month as things stand).
  db << "DELETE FROM vt_adjustments WHERE county_code = :c AND kind = 'adjustment' AND month ="
        " :m AND paid_in_run IS NULL",
      soci::use(request.county()), soci::use(month);
  // What this run would have paid once waits for the next run again.
  const long long run = run_id;
  db << "UPDATE vt_adjustments SET paid_in_run = NULL WHERE paid_in_run = :r", soci::use(run);
}

std::vector<sdk::PaymentRunWarning> VeteransPayments::warnings(soci::session& db,
                                                               std::int64_t run_id) {
  std::vector<sdk::PaymentRunWarning> warnings;
  const long long id = run_id;
  {
    soci::rowset<soci::row> rows =
        (db.prepare << "SELECT DISTINCT e.number FROM vt_payment_lines l JOIN vt_entitlements e"
                       " ON e.id = l.entitlement_id JOIN vt_beneficiaries b ON b.id ="
                       " e.beneficiary_id WHERE l.run_id = :r AND (b.bank_account IS NULL OR"
                       " b.bank_account = '') ORDER BY e.number",
         soci::use(id));
    for (const auto& row : rows)
      warnings.push_back({sdk::sql::textAt(row, 0), "bank-account",
                          "the beneficiary's file has no bank account: the bank cannot pay this "
                          "line until one is recorded"});
  }
  {
    soci::rowset<soci::row> rows =
        (db.prepare << "SELECT DISTINCT e.number FROM vt_payment_lines l JOIN vt_entitlements e"
                       " ON e.id = l.entitlement_id JOIN civ_persons p ON p.id ="
                       " l.payee_person_id WHERE l.run_id = :r AND p.death_date IS NOT NULL"
                       " ORDER BY e.number",
         soci::use(id));
    for (const auto& row : rows)
      warnings.push_back({sdk::sql::textAt(row, 0), "payee-deceased",
                          "the payee is recorded deceased: record an agent (代领人) for the "
                          "survivors on the file before the bank pays"});
  }
  return warnings;
}

std::vector<sdk::BankRollLine> VeteransPayments::bankRoll(soci::session& db, std::int64_t run_id) {
  const long long id = run_id;
  std::vector<sdk::BankRollLine> lines;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT l.id, p.name, p.citizen_id, b.bank_account, b.bank_name, l.program,"
                     " l.month, l.kind, l.amount_fen, e.number FROM vt_payment_lines l"
                     " JOIN vt_entitlements e ON e.id = l.entitlement_id JOIN vt_beneficiaries b"
                     " ON b.id = e.beneficiary_id JOIN civ_persons p ON p.id = l.payee_person_id"
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

}  // namespace civ::plugins::veterans
