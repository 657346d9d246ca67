// Organisations: applications checked against the type's conditions, the decision within 60
// days with the credit code checked or assigned, lists, details and corrections.
#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/context.h>
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

sdk::Money moneyOf(const json& value) { return *sdk::Money::parse(value.get<std::string>()); }

json moneyOrNull(const std::optional<std::int64_t>& fen) {
  return fen ? json(sdk::Money::fromFen(*fen).toString()) : json(nullptr);
}

/// A PATCH body names at least one field (the schema cannot say so): 400 on "(body)".
void requireSomeField(const json& body) {
  if (body.is_object() && !body.empty()) return;
  throw sdk::ValidationError("(body)", "at-least-one", "name at least one field to correct", 400);
}

/// The next number of the county's credit-code sequence.
std::int64_t nextSequence(soci::session& db, const std::string& county) {
  long long last = 0;
  db << "SELECT last_value FROM so_counters WHERE county_code = :c", soci::into(last),
      soci::use(county);
  if (!db.got_data()) {
    db << "INSERT INTO so_counters (county_code, last_value) VALUES (:c, 1)", soci::use(county);
    return 1;
  }
  ++last;
  db << "UPDATE so_counters SET last_value = :v WHERE county_code = :c", soci::use(last),
      soci::use(county);
  return last;
}

}  // namespace

json organisationRow(const soci::row& row) {
  using namespace sdk::sql;
  return sdk::jsonObject(
      {{"id", int64At(row, 0)},
       {"type", textAt(row, 1)},
       {"name", textAt(row, 2)},
       {"sector", textOrNullAt(row, 3)},
       {"foundation_kind", textOrNullAt(row, 4)},
       {"sponsor_unit", textOrNullAt(row, 5)},
       {"legal_representative", {{"citizen_id", textAt(row, 6)}, {"name", textAt(row, 7)}}},
       {"address", textAt(row, 8)},
       {"township", textAt(row, 9)},
       {"individual_members", int64At(row, 10)},
       {"unit_members", int64At(row, 11)},
       {"funds", sdk::Money::fromFen(int64At(row, 12)).toString()},
       {"non_state_assets", moneyOrNull(optionalInt64At(row, 13))},
       {"rural_association", int64At(row, 14) != 0},
       // 撤销登记 ends the registration like 注销 (status 'deregistered' in the table, which
       // its CHECK keeps) and is answered as its own status.
       {"status", optionalTextAt(row, 27) ? std::string("revoked") : textAt(row, 15)},
       {"complete_on", textAt(row, 16)},
       {"decision_due", textAt(row, 17)},
       {"decided_on", textOrNullAt(row, 18)},
       {"refusal_ground", textOrNullAt(row, 19)},
       {"uscc", textOrNullAt(row, 20)},
       {"registered_on", textOrNullAt(row, 21)},
       {"first_activity_on", textOrNullAt(row, 22)},
       {"liquidation_ended_on", textOrNullAt(row, 23)},
       {"deregistration_due", textOrNullAt(row, 24)},
       {"deregistered_on", textOrNullAt(row, 25)},
       {"announced_on", textOrNullAt(row, 26)},
       {"revoked_on", textOrNullAt(row, 27)},
       {"business_scope", textOrNullAt(row, 28)}});
}

json SocialOrgsPlugin::organisationJson(sdk::Request& request, std::int64_t id) const {
  sdk::ListQuery query("o.county_code", request.county());
  query.add("o.id = " + query.number(id));
  soci::rowset<soci::row> rows =
      query.rows(request.db(), std::string("SELECT ") + kOrganisationColumns +
                                   " FROM so_organisations o" + query.clause());
  for (const auto& row : rows) return organisationRow(row);
  throw sdk::NotFound("no organisation " + std::to_string(id));
}

Organisation SocialOrgsPlugin::organisationAt(sdk::Request& request) const {
  const long long id = request.pathId("id");
  soci::rowset<soci::row> rows =
      (request.db().prepare << "SELECT id, type, status, township, registered_on FROM"
                               " so_organisations WHERE county_code = :c AND id = :id",
       soci::use(request.county()), soci::use(id));
  for (const auto& row : rows) {
    Organisation found{sdk::sql::int64At(row, 0), sdk::sql::textAt(row, 1),
                       sdk::sql::textAt(row, 2), sdk::sql::textAt(row, 3), std::nullopt};
    if (auto on = sdk::sql::optionalTextAt(row, 4)) found.registered_on = sdk::Date::parse(*on);
    sdk::requireTownship(request.caller(), found.township, "organisation " + std::to_string(id));
    return found;
  }
  throw sdk::NotFound("no organisation " + std::to_string(id) + " in county " + request.county());
}

