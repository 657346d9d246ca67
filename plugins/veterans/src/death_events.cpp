// person.deceased (the platform's death registration, platform_events.h): a beneficiary's file
// is marked deceased; periodic entitlements end with the month of death and months paid after it
// are recovered by adjustments; funeral aid (丧葬补助) is owed once — 6 months of the periodic
// survivors' pension (§22), 12 months of the disability pension when a disabled serviceman dies
// of illness (§32) — and paid by the next run; entitlements only proposed are cancelled and
// visits not yet paid for months after the death are withdrawn. Every change is audited in the
// file's county.
//
// person.death_corrected follows a corrected death: a new date moves the end of payment and the
// funeral aid; a death recorded for the wrong person gives the file and its entitlements back
// (the months recovered are paid back by the next run, funeral aid paid is recovered).
//
// The death registration carries no cause of death: the handler treats a disabled serviceman's
// death as one of illness (the common case) and the clerk withdraws the funeral aid, with the
// reason, when it was not (POST /adjustments/{id}/withdrawal).
#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/clock.h>
#include <civ/sdk/context.h>
#include <civ/sdk/error.h>
#include <civ/sdk/events.h>
#include <civ/sdk/platform_events.h>
#include <civ/sdk/sql.h>

#include "entitlement_store.h"
#include "veterans_plugin.h"
#include "veterans_rules.h"

