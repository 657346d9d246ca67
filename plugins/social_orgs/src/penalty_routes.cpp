// Administrative penalties on registered organisations (行政处罚法 2021; 社会团体登记管理条例 §30;
// 民办非企业单位登记管理暂行条例 §25): a case filed, the hearing notice where the penalty is heavy,
// the decision within 90 days of filing, revocation of the registration; and bans of illegal
// organisations (取缔非法社会组织办法, 民政部令第77号). Lists, search and corrections of both.
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

constexpr const char* kPenaltyColumns =
    "p.id, p.organisation_id, o.name, o.township, p.ground, p.facts, p.opened_on, p.opened_by,"
    " p.decision_due, p.hearing_notified_on, p.hearing_requested_on, p.hearing_held_on, p.kind,"
    " p.fine_fen, p.turnover_fen, p.income_fen, p.confiscated_fen, p.suspended_from,"
    " p.suspended_until, p.decided_on, p.decided_by";
constexpr const char* kPenaltyFrom =
    " FROM so_penalties p JOIN so_organisations o ON o.id = p.organisation_id";

json moneyOrNull(const std::optional<std::int64_t>& fen) {
  return fen ? json(sdk::Money::fromFen(*fen).toString()) : json(nullptr);
}

std::optional<sdk::Money> moneyField(const json& body, const char* name) {
  if (!body.contains(name) || body[name].is_null()) return std::nullopt;
  return sdk::Money::parse(body[name].get<std::string>());
}

std::optional<sdk::Date> dateField(const json& body, const char* name) {
  if (!body.contains(name) || body[name].is_null()) return std::nullopt;
  return sdk::Date::parse(body[name].get<std::string>());
}

json penaltyRow(const soci::row& row, sdk::Date today, const sdk::WorkingDayCalendar& calendar) {
  using namespace sdk::sql;
  const std::string due = textAt(row, 8);
  const auto notified = optionalTextAt(row, 9);
  const auto decided = optionalTextAt(row, 19);
  return sdk::jsonObject(
      {{"id", int64At(row, 0)},
       {"organisation_id", int64At(row, 1)},
       {"organisation", textAt(row, 2)},
       {"township", textAt(row, 3)},
       {"ground", textAt(row, 4)},
       {"facts", textAt(row, 5)},
       {"opened_on", textAt(row, 6)},
       {"opened_by", textAt(row, 7)},
       {"decision_due", due},
       {"status", decided ? "decided" : "open"},
       {"overdue", !decided && due < today.toString()},
       {"late", decided && *decided > due},
       {"hearing_notified_on", textOrNullAt(row, 9)},
       {"hearing_request_deadline",
        notified ? json(hearingRequestDeadline(calendar, *sdk::Date::parse(*notified)).toString())
                 : json(nullptr)},
       {"hearing_requested", optionalTextAt(row, 10).has_value()},
       {"hearing_requested_on", textOrNullAt(row, 10)},
       {"hearing_held_on", textOrNullAt(row, 11)},
       {"kind", textOrNullAt(row, 12)},
       {"fine", moneyOrNull(optionalInt64At(row, 13))},
       {"illegal_turnover", moneyOrNull(optionalInt64At(row, 14))},
       {"illegal_income", moneyOrNull(optionalInt64At(row, 15))},
       {"confiscated", moneyOrNull(optionalInt64At(row, 16))},
       {"suspended_from", textOrNullAt(row, 17)},
       {"suspended_until", textOrNullAt(row, 18)},
       {"decided_on", textOrNullAt(row, 19)},
       {"decided_by", textOrNullAt(row, 20)}});
}

json penaltiesWhere(soci::session& db, sdk::ListQuery& query, const std::string& tail,
                    sdk::Date today, const sdk::WorkingDayCalendar& calendar,
                    std::vector<std::int64_t>* ids = nullptr) {
  soci::rowset<soci::row> rows = query.rows(
      db, std::string("SELECT ") + kPenaltyColumns + kPenaltyFrom + query.clause() + tail);
  json items = json::array();
  for (const auto& row : rows) {
    items.push_back(penaltyRow(row, today, calendar));
    if (ids) ids->push_back(sdk::sql::int64At(row, 0));
  }
  return items;
}

