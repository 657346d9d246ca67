// Facilities with their approvals, cremation zones by township, cemetery plots, violations.
#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/context.h>
#include <civ/sdk/correction.h>
#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/list.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/policy.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/sql_json.h>

#include "funeral_plugin.h"
#include "funeral_rules.h"
#include "parameters.h"

namespace civ::plugins::funeral {

namespace {

using nlohmann::json;

sdk::Date dateOf(const json& value) { return *sdk::Date::parse(value.get<std::string>()); }

/// "An approval of facility f is in force on `today`", with today bound.
std::string approvalInForce(sdk::ListQuery& query, const std::string& today) {
  return "a.approved_on <= " + query.text(today) +
         " AND (a.valid_until IS NULL OR a.valid_until >= " + query.text(today) + ")";
}

/// The facilities `query` selects, as GET /facilities answers them: the approval in force on
/// `today`, plots and plots sold. `tail` follows the WHERE clause (keyset, order, limit).
json facilityItems(soci::session& db, sdk::ListQuery& query, const std::string& today,
                   const std::string& tail, std::vector<std::int64_t>& ids) {
  const std::string approvals =
      "(SELECT COUNT(*) FROM fu_approvals a WHERE a.facility_id = f.id AND " +
      approvalInForce(query, today) + ")";
  soci::rowset<soci::row> rows =
      query.rows(db,
                 "SELECT f.id, f.code, f.kind, f.name, f.township, f.furnaces, f.cemetery_type,"
                 " f.area_hundredths, f.plots_planned, " +
                     approvals +
                     ", (SELECT COUNT(*) FROM fu_plots p WHERE p.cemetery_id = f.id),"
                     " (SELECT COUNT(*) FROM fu_plots p WHERE p.cemetery_id = f.id AND"
                     " p.sold_on IS NOT NULL) FROM fu_facilities f" +
                     query.clause() + tail);
  json items = json::array();
  for (const auto& row : rows) {
    json item = sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                                 {"code", sdk::sql::textAt(row, 1)},
                                 {"kind", sdk::sql::textAt(row, 2)},
                                 {"name", sdk::sql::textAt(row, 3)},
                                 {"township", sdk::sql::textAt(row, 4)},
                                 {"furnaces", sdk::sql::int64At(row, 5)},
                                 {"approved", sdk::sql::int64At(row, 9) > 0},
                                 {"plots", sdk::sql::int64At(row, 10)},
                                 {"plots_sold", sdk::sql::int64At(row, 11)}});
    if (auto type = sdk::sql::optionalTextAt(row, 6)) item["cemetery_type"] = *type;
    if (auto area = sdk::sql::optionalInt64At(row, 7))
      item["area_m2"] = Area::fromHundredths(*area).toString();
    if (auto planned = sdk::sql::optionalInt64At(row, 8)) item["plots_planned"] = *planned;
    items.push_back(item);
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return items;
}

/// The plots `query` selects, as GET /plots answers them. `tail` follows the WHERE clause.
json plotItems(soci::session& db, sdk::ListQuery& query, const std::string& tail,
               std::vector<std::int64_t>& ids) {
  soci::rowset<soci::row> rows = query.rows(
      db,
      "SELECT p.id, p.number, p.kind, p.area_hundredths, f.code, p.sold_on, p.use_until,"
      " p.holder, p.death_id FROM fu_plots p JOIN fu_facilities f ON f.id = p.cemetery_id" +
          query.clause() + tail);
  json items = json::array();
  for (const auto& row : rows) {
    const auto sold_on = sdk::sql::optionalTextAt(row, 5);
    items.push_back(
        sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                         {"number", sdk::sql::textAt(row, 1)},
                         {"kind", sdk::sql::textAt(row, 2)},
                         {"area_m2", Area::fromHundredths(sdk::sql::int64At(row, 3)).toString()},
                         {"cemetery_code", sdk::sql::textAt(row, 4)},
                         {"status", sold_on ? "sold" : "available"},
                         {"sold_on", sold_on ? json(*sold_on) : json(nullptr)},
                         {"use_until", sdk::sql::textOrNullAt(row, 6)},
                         {"holder", sdk::sql::textOrNullAt(row, 7)},
                         {"death_id", sdk::sql::int64OrNullAt(row, 8)}}));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return items;
}

