// Monthly payment runs (payment_run.h): the bookkeeping every benefit module shares. Moved here
// from social_assistance (session 9) so veterans and elderly care pay through the same
// guarantees: one run per county and month, two people before the bank file exists, nothing
// partial, every step audited.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <unistd.h>
#include <xlsxwriter.h>

#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/context.h>
#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/list.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/money.h>
#include <civ/sdk/payment_run.h>
#include <civ/sdk/request.h>
#include <civ/sdk/response.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/router.h>
#include <civ/sdk/schema.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/sql_json.h>
#include <civ/sdk/storage.h>
#include <civ/sdk/table_file.h>

namespace civ::sdk {

PaymentRunSource::~PaymentRunSource() = default;
void PaymentRunSource::prepared(Request&, std::int64_t, const std::vector<PaymentLine>&) {}
void PaymentRunSource::cancelled(Request&, std::int64_t, const std::string&) {}
std::vector<PaymentRunWarning> PaymentRunSource::warnings(soci::session&, std::int64_t) {
  return {};
}

namespace {

using nlohmann::json;
using schema::Properties;

const ListSpec kRunList{{"month"}, "-month", 20, 200};
constexpr int kLongList = 10000000;

struct RunSummary {
  std::int64_t id = 0;
  std::string run_on;
  std::string run_by;
  std::int64_t lines = 0;
  std::int64_t total_fen = 0;
  std::string status;  ///< prepared, confirmed
  std::optional<std::string> confirmed_by, confirmed_on;
};

std::string labelOf(const std::vector<std::pair<std::string, LocalizedText>>& labels,
                    const std::string& code) {
  for (const auto& [value, text] : labels)
    if (value == code) return text.zh;
  return code;
}

}  // namespace

struct PaymentRuns::Impl {
  Context& context;
  PaymentRunSpec spec;
  PaymentRunSource& source;
  std::string runs_table, lines_table, cancelled_table;
  std::string base = "/payment-runs";  ///< where addRoutes put the routes

  Impl(Context& context_in, PaymentRunSpec spec_in, PaymentRunSource& source_in)
      : context(context_in),
        spec(std::move(spec_in)),
        source(source_in),
        runs_table(spec.table_prefix + "_payment_runs"),
        lines_table(spec.table_prefix + "_payment_lines"),
        cancelled_table(spec.table_prefix + "_cancelled_runs") {}

  std::optional<RunSummary> findRun(soci::session& db, const std::string& county,
                                    const std::string& month) {
    soci::rowset<soci::row> rows =
        (db.prepare << "SELECT id, run_on, run_by, line_count, total_fen, status, confirmed_by,"
                       " confirmed_on FROM " +
                           runs_table + " WHERE county_code = :c AND month = :m",
         soci::use(county), soci::use(month));
    for (const auto& row : rows)
      return RunSummary{sql::int64At(row, 0),        sql::textAt(row, 1),
                        sql::textAt(row, 2),         sql::int64At(row, 3),
                        sql::int64At(row, 4),        sql::textAt(row, 5),
                        sql::optionalTextAt(row, 6), sql::optionalTextAt(row, 7)};
    return std::nullopt;
  }

  RunSummary runOfPath(soci::session& db, const std::string& county, const std::string& month) {
    auto run = findRun(db, county, month);
    if (!run) throw NotFound("no payment run for " + month + " in county " + county);
    return *run;
  }

  static std::string monthPath(const Request& request) {
    const std::string text = request.pathParam("month");
    if (!Month::parse(text)) throw NotFound("no payment run for month '" + text + "'");
    return text;
  }

  /// Lines and total per program and kind, as a run's answer shows them under "by_program".
  using ProgramTally =
      std::map<std::pair<std::string, std::string>, std::pair<long long, long long>>;

  static json byProgramJson(const ProgramTally& tally) {
    json by_program = json::object();
    for (const auto& [program_kind, lines_total] : tally)
      by_program[program_kind.first][program_kind.second] = {
          {"lines", lines_total.first}, {"total", Money::fromFen(lines_total.second).toString()}};
    return by_program;
  }

