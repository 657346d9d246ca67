// Households (家庭), members, income and property items, and the economic assessment.
#include <map>
#include <set>
#include <vector>

#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/context.h>
#include <civ/sdk/error.h>
#include <civ/sdk/events.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/money.h>
#include <civ/sdk/persons.h>
#include <civ/sdk/sql.h>

#include "assistance_parameters.h"
#include "benefit_formula.h"
#include "case_store.h"
#include "household_assessment.h"
#include "household_import.h"
#include "household_store.h"
#include "kept_queries.h"
#include "social_assistance_plugin.h"

namespace civ::plugins::social_assistance {

namespace {

using nlohmann::json;

/// Inserts one member; the person must be alive and in no other active 低保 household.
std::int64_t insertMember(sdk::Context& context, soci::session& db, std::int64_t household_id,
                          const json& member, const std::string& field, sdk::Date today) {
  const auto person =
      context.persons().ensureRegistered(db, member["citizen_id"].get<std::string>(),
                                         member["name"].get<std::string>(), field + ".citizen_id");
  if (person.deceased())
    throw sdk::ValidationError(field + ".citizen_id", "person-deceased",
                               "the person is recorded deceased on " +
                                   person.death_date->toString() + " and cannot join a household");
  if (auto other = otherDibaoHousehold(db, person.id, household_id)) {
    long long household_key = household_id;
    std::string county;
    db << "SELECT county_code FROM sa_households WHERE id = :h", soci::into(county),
        soci::use(household_key);
    // Another county's household is not named: its number and case are that county's business.
    throw sdk::ValidationError(
        field + ".citizen_id", "one-active-dibao-household",
        other->county == county
            ? "the person already belongs to household " + other->number +
                  ", which has an active 低保 case or application"
            : "the person belongs to a household with an active 低保 case or application in "
              "another county; that county must record the person's leaving first");
  }
  const long long household = household_id;
  const long long person_id = person.id;
  const int lives_together = member["lives_together"].get<bool>() ? 1 : 0;
  const std::string relationship = member["relationship"];
  const std::string reason = member["inclusion_reason"];
  const std::string capacity = member["work_capacity"];
  long long grade = member.value("disability_grade", 0);
  soci::indicator grade_present = grade > 0 ? soci::i_ok : soci::i_null;
  std::string type = member.value("disability_type", "");
  soci::indicator type_present = type.empty() ? soci::i_null : soci::i_ok;
  const int ill = member.value("serious_illness", false) ? 1 : 0;
  const int student = member.value("student", false) ? 1 : 0;
  const int care = member.value("needs_long_term_care", false) ? 1 : 0;
  const std::string joined = today.toString();
  long long id = 0;
  db << "INSERT INTO sa_members (household_id, person_id, relationship, lives_together,"
        " inclusion_reason, work_capacity, disability_grade, disability_type, serious_illness,"
        " student, needs_long_term_care, joined_on) VALUES (:h, :p, :rel, :lt, :reason, :cap,"
        " :grade, :type, :ill, :student, :care, :joined) RETURNING id",
      soci::use(household), soci::use(person_id), soci::use(relationship),
      soci::use(lives_together), soci::use(reason), soci::use(capacity),
      soci::use(grade, grade_present), soci::use(type, type_present), soci::use(ill),
      soci::use(student), soci::use(care), soci::use(joined), soci::into(id);
  return id;
}

}  // namespace

/// Publishes assistance.changed for the household's active 低保 case, effective next month.
void householdChanged(sdk::Context& context, soci::session& db, std::int64_t household_id,
                      const std::string& county, sdk::Date today, const std::string& change) {
  const long long household = household_id;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT id, number, program FROM sa_cases WHERE household_id = :h AND "
                     "status = 'active' AND program = 'dibao'",
       soci::use(household));
  for (const auto& row : rows) {
    context.events().publish(db, kAssistanceChanged, county,
                             {{"case_id", sdk::sql::int64At(row, 0)},
                              {"case_number", sdk::sql::textAt(row, 1)},
                              {"program", sdk::sql::textAt(row, 2)},
                              {"household_id", household_id},
                              {"person_id", nullptr},
                              {"month", monthText(firstOfNextMonth(today))},
                              {"change", change}});
  }
}

