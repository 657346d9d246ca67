// Beneficiaries (一人一档, 退役军人保障法 §8): one file per registry person and county with the
// category (§2), the §62 group, the service record and awards, the disability and its
// assessments over time (§27, §29), the link of a survivor to the fallen serviceman, the
// documents checklist, the bank account and an agent who collects the money. Corrections apply
// the rules again and adjust months already run; everything is audited.
#include <algorithm>
#include <map>
#include <set>

#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/clock.h>
#include <civ/sdk/context.h>
#include <civ/sdk/correction.h>
#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/list.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/persons.h>
#include <civ/sdk/policy.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/sql_json.h>

#include "entitlement_store.h"
#include "parameters.h"
#include "veterans_plugin.h"
#include "veterans_rules.h"

namespace civ::plugins::veterans {

namespace {

using nlohmann::json;

/// The fields a clerk types and may correct, as one JSON object (the audit compares them).
const char* kCorrectable[] = {"category",
                              "subsidy_group",
                              "hukou",
                              "township",
                              "village",
                              "address",
                              "phone",
                              "enlisted_on",
                              "discharged_on",
                              "rank_type",
                              "awards",
                              "disability",
                              "fallen_id",
                              "relationship",
                              "documents",
                              "bank_name",
                              "bank_account",
                              "agent",
                              "transfer_received_on"};

bool isSurvivorCategory(const std::string& category) {
  return category == "martyr_survivor" || category == "duty_death_survivor" ||
         category == "illness_death_survivor";
}

std::string joined(const json& list) {
  std::string text;
  for (const auto& item : list) text += (text.empty() ? "" : ",") + item.get<std::string>();
  return text;
}
json split(const std::string& text) {
  json list = json::array();
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find(',', start);
    list.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return list;
}

/// A nullable text column's value and indicator.
struct Nullable {
  std::string text;
  soci::indicator indicator = soci::i_null;
};
Nullable nullableText(const json& value) {
  if (value.is_null()) return {};
  return {value.get<std::string>(), soci::i_ok};
}
struct NullableId {
  long long value = 0;
  soci::indicator indicator = soci::i_null;
};

/// The facts the rules read from a file's state (see kCorrectable) and the registry person.
BeneficiaryFacts factsOf(const json& state, sdk::Date birth_date,
                         const std::string& fallen_death_kind) {
  BeneficiaryFacts facts;
  facts.category = state["category"];
  facts.subsidy_group = state["subsidy_group"].is_null() ? "" : state["subsidy_group"];
  facts.hukou = state["hukou"];
  facts.relationship = state["relationship"].is_null() ? "" : state["relationship"];
  facts.birth_date = birth_date;
  if (!state["enlisted_on"].is_null()) facts.enlisted_on = dateOf(state["enlisted_on"]);
  if (!state["disability"].is_null()) {
    const json& d = state["disability"];
    facts.disability =
        Disability{d["nature"], d["grade"].get<int>(), d.value("mental_illness", false)};
  }
  facts.fallen_death_kind = fallen_death_kind;
  return facts;
}

/// The fallen record a survivor's file names: its death kind ("" when none is named).
std::string fallenDeathKind(soci::session& db, const std::string& county, const json& fallen_id) {
  if (fallen_id.is_null()) return "";
  const long long key = fallen_id.get<std::int64_t>();
  std::string kind;
  db << "SELECT death_kind FROM vt_fallen WHERE id = :id AND county_code = :c", soci::into(kind),
      soci::use(key), soci::use(county);
  if (!db.got_data())
    throw sdk::ValidationError("fallen_id", "known-fallen",
                               "no fallen serviceman " + std::to_string(key) + " in county " +
                                   county + " (POST /fallen first)");
  return kind;
}

/// Every rule a file's state must satisfy, checked again on each correction.
void checkFile(const json& state, const sdk::Person& person, const std::string& fallen_kind,
               sdk::Date today) {
  const std::string category = state["category"];
  std::vector<sdk::FieldError> errors;
  // Survivors link to the fallen serviceman whose death kind their category names; no one else
  // does.
  if (isSurvivorCategory(category)) {
    if (state["fallen_id"].is_null())
      errors.push_back({"fallen_id", "survivor-of-fallen",
                        "a survivor's file links to the fallen serviceman's record"});
    else if (survivorCategory(fallen_kind) != category)
      errors.push_back({"category", "survivor-of-fallen",
                        "the fallen serviceman's death kind is " + fallen_kind +
                            ": the category "
                            "is " +
                            survivorCategory(fallen_kind)});
    if (state["relationship"].is_null())
      errors.push_back({"relationship", "required", "a survivor's relationship to the fallen"});
  } else if (!state["fallen_id"].is_null()) {
    errors.push_back(
        {"fallen_id", "survivor-of-fallen", "only a survivor's file links to a fallen serviceman"});
  }
  // 残疾军人 and a disability assessment go together.
  const bool disabled = category == "disabled_serviceman";
  if (disabled != !state["disability"].is_null())
    errors.push_back({"disability", "disability-category",
                      disabled ? "a disabled serviceman's file records the disability"
                               : "a disability is recorded for the category disabled_serviceman"});
  if (!state["disability"].is_null()) {
    const json& d = state["disability"];
    try {
      requirePensionableGrade({d["nature"], d["grade"].get<int>(), false}, "disability.grade");
    } catch (const sdk::ValidationError& error) {
      for (const auto& field : error.fieldErrors()) errors.push_back(field);
    }
    const auto assessed = dateOf(d["assessed_on"]);
    if (assessed > today)
      errors.push_back({"disability.assessed_on", "not-in-future", "the date is after today"});
    if (assessed < person.birth_date)
      errors.push_back({"disability.assessed_on", "after-birth", "the date is before the birth"});
  }
  // The §62 groups are retired servicemen's, except 烈士子女.
  if (!state["subsidy_group"].is_null()) {
    const std::string group = state["subsidy_group"];
    const bool child = category == "martyr_survivor" && state["relationship"] == "child";
    if (group == "martyr_child_60" ? !child
                                   : category != "veteran" && category != "disabled_serviceman")
      errors.push_back({"subsidy_group", "subsidy-group",
                        group == "martyr_child_60"
                            ? "烈士子女 is a martyr's survivor whose relationship is child"
                            : "group " + group + " is of retired servicemen (退役军人, 残疾军人)"});
  }
  // The service record.
  std::optional<sdk::Date> enlisted, discharged;
  if (!state["enlisted_on"].is_null()) enlisted = dateOf(state["enlisted_on"]);
  if (!state["discharged_on"].is_null()) discharged = dateOf(state["discharged_on"]);
  if (discharged && !enlisted)
    errors.push_back({"enlisted_on", "service-dates", "a discharge needs the enlistment date"});
  if (enlisted && discharged && *discharged < *enlisted)
    errors.push_back({"discharged_on", "service-dates", "the discharge is before the enlistment"});
  for (const auto& [field, date] :
       {std::pair{"enlisted_on", enlisted}, {"discharged_on", discharged}}) {
    if (!date) continue;
    if (*date > today) errors.push_back({field, "not-in-future", "the date is after today"});
    if (*date < person.birth_date)
      errors.push_back({field, "after-birth", "the date is before the birth"});
  }
  if (category == "veteran" || category == "disabled_serviceman") {
    // A retired serviceman's file says when he left (the survivors' and families' need not).
    if (category == "veteran" && !discharged)
      errors.push_back({"discharged_on", "required", "a veteran's file records the discharge"});
  }
  if (!state["transfer_received_on"].is_null() && dateOf(state["transfer_received_on"]) > today)
    errors.push_back({"transfer_received_on", "not-in-future", "the date is after today"});
  // Documents once each; a bank account with its bank.
  std::set<std::string> seen;
  for (const auto& document : state["documents"])
    if (!seen.insert(document.get<std::string>()).second)
      errors.push_back(
          {"documents", "unique", "'" + document.get<std::string>() + "' is listed twice"});
  if (!state["bank_account"].is_null() && state["bank_name"].is_null())
    errors.push_back({"bank_name", "required", "the bank of the account"});
  if (!state["bank_account"].is_null()) {
    const std::string account = state["bank_account"];
    if (account.size() < 8 ||
        !std::all_of(account.begin(), account.end(), [](char c) { return c >= '0' && c <= '9'; }))
      errors.push_back({"bank_account", "account-digits",
                        "a bank account (一卡通) is 8 or more digits, without spaces"});
  }
  if (!errors.empty()) throw sdk::ValidationError(std::move(errors));
}

/// The agent (代领人) a state names, registered in the registry: its id.
NullableId agentOf(sdk::Context& context, soci::session& db, const json& state,
                   std::int64_t person_id) {
  if (state["agent"].is_null()) return {};
  const json& agent = state["agent"];
  const auto registered =
      context.persons().ensureRegistered(db, agent["citizen_id"].get<std::string>(),
                                         agent["name"].get<std::string>(), "agent.citizen_id");
  if (registered.id == person_id)
    throw sdk::ValidationError("agent.citizen_id", "agent-other-person",
                               "the agent is someone other than the beneficiary");
  if (registered.deceased())
    throw sdk::ValidationError("agent.citizen_id", "deceased", "the agent is recorded deceased");
  return {registered.id, soci::i_ok};
}

/// Writes the correctable columns of `state` to the file `id`.
void writeState(soci::session& db, long long id, const json& state, const NullableId& agent,
                const std::string& missing) {
  const std::string category = state["category"], hukou = state["hukou"],
                    township = state["township"], village = state["village"],
                    address = state["address"], awards = state["awards"].dump(),
                    documents = joined(state["documents"]);
  auto group = nullableText(state["subsidy_group"]), phone = nullableText(state["phone"]),
       enlisted = nullableText(state["enlisted_on"]),
       discharged = nullableText(state["discharged_on"]), rank = nullableText(state["rank_type"]),
       relationship = nullableText(state["relationship"]),
       bank_name = nullableText(state["bank_name"]),
       bank_account = nullableText(state["bank_account"]),
       transfer = nullableText(state["transfer_received_on"]);
  Nullable agent_relationship;
  if (!state["agent"].is_null())
    agent_relationship = {state["agent"]["relationship"].get<std::string>(), soci::i_ok};
  NullableId fallen;
  if (!state["fallen_id"].is_null()) fallen = {state["fallen_id"].get<long long>(), soci::i_ok};
  long long agent_id = agent.value, fallen_id = fallen.value;
  soci::indicator agent_ind = agent.indicator, fallen_ind = fallen.indicator;
  db << "UPDATE vt_beneficiaries SET category = :cat, subsidy_group = :g, hukou = :h,"
        " township = :t, village = :v, address = :a, phone = :p, enlisted_on = :en,"
        " discharged_on = :di, rank_type = :r, awards = :aw, fallen_id = :f, relationship = :rel,"
        " documents = :doc, missing_documents = :mis, bank_name = :bn, bank_account = :ba,"
        " agent_person_id = :ag, agent_relationship = :ar, transfer_received_on = :tr WHERE id ="
        " :id",
      soci::use(category), soci::use(group.text, group.indicator), soci::use(hukou),
      soci::use(township), soci::use(village), soci::use(address),
      soci::use(phone.text, phone.indicator), soci::use(enlisted.text, enlisted.indicator),
      soci::use(discharged.text, discharged.indicator), soci::use(rank.text, rank.indicator),
      soci::use(awards), soci::use(fallen_id, fallen_ind),
      soci::use(relationship.text, relationship.indicator), soci::use(documents),
      soci::use(missing), soci::use(bank_name.text, bank_name.indicator),
      soci::use(bank_account.text, bank_account.indicator), soci::use(agent_id, agent_ind),
      soci::use(agent_relationship.text, agent_relationship.indicator),
      soci::use(transfer.text, transfer.indicator), soci::use(id);
}

void insertAssessment(soci::session& db, long long beneficiary, const json& disability,
                      const std::string& effective_month, const std::string& reason,
                      const std::string& user, const std::string& today) {
  const std::string nature = disability["nature"], certificate = disability["certificate_number"],
                    assessed = disability["assessed_on"];
  const int grade = disability["grade"].get<int>();
  const int mental = disability.value("mental_illness", false) ? 1 : 0;
  db << "INSERT INTO vt_disability_assessments (beneficiary_id, nature, grade, mental_illness,"
        " certificate_number, assessed_on, effective_month, reason, recorded_by, recorded_on)"
        " VALUES (:b, :n, :g, :m, :c, :a, :e, :r, :u, :d)",
      soci::use(beneficiary), soci::use(nature), soci::use(grade), soci::use(mental),
      soci::use(certificate), soci::use(assessed), soci::use(effective_month), soci::use(reason),
      soci::use(user), soci::use(today);
}

json assessmentJson(const AssessmentRow& a) {
  return {{"nature", a.disability.nature},
          {"grade", a.disability.grade},
          {"mental_illness", a.disability.mental_illness},
          {"certificate_number", a.certificate_number},
          {"assessed_on", a.assessed_on.toString()},
          {"effective_month", a.effective_month.toString()}};
}

const char* kFileColumns =
    "SELECT b.id, b.number, b.person_id, p.citizen_id, p.name, b.category, b.subsidy_group,"
    " b.hukou, b.township, b.village, b.address, b.phone, b.enlisted_on, b.discharged_on,"
    " b.rank_type, b.awards, b.fallen_id, b.relationship, b.documents, b.missing_documents,"
    " b.bank_name, b.bank_account, b.agent_person_id, a.citizen_id, a.name,"
    " b.agent_relationship, b.transfer_received_on, b.status, b.death_date, b.registered_on,"
    " b.registered_by FROM vt_beneficiaries b JOIN civ_persons p ON p.id = b.person_id LEFT JOIN"
    " civ_persons a ON a.id = b.agent_person_id";

json fileRow(const soci::row& row, sdk::Date today) {
  const json awards = json::parse(sdk::sql::textAt(row, 15));
  const auto highest = highestHonour(awardsOf(awards));
  std::optional<sdk::Date> enlisted, discharged;
  if (auto text = sdk::sql::optionalTextAt(row, 12)) enlisted = sdk::Date::parse(*text);
  if (auto text = sdk::sql::optionalTextAt(row, 13)) discharged = sdk::Date::parse(*text);
  json agent = nullptr;
  if (auto agent_id = sdk::sql::optionalInt64At(row, 22))
    agent = {{"person_id", *agent_id},
             {"citizen_id", sdk::sql::textAt(row, 23)},
             {"name", sdk::sql::textAt(row, 24)},
             {"relationship", sdk::sql::textAt(row, 25)}};
  const json missing = split(sdk::sql::textAt(row, 19));
  const auto fallen = sdk::sql::optionalInt64At(row, 16);
  return sdk::jsonObject(
      {{"id", sdk::sql::int64At(row, 0)},
       {"number", sdk::sql::textAt(row, 1)},
       {"person_id", sdk::sql::int64At(row, 2)},
       {"citizen_id", sdk::sql::textAt(row, 3)},
       {"name", sdk::sql::textAt(row, 4)},
       {"category", sdk::sql::textAt(row, 5)},
       {"subsidy_group", sdk::sql::textOrNullAt(row, 6)},
       {"hukou", sdk::sql::textAt(row, 7)},
       {"township", sdk::sql::textAt(row, 8)},
       {"village", sdk::sql::textAt(row, 9)},
       {"address", sdk::sql::textAt(row, 10)},
       {"phone", sdk::sql::textOrNullAt(row, 11)},
       {"enlisted_on", enlisted ? json(enlisted->toString()) : json(nullptr)},
       {"discharged_on", discharged ? json(discharged->toString()) : json(nullptr)},
       {"service_years",
        enlisted ? json(serviceYears(*enlisted, discharged, today)) : json(nullptr)},
       {"rank_type", sdk::sql::textOrNullAt(row, 14)},
       {"awards", awards},
       {"highest_honour", highest ? json(highest->code) : json(nullptr)},
       {"disability", nullptr},
       {"fallen_id", fallen ? json(*fallen) : json(nullptr)},
       {"relationship", sdk::sql::textOrNullAt(row, 17)},
       {"documents", split(sdk::sql::textAt(row, 18))},
       {"missing_documents", missing},
       {"complete", missing.empty()},
       {"bank_name", sdk::sql::textOrNullAt(row, 20)},
       {"bank_account", sdk::sql::textOrNullAt(row, 21)},
       {"agent", agent},
       {"transfer_received_on", sdk::sql::textOrNullAt(row, 26)},
       {"status", sdk::sql::textAt(row, 27)},
       {"death_date", sdk::sql::textOrNullAt(row, 28)},
       {"registered_on", sdk::sql::textAt(row, 29)},
       {"registered_by", sdk::sql::textAt(row, 30)}});
}

}  // namespace

json fileState(const json& file) {
  json state = json::object();
  for (const char* key : kCorrectable) state[key] = file[key];
  if (!state["disability"].is_null()) {
    json d = state["disability"];
    d.erase("effective_month");
    state["disability"] = d;
  }
  if (!state["agent"].is_null())
    state["agent"] = {{"citizen_id", file["agent"]["citizen_id"]},
                      {"name", file["agent"]["name"]},
                      {"relationship", file["agent"]["relationship"]}};
  return state;
}

namespace {

/// Settles every paying entitlement of a file after a change of its facts.
json settleFile(sdk::Context& context, sdk::Request& request, std::int64_t beneficiary_id,
                const std::string& source, const std::string& reason) {
  json made = json::array();
  std::vector<std::int64_t> ids;
  const long long key = beneficiary_id;
  soci::rowset<soci::row> rows =
      (request.db().prepare << "SELECT id FROM vt_entitlements WHERE beneficiary_id = :b AND"
                               " start_month IS NOT NULL",
       soci::use(key));
  for (const auto& row : rows) ids.push_back(sdk::sql::int64At(row, 0));
  for (const auto id : ids) {
    const auto entitlement = findEntitlement(request.db(), request.county(), id);
    if (!entitlement || !isPeriodic(entitlement->type)) continue;
    for (auto& adjustment : settle(request.db(), context, scheduleOf(request.db(), *entitlement),
                                   source, reason, request.caller().user, request.today(),
                                   [&](const sdk::AuditRecord& record) { request.audit(record); }))
      made.push_back(adjustment);
  }
  return made;
}

/// The open periodic entitlements of a file must still fit it after a correction.
void requireOpenEntitlementsFit(soci::session& db, std::int64_t beneficiary_id,
                                const BeneficiaryFacts& facts, sdk::Date today) {
  const long long key = beneficiary_id;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT type, number FROM vt_entitlements WHERE beneficiary_id = :b AND"
                     " status IN ('proposed', 'active')",
       soci::use(key));
  for (const auto& row : rows) {
    const std::string type = sdk::sql::textAt(row, 0);
    if (!isPeriodic(type)) continue;
    try {
      requireEntitlementFits(type, facts, today);
    } catch (const sdk::ValidationError& error) {
      const auto& first = error.fieldErrors().front();
      throw sdk::ValidationError("(body)", first.rule,
                                 "entitlement " + sdk::sql::textAt(row, 1) + " (" + type +
                                     ") would no longer fit the file: " + first.message +
                                     "; cancel it first (POST /entitlements/{id}/cancellation)");
    }
  }
}

}  // namespace

