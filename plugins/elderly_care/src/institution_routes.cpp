// Institutions: registration, corrections, filing (备案) and its deadline, suspension/closure.
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
#include <civ/sdk/uscc.h>

#include "elderly_care_plugin.h"
#include "elderly_care_rules.h"
#include "parameters.h"

namespace civ::plugins::elderly_care {

namespace {

using nlohmann::json;

const char* kInstitutionColumns =
    "SELECT i.id, i.name, i.uscc, i.profit, i.ownership, i.registration_authority, i.address,"
    " i.township, i.legal_representative, i.beds, i.nursing_beds, i.floor_area_m2, i.grade,"
    " i.status, i.registered_on, i.first_admission_on, i.receipt_number, i.filed_on,"
    " (SELECT COUNT(*) FROM ec_residents r WHERE r.institution_id = i.id AND r.discharged_on IS"
    " NULL), i.bank_name, i.bank_account FROM ec_institutions i";

json institutionRow(const soci::row& row) {
  return sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                          {"name", sdk::sql::textAt(row, 1)},
                          {"uscc", sdk::sql::textAt(row, 2)},
                          {"profit", sdk::sql::textAt(row, 3)},
                          {"ownership", sdk::sql::textAt(row, 4)},
                          {"registration_authority", sdk::sql::textAt(row, 5)},
                          {"address", sdk::sql::textAt(row, 6)},
                          {"township", sdk::sql::textAt(row, 7)},
                          {"legal_representative", sdk::sql::textAt(row, 8)},
                          {"beds", sdk::sql::int64At(row, 9)},
                          {"nursing_beds", sdk::sql::int64At(row, 10)},
                          {"floor_area_m2", sdk::sql::int64At(row, 11)},
                          {"grade", sdk::sql::int64OrNullAt(row, 12)},
                          {"status", sdk::sql::textAt(row, 13)},
                          {"registered_on", sdk::sql::textAt(row, 14)},
                          {"first_admission_on", sdk::sql::textOrNullAt(row, 15)},
                          {"filing_due", nullptr},
                          {"receipt_number", sdk::sql::textOrNullAt(row, 16)},
                          {"filed_on", sdk::sql::textOrNullAt(row, 17)},
                          {"bank_name", sdk::sql::textOrNullAt(row, 19)},
                          {"bank_account", sdk::sql::textOrNullAt(row, 20)},
                          {"residents", sdk::sql::int64At(row, 18)}});
}

/// The fields a client types, as the record holds them (what a correction compares).
json typedFields(const json& institution) {
  json fields = json::object();
  for (const char* key : {"name", "uscc", "profit", "ownership", "registration_authority",
                          "address", "township", "legal_representative", "beds", "nursing_beds",
                          "floor_area_m2", "grade", "registered_on", "bank_name", "bank_account"})
    fields[key] = institution.at(key);
  return fields;
}

/// The institution rules on the typed fields: code, registration, beds.
void checkInstitution(const json& fields, long long minimum_beds) {
  const std::string code = fields["uscc"];
  if (const auto problem = sdk::checkUscc(code))
    throw sdk::ValidationError("uscc", "uscc-" + problem->rule,
                               problem->message + " (GB 32100-2015)");
  if (auto problem = checkRegistration(code, fields["registration_authority"], fields["profit"]))
    throw sdk::ValidationError(std::vector<sdk::FieldError>{*problem});
  auto errors = checkBeds(fields["beds"].get<long long>(), fields["nursing_beds"].get<long long>(),
                          minimum_beds);
  if (!errors.empty()) throw sdk::ValidationError(std::move(errors));
}

void requireUniqueCode(soci::session& db, const std::string& county, const std::string& code,
                       long long except_id) {
  long long existing = 0;
  db << "SELECT COUNT(*) FROM ec_institutions WHERE county_code = :c AND uscc = :u AND id <> :id",
      soci::into(existing), soci::use(county), soci::use(code), soci::use(except_id);
  if (existing > 0)
    throw sdk::ValidationError("uscc", "unique-uscc",
                               "an institution with code " + code + " is already registered");
}

