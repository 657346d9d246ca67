#include "entitlement_store.h"

#include <algorithm>
#include <functional>
#include <map>

#include <soci/soci.h>

#include <civ/sdk/caller.h>
#include <civ/sdk/context.h>
#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/policy.h>
#include <civ/sdk/request.h>
#include <civ/sdk/sql.h>

#include "parameters.h"

namespace civ::plugins::veterans {

namespace {

using nlohmann::json;

std::optional<sdk::Date> optionalDate(const soci::row& row, std::size_t index) {
  if (auto text = sdk::sql::optionalTextAt(row, index)) return sdk::Date::parse(*text);
  return std::nullopt;
}
std::optional<sdk::Month> optionalMonth(const soci::row& row, std::size_t index) {
  if (auto text = sdk::sql::optionalTextAt(row, index)) return sdk::Month::parse(*text);
  return std::nullopt;
}

/// A beneficiary's columns (beneficiaryRow reads them) and the tables they come from.
const std::string kBeneficiaryColumns =
    "b.id, b.county_code, b.number, b.person_id, p.name, b.township, b.status, b.death_date,"
    " b.fallen_id, b.agent_person_id, b.discharged_on, b.transfer_received_on, b.category,"
    " b.subsidy_group, b.hukou, b.relationship, p.birth_date, b.enlisted_on, f.death_kind,"
    " b.awards";
const std::string kBeneficiaryJoins =
    " JOIN civ_persons p ON p.id = b.person_id LEFT JOIN vt_fallen f ON f.id = b.fallen_id";
const std::string kBeneficiarySelect =
    "SELECT " + kBeneficiaryColumns + " FROM vt_beneficiaries b" + kBeneficiaryJoins;

/// The beneficiary whose columns start at `at` of `row`.
BeneficiaryRow beneficiaryRow(const soci::row& row, std::size_t at = 0) {
  const auto column = [at](std::size_t index) { return at + index; };
  BeneficiaryRow b;
  b.id = sdk::sql::int64At(row, column(0));
  b.county = sdk::sql::textAt(row, column(1));
  b.number = sdk::sql::textAt(row, column(2));
  b.person_id = sdk::sql::int64At(row, column(3));
  b.name = sdk::sql::textAt(row, column(4));
  b.township = sdk::sql::textAt(row, column(5));
  b.status = sdk::sql::textAt(row, column(6));
  b.death_date = optionalDate(row, column(7));
  b.fallen_id = sdk::sql::optionalInt64At(row, column(8));
  b.agent_person_id = sdk::sql::optionalInt64At(row, column(9));
  b.discharged_on = optionalDate(row, column(10));
  b.transfer_received_on = optionalDate(row, column(11));
  b.facts.category = sdk::sql::textAt(row, column(12));
  b.facts.subsidy_group = sdk::sql::optionalTextAt(row, column(13)).value_or("");
  b.facts.hukou = sdk::sql::textAt(row, column(14));
  b.facts.relationship = sdk::sql::optionalTextAt(row, column(15)).value_or("");
  b.facts.birth_date = *sdk::Date::parse(sdk::sql::textAt(row, column(16)));
  b.facts.enlisted_on = optionalDate(row, column(17));
  b.facts.fallen_death_kind = sdk::sql::optionalTextAt(row, column(18)).value_or("");
  b.awards = awardsOf(json::parse(sdk::sql::textAt(row, column(19))));
  return b;
}

/// An entitlement's columns (entitlementRow reads them), its beneficiary joined as `b`.
const std::string kEntitlementColumns =
    "e.id, e.county_code, e.number, e.beneficiary_id, e.type, e.status, e.start_month,"
    " e.end_month, e.end_reason, e.fallen_id, e.amount_fen, e.proposed_by, b.township";
constexpr std::size_t kEntitlementColumnCount = 13;
const std::string kEntitlementTables =
    " FROM vt_entitlements e JOIN vt_beneficiaries b ON b.id = e.beneficiary_id";
const std::string kEntitlementSelect = "SELECT " + kEntitlementColumns + kEntitlementTables;

EntitlementRow entitlementRow(const soci::row& row) {
  EntitlementRow e;
  e.id = sdk::sql::int64At(row, 0);
  e.county = sdk::sql::textAt(row, 1);
  e.number = sdk::sql::textAt(row, 2);
  e.beneficiary_id = sdk::sql::int64At(row, 3);
  e.type = sdk::sql::textAt(row, 4);
  e.status = sdk::sql::textAt(row, 5);
  e.start_month = optionalMonth(row, 6);
  e.end_month = optionalMonth(row, 7);
  e.end_reason = sdk::sql::optionalTextAt(row, 8);
  e.fallen_id = sdk::sql::optionalInt64At(row, 9);
  if (auto fen = sdk::sql::optionalInt64At(row, 10)) e.amount = sdk::Money::fromFen(*fen);
  e.proposed_by = sdk::sql::textAt(row, 11);
  e.township = sdk::sql::textAt(row, 12);
  return e;
}

AssessmentRow assessmentRow(const soci::row& row, std::size_t at) {
  AssessmentRow a;
  a.id = sdk::sql::int64At(row, at);
  a.disability.nature = sdk::sql::textAt(row, at + 1);
  a.disability.grade = static_cast<int>(sdk::sql::int64At(row, at + 2));
  a.disability.mental_illness = sdk::sql::int64At(row, at + 3) != 0;
  a.certificate_number = sdk::sql::textAt(row, at + 4);
  a.assessed_on = *sdk::Date::parse(sdk::sql::textAt(row, at + 5));
  a.effective_month = *sdk::Month::parse(sdk::sql::textAt(row, at + 6));
  return a;
}

}  // namespace

NationalTable loadTable(soci::session& db, const std::string& county) {
  std::vector<StandardRow> rows;
  soci::rowset<soci::row> read =
      (db.prepare << "SELECT id, item, item_key, amount_fen, effective_from, county_code,"
                     " import_id FROM vt_national_standards WHERE county_code IS NULL OR"
                     " county_code = :c",
       soci::use(county));
  for (const auto& row : read)
    rows.push_back({sdk::sql::int64At(row, 0), sdk::sql::textAt(row, 1), sdk::sql::textAt(row, 2),
                    sdk::Money::fromFen(sdk::sql::int64At(row, 3)),
                    *sdk::Date::parse(sdk::sql::textAt(row, 4)),
                    sdk::sql::optionalTextAt(row, 5).has_value(), sdk::sql::int64At(row, 6)});
  return NationalTable(std::move(rows));
}

LocalFigures localFigures(const sdk::Context& context, const std::string& county, sdk::Date on) {
  return {context.policy().get(kAverageMonthlyWage, county, on),
          context.policy().get(kHardshipMonthly, county, on)};
}

std::vector<Award> awardsOf(const json& awards) {
  std::vector<Award> result;
  if (!awards.is_array()) return result;
  for (const auto& award : awards)
    result.push_back({award.value("level", ""), award.value("name", "")});
  return result;
}

std::optional<BeneficiaryRow> findBeneficiary(soci::session& db, const std::string& county,
                                              std::int64_t id) {
  const long long key = id;
  soci::rowset<soci::row> rows =
      (db.prepare << kBeneficiarySelect + " WHERE b.id = :id AND b.county_code = :c",
       soci::use(key), soci::use(county));
  for (const auto& row : rows) return beneficiaryRow(row);
  return std::nullopt;
}

BeneficiaryRow scopedBeneficiary(sdk::Request& request, std::int64_t id) {
  auto found = findBeneficiary(request.db(), request.county(), id);
  if (!found)
    throw sdk::NotFound("no beneficiary " + std::to_string(id) + " in county " + request.county());
  sdk::requireTownship(request.caller(), found->township, "beneficiary " + std::to_string(id));
  return *found;
}

BeneficiaryRow beneficiaryField(sdk::Request& request, std::int64_t id, const std::string& field) {
  auto found = findBeneficiary(request.db(), request.county(), id);
  if (!found)
    throw sdk::ValidationError(
        field, "known-beneficiary",
        "no beneficiary " + std::to_string(id) + " in county " + request.county());
  sdk::requireTownship(request.caller(), found->township, "beneficiary " + std::to_string(id));
  return *found;
}

std::vector<AssessmentRow> assessmentsOf(soci::session& db, std::int64_t beneficiary_id) {
  const long long key = beneficiary_id;
  std::vector<AssessmentRow> result;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT id, nature, grade, mental_illness, certificate_number, assessed_on,"
                     " effective_month FROM vt_disability_assessments WHERE beneficiary_id = :b"
                     " ORDER BY effective_month, id",
       soci::use(key));
  for (const auto& row : rows) result.push_back(assessmentRow(row, 0));
  return result;
}

