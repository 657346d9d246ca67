// Facilities with their approvals, cremation zones by township, cemetery plots, violations.
#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/context.h>
#include <civ/sdk/error.h>
#include <civ/sdk/policy.h>
#include <civ/sdk/sql.h>

#include "funeral_plugin.h"
#include "funeral_rules.h"
#include "parameters.h"

namespace civ::plugins::funeral {

namespace {

using nlohmann::json;

sdk::Date dateOf(const json& value) { return *sdk::Date::parse(value.get<std::string>()); }

}  // namespace

sdk::Response FuneralPlugin::createFacility(sdk::Request& request) {
  auto& db = request.db();
  const json& body = request.body();
  const std::string code = body["code"], kind = body["kind"], name = body["name"],
                    township = body["township"];
  std::string cemetery_type = body.value("cemetery_type", "");
  if ((kind == "cemetery") != !cemetery_type.empty())
    throw sdk::ValidationError("cemetery_type", "cemetery-type",
                               "a cemetery is public_welfare or commercial; other facilities "
                               "have no cemetery_type");
  soci::indicator type_present = cemetery_type.empty() ? soci::i_null : soci::i_ok;
  const int furnaces = body.value("furnaces", 0);
  if (furnaces > 0 && kind != "crematorium" && kind != "funeral_home")
    throw sdk::ValidationError("furnaces", "furnaces-at-crematoria",
                               "only a funeral home or crematorium has furnaces");
  long long area = 0;
  soci::indicator area_present = soci::i_null;
  if (body.contains("area_m2")) {
    const auto parsed = parseSiteArea(body["area_m2"].get<std::string>());
    if (!parsed)
      throw sdk::ValidationError("area_m2", "area",
                                 "a site area in m² with at most two decimals, above 0 and at most "
                                 "10,000,000");
    area = *parsed;
    area_present = soci::i_ok;
  }
  int plots = body.value("plots_planned", 0);
  soci::indicator plots_present = body.contains("plots_planned") ? soci::i_ok : soci::i_null;
  long long existing = 0;
  db << "SELECT COUNT(*) FROM fu_facilities WHERE code = :c", soci::into(existing), soci::use(code);
  if (existing > 0)
    throw sdk::ValidationError("code", "unique-code", "facility code " + code + " is taken");
  long long id = 0;
  db << "INSERT INTO fu_facilities (county_code, code, kind, name, township, furnaces,"
        " cemetery_type, area_hundredths, plots_planned) VALUES (:county, :code, :kind, :name,"
        " :township, :furnaces, :type, :area, :plots) RETURNING id",
      soci::use(request.county()), soci::use(code), soci::use(kind), soci::use(name),
      soci::use(township), soci::use(furnaces), soci::use(cemetery_type, type_present),
      soci::use(area, area_present), soci::use(plots, plots_present), soci::into(id);
  request.audit({sizeof(sdk::AuditRecord), "facility.create", "facility", std::to_string(id),
                 sdk::changedFields(nullptr, body)});
  return sdk::Response::created({{"id", id}, {"code", code}, {"kind", kind}, {"approved", false}},
                                "/facilities");
}

sdk::Response FuneralPlugin::approveFacility(sdk::Request& request) {
  auto& db = request.db();
  const auto found = facility(db, request.county(), request.pathParam("code"));
  const json& body = request.body();
  const std::string authority = body["authority"], document = body["document_number"];
  const std::string required = approvingAuthority(found.kind, found.cemetery_type);
  if (authority != required)
    throw sdk::ValidationError(
        "authority", "approval-authority",
        "a " + found.kind + (found.cemetery_type.empty() ? "" : " (" + found.cemetery_type + ")") +
            " is approved by " + required + " (殡葬管理条例 §8), not " + authority);
  const auto approved_on = dateOf(body["approved_on"]);
  if (approved_on > request.today())
    throw sdk::ValidationError("approved_on", "not-in-future", "the approval date is after today");
  std::string until = body.value("valid_until", "");
  soci::indicator until_present = until.empty() ? soci::i_null : soci::i_ok;
  if (!until.empty() && dateOf(body["valid_until"]) < approved_on)
    throw sdk::ValidationError("valid_until", "period-order", "valid_until is before approved_on");
  const long long key = found.id;
  const std::string approved_text = approved_on.toString();
  db << "INSERT INTO fu_approvals (facility_id, authority, document_number, approved_on,"
        " valid_until) VALUES (:f, :a, :d, :on, :until)",
      soci::use(key), soci::use(authority), soci::use(document), soci::use(approved_text),
      soci::use(until, until_present);
  request.audit({sizeof(sdk::AuditRecord), "facility.approve", "facility", std::to_string(found.id),
                 sdk::changedFields(nullptr, body)});
  return sdk::Response::ok({{"code", found.code}, {"approved", true}, {"authority", authority}});
}

sdk::Response FuneralPlugin::listFacilities(sdk::Request& request) {
  auto& db = request.db();
  const std::string today = request.today().toString();
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT f.code, f.kind, f.name, f.township, f.furnaces, f.cemetery_type,"
                     " f.area_hundredths, f.plots_planned,"
                     " (SELECT COUNT(*) FROM fu_approvals a WHERE a.facility_id = f.id AND"
                     " a.approved_on <= :d1 AND (a.valid_until IS NULL OR a.valid_until >= :d2)),"
                     " (SELECT COUNT(*) FROM fu_plots p WHERE p.cemetery_id = f.id),"
                     " (SELECT COUNT(*) FROM fu_plots p WHERE p.cemetery_id = f.id AND"
                     " p.sold_on IS NOT NULL)"
                     " FROM fu_facilities f WHERE f.county_code = :c ORDER BY f.code",
       soci::use(today), soci::use(today), soci::use(request.county()));
  json list = json::array();
  for (const auto& row : rows) {
    json item = {
        {"code", sdk::sql::textAt(row, 0)},      {"kind", sdk::sql::textAt(row, 1)},
        {"name", sdk::sql::textAt(row, 2)},      {"township", sdk::sql::textAt(row, 3)},
        {"furnaces", sdk::sql::int64At(row, 4)}, {"approved", sdk::sql::int64At(row, 8) > 0},
        {"plots", sdk::sql::int64At(row, 9)},    {"plots_sold", sdk::sql::int64At(row, 10)}};
    if (auto type = sdk::sql::optionalTextAt(row, 5)) item["cemetery_type"] = *type;
    if (auto area = sdk::sql::optionalInt64At(row, 6)) item["area_m2"] = siteAreaText(*area);
    if (auto planned = sdk::sql::optionalInt64At(row, 7)) item["plots_planned"] = *planned;
    list.push_back(item);
  }
  return sdk::Response::ok({{"facilities", list}});
}

