// Entitlements (待遇): a periodic one is proposed for a file, confirmed by a second person and
// paid from the month approved (§19, §27); suspended while the person serves a prison sentence
// and resumed without the suspended months; cancelled for a death sentence, a life sentence or
// expulsion (§59), or for fraud with what was obtained recovered (§58). Every change that
// touches months already run leaves adjustments for the next run (entitlement_store.h settle).
// The lines owed once (adjustments, funeral aid, one-time payments, visits) are listed here too.
#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/clock.h>
#include <civ/sdk/context.h>
#include <civ/sdk/correction.h>
#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/list.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/sql_json.h>

#include "entitlement_store.h"
#include "veterans_plugin.h"
#include "veterans_rules.h"

namespace civ::plugins::veterans {

namespace {

using nlohmann::json;

const char* kEntitlementColumns =
    "SELECT e.id, e.number, e.beneficiary_id, b.number, p.name, b.township, e.type, e.status,"
    " e.approved_on, e.start_month, e.end_month, e.end_reason, e.note, e.proposed_by,"
    " e.proposed_on, e.confirmed_by, e.confirmed_on FROM vt_entitlements e JOIN vt_beneficiaries"
    " b ON b.id = e.beneficiary_id JOIN civ_persons p ON p.id = b.person_id";

json entitlementRowJson(const soci::row& row) {
  return sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                          {"number", sdk::sql::textAt(row, 1)},
                          {"beneficiary_id", sdk::sql::int64At(row, 2)},
                          {"beneficiary_number", sdk::sql::textAt(row, 3)},
                          {"name", sdk::sql::textAt(row, 4)},
                          {"township", sdk::sql::textAt(row, 5)},
                          {"type", sdk::sql::textAt(row, 6)},
                          {"status", sdk::sql::textAt(row, 7)},
                          {"approved_on", sdk::sql::textOrNullAt(row, 8)},
                          {"start_month", sdk::sql::textOrNullAt(row, 9)},
                          {"end_month", sdk::sql::textOrNullAt(row, 10)},
                          {"end_reason", sdk::sql::textOrNullAt(row, 11)},
                          {"note", sdk::sql::textAt(row, 12)},
                          {"proposed_by", sdk::sql::textAt(row, 13)},
                          {"proposed_on", sdk::sql::textAt(row, 14)},
                          {"confirmed_by", sdk::sql::textOrNullAt(row, 15)},
                          {"confirmed_on", sdk::sql::textOrNullAt(row, 16)},
                          {"monthly_amount", nullptr},
                          {"suspended", false}});
}

const char* kAdjustmentColumns =
    "SELECT a.id, a.entitlement_id, e.number, e.beneficiary_id, p.name, b.township, a.kind,"
    " a.source, a.month, a.payable_from, a.amount_fen, a.reason, a.recorded_on, a.recorded_by,"
    " a.paid_in_run, a.withdrawn_on, a.withdrawal_reason FROM vt_adjustments a JOIN"
    " vt_entitlements e ON e.id = a.entitlement_id JOIN vt_beneficiaries b ON b.id ="
    " e.beneficiary_id JOIN civ_persons p ON p.id = b.person_id";

json adjustmentRowJson(const soci::row& row) {
  const auto run = sdk::sql::optionalInt64At(row, 14);
  return sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                          {"entitlement_id", sdk::sql::int64At(row, 1)},
                          {"entitlement_number", sdk::sql::textAt(row, 2)},
                          {"beneficiary_id", sdk::sql::int64At(row, 3)},
                          {"name", sdk::sql::textAt(row, 4)},
                          {"township", sdk::sql::textAt(row, 5)},
                          {"kind", sdk::sql::textAt(row, 6)},
                          {"source", sdk::sql::textAt(row, 7)},
                          {"month", sdk::sql::textAt(row, 8)},
                          {"payable_from", sdk::sql::textOrNullAt(row, 9)},
                          {"amount", sdk::Money::fromFen(sdk::sql::int64At(row, 10)).toString()},
                          {"reason", sdk::sql::textAt(row, 11)},
                          {"recorded_on", sdk::sql::textAt(row, 12)},
                          {"recorded_by", sdk::sql::textAt(row, 13)},
                          {"paid_in_run", run ? json(*run) : json(nullptr)},
                          {"withdrawn_on", sdk::sql::textOrNullAt(row, 15)},
                          {"withdrawal_reason", sdk::sql::textOrNullAt(row, 16)}});
}

