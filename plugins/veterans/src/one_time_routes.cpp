// One-time payments (§15–16): 烈士褒扬金 and 一次性抚恤金, computed from the dated national table
// for a survivor of a fallen serviceman, prepared by one person and confirmed by another, then
// paid once by the next payment run (kind one_time). Each is an entitlement row of its type, so
// the run's line names it by its number like any other.
#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/context.h>
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

const char* kOneTimeColumns =
    "SELECT e.id, e.number, e.type, e.fallen_id, fp.name, e.beneficiary_id, p.name, b.township,"
    " e.amount_fen, e.computation, e.status, e.proposed_by, e.proposed_on, e.confirmed_by,"
    " e.confirmed_on, (SELECT MAX(a.paid_in_run) FROM vt_adjustments a WHERE a.entitlement_id ="
    " e.id AND a.kind = 'one_time' AND a.withdrawn_on IS NULL), e.note FROM vt_entitlements e"
    " JOIN vt_beneficiaries b ON b.id = e.beneficiary_id JOIN civ_persons p ON p.id ="
    " b.person_id JOIN vt_fallen f ON f.id = e.fallen_id JOIN civ_persons fp ON fp.id ="
    " f.person_id";

json oneTimeRow(const soci::row& row) {
  const auto run = sdk::sql::optionalInt64At(row, 15);
  return sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                          {"number", sdk::sql::textAt(row, 1)},
                          {"type", sdk::sql::textAt(row, 2)},
                          {"fallen_id", sdk::sql::int64At(row, 3)},
                          {"fallen_name", sdk::sql::textAt(row, 4)},
                          {"beneficiary_id", sdk::sql::int64At(row, 5)},
                          {"payee", sdk::sql::textAt(row, 6)},
                          {"township", sdk::sql::textAt(row, 7)},
                          {"amount", sdk::Money::fromFen(sdk::sql::int64At(row, 8)).toString()},
                          {"computation", json::parse(sdk::sql::textAt(row, 9))},
                          {"status", sdk::sql::textAt(row, 10)},
                          {"proposed_by", sdk::sql::textAt(row, 11)},
                          {"proposed_on", sdk::sql::textAt(row, 12)},
                          {"confirmed_by", sdk::sql::textOrNullAt(row, 13)},
                          {"confirmed_on", sdk::sql::textOrNullAt(row, 14)},
                          {"paid_in_run", run ? json(*run) : json(nullptr)},
                          {"note", sdk::sql::textAt(row, 16)}});
}

json oneTimeJson(soci::session& db, std::int64_t id) {
  const long long key = id;
  soci::rowset<soci::row> rows =
      (db.prepare << std::string(kOneTimeColumns) + " WHERE e.id = :id", soci::use(key));
  for (const auto& row : rows) return oneTimeRow(row);
  throw sdk::NotFound("no one-time payment " + std::to_string(id));
}

EntitlementRow oneTimeInScope(sdk::Request& request) {
  auto entitlement = scopedEntitlement(request, request.pathId("id"));
  if (entitlement.type != "martyr_honour" && entitlement.type != "death_lump_sum")
    throw sdk::NotFound("no one-time payment " + std::to_string(entitlement.id) + " in county " +
                        request.county());
  return entitlement;
}

/// How the amount was computed, for the record and the confirming approver.
json computationJson(const MartyrHonourPayment& payment) {
  return {{"rule", "烈士褒扬金 = 30 × 上一年度全国城镇居民人均可支配收入 (§15)"},
          {"income_year", payment.income_year},
          {"income", payment.income.toString()},
          {"income_multiple", 30},
          {"base", payment.amount.toString()},
          {"amount", payment.amount.toString()}};
}
json computationJson(const DeathLumpSum& sum) {
  return {
      {"rule",
       "一次性抚恤金 = " + std::to_string(sum.income_multiple) +
           " × 上一年度全国城镇居民人均可支配收入 + 40 × 本人月基本工资（不低于少尉）, plus the "
           "highest honour's percentage of that (§15–16), to the fen half up"},
      {"income_year", sum.income_year},
      {"income", sum.income.toString()},
      {"income_multiple", sum.income_multiple},
      {"monthly_pay", sum.monthly_pay.toString()},
      {"lieutenant_pay", sum.lieutenant_pay.toString()},
      {"base", sum.base.toString()},
      {"honour", sum.honour ? json(sum.honour->code) : json(nullptr)},
      {"supplement_percent", sum.honour ? sum.honour->percent : 0},
      {"supplement", sum.supplement.toString()},
      {"amount", sum.amount.toString()}};
}

}  // namespace

