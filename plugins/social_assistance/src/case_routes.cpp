// Cases after the decision: amounts per month, suspension, termination, re-review (定期核查)
// with the phase-out, adjustments for past months, medical-assistance claims, coverage.
#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/citizen_id.h>
#include <civ/sdk/clock.h>
#include <civ/sdk/context.h>
#include <civ/sdk/coverage.h>
#include <civ/sdk/error.h>
#include <civ/sdk/events.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/month.h>
#include <civ/sdk/persons.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/sql_json.h>

#include "assistance_parameters.h"
#include "benefit_formula.h"
#include "case_store.h"
#include "household_assessment.h"
#include "household_store.h"
#include "kept_queries.h"
#include "parameters.h"
#include "social_assistance_plugin.h"
#include "workflow.h"

namespace civ::plugins::social_assistance {

namespace {

using nlohmann::json;

sdk::Date monthParam(const std::string& text, const char* field) {
  auto month = parseMonth(text);
  if (!month) throw sdk::ValidationError(field, "format", "must be a month YYYY-MM", 400);
  return *month;
}

/// The latest month with a payment line for the case, if any.
std::optional<std::string> lastPaidMonth(soci::session& db, std::int64_t case_id) {
  const long long key = case_id;
  std::string month;
  soci::indicator present = soci::i_null;
  db << "SELECT MAX(month) FROM sa_payment_lines WHERE case_id = :c AND kind = 'regular'",
      soci::into(month, present), soci::use(key);
  if (present != soci::i_ok) return std::nullopt;
  return month;
}

}  // namespace

json SocialAssistancePlugin::caseHead(const CaseRow& c, const soci::row& row) {
  json body =
      sdk::jsonObject({{"id", c.id},
                       {"number", c.number},
                       {"program", c.program},
                       {"household_id", c.household_id},
                       {"person_id", c.person_id ? json(*c.person_id) : json(nullptr)},
                       {"payee_person_id", c.payee_person_id},
                       {"status", c.status},
                       {"start_month", c.start_month},
                       {"end_month", c.end_month ? json(*c.end_month) : json(nullptr)},
                       {"decided_on", c.decided_on},
                       {"next_review_due", sdk::sql::textOrNullAt(row, kCaseColumnCount)},
                       {"death_review_due", sdk::sql::textOrNullAt(row, kCaseColumnCount + 1)},
                       {"termination_reason", sdk::sql::textOrNullAt(row, kCaseColumnCount + 2)},
                       {"phase_out_from", sdk::sql::textOrNullAt(row, kCaseColumnCount + 3)}});
  if (c.support_mode) body["support_mode"] = *c.support_mode;  // the decision's; see finishCase
  if (c.self_care_level) body["self_care_level"] = *c.self_care_level;
  if (c.fixed_amount_fen) body["amount"] = sdk::Money::fromFen(*c.fixed_amount_fen).toString();
  return body;
}

void SocialAssistancePlugin::finishCase(json& body, CaseChildren children) const {
  if (body.contains("support_mode")) {
    // 特困: the mode of this month, and every mode with the month it applies from.
    json modes = json::array({{{"from_month", body["start_month"]},
                               {"support_mode", body["support_mode"]},
                               {"reason", "decision"}}});
    for (auto& mode : children.support_modes) modes.push_back(std::move(mode));
    const std::string this_month = sdk::Month::of(context_->clock().today()).toString();
    for (const auto& mode : modes)
      if (mode["from_month"].get<std::string>() <= this_month)
        body["support_mode"] = mode["support_mode"];
    body["support_modes"] = std::move(modes);
  }
  body["incomes"] = std::move(children.incomes);
  body["suspensions"] = std::move(children.suspensions);
}

void SocialAssistancePlugin::addListEntry(CaseChildren& lists, const soci::row& row,
                                          std::size_t kind_column) {
  const std::size_t k = kind_column;
  const auto kind = sdk::sql::optionalInt64At(row, k);
  if (!kind) return;  // a case with empty lists
  switch (*kind) {
    case 1:
      lists.incomes.push_back(
          sdk::jsonObject({{"from_month", sdk::sql::textAt(row, k + 1)},
                           {"household_monthly_income",
                            sdk::Money::fromFen(sdk::sql::int64At(row, k + 4)).toString()}}));
      break;
    case 2:
      lists.suspensions.push_back(
          sdk::jsonObject({{"from_month", sdk::sql::textAt(row, k + 1)},
                           {"until_month", sdk::sql::optionalTextAt(row, k + 2).value_or("")},
                           {"reason", sdk::sql::textAt(row, k + 3)}}));
      break;
    default:
      lists.support_modes.push_back(sdk::jsonObject({{"from_month", sdk::sql::textAt(row, k + 1)},
                                                     {"support_mode", sdk::sql::textAt(row, k + 2)},
                                                     {"reason", sdk::sql::textAt(row, k + 3)}}));
  }
}

json SocialAssistancePlugin::caseJson(soci::session& db, std::int64_t id,
                                      sdk::Request* scope) const {
  json body;
  std::optional<CaseRow> head;
  CaseChildren children;
  queries_->case_with_lists.forEach(db, {id, id, id, id}, [&](const soci::row& row) {
    if (!head) {
      head = caseFromRow(row);
      body = caseHead(*head, row);
    }
    addListEntry(children, row, kCaseListColumn);
  });
  if (scope != nullptr) {
    // caseInScope's checks, on the row just read.
    if (!head || head->county != scope->county())
      throw sdk::NotFound("no assistance case " + std::to_string(id) + " in county " +
                          scope->county());
    sdk::requireTownship(scope->caller(), head->township, "assistance case " + head->number);
  }
  if (!head) throw sdk::NotFound("no assistance case " + std::to_string(id));
  finishCase(body, std::move(children));
  return body;
}

sdk::Response SocialAssistancePlugin::getCase(sdk::Request& request) {
  // One read of the case serves the county and township check and the answer.
  return sdk::Response::ok(caseJson(request.db(), request.pathId("id"), &request));
}

sdk::Response SocialAssistancePlugin::caseAmount(sdk::Request& request) {
  const auto c = caseInScope(request, request.pathId("id"));
  const sdk::Date month =
      monthParam(request.queryParam("month").value_or(monthText(request.today())), "month");
  const auto roll = monthRoll(request.db(), context_->policy(), request.county(), month, c.id);
  json body = {{"case_id", c.id}, {"month", monthText(month)}};
  if (roll.empty()) {
    body["in_force"] = false;
    body["amount"] = "0.00";
  } else {
    body["in_force"] = true;
    body["amount"] = roll.front().amount.toString();
    body["breakdown"] = roll.front().breakdown;
  }
  return sdk::Response::ok(body);
}

sdk::Response SocialAssistancePlugin::suspendCase(sdk::Request& request) {
  auto& db = request.db();
  const auto c = caseInScope(request, request.pathId("id"));
  if (c.status != "active") throw sdk::Conflict("case " + c.number + " is " + c.status);
  const std::string from = monthText(monthParam(request.body()["from_month"], "from_month"));
  if (auto paid = lastPaidMonth(db, c.id); paid && from <= *paid)
    throw sdk::ValidationError("from_month", "after-last-paid-month",
                               "month " + *paid + " is already paid; suspend from a later month");
  const long long key = c.id;
  long long open = 0;
  db << "SELECT COUNT(*) FROM sa_suspensions WHERE case_id = :c AND until_month IS NULL",
      soci::into(open), soci::use(key);
  if (open > 0) throw sdk::Conflict("case " + c.number + " is already suspended");
  const std::string reason = request.body()["reason"];
  db << "INSERT INTO sa_suspensions (case_id, from_month, reason) VALUES (:c, :f, :r)",
      soci::use(key), soci::use(from), soci::use(reason);
  publishCase(*context_, db, c, kAssistanceChanged, from, "suspended");
  request.audit({sizeof(sdk::AuditRecord),
                 "case.suspend",
                 "case",
                 std::to_string(c.id),
                 {{"suspended_from", {{"old", nullptr}, {"new", from}}},
                  {"reason", {{"old", nullptr}, {"new", reason}}}}});
  return sdk::Response::ok(caseJson(db, c.id));
}

sdk::Response SocialAssistancePlugin::resumeCase(sdk::Request& request) {
  auto& db = request.db();
  const auto c = caseInScope(request, request.pathId("id"));
  const sdk::Date from_month = monthParam(request.body()["from_month"], "from_month");
  const long long key = c.id;
  long long suspension = 0;
  std::string suspended_from;
  db << "SELECT id, from_month FROM sa_suspensions WHERE case_id = :c AND until_month IS NULL",
      soci::into(suspension), soci::into(suspended_from), soci::use(key);
  if (!db.got_data()) throw sdk::Conflict("case " + c.number + " is not suspended");
  const std::string from = monthText(from_month);
  if (from <= suspended_from)
    throw sdk::ValidationError("from_month", "after-suspension",
                               "the suspension began in " + suspended_from);
  const std::string until = monthText(from_month.addMonths(-1));
  db << "UPDATE sa_suspensions SET until_month = :u WHERE id = :id", soci::use(until),
      soci::use(suspension);
  publishCase(*context_, db, c, kAssistanceChanged, from, "resumed");
  request.audit({sizeof(sdk::AuditRecord),
                 "case.resume",
                 "case",
                 std::to_string(c.id),
                 {{"suspended_until", {{"old", nullptr}, {"new", until}}}}});
  return sdk::Response::ok(caseJson(db, c.id));
}

sdk::Response SocialAssistancePlugin::terminateCase(sdk::Request& request) {
  auto& db = request.db();
  const auto c = caseInScope(request, request.pathId("id"));
  if (c.status != "active") throw sdk::Conflict("case " + c.number + " is " + c.status);
  const json& body = request.body();
  const std::string last = monthText(monthParam(body["last_month"], "last_month"));
  if (auto paid = lastPaidMonth(db, c.id); paid && last < *paid)
    throw sdk::ValidationError(
        "last_month", "not-before-last-paid-month",
        "month " + *paid + " is already paid; a paid line is corrected by an adjustment");
  const std::string reason = body["reason"];
  const long long key = c.id;
  db << "UPDATE sa_cases SET status = 'terminated', end_month = :e, termination_reason = :r "
        "WHERE id = :id",
      soci::use(last), soci::use(reason), soci::use(key);
  publishCase(*context_, db, c, kAssistanceTerminated, last, reason);
  request.audit({sizeof(sdk::AuditRecord),
                 "case.terminate",
                 "case",
                 std::to_string(c.id),
                 {{"status", {{"old", c.status}, {"new", "terminated"}}},
                  {"end_month", {{"old", nullptr}, {"new", last}}},
                  {"reason", {{"old", nullptr}, {"new", reason}}}}});
  return sdk::Response::ok(caseJson(db, c.id));
}

sdk::Response SocialAssistancePlugin::reviewCase(sdk::Request& request) {
  auto& db = request.db();
  const auto c = caseInScope(request, request.pathId("id"));
  if (c.status != "active") throw sdk::Conflict("case " + c.number + " is " + c.status);
  if (c.program != "dibao")
    throw sdk::ValidationError("program", "review-applies-to-dibao",
                               "the income re-review (定期核查) applies to 低保 cases");
  const json& body = request.body();
  const sdk::Date next = firstOfNextMonth(request.today());
  const std::string next_month = monthText(next);
  const AssistancePolicy policy(context_->policy(), request.county(), next);
  const auto assessment =
      social_assistance::assessHousehold(db, c.household_id, policy, next, request.today());
  const long long key = c.id;
  long long current_income = 0;
  db << "SELECT household_income_fen FROM sa_case_incomes WHERE case_id = :c ORDER BY "
        "from_month DESC LIMIT 1",
      soci::into(current_income), soci::use(key);
  std::string outcome;
  const bool eligible = assessment.dibao.eligible && assessment.property_failures.empty();
  const long long new_income = assessment.household_income.fen();
  if (eligible) {
    outcome = new_income == current_income ? "unchanged" : "amount_changed";
    if (outcome == "amount_changed") {
      db << "INSERT INTO sa_case_incomes (case_id, from_month, household_income_fen) VALUES (:c,"
            " :m, :i) ON CONFLICT (case_id, from_month) DO UPDATE SET household_income_fen = "
            "excluded.household_income_fen",
          soci::use(key), soci::use(next_month), soci::use(new_income);
      publishCase(*context_, db, c, kAssistanceChanged, next_month, "amount_changed");
    }
  } else if (body.value("found_work", false) && policy.get(kDibaoPhaseOutMonths) > 0) {
    // 渐退: the household keeps its amount (the income in force stays) for the phase-out months.
    outcome = "phase_out";
    const auto months = static_cast<int>(policy.get(kDibaoPhaseOutMonths));
    const std::string end = monthText(next.addMonths(months - 1));
    db << "UPDATE sa_cases SET end_month = :e, phase_out_from = :p WHERE id = :id", soci::use(end),
        soci::use(next_month), soci::use(key);
    publishCase(*context_, db, c, kAssistanceChanged, next_month, "phase_out until " + end);
  } else {
    outcome = "terminated";
    const std::string last = monthText(request.today());
    const std::string reason = "re-review: no longer eligible";
    db << "UPDATE sa_cases SET status = 'terminated', end_month = :e, termination_reason = :r "
          "WHERE id = :id",
        soci::use(last), soci::use(reason), soci::use(key);
    publishCase(*context_, db, c, kAssistanceTerminated, last, reason);
  }
  // Next review date, and the flags this review answers.
  std::string stability;
  const long long household = c.household_id;
  db << "SELECT income_stability FROM sa_households WHERE id = :h", soci::into(stability),
      soci::use(household);
  const auto interval = policy.get(reviewMonths(stability == "unstable"));
  std::string due;
  soci::indicator due_present = soci::i_null;
  db << "SELECT next_review_due FROM sa_cases WHERE id = :id", soci::into(due, due_present),
      soci::use(key);
  const std::string today = request.today().toString();
  const std::string next_due = request.today().addMonths(static_cast<int>(interval)).toString();
  db << "UPDATE sa_cases SET next_review_due = :n, death_review_due = NULL WHERE id = :id",
      soci::use(next_due), soci::use(key);
  db << "UPDATE sa_households SET review_flag = NULL WHERE id = :h", soci::use(household);
  const std::string note = body.value("note", "");
  db << "INSERT INTO sa_reviews (case_id, due_on, reviewed_on, outcome, household_income_fen,"
        " reviewed_by, note) VALUES (:c, :due, :d, :o, :i, :u, :n)",
      soci::use(key), soci::use(due, due_present), soci::use(today), soci::use(outcome),
      soci::use(new_income), soci::use(request.caller().user), soci::use(note);
  request.audit({sizeof(sdk::AuditRecord),
                 "case.review",
                 "case",
                 std::to_string(c.id),
                 {{"outcome", {{"old", nullptr}, {"new", outcome}}},
                  {"household_monthly_income",
                   {{"old", sdk::Money::fromFen(current_income).toString()},
                    {"new", assessment.household_income.toString()}}}}});
  json answer = caseJson(db, c.id);
  answer["review"] = {{"outcome", outcome}, {"assessment", assessment.toJson()}};
  return sdk::Response::ok(answer);
}

sdk::Response SocialAssistancePlugin::reviewsDue(sdk::Request& request) {
  auto& db = request.db();
  const std::string horizon = request.today().addDays(30).toString();
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT c.id, c.number, c.program, c.next_review_due, c.death_review_due,"
                     " h.review_flag, h.number FROM sa_cases c JOIN sa_households h ON h.id ="
                     " c.household_id WHERE c.county_code = :county AND c.status = 'active'"
                     " AND (c.next_review_due <= :horizon OR c.death_review_due IS NOT NULL OR"
                     " h.review_flag IS NOT NULL) AND " +
                         sdk::townshipCondition(request.caller(), "h.township") +
                         " ORDER BY c.next_review_due, c.id",
       soci::use(request.county()), soci::use(horizon));
  json list = json::array();
  for (const auto& row : rows) {
    json reasons = json::array();
    const auto due = sdk::sql::optionalTextAt(row, 3);
    if (due && *due <= horizon) reasons.push_back("periodic review due " + *due);
    if (auto death = sdk::sql::optionalTextAt(row, 4))
      reasons.push_back("death review (3 months) due " + *death);
    if (auto flag = sdk::sql::optionalTextAt(row, 5)) reasons.push_back(*flag);
    list.push_back(sdk::jsonObject({{"case_id", sdk::sql::int64At(row, 0)},
                                    {"case_number", sdk::sql::textAt(row, 1)},
                                    {"program", sdk::sql::textAt(row, 2)},
                                    {"household_number", sdk::sql::textAt(row, 6)},
                                    {"overdue", due && *due < request.today().toString()},
                                    {"reasons", reasons}}));
  }
  return sdk::Response::ok({{"today", request.today().toString()}, {"due", list}});
}