/// The month a confirmation pays from: the month approved (§19, §27); for a disabled
/// serviceman whose pension file was transferred in, not before the January after the transfer
/// (§30: the receiving county pays from the next year).
sdk::Month startMonth(const EntitlementRow& entitlement, const BeneficiaryRow& beneficiary,
                      sdk::Date approved) {
  auto start = sdk::Month::of(approved);
  if (entitlement.type == "disability_pension" && beneficiary.transfer_received_on) {
    const auto next_year =
        *sdk::Month::parse(std::to_string(beneficiary.transfer_received_on->year() + 1) + "-01");
    if (start < next_year) start = next_year;
  }
  return start;
}

Auditor auditorOf(sdk::Request& request) {
  return [&request](const sdk::AuditRecord& record) { request.audit(record); };
}

EntitlementRow periodicInScope(sdk::Request& request) {
  auto entitlement = scopedEntitlement(request, request.pathId("id"));
  if (!isPeriodic(entitlement.type))
    throw sdk::ValidationError("id", "periodic",
                               "entitlement " + entitlement.number + " is a one-time " +
                                   entitlement.type + ": see /one-time-payments");
  return entitlement;
}

std::string monthText(const std::optional<sdk::Month>& month) {
  return month ? month->toString() : std::string();
}

}  // namespace

json VeteransPlugin::entitlementJson(soci::session& db, std::int64_t id) const {
  const long long key = id;
  json body;
  std::string county;
  soci::rowset<soci::row> rows =
      (db.prepare << std::string(kEntitlementColumns) + " WHERE e.id = :id", soci::use(key));
  for (const auto& row : rows) body = entitlementRowJson(row);
  if (body.is_null()) throw sdk::NotFound("no entitlement " + std::to_string(id));
  db << "SELECT county_code FROM vt_entitlements WHERE id = :id", soci::into(county),
      soci::use(key);
  const auto entitlement = *findEntitlement(db, county, id);
  const auto schedule = scheduleOf(db, entitlement);
  json suspensions = json::array();
  soci::rowset<soci::row> suspended =
      (db.prepare << "SELECT id, from_month, to_month, reason, note, recorded_by FROM"
                     " vt_suspensions WHERE entitlement_id = :e ORDER BY from_month, id",
       soci::use(key));
  for (const auto& row : suspended)
    suspensions.push_back(sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                                           {"from_month", sdk::sql::textAt(row, 1)},
                                           {"to_month", sdk::sql::textOrNullAt(row, 2)},
                                           {"reason", sdk::sql::textAt(row, 3)},
                                           {"note", sdk::sql::textAt(row, 4)},
                                           {"recorded_by", sdk::sql::textAt(row, 5)}}));
  body["suspensions"] = suspensions;
  json adjustments = json::array();
  soci::rowset<soci::row> owed =
      (db.prepare << std::string(kAdjustmentColumns) + " WHERE a.entitlement_id = :e ORDER BY a.id",
       soci::use(key));
  for (const auto& row : owed) adjustments.push_back(adjustmentRowJson(row));
  body["adjustments"] = adjustments;
  // This month as things stand (null when the table has no standard for it).
  const auto month = sdk::Month::of(context_->clock().today());
  body["suspended"] = suspendedIn(schedule.suspensions, month);
  if (isPeriodic(entitlement.type)) {
    try {
      body["monthly_amount"] = dueFor(schedule, month, loadTable(db, county),
                                      localFigures(*context_, county, month.firstDay()))
                                   .toString();
    } catch (const sdk::ValidationError&) {
      body["monthly_amount"] = nullptr;
    }
  }
  return body;
}