/// The penalty a path names, in the caller's county and township (404 / 403 otherwise).
json penaltyAt(sdk::Request& request, const sdk::WorkingDayCalendar& calendar) {
  const long long id = request.pathId("id");
  sdk::ListQuery query("p.county_code", request.county());
  query.add("p.id = " + query.number(id));
  const json items = penaltiesWhere(request.db(), query, "", request.today(), calendar);
  if (items.empty()) throw sdk::NotFound("no penalty case " + std::to_string(id));
  sdk::requireTownship(request.caller(), items[0]["township"].get<std::string>(),
                       "penalty case " + std::to_string(id));
  return items[0];
}

json penaltyById(sdk::Request& request, std::int64_t id, const sdk::WorkingDayCalendar& calendar) {
  sdk::ListQuery query("p.county_code", request.county());
  query.add("p.id = " + query.number(id));
  return penaltiesWhere(request.db(), query, "", request.today(), calendar).at(0);
}

void bindDate(const json& value, std::string& text, soci::indicator& indicator) {
  indicator = value.is_null() ? soci::i_null : soci::i_ok;
  if (!value.is_null()) text = value.get<std::string>();
}

constexpr const char* kBanColumns =
    "b.id, b.name, b.acted_as, b.ground, b.persons_in_charge, b.address, b.township, b.facts,"
    " b.decided_on";

json banRow(const soci::row& row) {
  using namespace sdk::sql;
  return sdk::jsonObject({{"id", int64At(row, 0)},
                          {"name", textAt(row, 1)},
                          {"acted_as", textAt(row, 2)},
                          {"ground", textAt(row, 3)},
                          {"persons_in_charge", textAt(row, 4)},
                          {"address", textAt(row, 5)},
                          {"township", textAt(row, 6)},
                          {"facts", textAt(row, 7)},
                          {"decided_on", textAt(row, 8)}});
}

json bansWhere(soci::session& db, sdk::ListQuery& query, const std::string& tail,
               std::vector<std::int64_t>* ids = nullptr) {
  soci::rowset<soci::row> rows = query.rows(
      db, std::string("SELECT ") + kBanColumns + " FROM so_bans b" + query.clause() + tail);
  json items = json::array();
  for (const auto& row : rows) {
    items.push_back(banRow(row));
    if (ids) ids->push_back(sdk::sql::int64At(row, 0));
  }
  return items;
}

/// The ban's name may not be that of an organisation registered in the county when the ground is
/// that the body is unregistered.
void checkBan(sdk::Request& request, const json& ban) {
  const auto decided = *sdk::Date::parse(ban["decided_on"].get<std::string>());
  if (decided > request.today())
    throw sdk::ValidationError("decided_on", "not-in-future", "the ban is decided by today");
  if (ban["ground"] == "unregistered") {
    long long registered = 0;
    const std::string name = ban["name"];
    request.db() << "SELECT COUNT(*) FROM so_organisations WHERE county_code = :c AND name = :n"
                    " AND status IN ('registered', 'liquidating') AND revoked_on IS NULL",
        soci::into(registered), soci::use(request.county()), soci::use(name);
    if (registered > 0)
      throw sdk::ValidationError(
          "name", "registered-organisation",
          "an organisation named " + name +
              " is registered in the county: it is not an unregistered body");
  }
}

}  // namespace

bool penalisedIn(soci::session& db, std::int64_t organisation, int year) {
  const long long key = organisation;
  const std::string from = std::to_string(year) + "-01-01", to = std::to_string(year) + "-12-31";
  long long count = 0;
  db << "SELECT COUNT(*) FROM so_penalties WHERE organisation_id = :o AND decided_on >= :f AND"
        " decided_on <= :t",
      soci::into(count), soci::use(key), soci::use(from), soci::use(to);
  return count > 0;
}

bool underInvestigation(soci::session& db, std::int64_t organisation) {
  const long long key = organisation;
  long long count = 0;
  db << "SELECT COUNT(*) FROM so_penalties WHERE organisation_id = :o AND decided_on IS NULL",
      soci::into(count), soci::use(key);
  return count > 0;
}

