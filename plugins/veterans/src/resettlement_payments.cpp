// Resettlement payments: the 自主就业 lump sums (一次性退役金 §21–22, 一次性经济补助 §23) once
// each, and the living allowance while waiting for a post (§75) for a period. Money that
// leaves needs two people: one approver prepares, another confirms (sdk::requireFourEyes) or
// cancels a prepared payment with a reason. County-wide work.
#include <algorithm>

#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/list.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/sql_json.h>
#include <civ/sdk/value_conversions.h>

#include "resettlement_shared.h"

namespace civ::plugins::veterans::resettlement {

namespace {

using nlohmann::json;

const char* kColumns =
    "SELECT x.id, x.reception_id, p.name, r.township, x.kind, x.period_from, x.period_to,"
    " x.amount_fen, x.detail, x.status, x.prepared_by, x.prepared_on, x.confirmed_by,"
    " x.confirmed_on, x.cancel_reason FROM vt_resettlement_payments x JOIN vt_receptions r ON"
    " r.id = x.reception_id JOIN civ_persons p ON p.id = r.person_id";

json paymentRow(const soci::row& row) {
  const json detail = json::parse(sdk::sql::textAt(row, 8));
  return sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                          {"reception_id", sdk::sql::int64At(row, 1)},
                          {"name", sdk::sql::textAt(row, 2)},
                          {"township", sdk::sql::textAt(row, 3)},
                          {"kind", sdk::sql::textAt(row, 4)},
                          {"period_from", sdk::sql::textOrNullAt(row, 5)},
                          {"period_to", sdk::sql::textOrNullAt(row, 6)},
                          {"amount", sdk::Money::fromFen(sdk::sql::int64At(row, 7))},
                          {"months", detail.value("months", json(nullptr))},
                          {"status", sdk::sql::textAt(row, 9)},
                          {"prepared_by", sdk::sql::textAt(row, 10)},
                          {"prepared_on", sdk::sql::textAt(row, 11)},
                          {"confirmed_by", sdk::sql::textOrNullAt(row, 12)},
                          {"confirmed_on", sdk::sql::textOrNullAt(row, 13)},
                          {"cancel_reason", sdk::sql::textOrNullAt(row, 14)}});
}

json paymentJson(soci::session& db, std::int64_t id) {
  const long long key = id;
  soci::rowset<soci::row> rows =
      (db.prepare << std::string(kColumns) + " WHERE x.id = :id", soci::use(key));
  for (const auto& row : rows) return paymentRow(row);
  throw sdk::NotFound("no payment " + std::to_string(id));
}

struct Payment {
  std::int64_t id;
  std::string status;
  std::string prepared_by;
  std::string kind;
};

Payment scopedPayment(sdk::Request& request) {
  const long long key = request.pathId("id");
  soci::rowset<soci::row> rows =
      (request.db().prepare << "SELECT id, status, prepared_by, kind FROM"
                               " vt_resettlement_payments WHERE id = :id AND county_code = :c",
       soci::use(key), soci::use(request.county()));
  for (const auto& row : rows)
    return {sdk::sql::int64At(row, 0), sdk::sql::textAt(row, 1), sdk::sql::textAt(row, 2),
            sdk::sql::textAt(row, 3)};
  throw sdk::NotFound("no payment " + std::to_string(key) + " in county " + request.county());
}

void requirePrepared(const Payment& payment) {
  if (payment.status != "prepared")
    throw sdk::ValidationError(
        "id", "payment-prepared",
        "the payment is " + payment.status + ": only a prepared payment is confirmed or cancelled");
}

/// The one-time amount of `kind` decided with the type (自主就业 only).
sdk::Money oneTimeAmount(soci::session& db, const Reception& reception, const std::string& kind) {
  if (reception.type.value_or("") != "self_employment")
    throw sdk::ValidationError("kind", "self-employment",
                               "the lump sums of §21–23 are paid to soldiers resettled by "
                               "self-employment");
  const long long key = reception.id;
  long long fen = 0;
  soci::indicator fen_i = soci::i_null;
  const std::string column = kind == "lump_sum" ? "lump_sum_fen" : "local_grant_fen";
  db << "SELECT " + column + " FROM vt_receptions WHERE id = :id", soci::into(fen, fen_i),
      soci::use(key);
  long long prepared = 0;
  db << "SELECT COUNT(*) FROM vt_resettlement_payments WHERE reception_id = :r AND kind = :k AND"
        " status <> 'cancelled'",
      soci::into(prepared), soci::use(key), soci::use(kind);
  if (prepared > 0)
    throw sdk::ValidationError("kind", "paid-once",
                               "the " + kind + " of this soldier is prepared or paid already");
  if (fen_i != soci::i_ok || fen <= 0)
    throw sdk::ValidationError("kind", "amount-positive",
                               "the amount is 0.00: the standard in force on the approval date "
                               "is not loaded (resettlement.lump_sum.per_year, "
                               "resettlement.local_grant.*)");
  return sdk::Money::fromFen(fen);
}

}  // namespace