/// A nullable text field as a value and its indicator for soci (null when absent or null).
std::pair<std::string, soci::indicator> optionalText(const json& value) {
  if (!value.is_string()) return {"", soci::i_null};
  return {value.get<std::string>(), soci::i_ok};
}

Institution scoped(sdk::Request& request) {
  const auto found =
      ElderlyCarePlugin::institutionAt(request.db(), request.county(), request.pathId("id"));
  sdk::requireTownship(request.caller(), found.township, "institution " + std::to_string(found.id));
  return found;
}

}  // namespace

Institution ElderlyCarePlugin::institutionAt(soci::session& db, const std::string& county,
                                             std::int64_t id) {
  const long long key = id;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT id, county_code, name, township, status, profit, beds, nursing_beds,"
                     " first_admission_on, receipt_number, registered_on FROM ec_institutions"
                     " WHERE id = :id AND county_code = :c",
       soci::use(key), soci::use(county));
  for (const auto& row : rows) {
    Institution found;
    found.id = sdk::sql::int64At(row, 0);
    found.county = sdk::sql::textAt(row, 1);
    found.name = sdk::sql::textAt(row, 2);
    found.township = sdk::sql::textAt(row, 3);
    found.status = sdk::sql::textAt(row, 4);
    found.profit = sdk::sql::textAt(row, 5);
    found.beds = sdk::sql::int64At(row, 6);
    found.nursing_beds = sdk::sql::int64At(row, 7);
    if (auto first = sdk::sql::optionalTextAt(row, 8))
      found.first_admission_on = sdk::Date::parse(*first);
    found.receipt_number = sdk::sql::optionalTextAt(row, 9);
    found.registered_on = *sdk::Date::parse(sdk::sql::textAt(row, 10));
    return found;
  }
  throw sdk::NotFound("no institution " + std::to_string(id) + " in county " + county);
}

Institution ElderlyCarePlugin::institutionField(soci::session& db, const std::string& county,
                                                std::int64_t id, const std::string& field) {
  try {
    return institutionAt(db, county, id);
  } catch (const sdk::NotFound&) {
    throw sdk::ValidationError(field, "known-institution",
                               "no institution " + std::to_string(id) + " in county " + county);
  }
}

json ElderlyCarePlugin::institutionJson(soci::session& db, std::int64_t id) {
  const long long key = id;
  soci::rowset<soci::row> rows =
      (db.prepare << std::string(kInstitutionColumns) + " WHERE i.id = :id", soci::use(key));
  for (const auto& row : rows) return institutionRow(row);
  throw sdk::NotFound("no institution " + std::to_string(id));
}

namespace {
json withDeadline(json item, const ElderlyCarePlugin& plugin, const std::string& county) {
  if (item["first_admission_on"].is_string())
    item["filing_due"] =
        plugin.filingDeadline(county, dateOf(item["first_admission_on"])).toString();
  return item;
}
}  // namespace