std::optional<Disability> disabilityIn(const std::vector<AssessmentRow>& assessments,
                                       sdk::Month month) {
  if (assessments.empty()) return std::nullopt;
  const AssessmentRow* found = &assessments.front();
  for (const auto& assessment : assessments)
    if (assessment.effective_month <= month) found = &assessment;
  return found->disability;
}

std::optional<EntitlementRow> findEntitlement(soci::session& db, const std::string& county,
                                              std::int64_t id) {
  const long long key = id;
  soci::rowset<soci::row> rows =
      (db.prepare << kEntitlementSelect + " WHERE e.id = :id AND e.county_code = :c",
       soci::use(key), soci::use(county));
  for (const auto& row : rows) return entitlementRow(row);
  return std::nullopt;
}

EntitlementRow scopedEntitlement(sdk::Request& request, std::int64_t id) {
  auto found = findEntitlement(request.db(), request.county(), id);
  if (!found)
    throw sdk::NotFound("no entitlement " + std::to_string(id) + " in county " + request.county());
  sdk::requireTownship(request.caller(), found->township, "entitlement " + std::to_string(id));
  return *found;
}

std::vector<Suspension> suspensionsOf(soci::session& db, std::int64_t entitlement_id) {
  const long long key = entitlement_id;
  std::vector<Suspension> result;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT from_month, to_month FROM vt_suspensions WHERE entitlement_id = :e"
                     " ORDER BY from_month",
       soci::use(key));
  for (const auto& row : rows)
    result.push_back({*sdk::Month::parse(sdk::sql::textAt(row, 0)), optionalMonth(row, 1)});
  return result;
}

