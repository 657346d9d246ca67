// The dated national table as data: GET it as of a date, import a year's table (JSON rows, or
// a CSV or XLSX file read by the SDK's table reader) by an approver, audited, refused whole on
// any bad row. An import whose standards take effect in months already run pays the difference
// back (补发) by adjustments: national notices are often published after the date they take
// effect.
#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/context.h>
#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/list.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/table_file.h>

#include "entitlement_store.h"
#include "national_table.h"
#include "veterans_plugin.h"

namespace civ::plugins::veterans {

namespace {

using nlohmann::json;

/// Decodes base64 (RFC 4648, padding optional, line breaks ignored): how an XLSX file travels
/// in a JSON body. ValidationError on "content" when it is not base64.
std::string base64Decoded(const std::string& text) {
  std::string bytes;
  unsigned buffer = 0;
  int bits = 0;
  bool padding = false;
  for (char c : text) {
    if (c == '\r' || c == '\n' || c == ' ') continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    int value = -1;
    if (c >= 'A' && c <= 'Z') value = c - 'A';
    if (c >= 'a' && c <= 'z') value = c - 'a' + 26;
    if (c >= '0' && c <= '9') value = c - '0' + 52;
    if (c == '+') value = 62;
    if (c == '/') value = 63;
    if (value < 0 || padding)
      throw sdk::ValidationError("content", "base64",
                                 "an XLSX file is sent base64-encoded in content", 400);
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return bytes;
}

json rowJson(const StandardRow& row) {
  return {{"item", row.item},
          {"key", row.key},
          {"amount", row.amount.toString()},
          {"per", standardItem(row.item) ? standardItem(row.item)->per : "year"},
          {"effective_from", row.effective_from.toString()},
          {"source", row.county_import ? "county" : "bundled"},
          {"import_id", row.import_id}};
}

json importRow(const soci::row& row) {
  return sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                          {"source", sdk::sql::textAt(row, 1)},
                          {"format", sdk::sql::textAt(row, 2)},
                          {"rows", sdk::sql::int64At(row, 3)},
                          {"imported_by", sdk::sql::textAt(row, 4)},
                          {"imported_on", sdk::sql::textAt(row, 5)},
                          {"note", sdk::sql::textAt(row, 6)},
                          {"bundled", !sdk::sql::optionalTextAt(row, 7).has_value()}});
}

const char* kImportColumns =
    "SELECT id, source, format, row_count, imported_by, imported_on, note, county_code FROM"
    " vt_standard_imports";

}  // namespace

sdk::Response VeteransPlugin::standardsAsOf(sdk::Request& request) {
  const auto as_of = request.queryDate("as_of").value_or(request.today());
  const auto item = request.queryParam("item");
  json items = json::array();
  for (const auto& row : loadTable(request.db(), request.county()).asOf(as_of))
    if (!item || row.item == *item) items.push_back(rowJson(row));
  const auto total = items.size();
  return sdk::Response::ok({{"as_of", as_of.toString()}, {"items", items}, {"total", total}});
}