sdk::Response SocialOrgsPlugin::openPenalty(sdk::Request& request) {
  auto& db = request.db();
  const auto found = organisationAt(request);
  const json organisation = organisationJson(request, found.id);
  if ((found.status != "registered" && found.status != "liquidating") || !found.registered_on)
    throw sdk::ValidationError("id", "registered-organisation",
                               "a penalty case is filed against a registered organisation; this "
                               "one is " +
                                   organisation["status"].get<std::string>());
  const json& body = request.body();
  const auto today = request.today();
  const auto opened = dateField(body, "opened_on").value_or(today);
  if (opened > today || opened < *found.registered_on)
    throw sdk::ValidationError("opened_on", "date-range",
                               "a case is filed between the registration and today");
  const auto days = context_->policy().get(kPenaltyDecisionDays, request.county(), opened);
  const std::string ground = body["ground"], facts = body["facts"], opened_text = opened.toString(),
                    due = penaltyDecisionDue(opened, static_cast<int>(days)).toString(),
                    by = request.caller().user;
  const long long key = found.id;
  long long id = 0;
  db << "INSERT INTO so_penalties (county_code, organisation_id, ground, facts, opened_on,"
        " opened_by, decision_due) VALUES (:c, :o, :g, :f, :op, :by, :d) RETURNING id",
      soci::use(request.county()), soci::use(key), soci::use(ground), soci::use(facts),
      soci::use(opened_text), soci::use(by), soci::use(due), soci::into(id);
  const json created = penaltyById(request, id, context_->calendar());
  request.audit({sizeof(sdk::AuditRecord), "penalty.open", "penalty", std::to_string(id),
                 sdk::changedFields(nullptr, created)});
  return sdk::Response::created(created, "/penalties?organisation_id=" + std::to_string(found.id));
}

sdk::Response SocialOrgsPlugin::recordHearing(sdk::Request& request) {
  auto& db = request.db();
  const json before = penaltyAt(request, context_->calendar());
  if (before["status"] == "decided")
    throw sdk::ValidationError("id", "undecided-case", "the case is decided");
  const json& body = request.body();
  const auto today = request.today();
  const auto notified = *dateField(body, "notified_on");
  // A later call adds to the record: a date it leaves out keeps the one recorded before.
  const auto stated = [&](const char* field, const char* column) {
    return body.contains(field) ? dateField(body, field) : dateField(before, column);
  };
  const auto requested = stated("requested_on", "hearing_requested_on");
  const auto held = stated("held_on", "hearing_held_on");
  if (notified < *sdk::Date::parse(before["opened_on"].get<std::string>()) || notified > today)
    throw sdk::ValidationError("notified_on", "date-range",
                               "the notice is given between the filing and today");
  const auto& calendar = context_->calendar();
  const sdk::Date request_by = hearingRequestDeadline(calendar, notified);
  if (requested && (*requested < notified || *requested > request_by || *requested > today))
    throw sdk::ValidationError("requested_on", "request-within-five-days",
                               "a hearing is asked for within five working days of the notice, "
                               "by " +
                                   request_by.toString() + " (行政处罚法 §64(一), §85)");
  if (held && !requested)
    throw sdk::ValidationError("held_on", "requested-first",
                               "a hearing is held when the party asked for one");
  if (held && (*held < *requested || *held > today))
    throw sdk::ValidationError("held_on", "date-range",
                               "the hearing is held between the request and today");
  if (held && *held < earliestHearing(calendar, *requested))
    throw sdk::ValidationError("held_on", "seven-days-notice",
                               "the party is told of the hearing seven working days before it: "
                               "after a request on " +
                                   requested->toString() + " it is held on " +
                                   earliestHearing(calendar, *requested).toString() +
                                   " at the earliest (行政处罚法 §64(二), §85)");
  std::string notified_text = notified.toString(), requested_text, held_text;
  soci::indicator requested_i = soci::i_null, held_i = soci::i_null;
  if (requested) {
    requested_text = requested->toString();
    requested_i = soci::i_ok;
  }
  if (held) {
    held_text = held->toString();
    held_i = soci::i_ok;
  }
  const long long id = before["id"];
  db << "UPDATE so_penalties SET hearing_notified_on = :n, hearing_requested_on = :r,"
        " hearing_held_on = :h WHERE id = :id",
      soci::use(notified_text), soci::use(requested_text, requested_i),
      soci::use(held_text, held_i), soci::use(id);
  const json after = penaltyById(request, id, context_->calendar());
  const json changes = sdk::changedFields(before, after);
  if (changes.empty()) sdk::refuseUnchanged(body);
  request.audit(
      {sizeof(sdk::AuditRecord), "penalty.hearing", "penalty", std::to_string(id), changes});
  return sdk::Response::ok(after);
}

