// Fallen servicemen (烈士, 因公牺牲军人, 病故军人): the record a survivor's file links to (§19
// 定期抚恤金) and the one-time payments are computed from (§15–16: death date, own monthly basic
// pay, awards). The person is a registry person; the death is the army's record, so this module
// does not mark the registry person deceased (that is the death registration's business).
#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/context.h>
#include <civ/sdk/correction.h>
#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/list.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/persons.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/sql_json.h>

#include "entitlement_store.h"
#include "veterans_plugin.h"
#include "veterans_rules.h"

namespace civ::plugins::veterans {

namespace {

using nlohmann::json;

const char* kFallenColumns =
    "SELECT f.id, f.number, f.person_id, p.citizen_id, p.name, f.death_kind, f.died_on,"
    " f.rank_type, f.monthly_pay_fen, f.unit_name, f.certificate_number, f.township, f.awards"
    " FROM vt_fallen f JOIN civ_persons p ON p.id = f.person_id";

json fallenRow(const soci::row& row) {
  const json awards = json::parse(sdk::sql::textAt(row, 12));
  const auto highest = highestHonour(awardsOf(awards));
  const auto pay = sdk::sql::optionalInt64At(row, 8);
  return sdk::jsonObject(
      {{"id", sdk::sql::int64At(row, 0)},
       {"number", sdk::sql::textAt(row, 1)},
       {"person_id", sdk::sql::int64At(row, 2)},
       {"citizen_id", sdk::sql::textAt(row, 3)},
       {"name", sdk::sql::textAt(row, 4)},
       {"death_kind", sdk::sql::textAt(row, 5)},
       {"died_on", sdk::sql::textAt(row, 6)},
       {"rank_type", sdk::sql::textOrNullAt(row, 7)},
       {"monthly_pay", pay ? json(sdk::Money::fromFen(*pay).toString()) : json(nullptr)},
       {"unit_name", sdk::sql::textAt(row, 9)},
       {"certificate_number", sdk::sql::textAt(row, 10)},
       {"township", sdk::sql::textAt(row, 11)},
       {"awards", awards},
       {"highest_honour", highest ? json(highest->code) : json(nullptr)}});
}

struct FallenScope {
  std::int64_t id;
  std::int64_t person_id;
  std::string township;
};

FallenScope scopedFallen(sdk::Request& request) {
  const auto id = request.pathId("id");
  const long long key = id;
  long long person = 0;
  std::string township;
  request.db() << "SELECT person_id, township FROM vt_fallen WHERE id = :id AND county_code = :c",
      soci::into(person), soci::into(township), soci::use(key), soci::use(request.county());
  if (!request.db().got_data())
    throw sdk::NotFound("no fallen serviceman " + std::to_string(id) + " in county " +
                        request.county());
  sdk::requireTownship(request.caller(), township, "fallen serviceman " + std::to_string(id));
  return {id, person, township};
}

const char* kFallenCorrectable[] = {"death_kind",  "died_on",   "rank_type",
                                    "monthly_pay", "unit_name", "certificate_number",
                                    "township",    "awards"};

void checkFallen(const json& state, const sdk::Person& person, sdk::Date today) {
  const auto died = dateOf(state["died_on"]);
  notInFuture(died, today, "died_on");
  if (died < person.birth_date)
    throw sdk::ValidationError("died_on", "after-birth", "the date is before the birth");
}

}  // namespace

json VeteransPlugin::fallenJson(soci::session& db, std::int64_t id) const {
  const long long key = id;
  json body;
  soci::rowset<soci::row> rows =
      (db.prepare << std::string(kFallenColumns) + " WHERE f.id = :id", soci::use(key));
  for (const auto& row : rows) body = fallenRow(row);
  if (body.is_null()) throw sdk::NotFound("no fallen serviceman " + std::to_string(id));
  json survivors = json::array();
  soci::rowset<soci::row> linked =
      (db.prepare << "SELECT b.id, b.number, p.name, b.relationship FROM vt_beneficiaries b JOIN"
                     " civ_persons p ON p.id = b.person_id WHERE b.fallen_id = :f ORDER BY b.id",
       soci::use(key));
  for (const auto& row : linked)
    survivors.push_back(sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                                         {"number", sdk::sql::textAt(row, 1)},
                                         {"name", sdk::sql::textAt(row, 2)},
                                         {"relationship", sdk::sql::textOrNullAt(row, 3)}}));
  body["survivors"] = survivors;
  return body;
}

