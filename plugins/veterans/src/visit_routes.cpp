// Holiday visits (走访慰问, 慰问金): a campaign names its season, date, and the groups visited with
// an amount per person (e.g. Spring Festival, 180 yuan to each 在乡老复员军人). Its recipients are
// derived from the files of those groups and stay editable until a second person confirms the
// list; then each becomes a line of the payment run of the campaign's month (kind visit), paid
// under the recipient's 慰问金 entitlement.
#include <map>
#include <set>

#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
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

namespace civ::plugins::veterans {

namespace {

using nlohmann::json;

struct Campaign {
  std::int64_t id = 0;
  std::string number;
  std::string name;
  std::string status;
  sdk::Month month;
  std::string prepared_by;
  std::string prepared_on;
  json groups;
};

Campaign campaignAt(soci::session& db, const std::string& county, std::int64_t id) {
  const long long key = id;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT id, number, name, status, month, prepared_by, prepared_on, groups"
                     " FROM vt_visit_campaigns WHERE id = :id AND county_code = :c",
       soci::use(key), soci::use(county));
  for (const auto& row : rows)
    return {sdk::sql::int64At(row, 0),
            sdk::sql::textAt(row, 1),
            sdk::sql::textAt(row, 2),
            sdk::sql::textAt(row, 3),
            *sdk::Month::parse(sdk::sql::textAt(row, 4)),
            sdk::sql::textAt(row, 5),
            sdk::sql::textAt(row, 6),
            json::parse(sdk::sql::textAt(row, 7))};
  throw sdk::NotFound("no visit campaign " + std::to_string(id) + " in county " + county);
}

void requireDraft(const Campaign& campaign) {
  if (campaign.status != "draft")
    throw sdk::Conflict("campaign " + campaign.number +
                        " is confirmed: its list is paid as confirmed");
}

/// The campaign's amount for a group, if it names the group.
std::optional<sdk::Money> amountOf(const Campaign& campaign, const std::string& group) {
  for (const auto& entry : campaign.groups)
    if (entry["group"] == group) return sdk::Money::parse(entry["amount"].get<std::string>());
  return std::nullopt;
}

const char* kRecipientColumns =
    "SELECT r.id, r.campaign_id, r.beneficiary_id, b.number, p.name, b.township, r.group_code,"
    " r.amount_fen, r.included, r.note, r.added_by, r.edited_by FROM vt_visit_recipients r JOIN"
    " vt_beneficiaries b ON b.id = r.beneficiary_id JOIN civ_persons p ON p.id = b.person_id";

json recipientRow(const soci::row& row) {
  return sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                          {"campaign_id", sdk::sql::int64At(row, 1)},
                          {"beneficiary_id", sdk::sql::int64At(row, 2)},
                          {"beneficiary_number", sdk::sql::textAt(row, 3)},
                          {"name", sdk::sql::textAt(row, 4)},
                          {"township", sdk::sql::textAt(row, 5)},
                          {"group", sdk::sql::textAt(row, 6)},
                          {"amount", sdk::Money::fromFen(sdk::sql::int64At(row, 7)).toString()},
                          {"included", sdk::sql::int64At(row, 8) != 0},
                          {"note", sdk::sql::textAt(row, 9)},
                          {"added_by", sdk::sql::textAt(row, 10)},
                          {"edited_by", sdk::sql::textOrNullAt(row, 11)}});
}

json recipientJson(soci::session& db, std::int64_t id) {
  const long long key = id;
  soci::rowset<soci::row> rows =
      (db.prepare << std::string(kRecipientColumns) + " WHERE r.id = :id", soci::use(key));
  for (const auto& row : rows) return recipientRow(row);
  throw sdk::NotFound("no recipient " + std::to_string(id));
}

}  // namespace