  /// A stored run's answer. `written` is the tally of the lines prepare() has just written, so
  /// that a new run is not read back from the table (on SQLite that read was a tenth of a
  /// 100,000-case run); any other answer counts the stored lines.
  json summaryJson(soci::session& db, const std::string& month, const RunSummary& run,
                   const ProgramTally* written = nullptr) {
    json by_program;
    if (written) {
      by_program = byProgramJson(*written);
    } else {
      ProgramTally stored;
      const long long id = run.id;
      soci::rowset<soci::row> rows =
          (db.prepare << "SELECT program, kind, COUNT(*), SUM(amount_fen) FROM " + lines_table +
                             " WHERE run_id = :r GROUP BY program, kind",
           soci::use(id));
      for (const auto& row : rows)
        stored[{sql::textAt(row, 0), sql::textAt(row, 1)}] = {sql::int64At(row, 2),
                                                              sql::int64At(row, 3)};
      by_program = byProgramJson(stored);
    }
    json warnings = json::array();
    for (const auto& warning : source.warnings(db, run.id))
      warnings.push_back({{spec.reference_field, warning.reference},
                          {"rule", warning.rule},
                          {"message", warning.message}});
    return {{"month", month},
            {"run_id", run.id},
            {"run_on", run.run_on},
            {"run_by", run.run_by},
            {"status", run.status},
            {"confirmed_by", run.confirmed_by ? json(*run.confirmed_by) : json(nullptr)},
            {"confirmed_on", run.confirmed_on ? json(*run.confirmed_on) : json(nullptr)},
            {"warnings", warnings},
            {"lines", run.lines},
            {"total", Money::fromFen(run.total_fen).toString()},
            {"by_program", by_program}};
  }

  /// The run of the month, only once a second person confirmed it: the bank's roll is never
  /// produced from a run one person prepared alone.
  RunSummary confirmedRun(soci::session& db, const std::string& county, const std::string& month) {
    auto run = runOfPath(db, county, month);
    if (run.status != "confirmed")
      throw Error(409, "run-not-confirmed", "Run not confirmed",
                  "the payment run of " + month + " prepared by " + run.run_by +
                      " has not been confirmed by a second person; its roll is produced once "
                      "it is (POST ..." +
                      base + "/" + month + "/confirmation)");
    return run;
  }

  static void requireSecondPerson(const Caller& caller, const std::string& done_by,
                                  const std::string& what_was_done, const std::string& step) {
    if (sameUser(caller.user, done_by))
      throw Forbidden("four-eyes rule: " + caller.user + " " + what_was_done + " and may not " +
                      step + "; another user must");
  }

