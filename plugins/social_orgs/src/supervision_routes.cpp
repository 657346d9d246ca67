// Supervision of registered organisations: annual inspections with rectification, the
// two-year and one-year revocation rules, liquidation and deregistration, the overdue list.
#include <map>
#include <set>

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

#include "organisation_columns.h"
#include "parameters.h"
#include "social_orgs_plugin.h"
#include "social_orgs_rules.h"

namespace civ::plugins::social_orgs {

namespace {

using nlohmann::json;

sdk::Date dateOf(const json& value) { return *sdk::Date::parse(value.get<std::string>()); }

constexpr const char* kInspectionColumns =
    "i.id, i.organisation_id, o.name, i.year, o.type, i.sponsor_submitted_on, i.submitted_on,"
    " i.result, i.result_on, i.rectify_due, i.rectified_on";

json inspectionRow(const soci::row& row) {
  using namespace sdk::sql;
  const int year = static_cast<int>(int64At(row, 3));
  const auto dates = inspectionDates(textAt(row, 4), year);
  const std::string submitted = textAt(row, 6);
  return sdk::jsonObject(
      {{"id", int64At(row, 0)},
       {"organisation_id", int64At(row, 1)},
       {"organisation", textAt(row, 2)},
       {"year", year},
       {"sponsor_due", dates.sponsor_due ? json(dates.sponsor_due->toString()) : json(nullptr)},
       {"registry_due", dates.registry_due.toString()},
       {"sponsor_submitted_on", textOrNullAt(row, 5)},
       {"submitted_on", submitted},
       {"late", *sdk::Date::parse(submitted) > dates.registry_due},
       {"result", textAt(row, 7)},
       {"result_on", textAt(row, 8)},
       {"rectify_due", textOrNullAt(row, 9)},
       {"rectified_on", textOrNullAt(row, 10)}});
}

json inspectionsWhere(soci::session& db, sdk::ListQuery& query, const std::string& tail,
                      std::vector<std::int64_t>* ids = nullptr) {
  soci::rowset<soci::row> rows = query.rows(
      db, std::string("SELECT ") + kInspectionColumns +
              " FROM so_inspections i JOIN so_organisations o ON o.id = i.organisation_id" +
              query.clause() + tail);
  json items = json::array();
  for (const auto& row : rows) {
    items.push_back(inspectionRow(row));
    if (ids) ids->push_back(sdk::sql::int64At(row, 0));
  }
  return items;
}

std::optional<sdk::Date> optionalDate(const json& value) {
  if (value.is_null()) return std::nullopt;
  return sdk::Date::parse(value.get<std::string>());
}

}  // namespace

/// Each year an organisation owed or had an inspection, up to the last one due by `today`: its
/// result, "absent" when owed and not recorded by the registry's due day.
std::map<int, std::string> inspectionOutcomes(soci::session& db, std::int64_t organisation,
                                              const std::string& type, sdk::Date registered_on,
                                              sdk::Date today) {
  std::map<int, std::string> recorded;
  const long long key = organisation;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT year, result FROM so_inspections WHERE organisation_id = :o",
       soci::use(key));
  for (const auto& row : rows)
    recorded[static_cast<int>(sdk::sql::int64At(row, 0))] = sdk::sql::textAt(row, 1);
  return inspectionOutcomes(std::move(recorded), type, registered_on, today);
}

std::map<int, std::string> inspectionOutcomes(std::map<int, std::string> by_year,
                                              const std::string& type, sdk::Date registered_on,
                                              sdk::Date today) {
  for (int year = registered_on.year(); year < today.year(); ++year) {
    if (by_year.count(year)) continue;
    if (!inspectionRequired(type, registered_on, year))
      by_year[year] = "exempt";
    else if (today > inspectionDates(type, year).registry_due)
      by_year[year] = "absent";
  }
  return by_year;
}

