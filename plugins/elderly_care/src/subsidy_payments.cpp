// This module's part of the SDK's monthly payment runs (subsidy_payments.h) and the migration
// that moved the module's own runs onto them.
#include "subsidy_payments.h"

#include <algorithm>
#include <iterator>

#include <soci/soci.h>

#include <civ/sdk/context.h>
#include <civ/sdk/policy.h>
#include <civ/sdk/request.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/storage.h>

#include "elderly_care_rules.h"
#include "parameters.h"

namespace civ::plugins::elderly_care {

sdk::PaymentRunSpec subsidyRunSpec() {
  sdk::PaymentRunSpec spec;
  spec.table_prefix = "ec";
  spec.subject_column = "institution_id";
  // The institution's 备案 receipt: subsidies go only to filed institutions, so every line has
  // one; the credit code is already the payee's identifier column.
  spec.reference_field = "receipt_number";
  spec.reference_heading = "备案回执编号";
  spec.payee_id_heading = "统一社会信用代码";
  spec.program_heading = "补贴项目";
  spec.programs = {{"operating", {"运营补贴", "operating subsidy"}},
                   {"construction", {"建设补贴", "construction subsidy"}}};
  spec.kinds = {{"regular", {"按月发放", "monthly (resident-months by care level)"}},
                {"adjustment", {"补发/扣减", "adjustment"}},
                {"construction", {"一次性发放", "one-off (new beds)"}}};
  spec.file_prefix = "elderly-care-subsidy";
  spec.latest_month_offset = -1;  // computed from the month's residents: only ended months
  spec.subject_noun = "filed institution";
  return spec;
}

std::vector<std::string> subsidyRunMigration() {
  std::vector<std::string> statements = {
      // The payee of a subsidy is the institution: its account, typed and corrected like the
      // institution's other fields.
      "ALTER TABLE ec_institutions ADD COLUMN bank_name TEXT",
      "ALTER TABLE ec_institutions ADD COLUMN bank_account TEXT",
      // The run that paid a confirmed construction subsidy (none: the next run pays it).
      "ALTER TABLE ec_construction_subsidies ADD COLUMN paid_in_run BIGINT",
  };
  const auto tables = sdk::PaymentRuns::tableStatements(subsidyRunSpec(), "ec_institutions");
  statements.insert(statements.end(), tables.begin(), tables.end());
  const std::vector<std::string> rest = {
      "CREATE INDEX ec_construction_paid ON ec_construction_subsidies (paid_in_run)",
      // What an operating line is made of: per care level, resident-months × the rate. Goes
      // with its line when a prepared run is cancelled.
      "CREATE TABLE ec_subsidy_line_levels ("
      " line_id BIGINT NOT NULL REFERENCES ec_payment_lines(id) ON DELETE CASCADE,"
      " care_level TEXT NOT NULL, resident_months INTEGER NOT NULL, rate_fen BIGINT NOT NULL,"
      " amount_fen BIGINT NOT NULL, PRIMARY KEY (line_id, care_level))",
      // The runs made before: month, status, who prepared (run_by/run_on) and who confirmed;
      // one line per institution (the sum of its care levels), its levels in the detail table.
      "INSERT INTO ec_payment_runs (county_code, month, run_on, run_by, line_count, total_fen,"
      " status, confirmed_by, confirmed_on) SELECT r.county_code, r.month, r.prepared_on,"
      " r.prepared_by, (SELECT COUNT(DISTINCT l.institution_id) FROM ec_run_lines l WHERE"
      " l.run_id = r.id), (SELECT COALESCE(SUM(l.amount_fen), 0) FROM ec_run_lines l WHERE"
      " l.run_id = r.id), r.status, r.confirmed_by, r.confirmed_on FROM ec_runs r ORDER BY r.id",
      "INSERT INTO ec_payment_lines (run_id, institution_id, program, month, kind, amount_fen)"
      " SELECT n.id, l.institution_id, 'operating', n.month, 'regular', SUM(l.amount_fen) FROM"
      " ec_run_lines l JOIN ec_runs r ON r.id = l.run_id JOIN ec_payment_runs n ON"
      " n.county_code = r.county_code AND n.month = r.month GROUP BY n.id, l.institution_id,"
      " n.month ORDER BY n.id, l.institution_id",
      "INSERT INTO ec_subsidy_line_levels (line_id, care_level, resident_months, rate_fen,"
      " amount_fen) SELECT p.id, l.care_level, l.resident_months, l.rate_fen, l.amount_fen FROM"
      " ec_run_lines l JOIN ec_runs r ON r.id = l.run_id JOIN ec_payment_runs n ON"
      " n.county_code = r.county_code AND n.month = r.month JOIN ec_payment_lines p ON"
      " p.run_id = n.id AND p.institution_id = l.institution_id AND p.kind = 'regular'",
      "DROP TABLE ec_run_lines", "DROP TABLE ec_runs"};
  statements.insert(statements.end(), rest.begin(), rest.end());
  return statements;
}

namespace {

/// A care level's place in the declared order (unknown levels last).
std::size_t levelOrder(const std::string& level) {
  for (std::size_t i = 0; i < std::size(kCareLevelOptions); ++i)
    if (level == kCareLevelOptions[i].code) return i;
  return std::size(kCareLevelOptions);
}

}  // namespace

OperatingBreakdown operatingBreakdown(soci::session& db, const sdk::PolicyReader& policy,
                                      const std::string& county, sdk::Month month) {
  // Resident-months by institution and care level, counted by the engine: institutions filed
  // by the month's end, residents in residence on at least one day of the month (the WHERE is
  // residentMonth()'s rule, so 30,000 residents come back as a few thousand counts).
  const std::string first = month.firstDay().toString(), last = month.lastDay().toString();
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT r.institution_id, r.care_level, COUNT(*) FROM ec_residents r JOIN"
                     " ec_institutions i ON i.id = r.institution_id WHERE r.county_code = :c AND"
                     " i.filed_on IS NOT NULL AND i.filed_on <= :l AND r.admitted_on <= :l2 AND"
                     " (r.discharged_on IS NULL OR r.discharged_on > :f)"
                     " GROUP BY r.institution_id, r.care_level",
       soci::use(county), soci::use(last), soci::use(last), soci::use(first));
  std::map<std::int64_t, std::map<std::string, long long>> counts;
  for (const auto& row : rows)
    counts[sdk::sql::int64At(row, 0)][sdk::sql::textAt(row, 1)] = sdk::sql::int64At(row, 2);
  // One policy read per care level, not per institution.
  std::map<std::string, sdk::Money> rates;
  const auto rateOf = [&](const std::string& level) {
    auto found = rates.find(level);
    if (found != rates.end()) return found->second;
    const auto* parameter = operatingSubsidy(level);
    const sdk::Money rate =
        parameter ? policy.get(*parameter, county, month.firstDay()) : sdk::Money{};
    return rates.emplace(level, rate).first->second;
  };
  OperatingBreakdown breakdown;
  for (const auto& [institution, levels] : counts) {
    auto& list = breakdown[institution];
    for (const auto& [level, resident_months] : levels) {
      const sdk::Money rate = rateOf(level);
      list.push_back({level, resident_months, rate,
                      elderly_care::operatingSubsidy({{resident_months, rate}})});
    }
    std::stable_sort(list.begin(), list.end(), [](const LevelMonths& a, const LevelMonths& b) {
      return levelOrder(a.care_level) < levelOrder(b.care_level);
    });
  }
  return breakdown;
}