json VeteransPlugin::campaignJson(soci::session& db, std::int64_t id) const {
  const long long key = id;
  json body;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT id, number, name, season, visit_date, month, groups, status,"
                     " prepared_by, prepared_on, confirmed_by, confirmed_on FROM"
                     " vt_visit_campaigns WHERE id = :id",
       soci::use(key));
  for (const auto& row : rows)
    body = {{"id", sdk::sql::int64At(row, 0)},
            {"number", sdk::sql::textAt(row, 1)},
            {"name", sdk::sql::textAt(row, 2)},
            {"season", sdk::sql::textAt(row, 3)},
            {"visit_date", sdk::sql::textAt(row, 4)},
            {"month", sdk::sql::textAt(row, 5)},
            {"groups", json::parse(sdk::sql::textAt(row, 6))},
            {"status", sdk::sql::textAt(row, 7)},
            {"prepared_by", sdk::sql::textAt(row, 8)},
            {"prepared_on", sdk::sql::textAt(row, 9)},
            {"confirmed_by", sdk::sql::textOrNullAt(row, 10)},
            {"confirmed_on", sdk::sql::textOrNullAt(row, 11)}};
  if (body.is_null()) throw sdk::NotFound("no visit campaign " + std::to_string(id));
  json by_group = json::array();
  long long recipients = 0, total = 0;
  soci::rowset<soci::row> groups =
      (db.prepare << "SELECT group_code, COUNT(*), SUM(amount_fen) FROM vt_visit_recipients WHERE"
                     " campaign_id = :c AND included = 1 GROUP BY group_code ORDER BY group_code",
       soci::use(key));
  for (const auto& row : groups) {
    const auto count = sdk::sql::int64At(row, 1), fen = sdk::sql::int64At(row, 2);
    by_group.push_back(sdk::jsonObject({{"group", sdk::sql::textAt(row, 0)},
                                        {"recipients", count},
                                        {"total", sdk::Money::fromFen(fen).toString()}}));
    recipients += count;
    total += fen;
  }
  body["recipients"] = recipients;
  body["total"] = sdk::Money::fromFen(total).toString();
  body["by_group"] = by_group;
  return body;
}

sdk::Response VeteransPlugin::createCampaign(sdk::Request& request) {
  sdk::requireCountyWide(request.caller(), "visit campaigns");
  auto& db = request.db();
  const json& body = request.body();
  const auto visit_date = dateOf(body["visit_date"]);
  std::set<std::string> named;
  std::vector<sdk::FieldError> errors;
  json groups = json::array();
  for (std::size_t i = 0; i < body["groups"].size(); ++i) {
    const json& entry = body["groups"][i];
    const std::string group = entry["group"];
    const auto amount = *sdk::Money::parse(entry["amount"].get<std::string>());
    const std::string at = "groups[" + std::to_string(i) + "]";
    if (!named.insert(group).second)
      errors.push_back({at + ".group", "unique-group", "group " + group + " is listed twice"});
    if (amount.fen() <= 0)
      errors.push_back({at + ".amount", "positive", "a visit pays more than 0.00"});
    groups.push_back(sdk::jsonObject({{"group", group}, {"amount", amount.toString()}}));
  }
  if (!errors.empty()) throw sdk::ValidationError(std::move(errors));
  const auto month = sdk::Month::of(visit_date);
  const std::string number = nextNumber(db, request.county(), "WW", visit_date.year());
  const std::string name = body["name"], season = body["season"], day = visit_date.toString(),
                    month_text = month.toString(), groups_text = groups.dump(),
                    today = request.today().toString();
  long long id = 0;
  db << "INSERT INTO vt_visit_campaigns (county_code, number, name, season, visit_date, month,"
        " groups, status, prepared_by, prepared_on) VALUES (:c, :n, :name, :s, :d, :m, :g,"
        " 'draft', :u, :t) RETURNING id",
      soci::use(request.county()), soci::use(number), soci::use(name), soci::use(season),
      soci::use(day), soci::use(month_text), soci::use(groups_text),
      soci::use(request.caller().user), soci::use(today), soci::into(id);
  // Each living file of a group named, once: the first group listed that it belongs to.
  std::set<std::int64_t> listed;
  for (const auto& entry : groups) {
    const std::string group = entry["group"];
    const long long fen = sdk::Money::parse(entry["amount"].get<std::string>())->fen();
    std::vector<std::int64_t> members;
    soci::rowset<soci::row> rows =
        (db.prepare << "SELECT id FROM vt_beneficiaries WHERE county_code = :c AND status ="
                       " 'active' AND registered_on <= :d AND (category = :g OR subsidy_group ="
                       " :g2) ORDER BY id",
         soci::use(request.county()), soci::use(day), soci::use(group), soci::use(group));
    for (const auto& row : rows) members.push_back(sdk::sql::int64At(row, 0));
    for (const auto member : members) {
      if (!listed.insert(member).second) continue;
      const long long beneficiary = member;
      db << "INSERT INTO vt_visit_recipients (campaign_id, beneficiary_id, group_code, amount_fen,"
            " included, note, added_by) VALUES (:c, :b, :g, :a, 1, '', :u)",
          soci::use(id), soci::use(beneficiary), soci::use(group), soci::use(fen),
          soci::use(request.caller().user);
    }
  }
  const json answer = campaignJson(db, id);
  request.audit({sizeof(sdk::AuditRecord), "visit_campaign.create", "visit_campaign",
                 std::to_string(id),
                 sdk::changedFields(nullptr, {{"number", number},
                                              {"name", name},
                                              {"season", season},
                                              {"visit_date", day},
                                              {"groups", groups},
                                              {"recipients", answer["recipients"]},
                                              {"total", answer["total"]}})});
  return sdk::Response::created(answer, "/visit-campaigns/" + std::to_string(id));
}

