// Safety: yearly on-site inspections, hazards with rectification deadlines and re-checks,
// penalties (warning, then a fine up to 30,000 yuan).
#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/context.h>
#include <civ/sdk/correction.h>
#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/list.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/money.h>
#include <civ/sdk/policy.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/sql_json.h>

#include "elderly_care_plugin.h"
#include "elderly_care_rules.h"
#include "parameters.h"

namespace civ::plugins::elderly_care {

namespace {

using nlohmann::json;

const char* kInspectionColumns =
    "SELECT x.id, x.institution_id, i.name, i.township, x.inspected_on, x.inspectors, x.findings,"
    " (SELECT COUNT(*) FROM ec_hazards h WHERE h.inspection_id = x.id) FROM ec_inspections x"
    " JOIN ec_institutions i ON i.id = x.institution_id";

json inspectionRow(const soci::row& row) {
  return sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                          {"institution_id", sdk::sql::int64At(row, 1)},
                          {"institution", sdk::sql::textAt(row, 2)},
                          {"township", sdk::sql::textAt(row, 3)},
                          {"inspected_on", sdk::sql::textAt(row, 4)},
                          {"inspectors", sdk::sql::textAt(row, 5)},
                          {"findings", sdk::sql::textAt(row, 6)},
                          {"hazards", sdk::sql::int64At(row, 7)}});
}

json inspectionJson(soci::session& db, long long id) {
  soci::rowset<soci::row> rows =
      (db.prepare << std::string(kInspectionColumns) + " WHERE x.id = :id", soci::use(id));
  for (const auto& row : rows) return inspectionRow(row);
  throw sdk::NotFound("no inspection " + std::to_string(id));
}

const char* kHazardColumns =
    "SELECT h.id, h.institution_id, i.name, i.township, h.inspection_id, h.category,"
    " h.major_situation, h.description, h.found_on, h.deadline, h.status, h.rechecked_on,"
    " h.closed_on FROM ec_hazards h JOIN ec_institutions i ON i.id = h.institution_id";

json hazardRow(const soci::row& row, sdk::Date today) {
  const std::string status = sdk::sql::textAt(row, 10);
  const auto deadline = *sdk::Date::parse(sdk::sql::textAt(row, 9));
  return sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                          {"institution_id", sdk::sql::int64At(row, 1)},
                          {"institution", sdk::sql::textAt(row, 2)},
                          {"township", sdk::sql::textAt(row, 3)},
                          {"inspection_id", sdk::sql::int64At(row, 4)},
                          {"category", sdk::sql::textOrNullAt(row, 5)},
                          {"major_situation", sdk::sql::int64OrNullAt(row, 6)},
                          {"description", sdk::sql::textAt(row, 7)},
                          {"found_on", sdk::sql::textAt(row, 8)},
                          {"deadline", deadline.toString()},
                          {"status", status},
                          {"overdue", status == "open" && hazardOverdue(deadline, today)},
                          {"rechecked_on", sdk::sql::textOrNullAt(row, 11)},
                          {"closed_on", sdk::sql::textOrNullAt(row, 12)}});
}

json hazardJson(soci::session& db, long long id, sdk::Date today) {
  soci::rowset<soci::row> rows =
      (db.prepare << std::string(kHazardColumns) + " WHERE h.id = :id", soci::use(id));
  for (const auto& row : rows) return hazardRow(row, today);
  throw sdk::NotFound("no hazard " + std::to_string(id));
}

/// The row `id` of `table` in the county and its institution's township (NotFound, Forbidden).
struct Scoped {
  long long id;
  long long institution_id;
  std::string township;
};
Scoped scopedRow(sdk::Request& request, const std::string& table, const std::string& what) {
  const long long id = request.pathId("id");
  soci::rowset<soci::row> rows =
      (request.db().prepare << "SELECT t.id, t.institution_id, i.township FROM " + table +
                                   " t JOIN ec_institutions i ON i.id = t.institution_id WHERE"
                                   " t.id = :id AND t.county_code = :c",
       soci::use(id), soci::use(request.county()));
  for (const auto& row : rows) {
    Scoped found{sdk::sql::int64At(row, 0), sdk::sql::int64At(row, 1), sdk::sql::textAt(row, 2)};
    sdk::requireTownship(request.caller(), found.township, what + " " + std::to_string(id));
    return found;
  }
  throw sdk::NotFound("no " + what + " " + std::to_string(id) + " in county " + request.county());
}

}  // namespace