sdk::Response VeteransPlugin::createFallen(sdk::Request& request) {
  auto& db = request.db();
  const json& body = request.body();
  const std::string township = body["township"];
  sdk::requireTownship(request.caller(), township, "a record of " + township);
  const auto person = context_->persons().ensureRegistered(
      db, body["citizen_id"].get<std::string>(), body["name"].get<std::string>());
  json state = json::object();
  for (const char* key : kFallenCorrectable) state[key] = body.value(key, json(nullptr));
  if (state["awards"].is_null()) state["awards"] = json::array();
  checkFallen(state, person, request.today());
  const long long person_key = person.id;
  std::string existing;
  db << "SELECT number FROM vt_fallen WHERE county_code = :c AND person_id = :p",
      soci::into(existing), soci::use(request.county()), soci::use(person_key);
  if (db.got_data())
    throw sdk::ValidationError("citizen_id", "one-record",
                               "the person is already recorded as " + existing);
  const std::string number = nextNumber(db, request.county(), "LS", request.today().year());
  const std::string today = request.today().toString();
  const std::string kind = state["death_kind"], died = state["died_on"], unit = state["unit_name"],
                    certificate = state["certificate_number"], awards = state["awards"].dump();
  std::string rank = state["rank_type"].is_null() ? "" : state["rank_type"].get<std::string>();
  soci::indicator rank_ind = state["rank_type"].is_null() ? soci::i_null : soci::i_ok;
  long long pay = state["monthly_pay"].is_null()
                      ? 0
                      : sdk::Money::parse(state["monthly_pay"].get<std::string>())->fen();
  soci::indicator pay_ind = state["monthly_pay"].is_null() ? soci::i_null : soci::i_ok;
  long long id = 0;
  db << "INSERT INTO vt_fallen (county_code, number, person_id, death_kind, died_on, rank_type,"
        " monthly_pay_fen, unit_name, certificate_number, township, awards, recorded_by,"
        " recorded_on) VALUES (:c, :n, :p, :k, :d, :r, :pay, :u, :cert, :t, :aw, :by, :on)"
        " RETURNING id",
      soci::use(request.county()), soci::use(number), soci::use(person_key), soci::use(kind),
      soci::use(died), soci::use(rank, rank_ind), soci::use(pay, pay_ind), soci::use(unit),
      soci::use(certificate), soci::use(township), soci::use(awards),
      soci::use(request.caller().user), soci::use(today), soci::into(id);
  json audited = state;
  audited["person_id"] = person.id;
  audited["number"] = number;
  request.audit({sizeof(sdk::AuditRecord), "fallen.create", "fallen", std::to_string(id),
                 sdk::changedFields(nullptr, audited)});
  return sdk::Response::created(fallenJson(db, id), "/fallen/" + std::to_string(id));
}