void SocialOrgsPlugin::checkRegistration(sdk::Request& request, const json& body, sdk::Date on,
                                         std::int64_t except) const {
  const auto& policy = context_->policy();
  const std::string& county = request.county();
  RegistrationFacts facts;
  facts.type = body["type"];
  facts.name = body["name"];
  facts.individual_members = body.value("individual_members", 0);
  facts.unit_members = body.value("unit_members", 0);
  facts.funds = moneyOf(body["funds"]);
  if (body.contains("non_state_assets") && !body["non_state_assets"].is_null())
    facts.non_state_assets = moneyOf(body["non_state_assets"]);
  if (body.contains("sponsor_unit") && !body["sponsor_unit"].is_null())
    facts.sponsor_unit = body["sponsor_unit"];
  if (body.contains("foundation_kind") && !body["foundation_kind"].is_null())
    facts.foundation_kind = body["foundation_kind"];
  RegistrationMinimums minimums;
  minimums.individual_members = policy.get(kGroupMinIndividualMembers, county, on);
  minimums.unit_members = policy.get(kGroupMinUnitMembers, county, on);
  minimums.mixed_members = policy.get(kGroupMinMixedMembers, county, on);
  std::vector<sdk::FieldError> problems;
  if (facts.type == kGroup) {
    minimums.funds = policy.get(kGroupMinFunds, county, on);
  } else if (facts.type == kPne) {
    const std::string sector =
        body.contains("sector") && !body["sector"].is_null() ? body["sector"] : "";
    if (sector.empty())
      problems.push_back(
          {"sector", "sector-required", "a 民非's start-up funds minimum depends on its sector"});
    else
      minimums.funds = policy.get(pneMinFunds(sector), county, on);
  } else {
    minimums.funds = policy.get(facts.foundation_kind == "non_public" ? kFoundationMinFundsNonPublic
                                                                      : kFoundationMinFundsPublic,
                                county, on);
  }
  for (auto& problem : registrationProblems(facts, minimums)) problems.push_back(problem);
  if (facts.type == kGroup) {
    const std::string citizen = body["legal_representative"]["citizen_id"];
    const long long skip = except;
    std::string other;
    request.db() << "SELECT name FROM so_organisations WHERE county_code = :c AND type = 'group'"
                    " AND rep_citizen_id = :r AND status IN ('applied', 'registered',"
                    " 'liquidating') AND id <> :id",
        soci::into(other), soci::use(county), soci::use(citizen), soci::use(skip);
    if (request.db().got_data())
      problems.push_back({"legal_representative.citizen_id", "one-group-per-representative",
                          "the legal representative already represents the social group " + other +
                              " (社会团体登记管理条例 §25)"});
  }
  if (!problems.empty()) throw sdk::ValidationError(std::move(problems));
}