json VeteransPlugin::beneficiaryJson(soci::session& db, std::int64_t id) const {
  const long long key = id;
  json body;
  soci::rowset<soci::row> rows =
      (db.prepare << std::string(kFileColumns) + " WHERE b.id = :id", soci::use(key));
  for (const auto& row : rows) body = fileRow(row, context_->clock().today());
  if (body.is_null()) throw sdk::NotFound("no beneficiary " + std::to_string(id));
  json history = json::array();
  const auto assessments = assessmentsOf(db, id);
  for (const auto& assessment : assessments) history.push_back(assessmentJson(assessment));
  if (!assessments.empty()) body["disability"] = history.back();
  body["disability_history"] = history;
  json entitlements = json::array();
  soci::rowset<soci::row> owned =
      (db.prepare << "SELECT id, number, type, status FROM vt_entitlements WHERE beneficiary_id ="
                     " :b ORDER BY id",
       soci::use(key));
  for (const auto& row : owned)
    entitlements.push_back(sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                                            {"number", sdk::sql::textAt(row, 1)},
                                            {"type", sdk::sql::textAt(row, 2)},
                                            {"status", sdk::sql::textAt(row, 3)}}));
  body["entitlements"] = entitlements;
  return body;
}

std::int64_t VeteransPlugin::insertFile(sdk::Request& request, const sdk::Person& person,
                                        json state, sdk::Date registered_on,
                                        const std::string& action, const json& audit_extra) {
  sdk::Context& context = *context_;
  auto& db = request.db();
  const sdk::Date today = request.today();
  if (state["awards"].is_null()) state["awards"] = json::array();
  if (state["documents"].is_null()) state["documents"] = json::array();
  const auto fallen_kind = fallenDeathKind(db, request.county(), state["fallen_id"]);
  checkFile(state, person, fallen_kind, today);
  const auto facts = factsOf(state, person.birth_date, fallen_kind);
  const auto missing = missingDocuments(facts, state["documents"].get<std::vector<std::string>>());
  const auto agent = agentOf(context, db, state, person.id);
  const std::string number = nextNumber(db, request.county(), "YF", registered_on.year());
  const long long person_key = person.id;
  const std::string day = registered_on.toString(), category = state["category"],
                    hukou = state["hukou"], township = state["township"],
                    village = state["village"], address = state["address"];
  long long id = 0;
  db << "INSERT INTO vt_beneficiaries (county_code, number, person_id, category, hukou, township,"
        " village, address, awards, documents, missing_documents, status, registered_on,"
        " registered_by) VALUES (:c, :n, :p, :cat, :h, :t, :v, :a, '[]', '', '', 'active', :d,"
        " :u) RETURNING id",
      soci::use(request.county()), soci::use(number), soci::use(person_key), soci::use(category),
      soci::use(hukou), soci::use(township), soci::use(village), soci::use(address), soci::use(day),
      soci::use(request.caller().user), soci::into(id);
  json missing_list = missing;
  writeState(db, id, state, agent, joined(missing_list));
  if (!state["disability"].is_null())
    insertAssessment(db, id, state["disability"],
                     sdk::Month::of(dateOf(state["disability"]["assessed_on"])).toString(),
                     "initial", request.caller().user, today.toString());
  json audited = state;
  audited["person_id"] = person.id;
  audited["number"] = number;
  audited["registered_on"] = day;
  for (const auto& item : audit_extra.items()) audited[item.key()] = item.value();
  request.audit({sizeof(sdk::AuditRecord), action, "beneficiary", std::to_string(id),
                 sdk::changedFields(nullptr, audited)});
  return id;
}

