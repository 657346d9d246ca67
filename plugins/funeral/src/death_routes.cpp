// Death registration and its corrections (the platform learns of deaths here), and the services
// that follow: collection, storage, cremation, ash disposition.
#include <cstdio>

#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/context.h>
#include <civ/sdk/error.h>
#include <civ/sdk/events.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/list.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/persons.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/sql_json.h>

#include "funeral_plugin.h"

namespace civ::plugins::funeral {

namespace {

using nlohmann::json;

struct DeathRow {
  std::int64_t id = 0;
  std::string county;
  std::string number;
  std::optional<std::int64_t> person_id;
  sdk::Date death_date;
  std::string township;
};

DeathRow deathInCounty(soci::session& db, std::int64_t id, const std::string& county) {
  const long long key = id;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT county_code, number, person_id, death_date, township FROM fu_deaths"
                     " WHERE id = :id",
       soci::use(key));
  for (const auto& row : rows) {
    if (sdk::sql::textAt(row, 0) != county) break;
    return {id,
            county,
            sdk::sql::textAt(row, 1),
            sdk::sql::optionalInt64At(row, 2),
            *sdk::Date::parse(sdk::sql::textAt(row, 3)),
            sdk::sql::textAt(row, 4)};
  }
  throw sdk::NotFound("no death registration " + std::to_string(id) + " in county " + county);
}

/// The death the path names, in the request's county and the caller's townships (Forbidden,
/// naming the township, for another township's death).
DeathRow deathInScope(sdk::Request& request) {
  const auto id = request.pathId("id");
  auto death = deathInCounty(request.db(), id, request.county());
  sdk::requireTownship(request.caller(), death.township, "death " + std::to_string(id));
  return death;
}

std::string nextDeathNumber(soci::session& db, const std::string& county, int year) {
  long long sequence = 0;
  db << "INSERT INTO fu_counters (county_code, year, last_value) VALUES (:c, :y, 1)"
        " ON CONFLICT (county_code, year) DO UPDATE SET last_value = fu_counters.last_value + 1"
        " RETURNING last_value",
      soci::use(county), soci::use(year), soci::into(sequence);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "SW%s-%04d-%06lld", county.c_str(), year, sequence);
  return buffer;
}

/// The date checks of a death, with the rule named: not in the future, not before birth.
void checkDeathDate(sdk::Date death_date, sdk::Date today, const sdk::Person* person,
                    const char* field) {
  if (death_date > today)
    throw sdk::ValidationError(
        field, "death-date-not-in-future",
        "the death date " + death_date.toString() + " is after today " + today.toString());
  if (person && death_date < person->birth_date)
    throw sdk::ValidationError(field, "death-date-after-birth",
                               "the death date " + death_date.toString() +
                                   " is before the birth date " + person->birth_date.toString());
}

bool hasCremation(soci::session& db, std::int64_t death_id) {
  const long long key = death_id;
  long long count = 0;
  db << "SELECT COUNT(*) FROM fu_services WHERE death_id = :d AND kind = 'cremation'",
      soci::into(count), soci::use(key);
  return count > 0;
}

}  // namespace

