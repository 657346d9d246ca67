// Monthly payment runs: the roll of every case in force with that month's amounts, plus pending
// adjustments for past months; idempotent per county and month; exported for the bank (一卡通)
// as CSV and as XLSX.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdlib.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/context.h>
#include <civ/sdk/error.h>
#include <civ/sdk/list.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/money.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/storage.h>

#include "benefit_formula.h"
#include "case_store.h"
#include "search_routes.h"
#include "social_assistance_plugin.h"
#include "workflow.h"

namespace civ::plugins::social_assistance {

namespace {

using nlohmann::json;

struct RunSummary {
  std::int64_t id = 0;
  std::string run_on;
  std::string run_by;
  std::int64_t lines = 0;
  std::int64_t total_fen = 0;
  std::string status;  ///< prepared, confirmed
  std::optional<std::string> confirmed_by, confirmed_on;
};

std::optional<RunSummary> findRun(soci::session& db, const std::string& county,
                                  const std::string& month) {
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT id, run_on, run_by, line_count, total_fen, status, confirmed_by,"
                     " confirmed_on FROM sa_payment_runs WHERE county_code = :c AND month = :m",
       soci::use(county), soci::use(month));
  for (const auto& row : rows)
    return RunSummary{sdk::sql::int64At(row, 0),        sdk::sql::textAt(row, 1),
                      sdk::sql::textAt(row, 2),         sdk::sql::int64At(row, 3),
                      sdk::sql::int64At(row, 4),        sdk::sql::textAt(row, 5),
                      sdk::sql::optionalTextAt(row, 6), sdk::sql::optionalTextAt(row, 7)};
  return std::nullopt;
}

/// The run of the month in the path, or 404.
RunSummary runOfPath(soci::session& db, const std::string& county, const std::string& month) {
  auto run = findRun(db, county, month);
  if (!run) throw sdk::NotFound("no payment run for " + month + " in county " + county);
  return *run;
}

/// Cases in the run the bank cannot pay as they stand: no account on the household.
json runWarnings(soci::session& db, std::int64_t run_id) {
  json warnings = json::array();
  const long long id = run_id;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT DISTINCT c.number FROM sa_payment_lines l JOIN sa_cases c ON c.id ="
                     " l.case_id JOIN sa_households h ON h.id = c.household_id WHERE l.run_id = :r"
                     " AND (h.bank_account IS NULL OR h.bank_account = '') ORDER BY c.number",
       soci::use(id));
  for (const auto& row : rows)
    warnings.push_back({{"case_number", sdk::sql::textAt(row, 0)},
                        {"rule", "bank-account"},
                        {"message",
                         "the household has no bank account: the bank cannot pay "
                         "this line until one is recorded"}});
  return warnings;
}

json summaryJson(soci::session& db, const std::string& month, const RunSummary& run) {
  json by_program = json::object();
  const long long id = run.id;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT program, kind, COUNT(*), SUM(amount_fen) FROM sa_payment_lines"
                     " WHERE run_id = :r GROUP BY program, kind ORDER BY program, kind",
       soci::use(id));
  for (const auto& row : rows)
    by_program[sdk::sql::textAt(row, 0)][sdk::sql::textAt(row, 1)] = {
        {"lines", sdk::sql::int64At(row, 2)},
        {"total", sdk::Money::fromFen(sdk::sql::int64At(row, 3)).toString()}};
  return {{"month", month},
          {"run_id", run.id},
          {"run_on", run.run_on},
          {"run_by", run.run_by},
          {"status", run.status},
          {"confirmed_by", run.confirmed_by ? json(*run.confirmed_by) : json(nullptr)},
          {"confirmed_on", run.confirmed_on ? json(*run.confirmed_on) : json(nullptr)},
          {"warnings", runWarnings(db, run.id)},
          {"lines", run.lines},
          {"total", sdk::Money::fromFen(run.total_fen).toString()},
          {"by_program", by_program}};
}

std::string monthPath(const sdk::Request& request) {
  const std::string text = request.pathParam("month");
  if (!parseMonth(text)) throw sdk::NotFound("no payment run for month '" + text + "'");
  return text;
}

/// One line of the bank file.
struct RollLine {
  std::int64_t line_id;
  std::string name;
  std::string citizen_id;
  std::string bank_account;
  std::string bank_name;
  std::string program;
  std::string month;
  std::string kind;
  std::int64_t amount_fen;
  std::string case_number;
};

