// Residents: admission with the ability assessment and agreement, corrections, re-assessment,
// leave and hospital stays, discharge. A bed holds one resident at a time.
#include <algorithm>

#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/context.h>
#include <civ/sdk/correction.h>
#include <civ/sdk/coverage.h>
#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/list.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/persons.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/sql_json.h>

#include "elderly_care_plugin.h"
#include "elderly_care_rules.h"

namespace civ::plugins::elderly_care {

namespace {

using nlohmann::json;

const char* kResidentColumns =
    "SELECT r.id, r.institution_id, i.name, i.township, r.person_id, p.citizen_id, p.name,"
    " r.bed_number, r.admitted_on, r.ability_level, r.care_level, r.agreement_number,"
    " r.agreement_signed_on, r.emergency_name, r.emergency_phone, r.funding, r.status,"
    " r.discharged_on, r.discharge_reason FROM ec_residents r JOIN ec_institutions i ON i.id ="
    " r.institution_id JOIN civ_persons p ON p.id = r.person_id";

json residentRow(const soci::row& row) {
  const auto discharged = sdk::sql::optionalTextAt(row, 17);
  return sdk::jsonObject(
      {{"id", sdk::sql::int64At(row, 0)},
       {"institution_id", sdk::sql::int64At(row, 1)},
       {"institution", sdk::sql::textAt(row, 2)},
       {"township", sdk::sql::textAt(row, 3)},
       {"person_id", sdk::sql::int64At(row, 4)},
       {"citizen_id", sdk::sql::textAt(row, 5)},
       {"name", sdk::sql::textAt(row, 6)},
       {"bed_number", sdk::sql::textAt(row, 7)},
       {"admitted_on", sdk::sql::textAt(row, 8)},
       {"ability_level", sdk::sql::textAt(row, 9)},
       {"care_level", sdk::sql::textAt(row, 10)},
       {"agreement_number", sdk::sql::textAt(row, 11)},
       {"agreement_signed_on", sdk::sql::textAt(row, 12)},
       {"emergency_contact",
        {{"name", sdk::sql::textAt(row, 13)}, {"phone", sdk::sql::textAt(row, 14)}}},
       {"funding", sdk::sql::textAt(row, 15)},
       {"status", sdk::sql::textAt(row, 16)},
       {"discharged_on", discharged ? json(*discharged) : json(nullptr)},
       {"discharge_reason", sdk::sql::textOrNullAt(row, 18)},
       // 66号令 §32: kept at least five years after the agreement ends (at discharge).
       {"keep_records_until",
        discharged ? json(keepUntil(*sdk::Date::parse(*discharged)).toString()) : json(nullptr)}});
}

std::vector<std::pair<std::string, std::string>> dimensionPairs(const json& dimensions) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& item : dimensions.items()) pairs.emplace_back(item.key(), item.value());
  return pairs;
}

/// The bed is free in the institution (409 naming the rule otherwise).
void requireFreeBed(soci::session& db, std::int64_t institution_id, const std::string& bed,
                    std::int64_t except_resident) {
  const long long institution = institution_id, except = except_resident;
  long long taken = 0;
  db << "SELECT COUNT(*) FROM ec_residents WHERE institution_id = :i AND bed_number = :b AND"
        " discharged_on IS NULL AND id <> :id",
      soci::into(taken), soci::use(institution), soci::use(bed), soci::use(except);
  if (taken > 0)
    throw sdk::Conflict("one-resident-per-bed: bed " + bed +
                        " holds a resident; a bed holds one resident at a time");
}

Resident scopedResident(sdk::Request& request) {
  const auto id = request.pathId("id");
  auto found = ElderlyCarePlugin::findResident(request.db(), request.county(), id);
  if (!found)
    throw sdk::NotFound("no resident " + std::to_string(id) + " in county " + request.county());
  sdk::requireTownship(request.caller(), found->township, "resident " + std::to_string(id));
  return *found;
}

void requirePresent(const Resident& resident) {
  if (resident.discharged_on)
    throw sdk::ValidationError("id", "resident-present",
                               "the resident left on " + resident.discharged_on->toString());
}

}  // namespace