  Response prepare(Request& request) {
    requireCountyWide(request.caller(), "payment runs");
    auto& db = request.db();
    const std::string month_text = request.body()["month"];
    const auto month = Month::parse(month_text);
    if (!month) throw ValidationError("month", "format", "must be a month YYYY-MM", 400);
    if (*month > Month::of(request.today()).plus(spec.latest_month_offset)) {
      if (spec.latest_month_offset >= 0)
        throw ValidationError("month", "not-beyond-next-month",
                              "a roll can be run at most " +
                                  std::to_string(spec.latest_month_offset) + " month ahead");
      throw ValidationError("month", "month-ended",
                            "a month's roll is computed after the month ends");
    }
    if (context.storage().dialect() == Dialect::Postgresql) {
      // Two hosts running the same county and month: the second waits here, then finds the run.
      const std::string key =
          spec.table_prefix + "_payment_run:" + request.county() + ":" + month_text;
      db << "SELECT pg_advisory_xact_lock(hashtext(:k))", soci::use(key);
    }
    // A month before the county's first payable record has nothing to pay: running it would
    // lock the month as an empty roll (a county that starts mid-year, a mistyped year).
    const auto first = source.firstPayableMonth(request);
    if (!first || *month < *first)
      throw ValidationError(
          "month", "after-first-case",
          !first ? "the county has no " + spec.subject_noun + " to pay yet; there is no roll to run"
                 : "the county's first " + spec.subject_noun + " is paid from " +
                       first->toString() + "; no roll before it");
    if (auto existing = findRun(db, request.county(), month_text)) {
      json body = summaryJson(db, month_text, *existing);
      body["created"] = false;
      body["message"] = "the roll for " + month_text + " was already run on " + existing->run_on +
                        " by " + existing->run_by + "; nothing changed";
      return Response::ok(body);
    }
    const std::string today = request.today().toString();
    long long run_id = 0;
    // Prepared, not yet payable: a second person confirms it before its roll goes to the bank.
    db << "INSERT INTO " + runs_table +
              " (county_code, month, run_on, run_by, line_count, total_fen, status)"
              " VALUES (:c, :m, :d, :u, 0, 0, 'prepared') RETURNING id",
        soci::use(request.county()), soci::use(month_text), soci::use(today),
        soci::use(request.caller().user), soci::into(run_id);

    // Read everything first: the bulk writer holds the session (COPY on PostgreSQL) until it
    // finishes.
    const auto lines = source.linesOf(request, *month);
    auto writer =
        context.storage().bulkWriter(db, lines_table,
                                     {"run_id", spec.subject_column, "payee_person_id", "program",
                                      "month", "kind", "amount_fen", "adjustment_id"});
    std::int64_t total = 0;
    ProgramTally tally;
    for (const auto& line : lines) {
      writer->add({std::int64_t{run_id}, line.subject_id,
                   line.payee_person_id ? BulkValue(*line.payee_person_id) : BulkValue(),
                   line.program, line.month, line.kind, line.amount_fen,
                   line.adjustment_id ? BulkValue(*line.adjustment_id) : BulkValue()});
      total += line.amount_fen;
      auto& [count, sum] = tally[{line.program, line.kind}];
      ++count;
      sum += line.amount_fen;
    }
    const long long line_count = writer->finish();
    source.prepared(request, run_id, lines);
    const long long total_fen = total;
    db << "UPDATE " + runs_table + " SET line_count = :l, total_fen = :t WHERE id = :id",
        soci::use(line_count), soci::use(total_fen), soci::use(run_id);
    request.audit({sizeof(AuditRecord), "payment_run.create", "payment_run", std::to_string(run_id),
                   changedFields(nullptr, {{"month", month_text},
                                           {"lines", line_count},
                                           {"total", Money::fromFen(total).toString()}})});
    json body = summaryJson(db, month_text, *findRun(db, request.county(), month_text), &tally);
    body["created"] = true;
    return Response::created(body, base + "/" + month_text);
  }

  Response confirm(Request& request) {
    requireCountyWide(request.caller(), "payment runs");
    auto& db = request.db();
    const std::string month = monthPath(request);
    const auto run = runOfPath(db, request.county(), month);
    if (run.status == "confirmed")
      throw Conflict("the payment run of " + month + " was already confirmed by " +
                     run.confirmed_by.value_or("") + " on " + run.confirmed_on.value_or(""));
    requireSecondPerson(request.caller(), run.run_by, "prepared the payment run of " + month,
                        "also confirm it for the bank");
    const std::string today = request.today().toString();
    const long long id = run.id;
    // Only a run still prepared: a confirmation or cancellation committed meanwhile wins.
    soci::statement confirm =
        (db.prepare << "UPDATE " + runs_table +
                           " SET status = 'confirmed', confirmed_by = :u, confirmed_on = :d"
                           " WHERE id = :id AND status = 'prepared'",
         soci::use(request.caller().user), soci::use(today), soci::use(id));
    confirm.execute(true);
    if (confirm.get_affected_rows() != 1)
      throw Conflict("the payment run of " + month +
                     " was confirmed or cancelled by someone else meanwhile");
    request.audit(
        {sizeof(AuditRecord),
         "payment_run.confirm",
         "payment_run",
         std::to_string(run.id),
         {{"status", {{"old", "prepared"}, {"new", "confirmed"}}},
          {"confirmed_by", {{"old", nullptr}, {"new", request.caller().user}}},
          {"total", {{"old", nullptr}, {"new", Money::fromFen(run.total_fen).toString()}}}}});
    return Response::ok(summaryJson(db, month, runOfPath(db, request.county(), month)));
  }