namespace civ::plugins::veterans {

namespace {

using nlohmann::json;

json change(json before, json after) {
  return {{"old", std::move(before)}, {"new", std::move(after)}};
}

constexpr const char* kByEvent = "event:person.deceased";

/// The funeral aid an entitlement ended by a death is owed for a death on `death` (none when
/// the table has no standard in force: the caller audits why).
std::optional<FuneralAid> aidFor(const Schedule& schedule, sdk::Date death,
                                 const NationalTable& table) {
  return funeralAid(schedule.factsIn(sdk::Month::of(death)), death, /*died_of_illness=*/true,
                    table);
}

}  // namespace

void VeteransPlugin::subscribeToEvents() {
  context_->events().subscribe(
      sdk::platform::kPersonDeceased, "end_entitlements",
      [this](soci::session& db, const sdk::Event& event) {
        const long long person = event.payload.at("person_id").get<std::int64_t>();
        const auto death = *sdk::Date::parse(event.payload.at("death_date").get<std::string>());
        const auto death_month = sdk::Month::of(death);
        const std::string death_text = death.toString(), last = death_month.toString();
        const auto today = context_->clock().today();
        // Named: SOCI binds references and runs a statement after its temporaries are gone.
        const std::string today_text = today.toString(), by_event = kByEvent;
        std::vector<std::pair<std::int64_t, std::string>> files;
        {
          soci::rowset<soci::row> rows =
              (db.prepare << "SELECT id, county_code FROM vt_beneficiaries WHERE person_id = :p"
                             " AND status = 'active'",
               soci::use(person));
          for (const auto& row : rows)
            files.emplace_back(sdk::sql::int64At(row, 0), sdk::sql::textAt(row, 1));
        }
        for (const auto& [file, county] : files) {
          const auto audit = [&, county = county](const sdk::AuditRecord& record) {
            context_->events().audit(db, event, county, record);
          };
          const long long file_key = file;
          db << "UPDATE vt_beneficiaries SET status = 'deceased', death_date = :d WHERE id = :id",
              soci::use(death_text), soci::use(file_key);
          audit({sizeof(sdk::AuditRecord),
                 "beneficiary.death",
                 "beneficiary",
                 std::to_string(file),
                 {{"status", change("active", "deceased")},
                  {"death_date", change(nullptr, death_text)}}});
          std::vector<std::int64_t> entitlements;
          {
            soci::rowset<soci::row> rows =
                (db.prepare << "SELECT id FROM vt_entitlements WHERE beneficiary_id = :b AND"
                               " status IN ('proposed', 'active') ORDER BY id",
                 soci::use(file_key));
            for (const auto& row : rows) entitlements.push_back(sdk::sql::int64At(row, 0));
          }
          const auto table = loadTable(db, county);
          for (const auto id : entitlements) {
            const auto entitlement = *findEntitlement(db, county, id);
            const long long key = id;
            if (entitlement.status == "proposed") {
              db << "UPDATE vt_entitlements SET status = 'cancelled', end_reason = 'death',"
                    " ended_by = :u, ended_on = :d WHERE id = :id",
                  soci::use(by_event), soci::use(today_text), soci::use(key);
              audit({sizeof(sdk::AuditRecord),
                     "entitlement.cancel",
                     "entitlement",
                     std::to_string(id),
                     {{"status", change("proposed", "cancelled")},
                      {"end_reason", change(nullptr, "death")}}});
              continue;
            }
            if (entitlement.type == "visit") {
              // Visits of months after the death are not paid to the dead.
              std::vector<long long> withdrawn;
              soci::rowset<soci::row> rows =
                  (db.prepare << "SELECT id FROM vt_adjustments WHERE entitlement_id = :e AND"
                                 " paid_in_run IS NULL AND withdrawn_on IS NULL AND month > :m",
                   soci::use(key), soci::use(last));
              for (const auto& row : rows) withdrawn.push_back(sdk::sql::int64At(row, 0));
              for (const auto due : withdrawn) {
                db << "UPDATE vt_adjustments SET withdrawn_on = :d, withdrawn_by = :u,"
                      " withdrawal_reason = 'death' WHERE id = :id",
                    soci::use(today_text), soci::use(by_event), soci::use(due);
                audit({sizeof(sdk::AuditRecord),
                       "adjustment.withdraw",
                       "adjustment",
                       std::to_string(due),
                       {{"withdrawn_on", change(nullptr, today.toString())},
                        {"withdrawal_reason", change(nullptr, "death")}}});
              }
              continue;
            }
            if (!isPeriodic(entitlement.type)) continue;  // a confirmed one-time payment stays
            // Paid through the month of death; nothing after it.
            auto end = death_month;
            if (entitlement.start_month && end < *entitlement.start_month)
              end = entitlement.start_month->plus(-1);
            const std::string end_text = end.toString();
            db << "UPDATE vt_entitlements SET status = 'ended', end_month = :e, end_reason ="
                  " 'death', ended_by = :u, ended_on = :d WHERE id = :id",
                soci::use(end_text), soci::use(by_event), soci::use(today_text), soci::use(key);
            audit({sizeof(sdk::AuditRecord),
                   "entitlement.end",
                   "entitlement",
                   std::to_string(id),
                   {{"status", change("active", "ended")},
                    {"end_month", change(nullptr, end_text)},
                    {"end_reason", change(nullptr, "death")}}});
            const auto schedule = scheduleOf(db, *findEntitlement(db, county, id));
            settle(db, *context_, schedule, "death",
                   "died on " + death_text + ": paid through " + end_text, kByEvent, today, audit);
            // Funeral aid (§22, §32), once, in the next run.
            try {
              const auto aid = funeralAid(schedule.factsIn(death_month), death,
                                          /*died_of_illness=*/true, table);
              if (!aid) continue;
              const std::string reason = std::to_string(aid->months) + " months of the " +
                                         entitlement.type +
                                         (aid->months == 6 ? " (§22)" : " (§32, death of illness)");
              const auto due = insertDue(db, county, id, "funeral_aid", "death", death_month,
                                         std::nullopt, aid->amount, reason, kByEvent, today);
              audit({sizeof(sdk::AuditRecord), "adjustment.create", "adjustment",
                     std::to_string(due),
                     sdk::changedFields(nullptr, {{"entitlement_id", id},
                                                  {"entitlement_number", entitlement.number},
                                                  {"kind", "funeral_aid"},
                                                  {"month", last},
                                                  {"months", aid->months},
                                                  {"amount", aid->amount.toString()},
                                                  {"reason", reason}})});
            } catch (const sdk::ValidationError& error) {
              // No standard in force on the day of death: the clerk pays it once the table is
              // imported; the trail says why it is missing.
              audit({sizeof(sdk::AuditRecord),
                     "funeral_aid.missing",
                     "entitlement",
                     std::to_string(id),
                     {{"funeral_aid",
                       change(nullptr, std::string("not computed: ") + error.detail())}}});
              context_->logger()->warn("funeral aid for entitlement {} not computed: {}", id,
                                       error.detail());
            }
          }
        }
      });

  context_->events().subscribe(
      sdk::platform::kPersonDeathCorrected, "follow_death_corrections",
      [this](soci::session& db, const sdk::Event& event) {
        const long long person = event.payload.at("person_id").get<std::int64_t>();
        const json& corrected = event.payload.at("death_date");
        const std::string previous = event.payload.at("previous_death_date").get<std::string>();
        const bool alive = corrected.is_null();
        const std::optional<sdk::Date> death =
            alive ? std::nullopt : sdk::Date::parse(corrected.get<std::string>());
        const auto today = context_->clock().today();
        // Named: SOCI binds references and runs a statement after its temporaries are gone.
        const std::string today_text = today.toString(), by_event = kByEvent;
        std::vector<std::pair<std::int64_t, std::string>> files;
        {
          soci::rowset<soci::row> rows =
              (db.prepare << "SELECT id, county_code FROM vt_beneficiaries WHERE person_id = :p"
                             " AND status = 'deceased' AND death_date = :d",
               soci::use(person), soci::use(previous));
          for (const auto& row : rows)
            files.emplace_back(sdk::sql::int64At(row, 0), sdk::sql::textAt(row, 1));
        }
        for (const auto& [file, county] : files) {
          const auto audit = [&, county = county](const sdk::AuditRecord& record) {
            context_->events().audit(db, event, county, record);
          };
          const long long file_key = file;
          const std::string status = alive ? "active" : "deceased";
          std::string date_text = death ? death->toString() : std::string();
          soci::indicator date_null = death ? soci::i_ok : soci::i_null;
          db << "UPDATE vt_beneficiaries SET status = :s, death_date = :d WHERE id = :id",
              soci::use(status), soci::use(date_text, date_null), soci::use(file_key);
          audit({sizeof(sdk::AuditRecord),
                 "beneficiary.death_corrected",
                 "beneficiary",
                 std::to_string(file),
                 {{"status", change("deceased", status)},
                  {"death_date", change(previous, death ? json(date_text) : json(nullptr))}}});
          std::vector<std::int64_t> ended;
          {
            soci::rowset<soci::row> rows =
                (db.prepare << "SELECT id FROM vt_entitlements WHERE beneficiary_id = :b AND"
                               " end_reason = 'death' AND ended_by = :u AND status = 'ended'"
                               " ORDER BY id",
                 soci::use(file_key), soci::use(by_event));
            for (const auto& row : rows) ended.push_back(sdk::sql::int64At(row, 0));
          }
          const auto table = loadTable(db, county);
          for (const auto id : ended) {
            const auto entitlement = *findEntitlement(db, county, id);
            const long long key = id;
            if (alive) {
              db << "UPDATE vt_entitlements SET status = 'active', end_month = NULL, end_reason ="
                    " NULL, ended_by = NULL, ended_on = NULL WHERE id = :id",
                  soci::use(key);
              audit({sizeof(sdk::AuditRecord),
                     "entitlement.resume",
                     "entitlement",
                     std::to_string(id),
                     {{"status", change("ended", "active")},
                      {"end_month", change(entitlement.end_month->toString(), nullptr)},
                      {"end_reason", change("death", nullptr)}}});
            } else {
              auto end = sdk::Month::of(*death);
              if (entitlement.start_month && end < *entitlement.start_month)
                end = entitlement.start_month->plus(-1);
              const std::string end_text = end.toString();
              db << "UPDATE vt_entitlements SET end_month = :e WHERE id = :id", soci::use(end_text),
                  soci::use(key);
              audit({sizeof(sdk::AuditRecord),
                     "entitlement.end",
                     "entitlement",
                     std::to_string(id),
                     {{"end_month", change(entitlement.end_month->toString(), end_text)}}});
            }
            // Recoveries the death made and no run has paid yet go; settle computes anew.
            std::vector<long long> recoveries;
            {
              soci::rowset<soci::row> rows =
                  (db.prepare << "SELECT id FROM vt_adjustments WHERE entitlement_id = :e AND"
                                 " kind = 'adjustment' AND source = 'death' AND paid_in_run IS"
                                 " NULL AND withdrawn_on IS NULL",
                   soci::use(key));
              for (const auto& row : rows) recoveries.push_back(sdk::sql::int64At(row, 0));
            }
            for (const auto due : recoveries) {
              db << "UPDATE vt_adjustments SET withdrawn_on = :d, withdrawn_by = :u,"
                    " withdrawal_reason = 'death corrected' WHERE id = :id",
                  soci::use(today_text), soci::use(by_event), soci::use(due);
              audit({sizeof(sdk::AuditRecord),
                     "adjustment.withdraw",
                     "adjustment",
                     std::to_string(due),
                     {{"withdrawn_on", change(nullptr, today.toString())},
                      {"withdrawal_reason", change(nullptr, "death corrected")}}});
            }
            const auto schedule = scheduleOf(db, *findEntitlement(db, county, id));
            settle(db, *context_, schedule, "death_corrected",
                   alive ? "death recorded for the wrong person" : "death date corrected", kByEvent,
                   today, audit);
            // The funeral aid follows: what is not paid yet is withdrawn and owed anew; what was
            // paid is corrected by the difference.
            long long paid = 0, unpaid_id = 0;
            soci::indicator paid_ind = soci::i_null;
            db << "SELECT SUM(amount_fen) FROM vt_adjustments WHERE entitlement_id = :e AND kind ="
                  " 'funeral_aid' AND paid_in_run IS NOT NULL",
                soci::into(paid, paid_ind), soci::use(key);
            if (paid_ind != soci::i_ok) paid = 0;
            std::vector<long long> unpaid;
            {
              soci::rowset<soci::row> rows =
                  (db.prepare << "SELECT id FROM vt_adjustments WHERE entitlement_id = :e AND"
                                 " kind = 'funeral_aid' AND paid_in_run IS NULL AND withdrawn_on"
                                 " IS NULL",
                   soci::use(key));
              for (const auto& row : rows) unpaid.push_back(sdk::sql::int64At(row, 0));
            }
            for (const auto due : unpaid) {
              unpaid_id = due;
              db << "UPDATE vt_adjustments SET withdrawn_on = :d, withdrawn_by = :u,"
                    " withdrawal_reason = 'death corrected' WHERE id = :id",
                  soci::use(today_text), soci::use(by_event), soci::use(due);
              audit({sizeof(sdk::AuditRecord),
                     "adjustment.withdraw",
                     "adjustment",
                     std::to_string(due),
                     {{"withdrawn_on", change(nullptr, today.toString())},
                      {"withdrawal_reason", change(nullptr, "death corrected")}}});
            }
            if (unpaid_id == 0 && paid == 0) continue;  // there was none (or it was withdrawn)
            long long owed = 0;
            if (!alive) {
              try {
                if (const auto aid = aidFor(schedule, *death, table)) owed = aid->amount.fen();
              } catch (const sdk::ValidationError& error) {
                context_->logger()->warn("funeral aid for entitlement {} not recomputed: {}", id,
                                         error.detail());
                continue;
              }
            }
            const long long difference = owed - paid;
            if (difference == 0) continue;
            const std::string reason =
                alive ? "funeral aid of a person recorded dead by mistake: recovered"
                      : "funeral aid for the corrected date of death " + date_text;
            const auto due =
                insertDue(db, county, id, "funeral_aid", "death_corrected",
                          sdk::Month::of(death.value_or(*sdk::Date::parse(previous))), std::nullopt,
                          sdk::Money::fromFen(difference), reason, kByEvent, today);
            audit({sizeof(sdk::AuditRecord), "adjustment.create", "adjustment", std::to_string(due),
                   sdk::changedFields(nullptr,
                                      {{"entitlement_id", id},
                                       {"kind", "funeral_aid"},
                                       {"amount", sdk::Money::fromFen(difference).toString()},
                                       {"reason", reason}})});
          }
          // Visits withdrawn for the death are owed again to a person alive after all.
          if (alive) {
            std::vector<long long> restored;
            soci::rowset<soci::row> rows =
                (db.prepare << "SELECT a.id FROM vt_adjustments a JOIN vt_entitlements e ON e.id ="
                               " a.entitlement_id WHERE e.beneficiary_id = :b AND a.kind = 'visit'"
                               " AND a.withdrawn_by = :u AND a.withdrawal_reason = 'death'",
                 soci::use(file_key), soci::use(by_event));
            for (const auto& row : rows) restored.push_back(sdk::sql::int64At(row, 0));
            for (const auto due : restored) {
              db << "UPDATE vt_adjustments SET withdrawn_on = NULL, withdrawn_by = NULL,"
                    " withdrawal_reason = NULL WHERE id = :id",
                  soci::use(due);
              audit({sizeof(sdk::AuditRecord),
                     "adjustment.restore",
                     "adjustment",
                     std::to_string(due),
                     {{"withdrawn_on", change("withdrawn", nullptr)}}});
            }
          }
        }
      });
}

}  // namespace civ::plugins::veterans