json SocialAssistancePlugin::householdJson(soci::session& db, std::int64_t id,
                                           sdk::Request* scope) const {
  json body;
  std::string county;
  std::int64_t case_count = 0;
  json members = json::array();
  queries_->household_with_members.forEach(db, {id}, [&](const soci::row& row) {
    if (body.is_null()) {
      body = sdk::jsonObject({{"id", id},
                              {"number", sdk::sql::textAt(row, 0)},
                              {"category", sdk::sql::textAt(row, 1)},
                              {"township", sdk::sql::textAt(row, 2)},
                              {"village", sdk::sql::textAt(row, 3)},
                              {"hukou_address", sdk::sql::textAt(row, 4)},
                              {"residence_address", sdk::sql::textAt(row, 5)},
                              {"income_stability", sdk::sql::textAt(row, 6)},
                              {"bank_name", sdk::sql::optionalTextAt(row, 7).value_or("")},
                              {"bank_account", sdk::sql::optionalTextAt(row, 8).value_or("")},
                              {"created_on", sdk::sql::textAt(row, 9)},
                              {"review_flag", sdk::sql::optionalTextAt(row, 10).value_or("")}});
      county = sdk::sql::textAt(row, 11);
      case_count = sdk::sql::int64At(row, kHouseholdCaseCountColumn);
    }
    const std::size_t k = kMemberColumn;
    if (!sdk::sql::optionalInt64At(row, k)) return;  // a household without members
    json member = sdk::jsonObject({{"id", sdk::sql::int64At(row, k)},
                                   {"person_id", sdk::sql::int64At(row, k + 15)},
                                   {"citizen_id", sdk::sql::textAt(row, k + 1)},
                                   {"name", sdk::sql::textAt(row, k + 2)},
                                   {"relationship", sdk::sql::textAt(row, k + 3)},
                                   {"lives_together", sdk::sql::int64At(row, k + 4) != 0},
                                   {"inclusion_reason", sdk::sql::textAt(row, k + 5)},
                                   {"work_capacity", sdk::sql::textAt(row, k + 6)},
                                   {"serious_illness", sdk::sql::int64At(row, k + 9) != 0},
                                   {"student", sdk::sql::int64At(row, k + 10) != 0},
                                   {"needs_long_term_care", sdk::sql::int64At(row, k + 11) != 0},
                                   {"joined_on", sdk::sql::textAt(row, k + 12)},
                                   {"left_on", nullptr}});
    if (auto grade = sdk::sql::optionalInt64At(row, k + 7)) member["disability_grade"] = *grade;
    if (auto type = sdk::sql::optionalTextAt(row, k + 8)) member["disability_type"] = *type;
    if (auto left = sdk::sql::optionalTextAt(row, k + 13)) {
      member["left_on"] = *left;
      member["left_reason"] = sdk::sql::optionalTextAt(row, k + 14).value_or("");
    }
    members.push_back(std::move(member));
  });
  if (scope != nullptr) {
    // requireHouseholdInScope's checks, on the row just read.
    if (body.is_null() || county != scope->county())
      throw sdk::NotFound("no household " + std::to_string(id) + " in county " + scope->county());
    sdk::requireTownship(scope->caller(), body["township"].get<std::string>(),
                         "household " + std::to_string(id));
  }
  if (body.is_null()) throw sdk::NotFound("no household " + std::to_string(id));
  body["members"] = std::move(members);
  // The cases in one statement and all their lists in one more, not three per case; none
  // when the household row counted no cases.
  json cases = json::array();
  std::map<std::int64_t, std::size_t> case_index;
  if (case_count > 0)
    queries_->household_cases.forEach(db, {id}, [&](const soci::row& row) {
      const CaseRow head = caseFromRow(row);
      case_index.emplace(head.id, cases.size());
      cases.push_back(caseHead(head, row));
    });
  if (!cases.empty()) {
    std::vector<CaseChildren> children(cases.size());
    queries_->household_case_lists.forEach(db, {id, id, id}, [&](const soci::row& row) {
      const auto found = case_index.find(sdk::sql::int64At(row, 0));
      if (found == case_index.end()) return;  // a case added since the cases were read
      addListEntry(children[found->second], row, kHouseholdCaseListColumn);
    });
    for (std::size_t i = 0; i < cases.size(); ++i) finishCase(cases[i], std::move(children[i]));
  }
  body["cases"] = std::move(cases);
  return body;
}