sdk::Response VeteransPlugin::listCampaigns(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kCampaignList);
  sdk::ListQuery query("county_code", request.county());
  if (auto season = request.queryParam("season")) query.add("season = " + query.text(*season));
  const std::string table = " FROM vt_visit_campaigns";
  const auto total = query.count(*lists_, db, table);
  soci::rowset<soci::row> rows =
      query.rows(db, "SELECT id" + table + query.clause() + " AND " + page.keysetCondition("id") +
                         page.orderAndLimit({{"id", "id"}, {"visit_date", "visit_date"}}));
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) ids.push_back(sdk::sql::int64At(row, 0));
  json items = json::array();
  for (const auto id : ids) items.push_back(campaignJson(db, id));
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response VeteransPlugin::getCampaign(sdk::Request& request) {
  const auto campaign = campaignAt(request.db(), request.county(), request.pathId("id"));
  return sdk::Response::ok(campaignJson(request.db(), campaign.id));
}

sdk::Response VeteransPlugin::correctCampaign(sdk::Request& request) {
  sdk::requireCountyWide(request.caller(), "visit campaigns");
  auto& db = request.db();
  const auto campaign = campaignAt(db, request.county(), request.pathId("id"));
  const json& body = request.body();
  sdk::requireSomeField(body, "name, visit_date");
  requireDraft(campaign);
  const json current = campaignJson(db, campaign.id);
  const json before = {{"name", current["name"]}, {"visit_date", current["visit_date"]}};
  json after = before;
  for (const auto& item : body.items()) after[item.key()] = item.value();
  const json changes = sdk::changedFields(before, after);
  if (changes.empty()) sdk::refuseUnchanged(body);
  const std::string name = after["name"], day = after["visit_date"],
                    month = sdk::Month::of(dateOf(after["visit_date"])).toString();
  const long long key = campaign.id;
  db << "UPDATE vt_visit_campaigns SET name = :n, visit_date = :d, month = :m WHERE id = :id",
      soci::use(name), soci::use(day), soci::use(month), soci::use(key);
  request.audit({sizeof(sdk::AuditRecord), "visit_campaign.correct", "visit_campaign",
                 std::to_string(campaign.id), changes});
  return sdk::Response::ok(campaignJson(db, campaign.id));
}