sdk::Response VeteransPlugin::proposeEntitlement(sdk::Request& request) {
  auto& db = request.db();
  const json& body = request.body();
  const auto beneficiary =
      beneficiaryField(request, body["beneficiary_id"].get<std::int64_t>(), "beneficiary_id");
  if (beneficiary.status == "deceased")
    throw sdk::ValidationError(
        "beneficiary_id", "alive",
        "the person is recorded deceased on " + beneficiary.death_date->toString());
  const std::string type = body["type"];
  auto facts = beneficiary.facts;
  const auto assessments = assessmentsOf(db, beneficiary.id);
  if (!assessments.empty()) facts.disability = assessments.back().disability;
  requireEntitlementFits(type, facts, request.today());
  const long long beneficiary_key = beneficiary.id;
  std::string open;
  db << "SELECT number FROM vt_entitlements WHERE beneficiary_id = :b AND type = :t AND status IN"
        " ('proposed', 'active')",
      soci::into(open), soci::use(beneficiary_key), soci::use(type);
  if (db.got_data())
    throw sdk::ValidationError("type", "one-open",
                               "the file has " + type + " " + open + " open already");
  const std::string number = nextNumber(db, request.county(), "DY", request.today().year());
  const std::string note = body.value("note", ""), today = request.today().toString();
  long long id = 0;
  db << "INSERT INTO vt_entitlements (county_code, number, beneficiary_id, type, status, note,"
        " proposed_by, proposed_on) VALUES (:c, :n, :b, :t, 'proposed', :note, :u, :d) RETURNING"
        " id",
      soci::use(request.county()), soci::use(number), soci::use(beneficiary_key), soci::use(type),
      soci::use(note), soci::use(request.caller().user), soci::use(today), soci::into(id);
  request.audit({sizeof(sdk::AuditRecord), "entitlement.propose", "entitlement", std::to_string(id),
                 sdk::changedFields(nullptr, {{"number", number},
                                              {"beneficiary_id", beneficiary.id},
                                              {"type", type},
                                              {"status", "proposed"},
                                              {"note", note}})});
  return sdk::Response::created(entitlementJson(db, id), "/entitlements/" + std::to_string(id));
}