  Response cancel(Request& request) {
    requireCountyWide(request.caller(), "payment runs");
    auto& db = request.db();
    const std::string month = monthPath(request);
    const auto run = runOfPath(db, request.county(), month);
    if (run.status == "confirmed")
      throw Conflict("the payment run of " + month + " was confirmed for payment by " +
                     run.confirmed_by.value_or("") +
                     "; money that has left is corrected by adjustments, not by cancelling");
    requireSecondPerson(request.caller(), run.run_by, "prepared the payment run of " + month,
                        "also cancel it");
    const std::string reason = request.body()["reason"], today = request.today().toString();
    const long long id = run.id;
    // Only a run still prepared (a confirmation committed meanwhile wins): deleted first, so a
    // concurrent confirmation finds nothing to confirm.
    soci::statement remove =
        (db.prepare << "DELETE FROM " + runs_table + " WHERE id = :r AND status = 'prepared'",
         soci::use(id));
    db << "DELETE FROM " + lines_table + " WHERE run_id = :r", soci::use(id);
    remove.execute(true);
    if (remove.get_affected_rows() != 1)
      throw Conflict("the payment run of " + month +
                     " was confirmed or cancelled by someone else meanwhile");
    // The run leaves a record of itself; what it paid waits for the next run again.
    db << "INSERT INTO " + cancelled_table +
              " (county_code, month, run_on, run_by, line_count, total_fen, cancelled_on,"
              " cancelled_by, reason) VALUES (:c, :m, :ro, :rb, :l, :t, :d, :u, :r)",
        soci::use(request.county()), soci::use(month), soci::use(run.run_on), soci::use(run.run_by),
        soci::use(static_cast<long long>(run.lines)),
        soci::use(static_cast<long long>(run.total_fen)), soci::use(today),
        soci::use(request.caller().user), soci::use(reason);
    source.cancelled(request, run.id, month);
    request.audit({sizeof(AuditRecord),
                   "payment_run.cancel",
                   "payment_run",
                   std::to_string(run.id),
                   {{"status", {{"old", run.status}, {"new", "cancelled"}}},
                    {"lines", {{"old", run.lines}, {"new", 0}}},
                    {"total", {{"old", Money::fromFen(run.total_fen).toString()}, {"new", "0.00"}}},
                    {"reason", {{"old", nullptr}, {"new", reason}}}}});
    return Response::ok({{"month", month},
                         {"cancelled", true},
                         {"lines", run.lines},
                         {"total", Money::fromFen(run.total_fen).toString()},
                         {"reason", reason}});
  }

  Response get(Request& request) {
    requireCountyWide(request.caller(), "the payment roll");
    auto& db = request.db();
    const std::string month = monthPath(request);
    const auto run = runOfPath(db, request.county(), month);
    json body = summaryJson(db, month, run);
    json lines = json::array();
    for (const auto& line : source.bankRoll(db, run.id))
      lines.push_back(sdk::jsonObject({{"line_id", line.line_id},
                                       {spec.reference_field, line.reference},
                                       {"payee", line.payee},
                                       {"program", line.program},
                                       {"month", line.month},
                                       {"kind", line.kind},
                                       {"amount", Money::fromFen(line.amount_fen).toString()}}));
    body["roll"] = lines;
    return Response::ok(body);
  }

  Response list(Request& request) {
    requireCountyWide(request.caller(), "payment runs");
    const auto page = ListRequest::from(request, kRunList);
    auto& db = request.db();
    ListQuery query("county_code", request.county());
    if (auto status = request.queryParam("status")) query.add("status = " + query.text(*status));
    const std::string table = " FROM " + runs_table;
    const auto total = query.count(db, table);
    soci::rowset<soci::row> rows = query.rows(
        db, "SELECT id, month, run_on, run_by, status, confirmed_by, line_count, total_fen" +
                table + query.clause() + " AND " + page.keysetCondition("id") +
                page.orderAndLimit({{"id", "id"}, {"month", "month"}}));
    json items = json::array();
    std::vector<std::int64_t> ids;
    for (const auto& row : rows) {
      ids.push_back(sql::int64At(row, 0));
      items.push_back(
          sdk::jsonObject({{"run_id", ids.back()},
                           {"month", sql::textAt(row, 1)},
                           {"run_on", sql::textAt(row, 2)},
                           {"run_by", sql::textAt(row, 3)},
                           {"status", sql::textAt(row, 4)},
                           {"confirmed_by", sql::textOrNullAt(row, 5)},
                           {"lines", sql::int64At(row, 6)},
                           {"total", Money::fromFen(sql::int64At(row, 7)).toString()}}));
    }
    return Response::ok(page.answer(std::move(items), total, ids));
  }