sdk::Response FuneralPlugin::setZone(sdk::Request& request) {
  auto& db = request.db();
  const json& body = request.body();
  const std::string township = body["township"], zone = body["zone"], document = body["document"];
  const auto from = dateOf(body["effective_from"]);
  if (from < request.today())
    throw sdk::ValidationError("effective_from", "not-in-past",
                               "a zone takes effect today or later; the past stays as it was");
  const std::string from_text = from.toString();
  long long existing = 0;
  db << "SELECT COUNT(*) FROM fu_zones WHERE county_code = :c AND township = :t AND "
        "effective_from = :f",
      soci::into(existing), soci::use(request.county()), soci::use(township), soci::use(from_text);
  if (existing > 0)
    throw sdk::ValidationError("effective_from", "one-setting-per-date",
                               "township " + township + " already has a zone from " + from_text);
  db << "INSERT INTO fu_zones (county_code, township, zone, effective_from, document) VALUES"
        " (:c, :t, :z, :f, :d)",
      soci::use(request.county()), soci::use(township), soci::use(zone), soci::use(from_text),
      soci::use(document);
  request.audit({sizeof(sdk::AuditRecord), "zone.set", "township", township,
                 sdk::changedFields(nullptr, body)});
  return sdk::Response::created(body, "/zones");
}