sdk::Response preparePayment(sdk::Context& context, sdk::Request& request) {
  auto& db = request.db();
  sdk::requireCountyWide(request.caller(), "resettlement payments");
  const json& body = request.body();
  const auto reception =
      receptionField(request, body["reception_id"].get<std::int64_t>(), "reception_id");
  const std::string kind = body["kind"];
  sdk::Money amount;
  std::string period_from, period_to;
  json detail = json::object();
  if (kind == "living_allowance") {
    if (reception.type.value_or("") != "job_placement" || !reception.reported_on)
      throw sdk::ValidationError("kind", "job-placement",
                                 "the living allowance of §75 is paid to soldiers resettled by "
                                 "job placement while they wait");
    if (!body.contains("through"))
      throw sdk::ValidationError("through", "required",
                                 "the living allowance is prepared up to a day: give 'through'");
    const auto through = dateOf(body["through"]);
    notInFuture(through, request.today(), "through");
    // Periods follow each other: from the report, then from the day after the last period.
    sdk::Date from = *reception.reported_on;
    const long long key = reception.id;
    std::string last;
    soci::indicator last_i = soci::i_null;
    db << "SELECT MAX(period_to) FROM vt_resettlement_payments WHERE reception_id = :r AND kind ="
          " 'living_allowance' AND status <> 'cancelled'",
        soci::into(last, last_i), soci::use(key);
    if (last_i == soci::i_ok) from = sdk::Date::parse(last)->addDays(1);
    const auto owed =
        allowanceOwed(context, db, request.county(), reception, from, through.addDays(1));
    if (owed.months.empty() || owed.total.fen() <= 0)
      throw sdk::ValidationError("through", "nothing-owed",
                                 "no waiting day from " + from.toString() + " to " +
                                     through.toString() +
                                     " is unpaid (or the minimum wage is not loaded)");
    amount = owed.total;
    period_from = from.toString();
    const auto& last_month = owed.months.back();
    // The period ends on the last day waited (the allowance stops the day before the letter).
    const sdk::Date first_of_last = last_month.month.firstDay();
    const sdk::Date start_in_last = std::max(first_of_last, from);
    period_to = start_in_last.addDays(last_month.days - 1).toString();
    json months = json::array();
    for (const auto& month : owed.months)
      months.push_back(sdk::jsonObject({{"month", month.month.toString()},
                                        {"days", month.days},
                                        {"month_days", month.month_days},
                                        {"wage", month.wage},
                                        {"amount", month.amount}}));
    detail["months"] = months;
  } else {
    amount = oneTimeAmount(db, reception, kind);
  }
  const std::string detail_text = detail.dump(), today = request.today().toString();
  soci::indicator from_i = period_from.empty() ? soci::i_null : soci::i_ok,
                  to_i = period_to.empty() ? soci::i_null : soci::i_ok;
  const long long reception_key = reception.id, fen = amount.fen();
  long long id = 0;
  db << "INSERT INTO vt_resettlement_payments (county_code, reception_id, kind, period_from,"
        " period_to, amount_fen, detail, status, prepared_by, prepared_on) VALUES (:c, :r, :k,"
        " :f, :t, :a, :d, 'prepared', :by, :on) RETURNING id",
      soci::use(request.county()), soci::use(reception_key), soci::use(kind),
      soci::use(period_from, from_i), soci::use(period_to, to_i), soci::use(fen),
      soci::use(detail_text), soci::use(request.caller().user), soci::use(today), soci::into(id);
  json changes = sdk::changedFields(nullptr, {{"reception_id", reception.id},
                                              {"kind", kind},
                                              {"amount", amount.toString()},
                                              {"status", "prepared"}});
  if (!period_from.empty()) {
    changes["period_from"] = {{"old", nullptr}, {"new", period_from}};
    changes["period_to"] = {{"old", nullptr}, {"new", period_to}};
  }
  request.audit({sizeof(sdk::AuditRecord), "resettlement_payment.prepare", "resettlement_payment",
                 std::to_string(id), changes});
  return sdk::Response::created(paymentJson(db, id),
                                "/resettlement/payments/" + std::to_string(id));
}