sdk::Response SocialAssistancePlugin::createHousehold(sdk::Request& request) {
  const json& body = request.body();
  auto& db = request.db();
  std::set<std::string> seen;
  for (std::size_t i = 0; i < body["members"].size(); ++i) {
    const std::string id = body["members"][i]["citizen_id"];
    if (!seen.insert(id).second)
      throw sdk::ValidationError("members[" + std::to_string(i) + "].citizen_id",
                                 "duplicate-member", "the same person is listed twice");
  }
  sdk::requireTownship(request.caller(), body["township"].get<std::string>(), "the household");
  const std::string number =
      nextNumber(queries_->next_number, db, request.county(), "HH", request.today().year());
  const std::string category = body["category"], township = body["township"],
                    village = body["village"], hukou = body["hukou_address"],
                    residence = body["residence_address"],
                    stability = body.value("income_stability", "stable");
  std::string bank_name = body.value("bank_name", ""),
              bank_account = body.value("bank_account", "");
  soci::indicator bank_name_present = bank_name.empty() ? soci::i_null : soci::i_ok;
  soci::indicator bank_account_present = bank_account.empty() ? soci::i_null : soci::i_ok;
  const std::string created = request.today().toString();
  long long id = 0;
  db << "INSERT INTO sa_households (county_code, number, category, township, village,"
        " hukou_address, residence_address, income_stability, bank_name, bank_account,"
        " created_on) VALUES (:county, :number, :category, :township, :village, :hukou,"
        " :residence, :stability, :bank_name, :bank_account, :created) RETURNING id",
      soci::use(request.county()), soci::use(number), soci::use(category), soci::use(township),
      soci::use(village), soci::use(hukou), soci::use(residence), soci::use(stability),
      soci::use(bank_name, bank_name_present), soci::use(bank_account, bank_account_present),
      soci::use(created), soci::into(id);
  for (std::size_t i = 0; i < body["members"].size(); ++i)
    insertMember(*context_, db, id, body["members"][i], "members[" + std::to_string(i) + "]",
                 request.today());
  auto created_body = householdJson(db, id);
  request.audit({sizeof(sdk::AuditRecord), "household.create", "household", std::to_string(id),
                 sdk::changedFields(nullptr, {{"number", number},
                                              {"category", category},
                                              {"members", body["members"].size()}})});
  return sdk::Response::created(created_body, "/households/" + std::to_string(id));
}

sdk::Response SocialAssistancePlugin::getHousehold(sdk::Request& request) {
  const auto id = request.pathId("id");
  // One read of the household row serves the county and township check and the answer.
  return sdk::Response::ok(householdJson(request.db(), id, &request));
}

sdk::Response SocialAssistancePlugin::addMember(sdk::Request& request) {
  const auto id = request.pathId("id");
  auto& db = request.db();
  requireHouseholdInScope(request, *queries_, id);
  const long long household = id;
  long long already = 0;
  const std::string citizen_id = request.body()["citizen_id"];
  db << "SELECT COUNT(*) FROM sa_members m JOIN civ_persons p ON p.id = m.person_id"
        " WHERE m.household_id = :h AND p.citizen_id = :c AND m.left_on IS NULL",
      soci::into(already), soci::use(household), soci::use(citizen_id);
  if (already > 0)
    throw sdk::ValidationError("citizen_id", "duplicate-member",
                               "the person is already a member of this household");
  const auto member_id = insertMember(*context_, db, id, request.body(), "", request.today());
  householdChanged(*context_, db, id, request.county(), request.today(), "member_added");
  request.audit({sizeof(sdk::AuditRecord),
                 "household.member_add",
                 "household",
                 std::to_string(id),
                 {{"member", {{"old", nullptr}, {"new", member_id}}},
                  {"counts_from",
                   {{"old", nullptr}, {"new", monthText(firstOfNextMonth(request.today()))}}}}});
  return sdk::Response::created(householdJson(db, id), "/households/" + std::to_string(id));
}

sdk::Response SocialAssistancePlugin::memberLeaves(sdk::Request& request) {
  const auto id = request.pathId("id");
  const auto member_id = request.pathId("member_id");
  auto& db = request.db();
  requireHouseholdInScope(request, *queries_, id);
  const long long household = id, member = member_id;
  soci::indicator left_present = soci::i_null;
  std::string left_on;
  db << "SELECT left_on FROM sa_members WHERE id = :m AND household_id = :h",
      soci::into(left_on, left_present), soci::use(member), soci::use(household);
  if (!db.got_data()) throw sdk::NotFound("no member " + std::to_string(member_id));
  if (left_present == soci::i_ok)
    throw sdk::Conflict("the member left the household on " + left_on);
  const std::string today = request.today().toString();
  const std::string reason = request.body()["reason"];
  db << "UPDATE sa_members SET left_on = :d, left_reason = :r WHERE id = :m", soci::use(today),
      soci::use(reason), soci::use(member);
  householdChanged(*context_, db, id, request.county(), request.today(), "member_left");
  request.audit(
      {sizeof(sdk::AuditRecord),
       "household.member_leave",
       "household",
       std::to_string(id),
       {{"member_" + std::to_string(member_id) + ".left_on", {{"old", nullptr}, {"new", today}}},
        {"reason", {{"old", nullptr}, {"new", reason}}}}});
  return sdk::Response::ok(householdJson(db, id));
}