sdk::Response SocialOrgsPlugin::decidePenalty(sdk::Request& request) {
  auto& db = request.db();
  const json before = penaltyAt(request, context_->calendar());
  const long long id = before["id"];
  if (before["status"] == "decided")
    throw sdk::Conflict("penalty case " + std::to_string(id) + " is decided");
  sdk::requireFourEyes(request.caller(), before["opened_by"].get<std::string>(),
                       "penalty case " + std::to_string(id));
  const json& body = request.body();
  const auto today = request.today();
  const std::string& county = request.county();
  const auto& policy = context_->policy();
  PenaltyDecisionFacts facts;
  facts.kind = body["kind"];
  facts.fine = moneyField(body, "fine");
  facts.illegal_turnover = moneyField(body, "illegal_turnover");
  facts.illegal_income = moneyField(body, "illegal_income");
  facts.confiscated = moneyField(body, "confiscated");
  facts.suspended_from = dateField(body, "suspended_from");
  facts.suspended_until = dateField(body, "suspended_until");
  facts.decided_on = today;
  FineMultiples multiples;
  multiples.turnover_min = policy.get(kFineTurnoverMin, county, today);
  multiples.turnover_max = policy.get(kFineTurnoverMax, county, today);
  multiples.income_min = policy.get(kFineIncomeMin, county, today);
  multiples.income_max = policy.get(kFineIncomeMax, county, today);
  auto problems = penaltyDecisionProblems(facts, multiples);
  if (!problems.empty()) throw sdk::ValidationError(std::move(problems));
  if (hearingRequired(facts.kind, facts.fine, facts.confiscated,
                      policy.get(kHearingLargeAmount, county, today))) {
    HearingFacts hearing;
    hearing.notified_on = dateField(before, "hearing_notified_on");
    hearing.requested_on = dateField(before, "hearing_requested_on");
    hearing.held_on = dateField(before, "hearing_held_on");
    auto refused = hearingProblems(context_->calendar(), hearing, today);
    if (!refused.empty()) throw sdk::ValidationError(std::move(refused));
  }
  const std::int64_t organisation_id = before["organisation_id"];
  const json organisation_before = organisationJson(request, organisation_id);
  const std::string organisation_status = organisation_before["status"];
  if (facts.kind == "revocation" && organisation_status != "registered" &&
      organisation_status != "liquidating")
    throw sdk::ValidationError(
        "kind", "registered-organisation",
        "only a registration in force is revoked; this organisation is " + organisation_status);
  const auto fen = [](const std::optional<sdk::Money>& money, long long& value,
                      soci::indicator& indicator) {
    indicator = money ? soci::i_ok : soci::i_null;
    value = money ? money->fen() : 0;
  };
  long long fine = 0, turnover = 0, income = 0, confiscated = 0;
  soci::indicator fine_i = soci::i_null, turnover_i = soci::i_null, income_i = soci::i_null,
                  confiscated_i = soci::i_null;
  fen(facts.fine, fine, fine_i);
  fen(facts.illegal_turnover, turnover, turnover_i);
  fen(facts.illegal_income, income, income_i);
  fen(facts.confiscated, confiscated, confiscated_i);
  std::string from, until;
  soci::indicator from_i = soci::i_null, until_i = soci::i_null;
  bindDate(body.value("suspended_from", json(nullptr)), from, from_i);
  bindDate(body.value("suspended_until", json(nullptr)), until, until_i);
  const std::string today_text = today.toString(), by = request.caller().user;
  db << "UPDATE so_penalties SET kind = :k, fine_fen = :f, turnover_fen = :t, income_fen = :i,"
        " confiscated_fen = :c, suspended_from = :sf, suspended_until = :su, decided_on = :d,"
        " decided_by = :b WHERE id = :id",
      soci::use(facts.kind), soci::use(fine, fine_i), soci::use(turnover, turnover_i),
      soci::use(income, income_i), soci::use(confiscated, confiscated_i), soci::use(from, from_i),
      soci::use(until, until_i), soci::use(today_text), soci::use(by), soci::use(id);
  if (facts.kind == "revocation") {
    // 撤销登记: the registration ends on the decision day (and the liquidation, if any, with it).
    const long long key = organisation_id;
    db << "UPDATE so_organisations SET status = 'deregistered', deregistered_on = :d,"
          " revoked_on = :r WHERE id = :id",
        soci::use(today_text), soci::use(today_text), soci::use(key);
    request.audit(
        {sizeof(sdk::AuditRecord), "organisation.revoke", "organisation",
         std::to_string(organisation_id),
         sdk::changedFields(organisation_before, organisationJson(request, organisation_id))});
  }
  const json after = penaltyById(request, id, context_->calendar());
  request.audit({sizeof(sdk::AuditRecord), "penalty.decide", "penalty", std::to_string(id),
                 sdk::changedFields(before, after)});
  return sdk::Response::ok(after);
}