sdk::Response SocialOrgsPlugin::apply(sdk::Request& request) {
  auto& db = request.db();
  const json& body = request.body();
  const std::string type = body["type"], name = body["name"], township = body["township"];
  sdk::requireTownship(request.caller(), township, "organisation " + name);
  sdk::Date complete_on = request.today();
  if (body.contains("complete_on")) {
    complete_on = *sdk::Date::parse(body["complete_on"].get<std::string>());
    if (complete_on > request.today())
      throw sdk::ValidationError("complete_on", "not-in-future",
                                 "the documents cannot be complete after today");
  }
  checkRegistration(request, body, complete_on, 0);
  if (type != kPne && body.contains("sector"))
    throw sdk::ValidationError("sector", "pne-only", "only a 民非 has a sector");
  if (type != kFoundation && body.contains("foundation_kind"))
    throw sdk::ValidationError("foundation_kind", "foundation-only",
                               "only a foundation is public or non-public");
  const bool rural = body.value("rural_association", false);
  if (rural && type != kGroup)
    throw sdk::ValidationError("rural_association", "group-only",
                               "a rural professional economic association is a social group");
  long long same_name = 0;
  db << "SELECT COUNT(*) FROM so_organisations WHERE county_code = :c AND name = :n AND status"
        " IN ('applied', 'registered', 'liquidating')",
      soci::into(same_name), soci::use(request.county()), soci::use(name);
  if (same_name > 0)
    throw sdk::ValidationError("name", "unique-name",
                               "an organisation named " + name + " is registered or applied for");
  const auto days = context_->policy().get(kDecisionDays, request.county(), complete_on);
  const std::string complete = complete_on.toString(),
                    due = decisionDue(complete_on, static_cast<int>(days)).toString();
  std::string sector = body.value("sector", ""), kind = body.value("foundation_kind", ""),
              sponsor = body.value("sponsor_unit", "");
  soci::indicator sector_i = sector.empty() ? soci::i_null : soci::i_ok,
                  kind_i = kind.empty() ? soci::i_null : soci::i_ok,
                  sponsor_i = sponsor.empty() ? soci::i_null : soci::i_ok;
  long long non_state = 0;
  soci::indicator non_state_i = soci::i_null;
  if (body.contains("non_state_assets")) {
    non_state = moneyOf(body["non_state_assets"]).fen();
    non_state_i = soci::i_ok;
  }
  const std::string rep_id = body["legal_representative"]["citizen_id"],
                    rep_name = body["legal_representative"]["name"], address = body["address"];
  const long long individuals = body.value("individual_members", 0),
                  units = body.value("unit_members", 0), funds = moneyOf(body["funds"]).fen();
  const int rural_flag = rural ? 1 : 0;
  long long id = 0;
  db << "INSERT INTO so_organisations (county_code, type, name, sector, foundation_kind,"
        " sponsor_unit, rep_citizen_id, rep_name, address, township, individual_members,"
        " unit_members, funds_fen, non_state_fen, rural_association, status, complete_on,"
        " decision_due) VALUES (:county, :type, :name, :sector, :kind, :sponsor, :rep, :rep_name,"
        " :address, :township, :ind, :units, :funds, :non_state, :rural, 'applied', :complete,"
        " :due) RETURNING id",
      soci::use(request.county()), soci::use(type), soci::use(name), soci::use(sector, sector_i),
      soci::use(kind, kind_i), soci::use(sponsor, sponsor_i), soci::use(rep_id),
      soci::use(rep_name), soci::use(address), soci::use(township), soci::use(individuals),
      soci::use(units), soci::use(funds), soci::use(non_state, non_state_i), soci::use(rural_flag),
      soci::use(complete), soci::use(due), soci::into(id);
  const json created = organisationJson(request, id);
  request.audit({sizeof(sdk::AuditRecord), "organisation.apply", "organisation", std::to_string(id),
                 sdk::changedFields(nullptr, created)});
  return sdk::Response::created(created, "/organisations/" + std::to_string(id));
}

sdk::Response SocialOrgsPlugin::decide(sdk::Request& request) {
  auto& db = request.db();
  const auto found = organisationAt(request);
  if (found.status != "applied")
    throw sdk::Conflict("organisation " + std::to_string(found.id) + " is already " + found.status);
  const json& body = request.body();
  const json before = organisationJson(request, found.id);
  const std::string decision = body["decision"], today = request.today().toString();
  const long long key = found.id;
  if (decision == "refuse") {
    if (!body.contains("refusal_ground"))
      throw sdk::ValidationError("refusal_ground", "ground-required",
                                 "a refusal names its ground (社团 §13; 民非 §11)");
    if (body.contains("uscc"))
      throw sdk::ValidationError("uscc", "registered-only", "a refused body gets no code");
    const std::string ground = body["refusal_ground"];
    db << "UPDATE so_organisations SET status = 'refused', decided_on = :d, refusal_ground = :g"
          " WHERE id = :id",
        soci::use(today), soci::use(ground), soci::use(key);
  } else {
    if (body.contains("refusal_ground"))
      throw sdk::ValidationError("refusal_ground", "refusal-only",
                                 "a ground is given only with a refusal");
    std::string code;
    if (body.contains("uscc")) {
      code = body["uscc"];
      if (auto problem = usccProblem(code, found.type))
        throw sdk::ValidationError(problem->field, problem->rule, problem->message);
      long long taken = 0;
      db << "SELECT COUNT(*) FROM so_organisations WHERE uscc = :u", soci::into(taken),
          soci::use(code);
      if (taken > 0)
        throw sdk::ValidationError("uscc", "unique-uscc", "code " + code + " is taken");
    } else {
      code = assignedUscc(found.type, request.county(), nextSequence(db, request.county()));
    }
    db << "UPDATE so_organisations SET status = 'registered', decided_on = :d, registered_on ="
          " :r, uscc = :u WHERE id = :id",
        soci::use(today), soci::use(today), soci::use(code), soci::use(key);
  }
  const json after = organisationJson(request, found.id);
  request.audit({sizeof(sdk::AuditRecord), "organisation.decide", "organisation",
                 std::to_string(found.id), sdk::changedFields(before, after)});
  return sdk::Response::ok(after);
}