sdk::Response FuneralPlugin::createPlot(sdk::Request& request) {
  auto& db = request.db();
  const auto cemetery = facility(db, request.county(), request.pathParam("code"));
  if (cemetery.kind != "cemetery")
    throw sdk::ValidationError("code", "cemetery", "plots belong to a cemetery");
  const json& body = request.body();
  const std::string kind = body["kind"], number = body["number"];
  const auto area = parsePlotArea(body["area_m2"].get<std::string>());
  if (!area)
    throw sdk::ValidationError("area_m2", "area", "an area in m² with at most two decimals");
  // The local limit (never above the national one: the parameter's maximum is that limit).
  const auto& local_limit = plotMaxArea(kind);
  const auto local = context_->policy().get(local_limit, request.county(), request.today());
  const int limit =
      std::min(nationalPlotLimit(kind), static_cast<int>(local.millionths() / 10'000));
  if (*area > limit)
    throw sdk::ValidationError("area_m2", local_limit.key,
                               "a " + kind + " plot may be at most " + plotAreaText(limit) +
                                   " m² here (national limit " +
                                   plotAreaText(nationalPlotLimit(kind)) + " m²)");
  const long long cemetery_id = cemetery.id;
  long long existing = 0;
  db << "SELECT COUNT(*) FROM fu_plots WHERE cemetery_id = :c AND number = :n",
      soci::into(existing), soci::use(cemetery_id), soci::use(number);
  if (existing > 0)
    throw sdk::ValidationError("number", "unique-plot", "plot " + number + " exists");
  const int hundredths = *area;
  long long id = 0;
  db << "INSERT INTO fu_plots (cemetery_id, number, kind, area_hundredths) VALUES (:c, :n, :k,"
        " :a) RETURNING id",
      soci::use(cemetery_id), soci::use(number), soci::use(kind), soci::use(hundredths),
      soci::into(id);
  request.audit({sizeof(sdk::AuditRecord), "plot.create", "plot", std::to_string(id),
                 sdk::changedFields(nullptr, body)});
  return sdk::Response::created(
      {{"id", id}, {"number", number}, {"kind", kind}, {"area_m2", plotAreaText(hundredths)}},
      "/plots/" + std::to_string(id));
}

sdk::Response FuneralPlugin::sellPlot(sdk::Request& request) {
  auto& db = request.db();
  const long long plot_id = request.pathId("id");
  const json& body = request.body();
  std::string cemetery_code;
  soci::indicator sold_present = soci::i_null;
  std::string sold_on_before;
  db << "SELECT f.code, p.sold_on FROM fu_plots p JOIN fu_facilities f ON f.id = p.cemetery_id"
        " WHERE p.id = :p AND f.county_code = :c",
      soci::into(cemetery_code), soci::into(sold_on_before, sold_present), soci::use(plot_id),
      soci::use(request.county());
  if (!db.got_data()) throw sdk::NotFound("no plot " + std::to_string(plot_id));
  if (sold_present == soci::i_ok)
    throw sdk::Conflict("plot " + std::to_string(plot_id) + " was sold on " + sold_on_before);
  const auto cemetery = facility(db, request.county(), cemetery_code);
  const auto sold_on = body.contains("sold_on") ? dateOf(body["sold_on"]) : request.today();
  if (sold_on > request.today())
    throw sdk::ValidationError("sold_on", "not-in-future", "the sale date is after today");
  requireApproved(db, cemetery, sold_on, "plot_id");
  long long death_id = body.value("death_id", 0LL);
  soci::indicator death_present = body.contains("death_id") ? soci::i_ok : soci::i_null;
  if (body.contains("death_id")) {
    std::string county;
    db << "SELECT county_code FROM fu_deaths WHERE id = :d", soci::into(county),
        soci::use(death_id);
    if (!db.got_data() || county != request.county())
      throw sdk::ValidationError("death_id", "known-death", "no such death registration here");
  }
  const auto years =
      static_cast<int>(context_->policy().get(kPlotUseYears, request.county(), sold_on));
  const std::string sold_text = sold_on.toString(), until = plotUseUntil(sold_on, years).toString(),
                    holder = body["holder"];
  const auto price = sdk::Money::parse(body["price"].get<std::string>());
  const long long price_fen = price->fen();
  db << "UPDATE fu_plots SET sold_on = :s, use_until = :u, holder = :h, death_id = :d,"
        " price_fen = :p WHERE id = :id",
      soci::use(sold_text), soci::use(until), soci::use(holder), soci::use(death_id, death_present),
      soci::use(price_fen), soci::use(plot_id);
  request.audit({sizeof(sdk::AuditRecord),
                 "plot.sell",
                 "plot",
                 std::to_string(plot_id),
                 {{"sold_on", {{"old", nullptr}, {"new", sold_text}}},
                  {"use_until", {{"old", nullptr}, {"new", until}}},
                  {"holder", {{"old", nullptr}, {"new", holder}}}}});
  return sdk::Response::ok({{"id", plot_id},
                            {"sold_on", sold_text},
                            {"use_until", until},
                            {"use_years", years},
                            {"holder", holder},
                            {"price", price->toString()}});
}

sdk::Response FuneralPlugin::recordViolation(sdk::Request& request) {
  auto& db = request.db();
  const json& body = request.body();
  const auto found_on = dateOf(body["found_on"]);
  if (found_on > request.today())
    throw sdk::ValidationError("found_on", "not-in-future", "the date is after today");
  const std::string kind = body["kind"], location = body["location"], township = body["township"],
                    description = body["description"], found_text = found_on.toString();
  long long id = 0;
  db << "INSERT INTO fu_violations (county_code, kind, location, township, found_on,"
        " description, status) VALUES (:c, :k, :l, :t, :f, :d, 'open') RETURNING id",
      soci::use(request.county()), soci::use(kind), soci::use(location), soci::use(township),
      soci::use(found_text), soci::use(description), soci::into(id);
  request.audit({sizeof(sdk::AuditRecord), "violation.record", "violation", std::to_string(id),
                 sdk::changedFields(nullptr, body)});
  return sdk::Response::created({{"id", id}, {"status", "open"}},
                                "/violations/" + std::to_string(id));
}

sdk::Response FuneralPlugin::updateViolation(sdk::Request& request) {
  auto& db = request.db();
  const long long id = request.pathId("id");
  std::string status, county;
  db << "SELECT status, county_code FROM fu_violations WHERE id = :id", soci::into(status),
      soci::into(county), soci::use(id);
  if (!db.got_data() || county != request.county())
    throw sdk::NotFound("no violation " + std::to_string(id));
  if (status == "closed") throw sdk::Conflict("violation " + std::to_string(id) + " is closed");
  const json& body = request.body();
  const std::string next = body["status"], note = body["note"], today = request.today().toString();
  db << "UPDATE fu_violations SET status = :s WHERE id = :id", soci::use(next), soci::use(id);
  if (next == "closed")
    db << "UPDATE fu_violations SET closed_on = :d WHERE id = :id", soci::use(today), soci::use(id);
  db << "INSERT INTO fu_violation_steps (violation_id, status, on_date, note, by_user) VALUES"
        " (:v, :s, :d, :n, :u)",
      soci::use(id), soci::use(next), soci::use(today), soci::use(note),
      soci::use(request.caller().user);
  request.audit({sizeof(sdk::AuditRecord),
                 "violation.enforce",
                 "violation",
                 std::to_string(id),
                 {{"status", {{"old", status}, {"new", next}}}}});
  return sdk::Response::ok({{"id", id},
                            {"status", next},
                            {"closed_on", next == "closed" ? json(today) : json(nullptr)}});
}

sdk::Response FuneralPlugin::listViolations(sdk::Request& request) {
  auto& db = request.db();
  const std::string status = request.queryParam("status").value_or("");
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT id, kind, location, township, found_on, description, status,"
                     " closed_on FROM fu_violations WHERE county_code = :c AND (:s1 = '' OR "
                     "status = :s2) ORDER BY id",
       soci::use(request.county()), soci::use(status), soci::use(status));
  json list = json::array();
  for (const auto& row : rows)
    list.push_back(
        {{"id", sdk::sql::int64At(row, 0)},
         {"kind", sdk::sql::textAt(row, 1)},
         {"location", sdk::sql::textAt(row, 2)},
         {"township", sdk::sql::textAt(row, 3)},
         {"found_on", sdk::sql::textAt(row, 4)},
         {"description", sdk::sql::textAt(row, 5)},
         {"status", sdk::sql::textAt(row, 6)},
         // null until closed, as POST /violations/{id}/enforcement answers it
         {"closed_on", sdk::sql::optionalTextAt(row, 7) ? json(*sdk::sql::optionalTextAt(row, 7))
                                                        : json(nullptr)}});
  return sdk::Response::ok({{"violations", list}});
}

}  // namespace civ::plugins::funeral