json VeteransPlugin::applyFileState(sdk::Request& request, std::int64_t id, json after,
                                    const std::string& action) {
  sdk::Context& context = *context_;
  auto& db = request.db();
  const auto beneficiary = *findBeneficiary(db, request.county(), id);
  const json before = fileState(beneficiaryJson(db, id));
  if (after["disability"].is_object() && !after["disability"].contains("mental_illness"))
    after["disability"]["mental_illness"] = false;
  const json changes = sdk::changedFields(before, after);
  if (changes.empty()) return changes;
  if (after["township"] != before["township"])
    sdk::requireTownship(request.caller(), after["township"].get<std::string>(),
                         "a beneficiary of " + after["township"].get<std::string>());
  const auto person = *context.persons().findById(db, beneficiary.person_id);
  const auto fallen_kind = fallenDeathKind(db, request.county(), after["fallen_id"]);
  checkFile(after, person, fallen_kind, request.today());
  const auto facts = factsOf(after, person.birth_date, fallen_kind);
  requireOpenEntitlementsFit(db, beneficiary.id, facts, request.today());
  const json missing = missingDocuments(facts, after["documents"].get<std::vector<std::string>>());
  const auto agent = agentOf(context, db, after, person.id);
  writeState(db, beneficiary.id, after, agent, joined(missing));
  // A disability typed wrongly is corrected in its latest assessment; a first one is added.
  if (after["disability"] != before["disability"] && !after["disability"].is_null()) {
    const long long key = beneficiary.id;
    const auto assessments = assessmentsOf(db, beneficiary.id);
    const json& d = after["disability"];
    if (assessments.empty()) {
      insertAssessment(db, key, d, sdk::Month::of(dateOf(d["assessed_on"])).toString(), "initial",
                       request.caller().user, request.today().toString());
    } else {
      const long long latest = assessments.back().id;
      const std::string nature = d["nature"], certificate = d["certificate_number"],
                        assessed = d["assessed_on"];
      // The first assessment pays from its own month; a later one keeps the month approved.
      std::string effective = assessments.back().effective_month.toString();
      if (assessments.size() == 1) effective = sdk::Month::of(dateOf(d["assessed_on"])).toString();
      const int grade = d["grade"].get<int>(), mental = d.value("mental_illness", false) ? 1 : 0;
      db << "UPDATE vt_disability_assessments SET nature = :n, grade = :g, mental_illness = :m,"
            " certificate_number = :c, assessed_on = :a, effective_month = :e WHERE id = :id",
          soci::use(nature), soci::use(grade), soci::use(mental), soci::use(certificate),
          soci::use(assessed), soci::use(effective), soci::use(latest);
    }
  }
  request.audit(
      {sizeof(sdk::AuditRecord), action, "beneficiary", std::to_string(beneficiary.id), changes});
  settleFile(context, request, beneficiary.id, "correction",
             "file " + beneficiary.number + " corrected");
  return changes;
}