sdk::Response SocialOrgsPlugin::getOrganisation(sdk::Request& request) {
  auto& db = request.db();
  const auto found = organisationAt(request);
  json answer = organisationJson(request, found.id);
  sdk::ListQuery query("i.county_code", request.county());
  query.add("i.organisation_id = " + query.number(found.id));
  answer["inspections"] = inspectionsWhere(db, query, " ORDER BY i.year");
  json revocation = {{"two_year_rule_year", nullptr}, {"inactive_after_registration", false}};
  if (found.registered_on && found.status == "registered") {
    if (auto year = twoYearRevocationYear(
            found.type,
            inspectionOutcomes(db, found.id, found.type, *found.registered_on, request.today())))
      revocation["two_year_rule_year"] = *year;
    revocation["inactive_after_registration"] =
        inactiveAfterRegistration(found.type, *found.registered_on,
                                  optionalDate(answer["first_activity_on"]), request.today());
  }
  answer["revocation"] = revocation;
  json grade = {{"grade", nullptr},
                {"valid_until", nullptr},
                {"priority_purchase", false},
                {"simpler_inspection", false}};
  if (auto in_force = gradeInForce(db, found.id, request.today())) {
    const auto consequences = gradeConsequences(in_force->first);
    grade = {{"grade", in_force->first},
             {"valid_until", in_force->second.toString()},
             {"priority_purchase", consequences.priority_purchase},
             {"simpler_inspection", consequences.simpler_inspection}};
  }
  answer["grade"] = grade;
  return sdk::Response::ok(answer);
}

sdk::Response SocialOrgsPlugin::recordInspection(sdk::Request& request) {
  auto& db = request.db();
  const auto found = organisationAt(request);
  if (found.status != "registered" || !found.registered_on)
    throw sdk::ValidationError(
        "id", "registered-organisation",
        "only a registered organisation is inspected; this one is " + found.status);
  const json& body = request.body();
  const int year = body["year"];
  const auto today = request.today();
  if (year >= today.year())
    throw sdk::ValidationError(
        "year", "past-year",
        "the inspection covers a finished year, before " + std::to_string(today.year()));
  if (!inspectionRequired(found.type, *found.registered_on, year))
    throw sdk::ValidationError(
        "year", "not-owed",
        "registered on " + found.registered_on->toString() +
            ", the organisation owes no "
            "inspection for " +
            std::to_string(year) +
            (found.type == kPne ? " (a 民非 registered less than six months before 31 December "
                                  "is exempt, 年度检查办法 §3)"
                                : ""));
  const auto submitted = dateOf(body["submitted_on"]);
  if (submitted > today)
    throw sdk::ValidationError("submitted_on", "not-in-future", "submitted after today");
  if (submitted.year() <= year)
    throw sdk::ValidationError(
        "submitted_on", "after-the-year",
        "the papers for " + std::to_string(year) + " are submitted after that year ends");
  std::string sponsor;
  soci::indicator sponsor_i = soci::i_null;
  if (found.type == kFoundation) {
    if (body.contains("sponsor_submitted_on"))
      throw sdk::ValidationError("sponsor_submitted_on", "no-sponsor-step",
                                 "a foundation submits to the registry only");
  } else {
    if (!body.contains("sponsor_submitted_on"))
      throw sdk::ValidationError("sponsor_submitted_on", "sponsor-first",
                                 "a social group or 民非 submits to its sponsor first (by 3-31)");
    const auto on = dateOf(body["sponsor_submitted_on"]);
    if (on > submitted || on.year() <= year)
      throw sdk::ValidationError("sponsor_submitted_on", "sponsor-first",
                                 "the sponsor receives the papers after the year ends and before "
                                 "the registry does");
    sponsor = on.toString();
    sponsor_i = soci::i_ok;
  }
  const long long key = found.id;
  long long existing = 0;
  db << "SELECT COUNT(*) FROM so_inspections WHERE organisation_id = :o AND year = :y",
      soci::into(existing), soci::use(key), soci::use(year);
  if (existing > 0)
    throw sdk::ValidationError("year", "one-per-year",
                               "the inspection of " + std::to_string(year) + " is recorded");
  const std::string result = body["result"], result_on = today.toString(),
                    submitted_text = submitted.toString();
  std::string due;
  soci::indicator due_i = soci::i_null;
  if (needsRectification(result)) {
    const auto months = context_->policy().get(kRectificationMonths, request.county(), today);
    due = rectificationDue(today, static_cast<int>(months)).toString();
    due_i = soci::i_ok;
  }
  long long id = 0;
  db << "INSERT INTO so_inspections (county_code, organisation_id, year, sponsor_submitted_on,"
        " submitted_on, result, result_on, rectify_due) VALUES (:c, :o, :y, :s, :sub, :r, :ro,"
        " :d) RETURNING id",
      soci::use(request.county()), soci::use(key), soci::use(year), soci::use(sponsor, sponsor_i),
      soci::use(submitted_text), soci::use(result), soci::use(result_on), soci::use(due, due_i),
      soci::into(id);
  sdk::ListQuery query("i.county_code", request.county());
  query.add("i.id = " + query.number(id));
  const json created = inspectionsWhere(db, query, "").at(0);
  request.audit({sizeof(sdk::AuditRecord), "inspection.record", "inspection", std::to_string(id),
                 sdk::changedFields(nullptr, created)});
  return sdk::Response::created(created, "/inspections?year=" + std::to_string(year));
}