PeriodicFacts Schedule::factsIn(sdk::Month month) const {
  return {entitlement.type, disabilityIn(assessments, month), beneficiary.facts.fallen_death_kind,
          beneficiary.facts.subsidy_group};
}

Schedule scheduleOf(soci::session& db, const EntitlementRow& entitlement) {
  Schedule schedule;
  schedule.entitlement = entitlement;
  schedule.beneficiary = *findBeneficiary(db, entitlement.county, entitlement.beneficiary_id);
  schedule.assessments = assessmentsOf(db, entitlement.beneficiary_id);
  schedule.suspensions = suspensionsOf(db, entitlement.id);
  return schedule;
}

void forEachSchedulePaying(soci::session& db, const std::string& county, sdk::Month month,
                           const std::function<void(const Schedule&)>& visit) {
  const std::string text = month.toString();
  // Periodic, confirmed, started by `month` and not ended before it.
  const std::string paying =
      " e.county_code = :c AND e.type IN ('disability_pension', 'survivor_pension',"
      " 'living_subsidy', 'care_allowance', 'hardship') AND e.status IN ('active', 'ended',"
      " 'cancelled') AND e.start_month IS NOT NULL AND e.start_month <= :m AND (e.end_month IS"
      " NULL OR e.end_month >= :m2)";
  // The few rows a schedule may have several of first, by whose they are.
  std::map<std::int64_t, std::vector<AssessmentRow>> assessments;  // by beneficiary
  {
    soci::rowset<soci::row> rows =
        (db.prepare << "SELECT a.beneficiary_id, a.id, a.nature, a.grade, a.mental_illness,"
                       " a.certificate_number, a.assessed_on, a.effective_month FROM"
                       " vt_disability_assessments a WHERE a.beneficiary_id IN (SELECT"
                       " e.beneficiary_id FROM vt_entitlements e WHERE" +
                           paying + ") ORDER BY a.effective_month, a.id",
         soci::use(county), soci::use(text), soci::use(text));
    for (const auto& row : rows)
      assessments[sdk::sql::int64At(row, 0)].push_back(assessmentRow(row, 1));
  }
  std::map<std::int64_t, std::vector<Suspension>> suspensions;  // by entitlement
  {
    soci::rowset<soci::row> rows =
        (db.prepare << "SELECT s.entitlement_id, s.from_month, s.to_month FROM vt_suspensions s"
                       " JOIN vt_entitlements e ON e.id = s.entitlement_id WHERE" +
                           paying + " ORDER BY s.from_month",
         soci::use(county), soci::use(text), soci::use(text));
    for (const auto& row : rows)
      suspensions[sdk::sql::int64At(row, 0)].push_back(
          {*sdk::Month::parse(sdk::sql::textAt(row, 1)), optionalMonth(row, 2)});
  }
  // Then each entitlement with its beneficiary, one row each, as they come: a county's
  // schedules are never held at once (10,000 of them were 20 MB of fresh memory, RESULTS.md).
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT " + kEntitlementColumns + ", " + kBeneficiaryColumns +
                         kEntitlementTables + kBeneficiaryJoins + " WHERE" + paying +
                         " ORDER BY e.id",
       soci::use(county), soci::use(text), soci::use(text));
  Schedule schedule;
  for (const auto& row : rows) {
    schedule.entitlement = entitlementRow(row);
    schedule.beneficiary = beneficiaryRow(row, kEntitlementColumnCount);
    const auto assessed = assessments.find(schedule.entitlement.beneficiary_id);
    if (assessed == assessments.end())
      schedule.assessments.clear();
    else
      schedule.assessments = assessed->second;
    const auto suspended = suspensions.find(schedule.entitlement.id);
    if (suspended == suspensions.end())
      schedule.suspensions.clear();
    else
      schedule.suspensions = suspended->second;
    visit(schedule);
  }
}