std::optional<Resident> ElderlyCarePlugin::findResident(soci::session& db,
                                                        const std::string& county,
                                                        std::int64_t id) {
  const long long key = id;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT r.id, r.institution_id, r.person_id, i.township, r.status,"
                     " r.admitted_on, r.discharged_on, r.bed_number FROM ec_residents r JOIN"
                     " ec_institutions i ON i.id = r.institution_id WHERE r.id = :id AND"
                     " r.county_code = :c",
       soci::use(key), soci::use(county));
  for (const auto& row : rows) {
    Resident resident;
    resident.id = sdk::sql::int64At(row, 0);
    resident.institution_id = sdk::sql::int64At(row, 1);
    resident.person_id = sdk::sql::int64At(row, 2);
    resident.township = sdk::sql::textAt(row, 3);
    resident.status = sdk::sql::textAt(row, 4);
    resident.admitted_on = *sdk::Date::parse(sdk::sql::textAt(row, 5));
    if (auto discharged = sdk::sql::optionalTextAt(row, 6))
      resident.discharged_on = sdk::Date::parse(*discharged);
    resident.bed_number = sdk::sql::textAt(row, 7);
    return resident;
  }
  return std::nullopt;
}

json ElderlyCarePlugin::residentJson(soci::session& db, std::int64_t id) const {
  const long long key = id;
  json body;
  soci::rowset<soci::row> rows =
      (db.prepare << std::string(kResidentColumns) + " WHERE r.id = :id", soci::use(key));
  for (const auto& row : rows) body = residentRow(row);
  if (body.is_null()) throw sdk::NotFound("no resident " + std::to_string(id));
  json assessments = json::array();
  soci::rowset<soci::row> assessed =
      (db.prepare << "SELECT assessed_on, reason, daily_living, mental_state,"
                     " perception_communication, social_participation, result, care_level FROM"
                     " ec_assessments WHERE resident_id = :id ORDER BY id",
       soci::use(key));
  for (const auto& row : assessed)
    assessments.push_back(sdk::jsonObject({{"assessed_on", sdk::sql::textAt(row, 0)},
                                           {"reason", sdk::sql::textAt(row, 1)},
                                           {"dimensions",
                                            {{"daily_living", sdk::sql::textAt(row, 2)},
                                             {"mental_state", sdk::sql::textAt(row, 3)},
                                             {"perception_communication", sdk::sql::textAt(row, 4)},
                                             {"social_participation", sdk::sql::textAt(row, 5)}}},
                                           {"result", sdk::sql::textAt(row, 6)},
                                           {"care_level", sdk::sql::textAt(row, 7)}}));
  body["assessments"] = assessments;
  json absences = json::array();
  soci::rowset<soci::row> away =
      (db.prepare << "SELECT id, kind, start_on, end_on, note FROM ec_absences WHERE resident_id ="
                     " :id ORDER BY id",
       soci::use(key));
  for (const auto& row : away)
    absences.push_back(sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                                        {"kind", sdk::sql::textAt(row, 1)},
                                        {"start_on", sdk::sql::textAt(row, 2)},
                                        {"end_on", sdk::sql::textOrNullAt(row, 3)},
                                        {"note", sdk::sql::textAt(row, 4)}}));
  body["absences"] = absences;
  return body;
}