sdk::Response SocialAssistancePlugin::recordAdjustment(sdk::Request& request) {
  auto& db = request.db();
  const auto c = caseInScope(request, request.pathId("id"));
  const json& body = request.body();
  const sdk::Date month = monthParam(body["month"], "month");
  const std::string month_text = monthText(month);
  const long long key = c.id;
  // The bound below reads what is pending for the month: take the case's row lock first, so two
  // approvers adjusting the same case at once are serialised (on PostgreSQL both would otherwise
  // read the same pending sum and together exceed the bound; SQLite serialises writers anyway).
  db << "UPDATE sa_cases SET status = status WHERE id = :c", soci::use(key);
  long long paid = 0, lines = 0;
  soci::indicator paid_present = soci::i_ok;
  db << "SELECT SUM(amount_fen), COUNT(*) FROM sa_payment_lines WHERE case_id = :c AND month ="
        " :m",
      soci::into(paid, paid_present), soci::into(lines), soci::use(key), soci::use(month_text);
  long long unconfirmed = 0;
  db << "SELECT COUNT(*) FROM sa_payment_lines l JOIN sa_payment_runs r ON r.id = l.run_id"
        " WHERE l.case_id = :c AND l.month = :m AND r.status <> 'confirmed'",
      soci::into(unconfirmed), soci::use(key), soci::use(month_text);
  if (unconfirmed > 0)
    throw sdk::Conflict("the run paying " + month_text +
                        " is not confirmed yet: cancel it and run it again instead of adjusting");
  if (lines == 0)
    throw sdk::ValidationError(
        "month", "paid-month",
        "nothing was paid for " + month_text + "; an adjustment corrects a month already paid");
  long long pending = 0;
  soci::indicator pending_present = soci::i_ok;
  db << "SELECT SUM(amount_fen) FROM sa_adjustments WHERE case_id = :c AND month = :m AND "
        "paid_in_run IS NULL",
      soci::into(pending, pending_present), soci::use(key), soci::use(month_text);
  if (pending_present != soci::i_ok) pending = 0;
  const auto roll = monthRoll(db, context_->policy(), request.county(), month, c.id);
  const long long due = roll.empty() ? 0 : roll.front().amount.fen();
  long long amount = due - paid - pending;
  if (body.contains("amount")) amount = sdk::Money::parse(body["amount"].get<std::string>())->fen();
  if (amount == 0)
    throw sdk::Conflict("the amount due for " + month_text +
                        " equals what was paid; nothing to adjust");
  // Bounded by the month it corrects: after it, what the month pays lies between nothing and the
  // larger of what is due and what was paid (no recovery beyond what was paid, no back-payment
  // beyond what is due).
  const long long ceiling = std::max(due, paid);
  const long long after = paid + pending + amount;
  if (after < 0 || after > ceiling)
    throw sdk::ValidationError(
        "amount", "within-due-or-paid",
        "with this adjustment " + month_text + " would pay " +
            sdk::Money::fromFen(after).toString() + "; it must stay between 0.00 and " +
            sdk::Money::fromFen(ceiling).toString() + " (paid " +
            sdk::Money::fromFen(paid).toString() + ", due " + sdk::Money::fromFen(due).toString() +
            ", adjustments not yet paid " + sdk::Money::fromFen(pending).toString() + ")");
  const std::string reason = body["reason"], today = request.today().toString();
  long long id = 0;
  db << "INSERT INTO sa_adjustments (case_id, month, amount_fen, reason, recorded_on,"
        " recorded_by) VALUES (:c, :m, :a, :r, :d, :u) RETURNING id",
      soci::use(key), soci::use(month_text), soci::use(amount), soci::use(reason), soci::use(today),
      soci::use(request.caller().user), soci::into(id);
  request.audit({sizeof(sdk::AuditRecord), "case.adjust", "case", std::to_string(c.id),
                 sdk::changedFields(nullptr, {{"adjustment", id},
                                              {"month", month_text},
                                              {"amount", sdk::Money::fromFen(amount).toString()},
                                              {"reason", reason}})});
  return sdk::Response::created({{"id", id},
                                 {"case_id", c.id},
                                 {"month", month_text},
                                 {"amount", sdk::Money::fromFen(amount).toString()},
                                 {"reason", reason},
                                 {"recorded_by", request.caller().user},
                                 {"confirmed_by", nullptr},
                                 {"paid_with_run", nullptr}},
                                "/cases/" + std::to_string(c.id));
}