sdk::Response confirmPayment(sdk::Context& /*context*/, sdk::Request& request) {
  auto& db = request.db();
  sdk::requireCountyWide(request.caller(), "resettlement payments");
  const auto payment = scopedPayment(request);
  requirePrepared(payment);
  sdk::requireFourEyes(request.caller(), payment.prepared_by,
                       "resettlement payment " + std::to_string(payment.id));
  const std::string today = request.today().toString();
  const long long key = payment.id;
  db << "UPDATE vt_resettlement_payments SET status = 'confirmed', confirmed_by = :by,"
        " confirmed_on = :d WHERE id = :id",
      soci::use(request.caller().user), soci::use(today), soci::use(key);
  request.audit({sizeof(sdk::AuditRecord),
                 "resettlement_payment.confirm",
                 "resettlement_payment",
                 std::to_string(payment.id),
                 {{"status", {{"old", "prepared"}, {"new", "confirmed"}}},
                  {"confirmed_by", {{"old", nullptr}, {"new", request.caller().user}}}}});
  return sdk::Response::ok(paymentJson(db, payment.id));
}

sdk::Response cancelPayment(sdk::Context& /*context*/, sdk::Request& request) {
  auto& db = request.db();
  sdk::requireCountyWide(request.caller(), "resettlement payments");
  const auto payment = scopedPayment(request);
  requirePrepared(payment);
  sdk::requireFourEyes(request.caller(), payment.prepared_by,
                       "resettlement payment " + std::to_string(payment.id));
  const std::string reason = request.body()["reason"], today = request.today().toString();
  const long long key = payment.id;
  db << "UPDATE vt_resettlement_payments SET status = 'cancelled', cancelled_by = :by,"
        " cancelled_on = :d, cancel_reason = :r WHERE id = :id",
      soci::use(request.caller().user), soci::use(today), soci::use(reason), soci::use(key);
  request.audit({sizeof(sdk::AuditRecord),
                 "resettlement_payment.cancel",
                 "resettlement_payment",
                 std::to_string(payment.id),
                 {{"status", {{"old", "prepared"}, {"new", "cancelled"}}},
                  {"cancel_reason", {{"old", nullptr}, {"new", reason}}}}});
  return sdk::Response::ok(paymentJson(db, payment.id));
}

sdk::Response listPayments(sdk::Context& /*context*/, sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kPaymentList);
  sdk::ListQuery query("x.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "r.township"));
  if (auto reception = request.queryParam("reception_id"))
    query.add("x.reception_id = " + query.number(std::stoll(*reception)));
  if (auto kind = request.queryParam("kind")) query.add("x.kind = " + query.text(*kind));
  if (auto status = request.queryParam("status")) query.add("x.status = " + query.text(*status));
  if (auto name = request.queryParam("name")) query.add("p.name " + query.containing(*name));
  query.addPeriod(request, "x.prepared_on", "prepared_from", "prepared_to");
  const std::string tables =
      " FROM vt_resettlement_payments x JOIN vt_receptions r ON r.id = x.reception_id JOIN"
      " civ_persons p ON p.id = r.person_id";
  const auto total = query.count(db, tables);
  soci::rowset<soci::row> rows = query.rows(
      db, std::string(kColumns) + query.clause() + " AND " + page.keysetCondition("x.id") +
              page.orderAndLimit({{"id", "x.id"}, {"prepared_on", "x.prepared_on"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    items.push_back(paymentRow(row));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response getPayment(sdk::Context& /*context*/, sdk::Request& request) {
  auto& db = request.db();
  const auto payment = scopedPayment(request);
  const json shown = paymentJson(db, payment.id);
  sdk::requireTownship(request.caller(), shown["township"].get<std::string>(),
                       "resettlement payment " + std::to_string(payment.id));
  return sdk::Response::ok(shown);
}

}  // namespace civ::plugins::veterans::resettlement