sdk::Response VeteransPlugin::createBeneficiary(sdk::Request& request) {
  auto& db = request.db();
  const json& body = request.body();
  const sdk::Date today = request.today();
  sdk::requireTownship(request.caller(), body["township"].get<std::string>(),
                       "a beneficiary of " + body["township"].get<std::string>());
  json state = json::object();
  for (const char* key : kCorrectable) state[key] = body.value(key, json(nullptr));
  const auto registered_on = body.contains("registered_on") ? dateOf(body["registered_on"]) : today;
  notInFuture(registered_on, today, "registered_on");
  const auto person = context_->persons().ensureRegistered(
      db, body["citizen_id"].get<std::string>(), body["name"].get<std::string>());
  if (person.deceased())
    throw sdk::ValidationError("citizen_id", "deceased",
                               "the person is recorded deceased on " +
                                   person.death_date->toString() +
                                   ": a survivor's file is the survivor's");
  const long long person_key = person.id;
  std::string existing;
  db << "SELECT number FROM vt_beneficiaries WHERE county_code = :c AND person_id = :p",
      soci::into(existing), soci::use(request.county()), soci::use(person_key);
  if (db.got_data())
    throw sdk::ValidationError("citizen_id", "one-file",
                               "the person already has file " + existing +
                                   " in this county (一人一档): correct that file");
  const auto id =
      insertFile(request, person, std::move(state), registered_on, "beneficiary.create", {});
  return sdk::Response::created(beneficiaryJson(db, id), "/beneficiaries/" + std::to_string(id));
}