sdk::Response ElderlyCarePlugin::recordInspection(sdk::Request& request) {
  auto& db = request.db();
  const auto institution = institutionAt(db, request.county(), request.pathId("id"));
  sdk::requireTownship(request.caller(), institution.township,
                       "institution " + std::to_string(institution.id));
  const json& body = request.body();
  const auto on = dateOf(body["inspected_on"]);
  notInFuture(on, request.today(), "inspected_on");
  if (on < institution.registered_on)
    throw sdk::ValidationError("inspected_on", "after-registration",
                               "the inspection is before the institution's registration");
  const std::string day = on.toString(), inspectors = body["inspectors"],
                    findings = body["findings"];
  const long long key = institution.id;
  long long id = 0;
  db << "INSERT INTO ec_inspections (county_code, institution_id, inspected_on, inspectors,"
        " findings, recorded_by) VALUES (:c, :i, :d, :x, :f, :by) RETURNING id",
      soci::use(request.county()), soci::use(key), soci::use(day), soci::use(inspectors),
      soci::use(findings), soci::use(request.caller().user), soci::into(id);
  request.audit({sizeof(sdk::AuditRecord), "inspection.create", "inspection", std::to_string(id),
                 sdk::changedFields(nullptr, body)});
  return sdk::Response::created(inspectionJson(db, id), "/inspections");
}