namespace {
void insertAssessment(soci::session& db, long long resident, const std::string& on,
                      const std::string& reason, const json& dimensions, const std::string& result,
                      const std::string& care_level, const std::string& assessor) {
  const std::string daily = dimensions["daily_living"], mental = dimensions["mental_state"],
                    perception = dimensions["perception_communication"],
                    social = dimensions["social_participation"];
  db << "INSERT INTO ec_assessments (resident_id, assessed_on, reason, daily_living, mental_state,"
        " perception_communication, social_participation, result, care_level, assessor) VALUES"
        " (:r, :d, :why, :a, :m, :p, :s, :res, :c, :by)",
      soci::use(resident), soci::use(on), soci::use(reason), soci::use(daily), soci::use(mental),
      soci::use(perception), soci::use(social), soci::use(result), soci::use(care_level),
      soci::use(assessor);
}

/// 特困 institutional support for a person the coverage directory says is not 特困 on `on`: a
/// refusal naming funding (rule "tekun-covered"). When no module answers for 特困 in the county,
/// the clerk's record stands.
void requireTekun(sdk::Context& context, soci::session& db, const std::string& county,
                  std::int64_t person_id, sdk::Date on) {
  const auto answer = context.coverage().coverageOn(db, county, person_id, on);
  if (answer.answers("tekun") && !answer.find("tekun"))
    throw sdk::ValidationError("funding", "tekun-covered",
                               "the person is not a 特困 person on " + on.toString() +
                                   " (social assistance answers for 特困 in this county): funding "
                                   "is self_paid or subsidy");
}

void requireCareLevel(const std::vector<std::string>& levels, const std::string& level) {
  if (std::find(levels.begin(), levels.end(), level) == levels.end())
    throw sdk::ValidationError("care_level", "care-level",
                               "'" + level +
                                   "' is not a care level in force (parameter "
                                   "elderly_care.care.levels)");
}
}  // namespace

sdk::Response ElderlyCarePlugin::admitResident(sdk::Request& request) {
  auto& db = request.db();
  const json& body = request.body();
  const auto institution = institutionField(
      db, request.county(), body["institution_id"].get<std::int64_t>(), "institution_id");
  sdk::requireTownship(request.caller(), institution.township,
                       "institution " + std::to_string(institution.id));
  const auto admitted = dateOf(body["admitted_on"]);
  const auto signed_on = dateOf(body["agreement_signed_on"]);
  notInFuture(admitted, request.today(), "admitted_on");
  if (institution.status != "operating")
    throw sdk::ValidationError(
        "institution_id", "institution-operating",
        "institution " + institution.name + " is " + institution.status + ": it admits no one");
  if (admitted < institution.registered_on)
    throw sdk::ValidationError("admitted_on", "after-registration",
                               "the admission is before the institution's registration on " +
                                   institution.registered_on.toString());
  if (signed_on > admitted)
    throw sdk::ValidationError("agreement_signed_on", "agreement-before-admission",
                               "the service agreement is signed before admission "
                               "(66号令 §16)");
  const std::string care_level = body["care_level"];
  const auto result =
      abilityResult(abilityLevels(request.county(), admitted), dimensionPairs(body["dimensions"]));
  requireCareLevel(careLevels(request.county(), admitted), care_level);
  const auto person = context_->persons().ensureRegistered(
      db, body["citizen_id"].get<std::string>(), body["name"].get<std::string>());
  if (person.deceased())
    throw sdk::ValidationError(
        "citizen_id", "deceased",
        "the person is recorded deceased on " + person.death_date->toString());
  if (admitted < person.birth_date)
    throw sdk::ValidationError("admitted_on", "after-birth", "the admission is before the birth");
  if (body["funding"] == "tekun")
    requireTekun(*context_, db, request.county(), person.id, admitted);
  const long long person_key = person.id;
  long long elsewhere = 0;
  db << "SELECT COUNT(*) FROM ec_residents WHERE person_id = :p AND discharged_on IS NULL",
      soci::into(elsewhere), soci::use(person_key);
  if (elsewhere > 0)
    throw sdk::ValidationError("citizen_id", "one-residence",
                               "the person lives in an institution already; discharge first");
  const std::string bed = body["bed_number"];
  requireFreeBed(db, institution.id, bed, 0);
  long long occupied = 0;
  const long long institution_key = institution.id;
  db << "SELECT COUNT(*) FROM ec_residents WHERE institution_id = :i AND discharged_on IS NULL",
      soci::into(occupied), soci::use(institution_key);
  if (occupied >= institution.beds)
    throw sdk::Conflict("beds-full: all " + std::to_string(institution.beds) +
                        " beds of the institution hold a resident");
  const std::string day = admitted.toString(), signed_text = signed_on.toString(),
                    agreement = body["agreement_number"], funding = body["funding"],
                    contact_name = body["emergency_contact"]["name"],
                    contact_phone = body["emergency_contact"]["phone"];
  long long id = 0;
  db << "INSERT INTO ec_residents (county_code, institution_id, person_id, bed_number,"
        " admitted_on, ability_level, care_level, agreement_number, agreement_signed_on,"
        " emergency_name, emergency_phone, funding, status) VALUES (:c, :i, :p, :b, :a, :al, :cl,"
        " :an, :s, :en, :ep, :f, 'in_residence') RETURNING id",
      soci::use(request.county()), soci::use(institution_key), soci::use(person_key),
      soci::use(bed), soci::use(day), soci::use(result), soci::use(care_level),
      soci::use(agreement), soci::use(signed_text), soci::use(contact_name),
      soci::use(contact_phone), soci::use(funding), soci::into(id);
  insertAssessment(db, id, day, "admission", body["dimensions"], result, care_level,
                   request.caller().user);
  if (funding == "tekun")
    publishTekun(db, kTekunAdmitted, request.county(), id, person.id, institution.id, admitted);
  // The first admission starts the filing deadline (66号令 §12).
  if (!institution.first_admission_on || admitted < *institution.first_admission_on) {
    db << "UPDATE ec_institutions SET first_admission_on = :d WHERE id = :i", soci::use(day),
        soci::use(institution_key);
    request.audit({sizeof(sdk::AuditRecord),
                   "institution.first_admission",
                   "institution",
                   std::to_string(institution.id),
                   {{"first_admission_on",
                     {{"old", institution.first_admission_on
                                  ? json(institution.first_admission_on->toString())
                                  : json(nullptr)},
                      {"new", day}}}}});
  }
  request.audit({sizeof(sdk::AuditRecord), "resident.admit", "resident", std::to_string(id),
                 sdk::changedFields(nullptr, {{"institution_id", institution.id},
                                              {"person_id", person.id},
                                              {"bed_number", bed},
                                              {"admitted_on", day},
                                              {"ability_level", result},
                                              {"care_level", care_level},
                                              {"funding", funding}})});
  return sdk::Response::created(residentJson(db, id), "/residents/" + std::to_string(id));
}