json FuneralPlugin::deathJson(soci::session& db, std::int64_t id) const {
  const long long key = id;
  json body;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT d.number, d.person_id, p.citizen_id, p.name, d.unidentified_case,"
                     " d.death_date, d.place, d.township, d.manner, d.certificate_number,"
                     " d.certificate_issuer, d.registered_on FROM fu_deaths d LEFT JOIN "
                     "civ_persons p ON p.id = d.person_id WHERE d.id = :id",
       soci::use(key));
  for (const auto& row : rows) {
    body = {{"id", id},
            {"number", sdk::sql::textAt(row, 0)},
            {"person_id", sdk::sql::int64OrNullAt(row, 1)},
            {"citizen_id", sdk::sql::textOrNullAt(row, 2)},
            {"name", sdk::sql::textOrNullAt(row, 3)},
            {"unidentified_case", sdk::sql::textOrNullAt(row, 4)},
            {"death_date", sdk::sql::textAt(row, 5)},
            {"place", sdk::sql::textAt(row, 6)},
            {"township", sdk::sql::textAt(row, 7)},
            {"manner", sdk::sql::textAt(row, 8)},
            {"certificate_number", sdk::sql::textAt(row, 9)},
            {"certificate_issuer", sdk::sql::textAt(row, 10)},
            {"registered_on", sdk::sql::textAt(row, 11)}};
  }
  if (body.is_null()) throw sdk::NotFound("no death registration " + std::to_string(id));
  json services = json::array();
  soci::rowset<soci::row> done =
      (db.prepare << "SELECT s.kind, f.code, s.on_date, s.vehicle, s.distance_km, s.storage_days,"
                     " s.certificate_number FROM fu_services s JOIN fu_facilities f ON f.id ="
                     " s.facility_id WHERE s.death_id = :id ORDER BY s.id",
       soci::use(key));
  for (const auto& row : done) {
    json service = sdk::jsonObject({{"kind", sdk::sql::textAt(row, 0)},
                                    {"facility_code", sdk::sql::textAt(row, 1)},
                                    {"on_date", sdk::sql::textAt(row, 2)}});
    if (auto v = sdk::sql::optionalTextAt(row, 3)) service["vehicle"] = *v;
    if (auto v = sdk::sql::optionalInt64At(row, 4)) service["distance_km"] = *v;
    if (auto v = sdk::sql::optionalInt64At(row, 5)) service["storage_days"] = *v;
    if (auto v = sdk::sql::optionalTextAt(row, 6)) service["certificate_number"] = *v;
    services.push_back(service);
  }
  body["services"] = services;
  soci::rowset<soci::row> disposition =
      (db.prepare << "SELECT kind, green_type, plot_id, on_date FROM fu_dispositions WHERE "
                     "death_id = :id",
       soci::use(key));
  body["disposition"] = nullptr;
  for (const auto& row : disposition) {
    body["disposition"] = {{"kind", sdk::sql::textAt(row, 0)},
                           {"on_date", sdk::sql::textAt(row, 3)}};
    if (auto v = sdk::sql::optionalTextAt(row, 1)) body["disposition"]["green_type"] = *v;
    if (auto v = sdk::sql::optionalInt64At(row, 2)) body["disposition"]["plot_id"] = *v;
  }
  soci::rowset<soci::row> exemption =
      (db.prepare << "SELECT category, basis, evidence, note, exempt_fen, charged_fen, items FROM"
                     " fu_exemptions WHERE death_id = :id",
       soci::use(key));
  body["exemption"] = nullptr;
  for (const auto& row : exemption)
    body["exemption"] = {{"category", sdk::sql::textAt(row, 0)},
                         {"basis", sdk::sql::textAt(row, 1)},
                         {"evidence", sdk::sql::textAt(row, 2)},
                         {"note", sdk::sql::textAt(row, 3)},
                         {"exempt", sdk::Money::fromFen(sdk::sql::int64At(row, 4)).toString()},
                         {"charged", sdk::Money::fromFen(sdk::sql::int64At(row, 5)).toString()},
                         {"items", json::parse(sdk::sql::textAt(row, 6))}};
  return body;
}

