// Change registration (变更登记) and charter approval (章程核准): applied for within 30 days of the
// sponsor's approval (社会团体登记管理条例 §18), decided within `change.decision_days`, applied to
// the organisation when approved with the registration conditions checked again (audited old →
// new); seals and bank-account filings (印章、银行账户备案). Lists, search and corrections.
#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/context.h>
#include <civ/sdk/correction.h>
#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/list.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/policy.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/sql_json.h>

#include "organisation_columns.h"
#include "parameters.h"
#include "social_orgs_plugin.h"
#include "social_orgs_rules.h"

namespace civ::plugins::social_orgs {

namespace {

using nlohmann::json;

constexpr const char* kChangeColumns =
    "c.id, c.organisation_id, o.name, o.township, c.kind, c.proposed, c.charter_note,"
    " c.sponsor_approved_on, c.apply_due, c.applied_on, c.decision_due, c.status, c.decided_on,"
    " c.refusal_reason";
constexpr const char* kChangeFrom =
    " FROM so_changes c JOIN so_organisations o ON o.id = c.organisation_id";

std::optional<sdk::Date> dateField(const json& body, const char* name) {
  if (!body.contains(name) || body[name].is_null()) return std::nullopt;
  return sdk::Date::parse(body[name].get<std::string>());
}

json changeRow(const soci::row& row, sdk::Date today) {
  using namespace sdk::sql;
  const std::string status = textAt(row, 11), due = textAt(row, 10), applied = textAt(row, 9);
  const auto apply_due = optionalTextAt(row, 8);
  return sdk::jsonObject({{"id", int64At(row, 0)},
                          {"organisation_id", int64At(row, 1)},
                          {"organisation", textAt(row, 2)},
                          {"township", textAt(row, 3)},
                          {"kind", textAt(row, 4)},
                          {"changes", json::parse(textAt(row, 5))},
                          {"charter_note", textOrNullAt(row, 6)},
                          {"sponsor_approved_on", textOrNullAt(row, 7)},
                          {"apply_due", textOrNullAt(row, 8)},
                          {"applied_late", apply_due && applied > *apply_due},
                          {"applied_on", applied},
                          {"decision_due", due},
                          {"status", status},
                          {"overdue", status == "applied" && due < today.toString()},
                          {"decided_on", textOrNullAt(row, 12)},
                          {"refusal_reason", textOrNullAt(row, 13)}});
}

json changesWhere(soci::session& db, sdk::ListQuery& query, const std::string& tail,
                  sdk::Date today, std::vector<std::int64_t>* ids = nullptr) {
  soci::rowset<soci::row> rows =
      query.rows(db, std::string("SELECT ") + kChangeColumns + kChangeFrom + query.clause() + tail);
  json items = json::array();
  for (const auto& row : rows) {
    items.push_back(changeRow(row, today));
    if (ids) ids->push_back(sdk::sql::int64At(row, 0));
  }
  return items;
}

json changeById(sdk::Request& request, std::int64_t id) {
  sdk::ListQuery query("c.county_code", request.county());
  query.add("c.id = " + query.number(id));
  const json items = changesWhere(request.db(), query, "", request.today());
  if (items.empty()) throw sdk::NotFound("no change application " + std::to_string(id));
  sdk::requireTownship(request.caller(), items[0]["township"].get<std::string>(),
                       "change application " + std::to_string(id));
  return items[0];
}

/// The organisation as it would read with `changes` applied (the columns a change may touch).
json withChanges(json organisation, const json& changes) {
  for (const auto& item : changes.items()) organisation[item.key()] = item.value();
  return organisation;
}

/// The sponsor's approval and the application day: the approval comes first and neither is
/// after today; a 社团 or 民非 needs its sponsor's approval (§18).
void checkDates(const std::string& type, std::optional<sdk::Date> sponsor_approved_on,
                sdk::Date applied_on, sdk::Date today, sdk::Date registered_on) {
  if (applied_on > today || applied_on < registered_on)
    throw sdk::ValidationError("applied_on", "date-range",
                               "applied between the registration and today");
  if (!sponsor_approved_on && type != kFoundation)
    throw sdk::ValidationError("sponsor_approved_on", "sponsor-approval",
                               "a social group's or 民非's change is approved by its sponsoring "
                               "unit first (社会团体登记管理条例 §18)");
  if (sponsor_approved_on && *sponsor_approved_on > applied_on)
    throw sdk::ValidationError("sponsor_approved_on", "approved-before-application",
                               "the sponsor approves before the application");
}

constexpr const char* kFilingColumns =
    "f.id, f.organisation_id, o.name, o.township, f.kind, f.description, f.filed_on";

json filingsWhere(soci::session& db, sdk::ListQuery& query, const std::string& tail,
                  std::vector<std::int64_t>* ids = nullptr) {
  soci::rowset<soci::row> rows =
      query.rows(db, std::string("SELECT ") + kFilingColumns +
                         " FROM so_filings f JOIN so_organisations o ON o.id = f.organisation_id" +
                         query.clause() + tail);
  json items = json::array();
  for (const auto& row : rows) {
    using namespace sdk::sql;
    items.push_back(sdk::jsonObject({{"id", int64At(row, 0)},
                                     {"organisation_id", int64At(row, 1)},
                                     {"organisation", textAt(row, 2)},
                                     {"township", textAt(row, 3)},
                                     {"kind", textAt(row, 4)},
                                     {"description", textAt(row, 5)},
                                     {"filed_on", textAt(row, 6)}}));
    if (ids) ids->push_back(int64At(row, 0));
  }
  return items;
}

}  // namespace

void SocialOrgsPlugin::checkChange(sdk::Request& request, const json& organisation,
                                   const json& changes) const {
  if (changes.empty()) return;
  const json merged = withChanges(organisation, changes);
  if (changes.contains("township"))
    sdk::requireTownship(request.caller(), merged["township"].get<std::string>(),
                         "organisation " + std::to_string(organisation["id"].get<std::int64_t>()));
  if (sdk::changedFields(organisation, merged).empty())
    throw sdk::ValidationError("changes", "unchanged", "the registration already reads so");
  if (changes.contains("name")) {
    long long same_name = 0;
    const std::string name = merged["name"];
    const long long self = organisation["id"];
    request.db() << "SELECT COUNT(*) FROM so_organisations WHERE county_code = :c AND name = :n"
                    " AND id <> :id AND status IN ('applied', 'registered', 'liquidating')",
        soci::into(same_name), soci::use(request.county()), soci::use(name), soci::use(self);
    if (same_name > 0)
      throw sdk::ValidationError("changes.name", "unique-name",
                                 "an organisation named " + name + " is registered or applied for");
  }
  checkRegistration(request, merged, request.today(), organisation["id"]);
}

sdk::Response SocialOrgsPlugin::applyChange(sdk::Request& request) {
  auto& db = request.db();
  const auto found = organisationAt(request);
  if (found.status != "registered" || !found.registered_on)
    throw sdk::ValidationError("id", "registered-organisation",
                               "only a registered organisation applies for a change");
  const json& body = request.body();
  const std::string kind = body["kind"];
  json changes = body.value("changes", json::object());
  if (changes.contains("funds"))  // "45000" and "45000.00" are the same amount
    changes["funds"] = sdk::Money::parse(changes["funds"].get<std::string>())->toString();
  const auto today = request.today();
  const auto applied = dateField(body, "applied_on").value_or(today);
  const auto approved = dateField(body, "sponsor_approved_on");
  if (kind == "change" && changes.empty())
    throw sdk::ValidationError("changes", "at-least-one", "a change names what changes");
  if (kind == "charter" && !body.contains("charter_note"))
    throw sdk::ValidationError("charter_note", "charter-note-required",
                               "a charter approval says what the charter changes");
  if (kind == "charter" && !changes.empty())
    throw sdk::ValidationError("changes", "change-only",
                               "registration items change by a change registration");
  checkDates(found.type, approved, applied, today, *found.registered_on);
  const json organisation = organisationJson(request, found.id);
  checkChange(request, organisation, changes);
  const auto days = context_->policy().get(kChangeDecisionDays, request.county(), applied);
  std::string approved_text, apply_due, note = body.value("charter_note", "");
  soci::indicator approved_i = soci::i_null, note_i = note.empty() ? soci::i_null : soci::i_ok;
  if (approved) {
    approved_text = approved->toString();
    apply_due = changeDue(*approved).toString();
    approved_i = soci::i_ok;
  }
  const std::string proposed = changes.dump(), applied_text = applied.toString(),
                    due = applied.addDays(static_cast<int>(days)).toString();
  const long long key = found.id;
  long long id = 0;
  db << "INSERT INTO so_changes (county_code, organisation_id, kind, proposed, charter_note,"
        " sponsor_approved_on, apply_due, applied_on, decision_due, status) VALUES (:c, :o, :k,"
        " :p, :n, :s, :ad, :a, :d, 'applied') RETURNING id",
      soci::use(request.county()), soci::use(key), soci::use(kind), soci::use(proposed),
      soci::use(note, note_i), soci::use(approved_text, approved_i),
      soci::use(apply_due, approved_i), soci::use(applied_text), soci::use(due), soci::into(id);
  const json created = changeById(request, id);
  request.audit({sizeof(sdk::AuditRecord), "change.apply", "change", std::to_string(id),
                 sdk::changedFields(nullptr, created)});
  return sdk::Response::created(created, "/changes?organisation_id=" + std::to_string(found.id));
}

sdk::Response SocialOrgsPlugin::decideChange(sdk::Request& request) {
  auto& db = request.db();
  const long long id = request.pathId("id");
  const json before = changeById(request, id);
  if (before["status"] != "applied")
    throw sdk::Conflict("change application " + std::to_string(id) + " is decided");
  const json& body = request.body();
  const std::string decision = body["decision"], today = request.today().toString();
  if (decision == "refuse") {
    if (!body.contains("refusal_reason"))
      throw sdk::ValidationError("refusal_reason", "reason-required", "a refusal gives its reason");
    const std::string reason = body["refusal_reason"];
    db << "UPDATE so_changes SET status = 'refused', decided_on = :d, refusal_reason = :r"
          " WHERE id = :id",
        soci::use(today), soci::use(reason), soci::use(id);
  } else {
    if (body.contains("refusal_reason"))
      throw sdk::ValidationError("refusal_reason", "refusal-only",
                                 "a reason is given only with a refusal");
    const std::int64_t organisation_id = before["organisation_id"];
    const json organisation = organisationJson(request, organisation_id);
    if (organisation["status"] != "registered")
      throw sdk::ValidationError("id", "registered-organisation",
                                 "the organisation is no longer registered");
    const json& changes = before["changes"];
    checkChange(request, organisation, changes);
    if (!changes.empty()) {
      const json merged = withChanges(organisation, changes);
      const std::string name = merged["name"], address = merged["address"],
                        township = merged["township"],
                        rep_id = merged["legal_representative"]["citizen_id"],
                        rep_name = merged["legal_representative"]["name"];
      std::string sponsor = merged["sponsor_unit"].is_null() ? "" : merged["sponsor_unit"],
                  scope = merged["business_scope"].is_null() ? "" : merged["business_scope"];
      soci::indicator sponsor_i = sponsor.empty() ? soci::i_null : soci::i_ok,
                      scope_i = scope.empty() ? soci::i_null : soci::i_ok;
      const long long funds = sdk::Money::parse(merged["funds"].get<std::string>())->fen(),
                      key = organisation_id;
      db << "UPDATE so_organisations SET name = :n, address = :a, township = :t,"
            " rep_citizen_id = :r, rep_name = :rn, sponsor_unit = :s, funds_fen = :f,"
            " business_scope = :b WHERE id = :id",
          soci::use(name), soci::use(address), soci::use(township), soci::use(rep_id),
          soci::use(rep_name), soci::use(sponsor, sponsor_i), soci::use(funds),
          soci::use(scope, scope_i), soci::use(key);
      request.audit({sizeof(sdk::AuditRecord), "organisation.change", "organisation",
                     std::to_string(organisation_id),
                     sdk::changedFields(organisation, organisationJson(request, organisation_id))});
    }
    db << "UPDATE so_changes SET status = 'approved', decided_on = :d WHERE id = :id",
        soci::use(today), soci::use(id);
  }
  const json after = changeById(request, id);
  request.audit({sizeof(sdk::AuditRecord), "change.decide", "change", std::to_string(id),
                 sdk::changedFields(before, after)});
  return sdk::Response::ok(after);
}

sdk::Response SocialOrgsPlugin::listChanges(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kChangeList);
  const auto today = request.today();
  sdk::ListQuery query("c.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "o.township"));
  if (auto organisation = request.queryParam("organisation_id"))
    query.add("c.organisation_id = " + query.number(std::stoll(*organisation)));
  if (auto status = request.queryParam("status")) query.add("c.status = " + query.text(*status));
  if (auto kind = request.queryParam("kind")) query.add("c.kind = " + query.text(*kind));
  if (auto overdue = request.queryParam("overdue")) {
    const std::string on = query.text(today.toString());
    query.add(*overdue == "true" ? "(c.status = 'applied' AND c.decision_due < " + on + ")"
                                 : "(c.status <> 'applied' OR c.decision_due >= " + on + ")");
  }
  const auto total = query.count(*lists_, db, kChangeFrom);
  std::vector<std::int64_t> ids;
  json items = changesWhere(
      db, query,
      " AND " + page.keysetCondition("c.id") +
          page.orderAndLimit(
              {{"id", "c.id"}, {"applied_on", "c.applied_on"}, {"decision_due", "c.decision_due"}}),
      today, &ids);
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response SocialOrgsPlugin::correctChange(sdk::Request& request) {
  auto& db = request.db();
  const json& patch = request.body();
  sdk::requireSomeField(patch, "sponsor_approved_on, applied_on, charter_note");
  const long long id = request.pathId("id");
  const json before = changeById(request, id);
  if (before["status"] != "applied")
    throw sdk::ValidationError("id", "undecided-application",
                               "a decided application is not corrected");
  json merged = before;
  for (const auto& item : patch.items()) merged[item.key()] = item.value();
  if (patch.contains("charter_note") && before["kind"] != "charter")
    throw sdk::ValidationError("charter_note", "charter-only", "only a charter approval has one");
  const std::int64_t organisation_id = before["organisation_id"];
  const json organisation = organisationJson(request, organisation_id);
  const auto applied = *dateField(merged, "applied_on");
  const auto approved = dateField(merged, "sponsor_approved_on");
  checkDates(organisation["type"].get<std::string>(), approved, applied, request.today(),
             *dateField(organisation, "registered_on"));
  const auto days = context_->policy().get(kChangeDecisionDays, request.county(), applied);
  merged["decision_due"] = applied.addDays(static_cast<int>(days)).toString();
  merged["apply_due"] = approved ? json(changeDue(*approved).toString()) : json(nullptr);
  if (sdk::changedFields(before, merged).empty()) sdk::refuseUnchanged(patch);
  std::string approved_text = approved ? approved->toString() : "",
              apply_due = approved ? changeDue(*approved).toString() : "",
              note = merged["charter_note"].is_null() ? "" : merged["charter_note"];
  soci::indicator approved_i = approved ? soci::i_ok : soci::i_null,
                  note_i = note.empty() ? soci::i_null : soci::i_ok;
  const std::string applied_text = applied.toString(), due = merged["decision_due"];
  db << "UPDATE so_changes SET sponsor_approved_on = :s, apply_due = :ad, applied_on = :a,"
        " decision_due = :d, charter_note = :n WHERE id = :id",
      soci::use(approved_text, approved_i), soci::use(apply_due, approved_i),
      soci::use(applied_text), soci::use(due), soci::use(note, note_i), soci::use(id);
  const json after = changeById(request, id);
  request.audit({sizeof(sdk::AuditRecord), "change.correct", "change", std::to_string(id),
                 sdk::changedFields(before, after)});
  return sdk::Response::ok(after);
}

sdk::Response SocialOrgsPlugin::recordFiling(sdk::Request& request) {
  auto& db = request.db();
  const auto found = organisationAt(request);
  if (found.status != "registered" || !found.registered_on)
    throw sdk::ValidationError("id", "registered-organisation",
                               "a registered organisation files its seals and bank accounts");
  const json& body = request.body();
  const auto filed = *dateField(body, "filed_on");
  if (filed > request.today() || filed < *found.registered_on)
    throw sdk::ValidationError("filed_on", "date-range",
                               "filed between the registration and today");
  const std::string kind = body["kind"], description = body["description"],
                    filed_text = filed.toString();
  const long long key = found.id;
  long long id = 0;
  db << "INSERT INTO so_filings (county_code, organisation_id, kind, description, filed_on)"
        " VALUES (:c, :o, :k, :d, :f) RETURNING id",
      soci::use(request.county()), soci::use(key), soci::use(kind), soci::use(description),
      soci::use(filed_text), soci::into(id);
  sdk::ListQuery query("f.county_code", request.county());
  query.add("f.id = " + query.number(id));
  const json created = filingsWhere(db, query, "").at(0);
  request.audit({sizeof(sdk::AuditRecord), "filing.record", "filing", std::to_string(id),
                 sdk::changedFields(nullptr, created)});
  return sdk::Response::created(created, "/filings?organisation_id=" + std::to_string(found.id));
}

sdk::Response SocialOrgsPlugin::listFilings(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kFilingList);
  sdk::ListQuery query("f.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "o.township"));
  if (auto organisation = request.queryParam("organisation_id"))
    query.add("f.organisation_id = " + query.number(std::stoll(*organisation)));
  if (auto kind = request.queryParam("kind")) query.add("f.kind = " + query.text(*kind));
  const auto total = query.count(
      *lists_, db, " FROM so_filings f JOIN so_organisations o ON o.id = f.organisation_id");
  std::vector<std::int64_t> ids;
  json items = filingsWhere(db, query,
                            " AND " + page.keysetCondition("f.id") +
                                page.orderAndLimit({{"id", "f.id"}, {"filed_on", "f.filed_on"}}),
                            &ids);
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response SocialOrgsPlugin::correctFiling(sdk::Request& request) {
  auto& db = request.db();
  const json& patch = request.body();
  sdk::requireSomeField(patch, "kind, description, filed_on");
  const long long id = request.pathId("id");
  sdk::ListQuery query("f.county_code", request.county());
  query.add("f.id = " + query.number(id));
  const json found = filingsWhere(db, query, "");
  if (found.empty()) throw sdk::NotFound("no filing " + std::to_string(id));
  const json before = found[0];
  sdk::requireTownship(request.caller(), before["township"].get<std::string>(),
                       "filing " + std::to_string(id));
  json merged = before;
  for (const auto& item : patch.items()) merged[item.key()] = item.value();
  if (sdk::changedFields(before, merged).empty()) sdk::refuseUnchanged(patch);
  const auto organisation = organisationJson(request, before["organisation_id"]);
  const auto filed = *dateField(merged, "filed_on");
  if (filed > request.today() || filed < *dateField(organisation, "registered_on"))
    throw sdk::ValidationError("filed_on", "date-range",
                               "filed between the registration and today");
  const std::string kind = merged["kind"], description = merged["description"],
                    filed_text = filed.toString();
  db << "UPDATE so_filings SET kind = :k, description = :d, filed_on = :f WHERE id = :id",
      soci::use(kind), soci::use(description), soci::use(filed_text), soci::use(id);
  const json after = filingsWhere(db, query, "").at(0);
  request.audit({sizeof(sdk::AuditRecord), "filing.correct", "filing", std::to_string(id),
                 sdk::changedFields(before, after)});
  return sdk::Response::ok(after);
}

}  // namespace civ::plugins::social_orgs