sdk::Response VeteransPlugin::listRecipients(sdk::Request& request) {
  auto& db = request.db();
  const auto campaign = campaignAt(db, request.county(), request.pathId("id"));
  const auto page = sdk::ListRequest::from(request, kRecipientList);
  sdk::ListQuery query("b.county_code", request.county());
  query.add("r.campaign_id = " + query.number(campaign.id));
  query.add(sdk::townshipCondition(request.caller(), "b.township"));
  if (auto township = request.queryParam("township"))
    query.add("b.township = " + query.text(*township));
  if (auto included = request.queryParam("included"))
    query.add(*included == "true" ? "r.included = 1" : "r.included = 0");
  const std::string tables =
      " FROM vt_visit_recipients r JOIN vt_beneficiaries b ON b.id = r.beneficiary_id JOIN"
      " civ_persons p ON p.id = b.person_id";
  const auto total = query.count(*lists_, db, tables);
  soci::rowset<soci::row> rows = query.rows(
      db, std::string(kRecipientColumns) + query.clause() + " AND " + page.keysetCondition("r.id") +
              page.orderAndLimit({{"id", "r.id"}, {"name", "p.name"}, {"township", "b.township"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    items.push_back(recipientRow(row));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response VeteransPlugin::addRecipient(sdk::Request& request) {
  auto& db = request.db();
  const auto campaign = campaignAt(db, request.county(), request.pathId("id"));
  requireDraft(campaign);
  const json& body = request.body();
  const auto beneficiary =
      beneficiaryField(request, body["beneficiary_id"].get<std::int64_t>(), "beneficiary_id");
  if (beneficiary.status == "deceased")
    throw sdk::ValidationError("beneficiary_id", "alive", "the person is recorded deceased");
  const std::string group = body["group"];
  std::optional<sdk::Money> amount;
  if (body.contains("amount")) amount = sdk::Money::parse(body["amount"].get<std::string>());
  if (!amount) amount = amountOf(campaign, group);
  if (!amount)
    throw sdk::ValidationError("amount", "required",
                               "the campaign names no amount for " + group + ": give one");
  if (amount->fen() <= 0)
    throw sdk::ValidationError("amount", "positive", "a visit pays more than 0.00");
  const long long campaign_key = campaign.id, beneficiary_key = beneficiary.id;
  long long listed = 0;
  db << "SELECT COUNT(*) FROM vt_visit_recipients WHERE campaign_id = :c AND beneficiary_id = :b",
      soci::into(listed), soci::use(campaign_key), soci::use(beneficiary_key);
  if (listed > 0)
    throw sdk::ValidationError("beneficiary_id", "listed",
                               "file " + beneficiary.number + " is on the list already");
  const std::string note = body.value("note", "");
  const long long fen = amount->fen();
  long long id = 0;
  db << "INSERT INTO vt_visit_recipients (campaign_id, beneficiary_id, group_code, amount_fen,"
        " included, note, added_by, edited_by) VALUES (:c, :b, :g, :a, 1, :n, :u, :u2) RETURNING"
        " id",
      soci::use(campaign_key), soci::use(beneficiary_key), soci::use(group), soci::use(fen),
      soci::use(note), soci::use(request.caller().user), soci::use(request.caller().user),
      soci::into(id);
  request.audit({sizeof(sdk::AuditRecord), "visit_recipient.add", "visit_campaign",
                 std::to_string(campaign.id),
                 sdk::changedFields(nullptr, {{"recipient_id", id},
                                              {"beneficiary_id", beneficiary.id},
                                              {"group", group},
                                              {"amount", amount->toString()},
                                              {"note", note}})});
  return sdk::Response::created(recipientJson(db, id),
                                "/visit-campaigns/" + std::to_string(campaign.id) + "/recipients");
}

sdk::Response VeteransPlugin::getRecipient(sdk::Request& request) {
  auto& db = request.db();
  const auto id = request.pathId("id");
  const long long key = id;
  long long found = 0;
  db << "SELECT COUNT(*) FROM vt_visit_recipients r JOIN vt_visit_campaigns c ON c.id ="
        " r.campaign_id WHERE r.id = :id AND c.county_code = :c",
      soci::into(found), soci::use(key), soci::use(request.county());
  if (found == 0)
    throw sdk::NotFound("no visit recipient " + std::to_string(id) + " in county " +
                        request.county());
  const json recipient = recipientJson(db, id);
  sdk::requireTownship(request.caller(), recipient["township"].get<std::string>(),
                       "visit recipient " + std::to_string(id));
  return sdk::Response::ok(recipient);
}

sdk::Response VeteransPlugin::correctRecipient(sdk::Request& request) {
  auto& db = request.db();
  const auto id = request.pathId("id");
  const long long key = id;
  long long campaign_id = 0;
  db << "SELECT r.campaign_id FROM vt_visit_recipients r JOIN vt_visit_campaigns c ON c.id ="
        " r.campaign_id WHERE r.id = :id AND c.county_code = :c",
      soci::into(campaign_id), soci::use(key), soci::use(request.county());
  if (!db.got_data())
    throw sdk::NotFound("no visit recipient " + std::to_string(id) + " in county " +
                        request.county());
  const auto campaign = campaignAt(db, request.county(), campaign_id);
  const json current = recipientJson(db, id);
  sdk::requireTownship(request.caller(), current["township"].get<std::string>(),
                       "visit recipient " + std::to_string(id));
  const json& body = request.body();
  sdk::requireSomeField(body, "amount, included, note");
  requireDraft(campaign);
  const json before = {
      {"amount", current["amount"]}, {"included", current["included"]}, {"note", current["note"]}};
  json after = before;
  for (const auto& item : body.items()) after[item.key()] = item.value();
  if (body.contains("amount"))
    after["amount"] = sdk::Money::parse(body["amount"].get<std::string>())->toString();
  const json changes = sdk::changedFields(before, after);
  if (changes.empty()) sdk::refuseUnchanged(body);
  const long long fen = sdk::Money::parse(after["amount"].get<std::string>())->fen();
  if (fen <= 0) throw sdk::ValidationError("amount", "positive", "a visit pays more than 0.00");
  const int included = after["included"].get<bool>() ? 1 : 0;
  const std::string note = after["note"];
  db << "UPDATE vt_visit_recipients SET amount_fen = :a, included = :i, note = :n, edited_by = :u"
        " WHERE id = :id",
      soci::use(fen), soci::use(included), soci::use(note), soci::use(request.caller().user),
      soci::use(key);
  json audited = changes;
  audited["recipient_id"] = {{"old", nullptr}, {"new", id}};
  request.audit({sizeof(sdk::AuditRecord), "visit_recipient.correct", "visit_campaign",
                 std::to_string(campaign.id), audited});
  return sdk::Response::ok(recipientJson(db, id));
}

sdk::Response VeteransPlugin::confirmCampaign(sdk::Request& request) {
  sdk::requireCountyWide(request.caller(), "visit campaigns");
  auto& db = request.db();
  const auto campaign = campaignAt(db, request.county(), request.pathId("id"));
  requireDraft(campaign);
  const long long key = campaign.id;
  // Four eyes: whoever prepared the list or changed it does not confirm it.
  sdk::requireFourEyes(request.caller(), campaign.prepared_by, "visit campaign " + campaign.number);
  {
    soci::rowset<soci::row> editors =
        (db.prepare << "SELECT DISTINCT edited_by FROM vt_visit_recipients WHERE campaign_id = :c"
                       " AND edited_by IS NOT NULL",
         soci::use(key));
    for (const auto& row : editors)
      sdk::requireFourEyes(request.caller(), sdk::sql::textAt(row, 0),
                           "visit campaign " + campaign.number + " (edited its list)");
  }
  struct Line {
    std::int64_t recipient, beneficiary;
    long long fen;
    std::string name, death;
  };
  std::vector<Line> lines;
  {
    soci::rowset<soci::row> rows =
        (db.prepare << "SELECT r.id, r.beneficiary_id, r.amount_fen, p.name, b.death_date FROM"
                       " vt_visit_recipients r JOIN vt_beneficiaries b ON b.id = r.beneficiary_id"
                       " JOIN civ_persons p ON p.id = b.person_id WHERE r.campaign_id = :c AND"
                       " r.included = 1 ORDER BY r.id",
         soci::use(key));
    for (const auto& row : rows)
      lines.push_back({sdk::sql::int64At(row, 0), sdk::sql::int64At(row, 1),
                       sdk::sql::int64At(row, 2), sdk::sql::textAt(row, 3),
                       sdk::sql::optionalTextAt(row, 4).value_or("")});
  }
  std::vector<sdk::FieldError> deceased;
  for (const auto& line : lines)
    if (!line.death.empty())
      deceased.push_back({"recipients", "alive",
                          line.name + " (recipient " + std::to_string(line.recipient) +
                              ") died on " + line.death + ": leave the recipient out first"});
  if (!deceased.empty()) throw sdk::ValidationError(std::move(deceased));
  const std::string month = campaign.month.toString(), today = request.today().toString();
  long long total = 0;
  for (const auto& line : lines) {
    const long long beneficiary = line.beneficiary;
    // The recipient's 慰问金 entitlement, made the first time a visit pays the file.
    long long entitlement = 0;
    db << "SELECT id FROM vt_entitlements WHERE beneficiary_id = :b AND type = 'visit' AND status"
          " = 'active'",
        soci::into(entitlement), soci::use(beneficiary);
    if (!db.got_data()) {
      const std::string number = nextNumber(db, request.county(), "DY", request.today().year());
      db << "INSERT INTO vt_entitlements (county_code, number, beneficiary_id, type, status,"
            " start_month, approved_on, note, proposed_by, proposed_on, confirmed_by,"
            " confirmed_on) VALUES (:c, :n, :b, 'visit', 'active', :m, :d, '慰问金', :p, :po, :u,"
            " :d2) RETURNING id",
          soci::use(request.county()), soci::use(number), soci::use(beneficiary), soci::use(month),
          soci::use(today), soci::use(campaign.prepared_by), soci::use(campaign.prepared_on),
          soci::use(request.caller().user), soci::use(today), soci::into(entitlement);
    }
    const auto due = insertDue(db, request.county(), entitlement, "visit", "visit", campaign.month,
                               campaign.month, sdk::Money::fromFen(line.fen), campaign.name,
                               request.caller().user, request.today(), campaign.id);
    const long long due_key = due, recipient = line.recipient;
    db << "UPDATE vt_visit_recipients SET adjustment_id = :a WHERE id = :id", soci::use(due_key),
        soci::use(recipient);
    total += line.fen;
  }
  db << "UPDATE vt_visit_campaigns SET status = 'confirmed', confirmed_by = :u, confirmed_on = :d"
        " WHERE id = :id",
      soci::use(request.caller().user), soci::use(today), soci::use(key);
  request.audit({sizeof(sdk::AuditRecord),
                 "visit_campaign.confirm",
                 "visit_campaign",
                 std::to_string(campaign.id),
                 {{"status", {{"old", "draft"}, {"new", "confirmed"}}},
                  {"confirmed_by", {{"old", nullptr}, {"new", request.caller().user}}},
                  {"recipients", {{"old", nullptr}, {"new", lines.size()}}},
                  {"total", {{"old", nullptr}, {"new", sdk::Money::fromFen(total).toString()}}}}});
  return sdk::Response::ok(campaignJson(db, campaign.id));
}

}  // namespace civ::plugins::veterans