sdk::Response FuneralPlugin::listDeaths(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kDeathList);
  sdk::ListQuery query("d.county_code", request.county());
  query.addPeriod(request, "d.death_date", "death_from", "death_to");
  query.add(sdk::townshipCondition(request.caller(), "d.township"));
  if (auto township = request.queryParam("township"))
    query.add("d.township = " + query.text(*township));
  if (auto citizen_id = request.queryParam("citizen_id"))
    query.add("p.citizen_id = " + query.text(*citizen_id));
  if (auto name = request.queryParam("name")) query.add("p.name " + query.containing(*name));
  // The cremations (or collections, storages) a facility performed: deaths with that service.
  const auto service = request.queryParam("service");
  const auto facility = request.queryParam("facility");
  if (facility && !service)
    throw sdk::ValidationError("facility", "with-service",
                               "name the service the facility performed: ?service=cremation", 400);
  if (service)
    query.add("EXISTS (SELECT 1 FROM fu_services s" +
              std::string(facility ? " JOIN fu_facilities f ON f.id = s.facility_id" : "") +
              " WHERE s.death_id = d.id AND s.kind = " + query.text(*service) +
              (facility ? " AND f.code = " + query.text(*facility) : std::string()) + ")");
  if (auto disposition = request.queryParam("disposition")) {
    if (*disposition == "pending")
      query.add("x.id IS NULL");
    else if (*disposition == "disposed")
      query.add("x.id IS NOT NULL");
    else
      query.add("x.kind = " + query.text(*disposition));
  }
  const std::string tables =
      " FROM fu_deaths d LEFT JOIN civ_persons p ON p.id = d.person_id"
      " LEFT JOIN fu_dispositions x ON x.death_id = d.id";
  const auto total = query.count(*lists_, db, tables);
  soci::rowset<soci::row> rows =
      query.rows(db,
                 "SELECT d.id, d.number, d.person_id, p.citizen_id, p.name, d.unidentified_case,"
                 " d.death_date, d.place, d.township, d.manner, d.registered_on, x.kind, x.on_date,"
                 " (SELECT COUNT(*) FROM fu_services s WHERE s.death_id = d.id AND s.kind ="
                 " 'cremation')" +
                     tables + query.clause() + " AND " + page.keysetCondition("d.id") +
                     page.orderAndLimit(
                         {{"id", "d.id"}, {"death_date", "d.death_date"}, {"number", "d.number"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    const auto disposition = sdk::sql::optionalTextAt(row, 11);
    items.push_back(sdk::jsonObject(
        {{"id", sdk::sql::int64At(row, 0)},
         {"number", sdk::sql::textAt(row, 1)},
         {"person_id", sdk::sql::int64OrNullAt(row, 2)},
         {"citizen_id", sdk::sql::textOrNullAt(row, 3)},
         {"name", sdk::sql::textOrNullAt(row, 4)},
         {"unidentified_case", sdk::sql::textOrNullAt(row, 5)},
         {"death_date", sdk::sql::textAt(row, 6)},
         {"place", sdk::sql::textAt(row, 7)},
         {"township", sdk::sql::textAt(row, 8)},
         {"manner", sdk::sql::textAt(row, 9)},
         {"registered_on", sdk::sql::textAt(row, 10)},
         {"cremated", sdk::sql::int64At(row, 13) > 0},
         {"disposition", disposition
                             ? json{{"kind", *disposition}, {"on_date", sdk::sql::textAt(row, 12)}}
                             : json(nullptr)}}));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response FuneralPlugin::registerDeath(sdk::Request& request) {
  auto& db = request.db();
  const json& body = request.body();
  const bool identified = body.contains("citizen_id");
  if (identified == body.contains("unidentified_case"))
    throw sdk::ValidationError("citizen_id", "identify-the-deceased",
                               "give either the deceased's citizen_id (with name) or, for an "
                               "unidentified body, unidentified_case (the police case number)");
  const auto death_date = *sdk::Date::parse(body["death_date"].get<std::string>());
  const std::string manner = body["manner"], issuer = body["certificate_issuer"];
  sdk::requireTownship(request.caller(), body["township"].get<std::string>(), "the death");
  if (manner == "abnormal" && issuer != "police")
    throw sdk::ValidationError("certificate_issuer", "abnormal-death-police",
                               "an abnormal death is certified by the police (公安), "
                               "殡葬管理条例 §13");
  std::optional<sdk::Person> person;
  if (identified) {
    if (!body.contains("name"))
      throw sdk::ValidationError("name", "required", "the deceased's name");
    person = context_->persons().ensureRegistered(db, body["citizen_id"].get<std::string>(),
                                                  body["name"].get<std::string>());
    if (person->deceased())
      throw sdk::ValidationError(
          "citizen_id", "already-deceased",
          "the person is already recorded deceased on " + person->death_date->toString());
  }
  checkDeathDate(death_date, request.today(), person ? &*person : nullptr, "death_date");
  const std::string number = nextDeathNumber(db, request.county(), request.today().year());
  long long person_key = person ? person->id : 0;
  soci::indicator person_present = person ? soci::i_ok : soci::i_null;
  std::string unidentified = body.value("unidentified_case", "");
  soci::indicator unidentified_present = identified ? soci::i_null : soci::i_ok;
  const std::string date_text = death_date.toString(), place = body["place"],
                    township = body["township"], certificate = body["certificate_number"],
                    today = request.today().toString();
  long long id = 0;
  db << "INSERT INTO fu_deaths (county_code, number, person_id, unidentified_case, death_date,"
        " place, township, manner, certificate_number, certificate_issuer, registered_on,"
        " registered_by) VALUES (:c, :n, :p, :u, :d, :pl, :t, :m, :cn, :ci, :r, :by) RETURNING id",
      soci::use(request.county()), soci::use(number), soci::use(person_key, person_present),
      soci::use(unidentified, unidentified_present), soci::use(date_text), soci::use(place),
      soci::use(township), soci::use(manner), soci::use(certificate), soci::use(issuer),
      soci::use(today), soci::use(request.caller().user), soci::into(id);
  if (person) {
    context_->persons().markDeceased(db, person->id, death_date);
    // Written to the outbox in this transaction: delivered after the commit, even across a
    // crash, to every module that stops something when a person dies.
    context_->events().publish(db, kPersonDeceased, request.county(),
                               {{"death_id", id},
                                {"person_id", person->id},
                                {"death_date", date_text},
                                {"death_number", number}});
  }
  request.audit(
      {sizeof(sdk::AuditRecord), "death.register", "death", std::to_string(id),
       sdk::changedFields(nullptr, {{"number", number},
                                    {"person_id", person ? json(person->id) : json(nullptr)},
                                    {"death_date", date_text},
                                    {"manner", manner}})});
  return sdk::Response::created(deathJson(db, id), "/deaths/" + std::to_string(id));
}

sdk::Response FuneralPlugin::getDeath(sdk::Request& request) {
  const auto death = deathInScope(request);
  return sdk::Response::ok(deathJson(request.db(), death.id));
}

sdk::Response FuneralPlugin::correctDeath(sdk::Request& request) {
  auto& db = request.db();
  const auto death = deathInScope(request);
  const json& body = request.body();
  if (!death.person_id)
    throw sdk::ValidationError("kind", "identified-death",
                               "an unidentified body's record is corrected by registering the "
                               "identified person");
  const std::string kind = body["kind"], reason = body["reason"];
  const std::string old_date = death.death_date.toString();
  const long long key = death.id;
  std::int64_t new_person = *death.person_id;
  sdk::Date new_date = death.death_date;
  if (kind == "wrong_date") {
    if (!body.contains("death_date"))
      throw sdk::ValidationError("death_date", "required", "the corrected date of death");
    new_date = *sdk::Date::parse(body["death_date"].get<std::string>());
    if (new_date == death.death_date)
      throw sdk::ValidationError("death_date", "changed", "the date is the one recorded");
    const auto person = context_->persons().findById(db, *death.person_id);
    checkDeathDate(new_date, request.today(), &*person, "death_date");
    // The services and the disposition already recorded stay after the death, as they were
    // checked when recorded (checkServiceDate).
    std::string earliest;
    soci::indicator recorded = soci::i_null;
    db << "SELECT MIN(on_date) FROM (SELECT on_date FROM fu_services WHERE death_id = :d"
          " UNION ALL SELECT on_date FROM fu_dispositions WHERE death_id = :d2) recorded",
        soci::into(earliest, recorded), soci::use(key), soci::use(key);
    if (recorded == soci::i_ok && new_date.toString() > earliest)
      throw sdk::ValidationError("death_date", "before-services",
                                 "a service or the disposition is recorded on " + earliest +
                                     ", before " + new_date.toString());
    context_->persons().correctDeath(db, *death.person_id, new_date);
    context_->events().publish(db, kPersonDeathCorrected, request.county(),
                               {{"death_id", death.id},
                                {"person_id", *death.person_id},
                                {"death_date", new_date.toString()},
                                {"previous_death_date", old_date},
                                {"kind", kind}});
  } else {
    if (!body.contains("citizen_id") || !body.contains("name"))
      throw sdk::ValidationError("citizen_id", "required",
                                 "the person who actually died: citizen_id and name");
    const auto person = context_->persons().ensureRegistered(
        db, body["citizen_id"].get<std::string>(), body["name"].get<std::string>());
    if (person.id == *death.person_id)
      throw sdk::ValidationError("citizen_id", "changed", "this is the person already recorded");
    if (person.deceased())
      throw sdk::ValidationError(
          "citizen_id", "already-deceased",
          "the person is already recorded deceased on " + person.death_date->toString());
    checkDeathDate(death.death_date, request.today(), &person, "citizen_id");
    // The person recorded by mistake is alive again; the right person is deceased.
    context_->persons().correctDeath(db, *death.person_id, std::nullopt);
    context_->persons().markDeceased(db, person.id, death.death_date);
    new_person = person.id;
    context_->events().publish(db, kPersonDeathCorrected, request.county(),
                               {{"death_id", death.id},
                                {"person_id", *death.person_id},
                                {"death_date", nullptr},
                                {"previous_death_date", old_date},
                                {"kind", kind}});
    context_->events().publish(db, kPersonDeceased, request.county(),
                               {{"death_id", death.id},
                                {"person_id", person.id},
                                {"death_date", old_date},
                                {"death_number", death.number}});
  }
  const long long old_person = *death.person_id, person_after = new_person;
  const std::string new_date_text = new_date.toString(), today = request.today().toString();
  db << "UPDATE fu_deaths SET person_id = :p, death_date = :d WHERE id = :id",
      soci::use(person_after), soci::use(new_date_text), soci::use(key);
  db << "INSERT INTO fu_death_corrections (death_id, kind, old_person_id, new_person_id,"
        " old_date, new_date, reason, corrected_on, corrected_by) VALUES (:id, :k, :op, :np,"
        " :od, :nd, :r, :on, :by)",
      soci::use(key), soci::use(kind), soci::use(old_person), soci::use(person_after),
      soci::use(old_date), soci::use(new_date_text), soci::use(reason), soci::use(today),
      soci::use(request.caller().user);
  request.audit({sizeof(sdk::AuditRecord),
                 "death.correct",
                 "death",
                 std::to_string(death.id),
                 {{"person_id", {{"old", old_person}, {"new", person_after}}},
                  {"death_date", {{"old", old_date}, {"new", new_date_text}}},
                  {"reason", {{"old", nullptr}, {"new", reason}}}}});
  return sdk::Response::ok(deathJson(db, death.id));
}

namespace {

void insertService(sdk::Request& request, std::int64_t death_id, const char* kind,
                   const Facility& facility, sdk::Date on, const json& body) {
  auto& db = request.db();
  const long long death = death_id, facility_id = facility.id;
  const std::string day = on.toString(), recorded_by = request.caller().user;
  std::string vehicle = body.value("vehicle", "");
  soci::indicator vehicle_present = vehicle.empty() ? soci::i_null : soci::i_ok;
  int distance = body.value("distance_km", 0);
  soci::indicator distance_present = body.contains("distance_km") ? soci::i_ok : soci::i_null;
  int days = body.value("days", 0);
  soci::indicator days_present = body.contains("days") ? soci::i_ok : soci::i_null;
  std::string certificate = body.value("certificate_number", "");
  soci::indicator certificate_present = certificate.empty() ? soci::i_null : soci::i_ok;
  const std::string service_kind = kind;
  db << "INSERT INTO fu_services (death_id, kind, facility_id, on_date, vehicle, distance_km,"
        " storage_days, certificate_number, recorded_by) VALUES (:d, :k, :f, :on, :v, :km, :days,"
        " :cert, :by)",
      soci::use(death), soci::use(service_kind), soci::use(facility_id), soci::use(day),
      soci::use(vehicle, vehicle_present), soci::use(distance, distance_present),
      soci::use(days, days_present), soci::use(certificate, certificate_present),
      soci::use(recorded_by);
  request.audit({sizeof(sdk::AuditRecord), std::string("death.") + kind, "death",
                 std::to_string(death_id),
                 sdk::changedFields(
                     nullptr, {{"service", kind}, {"facility", facility.code}, {"on_date", day}})});
}

sdk::Date dateField(const json& body, const char* field, sdk::Date fallback) {
  return body.contains(field) ? *sdk::Date::parse(body[field].get<std::string>()) : fallback;
}

void checkServiceDate(sdk::Date on, sdk::Date death_date, sdk::Date today, const char* field) {
  if (on < death_date)
    throw sdk::ValidationError(field, "after-death", "the service date is before the death");
  if (on > today) throw sdk::ValidationError(field, "not-in-future", "the date is after today");
}

}  // namespace

sdk::Response FuneralPlugin::recordBodyService(sdk::Request& request, const char* kind) {
  auto& db = request.db();
  const auto death = deathInScope(request);
  const json& body = request.body();
  const auto home = facility(db, request.county(), body["facility_code"]);
  const auto on = dateField(body, "on_date", request.today());
  checkServiceDate(on, death.death_date, request.today(), "on_date");
  requireApproved(db, home, on, "facility_code");
  insertService(request, death.id, kind, home, on, body);
  return sdk::Response::ok(deathJson(db, death.id));
}

sdk::Response FuneralPlugin::recordCollection(sdk::Request& request) {
  return recordBodyService(request, "collection");
}

sdk::Response FuneralPlugin::recordStorage(sdk::Request& request) {
  return recordBodyService(request, "storage");
}

sdk::Response FuneralPlugin::recordCremation(sdk::Request& request) {
  auto& db = request.db();
  const auto death = deathInScope(request);
  const json& body = request.body();
  const auto crematorium = facility(db, request.county(), body["facility_code"]);
  if ((crematorium.kind != "crematorium" && crematorium.kind != "funeral_home") ||
      crematorium.furnaces <= 0)
    throw sdk::ValidationError("facility_code", "cremation-facility",
                               "facility " + crematorium.code + " has no cremation furnace");
  const auto on = dateField(body, "cremated_on", request.today());
  checkServiceDate(on, death.death_date, request.today(), "cremated_on");
  requireApproved(db, crematorium, on, "facility_code");
  if (hasCremation(db, death.id))
    throw sdk::Conflict("death " + death.number + " already has a cremation record");
  const long long key = death.id;
  long long disposed = 0;
  db << "SELECT COUNT(*) FROM fu_dispositions WHERE death_id = :d AND kind = 'body_burial'",
      soci::into(disposed), soci::use(key);
  if (disposed > 0) throw sdk::Conflict("the body of " + death.number + " was buried");
  insertService(request, death.id, "cremation", crematorium, on, body);
  return sdk::Response::ok(deathJson(db, death.id));
}

sdk::Response FuneralPlugin::recordDisposition(sdk::Request& request) {
  auto& db = request.db();
  const auto death = deathInScope(request);
  const json& body = request.body();
  const std::string kind = body["kind"];
  const auto on = dateField(body, "on_date", request.today());
  checkServiceDate(on, death.death_date, request.today(), "on_date");
  const bool cremated = hasCremation(db, death.id);
  long long facility_id = 0, plot_id = 0;
  soci::indicator facility_present = soci::i_null, plot_present = soci::i_null;
  std::string green_type = body.value("green_type", "");
  soci::indicator green_present = green_type.empty() ? soci::i_null : soci::i_ok;

  if (kind == "body_burial") {
    if (cremated)
      throw sdk::ValidationError("kind", "cremated", "the body was cremated: dispose of ashes");
    if (cremationZone(db, request.county(), death.township, on))
      throw sdk::ValidationError("kind", "cremation-zone",
                                 "township " + death.township +
                                     " is a cremation zone (火葬区, parameter "
                                     "funeral.cremation_zone or the township's zone setting): "
                                     "burial of a body is not permitted (殡葬管理条例 §4, §20)");
  } else if (!cremated) {
    throw sdk::ValidationError("kind", "cremated-first",
                               "ashes are disposed of after a cremation; record the cremation");
  }
  if (kind == "green_burial" && green_type.empty())
    throw sdk::ValidationError("green_type", "required", "sea, tree, flower or lawn");
  if (kind == "stored") {
    if (!body.contains("facility_code"))
      throw sdk::ValidationError("facility_code", "required", "where the ashes are stored");
    const auto hall = facility(db, request.county(), body["facility_code"]);
    if (hall.kind != "ash_hall" && hall.kind != "funeral_home")
      throw sdk::ValidationError("facility_code", "ash-storage-facility",
                                 "ashes are stored in an ash hall or a funeral home");
    requireApproved(db, hall, on, "facility_code");
    facility_id = hall.id;
    facility_present = soci::i_ok;
  }
  if (kind == "cemetery_plot" || kind == "body_burial") {
    if (!body.contains("plot_id"))
      throw sdk::ValidationError("plot_id", "required", "the plot sold for this burial");
    plot_id = body["plot_id"].get<long long>();
    std::string plot_kind;
    long long sold_for = 0;
    soci::indicator sold_present = soci::i_null;
    db << "SELECT p.kind, p.death_id FROM fu_plots p JOIN fu_facilities f ON f.id ="
          " p.cemetery_id WHERE p.id = :p AND f.county_code = :c",
        soci::into(plot_kind), soci::into(sold_for, sold_present), soci::use(plot_id),
        soci::use(request.county());
    if (!db.got_data())
      throw sdk::ValidationError("plot_id", "known-plot", "no such plot in this county");
    if (sold_present != soci::i_ok || sold_for != death.id)
      throw sdk::ValidationError("plot_id", "plot-sold-for-this-death",
                                 "the plot is not sold or allocated for this death");
    const bool body_plot = plot_kind != "ashes";
    if (body_plot != (kind == "body_burial"))
      throw sdk::ValidationError("plot_id", "plot-kind",
                                 "a " + plot_kind + " plot cannot take a " + kind);
    plot_present = soci::i_ok;
  }
  long long disposed = 0;
  const long long key = death.id;
  db << "SELECT COUNT(*) FROM fu_dispositions WHERE death_id = :d", soci::into(disposed),
      soci::use(key);
  if (disposed > 0) throw sdk::Conflict("death " + death.number + " already has a disposition");
  const std::string day = on.toString();
  db << "INSERT INTO fu_dispositions (death_id, kind, green_type, facility_id, plot_id, on_date)"
        " VALUES (:d, :k, :g, :f, :p, :on)",
      soci::use(key), soci::use(kind), soci::use(green_type, green_present),
      soci::use(facility_id, facility_present), soci::use(plot_id, plot_present), soci::use(day);
  request.audit({sizeof(sdk::AuditRecord), "death.disposition", "death", std::to_string(death.id),
                 sdk::changedFields(nullptr, {{"disposition", kind}, {"on_date", day}})});
  return sdk::Response::ok(deathJson(db, death.id));
}

}  // namespace civ::plugins::funeral
