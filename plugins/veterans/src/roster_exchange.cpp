// Exchange with the county veterans affairs bureau (退役军人事务局, issue 20 item 6): its roster
// of beneficiaries (一人一档) imported from a CSV or XLSX file read by the SDK's table reader,
// creating or updating files with every rule a file has, all or nothing with a row-level report;
// the roster exported in exactly the import layout (export → import changes nothing); the
// payments of a confirmed monthly run exported with the roster's identity columns. The layout is
// in docs/import-layout.md.
#include <algorithm>
#include <map>
#include <set>

#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/citizen_id.h>
#include <civ/sdk/context.h>
#include <civ/sdk/error.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/money.h>
#include <civ/sdk/month.h>
#include <civ/sdk/persons.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/table_file.h>

#include "entitlement_store.h"
#include "payment_source.h"
#include "veterans_plugin.h"
#include "vocabulary.h"

namespace civ::plugins::veterans {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxReported = 1000;

/// One column of the roster: its name in reports, its heading in the clerk's workbook, whether
/// the header must have it, the longest text, and the vocabulary of its values ("" for text).
struct Column {
  const char* key;
  const char* heading;
  bool required;
  std::size_t max_length;
  const char* vocabulary;
};

const std::vector<Column>& rosterColumns() {
  static const std::vector<Column> columns = {
      {"number", "档案编号", false, 40, ""},
      {"citizen_id", "身份证号码", true, 18, ""},
      {"name", "姓名", true, 50, ""},
      {"category", "优抚对象类别", true, 40, "category"},
      {"subsidy_group", "定期生活补助群体", false, 60, "subsidy_group"},
      {"hukou", "户籍类别", true, 10, "hukou"},
      {"township", "乡镇（街道）", true, 100, ""},
      {"village", "村（社区）", true, 100, ""},
      {"address", "住址", true, 200, ""},
      {"phone", "联系电话", false, 30, ""},
      {"enlisted_on", "入伍时间", false, 10, ""},
      {"discharged_on", "退役时间", false, 10, ""},
      {"rank_type", "服役身份", false, 10, "rank_type"},
      {"disability_nature", "残疾性质", false, 10, "nature"},
      {"disability_grade", "残疾等级", false, 2, ""},
      {"disability_certificate", "残疾军人证号", false, 40, ""},
      {"disability_assessed_on", "残疾评定日期", false, 10, ""},
      {"fallen_citizen_id", "烈士（牺牲、病故军人）身份证号码", false, 18, ""},
      {"relationship", "与烈士（牺牲、病故军人）关系", false, 20, "relationship"},
      {"bank_name", "开户银行", false, 100, ""},
      {"bank_account", "银行账号", false, 40, ""}};
  return columns;
}

const std::vector<const char*> kDisabilityColumns = {
    "disability_nature", "disability_grade", "disability_certificate", "disability_assessed_on"};

/// The column a rule's field names (the file's rules speak of the request body's fields).
std::string columnOfField(const std::string& field) {
  static const std::map<std::string, std::string> columns = {
      {"disability", "disability_nature"},
      {"disability.nature", "disability_nature"},
      {"disability.grade", "disability_grade"},
      {"disability.certificate_number", "disability_certificate"},
      {"disability.assessed_on", "disability_assessed_on"},
      {"disability.mental_illness", "disability_grade"},
      {"fallen_id", "fallen_citizen_id"},
      {"agent.citizen_id", "citizen_id"},
      {"(body)", "row"}};
  const auto found = columns.find(field);
  return found == columns.end() ? field : found->second;
}

std::size_t characterCount(const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

bool emptyRow(const std::vector<std::string>& cells) {
  return std::all_of(cells.begin(), cells.end(), [](const std::string& c) { return c.empty(); });
}

/// The code of a vocabulary value given as its code or its Chinese label.
std::optional<std::string> codeOf(const std::string& vocabulary, const std::string& text) {
  for (const auto& [code, label] : labelsOf(vocabulary))
    if (text == code || text == label.zh) return code;
  return std::nullopt;
}
std::string labelOf(const std::string& vocabulary, const json& code) {
  if (code.is_null()) return "";
  for (const auto& [value, label] : labelsOf(vocabulary))
    if (value == code.get<std::string>()) return label.zh;
  return code.get<std::string>();
}
std::string choices(const std::string& vocabulary) {
  std::string text;
  for (const auto& [code, label] : labelsOf(vocabulary))
    text += (text.empty() ? "" : "、") + label.zh;
  return text;
}

json textOrNull(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

/// The fallen servicemen of the county by citizen ID, and the other way round.
struct FallenIndex {
  std::map<std::string, std::int64_t> by_citizen;
  std::map<std::int64_t, std::string> citizen_of;
};
FallenIndex fallenIndex(soci::session& db, const std::string& county) {
  FallenIndex index;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT f.id, p.citizen_id FROM vt_fallen f JOIN civ_persons p ON p.id ="
                     " f.person_id WHERE f.county_code = :c",
       soci::use(county));
  for (const auto& row : rows) {
    index.by_citizen[sdk::sql::textAt(row, 1)] = sdk::sql::int64At(row, 0);
    index.citizen_of[sdk::sql::int64At(row, 0)] = sdk::sql::textAt(row, 1);
  }
  return index;
}

/// A file's state (fileState) as the roster's cells, in the layout's column order.
std::vector<std::string> rosterCells(const json& file, const json& state,
                                     const FallenIndex& fallen) {
  const auto text = [](const json& value) {
    return value.is_null() ? std::string() : value.get<std::string>();
  };
  const json& d = state["disability"];
  std::string fallen_citizen;
  if (!state["fallen_id"].is_null())
    if (auto found = fallen.citizen_of.find(state["fallen_id"].get<std::int64_t>());
        found != fallen.citizen_of.end())
      fallen_citizen = found->second;
  return {text(file["number"]),
          text(file["citizen_id"]),
          text(file["name"]),
          labelOf("category", state["category"]),
          labelOf("subsidy_group", state["subsidy_group"]),
          labelOf("hukou", state["hukou"]),
          text(state["township"]),
          text(state["village"]),
          text(state["address"]),
          text(state["phone"]),
          text(state["enlisted_on"]),
          text(state["discharged_on"]),
          labelOf("rank_type", state["rank_type"]),
          d.is_null() ? "" : labelOf("nature", d["nature"]),
          d.is_null() ? "" : std::to_string(d["grade"].get<int>()),
          d.is_null() ? "" : text(d["certificate_number"]),
          d.is_null() ? "" : text(d["assessed_on"]),
          fallen_citizen,
          labelOf("relationship", state["relationship"]),
          text(state["bank_name"]),
          text(state["bank_account"])};
}

const char kBom[] = "\xEF\xBB\xBF";

}  // namespace

sdk::Response VeteransPlugin::importRoster(sdk::Request& request) {
  auto& db = request.db();
  // The file itself, or the JSON form (a CSV file as saved, CRLF lines as the export writes
  // them, travels there base64-encoded: a JSON text may not hold carriage returns).
  sdk::Table rows = sdk::uploadedTable(request);
  const sdk::Date today = request.today();
  std::vector<sdk::FieldError> problems;
  const auto problem = [&](std::size_t row, const std::string& column, const std::string& rule,
                           const std::string& message) {
    if (problems.size() < kMaxReported)
      problems.push_back({"rows[" + std::to_string(row) + "]." + column, rule, message});
  };
  if (rows.empty()) throw sdk::ValidationError("rows", "not-empty", "the file has no header row");

  // Header: the required columns, any of the others, nothing else, in any order; a column is
  // named by its Chinese heading or its key.
  std::map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < rows[0].size(); ++i) {
    const std::string& name = rows[0][i];
    if (name.empty()) {
      const bool holds_values = std::any_of(rows.begin() + 1, rows.end(), [&](const auto& cells) {
        return i < cells.size() && !cells[i].empty();
      });
      if (holds_values)
        problems.push_back({"rows[1]", "unnamed-column",
                            "column " + std::to_string(i + 1) +
                                " holds values but has no name in the header row"});
      continue;
    }
    const auto column =
        std::find_if(rosterColumns().begin(), rosterColumns().end(),
                     [&](const Column& c) { return name == c.key || name == c.heading; });
    if (column == rosterColumns().end())
      problem(1, name, "unknown-column", "not a column of the roster layout");
    else if (!position.emplace(column->key, i).second)
      problem(1, column->key, "duplicate-column", "the column appears twice");
  }
  for (const auto& column : rosterColumns())
    if (column.required && !position.contains(column.key))
      problem(1, column.key, "missing-column",
              std::string("the layout needs it (") + column.heading + ")");
  const bool has_disability = std::any_of(kDisabilityColumns.begin(), kDisabilityColumns.end(),
                                          [&](const char* c) { return position.contains(c); });
  if (has_disability)
    for (const char* column : kDisabilityColumns)
      if (!position.contains(column))
        problem(1, column, "missing-column",
                "the disability columns come together (残疾性质, 残疾等级, 残疾军人证号, "
                "残疾评定日期)");
  if (position.contains("relationship") != position.contains("fallen_citizen_id"))
    problem(1, position.contains("relationship") ? "fallen_citizen_id" : "relationship",
            "missing-column", "a survivor's columns come together");
  if (!problems.empty()) throw sdk::ValidationError(problems);
  if (std::all_of(rows.begin() + 1, rows.end(), emptyRow))
    throw sdk::ValidationError("rows", "not-empty", "the file has no rows");