sdk::Response VeteransPlugin::prepareOneTime(sdk::Request& request) {
  auto& db = request.db();
  const json& body = request.body();
  const std::string type = body["type"];
  const long long fallen_key = body["fallen_id"].get<std::int64_t>();
  std::string kind, died, awards;
  long long pay = 0;
  soci::indicator pay_ind = soci::i_null;
  db << "SELECT death_kind, died_on, monthly_pay_fen, awards FROM vt_fallen WHERE id = :id AND"
        " county_code = :c",
      soci::into(kind), soci::into(died), soci::into(pay, pay_ind), soci::into(awards),
      soci::use(fallen_key), soci::use(request.county());
  if (!db.got_data())
    throw sdk::ValidationError(
        "fallen_id", "known-fallen",
        "no fallen serviceman " + std::to_string(fallen_key) + " in county " + request.county());
  const auto beneficiary =
      beneficiaryField(request, body["beneficiary_id"].get<std::int64_t>(), "beneficiary_id");
  if (!beneficiary.fallen_id || *beneficiary.fallen_id != fallen_key)
    throw sdk::ValidationError(
        "beneficiary_id", "survivor-of-fallen",
        "file " + beneficiary.number + " is not a survivor of this fallen serviceman");
  if (beneficiary.status == "deceased")
    throw sdk::ValidationError("beneficiary_id", "alive", "the survivor is recorded deceased");
  if (type == "martyr_honour" && kind != "martyr")
    throw sdk::ValidationError("type", "martyr-only",
                               "烈士褒扬金 is paid for a martyr (烈士); this record is " + kind);
  std::string open;
  db << "SELECT number FROM vt_entitlements WHERE fallen_id = :f AND type = :t AND status IN"
        " ('proposed', 'active')",
      soci::into(open), soci::use(fallen_key), soci::use(type);
  if (db.got_data())
    throw sdk::ValidationError("type", "one-per-fallen",
                               type + " for this record is " + open + " already");
  const auto table = loadTable(db, request.county());
  const auto death = *sdk::Date::parse(died);
  json computation;
  sdk::Money amount;
  if (type == "martyr_honour") {
    const auto payment = martyrHonour(death, table);
    computation = computationJson(payment);
    amount = payment.amount;
  } else {
    std::optional<sdk::Money> own;
    if (pay_ind == soci::i_ok) own = sdk::Money::fromFen(pay);
    const auto sum = deathLumpSum(kind, death, own, awardsOf(json::parse(awards)), table);
    computation = computationJson(sum);
    amount = sum.amount;
  }
  const std::string number = nextNumber(db, request.county(), "DY", request.today().year());
  const std::string note = body.value("note", ""), today = request.today().toString(),
                    computed = computation.dump();
  const long long beneficiary_key = beneficiary.id, fen = amount.fen();
  long long id = 0;
  db << "INSERT INTO vt_entitlements (county_code, number, beneficiary_id, type, status,"
        " fallen_id, amount_fen, computation, note, proposed_by, proposed_on) VALUES (:c, :n, :b,"
        " :t, 'proposed', :f, :a, :comp, :note, :u, :d) RETURNING id",
      soci::use(request.county()), soci::use(number), soci::use(beneficiary_key), soci::use(type),
      soci::use(fallen_key), soci::use(fen), soci::use(computed), soci::use(note),
      soci::use(request.caller().user), soci::use(today), soci::into(id);
  request.audit({sizeof(sdk::AuditRecord), "one_time.prepare", "entitlement", std::to_string(id),
                 sdk::changedFields(nullptr, {{"number", number},
                                              {"type", type},
                                              {"fallen_id", fallen_key},
                                              {"beneficiary_id", beneficiary.id},
                                              {"amount", amount.toString()},
                                              {"computation", computation}})});
  return sdk::Response::created(oneTimeJson(db, id), "/one-time-payments/" + std::to_string(id));
}