sdk::Response ElderlyCarePlugin::listResidents(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kResidentList);
  sdk::ListQuery query("r.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "i.township"));
  if (auto institution = request.queryParam("institution_id"))
    query.add("r.institution_id = " + query.number(std::stoll(*institution)));
  if (auto status = request.queryParam("status")) query.add("r.status = " + query.text(*status));
  if (auto level = request.queryParam("care_level"))
    query.add("r.care_level = " + query.text(*level));
  if (auto funding = request.queryParam("funding"))
    query.add("r.funding = " + query.text(*funding));
  if (auto township = request.queryParam("township"))
    query.add("i.township = " + query.text(*township));
  if (auto name = request.queryParam("name")) query.add("p.name " + query.containing(*name));
  if (auto present = request.queryParam("present"))
    query.add(*present == "true" ? "r.discharged_on IS NULL" : "r.discharged_on IS NOT NULL");
  const std::string tables =
      " FROM ec_residents r JOIN ec_institutions i ON i.id = r.institution_id JOIN civ_persons p"
      " ON p.id = r.person_id";
  const auto total = query.count(*lists_, db, tables);
  soci::rowset<soci::row> rows = query.rows(
      db, std::string(kResidentColumns) + query.clause() + " AND " + page.keysetCondition("r.id") +
              page.orderAndLimit(
                  {{"id", "r.id"}, {"admitted_on", "r.admitted_on"}, {"name", "p.name"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    items.push_back(residentRow(row));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response ElderlyCarePlugin::getResident(sdk::Request& request) {
  const auto resident = scopedResident(request);
  return sdk::Response::ok(residentJson(request.db(), resident.id));
}

sdk::Response ElderlyCarePlugin::correctResident(sdk::Request& request) {
  auto& db = request.db();
  const auto resident = scopedResident(request);
  const json& body = request.body();
  sdk::requireSomeField(body, "bed_number, agreement_number, emergency_contact, funding");
  const json current = residentJson(db, resident.id);
  json before = json::object(), after = json::object();
  for (const char* key : {"bed_number", "agreement_number", "emergency_contact", "funding"})
    before[key] = current[key];
  after = before;
  for (const auto& item : body.items()) after[item.key()] = item.value();
  const json changes = sdk::changedFields(before, after);
  if (changes.empty()) sdk::refuseUnchanged(body);
  if (after["funding"] == "tekun" && before["funding"] != "tekun")
    requireTekun(*context_, db, request.county(), resident.person_id, request.today());
  if (after["bed_number"] != before["bed_number"]) {
    requirePresent(resident);
    requireFreeBed(db, resident.institution_id, after["bed_number"], resident.id);
  }
  const std::string bed = after["bed_number"], agreement = after["agreement_number"],
                    funding = after["funding"], name = after["emergency_contact"]["name"],
                    phone = after["emergency_contact"]["phone"];
  const long long key = resident.id;
  db << "UPDATE ec_residents SET bed_number = :b, agreement_number = :a, funding = :f,"
        " emergency_name = :n, emergency_phone = :p WHERE id = :id",
      soci::use(bed), soci::use(agreement), soci::use(funding), soci::use(name), soci::use(phone),
      soci::use(key);
  // A change of funding to or from 特困 support switches the person's support mode.
  if (after["funding"] != before["funding"] &&
      (after["funding"] == "tekun" || before["funding"] == "tekun") && !resident.discharged_on)
    publishTekun(db, after["funding"] == "tekun" ? kTekunAdmitted : kTekunDischarged,
                 request.county(), resident.id, resident.person_id, resident.institution_id,
                 request.today());
  request.audit({sizeof(sdk::AuditRecord), "resident.correct", "resident",
                 std::to_string(resident.id), changes});
  return sdk::Response::ok(residentJson(db, resident.id));
}

sdk::Response ElderlyCarePlugin::reassess(sdk::Request& request) {
  auto& db = request.db();
  const auto resident = scopedResident(request);
  requirePresent(resident);
  const json& body = request.body();
  const auto on = dateOf(body["assessed_on"]);
  notInFuture(on, request.today(), "assessed_on");
  if (on < resident.admitted_on)
    throw sdk::ValidationError("assessed_on", "after-admission",
                               "the date is before the admission");
  const std::string care_level = body["care_level"], reason = body["reason"];
  const auto result =
      abilityResult(abilityLevels(request.county(), on), dimensionPairs(body["dimensions"]));
  requireCareLevel(careLevels(request.county(), on), care_level);
  const json current = residentJson(db, resident.id);
  const long long key = resident.id;
  insertAssessment(db, key, on.toString(), reason, body["dimensions"], result, care_level,
                   request.caller().user);
  db << "UPDATE ec_residents SET ability_level = :a, care_level = :c WHERE id = :id",
      soci::use(result), soci::use(care_level), soci::use(key);
  request.audit({sizeof(sdk::AuditRecord),
                 "resident.reassess",
                 "resident",
                 std::to_string(resident.id),
                 {{"ability_level", {{"old", current["ability_level"]}, {"new", result}}},
                  {"care_level", {{"old", current["care_level"]}, {"new", care_level}}},
                  {"reason", {{"old", nullptr}, {"new", reason}}}}});
  return sdk::Response::created(residentJson(db, resident.id),
                                "/residents/" + std::to_string(resident.id));
}

sdk::Response ElderlyCarePlugin::startAbsence(sdk::Request& request) {
  auto& db = request.db();
  const auto resident = scopedResident(request);
  requirePresent(resident);
  const json& body = request.body();
  const auto start = dateOf(body["start_on"]);
  notInFuture(start, request.today(), "start_on");
  if (start < resident.admitted_on)
    throw sdk::ValidationError("start_on", "after-admission", "the date is before the admission");
  if (resident.status != "in_residence")
    throw sdk::ValidationError("kind", "one-absence",
                               "the resident is " + resident.status + ": end that absence first");
  const std::string kind = body["kind"], note = body.value("note", ""), day = start.toString();
  const long long key = resident.id;
  db << "INSERT INTO ec_absences (resident_id, kind, start_on, note) VALUES (:r, :k, :s, :n)",
      soci::use(key), soci::use(kind), soci::use(day), soci::use(note);
  const std::string status = kind == "leave" ? "on_leave" : "in_hospital";
  db << "UPDATE ec_residents SET status = :s WHERE id = :id", soci::use(status), soci::use(key);
  request.audit({sizeof(sdk::AuditRecord),
                 "resident.absence",
                 "resident",
                 std::to_string(resident.id),
                 {{"status", {{"old", resident.status}, {"new", status}}},
                  {"start_on", {{"old", nullptr}, {"new", day}}}}});
  return sdk::Response::created(residentJson(db, resident.id),
                                "/residents/" + std::to_string(resident.id));
}

sdk::Response ElderlyCarePlugin::endAbsence(sdk::Request& request) {
  auto& db = request.db();
  const auto resident = scopedResident(request);
  requirePresent(resident);
  const auto on = dateOf(request.body()["on_date"]);
  notInFuture(on, request.today(), "on_date");
  const long long key = resident.id;
  std::string start;
  long long absence = 0;
  db << "SELECT id, start_on FROM ec_absences WHERE resident_id = :r AND end_on IS NULL",
      soci::into(absence), soci::into(start), soci::use(key);
  if (!db.got_data())
    throw sdk::ValidationError("on_date", "absent", "the resident is not on leave or in hospital");
  if (on < *sdk::Date::parse(start))
    throw sdk::ValidationError("on_date", "after-start", "the return is before the absence began");
  const std::string day = on.toString();
  db << "UPDATE ec_absences SET end_on = :d WHERE id = :id", soci::use(day), soci::use(absence);
  db << "UPDATE ec_residents SET status = 'in_residence' WHERE id = :id", soci::use(key);
  request.audit({sizeof(sdk::AuditRecord),
                 "resident.return",
                 "resident",
                 std::to_string(resident.id),
                 {{"status", {{"old", resident.status}, {"new", "in_residence"}}},
                  {"end_on", {{"old", nullptr}, {"new", day}}}}});
  return sdk::Response::ok(residentJson(db, resident.id));
}

sdk::Response ElderlyCarePlugin::dischargeResident(sdk::Request& request) {
  auto& db = request.db();
  const auto resident = scopedResident(request);
  requirePresent(resident);
  const json& body = request.body();
  const auto on = dateOf(body["on_date"]);
  notInFuture(on, request.today(), "on_date");
  if (on < resident.admitted_on)
    throw sdk::ValidationError("on_date", "after-admission",
                               "the discharge is before the admission");
  const std::string reason = body["reason"], day = on.toString();
  const long long key = resident.id;
  std::string funding;
  db << "SELECT funding FROM ec_residents WHERE id = :id", soci::into(funding), soci::use(key);
  if (funding == "tekun")
    publishTekun(db, kTekunDischarged, request.county(), resident.id, resident.person_id,
                 resident.institution_id, on);
  db << "UPDATE ec_residents SET status = 'discharged', discharged_on = :d, discharge_reason = :r"
        " WHERE id = :id",
      soci::use(day), soci::use(reason), soci::use(key);
  db << "UPDATE ec_absences SET end_on = :d WHERE resident_id = :id AND end_on IS NULL",
      soci::use(day), soci::use(key);
  request.audit({sizeof(sdk::AuditRecord),
                 "resident.discharge",
                 "resident",
                 std::to_string(resident.id),
                 {{"status", {{"old", resident.status}, {"new", "discharged"}}},
                  {"discharged_on", {{"old", nullptr}, {"new", day}}},
                  {"discharge_reason", {{"old", nullptr}, {"new", reason}}}}});
  return sdk::Response::ok(residentJson(db, resident.id));
}

}  // namespace civ::plugins::elderly_care