sdk::Response VeteransPlugin::listBeneficiaries(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kBeneficiaryList);
  sdk::ListQuery query("b.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "b.township"));
  if (auto category = request.queryParam("category"))
    query.add("b.category = " + query.text(*category));
  if (auto group = request.queryParam("subsidy_group"))
    query.add("b.subsidy_group = " + query.text(*group));
  if (auto township = request.queryParam("township"))
    query.add("b.township = " + query.text(*township));
  if (auto status = request.queryParam("status")) query.add("b.status = " + query.text(*status));
  if (auto name = request.queryParam("name")) query.add("p.name " + query.containing(*name));
  if (auto citizen = request.queryParam("citizen_id")) {
    std::string prefix;
    for (char c : *citizen)
      if ((c >= '0' && c <= '9') || c == 'X' || c == 'x') prefix += c == 'x' ? 'X' : c;
    query.add("p.citizen_id LIKE " + query.text(prefix + "%"));
  }
  if (auto fallen = request.queryParam("fallen_id"))
    query.add("b.fallen_id = " + query.number(std::stoll(*fallen)));
  if (auto complete = request.queryParam("complete"))
    query.add(*complete == "true" ? "b.missing_documents = ''" : "b.missing_documents <> ''");
  const std::string tables =
      " FROM vt_beneficiaries b JOIN civ_persons p ON p.id = b.person_id LEFT JOIN civ_persons a"
      " ON a.id = b.agent_person_id";
  const auto total = query.count(*lists_, db, tables);
  soci::rowset<soci::row> rows = query.rows(
      db, std::string(kFileColumns) + query.clause() + " AND " + page.keysetCondition("b.id") +
              page.orderAndLimit({{"id", "b.id"},
                                  {"name", "p.name"},
                                  {"registered_on", "b.registered_on"},
                                  {"township", "b.township"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  const auto today = request.today();
  for (const auto& row : rows) {
    items.push_back(fileRow(row, today));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  // The disability in force of the page's files, in one statement.
  if (!ids.empty()) {
    std::string list;
    for (auto id : ids) list += (list.empty() ? "" : ",") + std::to_string(id);
    std::map<std::int64_t, json> latest;
    soci::rowset<soci::row> assessed =
        (db.prepare << "SELECT beneficiary_id, id, nature, grade, mental_illness,"
                       " certificate_number, assessed_on, effective_month FROM"
                       " vt_disability_assessments WHERE beneficiary_id IN (" +
                           list + ") ORDER BY effective_month, id");
    for (const auto& row : assessed)
      latest[sdk::sql::int64At(row, 0)] =
          sdk::jsonObject({{"nature", sdk::sql::textAt(row, 2)},
                           {"grade", sdk::sql::int64At(row, 3)},
                           {"mental_illness", sdk::sql::int64At(row, 4) != 0},
                           {"certificate_number", sdk::sql::textAt(row, 5)},
                           {"assessed_on", sdk::sql::textAt(row, 6)},
                           {"effective_month", sdk::sql::textAt(row, 7)}});
    for (auto& item : items)
      if (auto found = latest.find(item["id"].get<std::int64_t>()); found != latest.end())
        item["disability"] = found->second;
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response VeteransPlugin::getBeneficiary(sdk::Request& request) {
  const auto beneficiary = scopedBeneficiary(request, request.pathId("id"));
  return sdk::Response::ok(beneficiaryJson(request.db(), beneficiary.id));
}

sdk::Response VeteransPlugin::correctBeneficiary(sdk::Request& request) {
  auto& db = request.db();
  const auto beneficiary = scopedBeneficiary(request, request.pathId("id"));
  const json& body = request.body();
  sdk::requireSomeField(body,
                        "category, subsidy_group, hukou, township, village, address, phone, "
                        "enlisted_on, discharged_on, rank_type, awards, disability, fallen_id, "
                        "relationship, documents, bank_name, bank_account, agent, "
                        "transfer_received_on");
  json after = fileState(beneficiaryJson(db, beneficiary.id));
  for (const auto& item : body.items()) after[item.key()] = item.value();
  if (applyFileState(request, beneficiary.id, after, "beneficiary.correct").empty())
    sdk::refuseUnchanged(body);
  return sdk::Response::ok(beneficiaryJson(db, beneficiary.id));
}

sdk::Response VeteransPlugin::reassessDisability(sdk::Request& request) {
  auto& db = request.db();
  const auto beneficiary = scopedBeneficiary(request, request.pathId("id"));
  const json& body = request.body();
  const auto assessments = assessmentsOf(db, beneficiary.id);
  if (assessments.empty())
    throw sdk::ValidationError("disability", "disability",
                               "the file records no disability: correct the file instead");
  if (beneficiary.status == "deceased")
    throw sdk::ValidationError("disability", "alive", "the person is recorded deceased");
  json disability = body["disability"];
  if (!disability.contains("mental_illness")) disability["mental_illness"] = false;
  const Disability next{disability["nature"], disability["grade"].get<int>(),
                        disability["mental_illness"].get<bool>()};
  requirePensionableGrade(next, "disability.grade");
  const auto assessed = dateOf(disability["assessed_on"]);
  notInFuture(assessed, request.today(), "disability.assessed_on");
  // §29: a grade is reassessed no earlier than one year after the last assessment.
  const auto& last = assessments.back();
  if (assessed < last.assessed_on.addMonths(12))
    throw sdk::ValidationError("disability.assessed_on", "one-year-after-last",
                               "the last assessment was on " + last.assessed_on.toString() +
                                   ": a new one is from " +
                                   last.assessed_on.addMonths(12).toString() + " (§29)");
  const auto approved =
      body.contains("approved_on") ? dateOf(body["approved_on"]) : request.today();
  notInFuture(approved, request.today(), "approved_on");
  if (approved < assessed)
    throw sdk::ValidationError("approved_on", "after-assessment",
                               "the approval is before the assessment");
  const std::string effective = sdk::Month::of(approved).toString();
  insertAssessment(db, beneficiary.id, disability, effective, "reassessment", request.caller().user,
                   request.today().toString());
  // Open entitlements must still fit (e.g. a care allowance after a grade fell out of §34).
  auto facts = beneficiary.facts;
  facts.disability = next;
  requireOpenEntitlementsFit(db, beneficiary.id, facts, request.today());
  request.audit({sizeof(sdk::AuditRecord),
                 "beneficiary.reassess",
                 "beneficiary",
                 std::to_string(beneficiary.id),
                 {{"disability",
                   {{"old", assessmentJson(last)},
                    {"new", json{{"nature", next.nature},
                                 {"grade", next.grade},
                                 {"mental_illness", next.mental_illness},
                                 {"certificate_number", disability["certificate_number"]},
                                 {"assessed_on", assessed.toString()},
                                 {"effective_month", effective}}}}}}});
  settleFile(*context_, request, beneficiary.id, "reassessment",
             "disability reassessed from " + effective);
  return sdk::Response::created(beneficiaryJson(db, beneficiary.id),
                                "/beneficiaries/" + std::to_string(beneficiary.id));
}

std::vector<OverdueTransfer> overdueTransfersOf(const sdk::Context& context, soci::session& db,
                                                const std::string& county, sdk::Date day) {
  const auto days = static_cast<int>(context.policy().get(kTransferDays, county, day));
  const std::string text = day.toString();
  std::vector<OverdueTransfer> overdue;
  // Not received by `day` (a file received later does not undo the days it was overdue).
  // Only files registered within a year of the discharge are watched: a serviceman discharged
  // long before the county kept his file here had his pension relations moved on paper then.
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT b.id, b.number, p.name, b.township, b.discharged_on,"
                     " b.registered_on FROM"
                     " vt_beneficiaries b JOIN civ_persons p ON p.id = b.person_id WHERE"
                     " b.county_code = :c AND b.category = 'disabled_serviceman' AND"
                     " b.discharged_on IS NOT NULL AND b.registered_on <= :d AND"
                     " (b.transfer_received_on IS NULL OR b.transfer_received_on > :d2) AND"
                     " (b.death_date IS NULL OR b.death_date > :d3) ORDER BY b.discharged_on,"
                     " b.id",
       soci::use(county), soci::use(text), soci::use(text), soci::use(text));
  for (const auto& row : rows) {
    const auto discharged = *sdk::Date::parse(sdk::sql::textAt(row, 4));
    const auto due = discharged.addDays(days);
    if (day <= due) continue;
    if (discharged.addMonths(12) < *sdk::Date::parse(sdk::sql::textAt(row, 5))) continue;
    overdue.push_back({sdk::sql::int64At(row, 0), sdk::sql::textAt(row, 1),
                       sdk::sql::textAt(row, 2), sdk::sql::textAt(row, 3), discharged, due,
                       due.daysUntil(day)});
  }
  return overdue;
}

sdk::Response VeteransPlugin::overdueTransfers(sdk::Request& request) {
  json items = json::array();
  const auto township = request.queryParam("township");
  for (const auto& overdue :
       overdueTransfersOf(*context_, request.db(), request.county(), request.today())) {
    if (!sdk::coversTownship(request.caller(), overdue.township)) continue;
    if (township && *township != overdue.township) continue;
    items.push_back(sdk::jsonObject({{"id", overdue.id},
                                     {"number", overdue.number},
                                     {"name", overdue.name},
                                     {"township", overdue.township},
                                     {"discharged_on", overdue.discharged_on.toString()},
                                     {"transfer_due", overdue.due.toString()},
                                     {"days_overdue", overdue.days_overdue}}));
  }
  const auto total = items.size();
  return sdk::Response::ok({{"items", items}, {"total", total}});
}

}  // namespace civ::plugins::veterans
