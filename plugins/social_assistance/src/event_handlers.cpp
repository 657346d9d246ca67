// What other modules' events do to assistance: a death ends the person's coverage (a
// single-person case from the month after death; others are recounted and flagged for the
// 3-month death review); a corrected death record undoes or moves that; a marriage or divorce
// flags the households for review.
#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <civ/sdk/clock.h>
#include <civ/sdk/context.h>
#include <civ/sdk/events.h>
#include <civ/sdk/money.h>
#include <civ/sdk/platform_events.h>
#include <civ/sdk/sql.h>

#include "benefit_formula.h"
#include "case_store.h"
#include "social_assistance_plugin.h"

namespace civ::plugins::social_assistance {

namespace {

using nlohmann::json;

void publish(sdk::Context& context, soci::session& db, const CaseRow& c, const char* event,
             const std::string& month, const std::string& change) {
  context.events().publish(db, event, c.county,
                           {{"case_id", c.id},
                            {"case_number", c.number},
                            {"program", c.program},
                            {"household_id", c.household_id},
                            {"person_id", c.person_id ? json(*c.person_id) : json(nullptr)},
                            {"month", month},
                            {"change", change},
                            {"reason", change}});
}

std::vector<std::int64_t> ids(soci::session& db, const std::string& sql, long long key) {
  std::vector<std::int64_t> list;
  soci::rowset<soci::row> rows = (db.prepare << sql, soci::use(key));
  for (const auto& row : rows) list.push_back(sdk::sql::int64At(row, 0));
  return list;
}

/// A person's memberships matching `condition` (on sa_members): (member id, household id, county),
/// read in one statement so the pairs cannot drift apart.
struct Membership {
  std::int64_t member_id;
  std::int64_t household_id;
  std::string county;
};
std::vector<Membership> membershipsOf(soci::session& db, long long person,
                                      const std::string& condition) {
  std::vector<Membership> list;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT m.id, m.household_id, h.county_code FROM sa_members m JOIN"
                     " sa_households h ON h.id = m.household_id WHERE m.person_id = :p AND " +
                         condition + " ORDER BY m.id",
       soci::use(person));
  for (const auto& row : rows)
    list.push_back(
        {sdk::sql::int64At(row, 0), sdk::sql::int64At(row, 1), sdk::sql::textAt(row, 2)});
  return list;
}

/// The county and township of a household (an event may change households of any county).
std::string householdCounty(soci::session& db, std::int64_t household_id) {
  const long long key = household_id;
  std::string county;
  db << "SELECT county_code FROM sa_households WHERE id = :h", soci::into(county), soci::use(key);
  return county;
}

/// Audits what a handler changed, in the county of the changed record (sdk::EventBus::audit).
void auditChange(sdk::Context& context, soci::session& db, const sdk::Event& event,
                 const std::string& county, const char* action, const char* entity_type,
                 std::int64_t entity_id, json changes) {
  context.events().audit(db, event, county,
                         {sizeof(sdk::AuditRecord), action, entity_type, std::to_string(entity_id),
                          std::move(changes)});
}

json change(json before, json after) {
  return {{"old", std::move(before)}, {"new", std::move(after)}};
}

/// Months after `last_month` already paid for a terminated case become recovery adjustments
/// (negative lines on the next run); the paid lines stay as they were.
void recoverPaidAfter(sdk::Context& context, soci::session& db, const sdk::Event& event,
                      const CaseRow& c, const std::string& last_month, const std::string& today) {
  const std::int64_t case_id = c.id;
  const long long key = case_id;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT month, SUM(amount_fen) FROM sa_payment_lines WHERE case_id = :c AND"
                     " month > :m GROUP BY month",
       soci::use(key), soci::use(last_month));
  std::vector<std::pair<std::string, std::int64_t>> paid;
  for (const auto& row : rows)
    paid.emplace_back(sdk::sql::textAt(row, 0), sdk::sql::int64At(row, 1));
  for (const auto& [month, amount] : paid) {
    if (amount == 0) continue;
    const long long recover = -amount;
    const std::string reason = "paid after the last month " + last_month + " (death): recover";
    long long adjustment_id = 0;
    db << "INSERT INTO sa_adjustments (case_id, month, amount_fen, reason, recorded_on,"
          " recorded_by) VALUES (:c, :m, :a, :r, :d, 'event:person.deceased') RETURNING id",
        soci::use(key), soci::use(month), soci::use(recover), soci::use(reason), soci::use(today),
        soci::into(adjustment_id);
    auditChange(context, db, event, c.county, "adjustment.create", "adjustment", adjustment_id,
                {{"case_id", change(nullptr, case_id)},
                 {"month", change(nullptr, month)},
                 {"amount", change(nullptr, sdk::Money::fromFen(recover).toString())},
                 {"reason", change(nullptr, reason)}});
  }
}

}  // namespace