/// A PATCH body names at least one field (the schema cannot say so): 400 on "(body)".

}  // namespace

sdk::Response FuneralPlugin::createFacility(sdk::Request& request) {
  auto& db = request.db();
  const json& body = request.body();
  const std::string code = body["code"], kind = body["kind"], name = body["name"],
                    township = body["township"];
  sdk::requireTownship(request.caller(), township, "facility " + code);
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
    area = parsed->hundredths();
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
  const auto found = facilityAt(db, request.county(), request.pathParam("code"));
  sdk::requireTownship(request.caller(), found.township, "facility " + found.code);
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
  const auto page = sdk::ListRequest::from(request, kFacilityList);
  const std::string today = request.today().toString();
  sdk::ListQuery query("f.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "f.township"));
  if (auto kind = request.queryParam("kind")) query.add("f.kind = " + query.text(*kind));
  if (auto township = request.queryParam("township"))
    query.add("f.township = " + query.text(*township));
  if (auto approved = request.queryParam("approved"))
    query.add(std::string(*approved == "true" ? "EXISTS" : "NOT EXISTS") +
              " (SELECT 1 FROM fu_approvals a WHERE a.facility_id = f.id AND " +
              approvalInForce(query, today) + ")");
  const auto total = query.count(*lists_, db, " FROM fu_facilities f");
  std::vector<std::int64_t> ids;
  json items = facilityItems(db, query, today,
                             " AND " + page.keysetCondition("f.id") +
                                 page.orderAndLimit({{"id", "f.id"},
                                                     {"code", "f.code"},
                                                     {"name", "f.name"},
                                                     {"kind", "f.kind"},
                                                     {"township", "f.township"}}),
                             ids);
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response FuneralPlugin::correctFacility(sdk::Request& request) {
  auto& db = request.db();
  const auto found = facilityAt(db, request.county(), request.pathParam("code"));
  const std::string what = "facility " + found.code;
  sdk::requireTownship(request.caller(), found.township, what);
  const json& body = request.body();
  sdk::requireSomeField(body, "name, township, furnaces, area_m2, plots_planned");
  const long long key = found.id;
  std::string name, township;
  int furnaces = 0, plots = 0;
  long long area = 0;
  soci::indicator area_present = soci::i_null, plots_present = soci::i_null;
  db << "SELECT name, township, furnaces, area_hundredths, plots_planned FROM fu_facilities"
        " WHERE id = :id",
      soci::into(name), soci::into(township), soci::into(furnaces), soci::into(area, area_present),
      soci::into(plots, plots_present), soci::use(key);
  // What was typed, before and after, as the facility answers it.
  const json before = {
      {"name", name},
      {"township", township},
      {"furnaces", furnaces},
      {"area_m2",
       area_present == soci::i_ok ? json(Area::fromHundredths(area).toString()) : json(nullptr)},
      {"plots_planned", plots_present == soci::i_ok ? json(plots) : json(nullptr)}};
  if (body.contains("name")) name = body["name"];
  if (body.contains("township")) {
    township = body["township"];
    sdk::requireTownship(request.caller(), township, what);
  }
  if (body.contains("furnaces")) {
    furnaces = body["furnaces"];
    if (furnaces > 0 && found.kind != "crematorium" && found.kind != "funeral_home")
      throw sdk::ValidationError(
          "furnaces", "furnaces-at-crematoria",
          "only a funeral home or crematorium has furnaces; " + found.code + " is a " + found.kind);
  }
  if (body.contains("area_m2")) {
    const auto parsed = parseSiteArea(body["area_m2"].get<std::string>());
    if (!parsed)
      throw sdk::ValidationError("area_m2", "area",
                                 "a site area in m² with at most two decimals, above 0 and at most "
                                 "10,000,000");
    area = parsed->hundredths();
    area_present = soci::i_ok;
  }
  if (body.contains("plots_planned")) {
    plots = body["plots_planned"];
    plots_present = soci::i_ok;
  }
  const json after = {
      {"name", name},
      {"township", township},
      {"furnaces", furnaces},
      {"area_m2",
       area_present == soci::i_ok ? json(Area::fromHundredths(area).toString()) : json(nullptr)},
      {"plots_planned", plots_present == soci::i_ok ? json(plots) : json(nullptr)}};
  const json changes = sdk::changedFields(before, after);
  if (changes.empty()) sdk::refuseUnchanged(body);
  db << "UPDATE fu_facilities SET name = :n, township = :t, furnaces = :f, area_hundredths = :a,"
        " plots_planned = :p WHERE id = :id",
      soci::use(name), soci::use(township), soci::use(furnaces), soci::use(area, area_present),
      soci::use(plots, plots_present), soci::use(key);
  request.audit({sizeof(sdk::AuditRecord), "facility.correct", "facility", found.code, changes});
  sdk::ListQuery query("f.county_code", request.county());
  query.add("f.id = " + query.number(key));
  std::vector<std::int64_t> ids;
  const json items = facilityItems(db, query, request.today().toString(), "", ids);
  return sdk::Response::ok(items.at(0));
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
  const auto cemetery = facilityAt(db, request.county(), request.pathParam("code"));
  sdk::requireTownship(request.caller(), cemetery.township, "cemetery " + cemetery.code);
  if (cemetery.kind != "cemetery")
    throw sdk::ValidationError("code", "cemetery", "plots belong to a cemetery");
  // Plots are laid out only in a cemetery approved today (殡葬管理条例 §8).
  requireApproved(db, cemetery, request.today(), "code");
  const json& body = request.body();
  const std::string kind = body["kind"], number = body["number"];
  const auto area = parsePlotArea(body["area_m2"].get<std::string>());
  if (!area)
    throw sdk::ValidationError("area_m2", "area", "an area in m² with at most two decimals");
  checkPlotArea(request, kind, *area, "area_m2");
  const long long cemetery_id = cemetery.id;
  long long existing = 0;
  db << "SELECT COUNT(*) FROM fu_plots WHERE cemetery_id = :c AND number = :n",
      soci::into(existing), soci::use(cemetery_id), soci::use(number);
  if (existing > 0)
    throw sdk::ValidationError("number", "unique-plot", "plot " + number + " exists");
  const long long hundredths = area->hundredths();
  long long id = 0;
  db << "INSERT INTO fu_plots (cemetery_id, number, kind, area_hundredths) VALUES (:c, :n, :k,"
        " :a) RETURNING id",
      soci::use(cemetery_id), soci::use(number), soci::use(kind), soci::use(hundredths),
      soci::into(id);
  request.audit({sizeof(sdk::AuditRecord), "plot.create", "plot", std::to_string(id),
                 sdk::changedFields(nullptr, body)});
  return sdk::Response::created(
      {{"id", id}, {"number", number}, {"kind", kind}, {"area_m2", area->toString()}},
      "/plots/" + std::to_string(id));
}

void FuneralPlugin::checkPlotArea(const sdk::Request& request, const std::string& kind, Area area,
                                  const std::string& field) const {
  // The local limit (never above the national one: the parameter's maximum is that limit).
  const auto& local_limit = plotMaxArea(kind);
  const Area limit =
      plotAreaLimit(kind, context_->policy().get(local_limit, request.county(), request.today()));
  if (area > limit)
    throw sdk::ValidationError(field, local_limit.key,
                               "a " + kind + " plot may be at most " + limit.toString() +
                                   " m² here (national limit " +
                                   nationalPlotLimit(kind).toString() + " m²)");
}

sdk::Response FuneralPlugin::listPlots(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kPlotList);
  sdk::ListQuery query("f.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "f.township"));
  if (auto cemetery = request.queryParam("cemetery"))
    query.add("f.code = " + query.text(*cemetery));
  if (auto status = request.queryParam("status"))
    query.add(*status == "sold" ? "p.sold_on IS NOT NULL" : "p.sold_on IS NULL");
  if (auto kind = request.queryParam("kind")) query.add("p.kind = " + query.text(*kind));
  const auto total =
      query.count(*lists_, db, " FROM fu_plots p JOIN fu_facilities f ON f.id = p.cemetery_id");
  std::vector<std::int64_t> ids;
  json items = plotItems(db, query,
                         " AND " + page.keysetCondition("p.id") +
                             page.orderAndLimit({{"id", "p.id"}, {"number", "p.number"}}),
                         ids);
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response FuneralPlugin::correctPlot(sdk::Request& request) {
  auto& db = request.db();
  const long long plot_id = request.pathId("id");
  std::string number, kind, holder, township;
  long long area = 0, cemetery_id = 0, dispositions = 0;
  soci::indicator sold_present = soci::i_null, holder_present = soci::i_null;
  std::string sold_on;
  db << "SELECT p.number, p.kind, p.area_hundredths, p.sold_on, p.holder, f.id, f.township,"
        " (SELECT COUNT(*) FROM fu_dispositions x WHERE x.plot_id = p.id) FROM fu_plots p"
        " JOIN fu_facilities f ON f.id = p.cemetery_id WHERE p.id = :p AND f.county_code = :c",
      soci::into(number), soci::into(kind), soci::into(area), soci::into(sold_on, sold_present),
      soci::into(holder, holder_present), soci::into(cemetery_id), soci::into(township),
      soci::into(dispositions), soci::use(plot_id), soci::use(request.county());
  if (!db.got_data())
    throw sdk::NotFound("no plot " + std::to_string(plot_id) + " in county " + request.county());
  const std::string what = "plot " + std::to_string(plot_id);
  sdk::requireTownship(request.caller(), township, what);
  const json& body = request.body();
  sdk::requireSomeField(body, "number, kind, area_m2, holder");
  const json before = {{"number", number},
                       {"kind", kind},
                       {"area_m2", Area::fromHundredths(area).toString()},
                       {"holder", holder_present == soci::i_ok ? json(holder) : json(nullptr)}};
  if (body.contains("number") && body["number"] != number) {
    number = body["number"];
    long long taken = 0;
    db << "SELECT COUNT(*) FROM fu_plots WHERE cemetery_id = :c AND number = :n AND id <> :p",
        soci::into(taken), soci::use(cemetery_id), soci::use(number), soci::use(plot_id);
    if (taken > 0)
      throw sdk::ValidationError("number", "unique-plot", "plot " + number + " exists");
  }
  if (body.contains("kind") && body["kind"] != kind) {
    if (dispositions > 0)
      throw sdk::Conflict(what + " holds a burial; its kind (" + kind + ") cannot change");
    kind = body["kind"];
  }
  if (body.contains("area_m2")) {
    const auto parsed = parsePlotArea(body["area_m2"].get<std::string>());
    if (!parsed)
      throw sdk::ValidationError("area_m2", "area", "an area in m² with at most two decimals");
    area = parsed->hundredths();
  }
  if (body.contains("area_m2") || body.contains("kind"))
    checkPlotArea(request, kind, Area::fromHundredths(area),
                  body.contains("area_m2") ? "area_m2" : "kind");
  if (body.contains("holder")) {
    if (sold_present != soci::i_ok)
      throw sdk::Conflict(what + " is not sold: it has no holder to correct");
    holder = body["holder"];
  }
  const json after = {{"number", number},
                      {"kind", kind},
                      {"area_m2", Area::fromHundredths(area).toString()},
                      {"holder", holder_present == soci::i_ok ? json(holder) : json(nullptr)}};
  const json changes = sdk::changedFields(before, after);
  if (changes.empty()) sdk::refuseUnchanged(body);
  db << "UPDATE fu_plots SET number = :n, kind = :k, area_hundredths = :a, holder = :h"
        " WHERE id = :id",
      soci::use(number), soci::use(kind), soci::use(area), soci::use(holder, holder_present),
      soci::use(plot_id);
  request.audit(
      {sizeof(sdk::AuditRecord), "plot.correct", "plot", std::to_string(plot_id), changes});
  sdk::ListQuery query("f.county_code", request.county());
  query.add("p.id = " + query.number(plot_id));
  std::vector<std::int64_t> ids;
  return sdk::Response::ok(plotItems(db, query, "", ids).at(0));
}

sdk::Response FuneralPlugin::sellPlot(sdk::Request& request) {
  auto& db = request.db();
  const long long plot_id = request.pathId("id");
  const json& body = request.body();
  std::string cemetery_code, cemetery_township;
  soci::indicator sold_present = soci::i_null;
  std::string sold_on_before;
  db << "SELECT f.code, f.township, p.sold_on FROM fu_plots p JOIN fu_facilities f ON f.id ="
        " p.cemetery_id WHERE p.id = :p AND f.county_code = :c",
      soci::into(cemetery_code), soci::into(cemetery_township),
      soci::into(sold_on_before, sold_present), soci::use(plot_id), soci::use(request.county());
  if (!db.got_data()) throw sdk::NotFound("no plot " + std::to_string(plot_id));
  sdk::requireTownship(request.caller(), cemetery_township, "plot " + std::to_string(plot_id));
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
    std::string county, death_township;
    db << "SELECT county_code, township FROM fu_deaths WHERE id = :d", soci::into(county),
        soci::into(death_township), soci::use(death_id);
    if (!db.got_data() || county != request.county())
      throw sdk::ValidationError("death_id", "known-death", "no such death registration here");
    sdk::requireTownship(request.caller(), death_township, "death " + std::to_string(death_id));
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
  sdk::requireTownship(request.caller(), township, "the violation");
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
  std::string status, county, township;
  db << "SELECT status, county_code, township FROM fu_violations WHERE id = :id",
      soci::into(status), soci::into(county), soci::into(township), soci::use(id);
  if (!db.got_data() || county != request.county())
    throw sdk::NotFound("no violation " + std::to_string(id));
  sdk::requireTownship(request.caller(), township, "violation " + std::to_string(id));
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
  const auto page = sdk::ListRequest::from(request, kViolationList);
  sdk::ListQuery query("v.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "v.township"));
  if (auto status = request.queryParam("status")) query.add("v.status = " + query.text(*status));
  if (auto kind = request.queryParam("kind")) query.add("v.kind = " + query.text(*kind));
  if (auto township = request.queryParam("township"))
    query.add("v.township = " + query.text(*township));
  const std::string table = " FROM fu_violations v";
  const auto total = query.count(*lists_, db, table);
  soci::rowset<soci::row> rows =
      query.rows(db,
                 "SELECT v.id, v.kind, v.location, v.township, v.found_on, v.description, v.status,"
                 " v.closed_on" +
                     table + query.clause() + " AND " + page.keysetCondition("v.id") +
                     page.orderAndLimit({{"id", "v.id"}, {"found_on", "v.found_on"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    items.push_back(
        sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                         {"kind", sdk::sql::textAt(row, 1)},
                         {"location", sdk::sql::textAt(row, 2)},
                         {"township", sdk::sql::textAt(row, 3)},
                         {"found_on", sdk::sql::textAt(row, 4)},
                         {"description", sdk::sql::textAt(row, 5)},
                         {"status", sdk::sql::textAt(row, 6)},
                         // null until closed, as POST /violations/{id}/enforcement answers it
                         {"closed_on", sdk::sql::textOrNullAt(row, 7)}}));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

}  // namespace civ::plugins::funeral