sdk::Response SocialOrgsPlugin::listInspections(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kInspectionList);
  sdk::ListQuery query("i.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "o.township"));
  if (auto year = request.queryParam("year"))
    query.add("i.year = " + query.number(std::stoll(*year)));
  if (auto result = request.queryParam("result")) query.add("i.result = " + query.text(*result));
  if (auto township = request.queryParam("township"))
    query.add("o.township = " + query.text(*township));
  if (auto open = request.queryParam("unrectified"))
    query.add(*open == "true" ? "(i.rectify_due IS NOT NULL AND i.rectified_on IS NULL)"
                              : "(i.rectify_due IS NULL OR i.rectified_on IS NOT NULL)");
  const auto total = query.count(
      *lists_, db, " FROM so_inspections i JOIN so_organisations o ON o.id = i.organisation_id");
  std::vector<std::int64_t> ids;
  json items = inspectionsWhere(db, query,
                                " AND " + page.keysetCondition("i.id") +
                                    page.orderAndLimit({{"id", "i.id"}, {"year", "i.year"}}),
                                &ids);
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response SocialOrgsPlugin::recordRectification(sdk::Request& request) {
  auto& db = request.db();
  sdk::ListQuery query("i.county_code", request.county());
  const long long id = request.pathId("id");
  query.add("i.id = " + query.number(id));
  const json items = inspectionsWhere(db, query, "");
  if (items.empty()) throw sdk::NotFound("no inspection " + std::to_string(id));
  json before = items.at(0);
  const auto organisation = organisationJson(request, before["organisation_id"]);
  sdk::requireTownship(request.caller(), organisation["township"].get<std::string>(),
                       "inspection " + std::to_string(id));
  if (before["rectify_due"].is_null() || !before["rectified_on"].is_null())
    throw sdk::ValidationError("rectified_on", "awaiting-rectification",
                               "this inspection awaits no rectification");
  const auto on = dateOf(request.body()["rectified_on"]);
  if (on < dateOf(before["result_on"]) || on > request.today())
    throw sdk::ValidationError("rectified_on", "date-range",
                               "rectified between the result and today");
  const std::string text = on.toString();
  db << "UPDATE so_inspections SET rectified_on = :r WHERE id = :id", soci::use(text),
      soci::use(id);
  json after = before;
  after["rectified_on"] = text;
  request.audit({sizeof(sdk::AuditRecord), "inspection.rectify", "inspection", std::to_string(id),
                 sdk::changedFields(before, after)});
  return sdk::Response::ok(after);
}

sdk::Response SocialOrgsPlugin::correctInspection(sdk::Request& request) {
  auto& db = request.db();
  const json& patch = request.body();
  sdk::requireSomeField(patch, "sponsor_submitted_on, submitted_on, result");
  sdk::ListQuery query("i.county_code", request.county());
  const long long id = request.pathId("id");
  query.add("i.id = " + query.number(id));
  const json items = inspectionsWhere(db, query, "");
  if (items.empty()) throw sdk::NotFound("no inspection " + std::to_string(id));
  const json before = items.at(0);
  const auto organisation = organisationJson(request, before["organisation_id"]);
  sdk::requireTownship(request.caller(), organisation["township"].get<std::string>(),
                       "inspection " + std::to_string(id));
  json merged = before;
  for (const auto& item : patch.items()) merged[item.key()] = item.value();
  const int year = before["year"];
  const auto submitted = dateOf(merged["submitted_on"]);
  if (submitted > request.today() || submitted.year() <= year)
    throw sdk::ValidationError("submitted_on", "after-the-year",
                               "the papers for " + std::to_string(year) +
                                   " are submitted after that year ends and by today");
  std::string sponsor;
  soci::indicator sponsor_i = soci::i_null;
  if (organisation["type"] == kFoundation) {
    if (patch.contains("sponsor_submitted_on"))
      throw sdk::ValidationError("sponsor_submitted_on", "no-sponsor-step",
                                 "a foundation submits to the registry only");
  } else {
    const auto on = dateOf(merged["sponsor_submitted_on"]);
    if (on > submitted || on.year() <= year)
      throw sdk::ValidationError("sponsor_submitted_on", "sponsor-first",
                                 "the sponsor receives the papers after the year ends and before "
                                 "the registry does");
    sponsor = on.toString();
    sponsor_i = soci::i_ok;
  }
  // A corrected result keeps its day; it owes rectification from then, or no longer does.
  const std::string result = merged["result"];
  std::string due, rectified;
  soci::indicator due_i = soci::i_null, rectified_i = soci::i_null;
  if (needsRectification(result)) {
    if (!before["rectify_due"].is_null()) {
      due = before["rectify_due"];
      if (!before["rectified_on"].is_null()) {
        rectified = before["rectified_on"];
        rectified_i = soci::i_ok;
      }
    } else {
      const auto result_on = dateOf(before["result_on"]);
      const auto months = context_->policy().get(kRectificationMonths, request.county(), result_on);
      due = rectificationDue(result_on, static_cast<int>(months)).toString();
    }
    due_i = soci::i_ok;
  }
  merged["rectify_due"] = due.empty() ? json(nullptr) : json(due);
  merged["rectified_on"] = rectified.empty() ? json(nullptr) : json(rectified);
  if (sdk::changedFields(before, merged).empty()) sdk::refuseUnchanged(patch);
  const std::string submitted_text = submitted.toString();
  db << "UPDATE so_inspections SET sponsor_submitted_on = :s, submitted_on = :sub, result = :r,"
        " rectify_due = :d, rectified_on = :ro WHERE id = :id",
      soci::use(sponsor, sponsor_i), soci::use(submitted_text), soci::use(result),
      soci::use(due, due_i), soci::use(rectified, rectified_i), soci::use(id);
  const json after = inspectionsWhere(db, query, "").at(0);
  request.audit({sizeof(sdk::AuditRecord), "inspection.correct", "inspection", std::to_string(id),
                 sdk::changedFields(before, after)});
  return sdk::Response::ok(after);
}

sdk::Response SocialOrgsPlugin::recordLiquidation(sdk::Request& request) {
  auto& db = request.db();
  const auto found = organisationAt(request);
  if (found.status != "registered" || !found.registered_on)
    throw sdk::ValidationError(
        "id", "registered-organisation",
        "only a registered organisation is liquidated; this one is " + found.status);
  const auto ended = dateOf(request.body()["ended_on"]);
  if (ended < *found.registered_on || ended > request.today())
    throw sdk::ValidationError("ended_on", "date-range",
                               "liquidation ends between registration and today");
  const json before = organisationJson(request, found.id);
  const std::string ended_text = ended.toString(), due = deregistrationDue(ended).toString();
  const long long key = found.id;
  db << "UPDATE so_organisations SET status = 'liquidating', liquidation_ended_on = :e,"
        " deregistration_due = :d WHERE id = :id",
      soci::use(ended_text), soci::use(due), soci::use(key);
  const json after = organisationJson(request, found.id);
  request.audit({sizeof(sdk::AuditRecord), "organisation.liquidation", "organisation",
                 std::to_string(found.id), sdk::changedFields(before, after)});
  return sdk::Response::ok(after);
}

sdk::Response SocialOrgsPlugin::deregister(sdk::Request& request) {
  auto& db = request.db();
  const auto found = organisationAt(request);
  if (found.status != "liquidating")
    throw sdk::ValidationError("id", "liquidated-first",
                               "an organisation is deregistered after its liquidation ends; this "
                               "one is " +
                                   found.status);
  const json before = organisationJson(request, found.id);
  const auto announced = dateOf(request.body()["announced_on"]);
  const auto today = request.today();
  if (announced < today || announced > today.addDays(30))
    throw sdk::ValidationError("announced_on", "announcement-date",
                               "the deregistration is announced from today, within 30 days");
  const std::string today_text = today.toString(), announced_text = announced.toString();
  const long long key = found.id;
  db << "UPDATE so_organisations SET status = 'deregistered', deregistered_on = :d,"
        " announced_on = :a WHERE id = :id",
      soci::use(today_text), soci::use(announced_text), soci::use(key);
  const json after = organisationJson(request, found.id);
  request.audit({sizeof(sdk::AuditRecord), "organisation.deregister", "organisation",
                 std::to_string(found.id), sdk::changedFields(before, after)});
  return sdk::Response::ok(after);
}

namespace {

/// What the overdue queue reads of each organisation it checks: plain fields, not a JSON object
/// each (a county's whole register passes through, and ten map nodes an organisation were most
/// of the queue's time, RESULTS.md).
struct Checked {
  std::int64_t id = 0;
  std::string name, township, status, type, decision_due;
  std::optional<std::string> deregistration_due, registered_on, first_activity_on;
};

}  // namespace

sdk::Response SocialOrgsPlugin::overdue(sdk::Request& request) {
  auto& db = request.db();
  const auto today = request.today();
  const std::string today_text = today.toString();
  json items = json::array();
  const auto add = [&](const char* kind, std::int64_t organisation_id, const std::string& name,
                       const std::string& township, json due, std::string detail) {
    items.push_back(sdk::jsonObject({{"kind", kind},
                                     {"organisation_id", organisation_id},
                                     {"name", name},
                                     {"township", township},
                                     {"due", std::move(due)},
                                     {"detail", std::move(detail)}}));
  };
  sdk::ListQuery query("o.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "o.township"));
  query.add("o.status IN ('applied', 'registered', 'liquidating')");
  std::vector<Checked> organisations;
  {
    // Only what the checks below and their items read (not organisationRow's 29 columns).
    soci::rowset<soci::row> rows =
        query.rows(db,
                   "SELECT o.id, o.name, o.township, o.status, o.type, o.decision_due,"
                   " o.deregistration_due, o.registered_on, o.first_activity_on, o.revoked_on"
                   " FROM so_organisations o" +
                       query.clause() + " ORDER BY o.id");
    for (const auto& row : rows) {
      using namespace sdk::sql;
      organisations.push_back({int64At(row, 0), textAt(row, 1), textAt(row, 2),
                               optionalTextAt(row, 9) ? std::string("revoked") : textAt(row, 3),
                               textAt(row, 4), textAt(row, 5), optionalTextAt(row, 6),
                               optionalTextAt(row, 7), optionalTextAt(row, 8)});
    }
  }
  // What each organisation's checks need, read for all of them at once (one statement each,
  // not one per organisation): the open listings and the recorded inspections.
  const auto among_them = [&](sdk::ListQuery& narrowed, const std::string& alias) {
    narrowed.add(sdk::townshipCondition(request.caller(), "o.township"));
    narrowed.add("o.status IN ('applied', 'registered', 'liquidating')");
    return " JOIN so_organisations o ON o.id = " + alias + ".organisation_id" + narrowed.clause();
  };
  std::map<std::int64_t, sdk::Date> abnormal_since;
  std::set<std::int64_t> seriously_listed;
  {
    sdk::ListQuery listed("l.county_code", request.county());
    listed.add("l.removed_on IS NULL");
    const std::string from = among_them(listed, "l");
    soci::rowset<soci::row> rows =
        listed.rows(db, "SELECT l.organisation_id, l.list, MIN(l.listed_on) FROM so_listings l" +
                            from + " GROUP BY l.organisation_id, l.list");
    for (const auto& row : rows) {
      using namespace sdk::sql;
      if (textAt(row, 1) == "serious")
        seriously_listed.insert(int64At(row, 0));
      else
        abnormal_since.emplace(int64At(row, 0), *sdk::Date::parse(textAt(row, 2)));
    }
  }
  std::map<std::int64_t, std::map<int, std::string>> inspections_of;
  {
    sdk::ListQuery recorded("i.county_code", request.county());
    const std::string from = among_them(recorded, "i");
    soci::rowset<soci::row> rows = recorded.rows(
        db, "SELECT i.organisation_id, i.year, i.result FROM so_inspections i" + from);
    for (const auto& row : rows) {
      using namespace sdk::sql;
      inspections_of[int64At(row, 0)][static_cast<int>(int64At(row, 1))] = textAt(row, 2);
    }
  }
  for (const auto& organisation : organisations) {
    const std::string &status = organisation.status, &type = organisation.type;
    const std::int64_t id = organisation.id;
    const auto flag = [&](const char* kind, json due, std::string detail) {
      add(kind, id, organisation.name, organisation.township, std::move(due), std::move(detail));
    };
    if (status == "applied" && organisation.decision_due < today_text)
      flag("decision", organisation.decision_due, "registration undecided past its 60-day limit");
    if (status == "liquidating" && organisation.deregistration_due &&
        *organisation.deregistration_due < today_text)
      flag("deregistration", *organisation.deregistration_due,
           "not deregistered within 15 days of the end of liquidation");
    if (auto since = abnormal_since.find(id); since != abnormal_since.end() &&
                                              seriousListingDue(since->second) <= today &&
                                              !seriously_listed.count(id))
      flag("serious_listing", seriousListingDue(since->second).toString(),
           "two years on the abnormal-activity list since " + since->second.toString() +
               ": to be entered on the serious-dishonesty list");
    if (status != "registered" || !organisation.registered_on) continue;
    const auto registered = *sdk::Date::parse(*organisation.registered_on);
    auto recorded = inspections_of.find(id);
    const auto by_year =
        inspectionOutcomes(recorded == inspections_of.end() ? std::map<int, std::string>{}
                                                            : std::move(recorded->second),
                           type, registered, today);
    const int last = today.year() - 1;
    const auto found = by_year.find(last);
    if (found != by_year.end() && found->second == "absent")
      flag("inspection", inspectionDates(type, last).registry_due.toString(),
           "the inspection of " + std::to_string(last) + " was not submitted");
    if (auto year = twoYearRevocationYear(type, by_year))
      flag("two_year_rule", nullptr,
           "absent or 不合格 in " + std::to_string(*year - 1) + " and " + std::to_string(*year) +
               ": to be deregistered (撤销登记)");
    const auto first_activity = organisation.first_activity_on
                                    ? sdk::Date::parse(*organisation.first_activity_on)
                                    : std::nullopt;
    if (inactiveAfterRegistration(type, registered, first_activity, today))
      flag("inactive", registered.addMonths(12).toString(),
           "no activity in the year after registration (§29): to be deregistered (撤销登记)");
  }
  sdk::ListQuery open("i.county_code", request.county());
  open.add(sdk::townshipCondition(request.caller(), "o.township"));
  open.add("i.rectified_on IS NULL AND i.rectify_due < " + open.text(today_text));
  std::map<std::int64_t, const Checked*> organisation_by_id;
  for (const auto& organisation : organisations)
    organisation_by_id.emplace(organisation.id, &organisation);
  for (const auto& inspection : inspectionsWhere(db, open, " ORDER BY i.id")) {
    // An inspection's organisation is among those read above unless it has since been
    // deregistered or revoked (then it is read on its own).
    const std::int64_t organisation_id = inspection["organisation_id"];
    const std::string detail =
        "not rectified after the inspection of " + std::to_string(inspection["year"].get<int>());
    if (const auto known = organisation_by_id.find(organisation_id);
        known != organisation_by_id.end()) {
      add("rectification", organisation_id, known->second->name, known->second->township,
          inspection["rectify_due"], detail);
    } else {
      const json organisation = organisationJson(request, organisation_id);
      add("rectification", organisation_id, organisation["name"], organisation["township"],
          inspection["rectify_due"], detail);
    }
  }
  sdk::ListQuery cases("p.county_code", request.county());
  cases.add(sdk::townshipCondition(request.caller(), "o.township"));
  cases.add("p.decided_on IS NULL AND p.decision_due < " + cases.text(today_text));
  soci::rowset<soci::row> open_cases = cases.rows(
      db,
      "SELECT p.id, p.organisation_id, o.name, o.township, p.decision_due, p.opened_on FROM"
      " so_penalties p JOIN so_organisations o ON o.id = p.organisation_id" +
          cases.clause() + " ORDER BY p.id");
  for (const auto& row : open_cases) {
    using namespace sdk::sql;
    add("penalty_decision", int64At(row, 1), textAt(row, 2), textAt(row, 3), textAt(row, 4),
        "penalty case " + std::to_string(int64At(row, 0)) + " filed on " + textAt(row, 5) +
            " undecided past its 90-day limit (行政处罚法 §60)");
  }
  sdk::ListQuery changes("c.county_code", request.county());
  changes.add(sdk::townshipCondition(request.caller(), "o.township"));
  changes.add("c.status = 'applied' AND c.decision_due < " + changes.text(today_text));
  soci::rowset<soci::row> open_changes = changes.rows(
      db,
      "SELECT c.id, c.organisation_id, o.name, o.township, c.decision_due, c.applied_on FROM"
      " so_changes c JOIN so_organisations o ON o.id = c.organisation_id" +
          changes.clause() + " ORDER BY c.id");
  for (const auto& row : open_changes) {
    using namespace sdk::sql;
    add("change_decision", int64At(row, 1), textAt(row, 2), textAt(row, 3), textAt(row, 4),
        "change application " + std::to_string(int64At(row, 0)) + " of " + textAt(row, 5) +
            " undecided past its due day");
  }
  return sdk::Response::ok({{"on", today_text}, {"items", items}});
}

}  // namespace civ::plugins::social_orgs