void SocialAssistancePlugin::subscribeToEvents() {
  auto& events = context_->events();

  events.subscribe(
      sdk::platform::kPersonDeceased, "end_coverage",
      [this](soci::session& db, const sdk::Event& event) {
        const long long person = event.payload.at("person_id").get<std::int64_t>();
        const auto death = *sdk::Date::parse(event.payload.at("death_date").get<std::string>());
        const std::string death_text = death.toString(), last_month = monthText(death);
        const std::string today = context_->clock().today().toString();
        const std::string review_due = death.addMonths(3).toString();
        // Households the person lived in: the person leaves on the day of death, and the
        // household is flagged so its staff confirm what the death changed (a work item in the
        // household's county, whichever county registered the death).
        const auto memberships = membershipsOf(db, person, "m.left_on IS NULL");
        std::vector<std::int64_t> households;
        for (const auto& membership : memberships) households.push_back(membership.household_id);
        db << "UPDATE sa_members SET left_on = :d, left_reason = 'deceased' WHERE person_id = :p "
              "AND left_on IS NULL",
            soci::use(death_text), soci::use(person);
        for (const auto& membership : memberships)
          auditChange(*context_, db, event, membership.county, "member.leave", "member",
                      membership.member_id,
                      {{"left_on", change(nullptr, death_text)},
                       {"left_reason", change(nullptr, "deceased")}});
        const std::string flag_note =
            "member deceased on " + death_text + ": confirm the household's assistance";
        for (const auto household : households) {
          const long long h = household;
          std::string old_flag;
          soci::indicator old_flag_indicator = soci::i_null;
          db << "SELECT review_flag FROM sa_households WHERE id = :h",
              soci::into(old_flag, old_flag_indicator), soci::use(h);
          db << "UPDATE sa_households SET review_flag = :n WHERE id = :h", soci::use(flag_note),
              soci::use(h);
          auditChange(*context_, db, event, householdCounty(db, household), "household.flag",
                      "household", household,
                      {{"review_flag",
                        change(old_flag_indicator == soci::i_null ? json(nullptr) : json(old_flag),
                               flag_note)}});
          long long remaining = 0;
          db << "SELECT COUNT(*) FROM sa_members WHERE household_id = :h AND left_on IS NULL AND "
                "lives_together = 1",
              soci::into(remaining), soci::use(h);
          for (const auto case_id :
               ids(db,
                   "SELECT id FROM sa_cases WHERE household_id = :h AND status ="
                   " 'active' AND program IN ('dibao', 'dibao_edge')",
                   h)) {
            const auto c = *findCase(db, case_id);
            const long long key = case_id;
            if (remaining == 0) {
              const std::string reason = "death of the only member on " + death_text;
              db << "UPDATE sa_cases SET status = 'terminated', end_month = :e, termination_reason "
                    "= :r WHERE id = :id",
                  soci::use(last_month), soci::use(reason), soci::use(key);
              auditChange(*context_, db, event, c.county, "case.terminate", "case", case_id,
                          {{"status", change(c.status, "terminated")},
                           {"end_month", change(nullptr, last_month)},
                           {"termination_reason", change(nullptr, reason)}});
              recoverPaidAfter(*context_, db, event, c, last_month, today);
              publish(*context_, db, c, kAssistanceTerminated, last_month, reason);
            } else {
              db << "UPDATE sa_cases SET death_review_due = :d WHERE id = :id",
                  soci::use(review_due), soci::use(key);
              auditChange(*context_, db, event, c.county, "case.death_review", "case", case_id,
                          {{"death_review_due", change(nullptr, review_due)}});
              publish(*context_, db, c, kAssistanceChanged, monthText(firstOfNextMonth(death)),
                      "member deceased on " + death_text + "; death review due " + review_due);
            }
          }
        }
        // The person's own cases (特困, disability subsidies).
        for (const auto case_id :
             ids(db, "SELECT id FROM sa_cases WHERE person_id = :p AND status = 'active'",
                 person)) {
          const auto c = *findCase(db, case_id);
          const long long key = case_id;
          const std::string reason = "death on " + death_text;
          db << "UPDATE sa_cases SET status = 'terminated', end_month = :e, termination_reason = :r"
                " WHERE id = :id",
              soci::use(last_month), soci::use(reason), soci::use(key);
          auditChange(*context_, db, event, c.county, "case.terminate", "case", case_id,
                      {{"status", change(c.status, "terminated")},
                       {"end_month", change(nullptr, last_month)},
                       {"termination_reason", change(nullptr, reason)}});
          recoverPaidAfter(*context_, db, event, c, last_month, today);
          publish(*context_, db, c, kAssistanceTerminated, last_month, reason);
        }
        log_->info("person {} deceased on {}: {} households updated", person, death_text,
                   households.size());
      });

  events.subscribe(
      sdk::platform::kPersonDeathCorrected, "correct_coverage",
      [this](soci::session& db, const sdk::Event& event) {
        const long long person = event.payload.at("person_id").get<std::int64_t>();
        const json& new_date = event.payload.at("death_date");
        const auto households = ids(db,
                                    "SELECT household_id FROM sa_members WHERE person_id = :p AND"
                                    " left_reason = 'deceased' ORDER BY id",
                                    person);
        const auto death_cases = ids(
            db,
            "SELECT c.id FROM sa_cases c WHERE c.status = 'terminated' AND c.termination_reason "
            "LIKE 'death%' AND (c.person_id = :p1 OR c.household_id IN (SELECT household_id FROM "
            "sa_members WHERE person_id = :p2 AND left_reason = 'deceased'))",
            person);
        if (new_date.is_null()) {
          // Wrong person: they are alive. Membership and the cases come back; the household is
          // flagged so a caseworker settles the months not paid meanwhile.
          for (const auto& membership : membershipsOf(db, person, "m.left_reason = 'deceased'"))
            auditChange(*context_, db, event, membership.county, "member.return", "member",
                        membership.member_id,
                        {{"left_on", change("(date of death)", nullptr)},
                         {"left_reason", change("deceased", nullptr)}});
          db << "UPDATE sa_members SET left_on = NULL, left_reason = NULL WHERE person_id = :p "
                "AND left_reason = 'deceased'",
              soci::use(person);
          for (const auto case_id : death_cases) {
            const long long key = case_id;
            const auto before = *findCase(db, case_id);
            db << "UPDATE sa_cases SET status = 'active', end_month = NULL, termination_reason ="
                  " NULL WHERE id = :id",
                soci::use(key);
            const auto withdrawn = ids(db,
                                       "SELECT id FROM sa_adjustments WHERE case_id = :c AND "
                                       "paid_in_run IS NULL AND recorded_by = "
                                       "'event:person.deceased'",
                                       key);
            db << "DELETE FROM sa_adjustments WHERE case_id = :c AND paid_in_run IS NULL AND "
                  "recorded_by = 'event:person.deceased'",
                soci::use(key);
            auditChange(
                *context_, db, event, before.county, "case.reinstate", "case", case_id,
                {{"status", change(before.status, "active")},
                 {"end_month",
                  change(before.end_month ? json(*before.end_month) : json(nullptr), nullptr)},
                 {"withdrawn_adjustments", change(withdrawn, nullptr)}});
            const auto c = *findCase(db, case_id);
            publish(*context_, db, c, kAssistanceChanged, c.start_month,
                    "reinstated: the death record was withdrawn");
          }
          for (const auto household : households) {
            const long long h = household;
            db << "UPDATE sa_households SET review_flag = 'death record withdrawn: check the "
                  "months not paid' WHERE id = :h",
                soci::use(h);
            db << "UPDATE sa_cases SET death_review_due = NULL WHERE household_id = :h",
                soci::use(h);
            auditChange(*context_, db, event, householdCounty(db, household), "household.flag",
                        "household", household,
                        {{"review_flag",
                          change(nullptr, "death record withdrawn: check the months not paid")}});
          }
          return;
        }
        // A corrected date: the person left on the new date; cases end with its month.
        const auto death = *sdk::Date::parse(new_date.get<std::string>());
        const std::string death_text = death.toString(), last_month = monthText(death);
        for (const auto& membership : membershipsOf(db, person, "m.left_reason = 'deceased'"))
          auditChange(*context_, db, event, membership.county, "member.leave", "member",
                      membership.member_id, {{"left_on", change("(earlier date)", death_text)}});
        db << "UPDATE sa_members SET left_on = :d WHERE person_id = :p AND left_reason = "
              "'deceased'",
            soci::use(death_text), soci::use(person);
        for (const auto case_id : death_cases) {
          const long long key = case_id;
          const auto before = *findCase(db, case_id);
          db << "UPDATE sa_cases SET end_month = :e WHERE id = :id", soci::use(last_month),
              soci::use(key);
          auditChange(
              *context_, db, event, before.county, "case.end_month", "case", case_id,
              {{"end_month",
                change(before.end_month ? json(*before.end_month) : json(nullptr), last_month)}});
          const auto c = *findCase(db, case_id);
          publish(*context_, db, c, kAssistanceChanged, last_month,
                  "death date corrected to " + death_text);
        }
      });

  const auto flag = [this](soci::session& db, const sdk::Event& event, const char* what) {
    for (const char* field : {"husband_person_id", "wife_person_id"}) {
      if (!event.payload.contains(field)) continue;
      const long long person = event.payload.at(field).get<std::int64_t>();
      const std::string note =
          std::string(what) + " on " +
          event.payload.value("registered_on", event.payload.value("divorced_on", "")) +
          ": household composition to be reviewed";
      for (const auto household :
           ids(db, "SELECT household_id FROM sa_members WHERE person_id = :p AND left_on IS NULL",
               person)) {
        const long long h = household;
        db << "UPDATE sa_households SET review_flag = :n WHERE id = :h", soci::use(note),
            soci::use(h);
        auditChange(*context_, db, event, householdCounty(db, household), "household.flag",
                    "household", household, {{"review_flag", change(nullptr, note)}});
      }
    }
  };
  // Elderly care admitting a 特困 person (funded as 特困) switches the support to 集中供养 from
  // the next month; a discharge switches it back to 分散. Months already paid at the other
  // rate get an adjustment (the difference), confirmed by a person like every adjustment.
  const auto switch_mode = [this](soci::session& db, const sdk::Event& event,
                                  const std::string& mode) {
    const long long person = event.payload.at("person_id").get<std::int64_t>();
    const std::string from_month = event.payload.at("from_month").get<std::string>();
    const std::string today = context_->clock().today().toString();
    const std::string reason =
        (mode == "concentrated" ? "admitted to an elderly care institution on "
                                : "discharged from an elderly care institution on ") +
        event.payload.value("on_date", std::string()) + " (" + event.name + ")";
    const std::string recorded_by = "event:" + event.name;
    soci::rowset<soci::row> rows =
        (db.prepare << std::string(kCaseColumns) + kCaseTables +
                           " WHERE c.county_code = :county AND c.person_id = :p AND c.program ="
                           " 'tekun' AND c.status = 'active' AND (c.end_month IS NULL OR"
                           " c.end_month >= :m) ORDER BY c.id",
         soci::use(event.county), soci::use(person), soci::use(from_month));
    std::vector<CaseRow> cases;
    for (const auto& row : rows) cases.push_back(caseFromRow(row));
    for (const auto& c : cases) {
      const auto before = supportModeIn(db, c.id, from_month);
      if (before == mode) continue;  // already so (or delivered before): nothing to do
      const long long key = c.id;
      const std::string start = std::max(from_month, c.start_month);
      int existing = 0;
      db << "SELECT COUNT(*) FROM sa_support_modes WHERE case_id = :c AND from_month = :m",
          soci::into(existing), soci::use(key), soci::use(start);
      if (existing > 0)
        db << "UPDATE sa_support_modes SET support_mode = :s, reason = :r, recorded_on = :d,"
              " recorded_by = :b WHERE case_id = :c AND from_month = :m",
            soci::use(mode), soci::use(reason), soci::use(today), soci::use(recorded_by),
            soci::use(key), soci::use(start);
      else
        db << "INSERT INTO sa_support_modes (case_id, from_month, support_mode, reason,"
              " recorded_on, recorded_by) VALUES (:c, :m, :s, :r, :d, :b)",
            soci::use(key), soci::use(start), soci::use(mode), soci::use(reason), soci::use(today),
            soci::use(recorded_by);
      auditChange(*context_, db, event, c.county, "case.support_mode", "case", c.id,
                  {{"support_mode", change(before ? json(*before) : json(nullptr), mode)},
                   {"from_month", change(nullptr, start)},
                   {"reason", change(nullptr, reason)}});
      // Months from the switch already paid (or pending) at the old rate: pay the difference.
      soci::rowset<soci::row> paid_rows =
          (db.prepare << "SELECT month, SUM(amount_fen) FROM (SELECT month, amount_fen FROM"
                         " sa_payment_lines WHERE case_id = :c AND month >= :m UNION ALL SELECT"
                         " month, amount_fen FROM sa_adjustments WHERE case_id = :c2 AND month >="
                         " :m2 AND paid_in_run IS NULL) t GROUP BY month ORDER BY month",
           soci::use(key), soci::use(start), soci::use(key), soci::use(start));
      std::vector<std::pair<std::string, std::int64_t>> paid;
      for (const auto& row : paid_rows)
        paid.emplace_back(sdk::sql::textAt(row, 0), sdk::sql::int64At(row, 1));
      for (const auto& [month, amount] : paid) {
        const auto due = monthRoll(db, context_->policy(), c.county,
                                   *sdk::Date::parse(month + "-01"), c.id, false);
        const std::int64_t due_fen = due.empty() ? 0 : due.front().amount.fen();
        if (due_fen == amount) continue;
        const long long difference = due_fen - amount;
        const std::string why = "support mode " + mode + " from " + start + ": " + reason;
        long long adjustment_id = 0;
        db << "INSERT INTO sa_adjustments (case_id, month, amount_fen, reason, recorded_on,"
              " recorded_by) VALUES (:c, :m, :a, :r, :d, :b) RETURNING id",
            soci::use(key), soci::use(month), soci::use(difference), soci::use(why),
            soci::use(today), soci::use(recorded_by), soci::into(adjustment_id);
        auditChange(*context_, db, event, c.county, "adjustment.create", "adjustment",
                    adjustment_id,
                    {{"case_id", change(nullptr, c.id)},
                     {"month", change(nullptr, month)},
                     {"amount", change(nullptr, sdk::Money::fromFen(difference).toString())},
                     {"reason", change(nullptr, why)}});
      }
    }
  };
  events.subscribe("elderly_care.tekun_admitted", "concentrated_support",
                   [switch_mode](soci::session& db, const sdk::Event& event) {
                     switch_mode(db, event, "concentrated");
                   });
  events.subscribe("elderly_care.tekun_discharged", "dispersed_support",
                   [switch_mode](soci::session& db, const sdk::Event& event) {
                     switch_mode(db, event, "dispersed");
                   });

  events.subscribe("marriage.registered", "flag_marriage",
                   [flag](soci::session& db, const sdk::Event& event) {
                     flag(db, event, "marriage registered");
                   });
  events.subscribe(
      "marriage.divorced", "flag_divorce",
      [flag](soci::session& db, const sdk::Event& event) { flag(db, event, "divorce"); });
}

}  // namespace civ::plugins::social_assistance