  std::string fileName(const Request& request, const std::string& month,
                       const char* extension) const {
    return spec.file_prefix + "-" + request.county() + "-" + month + extension;
  }

  std::vector<std::string> headings() const {
    return {"序号",
            "收款人姓名",
            spec.payee_id_heading,
            "银行账号",
            "开户银行",
            spec.program_heading,
            "所属月份",
            "发放类别",
            "金额(元)",
            spec.reference_heading};
  }

  Response bankCsv(Request& request) {
    requireCountyWide(request.caller(), "the bank roll");
    auto& db = request.db();
    const std::string month = monthPath(request);
    const auto run = confirmedRun(db, request.county(), month);
    // UTF-8 with a byte-order mark, so the bank's spreadsheet opens the Chinese headers.
    std::string csv = "\xEF\xBB\xBF";
    const auto heads = headings();
    for (std::size_t i = 0; i < heads.size(); ++i) csv += (i ? "," : "") + heads[i];
    csv += "\r\n";
    int sequence = 0;
    for (const auto& line : source.bankRoll(db, run.id))
      csv += std::to_string(++sequence) + "," + csvField(line.payee) + "," +
             csvField(line.citizen_id) + "," + csvField(line.bank_account) + "," +
             csvField(line.bank_name) + "," + csvField(labelOf(spec.programs, line.program)) + "," +
             line.month + "," + csvField(labelOf(spec.kinds, line.kind)) + "," +
             Money::fromFen(line.amount_fen).toString() + "," + csvField(line.reference) + "\r\n";
    return Response::file("text/csv; charset=utf-8", csv, fileName(request, month, ".csv"));
  }

  Response bankXlsx(Request& request) {
    requireCountyWide(request.caller(), "the bank roll");
    auto& db = request.db();
    const std::string month = monthPath(request);
    const auto run = confirmedRun(db, request.county(), month);
    const auto lines = source.bankRoll(db, run.id);
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
    const auto heads = headings();
    for (std::size_t column = 0; column < heads.size(); ++column)
      worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(column), heads[column].c_str(),
                             nullptr);
    lxw_row_t row = 1;
    std::int64_t total = 0;
    for (const auto& line : lines) {
      worksheet_write_number(sheet, row, 0, static_cast<double>(row), nullptr);
      worksheet_write_string(sheet, row, 1, line.payee.c_str(), nullptr);
      // IDs and accounts as text: as numbers a spreadsheet would round them.
      worksheet_write_string(sheet, row, 2, line.citizen_id.c_str(), nullptr);
      worksheet_write_string(sheet, row, 3, line.bank_account.c_str(), nullptr);
      worksheet_write_string(sheet, row, 4, line.bank_name.c_str(), nullptr);
      worksheet_write_string(sheet, row, 5, labelOf(spec.programs, line.program).c_str(), nullptr);
      worksheet_write_string(sheet, row, 6, line.month.c_str(), nullptr);
      worksheet_write_string(sheet, row, 7, labelOf(spec.kinds, line.kind).c_str(), nullptr);
      // fen / 100 is exact to two decimals for any amount a roll holds.
      worksheet_write_number(sheet, row, 8, static_cast<double>(line.amount_fen) / 100.0,
                             money_format);
      worksheet_write_string(sheet, row, 9, line.reference.c_str(), nullptr);
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
    return Response::file(kXlsx, bytes.str(), fileName(request, month, ".xlsx"));
  }