sdk::Response ElderlyCarePlugin::createInstitution(sdk::Request& request) {
  auto& db = request.db();
  json fields = request.body();
  if (!fields.contains("grade")) fields["grade"] = nullptr;
  if (!fields.contains("registered_on")) fields["registered_on"] = request.today().toString();
  for (const char* key : {"bank_name", "bank_account"})
    if (!fields.contains(key)) fields[key] = nullptr;
  notInFuture(dateOf(fields["registered_on"]), request.today(), "registered_on");
  sdk::requireTownship(request.caller(), fields["township"].get<std::string>(), "the institution");
  checkInstitution(fields, context_->policy().get(kMinimumBeds, request.county(), request.today()));
  requireUniqueCode(db, request.county(), fields["uscc"], 0);
  const std::string name = fields["name"], code = fields["uscc"], profit = fields["profit"],
                    ownership = fields["ownership"], authority = fields["registration_authority"],
                    address = fields["address"], township = fields["township"],
                    legal = fields["legal_representative"], today = fields["registered_on"];
  const int beds = fields["beds"], nursing = fields["nursing_beds"], area = fields["floor_area_m2"];
  int grade = fields["grade"].is_null() ? 0 : fields["grade"].get<int>();
  soci::indicator grade_present = fields["grade"].is_null() ? soci::i_null : soci::i_ok;
  auto [bank_name, bank_name_present] = optionalText(fields["bank_name"]);
  auto [bank_account, bank_account_present] = optionalText(fields["bank_account"]);
  long long id = 0;
  db << "INSERT INTO ec_institutions (county_code, name, uscc, profit, ownership,"
        " registration_authority, address, township, legal_representative, beds, nursing_beds,"
        " floor_area_m2, grade, status, registered_on, bank_name, bank_account) VALUES (:c, :n,"
        " :u, :p, :o, :a, :ad, :t, :l, :b, :nb, :f, :g, 'operating', :r, :bn, :ba) RETURNING id",
      soci::use(request.county()), soci::use(name), soci::use(code), soci::use(profit),
      soci::use(ownership), soci::use(authority), soci::use(address), soci::use(township),
      soci::use(legal), soci::use(beds), soci::use(nursing), soci::use(area),
      soci::use(grade, grade_present), soci::use(today), soci::use(bank_name, bank_name_present),
      soci::use(bank_account, bank_account_present), soci::into(id);
  json audited = fields;  // an account not given is not a change
  for (const char* key : {"bank_name", "bank_account"})
    if (audited[key].is_null()) audited.erase(key);
  request.audit({sizeof(sdk::AuditRecord), "institution.create", "institution", std::to_string(id),
                 sdk::changedFields(nullptr, audited)});
  return sdk::Response::created(institutionJson(db, id), "/institutions/" + std::to_string(id));
}