sdk::Response SocialOrgsPlugin::listPenalties(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kPenaltyList);
  const auto today = request.today();
  sdk::ListQuery query("p.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "o.township"));
  if (auto organisation = request.queryParam("organisation_id"))
    query.add("p.organisation_id = " + query.number(std::stoll(*organisation)));
  if (auto status = request.queryParam("status"))
    query.add(*status == "decided" ? "p.decided_on IS NOT NULL" : "p.decided_on IS NULL");
  if (auto kind = request.queryParam("kind")) query.add("p.kind = " + query.text(*kind));
  if (auto ground = request.queryParam("ground")) query.add("p.ground = " + query.text(*ground));
  if (auto township = request.queryParam("township"))
    query.add("o.township = " + query.text(*township));
  if (auto overdue = request.queryParam("overdue")) {
    const std::string on = query.text(today.toString());
    query.add(*overdue == "true" ? "(p.decided_on IS NULL AND p.decision_due < " + on + ")"
                                 : "(p.decided_on IS NOT NULL OR p.decision_due >= " + on + ")");
  }
  query.addPeriod(request, "p.opened_on", "opened_from", "opened_to");
  const auto total = query.count(*lists_, db, kPenaltyFrom);
  std::vector<std::int64_t> ids;
  json items = penaltiesWhere(db, query,
                              " AND " + page.keysetCondition("p.id") +
                                  page.orderAndLimit({{"id", "p.id"},
                                                      {"opened_on", "p.opened_on"},
                                                      {"decision_due", "p.decision_due"},
                                                      {"decided_on", "p.decided_on"}}),
                              today, context_->calendar(), &ids);
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response SocialOrgsPlugin::correctPenalty(sdk::Request& request) {
  auto& db = request.db();
  const json& patch = request.body();
  sdk::requireSomeField(patch, "ground, facts, opened_on");
  const json before = penaltyAt(request, context_->calendar());
  // A decided case keeps its ground and filing date (the decision and its timeliness rest on
  // them); only the wording of the facts is corrected.
  if (before["status"] == "decided")
    for (const char* field : {"ground", "opened_on"})
      if (patch.contains(field))
        throw sdk::ValidationError(
            field, "undecided-case",
            "the case is decided: its " + std::string(field) + " stays as the decision read it");
  json merged = before;
  for (const auto& item : patch.items()) merged[item.key()] = item.value();
  const auto opened = *sdk::Date::parse(merged["opened_on"].get<std::string>());
  if (patch.contains("opened_on")) {
    const auto organisation = organisationJson(request, before["organisation_id"]);
    const auto registered = dateField(organisation, "registered_on");
    const auto decided = dateField(before, "decided_on");
    const auto notified = dateField(before, "hearing_notified_on");
    if (opened > request.today() || (registered && opened < *registered) ||
        (decided && opened > *decided) || (notified && opened > *notified))
      throw sdk::ValidationError("opened_on", "date-range",
                                 "a case is filed after the registration and before its hearing "
                                 "notice, its decision and today");
  }
  const auto days = context_->policy().get(kPenaltyDecisionDays, request.county(), opened);
  const std::string due = penaltyDecisionDue(opened, static_cast<int>(days)).toString();
  merged["decision_due"] = due;
  const json changes = sdk::changedFields(before, merged);
  if (changes.empty()) sdk::refuseUnchanged(patch);
  const std::string ground = merged["ground"], facts = merged["facts"],
                    opened_text = opened.toString();
  const long long id = before["id"];
  db << "UPDATE so_penalties SET ground = :g, facts = :f, opened_on = :o, decision_due = :d"
        " WHERE id = :id",
      soci::use(ground), soci::use(facts), soci::use(opened_text), soci::use(due), soci::use(id);
  const json after = penaltyById(request, id, context_->calendar());
  request.audit({sizeof(sdk::AuditRecord), "penalty.correct", "penalty", std::to_string(id),
                 sdk::changedFields(before, after)});
  return sdk::Response::ok(after);
}

sdk::Response SocialOrgsPlugin::recordBan(sdk::Request& request) {
  auto& db = request.db();
  const json& body = request.body();
  const std::string name = body["name"], acted_as = body["acted_as"], ground = body["ground"],
                    persons = body["persons_in_charge"], address = body["address"],
                    township = body["township"], facts = body["facts"],
                    decided = body["decided_on"];
  sdk::requireTownship(request.caller(), township, "ban of " + name);
  checkBan(request, body);
  long long id = 0;
  db << "INSERT INTO so_bans (county_code, name, acted_as, ground, persons_in_charge, address,"
        " township, facts, decided_on) VALUES (:c, :n, :a, :g, :p, :ad, :t, :f, :d) RETURNING id",
      soci::use(request.county()), soci::use(name), soci::use(acted_as), soci::use(ground),
      soci::use(persons), soci::use(address), soci::use(township), soci::use(facts),
      soci::use(decided), soci::into(id);
  sdk::ListQuery query("b.county_code", request.county());
  query.add("b.id = " + query.number(id));
  const json created = bansWhere(db, query, "").at(0);
  request.audit({sizeof(sdk::AuditRecord), "ban.record", "ban", std::to_string(id),
                 sdk::changedFields(nullptr, created)});
  return sdk::Response::created(created, "/bans?name=" + name);
}

sdk::Response SocialOrgsPlugin::listBans(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kBanList);
  sdk::ListQuery query("b.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "b.township"));
  if (auto township = request.queryParam("township"))
    query.add("b.township = " + query.text(*township));
  if (auto name = request.queryParam("name")) query.add("b.name " + query.containing(*name));
  if (auto ground = request.queryParam("ground")) query.add("b.ground = " + query.text(*ground));
  if (auto acted_as = request.queryParam("acted_as"))
    query.add("b.acted_as = " + query.text(*acted_as));
  query.addPeriod(request, "b.decided_on", "decided_from", "decided_to");
  const auto total = query.count(*lists_, db, " FROM so_bans b");
  std::vector<std::int64_t> ids;
  json items = bansWhere(
      db, query,
      " AND " + page.keysetCondition("b.id") +
          page.orderAndLimit({{"id", "b.id"}, {"decided_on", "b.decided_on"}, {"name", "b.name"}}),
      &ids);
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response SocialOrgsPlugin::correctBan(sdk::Request& request) {
  auto& db = request.db();
  const json& patch = request.body();
  sdk::requireSomeField(patch,
                        "name, acted_as, ground, persons_in_charge, address, township, facts, "
                        "decided_on");
  const long long id = request.pathId("id");
  sdk::ListQuery query("b.county_code", request.county());
  query.add("b.id = " + query.number(id));
  const json found = bansWhere(db, query, "");
  if (found.empty()) throw sdk::NotFound("no ban " + std::to_string(id));
  const json before = found[0];
  sdk::requireTownship(request.caller(), before["township"].get<std::string>(),
                       "ban " + std::to_string(id));
  json merged = before;
  for (const auto& item : patch.items()) merged[item.key()] = item.value();
  if (patch.contains("township"))
    sdk::requireTownship(request.caller(), merged["township"].get<std::string>(),
                         "ban " + std::to_string(id));
  if (sdk::changedFields(before, merged).empty()) sdk::refuseUnchanged(patch);
  checkBan(request, merged);
  const std::string name = merged["name"], acted_as = merged["acted_as"], ground = merged["ground"],
                    persons = merged["persons_in_charge"], address = merged["address"],
                    township = merged["township"], facts = merged["facts"],
                    decided = merged["decided_on"];
  db << "UPDATE so_bans SET name = :n, acted_as = :a, ground = :g, persons_in_charge = :p,"
        " address = :ad, township = :t, facts = :f, decided_on = :d WHERE id = :id",
      soci::use(name), soci::use(acted_as), soci::use(ground), soci::use(persons),
      soci::use(address), soci::use(township), soci::use(facts), soci::use(decided), soci::use(id);
  const json after = bansWhere(db, query, "").at(0);
  request.audit({sizeof(sdk::AuditRecord), "ban.correct", "ban", std::to_string(id),
                 sdk::changedFields(before, after)});
  return sdk::Response::ok(after);
}

}  // namespace civ::plugins::social_orgs