  json programSchema() const { return schema::enumOf(spec.programs); }
  json kindSchema() const { return schema::enumOf(spec.kinds); }

  json runProperties(Properties extra) const {
    using namespace schema;
    const json totals =
        object({{"lines", describe(integer(1), {"笔数", "Lines"})},
                {"total", describe(signedMoney(), {"金额合计（元）", "Total (yuan)"})}});
    Properties by_kind, by_program;
    for (const auto& [kind, label] : spec.kinds)
      by_kind.emplace_back(kind, optional(describe(totals, label)));
    const json kinds = object(std::move(by_kind));
    for (const auto& [program, label] : spec.programs)
      by_program.emplace_back(program, optional(describe(kinds, label)));
    Properties properties = schema::properties(
        {{"month", month()},
         {"run_id", id()},
         {"run_on", date()},
         {"run_by", text(200)},
         {"status",
          enumOf({{"prepared", {"待复核", "prepared; its roll waits for a second person"}},
                  {"confirmed", {"已复核", "confirmed; the roll may go to the bank"}}})},
         {"confirmed_by", nullable(text(200))},
         {"confirmed_on", nullable(date())},
         {"warnings", describe(arrayOf(object({{spec.reference_field, text(40)},
                                               {"rule", text(80)},
                                               {"message", text(500)}})),
                               {"提示", "Lines the bank cannot pay as they stand (no account)"})},
         {"lines", describe(integer(0), {"笔数", "Lines"})},
         {"total", describe(signedMoney(), {"金额合计（元）", "Total (yuan)"})},
         {"by_program",
          describe(object(std::move(by_program)),
                   {"按项目和发放类别汇总", "Lines and totals by programme and kind"})}});
    for (auto& property : extra) properties.push_back(std::move(property));
    return object(std::move(properties));
  }
};

PaymentRuns::PaymentRuns(Context& context, PaymentRunSpec spec, PaymentRunSource& source)
    : impl_(std::make_unique<Impl>(context, std::move(spec), source)) {}

PaymentRuns::~PaymentRuns() = default;

nlohmann::json PaymentRuns::programSchema() const { return impl_->programSchema(); }
nlohmann::json PaymentRuns::kindSchema() const { return impl_->kindSchema(); }

nlohmann::json PaymentRuns::summary(soci::session& db, const std::string& county,
                                    const std::string& month) {
  auto run = impl_->findRun(db, county, month);
  if (!run) return nullptr;
  return impl_->summaryJson(db, month, *run);
}

std::vector<std::string> PaymentRuns::tableStatements(const PaymentRunSpec& spec,
                                                      const std::string& subject_table) {
  const std::string& p = spec.table_prefix;
  return {
      "CREATE TABLE " + p +
          "_payment_runs (id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, month TEXT NOT NULL,"
          " run_on TEXT NOT NULL, run_by TEXT NOT NULL, line_count BIGINT NOT NULL,"
          " total_fen BIGINT NOT NULL, status TEXT NOT NULL DEFAULT 'prepared',"
          " confirmed_by TEXT, confirmed_on TEXT, UNIQUE (county_code, month))",
      "CREATE TABLE " + p +
          "_payment_lines (id {{ID_PRIMARY_KEY}}, run_id BIGINT NOT NULL"
          " REFERENCES " +
          p + "_payment_runs(id), " + spec.subject_column + " BIGINT NOT NULL REFERENCES " +
          subject_table +
          "(id), payee_person_id BIGINT, program TEXT NOT NULL, month TEXT NOT NULL,"
          " kind TEXT NOT NULL, amount_fen BIGINT NOT NULL, adjustment_id BIGINT)",
      "CREATE INDEX " + p + "_payment_lines_run ON " + p + "_payment_lines (run_id)",
      "CREATE INDEX " + p + "_payment_lines_subject ON " + p + "_payment_lines (" +
          spec.subject_column + ", month)",
      "CREATE TABLE " + p +
          "_cancelled_runs (id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL,"
          " month TEXT NOT NULL, run_on TEXT NOT NULL, run_by TEXT NOT NULL,"
          " line_count BIGINT NOT NULL, total_fen BIGINT NOT NULL, cancelled_on TEXT NOT NULL,"
          " cancelled_by TEXT NOT NULL, reason TEXT NOT NULL)",
      "CREATE INDEX " + p + "_cancelled_runs_month ON " + p +
          "_cancelled_runs (county_code, month)"};
}

void PaymentRuns::addRoutes(Router& router, const std::string& base) {
  using namespace schema;
  Impl* impl = impl_.get();
  impl->base = base;
  const auto bind = [impl](Response (Impl::*method)(Request&)) -> RouteHandler {
    return [impl, method](Request& request) { return (impl->*method)(request); };
  };
  const json status =
      enumOf({{"prepared", {"待复核", "prepared"}}, {"confirmed", {"已复核", "confirmed"}}});
  router.add(Route::get(base)
                 .summary("发放批次列表", "Payment runs, newest month first")
                 .list(object({{"run_id", id()},
                               {"month", month()},
                               {"run_on", date()},
                               {"run_by", text(200)},
                               {"status", status},
                               {"confirmed_by", nullable(text(200))},
                               {"lines", integer(0)},
                               {"total", signedMoney()}}),
                       kRunList)
                 .query("status", status),
             bind(&Impl::list));
  auto created = [impl](bool was_created) {
    Properties extra = schema::properties({{"created", boolean()}});
    if (!was_created) extra.emplace_back("message", text(1000));
    return impl->runProperties(std::move(extra));
  };
  router.add(Route::post(base)
                 .permission(Permission::Approve)
                 .summary("生成月度发放名册",
                          "Create the payment roll for a month (again for the same month: nothing "
                          "changes)")
                 .body(object({{"month", month()}}))
                 .created(created(true), "the roll was created")
                 .answers(200, created(false), "the month's roll already existed; nothing changed"),
             bind(&Impl::prepare));
  router.add(Route::post(base + "/{month}/confirmation")
                 .pathParam("month", month())
                 .permission(Permission::Approve)
                 .summary("复核发放名册",
                          "Confirm a prepared run for the bank: a second approver, not the one "
                          "who ran it (四眼原则); its roll is produced only after this")
                 .ok(impl->runProperties({})),
             bind(&Impl::confirm));
  router.add(Route::post(base + "/{month}/cancellation")
                 .pathParam("month", month())
                 .permission(Permission::Approve)
                 .summary("撤销未复核的发放名册",
                          "Cancel a run not yet confirmed, with a reason, by a second approver; "
                          "the month can be run again")
                 .body(object({{"reason", text(1000)}}))
                 .ok(object({{"month", month()},
                             {"cancelled", boolean()},
                             {"lines", integer(0)},
                             {"total", signedMoney()},
                             {"reason", text(1000)}})),
             bind(&Impl::cancel));
  router.add(Route::get(base + "/{month}")
                 .console({{"record", "payment_run"}})
                 .pathParam("month", month())
                 .summary("发放名册", "A payment run with its roll")
                 .ok(impl->runProperties(schema::properties(
                     {{"roll", arrayOf(object({{"line_id", id()},
                                               {impl->spec.reference_field, text(40)},
                                               {"payee", text(200)},
                                               {"program", impl->programSchema()},
                                               {"month", month()},
                                               {"kind", impl->kindSchema()},
                                               {"amount", signedMoney()}}),
                                       kLongList)}}))),
             bind(&Impl::get));
  router.add(Route::get(base + "/{month}/roll.csv")
                 .pathParam("month", month())
                 .summary("银行发放文件（CSV）", "The roll as the bank's CSV (一卡通 layout)")
                 .document(kCsv, "the bank's CSV (UTF-8 with a byte-order mark)"),
             bind(&Impl::bankCsv));
  router.add(Route::get(base + "/{month}/roll.xlsx")
                 .pathParam("month", month())
                 .summary("发放名册（XLSX）", "The roll as XLSX")
                 .document(kXlsx, "the roll as a spreadsheet"),
             bind(&Impl::bankXlsx));
}

}  // namespace civ::sdk