sdk::Response SocialOrgsPlugin::listOrganisations(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kOrganisationList);
  sdk::ListQuery query("o.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "o.township"));
  if (auto type = request.queryParam("type")) query.add("o.type = " + query.text(*type));
  if (auto status = request.queryParam("status")) {
    if (*status == "revoked")
      query.add("o.revoked_on IS NOT NULL");
    else
      query.add("o.status = " + query.text(*status) + " AND o.revoked_on IS NULL");
  }
  if (auto township = request.queryParam("township"))
    query.add("o.township = " + query.text(*township));
  if (auto name = request.queryParam("name")) query.add("o.name " + query.containing(*name));
  if (auto code = request.queryParam("uscc")) query.add("o.uscc = " + query.text(*code));
  if (auto rural = request.queryParam("rural_association"))
    query.add(std::string("o.rural_association = ") + (*rural == "true" ? "1" : "0"));
  const auto total = query.count(*lists_, db, " FROM so_organisations o");
  soci::rowset<soci::row> rows =
      query.rows(db, std::string("SELECT ") + kOrganisationColumns + " FROM so_organisations o" +
                         query.clause() + " AND " + page.keysetCondition("o.id") +
                         page.orderAndLimit({{"id", "o.id"},
                                             {"name", "o.name"},
                                             {"township", "o.township"},
                                             {"type", "o.type"},
                                             {"status", "o.status"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    items.push_back(organisationRow(row));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response SocialOrgsPlugin::correctOrganisation(sdk::Request& request) {
  auto& db = request.db();
  const auto found = organisationAt(request);
  const json& patch = request.body();
  requireSomeField(patch);
  const json before = organisationJson(request, found.id);
  // The application as it would read after the correction, checked like a new one.
  json merged = before;
  for (const auto& item : patch.items()) merged[item.key()] = item.value();
  if (patch.contains("township"))
    sdk::requireTownship(request.caller(), merged["township"].get<std::string>(),
                         "organisation " + std::to_string(found.id));
  if (merged["rural_association"].get<bool>() && found.type != kGroup)
    throw sdk::ValidationError("rural_association", "group-only",
                               "a rural professional economic association is a social group");
  if (patch.contains("non_state_assets") && found.type != kPne)
    throw sdk::ValidationError("non_state_assets", "pne-only", "only a 民非 declares them");
  if (patch.contains("first_activity_on")) {
    const auto on = *sdk::Date::parse(merged["first_activity_on"].get<std::string>());
    if (!found.registered_on || on < *found.registered_on || on > request.today())
      throw sdk::ValidationError("first_activity_on", "activity-after-registration",
                                 "an activity is dated between registration and today");
  }
  const json changes = sdk::changedFields(before, merged);
  if (changes.empty()) {
    std::vector<sdk::FieldError> errors;
    for (const auto& item : patch.items())
      errors.push_back({item.key(), "unchanged", "the record already holds this value"});
    throw sdk::ValidationError(std::move(errors));
  }
  checkRegistration(request, merged, request.today(), found.id);
  const std::string name = merged["name"], address = merged["address"],
                    township = merged["township"],
                    rep_id = merged["legal_representative"]["citizen_id"],
                    rep_name = merged["legal_representative"]["name"];
  std::string sponsor = merged["sponsor_unit"].is_null() ? "" : merged["sponsor_unit"];
  soci::indicator sponsor_i = sponsor.empty() ? soci::i_null : soci::i_ok;
  const long long individuals = merged["individual_members"], units = merged["unit_members"],
                  funds = moneyOf(merged["funds"]).fen(), key = found.id;
  long long non_state = 0;
  soci::indicator non_state_i = soci::i_null;
  if (!merged["non_state_assets"].is_null()) {
    non_state = moneyOf(merged["non_state_assets"]).fen();
    non_state_i = soci::i_ok;
  }
  std::string activity =
      merged["first_activity_on"].is_null() ? "" : merged["first_activity_on"].get<std::string>();
  soci::indicator activity_i = activity.empty() ? soci::i_null : soci::i_ok;
  const int rural = merged["rural_association"].get<bool>() ? 1 : 0;
  db << "UPDATE so_organisations SET name = :n, sponsor_unit = :s, rep_citizen_id = :r,"
        " rep_name = :rn, address = :a, township = :t, individual_members = :i,"
        " unit_members = :u, funds_fen = :f, non_state_fen = :ns, rural_association = :ru,"
        " first_activity_on = :fa WHERE id = :id",
      soci::use(name), soci::use(sponsor, sponsor_i), soci::use(rep_id), soci::use(rep_name),
      soci::use(address), soci::use(township), soci::use(individuals), soci::use(units),
      soci::use(funds), soci::use(non_state, non_state_i), soci::use(rural),
      soci::use(activity, activity_i), soci::use(key);
  const json after = organisationJson(request, found.id);
  request.audit({sizeof(sdk::AuditRecord), "organisation.correct", "organisation",
                 std::to_string(found.id), sdk::changedFields(before, after)});
  return sdk::Response::ok(after);
}

}  // namespace civ::plugins::social_orgs