sdk::Money dueFor(const Schedule& schedule, sdk::Month month, const NationalTable& table,
                  const LocalFigures& local) {
  const auto& e = schedule.entitlement;
  if (!isPeriodic(e.type) || !e.start_month) return sdk::Money();
  if (!paysMonth(*e.start_month, e.end_month, schedule.suspensions, month)) return sdk::Money();
  return periodicMonthAmount(schedule.factsIn(month), month, table, local);
}

std::int64_t insertDue(soci::session& db, const std::string& county, std::int64_t entitlement_id,
                       const std::string& kind, const std::string& source, sdk::Month month,
                       std::optional<sdk::Month> payable_from, sdk::Money amount,
                       const std::string& reason, const std::string& recorded_by, sdk::Date today,
                       std::optional<std::int64_t> campaign_id) {
  const long long entitlement = entitlement_id, fen = amount.fen();
  const std::string month_text = month.toString(), day = today.toString();
  std::string payable = payable_from ? payable_from->toString() : std::string();
  soci::indicator payable_null = payable_from ? soci::i_ok : soci::i_null;
  long long campaign = campaign_id.value_or(0);
  soci::indicator campaign_null = campaign_id ? soci::i_ok : soci::i_null;
  long long id = 0;
  db << "INSERT INTO vt_adjustments (county_code, entitlement_id, kind, source, month,"
        " payable_from, amount_fen, reason, recorded_on, recorded_by, campaign_id) VALUES (:c,"
        " :e, :k, :s, :m, :p, :a, :r, :d, :u, :cp) RETURNING id",
      soci::use(county), soci::use(entitlement), soci::use(kind), soci::use(source),
      soci::use(month_text), soci::use(payable, payable_null), soci::use(fen), soci::use(reason),
      soci::use(day), soci::use(recorded_by), soci::use(campaign, campaign_null), soci::into(id);
  return id;
}

json settle(soci::session& db, const sdk::Context& context, const Schedule& schedule,
            const std::string& source, const std::string& reason, const std::string& recorded_by,
            sdk::Date today, const Auditor& audit) {
  json made = json::array();
  const auto& e = schedule.entitlement;
  if (!isPeriodic(e.type)) return made;
  std::vector<std::string> months;
  {
    soci::rowset<soci::row> rows =
        (db.prepare << "SELECT month FROM vt_payment_runs WHERE county_code = :c ORDER BY month",
         soci::use(e.county));
    for (const auto& row : rows) months.push_back(sdk::sql::textAt(row, 0));
  }
  if (months.empty()) return made;
  const long long key = e.id;
  std::map<std::string, long long> paid, pending;
  {
    soci::rowset<soci::row> rows =
        (db.prepare << "SELECT month, SUM(amount_fen) FROM vt_payment_lines WHERE"
                       " entitlement_id = :e AND kind IN ('regular', 'adjustment') GROUP BY month",
         soci::use(key));
    for (const auto& row : rows) paid[sdk::sql::textAt(row, 0)] = sdk::sql::int64At(row, 1);
  }
  {
    soci::rowset<soci::row> rows =
        (db.prepare << "SELECT month, SUM(amount_fen) FROM vt_adjustments WHERE entitlement_id ="
                       " :e AND kind = 'adjustment' AND paid_in_run IS NULL AND withdrawn_on IS"
                       " NULL GROUP BY month",
         soci::use(key));
    for (const auto& row : rows) pending[sdk::sql::textAt(row, 0)] = sdk::sql::int64At(row, 1);
  }
  const auto table = loadTable(db, e.county);
  for (const auto& text : months) {
    const auto month = *sdk::Month::parse(text);
    const auto due =
        dueFor(schedule, month, table, localFigures(context, e.county, month.firstDay()));
    const long long difference = due.fen() - paid[text] - pending[text];
    if (difference == 0) continue;
    const auto amount = sdk::Money::fromFen(difference);
    const std::string why = reason + " (" + text + ": due " + due.toString() + ", paid " +
                            sdk::Money::fromFen(paid[text] + pending[text]).toString() + ")";
    const auto id = insertDue(db, e.county, e.id, "adjustment", source, month, std::nullopt, amount,
                              why, recorded_by, today);
    audit({sizeof(sdk::AuditRecord), "adjustment.create", "adjustment", std::to_string(id),
           sdk::changedFields(nullptr, {{"entitlement_id", e.id},
                                        {"entitlement_number", e.number},
                                        {"month", text},
                                        {"amount", amount.toString()},
                                        {"source", source},
                                        {"reason", why}})});
    made.push_back(sdk::jsonObject({{"id", id}, {"month", text}, {"amount", amount.toString()}}));
  }
  return made;
}

}  // namespace civ::plugins::veterans