sdk::Response VeteransPlugin::importStandards(sdk::Request& request) {
  sdk::requireCountyWide(request.caller(), "the national table");
  auto& db = request.db();
  const json& body = request.body();
  const std::string format = body["format"];
  std::vector<ImportRow> rows;
  if (format == "json") {
    if (!body.contains("rows"))
      throw sdk::ValidationError("rows", "required", "a JSON import gives its rows", 400);
    rows = importRowsFromJson(body["rows"]);
  } else {
    if (!body.contains("content"))
      throw sdk::ValidationError("content", "required",
                                 "a " + format + " import gives the file in content", 400);
    // A file as uploaded travels base64-encoded (a JSON text may not hold the carriage returns
    // of a Windows CSV, nor an XLSX file's bytes); a CSV may also come as plain text.
    const std::string content = body["content"];
    const bool base64 = format == "xlsx" || body.value("encoding", "text") == "base64";
    const std::string bytes = base64 ? base64Decoded(content) : content;
    rows = importRowsFromTable(sdk::readTable(bytes, format == "csv" ? sdk::kCsv : sdk::kXlsx));
  }
  const std::string source = body["source"], note = body.value("note", ""),
                    today = request.today().toString();
  const long long count = static_cast<long long>(rows.size());
  long long import_id = 0;
  db << "INSERT INTO vt_standard_imports (county_code, source, format, row_count, imported_by,"
        " imported_on, note) VALUES (:c, :s, :f, :n, :u, :d, :note) RETURNING id",
      soci::use(request.county()), soci::use(source), soci::use(format), soci::use(count),
      soci::use(request.caller().user), soci::use(today), soci::use(note), soci::into(import_id);
  json imported = json::array();
  auto earliest = rows.front().effective_from;
  for (const auto& row : rows) {
    const long long fen = row.amount.fen();
    const std::string effective = row.effective_from.toString();
    db << "INSERT INTO vt_national_standards (import_id, county_code, item, item_key, amount_fen,"
          " effective_from) VALUES (:i, :c, :item, :k, :a, :e)",
        soci::use(import_id), soci::use(request.county()), soci::use(row.item), soci::use(row.key),
        soci::use(fen), soci::use(effective);
    imported.push_back(sdk::jsonObject({{"item", row.item},
                                        {"key", row.key},
                                        {"amount", row.amount.toString()},
                                        {"effective_from", effective}}));
    earliest = std::min(earliest, row.effective_from);
  }
  request.audit(
      {sizeof(sdk::AuditRecord), "national_standards.import", "standard_import",
       std::to_string(import_id),
       sdk::changedFields(
           nullptr, {{"source", source}, {"format", format}, {"rows", imported}, {"note", note}})});
  // Months already run from the earliest date imported are paid as the new table says.
  std::vector<std::int64_t> affected;
  const std::string from = sdk::Month::of(earliest).toString();
  soci::rowset<soci::row> paying =
      (db.prepare << "SELECT id FROM vt_entitlements WHERE county_code = :c AND start_month IS NOT"
                     " NULL AND (end_month IS NULL OR end_month >= :m) AND type IN"
                     " ('disability_pension', 'survivor_pension', 'living_subsidy') ORDER BY id",
       soci::use(request.county()), soci::use(from));
  for (const auto& row : paying) affected.push_back(sdk::sql::int64At(row, 0));
  for (const auto id : affected)
    settle(db, *context_, scheduleOf(db, *findEntitlement(db, request.county(), id)),
           "standard_change", "national table imported (" + source + ")", request.caller().user,
           request.today(), [&](const sdk::AuditRecord& record) { request.audit(record); });
  json answer;
  soci::rowset<soci::row> read =
      (db.prepare << std::string(kImportColumns) + " WHERE id = :id", soci::use(import_id));
  for (const auto& row : read) answer = importRow(row);
  return sdk::Response::created(answer, "/national-standards/imports");
}

sdk::Response VeteransPlugin::getImport(sdk::Request& request) {
  auto& db = request.db();
  const long long key = request.pathId("id");
  json answer;
  // The bundled table (county_code NULL) is every county's.
  soci::rowset<soci::row> read =
      (db.prepare << std::string(kImportColumns) +
                         " WHERE id = :id AND (county_code IS NULL OR county_code = :c)",
       soci::use(key), soci::use(request.county()));
  for (const auto& row : read) answer = importRow(row);
  if (answer.is_null())
    throw sdk::NotFound("no import " + std::to_string(key) + " in county " + request.county());
  json standards = json::array();
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT item, item_key, amount_fen, effective_from FROM vt_national_standards"
                     " WHERE import_id = :i ORDER BY id",
       soci::use(key));
  for (const auto& row : rows)
    standards.push_back(
        sdk::jsonObject({{"item", sdk::sql::textAt(row, 0)},
                         {"key", sdk::sql::textAt(row, 1)},
                         {"amount", sdk::Money::fromFen(sdk::sql::int64At(row, 2)).toString()},
                         {"effective_from", sdk::sql::textAt(row, 3)}}));
  answer["standards"] = standards;
  return sdk::Response::ok(answer);
}

sdk::Response VeteransPlugin::listImports(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kImportList);
  // The bundled table (county_code NULL) belongs to every county.
  sdk::ListQuery query("COALESCE(county_code, " + std::string("'") + request.county() + "')",
                       request.county());
  const std::string table = " FROM vt_standard_imports";
  const auto total = query.count(*lists_, db, table);
  soci::rowset<soci::row> rows = query.rows(
      db, std::string(kImportColumns) + query.clause() + " AND " + page.keysetCondition("id") +
              page.orderAndLimit({{"id", "id"}, {"imported_on", "imported_on"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    items.push_back(importRow(row));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

}  // namespace civ::plugins::veterans
