#include "social_assistance_plugin.h"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <civ/sdk/calendar.h>
#include <civ/sdk/context.h>
#include <civ/sdk/coverage.h>
#include <civ/sdk/indicator.h>
#include <civ/sdk/router.h>
#include <civ/sdk/sql.h>

#include "assistance_parameters.h"
#include "benefit_formula.h"
#include "case_store.h"
#include "kept_queries.h"
#include "parameters.h"
#include "schemas.h"
#include "workflow.h"

namespace civ::plugins::social_assistance {

namespace {

using nlohmann::json;

// Migration 7: households per township, kept by triggers (both engines' own forms below).
constexpr const char* kTallyTable =
    "CREATE TABLE sa_household_tallies (county_code TEXT NOT NULL, township TEXT NOT NULL,"
    " households BIGINT NOT NULL, PRIMARY KEY (county_code, township))";
constexpr const char* kTallySeed =
    "INSERT INTO sa_household_tallies (county_code, township, households)"
    " SELECT county_code, township, COUNT(*) FROM sa_households GROUP BY county_code, township";

}  // namespace

bool isHouseholdProgram(const std::string& program) {
  return program == "dibao" || program == "dibao_edge" || program == "temporary";
}

std::vector<sdk::Migration> SocialAssistancePlugin::migrations() const {
  return {{1,
           "households, members, income and property; applications and their workflow; cases, "
           "payment runs, adjustments, reviews, medical claims",
           {"CREATE TABLE sa_households ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, number TEXT NOT NULL UNIQUE,"
            " category TEXT NOT NULL CHECK (category IN ('urban', 'rural')),"
            " township TEXT NOT NULL, village TEXT NOT NULL, hukou_address TEXT NOT NULL,"
            " residence_address TEXT NOT NULL,"
            " income_stability TEXT NOT NULL CHECK (income_stability IN ('stable', 'unstable')),"
            " bank_name TEXT, bank_account TEXT, created_on TEXT NOT NULL, review_flag TEXT)",
            "CREATE INDEX sa_households_county ON sa_households (county_code, village)",
            "CREATE TABLE sa_members ("
            " id {{ID_PRIMARY_KEY}}, household_id BIGINT NOT NULL REFERENCES sa_households(id),"
            " person_id BIGINT NOT NULL REFERENCES civ_persons(id), relationship TEXT NOT NULL,"
            " lives_together INTEGER NOT NULL, inclusion_reason TEXT NOT NULL,"
            " work_capacity TEXT NOT NULL CHECK (work_capacity IN ('full', 'partial', 'none')),"
            " disability_grade INTEGER, disability_type TEXT, serious_illness INTEGER NOT NULL,"
            " student INTEGER NOT NULL, needs_long_term_care INTEGER NOT NULL,"
            " joined_on TEXT NOT NULL, left_on TEXT, left_reason TEXT)",
            "CREATE INDEX sa_members_person ON sa_members (person_id)",
            "CREATE INDEX sa_members_household ON sa_members (household_id)",
            "CREATE TABLE sa_income_items ("
            " id {{ID_PRIMARY_KEY}}, household_id BIGINT NOT NULL REFERENCES sa_households(id),"
            " person_id BIGINT REFERENCES civ_persons(id),"
            " category TEXT NOT NULL CHECK (category IN ('wages', 'business', 'property', "
            "'transfer', 'other')),"
            " treatment TEXT NOT NULL CHECK (treatment IN ('counted', 'excluded', 'deduction')),"
            " amount_fen BIGINT NOT NULL, period_from TEXT NOT NULL, period_to TEXT NOT NULL,"
            " description TEXT NOT NULL, recorded_on TEXT NOT NULL)",
            "CREATE INDEX sa_income_household ON sa_income_items (household_id)",
            "CREATE TABLE sa_property_items ("
            " id {{ID_PRIMARY_KEY}}, household_id BIGINT NOT NULL REFERENCES sa_households(id),"
            " kind TEXT NOT NULL CHECK (kind IN ('deposit', 'securities', 'insurance', 'vehicle',"
            " 'housing', 'business', 'other')),"
            " value_fen BIGINT NOT NULL, quantity INTEGER NOT NULL, exempt INTEGER NOT NULL,"
            " description TEXT NOT NULL)",
            "CREATE TABLE sa_applications ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, number TEXT NOT NULL UNIQUE,"
            " household_id BIGINT NOT NULL REFERENCES sa_households(id),"
            " applicant_person_id BIGINT NOT NULL REFERENCES civ_persons(id),"
            " person_id BIGINT REFERENCES civ_persons(id),"
            " program TEXT NOT NULL, status TEXT NOT NULL, received_on TEXT NOT NULL,"
            " accepted_on TEXT, investigation_started_on TEXT, investigated_on TEXT,"
            " township_reviewed_on TEXT, township_opinion TEXT, notice_location TEXT,"
            " notice_from TEXT, notice_until TEXT, decided_on TEXT, decision TEXT,"
            " refusal_reason TEXT, submitted_by TEXT NOT NULL, decided_by TEXT,"
            " missing_documents TEXT, extended INTEGER NOT NULL, support_mode TEXT,"
            " self_care_failed_items INTEGER, temporary_kind TEXT, requested_amount_fen BIGINT,"
            " county_rechecked INTEGER, household_income_fen BIGINT)",
            "CREATE INDEX sa_applications_county ON sa_applications (county_code, status)",
            "CREATE TABLE sa_transitions ("
            " id {{ID_PRIMARY_KEY}}, application_id BIGINT NOT NULL REFERENCES "
            "sa_applications(id),"
            " from_status TEXT, to_status TEXT NOT NULL, on_date TEXT NOT NULL,"
            " by_user TEXT NOT NULL, note TEXT)",
            "CREATE TABLE sa_investigators ("
            " id {{ID_PRIMARY_KEY}}, application_id BIGINT NOT NULL REFERENCES "
            "sa_applications(id),"
            " round INTEGER NOT NULL, investigator TEXT NOT NULL, signed_on TEXT NOT NULL,"
            " UNIQUE (application_id, round, investigator))",
            "CREATE TABLE sa_data_checks ("
            " id {{ID_PRIMARY_KEY}}, application_id BIGINT NOT NULL REFERENCES "
            "sa_applications(id),"
            " item TEXT NOT NULL, result TEXT NOT NULL)",
            "CREATE TABLE sa_objections ("
            " id {{ID_PRIMARY_KEY}}, application_id BIGINT NOT NULL REFERENCES "
            "sa_applications(id),"
            " raised_on TEXT NOT NULL, content TEXT NOT NULL, resolution TEXT NOT NULL)",
            "CREATE TABLE sa_cases ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, number TEXT NOT NULL UNIQUE,"
            " household_id BIGINT NOT NULL REFERENCES sa_households(id),"
            " person_id BIGINT REFERENCES civ_persons(id),"
            " payee_person_id BIGINT NOT NULL REFERENCES civ_persons(id),"
            " program TEXT NOT NULL, application_id BIGINT REFERENCES sa_applications(id),"
            " status TEXT NOT NULL CHECK (status IN ('active', 'terminated')),"
            " start_month TEXT NOT NULL, end_month TEXT, support_mode TEXT, self_care_level TEXT,"
            " fixed_amount_fen BIGINT, decided_on TEXT NOT NULL, next_review_due TEXT,"
            " death_review_due TEXT, termination_reason TEXT, phase_out_from TEXT)",
            "CREATE INDEX sa_cases_county ON sa_cases (county_code, program, start_month)",
            "CREATE INDEX sa_cases_household ON sa_cases (household_id)",
            "CREATE INDEX sa_cases_person ON sa_cases (person_id)",
            "CREATE TABLE sa_case_incomes ("
            " case_id BIGINT NOT NULL REFERENCES sa_cases(id), from_month TEXT NOT NULL,"
            " household_income_fen BIGINT NOT NULL, PRIMARY KEY (case_id, from_month))",
            "CREATE TABLE sa_suspensions ("
            " id {{ID_PRIMARY_KEY}}, case_id BIGINT NOT NULL REFERENCES sa_cases(id),"
            " from_month TEXT NOT NULL, until_month TEXT, reason TEXT NOT NULL)",
            "CREATE TABLE sa_payment_runs ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, month TEXT NOT NULL,"
            " run_on TEXT NOT NULL, run_by TEXT NOT NULL, line_count BIGINT NOT NULL,"
            " total_fen BIGINT NOT NULL, UNIQUE (county_code, month))",
            "CREATE TABLE sa_payment_lines ("
            " id {{ID_PRIMARY_KEY}}, run_id BIGINT NOT NULL REFERENCES sa_payment_runs(id),"
            " case_id BIGINT NOT NULL REFERENCES sa_cases(id), payee_person_id BIGINT NOT NULL,"
            " program TEXT NOT NULL, month TEXT NOT NULL,"
            " kind TEXT NOT NULL CHECK (kind IN ('regular', 'adjustment')),"
            " amount_fen BIGINT NOT NULL, adjustment_id BIGINT)",
            "CREATE INDEX sa_payment_lines_run ON sa_payment_lines (run_id)",
            "CREATE INDEX sa_payment_lines_case ON sa_payment_lines (case_id, month)",
            "CREATE TABLE sa_adjustments ("
            " id {{ID_PRIMARY_KEY}}, case_id BIGINT NOT NULL REFERENCES sa_cases(id),"
            " month TEXT NOT NULL, amount_fen BIGINT NOT NULL, reason TEXT NOT NULL,"
            " recorded_on TEXT NOT NULL, recorded_by TEXT NOT NULL, paid_in_run BIGINT)",
            "CREATE TABLE sa_reviews ("
            " id {{ID_PRIMARY_KEY}}, case_id BIGINT NOT NULL REFERENCES sa_cases(id),"
            " due_on TEXT, reviewed_on TEXT NOT NULL, outcome TEXT NOT NULL,"
            " household_income_fen BIGINT NOT NULL, reviewed_by TEXT NOT NULL, note TEXT)",
            "CREATE TABLE sa_medical_claims ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL,"
            " person_id BIGINT NOT NULL REFERENCES civ_persons(id), category TEXT NOT NULL,"
            " claim_date TEXT NOT NULL, hospital TEXT NOT NULL, reference TEXT NOT NULL UNIQUE,"
            " eligible_expense_fen BIGINT NOT NULL, relief_fen BIGINT NOT NULL)",
            "CREATE TABLE sa_counters ("
            " county_code TEXT NOT NULL, kind TEXT NOT NULL, year INTEGER NOT NULL,"
            " last_value BIGINT NOT NULL, PRIMARY KEY (county_code, kind, year))"},
           {}},
          {2,
           "an index on every column that points at another row: lookups by it, and changes to the "
           "row it points at, never scan the table",
           {"CREATE INDEX sa_income_person ON sa_income_items (person_id)",
            "CREATE INDEX sa_property_household ON sa_property_items (household_id)",
            "CREATE INDEX sa_applications_household ON sa_applications (household_id, program)",
            "CREATE INDEX sa_applications_person ON sa_applications (person_id, program)",
            "CREATE INDEX sa_applications_applicant ON sa_applications (applicant_person_id)",
            "CREATE INDEX sa_transitions_application ON sa_transitions (application_id)",
            "CREATE INDEX sa_data_checks_application ON sa_data_checks (application_id)",
            "CREATE INDEX sa_objections_application ON sa_objections (application_id)",
            "CREATE INDEX sa_cases_application ON sa_cases (application_id)",
            "CREATE INDEX sa_cases_payee ON sa_cases (payee_person_id)",
            "CREATE INDEX sa_suspensions_case ON sa_suspensions (case_id)",
            "CREATE INDEX sa_adjustments_case ON sa_adjustments (case_id)",
            "CREATE INDEX sa_reviews_case ON sa_reviews (case_id)",
            "CREATE INDEX sa_medical_claims_person ON sa_medical_claims (person_id)"},
           {}},
          {3,
           "money needs two people: a payment run is prepared, then confirmed by another user "
           "before its bank roll exists; an adjustment is recorded, then confirmed by another "
           "user before a run pays it (rows from before this rule count as confirmed)",
           {"ALTER TABLE sa_payment_runs ADD COLUMN status TEXT NOT NULL DEFAULT 'confirmed'",
            "ALTER TABLE sa_payment_runs ADD COLUMN confirmed_by TEXT",
            "ALTER TABLE sa_payment_runs ADD COLUMN confirmed_on TEXT",
            "UPDATE sa_payment_runs SET confirmed_by = run_by, confirmed_on = run_on",
            "ALTER TABLE sa_adjustments ADD COLUMN confirmed_by TEXT",
            "ALTER TABLE sa_adjustments ADD COLUMN confirmed_on TEXT",
            "UPDATE sa_adjustments SET confirmed_by = recorded_by, confirmed_on = recorded_on",
            "CREATE TABLE sa_cancelled_runs ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, month TEXT NOT NULL,"
            " run_on TEXT NOT NULL, run_by TEXT NOT NULL, line_count BIGINT NOT NULL,"
            " total_fen BIGINT NOT NULL, cancelled_on TEXT NOT NULL, cancelled_by TEXT NOT NULL,"
            " reason TEXT NOT NULL)",
            "CREATE INDEX sa_cancelled_runs_month ON sa_cancelled_runs (county_code, month)"},
           {}},
          {4,
           "an income or property item entered wrongly is withdrawn with a reason, never "
           "deleted: it stays on the household's file, marked, and no assessment counts it; "
           "households are found by township through an index",
           {"ALTER TABLE sa_income_items ADD COLUMN withdrawn_on TEXT",
            "ALTER TABLE sa_income_items ADD COLUMN withdrawn_by TEXT",
            "ALTER TABLE sa_income_items ADD COLUMN withdrawal_reason TEXT",
            "ALTER TABLE sa_property_items ADD COLUMN withdrawn_on TEXT",
            "ALTER TABLE sa_property_items ADD COLUMN withdrawn_by TEXT",
            "ALTER TABLE sa_property_items ADD COLUMN withdrawal_reason TEXT",
            "CREATE INDEX sa_households_township ON sa_households (county_code, township)"},
           {}},
          {5,
           "a 特困 case's support mode is dated: the decision's mode, then each switch between "
           "集中 and 分散 from its month (elderly care admitting or discharging the person)",
           {"CREATE TABLE sa_support_modes ("
            " id {{ID_PRIMARY_KEY}}, case_id BIGINT NOT NULL REFERENCES sa_cases(id),"
            " from_month TEXT NOT NULL, support_mode TEXT NOT NULL CHECK (support_mode IN"
            " ('concentrated', 'dispersed')), reason TEXT NOT NULL, recorded_on TEXT NOT NULL,"
            " recorded_by TEXT NOT NULL, UNIQUE (case_id, from_month))"},
           {}},
          {6,
           "a household's members are counted from an index alone: the monthly roll counts, for "
           "every case, the members living together who joined before the month and had not "
           "left; the index on the household alone is replaced",
           {"CREATE INDEX sa_members_counted ON sa_members"
            " (household_id, lives_together, joined_on, left_on)",
            "DROP INDEX sa_members_household"},
           {}},
          {7,
           "the households of each township are tallied as they are written, so a list of a "
           "township's (or the county's) households tells its total without counting every "
           "entry of the township again on every page; the database keeps the tally (triggers), "
           "so no write path, import or correction can miss it",
           {kTallyTable, kTallySeed,
            "CREATE TRIGGER sa_households_tally_added AFTER INSERT ON sa_households BEGIN"
            " INSERT INTO sa_household_tallies (county_code, township, households)"
            " VALUES (NEW.county_code, NEW.township, 1) ON CONFLICT (county_code, township)"
            " DO UPDATE SET households = households + 1; END",
            "CREATE TRIGGER sa_households_tally_removed AFTER DELETE ON sa_households BEGIN"
            " UPDATE sa_household_tallies SET households = households - 1"
            " WHERE county_code = OLD.county_code AND township = OLD.township; END",
            "CREATE TRIGGER sa_households_tally_moved AFTER UPDATE OF county_code, township ON"
            " sa_households WHEN OLD.county_code IS NOT NEW.county_code"
            " OR OLD.township IS NOT NEW.township BEGIN"
            " UPDATE sa_household_tallies SET households = households - 1"
            " WHERE county_code = OLD.county_code AND township = OLD.township;"
            " INSERT INTO sa_household_tallies (county_code, township, households)"
            " VALUES (NEW.county_code, NEW.township, 1) ON CONFLICT (county_code, township)"
            " DO UPDATE SET households = households + 1; END"},
           // PostgreSQL tallies an INSERT (an import's COPY) or DELETE once per statement from
           // its transition table, not once per row; a move is one row (a correction).
           // The table is locked first: another host still writing households between the seed
           // and the triggers would otherwise be missing from the tallies for good.
           {"LOCK TABLE sa_households IN SHARE ROW EXCLUSIVE MODE", kTallyTable, kTallySeed,
            "CREATE OR REPLACE FUNCTION sa_household_tally_added() RETURNS trigger"
            " LANGUAGE plpgsql AS $$ BEGIN"
            " INSERT INTO sa_household_tallies (county_code, township, households)"
            " SELECT county_code, township, COUNT(*) FROM added_households"
            " GROUP BY county_code, township ORDER BY county_code, township"
            " ON CONFLICT (county_code, township) DO UPDATE"
            " SET households = sa_household_tallies.households + EXCLUDED.households;"
            " RETURN NULL; END $$",
            "CREATE TRIGGER sa_households_tally_added AFTER INSERT ON sa_households"
            " REFERENCING NEW TABLE AS added_households FOR EACH STATEMENT"
            " EXECUTE FUNCTION sa_household_tally_added()",
            "CREATE OR REPLACE FUNCTION sa_household_tally_removed() RETURNS trigger"
            " LANGUAGE plpgsql AS $$ BEGIN"
            " UPDATE sa_household_tallies t SET households = t.households - r.households"
            " FROM (SELECT county_code, township, COUNT(*) AS households FROM removed_households"
            " GROUP BY county_code, township) r"
            " WHERE t.county_code = r.county_code AND t.township = r.township;"
            " RETURN NULL; END $$",
            "CREATE TRIGGER sa_households_tally_removed AFTER DELETE ON sa_households"
            " REFERENCING OLD TABLE AS removed_households FOR EACH STATEMENT"
            " EXECUTE FUNCTION sa_household_tally_removed()",
            // Both tally rows in one statement, in key order as the import's trigger takes
            // them: two moves in opposite directions wait for each other, never deadlock.
            "CREATE OR REPLACE FUNCTION sa_household_tally_moved() RETURNS trigger"
            " LANGUAGE plpgsql AS $$ BEGIN"
            " INSERT INTO sa_household_tallies (county_code, township, households)"
            " SELECT county_code, township, change FROM (VALUES"
            " (OLD.county_code, OLD.township, -1), (NEW.county_code, NEW.township, 1))"
            " AS moved (county_code, township, change) ORDER BY county_code, township"
            " ON CONFLICT (county_code, township) DO UPDATE"
            " SET households = sa_household_tallies.households + EXCLUDED.households;"
            " RETURN NULL; END $$",
            "CREATE TRIGGER sa_households_tally_moved AFTER UPDATE OF county_code, township ON"
            " sa_households FOR EACH ROW WHEN (OLD.county_code IS DISTINCT FROM NEW.county_code"
            " OR OLD.township IS DISTINCT FROM NEW.township)"
            " EXECUTE FUNCTION sa_household_tally_moved()"}},
          {8,
           "the households without a bank account are indexed, so a payment run's warnings "
           "start from them instead of from every line of the run",
           {"CREATE INDEX sa_households_without_account ON sa_households (id)"
            " WHERE bank_account IS NULL OR bank_account = ''"},
           {}},
          {9,
           "a township's households are indexed in the order of their ids, so a page of the "
           "township's list reads its 50 entries from the index in order, not every household "
           "of the county after the last one shown (PostgreSQL; SQLite's index held the id "
           "already); the index on the township alone is replaced",
           // The old index is dropped first: DROP INDEX locks the table exclusively at once, so
           // the step never waits to upgrade CREATE INDEX's share lock behind another host.
           {"DROP INDEX sa_households_township",
            "CREATE INDEX sa_households_township_id ON sa_households (county_code, township, id)"},
           {}},
          {10,
           "a notice keeps the household's size and the 低保 amount it showed when published, so "
           "a list of past notices shows what was posted, not what the records say today",
           {"ALTER TABLE sa_applications ADD COLUMN notice_household_size INTEGER",
            "ALTER TABLE sa_applications ADD COLUMN notice_amount_fen BIGINT"},
           {}}};
}

namespace {

/// The legal or statistical source of each indicator (SDK 1.4), for the statistician who checks it.
sdk::LocalizedText indicatorSource(const std::string& id) {
  if (id.starts_with("tekun"))
    return {
        "《特困人员认定办法》（民发〔2021〕43号）；《社会救助暂行办法》第十四至十九条；民政统计 "
        "特困人员救助供养",
        "Measures for Determining Persons in Extreme Poverty (2021); Interim Measures on Social "
        "Assistance arts. 14-19; civil-affairs statistics, extreme-poverty support"};
  if (id.starts_with("temporary"))
    return {
        "《社会救助暂行办法》第四十七至五十条；《关于进一步加强和改进临时救助工作的意见》（民发〔20"
        "18〕23号）",
        "Interim Measures on Social Assistance arts. 47-50; Opinions on temporary assistance "
        "(Min Fa [2018] No. 23)"};
  if (id.find("disability") != std::string::npos || id.find("subsidy") != std::string::npos)
    return {"《关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）",
            "State Council Opinions on the two disability subsidies (Guo Fa [2015] No. 52)"};
  if (id.starts_with("reviews"))
    return {
        "《最低生活保障审核确认办法》（民发〔2021〕57号）动态管理",
        "Measures for Reviewing and Confirming Minimum Living Allowances (Min Fa [2021] No. 57), "
        "dynamic management"};
  return {
      "《社会救助暂行办法》（国务院令第649号）第二章；《最低生活保障审核确认办法》（民发〔2021〕57"
      "号）；民政统计 最低生活保障",
      "Interim Measures on Social Assistance (State Council Decree 649) ch. 2; Min Fa [2021] "
      "No. 57; civil-affairs statistics, minimum living allowance"};
}

}  // namespace

void SocialAssistancePlugin::declare(sdk::Declarations& declarations) const {
  for (const auto& step : migrations()) declarations.migration(step);
  declareParameters(declarations);
  for (auto indicator : indicators()) {
    indicator.source = indicatorSource(indicator.id);
    declarations.indicator(indicator);
  }
  for (const auto& event : events()) declarations.event(event);
}

std::vector<sdk::EventDeclaration> SocialAssistancePlugin::events() const {
  const json case_payload = casePayloadSchema();
  sdk::EventDeclaration granted{sizeof(sdk::EventDeclaration),
                                kAssistanceGranted,
                                {"救助审批确认", "Assistance granted, paid from `month`"},
                                case_payload};
  sdk::EventDeclaration changed{sizeof(sdk::EventDeclaration),
                                kAssistanceChanged,
                                {"救助变更", "A case's amount or members change from `month`"},
                                case_payload};
  sdk::EventDeclaration terminated{sizeof(sdk::EventDeclaration),
                                   kAssistanceTerminated,
                                   {"救助终止", "A case ends; `month` is the last month paid"},
                                   case_payload};
  return {granted, changed, terminated};
}

std::vector<sdk::IndicatorDeclaration> SocialAssistancePlugin::indicators() const {
  // Every record counted is of a household, so each count and amount is also given by the
  // household's township: the same FROM ... WHERE, grouped. Months are "YYYY-MM" and the period's
  // days "YYYY-MM-DD": substr(:to, 1, 7) is the period's last month.
  const std::string in_force =
      " AND c.start_month <= substr(:to, 1, 7)"
      " AND (c.end_month IS NULL OR c.end_month >= substr(:to, 1, 7))";
  const std::string cases =
      " FROM sa_cases c JOIN sa_households h ON h.id = c.household_id"
      " WHERE c.county_code = :county";
  const sdk::LocalizedText in_force_text = {"期末月在保",
                                            "Cases in force in the last month of the period"};
  std::vector<sdk::IndicatorDeclaration> list;
  for (const std::string category : {"urban", "rural"}) {
    const std::string zh = category == "urban" ? "城市" : "农村";
    const std::string households =
        cases + " AND c.program = 'dibao' AND h.category = '" + category + "'" + in_force;
    list.push_back(sdk::sqlIndicator(
        "dibao_households_" + category, {zh + "低保户数", "Dibao households, " + category},
        sdk::Measure::Count, "households", in_force_text, "SELECT COUNT(*)" + households,
        "SELECT h.township, COUNT(*)" + households + " GROUP BY h.township"));
    // Members living together on the first day of the last month.
    const std::string persons =
        " FROM sa_cases c JOIN sa_households h ON h.id = c.household_id"
        " JOIN sa_members m ON m.household_id = c.household_id WHERE c.county_code = :county"
        " AND c.program = 'dibao' AND h.category = '" +
        category + "'" + in_force +
        " AND m.lives_together = 1 AND m.joined_on < (substr(:to, 1, 7) || '-01')"
        " AND (m.left_on IS NULL OR m.left_on >= (substr(:to, 1, 7) || '-01'))";
    list.push_back(sdk::sqlIndicator(
        "dibao_persons_" + category, {zh + "低保人数", "Dibao persons, " + category},
        sdk::Measure::Count, "persons",
        {"期末月计入的共同生活成员", "Members counted in the last month of the period"},
        "SELECT COUNT(*)" + persons,
        "SELECT h.township, COUNT(*)" + persons + " GROUP BY h.township"));
  }
  for (const std::string mode : {"concentrated", "dispersed"}) {
    const std::string tekun = cases + " AND c.program = 'tekun' AND " +
                              supportModeInMonthSql("substr(:to, 1, 7)") + " = '" + mode + "'" +
                              in_force;
    list.push_back(
        sdk::sqlIndicator("tekun_persons_" + mode,
                          {mode == "concentrated" ? "特困集中供养人数" : "特困分散供养人数",
                           "Tekun persons, " + mode},
                          sdk::Measure::Count, "persons", in_force_text, "SELECT COUNT(*)" + tekun,
                          "SELECT h.township, COUNT(*)" + tekun + " GROUP BY h.township"));
  }
  {
    // 集中供养率: the share of 特困 persons supported in an institution (a county target in the
    // bureau reports, e.g. 40 %), in permille, rounded half up.
    const std::string tekun = cases + " AND c.program = 'tekun'" + in_force;
    const std::string rate =
        "CASE WHEN COUNT(*) = 0 THEN 0 ELSE (2000 * SUM(CASE WHEN " +
        supportModeInMonthSql("substr(:to, 1, 7)") +
        " = 'concentrated' THEN 1 ELSE 0 END) + COUNT(*)) / (2 * COUNT(*)) END";
    list.push_back(sdk::sqlIndicator(
        "tekun_concentrated_rate", {"特困人员集中供养率", "Tekun persons in institutional support"},
        sdk::Measure::Ratio, "permille",
        {"期末月集中供养的特困人员 ÷ 期末月在保的特困人员 (‰, 四舍五入)",
         "Tekun persons supported in an institution ÷ all tekun persons in force, last month of "
         "the period (permille, half up)"},
        "SELECT " + rate + tekun, "SELECT h.township, " + rate + tekun + " GROUP BY h.township"));
  }
  const std::string payments =
      " FROM sa_payment_lines l JOIN sa_payment_runs r ON r.id = l.run_id"
      " JOIN sa_cases c ON c.id = l.case_id JOIN sa_households h ON h.id = c.household_id"
      " WHERE r.county_code = :county AND r.month >= substr(:from, 1, 7)"
      " AND r.month <= substr(:to, 1, 7)";
  list.push_back(sdk::sqlIndicator(
      "payments_total", {"救助金发放总额", "Payments in the period"}, sdk::Measure::Money, "fen",
      {"期间各月发放名册之和，含调整", "Every payment line of the period's runs, adjustments too"},
      "SELECT SUM(l.amount_fen)" + payments,
      "SELECT h.township, SUM(l.amount_fen)" + payments + " GROUP BY h.township"));
  // An average: townships' averages do not add up to the county's, so it has no breakdown.
  list.push_back(sdk::IndicatorDeclaration{
      .id = "payments_average_per_case",
      .name = {"户（人）均月发放额（分）", "Average regular payment (fen)"},
      .unit = "fen",
      .description = {"常规发放行的平均额", "Average of regular lines, half up"},
      .compute = [](soci::session& db, const sdk::IndicatorQuery& query) -> std::int64_t {
        long long total = 0, lines = 0;
        soci::indicator total_present = soci::i_ok;
        const std::string from = monthText(query.from), to = monthText(query.to);
        db << "SELECT SUM(l.amount_fen), COUNT(*) FROM sa_payment_lines l JOIN sa_payment_runs r"
              " ON r.id = l.run_id WHERE r.county_code = :county AND r.month >= :a AND r.month "
              "<= :b AND l.kind = 'regular'",
            soci::into(total, total_present), soci::into(lines), soci::use(query.county),
            soci::use(from), soci::use(to);
        if (lines == 0 || total_present == soci::i_null) return 0;
        return sdk::divideRounded(total, lines, sdk::Rounding::HalfUp);
      },
      .measure = sdk::Measure::Money,
      .by_township = nullptr,
      .source = {}});  // set below with every indicator's (indicatorSource)
  const std::string decided = cases + " AND c.decided_on >= :from AND c.decided_on <= :to";
  list.push_back(sdk::sqlIndicator(
      "cases_new", {"新增救助对象", "New cases"}, sdk::Measure::Count, "cases",
      {"审批确认日期在期间内", "Cases decided in the period"}, "SELECT COUNT(*)" + decided,
      "SELECT h.township, COUNT(*)" + decided + " GROUP BY h.township"));
  const std::string terminated = cases +
                                 " AND c.status = 'terminated' AND c.end_month >= substr(:from,"
                                 " 1, 7) AND c.end_month <= substr(:to, 1, 7)";
  list.push_back(sdk::sqlIndicator(
      "cases_terminated", {"终止救助对象", "Terminated cases"}, sdk::Measure::Count, "cases",
      {"最后发放月在期间内的已终止案件", "Terminated cases whose last month is in the period"},
      "SELECT COUNT(*)" + terminated,
      "SELECT h.township, COUNT(*)" + terminated + " GROUP BY h.township"));
  list.push_back(sdk::IndicatorDeclaration{
      .id = "investigations_on_time",
      .name = {"按时开展调查的申请", "Investigations started on time"},
      .unit = "applications",
      .description = {"期间内受理、在受理后规定工作日内开始调查",
                      "Applications accepted in the period whose investigation started within "
                      "the limit"},
      .compute =
          [this](soci::session& db, const sdk::IndicatorQuery& query) {
            std::int64_t count = 0;
            for (const auto& [township, on_time] : investigationsOnTime(db, query))
              count += on_time;
            return count;
          },
      .measure = sdk::Measure::Count,
      .by_township =
          [this](soci::session& db, const sdk::IndicatorQuery& query) {
            std::vector<sdk::TownshipValue> values;
            for (const auto& [township, on_time] : investigationsOnTime(db, query))
              values.push_back({township, on_time});
            return values;
          },
      .source = {}});  // set below with every indicator's (indicatorSource)
  const std::string reviews =
      " FROM sa_reviews r JOIN sa_cases c ON c.id = r.case_id"
      " JOIN sa_households h ON h.id = c.household_id WHERE c.county_code = :county"
      " AND r.reviewed_on >= :from AND r.reviewed_on <= :to"
      " AND (r.due_on IS NULL OR r.reviewed_on <= r.due_on)";
  list.push_back(sdk::sqlIndicator(
      "reviews_on_time", {"按时复核", "Re-reviews done on time"}, sdk::Measure::Count, "reviews",
      {"期间内完成且不晚于到期日的复核", "Re-reviews in the period done by their due date"},
      "SELECT COUNT(*)" + reviews,
      "SELECT h.township, COUNT(*)" + reviews + " GROUP BY h.township"));
  const std::string temporary = decided + " AND c.program = 'temporary'";
  list.push_back(sdk::sqlIndicator(
      "temporary_grants", {"临时救助人次", "Temporary assistance grants"}, sdk::Measure::Count,
      "grants", {"期间内批准的临时救助", "Temporary grants decided in the period"},
      "SELECT COUNT(*)" + temporary,
      "SELECT h.township, COUNT(*)" + temporary + " GROUP BY h.township"));
  for (const std::string program : {"disability_living", "disability_care"}) {
    const std::string recipients = cases + " AND c.program = '" + program + "'" + in_force;
    list.push_back(sdk::sqlIndicator(
        program + "_recipients",
        {program == "disability_living" ? "困难残疾人生活补贴人数" : "重度残疾人护理补贴人数",
         "Recipients, " + program},
        sdk::Measure::Count, "persons", in_force_text, "SELECT COUNT(*)" + recipients,
        "SELECT h.township, COUNT(*)" + recipients + " GROUP BY h.township"));
  }
  return list;
}

std::map<std::string, std::int64_t> SocialAssistancePlugin::investigationsOnTime(
    soci::session& db, const sdk::IndicatorQuery& query) const {
  const std::string from = query.from.toString(), to = query.to.toString();
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT a.accepted_on, a.investigation_started_on, h.township FROM"
                     " sa_applications a JOIN sa_households h ON h.id = a.household_id"
                     " WHERE a.county_code = :county AND a.accepted_on >= :a AND a.accepted_on"
                     " <= :b AND a.investigation_started_on IS NOT NULL",
       soci::use(query.county), soci::use(from), soci::use(to));
  std::map<std::string, std::int64_t> on_time;
  for (const auto& row : rows) {
    const auto accepted = *sdk::Date::parse(sdk::sql::textAt(row, 0));
    const auto started = *sdk::Date::parse(sdk::sql::textAt(row, 1));
    const auto limit = context_->policy().get(kLimitsInvestigationStart, query.county, accepted);
    const auto due = context_->calendar().addWorkingDays(accepted, static_cast<int>(limit)).date;
    if (started <= due) ++on_time[sdk::sql::textAt(row, 2)];
  }
  return on_time;
}

SocialAssistancePlugin::SocialAssistancePlugin() = default;
SocialAssistancePlugin::~SocialAssistancePlugin() = default;

void SocialAssistancePlugin::stop() noexcept { queries_.reset(); }

void SocialAssistancePlugin::start(sdk::Context& context) {
  context_ = &context;
  log_ = context.logger();
  queries_ = std::make_unique<KeptQueries>(context.storage());
  payments_ = std::make_unique<AssistancePayments>(context);
  payment_runs_ = std::make_unique<sdk::PaymentRuns>(context, paymentRunSpec(), *payments_);
  addRoutes();
  subscribeToEvents();
  context.coverage().provide(
      {"dibao", "dibao_edge", "tekun", "disability_living", "disability_care"},
      [](soci::session& db, std::string_view county, std::int64_t person_id, sdk::Date on) {
        return coverageOf(db, std::string(county), person_id, on);
      });
}

}  // namespace civ::plugins::social_assistance
