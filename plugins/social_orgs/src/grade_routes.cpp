// Evaluation grades (社会组织评估管理办法): awards valid five years with the eligibility rules,
// downgrades and cancellations with the 2- and 3-year bars, the list of decisions.
#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/context.h>
#include <civ/sdk/correction.h>
#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/list.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/sql_json.h>

#include "organisation_columns.h"
#include "social_orgs_plugin.h"
#include "social_orgs_rules.h"

namespace civ::plugins::social_orgs {

namespace {

using nlohmann::json;

json gradesWhere(soci::session& db, sdk::ListQuery& query, const std::string& tail,
                 std::vector<std::int64_t>* ids = nullptr) {
  soci::rowset<soci::row> rows = query.rows(
      db,
      "SELECT g.id, g.organisation_id, o.name, g.action, g.grade, g.decided_on, g.valid_until"
      " FROM so_grades g JOIN so_organisations o ON o.id = g.organisation_id" +
          query.clause() + tail);
  json items = json::array();
  for (const auto& row : rows) {
    using namespace sdk::sql;
    items.push_back(sdk::jsonObject({{"id", int64At(row, 0)},
                                     {"organisation_id", int64At(row, 1)},
                                     {"organisation", textAt(row, 2)},
                                     {"action", textAt(row, 3)},
                                     {"grade", int64OrNullAt(row, 4)},
                                     {"decided_on", textAt(row, 5)},
                                     {"valid_until", textOrNullAt(row, 6)}}));
    if (ids) ids->push_back(int64At(row, 0));
  }
  return items;
}

/// The last day of `action` on the organisation, if any.
std::optional<sdk::Date> lastAction(soci::session& db, std::int64_t organisation,
                                    const char* action) {
  const long long key = organisation;
  // Named: SOCI runs the statement when the full expression ends, after a temporary is gone.
  const std::string action_text = action;
  std::string on;
  soci::indicator present = soci::i_null;
  db << "SELECT MAX(decided_on) FROM so_grades WHERE organisation_id = :o AND action = :a",
      soci::into(on, present), soci::use(key), soci::use(action_text);
  if (present != soci::i_ok) return std::nullopt;
  return sdk::Date::parse(on);
}

}  // namespace

std::optional<std::pair<int, sdk::Date>> gradeInForce(soci::session& db, std::int64_t organisation,
                                                      sdk::Date on) {
  const long long key = organisation;
  const std::string day = on.toString();
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT action, grade, valid_until FROM so_grades WHERE organisation_id = :o"
                     " AND decided_on <= :d ORDER BY decided_on DESC, id DESC LIMIT 1",
       soci::use(key), soci::use(day));
  for (const auto& row : rows) {
    if (sdk::sql::textAt(row, 0) == "cancel") return std::nullopt;
    const auto until = *sdk::Date::parse(sdk::sql::textAt(row, 2));
    if (until < on) return std::nullopt;
    return std::make_pair(static_cast<int>(sdk::sql::int64At(row, 1)), until);
  }
  return std::nullopt;
}