sdk::Response VeteransPlugin::listFallen(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kFallenList);
  sdk::ListQuery query("f.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "f.township"));
  if (auto kind = request.queryParam("death_kind"))
    query.add("f.death_kind = " + query.text(*kind));
  if (auto township = request.queryParam("township"))
    query.add("f.township = " + query.text(*township));
  if (auto name = request.queryParam("name")) query.add("p.name " + query.containing(*name));
  const std::string tables = " FROM vt_fallen f JOIN civ_persons p ON p.id = f.person_id";
  const auto total = query.count(*lists_, db, tables);
  soci::rowset<soci::row> rows = query.rows(
      db, std::string(kFallenColumns) + query.clause() + " AND " + page.keysetCondition("f.id") +
              page.orderAndLimit({{"id", "f.id"}, {"died_on", "f.died_on"}, {"name", "p.name"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    items.push_back(fallenRow(row));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response VeteransPlugin::getFallen(sdk::Request& request) {
  const auto fallen = scopedFallen(request);
  return sdk::Response::ok(fallenJson(request.db(), fallen.id));
}

sdk::Response VeteransPlugin::correctFallen(sdk::Request& request) {
  auto& db = request.db();
  const auto fallen = scopedFallen(request);
  const json& body = request.body();
  sdk::requireSomeField(body,
                        "death_kind, died_on, rank_type, monthly_pay, unit_name, "
                        "certificate_number, township, awards");
  const json current = fallenJson(db, fallen.id);
  json before = json::object();
  for (const char* key : kFallenCorrectable) before[key] = current[key];
  json after = before;
  for (const auto& item : body.items()) after[item.key()] = item.value();
  const json changes = sdk::changedFields(before, after);
  if (changes.empty()) sdk::refuseUnchanged(body);
  if (after["township"] != before["township"])
    sdk::requireTownship(request.caller(), after["township"].get<std::string>(),
                         "a record of " + after["township"].get<std::string>());
  checkFallen(after, *context_->persons().findById(db, fallen.person_id), request.today());
  const long long key = fallen.id;
  // A survivor's category names the fallen's death kind (烈士遗属, 因公牺牲军人遗属, 病故军人遗属):
  // a corrected kind corrects their categories too, audited on each file, and their pensions'
  // months already run are adjusted.
  std::vector<std::pair<std::int64_t, std::string>> survivors;
  if (after["death_kind"] != before["death_kind"]) {
    soci::rowset<soci::row> rows =
        (db.prepare << "SELECT id, category FROM vt_beneficiaries WHERE fallen_id = :f",
         soci::use(key));
    for (const auto& row : rows)
      survivors.emplace_back(sdk::sql::int64At(row, 0), sdk::sql::textAt(row, 1));
  }
  // A one-time payment confirmed from these facts stays as confirmed; one only prepared would
  // disagree with them: it is cancelled and prepared again.
  long long prepared = 0;
  db << "SELECT COUNT(*) FROM vt_entitlements WHERE fallen_id = :f AND status = 'proposed'",
      soci::into(prepared), soci::use(key);
  if (prepared > 0)
    throw sdk::Conflict(
        "one-time payments prepared from this record await confirmation: "
        "cancel them, correct the record, prepare them again");
  const std::string kind = after["death_kind"], died = after["died_on"], unit = after["unit_name"],
                    certificate = after["certificate_number"], township = after["township"],
                    awards = after["awards"].dump();
  std::string rank = after["rank_type"].is_null() ? "" : after["rank_type"].get<std::string>();
  soci::indicator rank_ind = after["rank_type"].is_null() ? soci::i_null : soci::i_ok;
  long long pay = after["monthly_pay"].is_null()
                      ? 0
                      : sdk::Money::parse(after["monthly_pay"].get<std::string>())->fen();
  soci::indicator pay_ind = after["monthly_pay"].is_null() ? soci::i_null : soci::i_ok;
  db << "UPDATE vt_fallen SET death_kind = :k, died_on = :d, rank_type = :r, monthly_pay_fen ="
        " :p, unit_name = :u, certificate_number = :c, township = :t, awards = :a WHERE id = :id",
      soci::use(kind), soci::use(died), soci::use(rank, rank_ind), soci::use(pay, pay_ind),
      soci::use(unit), soci::use(certificate), soci::use(township), soci::use(awards),
      soci::use(key);
  request.audit(
      {sizeof(sdk::AuditRecord), "fallen.correct", "fallen", std::to_string(fallen.id), changes});
  const std::string category = survivorCategory(kind);
  for (const auto& [survivor, old_category] : survivors) {
    const long long survivor_key = survivor;
    db << "UPDATE vt_beneficiaries SET category = :c WHERE id = :id", soci::use(category),
        soci::use(survivor_key);
    request.audit({sizeof(sdk::AuditRecord),
                   "beneficiary.correct",
                   "beneficiary",
                   std::to_string(survivor),
                   {{"category", {{"old", old_category}, {"new", category}}}}});
    std::vector<std::int64_t> entitlements;
    soci::rowset<soci::row> rows =
        (db.prepare << "SELECT id FROM vt_entitlements WHERE beneficiary_id = :b AND start_month"
                       " IS NOT NULL",
         soci::use(survivor_key));
    for (const auto& row : rows) entitlements.push_back(sdk::sql::int64At(row, 0));
    for (const auto entitlement_id : entitlements) {
      const auto entitlement = findEntitlement(db, request.county(), entitlement_id);
      if (!entitlement || !isPeriodic(entitlement->type)) continue;
      settle(db, *context_, scheduleOf(db, *entitlement), "correction",
             "the fallen serviceman's death kind corrected", request.caller().user, request.today(),
             [&](const sdk::AuditRecord& record) { request.audit(record); });
    }
  }
  return sdk::Response::ok(fallenJson(db, fallen.id));
}

}  // namespace civ::plugins::veterans