  const FallenIndex fallen = fallenIndex(db, request.county());
  std::set<std::string> seen;
  std::int64_t created = 0, updated = 0, unchanged = 0, count = 0;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const std::size_t row = r + 1;  // as a spreadsheet numbers it, the header being row 1
    const auto& cells = rows[r];
    if (emptyRow(cells)) continue;
    ++count;
    const std::size_t before = problems.size();
    std::map<std::string, std::string> f;
    for (const auto& [key, index] : position) f[key] = index < cells.size() ? cells[index] : "";
    const auto given = [&](const char* key) { return position.contains(key); };

    // The cells: lengths, characters, required values, vocabularies, dates, numbers.
    for (const auto& column : rosterColumns()) {
      if (!given(column.key)) continue;
      const std::string& value = f[column.key];
      if (characterCount(value) > column.max_length)
        problem(row, column.key, "maxLength",
                "longer than " + std::to_string(column.max_length) + " characters");
      if (std::any_of(value.begin(), value.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
        problem(row, column.key, "control-characters", "control characters are not allowed");
      if (column.required && value.empty())
        problem(row, column.key, "required", std::string(column.heading) + " must not be empty");
      if (*column.vocabulary && !value.empty() && !codeOf(column.vocabulary, value))
        problem(row, column.key, "enum", "one of " + choices(column.vocabulary));
    }
    for (const char* key : {"enlisted_on", "discharged_on", "disability_assessed_on"})
      if (given(key) && !f[key].empty() && !sdk::Date::parse(f[key]))
        problem(row, key, "date", "a date YYYY-MM-DD");
    int grade = 0;
    if (given("disability_grade") && !f["disability_grade"].empty()) {
      const std::string& text = f["disability_grade"];
      const bool digits = text.size() <= 2 && std::all_of(text.begin(), text.end(), [](char c) {
                            return c >= '0' && c <= '9';
                          });
      grade = digits ? std::stoi(text) : 0;
      if (grade < 1 || grade > 10)
        problem(row, "disability_grade", "grade", "a grade from 1 (most severe) to 10");
    }
    if (has_disability) {
      const bool any = std::any_of(kDisabilityColumns.begin(), kDisabilityColumns.end(),
                                   [&](const char* c) { return !f[c].empty(); });
      for (const char* column : kDisabilityColumns)
        if (any && f[column].empty())
          problem(row, column, "disability-complete",
                  "a disability gives its nature, grade, certificate number and assessment date");
    }
    const std::string citizen = f["citizen_id"];
    if (!citizen.empty()) {
      if (auto bad = sdk::CitizenId::check(citizen, today))
        problem(row, "citizen_id", bad->rule, bad->message);
      else if (!seen.insert(citizen).second)
        problem(row, "citizen_id", "one-row-per-person",
                "the person is on an earlier row of the file (一人一档)");
    }
    std::optional<std::int64_t> fallen_id;
    if (given("fallen_citizen_id") && !f["fallen_citizen_id"].empty()) {
      const auto found = fallen.by_citizen.find(f["fallen_citizen_id"]);
      if (found == fallen.by_citizen.end())
        problem(row, "fallen_citizen_id", "known-fallen",
                "no fallen serviceman with this citizen ID in county " + request.county() +
                    " (POST /fallen first)");
      else
        fallen_id = found->second;
    }
    // Township scope: the row's township, and the township of the file it updates.
    if (!f["township"].empty() && !sdk::coversTownship(request.caller(), f["township"]))
      problem(row, "township", "in-scope",
              "outside the townships this user acts for (" + f["township"] + ")");
    if (problems.size() != before) continue;

    // The file the row creates or updates.
    std::optional<std::int64_t> file_id;
    std::string number;
    const auto person = context_->persons().findByCitizenId(db, citizen);
    if (person) {
      const long long person_key = person->id;
      long long id = 0;
      db << "SELECT id, number FROM vt_beneficiaries WHERE county_code = :c AND person_id = :p",
          soci::into(id), soci::into(number), soci::use(request.county()), soci::use(person_key);
      if (db.got_data()) file_id = id;
    }
    // A file kept by a township outside the caller's scope is named by its township only:
    // its number is not told to a clerk who may not read it.
    if (file_id) {
      const auto current = findBeneficiary(db, request.county(), *file_id);
      if (!sdk::coversTownship(request.caller(), current->township)) {
        problem(row, "township", "in-scope",
                "the person's file is kept by " + current->township +
                    ", outside the townships this user acts for");
        continue;
      }
    }
    if (!f["number"].empty() && f["number"] != number) {
      problem(row, "number", "file-number",
              number.empty() ? "the person has no file in this county: leave 档案编号 empty to "
                               "create one"
                             : "the person's file in this county is " + number);
      continue;
    }
    json state;
    if (file_id) {
      state = fileState(beneficiaryJson(db, *file_id));
    } else {
      state = {{"awards", json::array()}, {"documents", json::array()}};
      for (const char* key : {"subsidy_group", "phone", "enlisted_on", "discharged_on", "rank_type",
                              "disability", "fallen_id", "relationship", "bank_name",
                              "bank_account", "agent", "transfer_received_on"})
        state[key] = nullptr;
    }
    // What the row says replaces what the file holds; a column the file does not have leaves
    // the file's value as it is.
    for (const char* key : {"category", "subsidy_group", "hukou", "rank_type", "relationship"})
      if (given(key)) state[key] = f[key].empty() ? json(nullptr) : json(*codeOf(key, f[key]));
    for (const char* key : {"township", "village", "address", "phone", "enlisted_on",
                            "discharged_on", "bank_name", "bank_account"})
      if (given(key)) state[key] = textOrNull(f[key]);
    if (given("fallen_citizen_id")) state["fallen_id"] = fallen_id ? json(*fallen_id) : json();
    if (has_disability) {
      if (f["disability_nature"].empty()) {
        if (!state["disability"].is_null()) {
          problem(row, "disability_nature", "disability-kept",
                  "the file records a disability (grade " +
                      std::to_string(state["disability"]["grade"].get<int>()) +
                      "): an assessment is changed by a reassessment, not removed by an import");
          continue;
        }
      } else {
        const bool mental =
            state["disability"].is_object() && state["disability"].value("mental_illness", false);
        state["disability"] = {{"nature", *codeOf("nature", f["disability_nature"])},
                               {"grade", grade},
                               {"mental_illness", mental},
                               {"certificate_number", f["disability_certificate"]},
                               {"assessed_on", f["disability_assessed_on"]}};
      }
    }

    try {
      // The registry knows the person by the ID; the typed name must match it.
      const auto registered = context_->persons().ensureRegistered(db, citizen, f["name"]);
      if (file_id) {
        if (applyFileState(request, *file_id, state, "beneficiary.import").empty())
          ++unchanged;
        else
          ++updated;
      } else {
        if (registered.deceased()) {
          problem(row, "citizen_id", "deceased",
                  "the person is recorded deceased on " + registered.death_date->toString());
          continue;
        }
        insertFile(request, registered, state, today, "beneficiary.import", {{"row", row}});
        ++created;
      }
    } catch (const sdk::ValidationError& error) {
      for (const auto& found : error.fieldErrors())
        problem(row, columnOfField(found.field), found.rule, found.message);
    }
  }
  // Any bad row: the transaction is rolled back with every row written before it.
  if (!problems.empty()) throw sdk::ValidationError(problems);
  const json answer = {
      {"rows", count}, {"created", created}, {"updated", updated}, {"unchanged", unchanged}};
  if (created > 0) return sdk::Response::created(answer, "/beneficiaries");
  // Nothing written: the audit trail still records the import, by its counts (the host's row
  // for a write without one would hold the whole file).
  if (updated == 0)
    request.audit({sizeof(sdk::AuditRecord), "beneficiary.import_unchanged", "import",
                   request.today().toString(), sdk::changedFields(nullptr, answer)});
  return sdk::Response::ok(answer);
}

sdk::Response VeteransPlugin::exportRoster(sdk::Request& request) {
  auto& db = request.db();
  sdk::ListQuery query("b.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "b.township"));
  if (auto township = request.queryParam("township"))
    query.add("b.township = " + query.text(*township));
  if (auto category = request.queryParam("category"))
    query.add("b.category = " + query.text(*category));
  if (auto status = request.queryParam("status")) query.add("b.status = " + query.text(*status));
  std::vector<std::int64_t> ids;
  soci::rowset<soci::row> rows =
      query.rows(db, "SELECT b.id FROM vt_beneficiaries b" + query.clause() + " ORDER BY b.id");
  for (const auto& row : rows) ids.push_back(sdk::sql::int64At(row, 0));
  const FallenIndex fallen = fallenIndex(db, request.county());
  std::vector<std::string> headings;
  for (const auto& column : rosterColumns()) headings.push_back(column.heading);
  std::string csv = kBom + sdk::csvLine(headings);
  for (const auto id : ids) {
    const json file = beneficiaryJson(db, id);
    csv += sdk::csvLine(rosterCells(file, fileState(file), fallen));
  }
  return sdk::Response::file(
      sdk::kCsv, csv,
      "veterans-roster-" + request.county() + "-" + request.today().toString() + ".csv");
}

sdk::Response VeteransPlugin::exportPayments(sdk::Request& request) {
  // Bank accounts with the amounts: county-wide work, as the SDK's bank roll.
  sdk::requireCountyWide(request.caller(), "the payment list with bank accounts");
  auto& db = request.db();
  const std::string month = *request.queryParam("month");
  if (!sdk::Month::parse(month))
    throw sdk::ValidationError("month", "format", "must be a month YYYY-MM", 400);
  long long run_id = 0;
  std::string status, run_by;
  db << "SELECT id, status, run_by FROM vt_payment_runs WHERE county_code = :c AND month = :m",
      soci::into(run_id), soci::into(status), soci::into(run_by), soci::use(request.county()),
      soci::use(month);
  if (!db.got_data())
    throw sdk::NotFound("no payment run of " + month + " in county " + request.county());
  // As the bank roll: the money leaves only after a second person confirmed the run.
  if (status != "confirmed")
    throw sdk::Error(409, "run-not-confirmed", "Run not confirmed",
                     "the payment run of " + month + " prepared by " + run_by +
                         " has not been confirmed by a second person; its payments are "
                         "exported once it is (POST .../payment-runs/" +
                         month + "/confirmation)");
  const auto spec = paymentRunSpec();
  const auto label = [](const auto& labels, const std::string& code) {
    for (const auto& [value, text] : labels)
      if (value == code) return text.zh;
    return code;
  };
  sdk::ListQuery query("b.county_code", request.county());
  query.add("l.run_id = " + query.number(run_id));
  query.add(sdk::townshipCondition(request.caller(), "b.township"));
  if (auto township = request.queryParam("township"))
    query.add("b.township = " + query.text(*township));
  soci::rowset<soci::row> rows = query.rows(
      db,
      "SELECT b.number, p.citizen_id, p.name, b.category, b.township, b.village, e.number,"
      " l.program, l.month, l.kind, l.amount_fen, y.name, y.citizen_id, b.bank_name,"
      " b.bank_account FROM vt_payment_lines l JOIN vt_entitlements e ON e.id = l.entitlement_id"
      " JOIN vt_beneficiaries b ON b.id = e.beneficiary_id JOIN civ_persons p ON p.id ="
      " b.person_id LEFT JOIN civ_persons y ON y.id = l.payee_person_id" +
          query.clause() + " ORDER BY l.id");
  std::string csv =
      kBom + sdk::csvLine({"档案编号", "身份证号码", "姓名", "优抚对象类别", "乡镇（街道）",
                           "村（社区）", "待遇编号", "待遇项目", "所属月份", "发放类别", "金额(元)",
                           "发放批次", "领款人", "领款人身份证号码", "开户银行", "银行账号"});
  for (const auto& row : rows) {
    // The amount is a number, joined as it is (csvField would mark a negative one as text).
    std::string line =
        sdk::csvLine({sdk::sql::textAt(row, 0), sdk::sql::textAt(row, 1), sdk::sql::textAt(row, 2),
                      labelOf("category", sdk::sql::textAt(row, 3)), sdk::sql::textAt(row, 4),
                      sdk::sql::textAt(row, 5), sdk::sql::textAt(row, 6),
                      label(spec.programs, sdk::sql::textAt(row, 7)), sdk::sql::textAt(row, 8),
                      label(spec.kinds, sdk::sql::textAt(row, 9))});
    line.resize(line.size() - 2);  // the CRLF: the line goes on
    line += "," + sdk::Money::fromFen(sdk::sql::int64At(row, 10)).toString() + ",";
    line += sdk::csvLine({month, sdk::sql::optionalTextAt(row, 11).value_or(""),
                          sdk::sql::optionalTextAt(row, 12).value_or(""),
                          sdk::sql::optionalTextAt(row, 13).value_or(""),
                          sdk::sql::optionalTextAt(row, 14).value_or("")});
    csv += line;
  }
  return sdk::Response::file(sdk::kCsv, csv,
                             "veterans-payments-" + request.county() + "-" + month + ".csv");
}

}  // namespace civ::plugins::veterans