sdk::Response VeteransPlugin::listOneTime(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kEntitlementList);
  sdk::ListQuery query("e.county_code", request.county());
  query.add("e.type IN ('martyr_honour', 'death_lump_sum')");
  query.add(sdk::townshipCondition(request.caller(), "b.township"));
  if (auto fallen = request.queryParam("fallen_id"))
    query.add("e.fallen_id = " + query.number(std::stoll(*fallen)));
  if (auto status = request.queryParam("status")) query.add("e.status = " + query.text(*status));
  if (auto township = request.queryParam("township"))
    query.add("b.township = " + query.text(*township));
  const std::string tables =
      " FROM vt_entitlements e JOIN vt_beneficiaries b ON b.id = e.beneficiary_id";
  const auto total = query.count(*lists_, db, tables);
  soci::rowset<soci::row> rows = query.rows(
      db, std::string(kOneTimeColumns) + query.clause() + " AND " + page.keysetCondition("e.id") +
              page.orderAndLimit(
                  {{"id", "e.id"}, {"start_month", "e.start_month"}, {"number", "e.number"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    items.push_back(oneTimeRow(row));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response VeteransPlugin::getOneTime(sdk::Request& request) {
  const auto entitlement = oneTimeInScope(request);
  return sdk::Response::ok(oneTimeJson(request.db(), entitlement.id));
}

sdk::Response VeteransPlugin::confirmOneTime(sdk::Request& request) {
  auto& db = request.db();
  const auto entitlement = oneTimeInScope(request);
  if (entitlement.status != "proposed")
    throw sdk::Conflict("payment " + entitlement.number + " is " + entitlement.status +
                        ", not awaiting confirmation");
  sdk::requireFourEyes(request.caller(), entitlement.proposed_by,
                       "one-time payment " + entitlement.number);
  const auto month = sdk::Month::of(request.today());
  const std::string month_text = month.toString(), today = request.today().toString();
  const long long key = entitlement.id;
  db << "UPDATE vt_entitlements SET status = 'active', approved_on = :d, start_month = :m,"
        " end_month = :m2, confirmed_by = :u, confirmed_on = :d2 WHERE id = :id",
      soci::use(today), soci::use(month_text), soci::use(month_text),
      soci::use(request.caller().user), soci::use(today), soci::use(key);
  const auto due =
      insertDue(db, request.county(), entitlement.id, "one_time", "one_time", month, std::nullopt,
                *entitlement.amount,
                entitlement.type == "martyr_honour" ? "烈士褒扬金 (§15)" : "一次性抚恤金 (§15–16)",
                request.caller().user, request.today());
  request.audit({sizeof(sdk::AuditRecord),
                 "one_time.confirm",
                 "entitlement",
                 std::to_string(entitlement.id),
                 {{"status", {{"old", "proposed"}, {"new", "active"}}},
                  {"confirmed_by", {{"old", nullptr}, {"new", request.caller().user}}},
                  {"amount", {{"old", nullptr}, {"new", entitlement.amount->toString()}}},
                  {"adjustment_id", {{"old", nullptr}, {"new", due}}}}});
  return sdk::Response::ok(oneTimeJson(db, entitlement.id));
}

sdk::Response VeteransPlugin::cancelOneTime(sdk::Request& request) {
  auto& db = request.db();
  const auto entitlement = oneTimeInScope(request);
  if (entitlement.status != "proposed" && entitlement.status != "active")
    throw sdk::Conflict("payment " + entitlement.number + " is " + entitlement.status);
  const long long key = entitlement.id;
  long long paid = 0;
  db << "SELECT COUNT(*) FROM vt_adjustments WHERE entitlement_id = :e AND paid_in_run IS NOT"
        " NULL",
      soci::into(paid), soci::use(key);
  if (paid > 0)
    throw sdk::Conflict("payment " + entitlement.number +
                        " is in a payment run: money that has left is not cancelled here");
  const std::string reason = request.body()["reason"], today = request.today().toString();
  db << "UPDATE vt_adjustments SET withdrawn_on = :d, withdrawn_by = :u, withdrawal_reason = :r"
        " WHERE entitlement_id = :e AND withdrawn_on IS NULL",
      soci::use(today), soci::use(request.caller().user), soci::use(reason), soci::use(key);
  db << "UPDATE vt_entitlements SET status = 'cancelled', end_reason = 'other', ended_by = :u,"
        " ended_on = :d, note = :n WHERE id = :id",
      soci::use(request.caller().user), soci::use(today), soci::use(reason), soci::use(key);
  request.audit({sizeof(sdk::AuditRecord),
                 "one_time.cancel",
                 "entitlement",
                 std::to_string(entitlement.id),
                 {{"status", {{"old", entitlement.status}, {"new", "cancelled"}}},
                  {"reason", {{"old", nullptr}, {"new", reason}}}}});
  return sdk::Response::ok(oneTimeJson(db, entitlement.id));
}

}  // namespace civ::plugins::veterans