sdk::Response VeteransPlugin::listEntitlements(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kEntitlementList);
  sdk::ListQuery query("e.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "b.township"));
  if (auto beneficiary = request.queryParam("beneficiary_id"))
    query.add("e.beneficiary_id = " + query.number(std::stoll(*beneficiary)));
  if (auto type = request.queryParam("type")) query.add("e.type = " + query.text(*type));
  if (auto status = request.queryParam("status")) query.add("e.status = " + query.text(*status));
  if (auto township = request.queryParam("township"))
    query.add("b.township = " + query.text(*township));
  if (auto name = request.queryParam("name")) query.add("p.name " + query.containing(*name));
  const std::string tables =
      " FROM vt_entitlements e JOIN vt_beneficiaries b ON b.id = e.beneficiary_id JOIN"
      " civ_persons p ON p.id = b.person_id";
  const auto total = query.count(*lists_, db, tables);
  soci::rowset<soci::row> rows = query.rows(
      db, std::string(kEntitlementColumns) + query.clause() + " AND " +
              page.keysetCondition("e.id") +
              page.orderAndLimit(
                  {{"id", "e.id"}, {"start_month", "e.start_month"}, {"number", "e.number"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    items.push_back(entitlementRowJson(row));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response VeteransPlugin::getEntitlement(sdk::Request& request) {
  const auto entitlement = scopedEntitlement(request, request.pathId("id"));
  return sdk::Response::ok(entitlementJson(request.db(), entitlement.id));
}

sdk::Response VeteransPlugin::confirmEntitlement(sdk::Request& request) {
  auto& db = request.db();
  const auto entitlement = periodicInScope(request);
  if (entitlement.status != "proposed")
    throw sdk::Conflict("entitlement " + entitlement.number + " is " + entitlement.status +
                        ", not awaiting confirmation");
  sdk::requireFourEyes(request.caller(), entitlement.proposed_by,
                       "entitlement " + entitlement.number);
  const json& body = request.body();
  const auto approved =
      body.contains("approved_on") ? dateOf(body["approved_on"]) : request.today();
  notInFuture(approved, request.today(), "approved_on");
  const auto beneficiary = *findBeneficiary(db, request.county(), entitlement.beneficiary_id);
  if (beneficiary.death_date && *beneficiary.death_date <= approved)
    throw sdk::ValidationError("approved_on", "alive",
                               "the person died on " + beneficiary.death_date->toString());
  auto facts = beneficiary.facts;
  const auto assessments = assessmentsOf(db, beneficiary.id);
  if (const auto disability = disabilityIn(assessments, sdk::Month::of(approved)))
    facts.disability = disability;
  requireEntitlementFits(entitlement.type, facts, approved);
  const auto start = startMonth(entitlement, beneficiary, approved);
  const std::string approved_text = approved.toString(), start_text = start.toString(),
                    today = request.today().toString();
  const long long key = entitlement.id;
  db << "UPDATE vt_entitlements SET status = 'active', approved_on = :a, start_month = :s,"
        " confirmed_by = :u, confirmed_on = :d WHERE id = :id",
      soci::use(approved_text), soci::use(start_text), soci::use(request.caller().user),
      soci::use(today), soci::use(key);
  request.audit({sizeof(sdk::AuditRecord),
                 "entitlement.confirm",
                 "entitlement",
                 std::to_string(entitlement.id),
                 {{"status", {{"old", "proposed"}, {"new", "active"}}},
                  {"approved_on", {{"old", nullptr}, {"new", approved_text}}},
                  {"start_month", {{"old", nullptr}, {"new", start_text}}},
                  {"confirmed_by", {{"old", nullptr}, {"new", request.caller().user}}}}});
  // Months from the start that a run has already paid without it are paid back.
  auto confirmed = *findEntitlement(db, request.county(), entitlement.id);
  settle(db, *context_, scheduleOf(db, confirmed), "back_pay",
         "paid from " + start_text + " (confirmed " + today + ")", request.caller().user,
         request.today(), auditorOf(request));
  return sdk::Response::ok(entitlementJson(db, entitlement.id));
}

sdk::Response VeteransPlugin::correctEntitlement(sdk::Request& request) {
  auto& db = request.db();
  const auto entitlement = periodicInScope(request);
  const json& body = request.body();
  sdk::requireSomeField(body, "approved_on, note");
  const json current = entitlementJson(db, entitlement.id);
  const json before = {{"approved_on", current["approved_on"]}, {"note", current["note"]}};
  json after = before;
  for (const auto& item : body.items()) after[item.key()] = item.value();
  json changes = sdk::changedFields(before, after);
  if (changes.empty()) sdk::refuseUnchanged(body);
  const long long key = entitlement.id;
  const std::string note = after["note"];
  db << "UPDATE vt_entitlements SET note = :n WHERE id = :id", soci::use(note), soci::use(key);
  if (after["approved_on"] != before["approved_on"]) {
    if (entitlement.status == "proposed")
      throw sdk::ValidationError("approved_on", "confirmed",
                                 "the entitlement is not confirmed yet: the date is given when "
                                 "it is");
    const auto approved = dateOf(after["approved_on"]);
    notInFuture(approved, request.today(), "approved_on");
    const auto beneficiary = *findBeneficiary(db, request.county(), entitlement.beneficiary_id);
    const auto start = startMonth(entitlement, beneficiary, approved);
    if (entitlement.end_month && start > *entitlement.end_month)
      throw sdk::ValidationError("approved_on", "before-end",
                                 "the entitlement ended with " + entitlement.end_month->toString());
    const std::string approved_text = approved.toString(), start_text = start.toString();
    db << "UPDATE vt_entitlements SET approved_on = :a, start_month = :s WHERE id = :id",
        soci::use(approved_text), soci::use(start_text), soci::use(key);
    changes["start_month"] = {{"old", monthText(entitlement.start_month)}, {"new", start_text}};
  }
  request.audit({sizeof(sdk::AuditRecord), "entitlement.correct", "entitlement",
                 std::to_string(entitlement.id), changes});
  auto corrected = *findEntitlement(db, request.county(), entitlement.id);
  settle(db, *context_, scheduleOf(db, corrected), "correction",
         "entitlement " + entitlement.number + " corrected", request.caller().user, request.today(),
         auditorOf(request));
  return sdk::Response::ok(entitlementJson(db, entitlement.id));
}

sdk::Response VeteransPlugin::monthAmount(sdk::Request& request) {
  auto& db = request.db();
  const auto entitlement = periodicInScope(request);
  sdk::Month month = sdk::Month::of(request.today());
  if (auto text = request.queryParam("month")) month = *sdk::Month::parse(*text);
  const auto schedule = scheduleOf(db, entitlement);
  const auto table = loadTable(db, request.county());
  const auto local = localFigures(*context_, request.county(), month.firstDay());
  const auto facts = schedule.factsIn(month);
  const bool suspended = suspendedIn(schedule.suspensions, month);
  const bool pays =
      entitlement.start_month &&
      paysMonth(*entitlement.start_month, entitlement.end_month, schedule.suspensions, month);
  json answer = {{"entitlement_id", entitlement.id},
                 {"month", month.toString()},
                 {"pays", pays},
                 {"suspended", suspended},
                 {"amount", dueFor(schedule, month, table, local).toString()},
                 {"table_item", nullptr},
                 {"table_key", nullptr},
                 {"annual_standard", nullptr},
                 {"standard_effective_from", nullptr},
                 {"average_monthly_wage", nullptr},
                 {"share", nullptr}};
  if (entitlement.type == "care_allowance") {
    const auto share = facts.disability ? careAllowanceShare(*facts.disability) : std::nullopt;
    answer["average_monthly_wage"] = local.average_monthly_wage.toString();
    answer["share"] = share ? json(share->toString()) : json(nullptr);
    answer["rule"] = "护理费 = 当地上年城镇单位就业人员月平均工资 × 比例 (§34), to the fen half up";
  } else if (entitlement.type == "hardship") {
    answer["rule"] = "困难补助: the county's monthly figure (§21, §31)";
  } else {
    const auto [item, key] = tableEntry(facts);
    answer["table_item"] = item;
    answer["table_key"] = key;
    if (const auto* row = table.inForce(item, key, month.firstDay())) {
      answer["annual_standard"] = row->amount.toString();
      answer["standard_effective_from"] = row->effective_from.toString();
    }
    answer["rule"] =
        "annual standard in force on the month's first day ÷ 12, to the fen half up; December "
        "pays the remainder so that twelve months make the annual figure";
  }
  if (!pays)
    answer["rule"] = std::string(suspended ? "suspended: nothing is paid for the month"
                                           : "outside the months paid (start to end)") +
                     "; " + answer["rule"].get<std::string>();
  return sdk::Response::ok(answer);
}

sdk::Response VeteransPlugin::suspendEntitlement(sdk::Request& request) {
  auto& db = request.db();
  const auto entitlement = periodicInScope(request);
  if (entitlement.status != "active")
    throw sdk::ValidationError("id", "active",
                               "entitlement " + entitlement.number + " is " + entitlement.status +
                                   ": only an active one is suspended");
  const json& body = request.body();
  const auto from = *sdk::Month::parse(body["from_month"].get<std::string>());
  if (from < *entitlement.start_month)
    throw sdk::ValidationError(
        "from_month", "after-start",
        "the entitlement is paid from " + entitlement.start_month->toString());
  const auto suspensions = suspensionsOf(db, entitlement.id);
  for (const auto& suspension : suspensions)
    if (!suspension.to || *suspension.to >= from)
      throw sdk::ValidationError("from_month", "one-open-suspension",
                                 "the entitlement is suspended from " + suspension.from.toString() +
                                     (suspension.to ? " to " + suspension.to->toString() : "") +
                                     ": resume it first");
  const std::string from_text = from.toString(), reason = body["reason"],
                    note = body.value("note", ""), today = request.today().toString();
  const long long key = entitlement.id;
  long long id = 0;
  db << "INSERT INTO vt_suspensions (entitlement_id, from_month, reason, note, recorded_by,"
        " recorded_on) VALUES (:e, :f, :r, :n, :u, :d) RETURNING id",
      soci::use(key), soci::use(from_text), soci::use(reason), soci::use(note),
      soci::use(request.caller().user), soci::use(today), soci::into(id);
  request.audit({sizeof(sdk::AuditRecord),
                 "entitlement.suspend",
                 "entitlement",
                 std::to_string(entitlement.id),
                 {{"suspended_from", {{"old", nullptr}, {"new", from_text}}},
                  {"suspension_reason", {{"old", nullptr}, {"new", reason}}},
                  {"note", {{"old", nullptr}, {"new", note}}}}});
  // Months of the suspension a run already paid are recovered.
  settle(db, *context_, scheduleOf(db, entitlement), "suspension",
         "suspended from " + from_text + " (" + reason + ")", request.caller().user,
         request.today(), auditorOf(request));
  return sdk::Response::created(entitlementJson(db, entitlement.id),
                                "/entitlements/" + std::to_string(entitlement.id));
}

sdk::Response VeteransPlugin::resumeEntitlement(sdk::Request& request) {
  auto& db = request.db();
  const auto entitlement = periodicInScope(request);
  const long long key = entitlement.id;
  long long suspension = 0;
  std::string from_text;
  db << "SELECT id, from_month FROM vt_suspensions WHERE entitlement_id = :e AND to_month IS NULL",
      soci::into(suspension), soci::into(from_text), soci::use(key);
  if (!db.got_data())
    throw sdk::ValidationError("from_month", "suspended",
                               "entitlement " + entitlement.number + " is not suspended");
  if (entitlement.status != "active")
    throw sdk::ValidationError("from_month", "active",
                               "entitlement " + entitlement.number + " is " + entitlement.status);
  const auto resume = *sdk::Month::parse(request.body()["from_month"].get<std::string>());
  const auto suspended_from = *sdk::Month::parse(from_text);
  if (resume <= suspended_from)
    throw sdk::ValidationError(
        "from_month", "after-suspension",
        "payment was suspended from " + from_text + ": it resumes from a later month");
  const std::string last = resume.plus(-1).toString(), today = request.today().toString();
  db << "UPDATE vt_suspensions SET to_month = :t, resumed_by = :u, resumed_on = :d WHERE id ="
        " :id",
      soci::use(last), soci::use(request.caller().user), soci::use(today), soci::use(suspension);
  request.audit({sizeof(sdk::AuditRecord),
                 "entitlement.resume",
                 "entitlement",
                 std::to_string(entitlement.id),
                 {{"suspended_to", {{"old", nullptr}, {"new", last}}},
                  {"resumed_from", {{"old", nullptr}, {"new", resume.toString()}}}}});
  settle(db, *context_, scheduleOf(db, entitlement), "resumption",
         "resumed from " + resume.toString(), request.caller().user, request.today(),
         auditorOf(request));
  return sdk::Response::ok(entitlementJson(db, entitlement.id));
}

sdk::Response VeteransPlugin::correctSuspension(sdk::Request& request) {
  auto& db = request.db();
  const auto entitlement = periodicInScope(request);
  if (entitlement.status != "active")
    throw sdk::ValidationError("id", "active",
                               "entitlement " + entitlement.number + " is " + entitlement.status +
                                   ": its suspensions are history");
  const long long entitlement_key = entitlement.id;
  const long long suspension_key = request.pathId("suspension");
  std::string from_text, reason, note;
  std::optional<std::string> to_text;
  soci::indicator to_null = soci::i_ok;
  std::string to_value;
  db << "SELECT from_month, to_month, reason, note FROM vt_suspensions WHERE id = :s AND"
        " entitlement_id = :e",
      soci::into(from_text), soci::into(to_value, to_null), soci::into(reason), soci::into(note),
      soci::use(suspension_key), soci::use(entitlement_key);
  if (!db.got_data())
    throw sdk::NotFound("entitlement " + entitlement.number + " has no suspension " +
                        std::to_string(suspension_key));
  if (to_null == soci::i_ok) to_text = to_value;
  const json& body = request.body();
  if (body.empty())
    throw sdk::ValidationError("from_month", "required", "name at least one field to correct");
  const json before = {{"from_month", from_text},
                       {"to_month", to_text ? json(*to_text) : json(nullptr)},
                       {"reason", reason},
                       {"note", note}};
  auto from = *sdk::Month::parse(body.value("from_month", from_text));
  std::optional<sdk::Month> to;
  if (to_text) to = *sdk::Month::parse(*to_text);
  if (body.contains("to_month")) {
    if (!to)
      throw sdk::ValidationError("to_month", "resumed",
                                 "the suspension is still open: resume the entitlement to end it");
    to = *sdk::Month::parse(body["to_month"].get<std::string>());
  }
  if (from < *entitlement.start_month)
    throw sdk::ValidationError(
        "from_month", "after-start",
        "the entitlement is paid from " + entitlement.start_month->toString());
  if (to && *to < from)
    throw sdk::ValidationError("to_month", "after-from",
                               "the suspension's last month " + to->toString() +
                                   " is before its first " + from.toString());
  for (const auto& other : suspensionsOf(db, entitlement.id)) {
    if (other.from.toString() == from_text &&
        (other.to ? other.to->toString() : "") == to_text.value_or(""))
      continue;  // this one
    const bool overlaps = (!other.to || *other.to >= from) && (!to || other.from <= *to);
    if (overlaps)
      throw sdk::ValidationError("from_month", "no-overlap",
                                 "another suspension runs from " + other.from.toString() +
                                     (other.to ? " to " + other.to->toString() : "") +
                                     ": suspensions do not overlap");
  }
  const std::string new_from = from.toString(), new_reason = body.value("reason", reason),
                    new_note = body.value("note", note);
  soci::indicator new_to_null = to ? soci::i_ok : soci::i_null;
  std::string new_to = to ? to->toString() : "";
  db << "UPDATE vt_suspensions SET from_month = :f, to_month = :t, reason = :r, note = :n WHERE"
        " id = :s",
      soci::use(new_from), soci::use(new_to, new_to_null), soci::use(new_reason),
      soci::use(new_note), soci::use(suspension_key);
  const json after = {{"from_month", new_from},
                      {"to_month", to ? json(new_to) : json(nullptr)},
                      {"reason", new_reason},
                      {"note", new_note}};
  request.audit(
      {sizeof(sdk::AuditRecord),
       "entitlement.suspension_correct",
       "entitlement",
       std::to_string(entitlement.id),
       {{"suspension_id", suspension_key}, {"changes", sdk::changedFields(before, after)}}});
  // Months now paid or no longer paid that a run already covered are settled by adjustment.
  settle(db, *context_, scheduleOf(db, entitlement), "suspension-correction",
         "suspension " + std::to_string(suspension_key) + " corrected", request.caller().user,
         request.today(), auditorOf(request));
  return sdk::Response::ok(entitlementJson(db, entitlement.id));
}

sdk::Response VeteransPlugin::cancelEntitlement(sdk::Request& request) {
  auto& db = request.db();
  const auto entitlement = periodicInScope(request);
  if (entitlement.status != "active" && entitlement.status != "proposed")
    throw sdk::Conflict("entitlement " + entitlement.number + " is " + entitlement.status +
                        " already");
  const json& body = request.body();
  const std::string reason = body["reason"], note = body["note"];
  const auto from = *sdk::Month::parse(body["from_month"].get<std::string>());
  std::optional<sdk::Month> end;
  if (entitlement.start_month) {
    if (from < *entitlement.start_month)
      throw sdk::ValidationError(
          "from_month", "after-start",
          "the entitlement is paid from " + entitlement.start_month->toString());
    end = from.plus(-1);
  }
  // §58: what fraud obtained is recovered, from the first month paid unless a later month is
  // named.
  if (body.contains("recover_from_month")) {
    if (reason != "fraud")
      throw sdk::ValidationError("recover_from_month", "fraud-only",
                                 "only a cancellation for fraud recovers months paid (§58)");
    const auto recover = *sdk::Month::parse(body["recover_from_month"].get<std::string>());
    if (!entitlement.start_month || recover < *entitlement.start_month || recover > from)
      throw sdk::ValidationError("recover_from_month", "within-paid",
                                 "recovery runs from a month paid, at most the month payment "
                                 "stops");
    end = recover.plus(-1);
  } else if (reason == "fraud" && entitlement.start_month) {
    end = entitlement.start_month->plus(-1);
  }
  const std::string end_text = monthText(end), today = request.today().toString();
  soci::indicator end_null = end ? soci::i_ok : soci::i_null;
  const long long key = entitlement.id;
  db << "UPDATE vt_entitlements SET status = 'cancelled', end_month = :e, end_reason = :r,"
        " ended_by = :u, ended_on = :d, note = :n WHERE id = :id",
      soci::use(end_text, end_null), soci::use(reason), soci::use(request.caller().user),
      soci::use(today), soci::use(note), soci::use(key);
  request.audit({sizeof(sdk::AuditRecord),
                 "entitlement.cancel",
                 "entitlement",
                 std::to_string(entitlement.id),
                 {{"status", {{"old", entitlement.status}, {"new", "cancelled"}}},
                  {"end_month", {{"old", nullptr}, {"new", end ? json(end_text) : json(nullptr)}}},
                  {"end_reason", {{"old", nullptr}, {"new", reason}}},
                  {"note", {{"old", nullptr}, {"new", note}}}}});
  auto cancelled = *findEntitlement(db, request.county(), entitlement.id);
  settle(db, *context_, scheduleOf(db, cancelled),
         reason == "fraud" ? "recovery_fraud" : "cancellation",
         reason == "fraud" ? "obtained by fraud: recovered (§58)" : "cancelled (" + reason + ")",
         request.caller().user, request.today(), auditorOf(request));
  return sdk::Response::ok(entitlementJson(db, entitlement.id));
}

sdk::Response VeteransPlugin::listAdjustments(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kAdjustmentList);
  sdk::ListQuery query("a.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "b.township"));
  if (auto entitlement = request.queryParam("entitlement_id"))
    query.add("a.entitlement_id = " + query.number(std::stoll(*entitlement)));
  if (auto kind = request.queryParam("kind")) query.add("a.kind = " + query.text(*kind));
  if (auto paid = request.queryParam("paid"))
    query.add(*paid == "true" ? "a.paid_in_run IS NOT NULL"
                              : "a.paid_in_run IS NULL AND a.withdrawn_on IS NULL");
  if (auto township = request.queryParam("township"))
    query.add("b.township = " + query.text(*township));
  const std::string tables =
      " FROM vt_adjustments a JOIN vt_entitlements e ON e.id = a.entitlement_id JOIN"
      " vt_beneficiaries b ON b.id = e.beneficiary_id JOIN civ_persons p ON p.id = b.person_id";
  const auto total = query.count(*lists_, db, tables);
  soci::rowset<soci::row> rows =
      query.rows(db, std::string(kAdjustmentColumns) + query.clause() + " AND " +
                         page.keysetCondition("a.id") +
                         page.orderAndLimit({{"id", "a.id"}, {"month", "a.month"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    items.push_back(adjustmentRowJson(row));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

namespace {
/// The adjustment in the path, in the county and the caller's townships.
json scopedAdjustment(sdk::Request& request) {
  const auto id = request.pathId("id");
  const long long key = id;
  json row;
  soci::rowset<soci::row> rows =
      (request.db().prepare << std::string(kAdjustmentColumns) +
                                   " WHERE a.id = :id AND a.county_code = :c",
       soci::use(key), soci::use(request.county()));
  for (const auto& found : rows) row = adjustmentRowJson(found);
  if (row.is_null())
    throw sdk::NotFound("no adjustment " + std::to_string(id) + " in county " + request.county());
  sdk::requireTownship(request.caller(), row["township"].get<std::string>(),
                       "adjustment " + std::to_string(id));
  return row;
}
}  // namespace

sdk::Response VeteransPlugin::getAdjustment(sdk::Request& request) {
  return sdk::Response::ok(scopedAdjustment(request));
}

sdk::Response VeteransPlugin::withdrawAdjustment(sdk::Request& request) {
  auto& db = request.db();
  const json row = scopedAdjustment(request);
  const auto id = row["id"].get<std::int64_t>();
  const long long key = id;
  const std::string kind = row["kind"];
  if (kind == "adjustment" || kind == "one_time")
    throw sdk::ValidationError(
        "id", "withdrawable",
        kind == "adjustment"
            ? "an adjustment follows the file and the entitlement: correct them instead"
            : "a one-time payment is cancelled through /one-time-payments/{id}/cancellation");
  if (!row["paid_in_run"].is_null())
    throw sdk::Conflict("adjustment " + std::to_string(id) + " is in payment run " +
                        std::to_string(row["paid_in_run"].get<std::int64_t>()) +
                        ": a line in a run is not withdrawn (cancel a prepared run first)");
  if (!row["withdrawn_on"].is_null())
    throw sdk::Conflict("adjustment " + std::to_string(id) + " was withdrawn on " +
                        row["withdrawn_on"].get<std::string>());
  const std::string reason = request.body()["reason"], today = request.today().toString();
  db << "UPDATE vt_adjustments SET withdrawn_on = :d, withdrawn_by = :u, withdrawal_reason = :r"
        " WHERE id = :id",
      soci::use(today), soci::use(request.caller().user), soci::use(reason), soci::use(key);
  request.audit({sizeof(sdk::AuditRecord),
                 "adjustment.withdraw",
                 "adjustment",
                 std::to_string(id),
                 {{"withdrawn_on", {{"old", nullptr}, {"new", today}}},
                  {"withdrawal_reason", {{"old", nullptr}, {"new", reason}}}}});
  json answer;
  soci::rowset<soci::row> again =
      (db.prepare << std::string(kAdjustmentColumns) + " WHERE a.id = :id", soci::use(key));
  for (const auto& found : again) answer = adjustmentRowJson(found);
  return sdk::Response::ok(answer);
}

}  // namespace civ::plugins::veterans