sdk::Response ElderlyCarePlugin::listInspections(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kInspectionList);
  sdk::ListQuery query("x.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "i.township"));
  if (auto institution = request.queryParam("institution_id"))
    query.add("x.institution_id = " + query.number(std::stoll(*institution)));
  query.addPeriod(request, "x.inspected_on");
  const auto total = query.count(
      *lists_, db, " FROM ec_inspections x JOIN ec_institutions i ON i.id = x.institution_id");
  soci::rowset<soci::row> rows =
      query.rows(db, std::string(kInspectionColumns) + query.clause() + " AND " +
                         page.keysetCondition("x.id") +
                         page.orderAndLimit({{"id", "x.id"}, {"inspected_on", "x.inspected_on"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    items.push_back(inspectionRow(row));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response ElderlyCarePlugin::correctInspection(sdk::Request& request) {
  auto& db = request.db();
  const auto found = scopedRow(request, "ec_inspections", "inspection");
  const json& body = request.body();
  sdk::requireSomeField(body, "inspected_on, inspectors, findings");
  const json current = inspectionJson(db, found.id);
  json before = {{"inspected_on", current["inspected_on"]},
                 {"inspectors", current["inspectors"]},
                 {"findings", current["findings"]}};
  json after = before;
  for (const auto& item : body.items()) after[item.key()] = item.value();
  const json changes = sdk::changedFields(before, after);
  if (changes.empty()) sdk::refuseUnchanged(body);
  notInFuture(dateOf(after["inspected_on"]), request.today(), "inspected_on");
  const std::string day = after["inspected_on"], inspectors = after["inspectors"],
                    findings = after["findings"];
  db << "UPDATE ec_inspections SET inspected_on = :d, inspectors = :x, findings = :f WHERE id = "
        ":id",
      soci::use(day), soci::use(inspectors), soci::use(findings), soci::use(found.id);
  request.audit({sizeof(sdk::AuditRecord), "inspection.correct", "inspection",
                 std::to_string(found.id), changes});
  return sdk::Response::ok(inspectionJson(db, found.id));
}

sdk::Response ElderlyCarePlugin::overdueInspections(sdk::Request& request) {
  auto& db = request.db();
  const auto today = request.today();
  const auto months =
      static_cast<int>(context_->policy().get(kInspectionIntervalMonths, request.county(), today));
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT i.id, i.name, i.township, i.registered_on, (SELECT"
                     " MAX(x.inspected_on) FROM ec_inspections x WHERE x.institution_id = i.id)"
                     " FROM ec_institutions i WHERE i.county_code = :c AND i.status <> 'closed'"
                     " ORDER BY i.id",
       soci::use(request.county()));
  json items = json::array();
  for (const auto& row : rows) {
    const std::string township = sdk::sql::textAt(row, 2);
    if (!sdk::coversTownship(request.caller(), township)) continue;
    std::optional<sdk::Date> last;
    if (auto text = sdk::sql::optionalTextAt(row, 4)) last = sdk::Date::parse(*text);
    const auto due = inspectionDue(last, *sdk::Date::parse(sdk::sql::textAt(row, 3)), months);
    if (today <= due) continue;
    items.push_back(
        sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                         {"name", sdk::sql::textAt(row, 1)},
                         {"township", township},
                         {"last_inspected_on", last ? json(last->toString()) : json(nullptr)},
                         {"due", due.toString()}}));
  }
  const auto total = items.size();
  return sdk::Response::ok({{"items", std::move(items)}, {"total", total}});
}

sdk::Response ElderlyCarePlugin::recordHazard(sdk::Request& request) {
  auto& db = request.db();
  const auto inspection = scopedRow(request, "ec_inspections", "inspection");
  const json& body = request.body();
  const bool has_category = body.contains("category"), major = body.contains("major_situation");
  if (has_category == major)
    throw sdk::ValidationError("category", "category-or-major",
                               "give one of the nine GB 38600 categories (category) or one of "
                               "the 22 major-hazard situations (major_situation)");
  const json current = inspectionJson(db, inspection.id);
  const auto found_on = dateOf(current["inspected_on"]);
  const auto deadline = dateOf(body["deadline"]);
  if (deadline < found_on)
    throw sdk::ValidationError(
        "deadline", "deadline-after-finding",
        "the rectification deadline is before the inspection on " + found_on.toString());
  std::string category = body.value("category", "");
  soci::indicator category_present = has_category ? soci::i_ok : soci::i_null;
  int situation = body.value("major_situation", 0);
  soci::indicator situation_present = major ? soci::i_ok : soci::i_null;
  const std::string description = body["description"], found_text = found_on.toString(),
                    deadline_text = deadline.toString();
  long long id = 0;
  db << "INSERT INTO ec_hazards (county_code, institution_id, inspection_id, category,"
        " major_situation, description, found_on, deadline, status) VALUES (:c, :i, :x, :k, :m,"
        " :d, :f, :dl, 'open') RETURNING id",
      soci::use(request.county()), soci::use(inspection.institution_id), soci::use(inspection.id),
      soci::use(category, category_present), soci::use(situation, situation_present),
      soci::use(description), soci::use(found_text), soci::use(deadline_text), soci::into(id);
  request.audit({sizeof(sdk::AuditRecord), "hazard.create", "hazard", std::to_string(id),
                 sdk::changedFields(nullptr, body)});
  return sdk::Response::created(hazardJson(db, id, request.today()), "/hazards");
}

sdk::Response ElderlyCarePlugin::listHazards(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kHazardList);
  sdk::ListQuery query("h.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "i.township"));
  if (auto institution = request.queryParam("institution_id"))
    query.add("h.institution_id = " + query.number(std::stoll(*institution)));
  if (auto status = request.queryParam("status")) query.add("h.status = " + query.text(*status));
  if (auto overdue = request.queryParam("overdue")) {
    const std::string day = request.today().toString();
    query.add(*overdue == "true" ? "(h.status = 'open' AND h.deadline < " + query.text(day) + ")"
                                 : "(h.status <> 'open' OR h.deadline >= " + query.text(day) + ")");
  }
  if (auto major = request.queryParam("major"))
    query.add(*major == "true" ? "h.major_situation IS NOT NULL" : "h.major_situation IS NULL");
  const auto total = query.count(
      *lists_, db, " FROM ec_hazards h JOIN ec_institutions i ON i.id = h.institution_id");
  soci::rowset<soci::row> rows = query.rows(
      db, std::string(kHazardColumns) + query.clause() + " AND " + page.keysetCondition("h.id") +
              page.orderAndLimit(
                  {{"id", "h.id"}, {"deadline", "h.deadline"}, {"found_on", "h.found_on"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    items.push_back(hazardRow(row, request.today()));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response ElderlyCarePlugin::correctHazard(sdk::Request& request) {
  auto& db = request.db();
  const auto found = scopedRow(request, "ec_hazards", "hazard");
  const json& body = request.body();
  sdk::requireSomeField(body, "category, description");
  const json current = hazardJson(db, found.id, request.today());
  if (body.contains("category") && current["category"].is_null())
    throw sdk::ValidationError("category", "category-or-major",
                               "a major hazard has a situation, not a category");
  json before = {{"category", current["category"]}, {"description", current["description"]}};
  json after = before;
  for (const auto& item : body.items()) after[item.key()] = item.value();
  const json changes = sdk::changedFields(before, after);
  if (changes.empty()) sdk::refuseUnchanged(body);
  std::string category = after["category"].is_null() ? "" : after["category"].get<std::string>();
  soci::indicator category_present = after["category"].is_null() ? soci::i_null : soci::i_ok;
  const std::string description = after["description"];
  db << "UPDATE ec_hazards SET category = :k, description = :d WHERE id = :id",
      soci::use(category, category_present), soci::use(description), soci::use(found.id);
  request.audit(
      {sizeof(sdk::AuditRecord), "hazard.correct", "hazard", std::to_string(found.id), changes});
  return sdk::Response::ok(hazardJson(db, found.id, request.today()));
}

sdk::Response ElderlyCarePlugin::recheckHazard(sdk::Request& request) {
  auto& db = request.db();
  const auto found = scopedRow(request, "ec_hazards", "hazard");
  const json& body = request.body();
  const json current = hazardJson(db, found.id, request.today());
  if (current["status"] == "closed")
    throw sdk::Conflict("hazard " + std::to_string(found.id) + " is closed (销号) already");
  const auto on = dateOf(body["on_date"]);
  notInFuture(on, request.today(), "on_date");
  if (on < dateOf(current["found_on"]))
    throw sdk::ValidationError("on_date", "after-finding", "the re-check is before the finding");
  const bool rectified = body["rectified"];
  std::string new_deadline;
  soci::indicator deadline_present = soci::i_null;
  if (!rectified) {
    if (!body.contains("new_deadline"))
      throw sdk::ValidationError("new_deadline", "required",
                                 "a hazard not rectified gets a new rectification deadline");
    if (dateOf(body["new_deadline"]) <= on)
      throw sdk::ValidationError("new_deadline", "deadline-after-recheck",
                                 "the new deadline is after the re-check");
    new_deadline = body["new_deadline"];
    deadline_present = soci::i_ok;
  }
  const std::string day = on.toString(), note = body["note"];
  const int rectified_flag = rectified ? 1 : 0;
  db << "INSERT INTO ec_hazard_rechecks (hazard_id, on_date, rectified, note, new_deadline,"
        " by_user) VALUES (:h, :d, :r, :n, :nd, :by)",
      soci::use(found.id), soci::use(day), soci::use(rectified_flag), soci::use(note),
      soci::use(new_deadline, deadline_present), soci::use(request.caller().user);
  json changes = {{"rechecked_on", {{"old", current["rechecked_on"]}, {"new", day}}}};
  if (rectified) {
    db << "UPDATE ec_hazards SET status = 'closed', rechecked_on = :d, closed_on = :c WHERE id = "
          ":id",
        soci::use(day), soci::use(day), soci::use(found.id);
    changes["status"] = {{"old", "open"}, {"new", "closed"}};
    changes["closed_on"] = {{"old", nullptr}, {"new", day}};
  } else {
    db << "UPDATE ec_hazards SET rechecked_on = :d, deadline = :dl WHERE id = :id", soci::use(day),
        soci::use(new_deadline), soci::use(found.id);
    changes["deadline"] = {{"old", current["deadline"]}, {"new", new_deadline}};
  }
  request.audit(
      {sizeof(sdk::AuditRecord), "hazard.recheck", "hazard", std::to_string(found.id), changes});
  return sdk::Response::ok(hazardJson(db, found.id, request.today()));
}

sdk::Response ElderlyCarePlugin::recordPenalty(sdk::Request& request) {
  auto& db = request.db();
  const auto institution = institutionAt(db, request.county(), request.pathId("id"));
  sdk::requireTownship(request.caller(), institution.township,
                       "institution " + std::to_string(institution.id));
  const json& body = request.body();
  const std::string kind = body["kind"], basis = body["basis"];
  const auto on = dateOf(body["decided_on"]);
  notInFuture(on, request.today(), "decided_on");
  const long long key = institution.id;
  sdk::Money amount;
  if (kind == "fine") {
    if (!body.contains("amount"))
      throw sdk::ValidationError("amount", "required", "the amount of the fine");
    amount = *sdk::Money::parse(body["amount"].get<std::string>());
    if (auto problem =
            checkFine(amount, context_->policy().get(kFineMaximum, request.county(), on)))
      throw sdk::ValidationError(std::vector<sdk::FieldError>{*problem});
    long long warnings = 0;
    const std::string day = on.toString();
    db << "SELECT COUNT(*) FROM ec_penalties WHERE institution_id = :i AND kind = 'warning' AND"
          " decided_on <= :d",
        soci::into(warnings), soci::use(key), soci::use(day);
    if (warnings == 0)
      throw sdk::ValidationError("kind", "warning-first",
                                 "a fine follows a warning that was not heeded "
                                 "(养老机构管理办法 §46)");
  } else if (body.contains("amount")) {
    throw sdk::ValidationError("amount", "warning-without-amount", "a warning has no amount");
  }
  const long long fen = amount.fen();
  const std::string day = on.toString();
  long long id = 0;
  db << "INSERT INTO ec_penalties (county_code, institution_id, kind, amount_fen, decided_on,"
        " basis, by_user) VALUES (:c, :i, :k, :a, :d, :b, :by) RETURNING id",
      soci::use(request.county()), soci::use(key), soci::use(kind), soci::use(fen), soci::use(day),
      soci::use(basis), soci::use(request.caller().user), soci::into(id);
  request.audit({sizeof(sdk::AuditRecord), "penalty.create", "institution",
                 std::to_string(institution.id),
                 sdk::changedFields(nullptr, {{"kind", kind},
                                              {"amount", amount.toString()},
                                              {"decided_on", day},
                                              {"basis", basis}})});
  return sdk::Response::created({{"id", id},
                                 {"institution_id", institution.id},
                                 {"institution", institution.name},
                                 {"kind", kind},
                                 {"amount", amount.toString()},
                                 {"decided_on", day},
                                 {"basis", basis}},
                                "/penalties");
}

sdk::Response ElderlyCarePlugin::listPenalties(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kPenaltyList);
  sdk::ListQuery query("x.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "i.township"));
  if (auto institution = request.queryParam("institution_id"))
    query.add("x.institution_id = " + query.number(std::stoll(*institution)));
  const std::string tables =
      " FROM ec_penalties x JOIN ec_institutions i ON i.id = x.institution_id";
  const auto total = query.count(*lists_, db, tables);
  soci::rowset<soci::row> rows = query.rows(
      db, "SELECT x.id, x.institution_id, i.name, x.kind, x.amount_fen, x.decided_on, x.basis" +
              tables + query.clause() + " AND " + page.keysetCondition("x.id") +
              page.orderAndLimit({{"id", "x.id"}, {"decided_on", "x.decided_on"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    items.push_back(
        sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                         {"institution_id", sdk::sql::int64At(row, 1)},
                         {"institution", sdk::sql::textAt(row, 2)},
                         {"kind", sdk::sql::textAt(row, 3)},
                         {"amount", sdk::Money::fromFen(sdk::sql::int64At(row, 4)).toString()},
                         {"decided_on", sdk::sql::textAt(row, 5)},
                         {"basis", sdk::sql::textAt(row, 6)}}));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

}  // namespace civ::plugins::elderly_care