sdk::Response SocialAssistancePlugin::confirmAdjustment(sdk::Request& request) {
  auto& db = request.db();
  const long long id = request.pathId("id");
  long long case_id = 0, amount = 0;
  std::string month, reason, recorded_by, confirmed_by;
  soci::indicator confirmed_present = soci::i_null, run_present = soci::i_null;
  long long run = 0;
  db << "SELECT a.case_id, a.month, a.amount_fen, a.reason, a.recorded_by, a.confirmed_by,"
        " a.paid_in_run FROM sa_adjustments a JOIN sa_cases c ON c.id = a.case_id"
        " WHERE a.id = :id AND c.county_code = :county",
      soci::into(case_id), soci::into(month), soci::into(amount), soci::into(reason),
      soci::into(recorded_by), soci::into(confirmed_by, confirmed_present),
      soci::into(run, run_present), soci::use(id), soci::use(request.county());
  if (!db.got_data())
    throw sdk::NotFound("no adjustment " + std::to_string(id) + " in county " + request.county());
  caseInScope(request, case_id);  // the caller's township scope
  if (confirmed_present == soci::i_ok)
    throw sdk::Conflict("adjustment " + std::to_string(id) + " was already confirmed by " +
                        confirmed_by);
  requireFourEyesForStep(request.caller(), recorded_by, "recorded adjustment " + std::to_string(id),
                         "also confirm it for payment");
  const std::string today = request.today().toString();
  soci::statement confirm =
      (db.prepare << "UPDATE sa_adjustments SET confirmed_by = :u, confirmed_on = :d WHERE id ="
                     " :id AND confirmed_by IS NULL",
       soci::use(request.caller().user), soci::use(today), soci::use(id));
  confirm.execute(true);
  if (confirm.get_affected_rows() != 1)
    throw sdk::Conflict("adjustment " + std::to_string(id) +
                        " was confirmed by someone else meanwhile");
  request.audit({sizeof(sdk::AuditRecord),
                 "adjustment.confirm",
                 "adjustment",
                 std::to_string(id),
                 {{"confirmed_by", {{"old", nullptr}, {"new", request.caller().user}}}}});
  return sdk::Response::ok(
      {{"id", id},
       {"case_id", case_id},
       {"month", month},
       {"amount", sdk::Money::fromFen(amount).toString()},
       {"reason", reason},
       {"recorded_by", recorded_by},
       {"confirmed_by", request.caller().user},
       {"paid_with_run", run_present == soci::i_ok ? json(run) : json(nullptr)}});
}