sdk::Response SocialOrgsPlugin::decideGrade(sdk::Request& request) {
  auto& db = request.db();
  const auto found = organisationAt(request);
  if (found.status != "registered" || !found.registered_on)
    throw sdk::ValidationError(
        "id", "registered-organisation",
        "only a registered organisation is graded; this one is " + found.status);
  const json& body = request.body();
  const std::string action = body["action"];
  const auto today = request.today();
  const auto current = gradeInForce(db, found.id, today);
  long long grade = 0;
  soci::indicator grade_i = soci::i_null;
  std::string until;
  soci::indicator until_i = soci::i_null;
  if (action == "award") {
    if (!body.contains("grade"))
      throw sdk::ValidationError("grade", "grade-required", "an award names the grade, 1 to 5");
    const auto by_year = inspectionOutcomes(db, found.id, found.type, *found.registered_on, today);
    GradeFacts facts;
    facts.registered_on = *found.registered_on;
    facts.applied_on = today;
    const auto outcome = [&](int year) -> std::optional<std::string> {
      const auto at = by_year.find(year);
      if (at == by_year.end()) return std::nullopt;
      return at->second == "exempt" ? std::string("passed") : at->second;
    };
    facts.last_year_outcome = outcome(today.year() - 1);
    facts.year_before_outcome = outcome(today.year() - 2);
    facts.penalised_last_year = penalisedIn(db, found.id, today.year() - 1);
    facts.under_investigation = underInvestigation(db, found.id);
    facts.last_downgraded_on = lastAction(db, found.id, "downgrade");
    facts.last_cancelled_on = lastAction(db, found.id, "cancel");
    auto problems = gradeProblems(facts);
    if (!problems.empty()) throw sdk::ValidationError(std::move(problems));
    grade = body["grade"];
    grade_i = soci::i_ok;
    until = gradeValidUntil(today).toString();
    until_i = soci::i_ok;
  } else {
    if (!current)
      throw sdk::ValidationError("action", "grade-in-force",
                                 "the organisation holds no grade in force to " + action);
    if (action == "downgrade") {
      if (!body.contains("grade") || body["grade"].get<int>() >= current->first)
        throw sdk::ValidationError(
            "grade", "lower-than-current",
            "a downgrade names a grade below the current " + std::to_string(current->first) + "A");
      grade = body["grade"];
      grade_i = soci::i_ok;
      until = current->second.toString();  // the original five years still end the grade
      until_i = soci::i_ok;
    } else if (body.contains("grade")) {
      throw sdk::ValidationError("grade", "no-grade-on-cancel", "a cancellation names no grade");
    }
  }
  const long long key = found.id;
  const std::string today_text = today.toString();
  long long id = 0;
  db << "INSERT INTO so_grades (county_code, organisation_id, action, grade, decided_on,"
        " valid_until) VALUES (:c, :o, :a, :g, :d, :u) RETURNING id",
      soci::use(request.county()), soci::use(key), soci::use(action), soci::use(grade, grade_i),
      soci::use(today_text), soci::use(until, until_i), soci::into(id);
  sdk::ListQuery query("g.county_code", request.county());
  query.add("g.id = " + query.number(id));
  const json created = gradesWhere(db, query, "").at(0);
  request.audit({sizeof(sdk::AuditRecord), "grade." + action, "organisation",
                 std::to_string(found.id), sdk::changedFields(nullptr, created)});
  return sdk::Response::created(created, "/grades?organisation_id=" + std::to_string(found.id));
}

sdk::Response SocialOrgsPlugin::listGrades(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kGradeList);
  sdk::ListQuery query("g.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "o.township"));
  if (auto action = request.queryParam("action")) query.add("g.action = " + query.text(*action));
  if (auto grade = request.queryParam("grade"))
    query.add("g.grade = " + query.number(std::stoll(*grade)));
  if (auto organisation = request.queryParam("organisation_id"))
    query.add("g.organisation_id = " + query.number(std::stoll(*organisation)));
  const auto total = query.count(
      *lists_, db, " FROM so_grades g JOIN so_organisations o ON o.id = g.organisation_id");
  std::vector<std::int64_t> ids;
  json items = gradesWhere(db, query,
                           " AND " + page.keysetCondition("g.id") +
                               page.orderAndLimit({{"id", "g.id"}, {"decided_on", "g.decided_on"}}),
                           &ids);
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response SocialOrgsPlugin::correctGrade(sdk::Request& request) {
  auto& db = request.db();
  const json& patch = request.body();
  sdk::requireSomeField(patch, "grade");
  const long long id = request.pathId("id");
  sdk::ListQuery query("g.county_code", request.county());
  query.add("g.id = " + query.number(id));
  const json items = gradesWhere(db, query, "");
  if (items.empty()) throw sdk::NotFound("no grade decision " + std::to_string(id));
  const json before = items.at(0);
  const auto organisation = organisationJson(request, before["organisation_id"]);
  sdk::requireTownship(request.caller(), organisation["township"].get<std::string>(),
                       "grade decision " + std::to_string(id));
  if (before["action"] == "cancel")
    throw sdk::ValidationError("grade", "no-grade-on-cancel", "a cancellation names no grade");
  const long long grade = patch["grade"];
  if (before["grade"] == grade) sdk::refuseUnchanged(patch);
  if (before["action"] == "downgrade") {
    // The corrected grade stays below the grade in force the day before the downgrade.
    const auto decided = *sdk::Date::parse(before["decided_on"].get<std::string>());
    const auto previous = gradeInForce(db, before["organisation_id"], decided.addDays(-1));
    if (previous && grade >= previous->first)
      throw sdk::ValidationError("grade", "lower-than-current",
                                 "a downgrade names a grade below the " +
                                     std::to_string(previous->first) + "A it lowered");
  }
  db << "UPDATE so_grades SET grade = :g WHERE id = :id", soci::use(grade), soci::use(id);
  const json after = gradesWhere(db, query, "").at(0);
  request.audit({sizeof(sdk::AuditRecord), "grade.correct", "grade", std::to_string(id),
                 sdk::changedFields(before, after)});
  return sdk::Response::ok(after);
}

}  // namespace civ::plugins::social_orgs
