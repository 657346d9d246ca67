#include "case_store.h"

#include <cstdio>
#include <functional>
#include <map>

#include <soci/soci.h>

#include <civ/sdk/context.h>
#include <civ/sdk/error.h>
#include <civ/sdk/events.h>
#include <civ/sdk/kept_query.h>
#include <civ/sdk/request.h>
#include <civ/sdk/sql.h>

#include "assistance_parameters.h"
#include "benefit_formula.h"

namespace civ::plugins::social_assistance {

namespace {

using nlohmann::json;

// Cases in force in month :m, not suspended in it.
const char* const kInForce =
    " c.county_code = :county AND c.start_month <= :m1 AND (c.end_month IS NULL OR c.end_month "
    ">= :m2) AND NOT EXISTS (SELECT 1 FROM sa_suspensions s WHERE s.case_id = c.id AND "
    "s.from_month <= :m3 AND (s.until_month IS NULL OR s.until_month >= :m4))";

}  // namespace

const char* const kCaseColumns =
    "SELECT c.id, c.county_code, c.number, c.household_id, c.person_id, c.payee_person_id,"
    " c.program, c.status, c.start_month, c.end_month, c.support_mode, c.self_care_level,"
    " c.fixed_amount_fen, c.decided_on, h.category, h.township";
const char* const kCaseTables = " FROM sa_cases c JOIN sa_households h ON h.id = c.household_id";

std::string supportModeInMonthSql(const std::string& month_sql) {
  return "COALESCE((SELECT x.support_mode FROM sa_support_modes x WHERE x.case_id = c.id AND"
         " x.from_month <= " +
         month_sql + " ORDER BY x.from_month DESC LIMIT 1), c.support_mode)";
}

std::optional<std::string> supportModeIn(soci::session& db, std::int64_t case_id,
                                         const std::string& month) {
  const long long key = case_id;
  std::string mode;
  soci::indicator present = soci::i_null;
  db << "SELECT " + supportModeInMonthSql(":m") + " FROM sa_cases c WHERE c.id = :c",
      soci::into(mode, present), soci::use(month), soci::use(key);
  if (present != soci::i_ok) return std::nullopt;
  return mode;
}

CaseRow caseFromRow(const soci::row& row) {
  CaseRow c;
  c.id = sdk::sql::int64At(row, 0);
  c.county = sdk::sql::textAt(row, 1);
  c.number = sdk::sql::textAt(row, 2);
  c.household_id = sdk::sql::int64At(row, 3);
  c.person_id = sdk::sql::optionalInt64At(row, 4);
  c.payee_person_id = sdk::sql::int64At(row, 5);
  c.program = sdk::sql::textAt(row, 6);
  c.status = sdk::sql::textAt(row, 7);
  c.start_month = sdk::sql::textAt(row, 8);
  c.end_month = sdk::sql::optionalTextAt(row, 9);
  c.support_mode = sdk::sql::optionalTextAt(row, 10);
  c.self_care_level = sdk::sql::optionalTextAt(row, 11);
  c.fixed_amount_fen = sdk::sql::optionalInt64At(row, 12);
  c.decided_on = sdk::sql::textAt(row, 13);
  c.category = sdk::sql::textAt(row, 14);
  c.township = sdk::sql::textAt(row, 15);
  return c;
}

std::optional<CaseRow> findCase(soci::session& db, std::int64_t id) {
  const long long key = id;
  soci::rowset<soci::row> rows =
      (db.prepare << std::string(kCaseColumns) + kCaseTables + " WHERE c.id = :id", soci::use(key));
  for (const auto& row : rows) return caseFromRow(row);
  return std::nullopt;
}

CaseRow caseInScope(sdk::Request& request, std::int64_t id) {
  auto found = findCase(request.db(), id);
  if (!found || found->county != request.county())
    throw sdk::NotFound("no assistance case " + std::to_string(id) + " in county " +
                        request.county());
  sdk::requireTownship(request.caller(), found->township, "assistance case " + found->number);
  return *found;
}

void forEachInRoll(soci::session& db, const sdk::PolicyReader& reader, const std::string& county,
                   sdk::Date month_start, std::optional<std::int64_t> only_case,
                   bool with_breakdown, const std::function<void(CaseMonth&)>& visit) {
  const std::string month = monthText(month_start);
  const std::string first = month_start.toString();
  const long long only = only_case.value_or(0);
  const std::string only_filter = only_case ? " AND c.id = :only" : " AND 0 = :only";

  // Without classified add-ons only the number of members counted matters, so the engine
  // counts them in the same pass as the cases and their incomes: one statement for the roll
  // instead of three (a 60,000-case run went from 0.50 to 0.40 s, RESULTS.md).
  const AssistancePolicy policy(reader, county, month_start);
  const DibaoPolicy addon_rules = policy.dibao("urban");  // add-ons are county-wide
  const bool addons = addon_rules.elderly_addon.millionths() != 0 ||
                      addon_rules.child_addon.millionths() != 0 ||
                      addon_rules.severe_disability_addon.millionths() != 0 ||
                      addon_rules.serious_illness_addon.millionths() != 0;
  // Members counted this month: joined before the month began, not left before it began (a
  // change in household composition counts from the next month).
  const char* const kCounted =
      " m.lives_together = 1 AND m.joined_on < :f1 AND (m.left_on IS NULL OR m.left_on >= :f2)";

  // What each case needs besides its own row is read first, so that each case's amount is
  // known as it is fetched and nothing of a county's roll is held at once.
  // With add-ons each counted member's age, disability and illness matter.
  std::map<std::int64_t, std::vector<CoveredMember>> members;
  if (addons) {
    soci::rowset<soci::row> rows =
        (db.prepare << "SELECT c.id, p.birth_date, m.disability_grade, m.serious_illness"
                       " FROM sa_cases c JOIN sa_members m ON m.household_id = c.household_id"
                       " JOIN civ_persons p ON p.id = m.person_id WHERE" +
                           std::string(kInForce) + only_filter + " AND c.program = 'dibao' AND" +
                           kCounted,
         soci::use(county), soci::use(month), soci::use(month), soci::use(month), soci::use(month),
         soci::use(only), soci::use(first), soci::use(first));
    for (const auto& row : rows) {
      CoveredMember member;
      member.birth_date = *sdk::Date::parse(sdk::sql::textAt(row, 1));
      if (auto grade = sdk::sql::optionalInt64At(row, 2))
        member.disability_grade = static_cast<int>(*grade);
      member.serious_illness = sdk::sql::int64At(row, 3) != 0;
      members[sdk::sql::int64At(row, 0)].push_back(member);
    }
  }
  // 特困 cases switched between 集中 and 分散 since the decision: the mode of this month.
  std::map<std::int64_t, std::string> switched;
  {
    soci::rowset<soci::row> rows =
        (db.prepare << "SELECT x.case_id, x.support_mode FROM sa_support_modes x JOIN sa_cases c"
                       " ON c.id = x.case_id WHERE c.county_code = :county AND x.from_month ="
                       " (SELECT MAX(y.from_month) FROM sa_support_modes y WHERE y.case_id ="
                       " x.case_id AND y.from_month <= :m)",
         soci::use(county), soci::use(month));
    for (const auto& row : rows) switched[sdk::sql::int64At(row, 0)] = sdk::sql::textAt(row, 1);
  }

  std::map<std::string, DibaoPolicy> dibao_policies;
  std::optional<TekunPolicy> tekun_policy;
  // Without add-ons the formula needs only how many members are counted: one list reused for
  // every case (a map entry and a list per case were 100,000 allocations in a county's run).
  std::vector<CoveredMember> unclassified;
  const std::vector<CoveredMember> none;
  CaseMonth entry;
  auto rollCase = [&](std::int64_t household_income_fen, std::int64_t member_count) {
    const RollCase& c = entry.row;
    entry.amount = sdk::Money{};
    entry.breakdown = nullptr;
    if (auto found = switched.find(c.id); found != switched.end())
      entry.row.support_mode = found->second;
    if (c.program == "dibao") {
      auto found = dibao_policies.find(c.category);
      if (found == dibao_policies.end())
        found = dibao_policies.emplace(c.category, policy.dibao(c.category)).first;
      const sdk::Money income = sdk::Money::fromFen(household_income_fen);
      const std::vector<CoveredMember>* counted = &unclassified;
      if (addons) {
        const auto classified = members.find(c.id);
        counted = classified == members.end() ? &none : &classified->second;
      } else {
        unclassified.assign(static_cast<std::size_t>(member_count), CoveredMember{});
      }
      const auto amount = dibaoAmount(found->second, income, *counted, month_start);
      entry.amount = amount.total;
      if (with_breakdown)
        entry.breakdown = {{"standard", found->second.standard.toString()},
                           {"household_income", income.toString()},
                           {"members", amount.members},
                           {"per_capita_income", amount.per_capita_income.toString()},
                           {"eligible", amount.eligible},
                           {"gap", amount.gap.toString()},
                           {"addons", amount.addons.toString()},
                           {"total", amount.total.toString()}};
    } else if (c.program == "tekun") {
      if (!tekun_policy) tekun_policy = policy.tekun();
      const auto level =
          parseSelfCareLevel(c.self_care_level.value_or("")).value_or(SelfCareLevel::SelfCaring);
      const auto amount =
          tekunAmount(*tekun_policy, c.support_mode.value_or("") == "concentrated", level);
      entry.amount = amount.total;
      if (with_breakdown)
        entry.breakdown = {{"basic", amount.basic.toString()},
                           {"care", amount.care.toString()},
                           {"support_mode", c.support_mode.value_or("dispersed")},
                           {"self_care_level", toString(level)},
                           {"total", amount.total.toString()}};
    } else if (c.program == "disability_living" || c.program == "disability_care") {
      entry.amount =
          c.program == "disability_living" ? policy.disabilityLiving() : policy.disabilityCare();
      entry.breakdown = {{"monthly_subsidy", entry.amount.toString()}};
    } else if (c.program == "temporary") {
      entry.amount = sdk::Money::fromFen(c.fixed_amount_fen.value_or(0));
      entry.breakdown = {{"one_off", entry.amount.toString()}};
    } else {  // dibao_edge: a status that opens other assistance, no monthly payment
      entry.breakdown = {{"payment", "none: 低保边缘 is a status, not a monthly payment"}};
    }
    visit(entry);
  };

  // The household income in force this month: the latest assessment from or before it.
  const std::string income_column =
      ", (SELECT i.household_income_fen FROM sa_case_incomes i WHERE i.case_id = c.id"
      " AND i.from_month <= :m5 ORDER BY i.from_month DESC LIMIT 1)";
  const std::string count_column =
      addons ? ", 0"
             : std::string(
                   ", CASE WHEN c.program = 'dibao' THEN (SELECT COUNT(*) FROM sa_members"
                   " m WHERE m.household_id = c.household_id AND") +
                   kCounted + ") ELSE 0 END";
  const std::string select =
      "SELECT c.id, c.payee_person_id, c.program, h.category, c.support_mode,"
      " c.self_care_level, c.fixed_amount_fen" +
      income_column + count_column + kCaseTables + " WHERE" + kInForce + only_filter +
      " ORDER BY c.id";
  // Typed columns fetched a block at a time, not soci::row one value at a time (one row when
  // a single case is asked for: a case's view, an adjustment, each month a switch re-rolls).
  const std::size_t kBlock = only_case ? 1 : 4096;
  std::vector<long long> ids(kBlock), payees(kBlock), fixed(kBlock), incomes(kBlock),
      counts(kBlock);
  std::vector<std::string> programs(kBlock), categories(kBlock), modes(kBlock), levels(kBlock);
  std::vector<soci::indicator> mode_present(kBlock), level_present(kBlock), fixed_present(kBlock),
      income_present(kBlock);
  soci::statement statement =
      addons ? (db.prepare << select, soci::into(ids), soci::into(payees), soci::into(programs),
                soci::into(categories), soci::into(modes, mode_present),
                soci::into(levels, level_present), soci::into(fixed, fixed_present),
                soci::into(incomes, income_present), soci::into(counts), soci::use(month),
                soci::use(county), soci::use(month), soci::use(month), soci::use(month),
                soci::use(month), soci::use(only))
             : (db.prepare << select, soci::into(ids), soci::into(payees), soci::into(programs),
                soci::into(categories), soci::into(modes, mode_present),
                soci::into(levels, level_present), soci::into(fixed, fixed_present),
                soci::into(incomes, income_present), soci::into(counts), soci::use(month),
                soci::use(first), soci::use(first), soci::use(county), soci::use(month),
                soci::use(month), soci::use(month), soci::use(month), soci::use(only));
  statement.execute();
  while (statement.fetch()) {
    for (std::size_t i = 0; i < ids.size(); ++i) {
      RollCase& c = entry.row;
      c.id = ids[i];
      c.payee_person_id = payees[i];
      c.program = std::move(programs[i]);
      c.category = std::move(categories[i]);
      c.support_mode =
          mode_present[i] == soci::i_ok ? std::optional(std::move(modes[i])) : std::nullopt;
      c.self_care_level =
          level_present[i] == soci::i_ok ? std::optional(std::move(levels[i])) : std::nullopt;
      c.fixed_amount_fen =
          fixed_present[i] == soci::i_ok ? std::optional<std::int64_t>(fixed[i]) : std::nullopt;
      rollCase(income_present[i] == soci::i_ok ? incomes[i] : 0, counts[i]);
    }
    for (auto* column : {&ids, &payees, &fixed, &incomes, &counts}) column->resize(kBlock);
    for (auto* column : {&programs, &categories, &modes, &levels}) column->resize(kBlock);
    for (auto* column : {&mode_present, &level_present, &fixed_present, &income_present})
      column->resize(kBlock);
  }
}

std::vector<CaseMonth> monthRoll(soci::session& db, const sdk::PolicyReader& reader,
                                 const std::string& county, sdk::Date month_start,
                                 std::optional<std::int64_t> only_case, bool with_breakdown) {
  std::vector<CaseMonth> roll;
  forEachInRoll(db, reader, county, month_start, only_case, with_breakdown,
                [&](CaseMonth& entry) { roll.push_back(std::move(entry)); });
  return roll;
}

std::vector<sdk::ProgramCoverage> coverageOf(soci::session& db, const std::string& county,
                                             std::int64_t person_id, sdk::Date on) {
  const std::string month = monthText(on);
  const std::string day = on.toString();
  const long long person = person_id;
  std::vector<sdk::ProgramCoverage> covered;
  soci::rowset<soci::row> rows =
      (db.prepare
           << "SELECT c.program, c.number, c.start_month, c.end_month FROM sa_cases c"
              " WHERE c.county_code = :county AND c.start_month <= :m1 AND (c.end_month IS NULL "
              "OR c.end_month >= :m2)"
              " AND NOT EXISTS (SELECT 1 FROM sa_suspensions s WHERE s.case_id = c.id AND "
              "s.from_month <= :m3 AND (s.until_month IS NULL OR s.until_month >= :m4))"
              " AND ((c.program IN ('dibao', 'dibao_edge') AND EXISTS (SELECT 1 FROM sa_members "
              "m WHERE m.household_id = c.household_id AND m.person_id = :p1 AND "
              "m.lives_together = 1 AND m.joined_on <= :d1 AND (m.left_on IS NULL OR m.left_on "
              ">= :d2)))"
              " OR (c.program IN ('tekun', 'disability_living', 'disability_care') AND "
              "c.person_id = :p2))"
              " ORDER BY c.id",
       soci::use(county), soci::use(month), soci::use(month), soci::use(month), soci::use(month),
       soci::use(person), soci::use(day), soci::use(day), soci::use(person));
  for (const auto& row : rows) {
    sdk::ProgramCoverage coverage;
    coverage.program = sdk::sql::textAt(row, 0);
    coverage.reference = sdk::sql::textAt(row, 1);
    coverage.from = *parseMonth(sdk::sql::textAt(row, 2));
    if (auto end = sdk::sql::optionalTextAt(row, 3))
      coverage.until = firstOfNextMonth(*parseMonth(*end)).addDays(-1);
    covered.push_back(std::move(coverage));
  }
  return covered;
}

std::string numberPrefix(const std::string& kind, const std::string& county, int year) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s%s-%04d-", kind.c_str(), county.c_str(), year);
  return buffer;
}

std::string nextNumber(sdk::KeptQuery& counter, soci::session& db, const std::string& county,
                       const std::string& kind, int year) {
  long long sequence = 0;
  counter.forEach(db, {county, kind, std::int64_t{year}},
                  [&](const soci::row& row) { sequence = sdk::sql::int64At(row, 0); });
  char digits[32];
  std::snprintf(digits, sizeof digits, "%06lld", sequence);
  return numberPrefix(kind, county, year) + digits;
}

nlohmann::json casePayload(const CaseRow& c, const std::string& month, const std::string& change) {
  return {{"case_id", c.id},
          {"case_number", c.number},
          {"program", c.program},
          {"household_id", c.household_id},
          {"person_id", c.person_id ? nlohmann::json(*c.person_id) : nlohmann::json(nullptr)},
          {"month", month},
          {"change", change},
          {"reason", change}};
}

void publishCase(sdk::Context& context, soci::session& db, const CaseRow& c, const char* event,
                 const std::string& month, const std::string& change) {
  context.events().publish(db, event, c.county, casePayload(c, month, change));
}

}  // namespace civ::plugins::social_assistance