sdk::Response SocialAssistancePlugin::addIncomeItem(sdk::Request& request) {
  const auto id = request.pathId("id");
  auto& db = request.db();
  requireHouseholdInScope(request, *queries_, id);
  const json& body = request.body();
  const auto from = *sdk::Date::parse(body["period_from"].get<std::string>());
  const auto to = *sdk::Date::parse(body["period_to"].get<std::string>());
  if (to < from)
    throw sdk::ValidationError("period_to", "period-order", "period_to is before period_from");
  if (to > request.today())
    throw sdk::ValidationError("period_to", "not-in-future",
                               "income is recorded for periods that have passed");
  const long long household = id;
  long long person = 0;
  soci::indicator person_present = soci::i_null;
  if (body.contains("citizen_id")) {
    const std::string citizen_id = body["citizen_id"];
    db << "SELECT p.id FROM sa_members m JOIN civ_persons p ON p.id = m.person_id"
          " WHERE m.household_id = :h AND p.citizen_id = :c",
        soci::into(person), soci::use(household), soci::use(citizen_id);
    if (!db.got_data())
      throw sdk::ValidationError("citizen_id", "member-of-household",
                                 "the person is not a member of this household");
    person_present = soci::i_ok;
  }
  const std::string category = body["category"], treatment = body["treatment"],
                    description = body["description"];
  const long long amount = fenOf(body["amount"]);
  const std::string from_text = from.toString(), to_text = to.toString(),
                    recorded = request.today().toString();
  long long item = 0;
  db << "INSERT INTO sa_income_items (household_id, person_id, category, treatment, amount_fen,"
        " period_from, period_to, description, recorded_on) VALUES (:h, :p, :c, :t, :a, :f,"
        " :to, :d, :r) RETURNING id",
      soci::use(household), soci::use(person, person_present), soci::use(category),
      soci::use(treatment), soci::use(amount), soci::use(from_text), soci::use(to_text),
      soci::use(description), soci::use(recorded), soci::into(item);
  request.audit({sizeof(sdk::AuditRecord), "household.income_add", "household", std::to_string(id),
                 sdk::changedFields(nullptr, {{"income_item", item},
                                              {"category", category},
                                              {"treatment", treatment},
                                              {"amount", body["amount"]}})});
  return sdk::Response::created({{"id", item}, {"household_id", id}},
                                "/households/" + std::to_string(id));
}

sdk::Response SocialAssistancePlugin::addPropertyItem(sdk::Request& request) {
  const auto id = request.pathId("id");
  auto& db = request.db();
  requireHouseholdInScope(request, *queries_, id);
  const json& body = request.body();
  const long long household = id;
  const std::string kind = body["kind"], description = body["description"];
  const long long value = fenOf(body["value"]);
  const int quantity = body.value("quantity", 1);
  const int exempt = body.value("exempt", false) ? 1 : 0;
  long long item = 0;
  db << "INSERT INTO sa_property_items (household_id, kind, value_fen, quantity, exempt,"
        " description) VALUES (:h, :k, :v, :q, :e, :d) RETURNING id",
      soci::use(household), soci::use(kind), soci::use(value), soci::use(quantity),
      soci::use(exempt), soci::use(description), soci::into(item);
  request.audit({sizeof(sdk::AuditRecord), "household.property_add", "household",
                 std::to_string(id),
                 sdk::changedFields(nullptr, {{"property_item", item},
                                              {"kind", kind},
                                              {"value", body["value"]},
                                              {"exempt", exempt == 1}})});
  return sdk::Response::created({{"id", item}, {"household_id", id}},
                                "/households/" + std::to_string(id));
}

sdk::Response SocialAssistancePlugin::assessHousehold(sdk::Request& request) {
  const auto id = request.pathId("id");
  auto& db = request.db();
  requireHouseholdInScope(request, *queries_, id);
  // Without a month, the month being paid: this month by the clock, as GET /cases/{id}/amount.
  sdk::Date month = *parseMonth(monthText(request.today()));
  if (auto text = request.queryParam("month")) {
    auto parsed = parseMonth(*text);
    if (!parsed) throw sdk::ValidationError("month", "format", "month must be YYYY-MM", 400);
    month = *parsed;
  }
  const AssistancePolicy policy(context_->policy(), request.county(), month);
  auto body = social_assistance::assessHousehold(db, id, policy, month, request.today()).toJson();
  body["month"] = monthText(month);
  return sdk::Response::ok(body);
}

}  // namespace civ::plugins::social_assistance