std::vector<RollLine> rollLines(soci::session& db, std::int64_t run_id) {
  const long long id = run_id;
  std::vector<RollLine> lines;
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

/// The run of the month, only once a second person confirmed it: the bank's roll is never
/// produced from a run one person prepared alone.
std::optional<RunSummary> confirmedRun(soci::session& db, const std::string& county,
                                       const std::string& month) {
  auto run = runOfPath(db, county, month);
  if (run.status != "confirmed")
    throw sdk::Error(409, "run-not-confirmed", "Run not confirmed",
                     "the payment run of " + month + " prepared by " + run.run_by +
                         " has not been confirmed by a second person; its roll is produced once "
                         "it is (POST .../payment-runs/" +
                         month + "/confirmation)");
  return run;
}

const char* programName(const std::string& program) {
  if (program == "dibao") return "最低生活保障";
  if (program == "tekun") return "特困人员救助供养";
  if (program == "temporary") return "临时救助";
  if (program == "disability_living") return "困难残疾人生活补贴";
  if (program == "disability_care") return "重度残疾人护理补贴";
  return "低保边缘";
}

std::string csvField(const std::string& text) {
  // A cell a spreadsheet would evaluate (= + - @ first, also after leading spaces, tabs or line
  // breaks, which spreadsheets skip; or a leading tab or carriage return) is neutralised with a
  // leading apostrophe (OWASP CSV injection).
  std::string value = text;
  const auto first = value.find_first_not_of(" \t\r\n");
  const bool formula = first != std::string::npos &&
                       std::string_view("=+-@").find(value[first]) != std::string_view::npos;
  if (formula || (!value.empty() && (value[0] == '\t' || value[0] == '\r'))) value = "'" + value;
  if (value.find_first_of(",\"\n\r") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

}  // namespace

sdk::Response SocialAssistancePlugin::runPayments(sdk::Request& request) {
  sdk::requireCountyWide(request.caller(), "payment runs");
  auto& db = request.db();
  const std::string month_text = request.body()["month"];
  const auto month = parseMonth(month_text);
  if (!month) throw sdk::ValidationError("month", "format", "must be a month YYYY-MM", 400);
  if (*month > firstOfNextMonth(request.today()))
    throw sdk::ValidationError("month", "not-beyond-next-month",
                               "a roll can be run at most one month ahead");
  if (context_->storage().dialect() == sdk::Dialect::Postgresql) {
    // Two hosts running the same county and month: the second waits here, then finds the run.
    const std::string key = "sa_payment_run:" + request.county() + ":" + month_text;
    db << "SELECT pg_advisory_xact_lock(hashtext(:k))", soci::use(key);
  }
  // A month before the county's first case has nothing to pay: running it would lock the month
  // as an empty roll (a county that starts using the system mid-year, a mistyped year).
  {
    std::string first_month;
    soci::indicator present = soci::i_null;
    db << "SELECT MIN(start_month) FROM sa_cases WHERE county_code = :c",
        soci::into(first_month, present), soci::use(request.county());
    if (present != soci::i_ok || month_text < first_month)
      throw sdk::ValidationError(
          "month", "after-first-case",
          present != soci::i_ok
              ? "the county has no assistance case yet; there is no roll to run"
              : "the county's first case starts in " + first_month + "; no roll before it");
  }
  if (auto existing = findRun(db, request.county(), month_text)) {
    json body = summaryJson(db, month_text, *existing);
    body["created"] = false;
    body["message"] = "the roll for " + month_text + " was already run on " + existing->run_on +
                      " by " + existing->run_by + "; nothing changed";
    return sdk::Response::ok(body);
  }
  const std::string today = request.today().toString();
  long long run_id = 0;
  // Prepared, not yet payable: a second person confirms it before its roll goes to the bank.
  db << "INSERT INTO sa_payment_runs (county_code, month, run_on, run_by, line_count, total_fen,"
        " status) VALUES (:c, :m, :d, :u, 0, 0, 'prepared') RETURNING id",
      soci::use(request.county()), soci::use(month_text), soci::use(today),
      soci::use(request.caller().user), soci::into(run_id);

  // Read everything first: the bulk writer holds the session (COPY on PostgreSQL) until it
  // finishes. Corrections of past months ride on this run as their own lines; paid lines
  // never change.
  const auto roll = monthRoll(db, context_->policy(), request.county(), *month, std::nullopt,
                              /*with_breakdown=*/false);
  struct Adjustment {
    std::int64_t id, case_id, payee;
    std::string program, month;
    std::int64_t amount_fen;
  };
  std::vector<Adjustment> adjustments;
  {
    soci::rowset<soci::row> rows =
        (db.prepare << "SELECT a.id, a.case_id, c.payee_person_id, c.program, a.month,"
                       " a.amount_fen FROM sa_adjustments a JOIN sa_cases c ON c.id = a.case_id"
                       " WHERE c.county_code = :c AND a.paid_in_run IS NULL"
                       " AND a.confirmed_by IS NOT NULL ORDER BY a.id",
         soci::use(request.county()));
    for (const auto& row : rows)
      adjustments.push_back({sdk::sql::int64At(row, 0), sdk::sql::int64At(row, 1),
                             sdk::sql::int64At(row, 2), sdk::sql::textAt(row, 3),
                             sdk::sql::textAt(row, 4), sdk::sql::int64At(row, 5)});
  }
  auto writer = context_->storage().bulkWriter(db, "sa_payment_lines",
                                               {"run_id", "case_id", "payee_person_id", "program",
                                                "month", "kind", "amount_fen", "adjustment_id"});
  std::int64_t total = 0;
  for (const auto& entry : roll) {
    if (entry.amount.fen() == 0) continue;
    writer->add({std::int64_t{run_id}, entry.row.id, entry.row.payee_person_id, entry.row.program,
                 month_text, std::string("regular"), entry.amount.fen(), std::monostate{}});
    total += entry.amount.fen();
  }
  for (const auto& adjustment : adjustments) {
    writer->add({std::int64_t{run_id}, adjustment.case_id, adjustment.payee, adjustment.program,
                 adjustment.month, std::string("adjustment"), adjustment.amount_fen,
                 adjustment.id});
    total += adjustment.amount_fen;
  }
  const long long lines = writer->finish();
  for (const auto& adjustment : adjustments) {
    const long long key = adjustment.id;
    db << "UPDATE sa_adjustments SET paid_in_run = :r WHERE id = :id", soci::use(run_id),
        soci::use(key);
  }
  const long long total_fen = total;
  db << "UPDATE sa_payment_runs SET line_count = :l, total_fen = :t WHERE id = :id",
      soci::use(lines), soci::use(total_fen), soci::use(run_id);
  request.audit({sizeof(sdk::AuditRecord), "payment_run.create", "payment_run",
                 std::to_string(run_id),
                 sdk::changedFields(nullptr, {{"month", month_text},
                                              {"lines", lines},
                                              {"total", sdk::Money::fromFen(total).toString()}})});
  json body = summaryJson(db, month_text, *findRun(db, request.county(), month_text));
  body["created"] = true;
  return sdk::Response::created(body, "/payment-runs/" + month_text);
}

sdk::Response SocialAssistancePlugin::confirmPaymentRun(sdk::Request& request) {
  sdk::requireCountyWide(request.caller(), "payment runs");
  auto& db = request.db();
  const std::string month = monthPath(request);
  const auto run = runOfPath(db, request.county(), month);
  if (run.status == "confirmed")
    throw sdk::Conflict("the payment run of " + month + " was already confirmed by " +
                        run.confirmed_by.value_or("") + " on " + run.confirmed_on.value_or(""));
  requireFourEyesForStep(request.caller(), run.run_by, "prepared the payment run of " + month,
                         "also confirm it for the bank");
  const std::string today = request.today().toString();
  const long long id = run.id;
  // Only a run still prepared: a confirmation or cancellation committed meanwhile wins.
  soci::statement confirm =
      (db.prepare << "UPDATE sa_payment_runs SET status = 'confirmed', confirmed_by = :u,"
                     " confirmed_on = :d WHERE id = :id AND status = 'prepared'",
       soci::use(request.caller().user), soci::use(today), soci::use(id));
  confirm.execute(true);
  if (confirm.get_affected_rows() != 1)
    throw sdk::Conflict("the payment run of " + month +
                        " was confirmed or cancelled by someone else meanwhile");
  request.audit(
      {sizeof(sdk::AuditRecord),
       "payment_run.confirm",
       "payment_run",
       std::to_string(run.id),
       {{"status", {{"old", "prepared"}, {"new", "confirmed"}}},
        {"confirmed_by", {{"old", nullptr}, {"new", request.caller().user}}},
        {"total", {{"old", nullptr}, {"new", sdk::Money::fromFen(run.total_fen).toString()}}}}});
  return sdk::Response::ok(summaryJson(db, month, runOfPath(db, request.county(), month)));
}

sdk::Response SocialAssistancePlugin::cancelPaymentRun(sdk::Request& request) {
  sdk::requireCountyWide(request.caller(), "payment runs");
  auto& db = request.db();
  const std::string month = monthPath(request);
  const auto run = runOfPath(db, request.county(), month);
  if (run.status == "confirmed")
    throw sdk::Conflict("the payment run of " + month + " was confirmed for payment by " +
                        run.confirmed_by.value_or("") +
                        "; money that has left is corrected by adjustments, not by cancelling");
  requireFourEyesForStep(request.caller(), run.run_by, "prepared the payment run of " + month,
                         "also cancel it");
  const std::string reason = request.body()["reason"], today = request.today().toString();
  const long long id = run.id;
  // Only a run still prepared (a confirmation committed meanwhile wins): deleted first, so a
  // concurrent confirmation finds nothing to confirm.
  soci::statement remove =
      (db.prepare << "DELETE FROM sa_payment_runs WHERE id = :r AND status = 'prepared'",
       soci::use(id));
  db << "DELETE FROM sa_payment_lines WHERE run_id = :r", soci::use(id);
  remove.execute(true);
  if (remove.get_affected_rows() != 1)
    throw sdk::Conflict("the payment run of " + month +
                        " was confirmed or cancelled by someone else meanwhile");
  // Recoveries a death recorded against this run's lines of the month correct lines that no
  // longer exist: they go with it (the next run does not pay the ended case for that month).
  db << "DELETE FROM sa_adjustments WHERE paid_in_run IS NULL AND month = :m AND"
        " recorded_by = 'event:person.deceased' AND case_id IN (SELECT id FROM sa_cases WHERE"
        " county_code = :c)",
      soci::use(month), soci::use(request.county());
  // The run leaves a record of itself; its adjustments wait for the next run again.
  db << "INSERT INTO sa_cancelled_runs (county_code, month, run_on, run_by, line_count, total_fen,"
        " cancelled_on, cancelled_by, reason) VALUES (:c, :m, :ro, :rb, :l, :t, :d, :u, :r)",
      soci::use(request.county()), soci::use(month), soci::use(run.run_on), soci::use(run.run_by),
      soci::use(static_cast<long long>(run.lines)),
      soci::use(static_cast<long long>(run.total_fen)), soci::use(today),
      soci::use(request.caller().user), soci::use(reason);
  db << "UPDATE sa_adjustments SET paid_in_run = NULL WHERE paid_in_run = :r", soci::use(id);
  request.audit(
      {sizeof(sdk::AuditRecord),
       "payment_run.cancel",
       "payment_run",
       std::to_string(run.id),
       {{"status", {{"old", run.status}, {"new", "cancelled"}}},
        {"lines", {{"old", run.lines}, {"new", 0}}},
        {"total", {{"old", sdk::Money::fromFen(run.total_fen).toString()}, {"new", "0.00"}}},
        {"reason", {{"old", nullptr}, {"new", reason}}}}});
  return sdk::Response::ok({{"month", month},
                            {"cancelled", true},
                            {"lines", run.lines},
                            {"total", sdk::Money::fromFen(run.total_fen).toString()},
                            {"reason", reason}});
}

sdk::Response SocialAssistancePlugin::getPaymentRun(sdk::Request& request) {
  sdk::requireCountyWide(request.caller(), "the payment roll");
  auto& db = request.db();
  const std::string month = monthPath(request);
  const auto run = findRun(db, request.county(), month);
  if (!run) throw sdk::NotFound("no payment run for " + month + " in county " + request.county());
  json body = summaryJson(db, month, *run);
  json lines = json::array();
  for (const auto& line : rollLines(db, run->id))
    lines.push_back({{"line_id", line.line_id},
                     {"case_number", line.case_number},
                     {"payee", line.name},
                     {"program", line.program},
                     {"month", line.month},
                     {"kind", line.kind},
                     {"amount", sdk::Money::fromFen(line.amount_fen).toString()}});
  body["roll"] = lines;
  return sdk::Response::ok(body);
}

sdk::Response SocialAssistancePlugin::listPaymentLines(sdk::Request& request) {
  sdk::requireCountyWide(request.caller(), "the payment roll");
  auto& db = request.db();
  const std::string month = monthPath(request);
  const auto run = runOfPath(db, request.county(), month);
  const auto page = sdk::ListRequest::from(request, kPaymentLineList);
  sdk::ListQuery query("r.county_code", request.county());
  query.add("l.run_id = " + query.number(run.id));
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
  const auto total = query.count(db, tables);
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
    items.push_back({{"line_id", ids.back()},
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
                     {"has_bank_account", sdk::sql::int64At(row, 11) != 0}});
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response SocialAssistancePlugin::exportPaymentRunCsv(sdk::Request& request) {
  sdk::requireCountyWide(request.caller(), "the bank roll");
  auto& db = request.db();
  const std::string month = monthPath(request);
  const auto run = confirmedRun(db, request.county(), month);
  // UTF-8 with a byte-order mark, so the bank's spreadsheet opens the Chinese headers.
  std::string csv =
      "\xEF\xBB\xBF序号,收款人姓名,身份证号码,银行账号,开户银行,救助项目,所属月份,"
      "发放类别,金额(元),案件编号\r\n";
  int sequence = 0;
  for (const auto& line : rollLines(db, run->id)) {
    csv += std::to_string(++sequence) + "," + csvField(line.name) + "," +
           csvField(line.citizen_id) + "," + csvField(line.bank_account) + "," +
           csvField(line.bank_name) + "," + programName(line.program) + "," + line.month + "," +
           (line.kind == "regular" ? "正常发放" : "补发/扣减") + "," +
           sdk::Money::fromFen(line.amount_fen).toString() + "," + csvField(line.case_number) +
           "\r\n";
  }
  return sdk::Response::file("text/csv; charset=utf-8", csv,
                             "payment-roll-" + request.county() + "-" + month + ".csv");
}

sdk::Response SocialAssistancePlugin::exportPaymentRunXlsx(sdk::Request& request) {
  sdk::requireCountyWide(request.caller(), "the bank roll");
  auto& db = request.db();
  const std::string month = monthPath(request);
  const auto run = confirmedRun(db, request.county(), month);
  const auto lines = rollLines(db, run->id);
  // libxlsxwriter writes to a file: a private temporary one, read back and removed.
  char temporary_name[] = "/tmp/civ-roll-XXXXXX";  // mkstemp replaces the Xs
  const int fd = mkstemp(temporary_name);
  if (fd < 0) throw std::runtime_error("cannot create a temporary file for the XLSX roll");
  close(fd);
  const std::string path = temporary_name;
  lxw_workbook* workbook = workbook_new(path.c_str());
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, month.c_str());
  lxw_format* money_format = workbook_add_format(workbook);
  format_set_num_format(money_format, "0.00");
  const char* headers[] = {"序号",     "收款人姓名", "身份证号码", "银行账号", "开户银行",
                           "救助项目", "所属月份",   "发放类别",   "金额(元)", "案件编号"};
  for (int column = 0; column < 10; ++column)
    worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(column), headers[column], nullptr);
  lxw_row_t row = 1;
  std::int64_t total = 0;
  for (const auto& line : lines) {
    worksheet_write_number(sheet, row, 0, static_cast<double>(row), nullptr);
    worksheet_write_string(sheet, row, 1, line.name.c_str(), nullptr);
    // IDs and accounts as text: as numbers a spreadsheet would round them.
    worksheet_write_string(sheet, row, 2, line.citizen_id.c_str(), nullptr);
    worksheet_write_string(sheet, row, 3, line.bank_account.c_str(), nullptr);
    worksheet_write_string(sheet, row, 4, line.bank_name.c_str(), nullptr);
    worksheet_write_string(sheet, row, 5, programName(line.program), nullptr);
    worksheet_write_string(sheet, row, 6, line.month.c_str(), nullptr);
    worksheet_write_string(sheet, row, 7, line.kind == "regular" ? "正常发放" : "补发/扣减",
                           nullptr);
    // The amount as text of exact fen, and as a number for sums (fen / 100 is exact to 2 dp).
    worksheet_write_number(sheet, row, 8, static_cast<double>(line.amount_fen) / 100.0,
                           money_format);
    worksheet_write_string(sheet, row, 9, line.case_number.c_str(), nullptr);
    total += line.amount_fen;
    ++row;
  }
  worksheet_write_string(sheet, row, 7, "合计", nullptr);
  worksheet_write_number(sheet, row, 8, static_cast<double>(total) / 100.0, money_format);
  const lxw_error closed = workbook_close(workbook);
  std::ifstream file(path, std::ios::binary);
  std::stringstream bytes;
  bytes << file.rdbuf();
  std::filesystem::remove(path);
  if (closed != LXW_NO_ERROR)
    throw std::runtime_error(std::string("XLSX roll not written: ") + lxw_strerror(closed));
  return sdk::Response::file("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                             bytes.str(),
                             "payment-roll-" + request.county() + "-" + month + ".xlsx");
}

}  // namespace civ::plugins::social_assistance
