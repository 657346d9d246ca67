// Job placement (安排工作): placement letters (介绍信) within 6 months of the reception (§31),
// the post within 30 days of the letter (§75 ¶2), refusals (§34), the overdue and late lists,
// the public announcement (公示) and the living allowance while waiting (§75 ¶1).
#include <algorithm>

#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/correction.h>
#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/list.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/month.h>
#include <civ/sdk/policy.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/sql_json.h>
#include <civ/sdk/value_conversions.h>

#include "resettlement_parameters.h"
#include "resettlement_shared.h"

namespace civ::plugins::veterans::resettlement {

namespace {

using nlohmann::json;

const char* kColumns =
    "SELECT l.id, l.reception_id, p.name, r.township, l.letter_number, l.letter_on, l.employer,"
    " l.employer_kind, l.score, l.post_due, l.posted_on, l.status, l.refused_on,"
    " l.refusal_reason, l.good_reason FROM vt_placements l JOIN vt_receptions r ON r.id ="
    " l.reception_id JOIN civ_persons p ON p.id = r.person_id";

/// The §75 ¶2 note on a late post.
const char* kEmployerOwes =
    "接收安置单位未在介绍信开具30日内安排上岗的，应自介绍信开具当月起按不低于本单位同等条件人员"
    "平均工资80%逐月发放生活费直至上岗（安置条例 §75 ¶2）";

struct Placement {
  std::int64_t id = 0;
  std::int64_t reception_id = 0;
  std::string township;
  std::string status;
  sdk::Date letter_on;
  std::optional<sdk::Date> posted_on;
};

json placementRow(const soci::row& row, sdk::Date today) {
  const auto letter = *sdk::Date::parse(sdk::sql::textAt(row, 5));
  const auto due = *sdk::Date::parse(sdk::sql::textAt(row, 9));
  std::optional<sdk::Date> posted;
  if (auto text = sdk::sql::optionalTextAt(row, 10)) posted = sdk::Date::parse(*text);
  const std::string status = sdk::sql::textAt(row, 11);
  const bool counts = status == "issued" || status == "on_post";
  const bool late = counts && (posted ? *posted > due : today > due);
  json good_reason = nullptr;
  if (auto flag = sdk::sql::optionalInt64At(row, 14)) good_reason = *flag != 0;
  return sdk::jsonObject(
      {{"id", sdk::sql::int64At(row, 0)},
       {"reception_id", sdk::sql::int64At(row, 1)},
       {"name", sdk::sql::textAt(row, 2)},
       {"township", sdk::sql::textAt(row, 3)},
       {"letter_number", sdk::sql::textAt(row, 4)},
       {"letter_on", letter.toString()},
       {"employer", sdk::sql::textAt(row, 6)},
       {"employer_kind", sdk::sql::textAt(row, 7)},
       {"score", sdk::sql::textOrNullAt(row, 8)},
       {"post_due", due.toString()},
       {"posted_on", sdk::sql::textOrNullAt(row, 10)},
       {"status", status},
       {"refused_on", sdk::sql::textOrNullAt(row, 12)},
       {"refusal_reason", sdk::sql::textOrNullAt(row, 13)},
       {"good_reason", good_reason},
       {"post_late", late},
       {"employer_owed_months", counts ? employerOwedMonths(letter, posted, today) : 0}});
}

json placementJson(soci::session& db, std::int64_t id, sdk::Date today) {
  const long long key = id;
  soci::rowset<soci::row> rows =
      (db.prepare << std::string(kColumns) + " WHERE l.id = :id", soci::use(key));
  for (const auto& row : rows) return placementRow(row, today);
  throw sdk::NotFound("no placement " + std::to_string(id));
}

Placement scopedPlacement(sdk::Request& request) {
  const long long key = request.pathId("id");
  soci::rowset<soci::row> rows =
      (request.db().prepare << "SELECT l.id, l.reception_id, r.township, l.status, l.letter_on,"
                               " l.posted_on FROM vt_placements l JOIN vt_receptions r ON r.id ="
                               " l.reception_id WHERE l.id = :id AND l.county_code = :c",
       soci::use(key), soci::use(request.county()));
  for (const auto& row : rows) {
    Placement placement;
    placement.id = sdk::sql::int64At(row, 0);
    placement.reception_id = sdk::sql::int64At(row, 1);
    placement.township = sdk::sql::textAt(row, 2);
    placement.status = sdk::sql::textAt(row, 3);
    placement.letter_on = *sdk::Date::parse(sdk::sql::textAt(row, 4));
    if (auto posted = sdk::sql::optionalTextAt(row, 5))
      placement.posted_on = sdk::Date::parse(*posted);
    sdk::requireTownship(request.caller(), placement.township,
                         "placement " + std::to_string(placement.id));
    return placement;
  }
  throw sdk::NotFound("no placement " + std::to_string(key) + " in county " + request.county());
}

void requireIssued(const Placement& placement) {
  if (placement.status != "issued")
    throw sdk::ValidationError("id", "letter-issued",
                               "the placement letter is " + placement.status +
                                   ": only an issued letter awaiting its post changes so");
}

/// A placement letter's date: not in the future, not before the report.
void checkLetterDate(sdk::Date letter_on, const Reception& reception, sdk::Date today) {
  notInFuture(letter_on, today, "letter_on");
  if (reception.reported_on && letter_on < *reception.reported_on)
    throw sdk::ValidationError(
        "letter_on", "after-report",
        "the letter is before the report of " + reception.reported_on->toString());
}

}  // namespace

std::optional<sdk::Date> waitingEnds(soci::session& db, const Reception& reception) {
  std::optional<sdk::Date> end = reception.placement_ended_on;
  const auto earliest = [&end](std::optional<sdk::Date> day) {
    if (day && (!end || *day < *end)) end = day;
  };
  earliest(reception.deceased_on);
  const long long key = reception.id;
  std::string first;
  soci::indicator first_i = soci::i_null;
  db << "SELECT MIN(letter_on) FROM vt_placements WHERE reception_id = :r AND status <>"
        " 'withdrawn'",
      soci::into(first, first_i), soci::use(key);
  if (first_i == soci::i_ok) earliest(sdk::Date::parse(first));
  return end;
}

Allowance allowanceOwed(sdk::Context& context, soci::session& db, const std::string& county,
                        const Reception& reception, sdk::Date from, sdk::Date until) {
  if (const auto end = waitingEnds(db, reception)) until = std::min(until, *end);
  // The minimum wage in force on the first day waited in each month (a new standard from
  // mid-month applies from the next month: the allowance is monthly).
  return livingAllowance(
      from, until, [&](sdk::Date day) { return context.policy().get(kMinimumWage, county, day); });
}

sdk::Response issueLetter(sdk::Context& /*context*/, sdk::Request& request) {
  auto& db = request.db();
  const auto reception = scopedReception(request);
  const json& body = request.body();
  if (reception.status != "awaiting_placement")
    throw sdk::ValidationError("id", "awaiting-placement",
                               "the reception is " + reception.status +
                                   ": letters are issued to soldiers resettled by job placement "
                                   "and waiting for it");
  const auto letter = dateOf(body["letter_on"]);
  checkLetterDate(letter, reception, request.today());
  const long long key = reception.id;
  long long active = 0;
  db << "SELECT COUNT(*) FROM vt_placements WHERE reception_id = :r AND status IN ('issued',"
        " 'on_post')",
      soci::into(active), soci::use(key);
  if (active > 0)
    throw sdk::ValidationError("id", "one-active-letter",
                               "a placement letter of this soldier is in force: record its "
                               "post or refusal first");
  const std::string number = body["letter_number"], employer = body["employer"],
                    kind = body["employer_kind"], score = body.value("score", ""),
                    day = letter.toString(), due = postDue(letter).toString();
  soci::indicator score_i = score.empty() ? soci::i_null : soci::i_ok;
  long long id = 0;
  db << "INSERT INTO vt_placements (county_code, reception_id, letter_number, letter_on,"
        " employer, employer_kind, score, post_due, status, created_by) VALUES (:c, :r, :n, :l,"
        " :e, :k, :s, :d, 'issued', :by) RETURNING id",
      soci::use(request.county()), soci::use(key), soci::use(number), soci::use(day),
      soci::use(employer), soci::use(kind), soci::use(score, score_i), soci::use(due),
      soci::use(request.caller().user), soci::into(id);
  request.audit({sizeof(sdk::AuditRecord), "placement.issue", "placement", std::to_string(id),
                 sdk::changedFields(nullptr, {{"reception_id", reception.id},
                                              {"letter_number", number},
                                              {"letter_on", day},
                                              {"employer", employer},
                                              {"employer_kind", kind},
                                              {"post_due", due}})});
  return sdk::Response::created(placementJson(db, id, request.today()),
                                "/resettlement/placements/" + std::to_string(id));
}

sdk::Response listPlacements(sdk::Context& /*context*/, sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kPlacementList);
  sdk::ListQuery query("l.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "r.township"));
  if (auto reception = request.queryParam("reception_id"))
    query.add("l.reception_id = " + query.number(std::stoll(*reception)));
  if (auto status = request.queryParam("status")) query.add("l.status = " + query.text(*status));
  if (auto township = request.queryParam("township"))
    query.add("r.township = " + query.text(*township));
  if (auto employer = request.queryParam("employer"))
    query.add("l.employer " + query.containing(*employer));
  if (auto name = request.queryParam("name")) query.add("p.name " + query.containing(*name));
  if (auto late = request.queryParam("late")) {
    const std::string condition =
        "l.status = 'issued' AND l.post_due < " + query.text(request.today().toString());
    query.add(*late == "true" ? "(" + condition + ")" : "NOT (" + condition + ")");
  }
  query.addPeriod(request, "l.letter_on", "letter_from", "letter_to");
  const std::string tables =
      " FROM vt_placements l JOIN vt_receptions r ON r.id = l.reception_id JOIN civ_persons p ON"
      " p.id = r.person_id";
  const auto total = query.count(db, tables);
  soci::rowset<soci::row> rows = query.rows(
      db, std::string(kColumns) + query.clause() + " AND " + page.keysetCondition("l.id") +
              page.orderAndLimit(
                  {{"id", "l.id"}, {"letter_on", "l.letter_on"}, {"post_due", "l.post_due"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    items.push_back(placementRow(row, request.today()));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response getPlacement(sdk::Context& /*context*/, sdk::Request& request) {
  const auto placement = scopedPlacement(request);
  return sdk::Response::ok(placementJson(request.db(), placement.id, request.today()));
}

sdk::Response correctPlacement(sdk::Context& /*context*/, sdk::Request& request) {
  auto& db = request.db();
  const auto placement = scopedPlacement(request);
  const json& body = request.body();
  sdk::requireSomeField(body, "letter_number, letter_on, employer, employer_kind, score");
  const json current = placementJson(db, placement.id, request.today());
  json before = json::object();
  for (const char* field : {"letter_number", "letter_on", "employer", "employer_kind", "score"})
    before[field] = current[field];
  json after = before;
  for (const auto& item : body.items()) after[item.key()] = item.value();
  json changes = sdk::changedFields(before, after);
  if (changes.empty()) sdk::refuseUnchanged(body);
  const long long key = placement.id;
  if (changes.contains("letter_on")) {
    // The post's deadline runs from the letter: once the post or a refusal is recorded, the
    // letter's date was what they were judged against.
    if (placement.status != "issued")
      throw sdk::ValidationError("letter_on", "letter-issued",
                                 "the letter is " + placement.status + ": its date stands");
    const auto reception = findReception(db, request.county(), placement.reception_id);
    const auto letter = dateOf(after["letter_on"]);
    checkLetterDate(letter, *reception, request.today());
    const std::string due = postDue(letter).toString();
    db << "UPDATE vt_placements SET post_due = :d WHERE id = :id", soci::use(due), soci::use(key);
    changes["post_due"] = {{"old", current["post_due"]}, {"new", due}};
  }
  const std::string number = after["letter_number"], letter = after["letter_on"],
                    employer = after["employer"], kind = after["employer_kind"],
                    score = after["score"].is_null() ? "" : after["score"].get<std::string>();
  soci::indicator score_i = score.empty() ? soci::i_null : soci::i_ok;
  db << "UPDATE vt_placements SET letter_number = :n, letter_on = :l, employer = :e,"
        " employer_kind = :k, score = :s WHERE id = :id",
      soci::use(number), soci::use(letter), soci::use(employer), soci::use(kind),
      soci::use(score, score_i), soci::use(key);
  request.audit({sizeof(sdk::AuditRecord), "placement.correct", "placement",
                 std::to_string(placement.id), changes});
  return sdk::Response::ok(placementJson(db, placement.id, request.today()));
}

sdk::Response recordPost(sdk::Context& /*context*/, sdk::Request& request) {
  auto& db = request.db();
  const auto placement = scopedPlacement(request);
  requireIssued(placement);
  const auto posted = dateOf(request.body()["posted_on"]);
  notInFuture(posted, request.today(), "posted_on");
  if (posted < placement.letter_on)
    throw sdk::ValidationError(
        "posted_on", "after-letter",
        "the post is before the letter of " + placement.letter_on.toString());
  const std::string day = posted.toString();
  const long long key = placement.id, reception = placement.reception_id;
  db << "UPDATE vt_placements SET posted_on = :d, status = 'on_post' WHERE id = :id",
      soci::use(day), soci::use(key);
  db << "UPDATE vt_receptions SET status = 'placed' WHERE id = :id AND status ="
        " 'awaiting_placement'",
      soci::use(reception);
  request.audit({sizeof(sdk::AuditRecord),
                 "placement.post",
                 "placement",
                 std::to_string(placement.id),
                 {{"posted_on", {{"old", nullptr}, {"new", day}}},
                  {"status", {{"old", placement.status}, {"new", "on_post"}}}}});
  request.audit({sizeof(sdk::AuditRecord),
                 "reception.placed",
                 "reception",
                 std::to_string(reception),
                 {{"status", {{"old", "awaiting_placement"}, {"new", "placed"}}}}});
  return sdk::Response::ok(placementJson(db, placement.id, request.today()));
}

sdk::Response recordRefusal(sdk::Context& /*context*/, sdk::Request& request) {
  auto& db = request.db();
  const auto placement = scopedPlacement(request);
  requireIssued(placement);
  const json& body = request.body();
  const auto refused = dateOf(body["refused_on"]);
  notInFuture(refused, request.today(), "refused_on");
  if (refused < placement.letter_on)
    throw sdk::ValidationError(
        "refused_on", "after-letter",
        "the refusal is before the letter of " + placement.letter_on.toString());
  const bool good_reason = body["good_reason"];
  const std::string reason = body["reason"], day = refused.toString(),
                    status = good_reason ? "withdrawn" : "refused";
  const long long key = placement.id, reception = placement.reception_id,
                  good = good_reason ? 1 : 0;
  db << "UPDATE vt_placements SET status = :s, refused_on = :d, refusal_reason = :r,"
        " good_reason = :g WHERE id = :id",
      soci::use(status), soci::use(day), soci::use(reason), soci::use(good), soci::use(key);
  request.audit({sizeof(sdk::AuditRecord),
                 "placement.refusal",
                 "placement",
                 std::to_string(placement.id),
                 {{"status", {{"old", placement.status}, {"new", status}}},
                  {"refused_on", {{"old", nullptr}, {"new", day}}},
                  {"refusal_reason", {{"old", nullptr}, {"new", reason}}},
                  {"good_reason", {{"old", nullptr}, {"new", good_reason}}}}});
  if (!good_reason) {
    // §34: refusing without good reason is treated as giving up job placement.
    db << "UPDATE vt_receptions SET status = 'placement_waived', placement_ended_on = :d WHERE"
          " id = :id",
        soci::use(day), soci::use(reception);
    request.audit({sizeof(sdk::AuditRecord),
                   "reception.placement_waived",
                   "reception",
                   std::to_string(reception),
                   {{"status", {{"old", "awaiting_placement"}, {"new", "placement_waived"}}},
                    {"placement_ended_on", {{"old", nullptr}, {"new", day}}}}});
  }
  return sdk::Response::ok(placementJson(db, placement.id, request.today()));
}

sdk::Response overduePlacements(sdk::Context& context, sdk::Request& request) {
  auto& db = request.db();
  const std::string today = request.today().toString();
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT r.id FROM vt_receptions r WHERE r.county_code = :c AND r.status ="
                     " 'awaiting_placement' AND r.placement_due < :d AND NOT EXISTS (SELECT 1"
                     " FROM vt_placements l WHERE l.reception_id = r.id AND l.status IN"
                     " ('issued', 'on_post')) AND " +
                         sdk::townshipCondition(request.caller(), "r.township") +
                         " ORDER BY r.placement_due, r.id",
       soci::use(request.county()), soci::use(today));
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) ids.push_back(sdk::sql::int64At(row, 0));
  json items = json::array();
  for (const auto id : ids) {
    const auto reception = *findReception(db, request.county(), id);
    const json shown = receptionJson(db, id);
    const auto owed = allowanceOwed(context, db, request.county(), reception,
                                    *reception.reported_on, request.today().addDays(1));
    items.push_back(
        sdk::jsonObject({{"id", id},
                         {"name", shown["name"]},
                         {"township", reception.township},
                         {"reported_on", reception.reported_on->toString()},
                         {"placement_due", reception.placement_due->toString()},
                         {"days_overdue", reception.placement_due->daysUntil(request.today())},
                         {"allowance_to_date", owed.total}}));
  }
  const auto total = static_cast<std::int64_t>(items.size());
  return sdk::Response::ok({{"items", items}, {"total", total}});
}

sdk::Response latePosts(sdk::Context& /*context*/, sdk::Request& request) {
  auto& db = request.db();
  const std::string today = request.today().toString();
  soci::rowset<soci::row> rows =
      (db.prepare << std::string(kColumns) +
                         " WHERE l.county_code = :c AND l.status = 'issued' AND l.post_due < :d"
                         " AND " +
                         sdk::townshipCondition(request.caller(), "r.township") +
                         " ORDER BY l.post_due, l.id",
       soci::use(request.county()), soci::use(today));
  json items = json::array();
  for (const auto& row : rows) {
    const json placement = placementRow(row, request.today());
    const auto due = *sdk::Date::parse(placement["post_due"].get<std::string>());
    items.push_back(sdk::jsonObject({{"id", placement["id"]},
                                     {"reception_id", placement["reception_id"]},
                                     {"name", placement["name"]},
                                     {"township", placement["township"]},
                                     {"employer", placement["employer"]},
                                     {"letter_on", placement["letter_on"]},
                                     {"post_due", placement["post_due"]},
                                     {"days_late", due.daysUntil(request.today())},
                                     {"employer_owed_months", placement["employer_owed_months"]},
                                     {"note", kEmployerOwes}}));
  }
  const auto total = static_cast<std::int64_t>(items.size());
  return sdk::Response::ok({{"items", items}, {"total", total}});
}

sdk::Response placementAnnouncement(sdk::Context& /*context*/, sdk::Request& request) {
  auto& db = request.db();
  // The period of letters shown: by default this month so far.
  const sdk::Date from =
      request.queryDate("from").value_or(sdk::Month::of(request.today()).firstDay());
  const sdk::Date to = request.queryDate("to").value_or(request.today());
  if (to < from) throw sdk::ValidationError("to", "period-order", "'to' is before 'from'", 400);
  const std::string from_text = from.toString(), to_text = to.toString();
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT p.name, r.township, r.rank_type, r.enlisted_on, r.approved_on,"
                     " l.score, l.employer, l.employer_kind, l.letter_on FROM vt_placements l"
                     " JOIN vt_receptions r ON r.id = l.reception_id JOIN civ_persons p ON p.id ="
                     " r.person_id WHERE l.county_code = :c AND l.status <> 'withdrawn' AND"
                     " l.letter_on >= :f AND l.letter_on <= :t AND " +
                         sdk::townshipCondition(request.caller(), "r.township") +
                         " ORDER BY r.township, l.letter_on, l.id",
       soci::use(request.county()), soci::use(from_text), soci::use(to_text));
  json items = json::array();
  for (const auto& row : rows) {
    const auto enlisted = *sdk::Date::parse(sdk::sql::textAt(row, 3));
    const auto approved = *sdk::Date::parse(sdk::sql::textAt(row, 4));
    items.push_back(sdk::jsonObject({{"name", maskName(sdk::sql::textAt(row, 0))},
                                     {"township", sdk::sql::textAt(row, 1)},
                                     {"rank_type", sdk::sql::textAt(row, 2)},
                                     {"service_years", serviceYears(enlisted, approved)},
                                     {"score", sdk::sql::textOrNullAt(row, 5)},
                                     {"employer", sdk::sql::textAt(row, 6)},
                                     {"employer_kind", sdk::sql::textAt(row, 7)},
                                     {"letter_on", sdk::sql::textAt(row, 8)}}));
  }
  const auto total = static_cast<std::int64_t>(items.size());
  return sdk::Response::ok({{"county", request.county()},
                            {"from", from_text},
                            {"to", to_text},
                            {"items", items},
                            {"total", total}});
}

sdk::Response livingAllowanceOf(sdk::Context& context, sdk::Request& request) {
  auto& db = request.db();
  const auto reception = scopedReception(request);
  if (reception.type.value_or("") != "job_placement" || !reception.reported_on)
    throw sdk::ValidationError("id", "job-placement",
                               "the living allowance of §75 is for soldiers resettled by job "
                               "placement while they wait");
  const sdk::Date through = request.queryDate("through").value_or(request.today());
  const auto owed = allowanceOwed(context, db, request.county(), reception, *reception.reported_on,
                                  through.addDays(1));
  const long long key = reception.id;
  long long paid = 0;
  soci::indicator paid_i = soci::i_null;
  db << "SELECT SUM(amount_fen) FROM vt_resettlement_payments WHERE reception_id = :r AND kind ="
        " 'living_allowance' AND status <> 'cancelled'",
      soci::into(paid, paid_i), soci::use(key);
  json months = json::array();
  for (const auto& month : owed.months)
    months.push_back(sdk::jsonObject({{"month", month.month.toString()},
                                      {"days", month.days},
                                      {"month_days", month.month_days},
                                      {"wage", month.wage},
                                      {"amount", month.amount}}));
  const auto ends = waitingEnds(db, reception);
  const sdk::Money prepared = sdk::Money::fromFen(paid_i == soci::i_ok ? paid : 0);
  return sdk::Response::ok({{"reception_id", reception.id},
                            {"from", reception.reported_on->toString()},
                            {"through", through.toString()},
                            {"waiting_ended_on", ends ? json(ends->toString()) : json(nullptr)},
                            {"months", months},
                            {"total", owed.total},
                            {"prepared_or_paid", prepared},
                            {"outstanding", owed.total - prepared}});
}

}  // namespace civ::plugins::veterans::resettlement