sdk::Response SocialAssistancePlugin::recordMedicalClaim(sdk::Request& request) {
  sdk::requireCountyWide(request.caller(), "medical assistance claims");
  auto& db = request.db();
  const json& body = request.body();
  const auto person =
      context_->persons().findByCitizenId(db, body["citizen_id"].get<std::string>());
  if (!person)
    throw sdk::ValidationError("citizen_id", "registered-person",
                               "the person is not in the registry of any assistance program");
  const sdk::Date claim_date = *sdk::Date::parse(body["claim_date"].get<std::string>());
  if (claim_date > request.today())
    throw sdk::ValidationError("claim_date", "not-in-future", "the claim date is in the future");
  const auto covered = coverageOf(db, request.county(), person->id, claim_date);
  std::string category;
  for (const char* candidate : {"tekun", "dibao", "dibao_edge"}) {
    for (const auto& coverage : covered)
      if (coverage.program == candidate) category = candidate;
    if (!category.empty()) break;
  }
  if (category.empty())
    throw sdk::ValidationError(
        "citizen_id", "medical-category",
        "the person was covered by none of 特困, 低保, 低保边缘 on " + claim_date.toString());
  const AssistancePolicy policy(context_->policy(), request.county(), claim_date);
  const long long person_key = person->id;
  const std::string year_from = std::to_string(claim_date.year()) + "-01-01",
                    year_to = std::to_string(claim_date.year()) + "-12-31";
  long long used = 0;
  soci::indicator used_present = soci::i_ok;
  db << "SELECT SUM(relief_fen) FROM sa_medical_claims WHERE person_id = :p AND claim_date >= "
        ":f AND claim_date <= :t",
      soci::into(used, used_present), soci::use(person_key), soci::use(year_from),
      soci::use(year_to);
  if (used_present != soci::i_ok) used = 0;
  const auto expense = sdk::Money::fromFen(fenOf(body["eligible_expense"]));
  const auto relief = medicalRelief(expense, policy.medicalRatio(category),
                                    policy.medicalAnnualCap(category), sdk::Money::fromFen(used));
  const std::string reference = body["reference"], hospital = body["hospital"],
                    date_text = claim_date.toString();
  long long reference_count = 0;
  db << "SELECT COUNT(*) FROM sa_medical_claims WHERE reference = :r", soci::into(reference_count),
      soci::use(reference);
  if (reference_count > 0)
    throw sdk::ValidationError("reference", "unique-reference",
                               "claim " + reference + " is already recorded");
  const long long expense_fen = expense.fen(), relief_fen = relief.fen();
  long long id = 0;
  db << "INSERT INTO sa_medical_claims (county_code, person_id, category, claim_date, hospital,"
        " reference, eligible_expense_fen, relief_fen) VALUES (:c, :p, :cat, :d, :h, :r, :e, :rf)"
        " RETURNING id",
      soci::use(request.county()), soci::use(person_key), soci::use(category), soci::use(date_text),
      soci::use(hospital), soci::use(reference), soci::use(expense_fen), soci::use(relief_fen),
      soci::into(id);
  const json answer = {{"id", id},
                       {"category", category},
                       {"ratio", policy.medicalRatio(category).toString()},
                       {"annual_cap", policy.medicalAnnualCap(category).toString()},
                       {"used_before", sdk::Money::fromFen(used).toString()},
                       {"eligible_expense", expense.toString()},
                       {"relief", relief.toString()}};
  request.audit({sizeof(sdk::AuditRecord), "medical.claim", "medical_claim", std::to_string(id),
                 sdk::changedFields(nullptr, answer)});
  return sdk::Response::created(answer, "/medical-claims/" + std::to_string(id));
}

sdk::Response SocialAssistancePlugin::coverageOfPerson(sdk::Request& request) {
  sdk::requireCountyWide(request.caller(), "a person's coverage across the county");
  auto& db = request.db();
  const std::string citizen_id = request.pathParam("citizen_id");
  sdk::CitizenId::parse(citizen_id, request.today(), "citizen_id");
  const sdk::Date on = request.queryDate("date").value_or(request.today());
  const auto person = context_->persons().findByCitizenId(db, citizen_id);
  json covered = json::array();
  if (person) {
    for (const auto& coverage : coverageOf(db, request.county(), person->id, on))
      covered.push_back(sdk::jsonObject(
          {{"program", coverage.program},
           {"case_number", coverage.reference},
           {"from", coverage.from.toString()},
           {"until", coverage.until ? json(coverage.until->toString()) : json(nullptr)}}));
  }
  return sdk::Response::ok({{"date", on.toString()}, {"covered", covered}});
}

}  // namespace civ::plugins::social_assistance