std::optional<sdk::Month> SubsidyPayments::firstPayableMonth(sdk::Request& request) {
  std::string first;
  soci::indicator present = soci::i_null;
  request.db() << "SELECT MIN(filed_on) FROM ec_institutions WHERE county_code = :c",
      soci::into(first, present), soci::use(request.county());
  if (present != soci::i_ok) return std::nullopt;
  return sdk::Month::parse(first.substr(0, 7));
}

std::vector<sdk::PaymentLine> SubsidyPayments::linesOf(sdk::Request& request, sdk::Month month) {
  auto& db = request.db();
  const std::string month_text = month.toString();
  std::vector<sdk::PaymentLine> lines;
  OperatingBreakdown breakdown = operatingBreakdown(db, context_.policy(), request.county(), month);
  for (const auto& [institution, levels] : breakdown) {
    sdk::Money total;
    for (const auto& level : levels) total += level.amount;
    if (total.fen() == 0) continue;  // nothing to pay (no rate in force for its levels)
    lines.push_back(
        {institution, std::nullopt, "operating", month_text, "regular", total.fen(), std::nullopt});
  }
  // Construction subsidies a second approver confirmed, not paid yet: one-off lines of this
  // run (the subsidy's id rides in adjustment_id).
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT id, institution_id, amount_fen FROM ec_construction_subsidies WHERE"
                     " county_code = :c AND status = 'confirmed' AND paid_in_run IS NULL"
                     " ORDER BY id",
       soci::use(request.county()));
  for (const auto& row : rows)
    lines.push_back({sdk::sql::int64At(row, 1), std::nullopt, "construction", month_text,
                     "construction", sdk::sql::int64At(row, 2), sdk::sql::int64At(row, 0)});
  std::lock_guard lock(computed_mutex_);
  computed_[&db] = {request.county(), month, std::move(breakdown)};
  return lines;
}