sdk::Response ElderlyCarePlugin::listInstitutions(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kInstitutionList);
  sdk::ListQuery query("i.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "i.township"));
  if (auto township = request.queryParam("township"))
    query.add("i.township = " + query.text(*township));
  if (auto status = request.queryParam("status")) query.add("i.status = " + query.text(*status));
  if (auto name = request.queryParam("name")) query.add("i.name " + query.containing(*name));
  if (auto filed = request.queryParam("filed"))
    query.add(*filed == "true" ? "i.receipt_number IS NOT NULL" : "i.receipt_number IS NULL");
  const auto total = query.count(*lists_, db, " FROM ec_institutions i");
  soci::rowset<soci::row> rows = query.rows(db, std::string(kInstitutionColumns) + query.clause() +
                                                    " AND " + page.keysetCondition("i.id") +
                                                    page.orderAndLimit({{"id", "i.id"},
                                                                        {"name", "i.name"},
                                                                        {"township", "i.township"},
                                                                        {"beds", "i.beds"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    items.push_back(withDeadline(institutionRow(row), *this, request.county()));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response ElderlyCarePlugin::getInstitution(sdk::Request& request) {
  const auto found = scoped(request);
  return sdk::Response::ok(
      withDeadline(institutionJson(request.db(), found.id), *this, request.county()));
}

sdk::Response ElderlyCarePlugin::correctInstitution(sdk::Request& request) {
  auto& db = request.db();
  const auto found = scoped(request);
  const json& body = request.body();
  sdk::requireSomeField(body,
                        "name, uscc, profit, ownership, registration_authority, address, "
                        "township, legal_representative, beds, nursing_beds, floor_area_m2, grade, "
                        "registered_on, bank_name, bank_account");
  const json before = typedFields(institutionJson(db, found.id));
  json after = before;
  for (const auto& item : body.items()) after[item.key()] = item.value();
  if (after["township"] != before["township"])
    sdk::requireTownship(request.caller(), after["township"].get<std::string>(),
                         "institution " + std::to_string(found.id));
  const json changes = sdk::changedFields(before, after);
  if (changes.empty()) sdk::refuseUnchanged(body);
  checkInstitution(after, context_->policy().get(kMinimumBeds, request.county(), request.today()));
  notInFuture(dateOf(after["registered_on"]), request.today(), "registered_on");
  std::string earliest;
  soci::indicator earliest_present = soci::i_null;
  const long long institution_key = found.id;
  db << "SELECT MIN(admitted_on) FROM ec_residents WHERE institution_id = :i",
      soci::into(earliest, earliest_present), soci::use(institution_key);
  if (earliest_present == soci::i_ok && after["registered_on"].get<std::string>() > earliest)
    throw sdk::ValidationError(
        "registered_on", "before-admissions",
        "the institution admitted a resident on " + earliest + ", before this registration date");
  // Beds may not drop below the residents present (a bed holds one resident).
  long long present = 0;
  const long long key = found.id;
  db << "SELECT COUNT(*) FROM ec_residents WHERE institution_id = :i AND discharged_on IS NULL",
      soci::into(present), soci::use(key);
  if (after["beds"].get<long long>() < present)
    throw sdk::ValidationError("beds", "beds-for-residents",
                               std::to_string(present) +
                                   " residents are present; the beds "
                                   "cannot be fewer");
  // Nor below the beds that have had a construction subsidy (prepareConstruction: the beds
  // subsidised never exceed the institution's beds), prepared or paid, when the beds are lowered
  // (a correction of anything else goes through on a record from before this check).
  long long subsidised = 0;
  soci::rowset<soci::row> sums =
      (db.prepare
           << "SELECT SUM(new_beds) FROM ec_construction_subsidies WHERE institution_id = :i",
       soci::use(key));
  for (const auto& row : sums) subsidised = sdk::sql::optionalInt64At(row, 0).value_or(0);
  if (after["beds"].get<long long>() < found.beds && after["beds"].get<long long>() < subsidised)
    throw sdk::ValidationError("beds", "beds-subsidised",
                               std::to_string(subsidised) +
                                   " beds have had a construction subsidy; the beds cannot be "
                                   "fewer");
  requireUniqueCode(db, request.county(), after["uscc"], key);
  const std::string name = after["name"], code = after["uscc"], profit = after["profit"],
                    ownership = after["ownership"], authority = after["registration_authority"],
                    address = after["address"], township = after["township"],
                    legal = after["legal_representative"], registered = after["registered_on"];
  const int beds = after["beds"], nursing = after["nursing_beds"], area = after["floor_area_m2"];
  int grade = after["grade"].is_null() ? 0 : after["grade"].get<int>();
  soci::indicator grade_present = after["grade"].is_null() ? soci::i_null : soci::i_ok;
  auto [bank_name, bank_name_present] = optionalText(after["bank_name"]);
  auto [bank_account, bank_account_present] = optionalText(after["bank_account"]);
  db << "UPDATE ec_institutions SET name = :n, uscc = :u, profit = :p, ownership = :o,"
        " registration_authority = :a, address = :ad, township = :t, legal_representative = :l,"
        " beds = :b, nursing_beds = :nb, floor_area_m2 = :f, grade = :g, registered_on = :r,"
        " bank_name = :bn, bank_account = :ba WHERE id = :id",
      soci::use(name), soci::use(code), soci::use(profit), soci::use(ownership),
      soci::use(authority), soci::use(address), soci::use(township), soci::use(legal),
      soci::use(beds), soci::use(nursing), soci::use(area), soci::use(grade, grade_present),
      soci::use(registered), soci::use(bank_name, bank_name_present),
      soci::use(bank_account, bank_account_present), soci::use(key);
  request.audit({sizeof(sdk::AuditRecord), "institution.correct", "institution",
                 std::to_string(found.id), changes});
  return sdk::Response::ok(withDeadline(institutionJson(db, found.id), *this, request.county()));
}

sdk::Response ElderlyCarePlugin::fileInstitution(sdk::Request& request) {
  auto& db = request.db();
  const auto found = scoped(request);
  const json& body = request.body();
  const auto submitted =
      body.contains("submitted_on") ? dateOf(body["submitted_on"]) : request.today();
  notInFuture(submitted, request.today(), "submitted_on");
  if (found.receipt_number)
    throw sdk::Conflict("institution " + std::to_string(found.id) + " is already filed (receipt " +
                        *found.receipt_number + "); a change of filing is a correction");
  if (found.status == "closed")
    throw sdk::ValidationError("status", "institution-open", "a closed institution is not filed");
  std::vector<std::string> materials = body["materials"].get<std::vector<std::string>>();
  const auto missing = missingMaterials(materials);
  std::string receipt;
  soci::indicator receipt_present = soci::i_null;
  std::string notice;
  const std::string day = submitted.toString();
  const long long key = found.id;
  if (missing.empty()) {
    receipt = nextNumber(db, request.county(), "BA", submitted.year());
    receipt_present = soci::i_ok;
    db << "UPDATE ec_institutions SET receipt_number = :r, filed_on = :d WHERE id = :id",
        soci::use(receipt), soci::use(day), soci::use(key);
  } else {
    notice = "备案材料不齐，请一次性补正以下材料 (the filing lacks, all at once):";
    for (const auto& item : missing) notice += " " + item;
  }
  const std::string materials_text = json(materials).dump(), missing_text = json(missing).dump();
  long long id = 0;
  db << "INSERT INTO ec_filings (county_code, institution_id, submitted_on, materials, missing,"
        " receipt_number, submitted_by) VALUES (:c, :i, :d, :m, :x, :r, :by) RETURNING id",
      soci::use(request.county()), soci::use(key), soci::use(day), soci::use(materials_text),
      soci::use(missing_text), soci::use(receipt, receipt_present),
      soci::use(request.caller().user), soci::into(id);
  request.audit({sizeof(sdk::AuditRecord),
                 "institution.filing",
                 "institution",
                 std::to_string(found.id),
                 {{"receipt_number",
                   {{"old", nullptr}, {"new", missing.empty() ? json(receipt) : json(nullptr)}}},
                  {"missing", {{"old", nullptr}, {"new", missing}}}}});
  return sdk::Response::created(
      {{"id", id},
       {"institution_id", found.id},
       {"submitted_on", day},
       {"complete", missing.empty()},
       {"receipt_number", missing.empty() ? json(receipt) : json(nullptr)},
       {"missing", missing},
       {"notice", missing.empty() ? json(nullptr) : json(notice)}},
      "/filings");
}

sdk::Response ElderlyCarePlugin::listFilings(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kFilingList);
  sdk::ListQuery query("f.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "i.township"));
  if (auto institution = request.queryParam("institution_id"))
    query.add("f.institution_id = " + query.number(std::stoll(*institution)));
  if (auto complete = request.queryParam("complete"))
    query.add(*complete == "true" ? "f.receipt_number IS NOT NULL" : "f.receipt_number IS NULL");
  const std::string tables = " FROM ec_filings f JOIN ec_institutions i ON i.id = f.institution_id";
  const auto total = query.count(*lists_, db, tables);
  soci::rowset<soci::row> rows =
      query.rows(db, "SELECT f.id, f.institution_id, f.submitted_on, f.receipt_number, f.missing" +
                         tables + query.clause() + " AND " + page.keysetCondition("f.id") +
                         page.orderAndLimit({{"id", "f.id"}, {"submitted_on", "f.submitted_on"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    const auto receipt = sdk::sql::optionalTextAt(row, 3);
    const json missing = json::parse(sdk::sql::textAt(row, 4));
    std::string notice;
    for (const auto& item : missing)
      notice += (notice.empty() ? "" : " ") + item.get<std::string>();
    items.push_back(sdk::jsonObject(
        {{"id", sdk::sql::int64At(row, 0)},
         {"institution_id", sdk::sql::int64At(row, 1)},
         {"submitted_on", sdk::sql::textAt(row, 2)},
         {"complete", receipt.has_value()},
         {"receipt_number", receipt ? json(*receipt) : json(nullptr)},
         {"missing", missing},
         {"notice", missing.empty() ? json(nullptr) : json("missing: " + notice)}}));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response ElderlyCarePlugin::overdueFilings(sdk::Request& request) {
  json items = json::array();
  for (const auto& overdue : overdueFilingsOf(request.db(), request.county(), request.today())) {
    if (!sdk::coversTownship(request.caller(), overdue.township)) continue;
    items.push_back(sdk::jsonObject({{"id", overdue.id},
                                     {"name", overdue.name},
                                     {"township", overdue.township},
                                     {"first_admission_on", overdue.first_admission_on.toString()},
                                     {"filing_due", overdue.deadline.toString()}}));
  }
  const auto total = items.size();
  return sdk::Response::ok({{"items", std::move(items)}, {"total", total}});
}

sdk::Response ElderlyCarePlugin::changeStatus(sdk::Request& request) {
  auto& db = request.db();
  const auto found = scoped(request);
  const json& body = request.body();
  const std::string status = body["status"], reason = body["reason"];
  const auto on = dateOf(body["on_date"]);
  if (status == found.status)
    throw sdk::ValidationError("status", "unchanged", "the institution is already " + status);
  if (found.status == "closed")
    throw sdk::ValidationError("status", "closed-is-final", "a closed institution stays closed");
  if (on < found.registered_on)
    throw sdk::ValidationError("on_date", "after-registration",
                               "the date is before the registration");
  long long present = 0;
  const long long key = found.id;
  db << "SELECT COUNT(*) FROM ec_residents WHERE institution_id = :i AND discharged_on IS NULL",
      soci::into(present), soci::use(key);
  std::string plan = body.value("resettlement_plan", "");
  soci::indicator plan_present = plan.empty() ? soci::i_null : soci::i_ok;
  if (status != "operating" && present > 0 && plan.empty())
    throw sdk::ValidationError("resettlement_plan", "resettlement-plan",
                               std::to_string(present) +
                                   " residents are present: suspension or closure needs a "
                                   "resettlement plan (养老机构管理办法 §44)");
  if (status == "closed" && present > 0)
    throw sdk::ValidationError("status", "residents-resettled",
                               std::to_string(present) +
                                   " residents are still present: discharge or transfer each "
                                   "under the plan before closing");
  const std::string day = on.toString();
  db << "UPDATE ec_institutions SET status = :s WHERE id = :id", soci::use(status), soci::use(key);
  const int residents = static_cast<int>(present);
  db << "INSERT INTO ec_status_changes (institution_id, status, on_date, reason,"
        " resettlement_plan, residents, by_user) VALUES (:i, :s, :d, :r, :p, :n, :by)",
      soci::use(key), soci::use(status), soci::use(day), soci::use(reason),
      soci::use(plan, plan_present), soci::use(residents), soci::use(request.caller().user);
  request.audit({sizeof(sdk::AuditRecord),
                 "institution.status",
                 "institution",
                 std::to_string(found.id),
                 {{"status", {{"old", found.status}, {"new", status}}},
                  {"on_date", {{"old", nullptr}, {"new", day}}},
                  {"reason", {{"old", nullptr}, {"new", reason}}}}});
  return sdk::Response::ok(withDeadline(institutionJson(db, found.id), *this, request.county()));
}

}  // namespace civ::plugins::elderly_care