void SubsidyPayments::prepared(sdk::Request& request, std::int64_t run_id,
                               const std::vector<sdk::PaymentLine>& lines) {
  auto& db = request.db();
  const long long run = run_id;
  for (const auto& line : lines) {
    if (line.kind != "construction" || !line.adjustment_id) continue;
    const long long key = *line.adjustment_id;
    db << "UPDATE ec_construction_subsidies SET paid_in_run = :r WHERE id = :id", soci::use(run),
        soci::use(key);
  }
  // The care levels of each operating line: the breakdown linesOf computed on this session in
  // this transaction (kept by session: runs of several counties interleave on others).
  std::string month_text;
  db << "SELECT month FROM ec_payment_runs WHERE id = :r", soci::into(month_text), soci::use(run);
  const auto month = sdk::Month::parse(month_text);
  if (!month) return;
  OperatingBreakdown breakdown;
  {
    std::lock_guard lock(computed_mutex_);
    const auto computed = computed_.find(&db);
    if (computed != computed_.end() && computed->second.county == request.county() &&
        computed->second.month == *month) {
      breakdown = std::move(computed->second.breakdown);
      computed_.erase(computed);
    }
  }
  if (breakdown.empty())  // not computed by linesOf on this session (or nothing to break down)
    breakdown = operatingBreakdown(db, context_.policy(), request.county(), *month);
  std::vector<std::pair<long long, std::int64_t>> operating;  // line, institution
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT id, institution_id FROM ec_payment_lines WHERE run_id = :r AND"
                     " program = 'operating' AND kind = 'regular' ORDER BY id",
       soci::use(run));
  for (const auto& row : rows)
    operating.emplace_back(sdk::sql::int64At(row, 0), sdk::sql::int64At(row, 1));
  // Written in one go (COPY on PostgreSQL): every read above is done.
  auto writer = context_.storage().bulkWriter(
      db, "ec_subsidy_line_levels",
      {"line_id", "care_level", "resident_months", "rate_fen", "amount_fen"});
  for (const auto& [line_id, institution] : operating) {
    const auto found = breakdown.find(institution);
    if (found == breakdown.end()) continue;
    for (const auto& level : found->second)
      writer->add({std::int64_t{line_id}, level.care_level, std::int64_t{level.resident_months},
                   level.rate.fen(), level.amount.fen()});
  }
  writer->finish();
}

void SubsidyPayments::cancelled(sdk::Request& request, std::int64_t run_id, const std::string&) {
  const long long run = run_id;
  request.db() << "UPDATE ec_construction_subsidies SET paid_in_run = NULL WHERE paid_in_run = :r",
      soci::use(run);
}

std::vector<sdk::PaymentRunWarning> SubsidyPayments::warnings(soci::session& db,
                                                              std::int64_t run_id) {
  std::vector<sdk::PaymentRunWarning> warnings;
  const long long id = run_id;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT DISTINCT COALESCE(i.receipt_number, i.uscc), i.name FROM"
                     " ec_payment_lines l JOIN ec_institutions i ON i.id = l.institution_id"
                     " WHERE l.run_id = :r AND (i.bank_account IS NULL OR i.bank_account = '')"
                     " ORDER BY 1",
       soci::use(id));
  for (const auto& row : rows)
    warnings.push_back({sdk::sql::textAt(row, 0), "bank-account",
                        sdk::sql::textAt(row, 1) +
                            " has no bank account: the bank cannot pay its lines until one is "
                            "recorded (PATCH .../institutions/{id} bank_name, bank_account)"});
  return warnings;
}

std::vector<sdk::BankRollLine> SubsidyPayments::bankRoll(soci::session& db, std::int64_t run_id) {
  const long long id = run_id;
  std::vector<sdk::BankRollLine> lines;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT l.id, i.name, i.uscc, i.bank_account, i.bank_name, l.program,"
                     " l.month, l.kind, l.amount_fen, i.receipt_number FROM ec_payment_lines l"
                     " JOIN ec_institutions i ON i.id = l.institution_id WHERE l.run_id = :r"
                     " ORDER BY l.id",
       soci::use(id));
  for (const auto& row : rows)
    lines.push_back({sdk::sql::int64At(row, 0), sdk::sql::textAt(row, 1), sdk::sql::textAt(row, 2),
                     sdk::sql::optionalTextAt(row, 3).value_or(""),
                     sdk::sql::optionalTextAt(row, 4).value_or(""), sdk::sql::textAt(row, 5),
                     sdk::sql::textAt(row, 6), sdk::sql::textAt(row, 7), sdk::sql::int64At(row, 8),
                     sdk::sql::optionalTextAt(row, 9).value_or("")});
  return lines;
}

}  // namespace civ::plugins::elderly_care
