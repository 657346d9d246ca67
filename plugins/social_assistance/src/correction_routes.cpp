// Correcting what a clerk typed (issue 17, item 3): a household's addresses, category, township,
// bank account; a member's typed facts (never the person's citizen ID or name, which are the
// persons registry's); income and property items corrected, ended or withdrawn. Every correction
// is one audit row on the household listing only the fields it changed, old and new; a
// correction that changes nothing, or is refused, changes nothing. Each household's records are
// read and listed here too (members, income items, property items).
//
// When a correction takes effect (docs/decisions.md, "Corrections of a household's file"):
// a correction says what was always true, so whatever is computed live from the household's file
// follows it for every month not yet paid (members and category: the case amounts; assessments),
// and what was fixed by a decision (the income a case was granted on) changes only by a
// re-review, for which a household with an active case is flagged. Paid lines are never edited:
// a paid month is corrected by an adjustment.
#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/context.h>
#include <civ/sdk/correction.h>
#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/list.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/money.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/sql_json.h>

#include "household_store.h"
#include "kept_queries.h"
#include "search_routes.h"
#include "social_assistance_plugin.h"

namespace civ::plugins::social_assistance {

namespace {

using nlohmann::json;

/// A PATCH body names at least one field (the schema cannot say so): 400 on "(body)".

/// The changes with each field named as `prefix` + field ("member_7.relationship").
json prefixed(const json& changes, const std::string& prefix) {
  json named = json::object();
  for (const auto& item : changes.items()) named[prefix + item.key()] = item.value();
  return named;
}

std::string money(std::int64_t fen) { return sdk::Money::fromFen(fen).toString(); }

/// Flags a household that has an active case for a re-review (GET /reviews/due lists it), unless
/// it is flagged already; adds the flag to `changes`. A corrected income or property item changes
/// a case's amount only through a re-review: the case keeps the income it was granted on.
void flagForReview(soci::session& db, std::int64_t household_id, const std::string& note,
                   json& changes) {
  const long long household = household_id;
  long long active = 0;
  db << "SELECT COUNT(*) FROM sa_cases WHERE household_id = :h AND status = 'active'",
      soci::into(active), soci::use(household);
  if (active == 0) return;
  std::string flag;
  soci::indicator flag_present = soci::i_null;
  db << "SELECT review_flag FROM sa_households WHERE id = :h", soci::into(flag, flag_present),
      soci::use(household);
  if (flag_present == soci::i_ok) return;
  db << "UPDATE sa_households SET review_flag = :n WHERE id = :h", soci::use(note),
      soci::use(household);
  changes["review_flag"] = {{"old", nullptr}, {"new", note}};
}

// --- Households -------------------------------------------------------------------------------

/// What a clerk typed about a household, as PATCH names it (absent optional values are null).
json householdFields(soci::session& db, std::int64_t household_id) {
  const long long id = household_id;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT category, township, village, hukou_address, residence_address,"
                     " income_stability, bank_name, bank_account FROM sa_households WHERE id = :id",
       soci::use(id));
  for (const auto& row : rows) {
    auto optional = [&](std::size_t index) {
      auto value = sdk::sql::optionalTextAt(row, index);
      return value && !value->empty() ? json(*value) : json(nullptr);
    };
    return {{"category", sdk::sql::textAt(row, 0)},
            {"township", sdk::sql::textAt(row, 1)},
            {"village", sdk::sql::textAt(row, 2)},
            {"hukou_address", sdk::sql::textAt(row, 3)},
            {"residence_address", sdk::sql::textAt(row, 4)},
            {"income_stability", sdk::sql::textAt(row, 5)},
            {"bank_name", optional(6)},
            {"bank_account", optional(7)}};
  }
  throw sdk::NotFound("no household " + std::to_string(household_id));
}

// --- Members ----------------------------------------------------------------------------------

constexpr const char* kMemberColumns =
    "m.id, p.citizen_id, p.name, m.relationship, m.lives_together, m.inclusion_reason,"
    " m.work_capacity, m.disability_grade, m.disability_type, m.serious_illness, m.student,"
    " m.needs_long_term_care, m.joined_on, m.left_on, m.left_reason, p.id";

/// A member as householdJson writes one, from kMemberColumns.
json memberJson(const soci::row& row) {
  json member = sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                                 {"person_id", sdk::sql::int64At(row, 15)},
                                 {"citizen_id", sdk::sql::textAt(row, 1)},
                                 {"name", sdk::sql::textAt(row, 2)},
                                 {"relationship", sdk::sql::textAt(row, 3)},
                                 {"lives_together", sdk::sql::int64At(row, 4) != 0},
                                 {"inclusion_reason", sdk::sql::textAt(row, 5)},
                                 {"work_capacity", sdk::sql::textAt(row, 6)},
                                 {"serious_illness", sdk::sql::int64At(row, 9) != 0},
                                 {"student", sdk::sql::int64At(row, 10) != 0},
                                 {"needs_long_term_care", sdk::sql::int64At(row, 11) != 0},
                                 {"joined_on", sdk::sql::textAt(row, 12)},
                                 {"left_on", nullptr}});
  if (auto grade = sdk::sql::optionalInt64At(row, 7)) member["disability_grade"] = *grade;
  if (auto type = sdk::sql::optionalTextAt(row, 8)) member["disability_type"] = *type;
  if (auto left = sdk::sql::optionalTextAt(row, 13)) {
    member["left_on"] = *left;
    member["left_reason"] = sdk::sql::optionalTextAt(row, 14).value_or("");
  }
  return member;
}

/// The member fields a PATCH may correct: what was typed about the member in this household.
const std::vector<std::string> kMemberTyped = {
    "relationship",    "lives_together",   "inclusion_reason",
    "work_capacity",   "disability_grade", "disability_type",
    "serious_illness", "student",          "needs_long_term_care"};
/// Those the monthly amount is computed from (who is counted, the add-ons).
const std::vector<std::string> kMemberCounted = {"lives_together", "disability_grade",
                                                 "disability_type", "serious_illness",
                                                 "needs_long_term_care"};

// --- Income and property items ----------------------------------------------------------------

constexpr const char* kIncomeColumns =
    "i.id, i.household_id, p.citizen_id, i.category, i.treatment, i.amount_fen, i.period_from,"
    " i.period_to, i.description, i.recorded_on, i.withdrawn_on, i.withdrawal_reason";
constexpr const char* kIncomeTables =
    " FROM sa_income_items i LEFT JOIN civ_persons p ON p.id = i.person_id";

json incomeJson(const soci::row& row) {
  return sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                          {"household_id", sdk::sql::int64At(row, 1)},
                          {"citizen_id", sdk::sql::textOrNullAt(row, 2)},
                          {"category", sdk::sql::textAt(row, 3)},
                          {"treatment", sdk::sql::textAt(row, 4)},
                          {"amount", money(sdk::sql::int64At(row, 5))},
                          {"period_from", sdk::sql::textAt(row, 6)},
                          {"period_to", sdk::sql::textAt(row, 7)},
                          {"description", sdk::sql::textAt(row, 8)},
                          {"recorded_on", sdk::sql::textAt(row, 9)},
                          {"withdrawn_on", sdk::sql::textOrNullAt(row, 10)},
                          {"withdrawal_reason", sdk::sql::textOrNullAt(row, 11)}});
}

constexpr const char* kPropertyColumns =
    "i.id, i.household_id, i.kind, i.value_fen, i.quantity, i.exempt, i.description,"
    " i.withdrawn_on, i.withdrawal_reason";
constexpr const char* kPropertyTables = " FROM sa_property_items i";

json propertyJson(const soci::row& row) {
  return sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                          {"household_id", sdk::sql::int64At(row, 1)},
                          {"kind", sdk::sql::textAt(row, 2)},
                          {"value", money(sdk::sql::int64At(row, 3))},
                          {"quantity", sdk::sql::int64At(row, 4)},
                          {"exempt", sdk::sql::int64At(row, 5) != 0},
                          {"description", sdk::sql::textAt(row, 6)},
                          {"withdrawn_on", sdk::sql::textOrNullAt(row, 7)},
                          {"withdrawal_reason", sdk::sql::textOrNullAt(row, 8)}});
}

/// The item `item_id` of the household, as `to_json` writes it from `columns`, or 404.
json itemOf(soci::session& db, const char* columns, const char* tables, std::int64_t household_id,
            std::int64_t item_id, const std::string& what, json (*to_json)(const soci::row&)) {
  const long long household = household_id, item = item_id;
  soci::rowset<soci::row> rows = (db.prepare << std::string("SELECT ") + columns + tables +
                                                    " WHERE i.id = :i AND i.household_id = :h",
                                  soci::use(item), soci::use(household));
  for (const auto& row : rows) return to_json(row);
  throw sdk::NotFound("no " + what + " " + std::to_string(item_id) + " in household " +
                      std::to_string(household_id));
}

json incomeItem(soci::session& db, std::int64_t household_id, std::int64_t item_id) {
  return itemOf(db, kIncomeColumns, kIncomeTables, household_id, item_id, "income item",
                &incomeJson);
}

json propertyItem(soci::session& db, std::int64_t household_id, std::int64_t item_id) {
  return itemOf(db, kPropertyColumns, kPropertyTables, household_id, item_id, "property item",
                &propertyJson);
}

/// 409 when the item was withdrawn: a withdrawn item is history, corrected by a new item.
void requireNotWithdrawn(const json& item, const std::string& what) {
  if (!item["withdrawn_on"].is_null())
    throw sdk::Conflict(what + " " + std::to_string(item["id"].get<std::int64_t>()) +
                        " was withdrawn on " + item["withdrawn_on"].get<std::string>() +
                        "; record a new item instead");
}

/// Marks the item withdrawn (kept, no longer counted) and audits it on the household.
json withdrawItem(sdk::Request& request, const char* table, const json& item,
                  const std::string& field_prefix, const std::string& action) {
  auto& db = request.db();
  const std::string reason = request.body()["reason"], today = request.today().toString();
  const std::string& user = request.caller().user;
  const long long key = item["id"].get<std::int64_t>();
  db << std::string("UPDATE ") + table +
            " SET withdrawn_on = :d, withdrawn_by = :u, withdrawal_reason = :r WHERE id = :i",
      soci::use(today), soci::use(user), soci::use(reason), soci::use(key);
  json changes = prefixed(
      sdk::changedFields(nullptr, {{"withdrawn_on", today}, {"withdrawal_reason", reason}}),
      field_prefix);
  const std::int64_t household = item["household_id"];
  flagForReview(db, household,
                "an income or property item was withdrawn on " + today +
                    ": re-review to apply it to the case",
                changes);
  request.audit(
      {sizeof(sdk::AuditRecord), action, "household", std::to_string(household), changes});
  return changes;
}

/// The ListQuery filter of a boolean `withdrawn` parameter.
void addWithdrawnFilter(sdk::ListQuery& query, const sdk::Request& request) {
  if (auto withdrawn = request.queryParam("withdrawn"))
    query.add(std::string("i.withdrawn_on IS ") + (*withdrawn == "true" ? "NOT NULL" : "NULL"));
}

}  // namespace

const sdk::ListSpec kMemberList{{"joined_on"}, "id", 50, 200};
const sdk::ListSpec kIncomeItemList{{"period_from", "period_to"}, "id", 50, 200};
const sdk::ListSpec kPropertyItemList{{"kind"}, "id", 50, 200};

sdk::Response SocialAssistancePlugin::correctHousehold(sdk::Request& request) {
  const auto id = request.pathId("id");
  auto& db = request.db();
  requireHouseholdInScope(request, *queries_, id);
  const json& body = request.body();
  sdk::requireSomeField(body,
                        "category, township, village, hukou_address, residence_address, "
                        "income_stability, bank_name, bank_account");
  const json before = householdFields(db, id);
  json after = before;
  for (const auto& item : body.items()) after[item.key()] = item.value();
  // Moving a household between townships needs both: the old one was checked with the record.
  if (after["township"] != before["township"])
    sdk::requireTownship(request.caller(), after["township"].get<std::string>(),
                         "household " + std::to_string(id));
  json changes = sdk::changedFields(before, after);
  if (changes.empty()) sdk::refuseUnchanged(body);
  const long long key = id;
  const std::string category = after["category"], township = after["township"],
                    village = after["village"], hukou = after["hukou_address"],
                    residence = after["residence_address"], stability = after["income_stability"];
  std::string bank_name = after["bank_name"].is_null() ? "" : after["bank_name"].get<std::string>();
  std::string bank_account =
      after["bank_account"].is_null() ? "" : after["bank_account"].get<std::string>();
  soci::indicator name_present = bank_name.empty() ? soci::i_null : soci::i_ok;
  soci::indicator account_present = bank_account.empty() ? soci::i_null : soci::i_ok;
  db << "UPDATE sa_households SET category = :c, township = :t, village = :v, hukou_address ="
        " :hk, residence_address = :r, income_stability = :s, bank_name = :bn, bank_account ="
        " :ba WHERE id = :id",
      soci::use(category), soci::use(township), soci::use(village), soci::use(hukou),
      soci::use(residence), soci::use(stability), soci::use(bank_name, name_present),
      soci::use(bank_account, account_present), soci::use(key);
  // The category sets the standard each unpaid month is computed from.
  if (changes.contains("category"))
    householdChanged(*context_, db, id, request.county(), request.today(), "household_corrected");
  request.audit(
      {sizeof(sdk::AuditRecord), "household.correct", "household", std::to_string(id), changes});
  return sdk::Response::ok(householdJson(db, id));
}

sdk::Response SocialAssistancePlugin::listMembers(sdk::Request& request) {
  const auto id = request.pathId("id");
  auto& db = request.db();
  requireHouseholdInScope(request, *queries_, id);
  const auto page = sdk::ListRequest::from(request, kMemberList);
  sdk::ListQuery query("h.county_code", request.county());
  query.add("m.household_id = " + query.number(id));
  if (auto present = request.queryParam("present"))
    query.add(std::string("m.left_on IS ") + (*present == "true" ? "NULL" : "NOT NULL"));
  const std::string tables =
      " FROM sa_members m JOIN sa_households h ON h.id = m.household_id"
      " JOIN civ_persons p ON p.id = m.person_id";
  const auto total = query.count(queries_->lists, db, tables);
  soci::rowset<soci::row> rows =
      query.rows(db, std::string("SELECT ") + kMemberColumns + tables + query.clause() + " AND " +
                         page.keysetCondition("m.id") +
                         page.orderAndLimit({{"id", "m.id"}, {"joined_on", "m.joined_on"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    ids.push_back(sdk::sql::int64At(row, 0));
    items.push_back(memberJson(row));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response SocialAssistancePlugin::correctMember(sdk::Request& request) {
  const auto id = request.pathId("id");
  const auto member_id = request.pathId("member_id");
  auto& db = request.db();
  requireHouseholdInScope(request, *queries_, id);
  const json& body = request.body();
  sdk::requireSomeField(body,
                        "relationship, lives_together, inclusion_reason, work_capacity, "
                        "disability_grade, disability_type, serious_illness, student, "
                        "needs_long_term_care");
  const long long household = id, member = member_id;
  json found;
  {
    soci::rowset<soci::row> rows =
        (db.prepare << std::string("SELECT ") + kMemberColumns +
                           " FROM sa_members m JOIN civ_persons p ON p.id = m.person_id"
                           " WHERE m.id = :m AND m.household_id = :h",
         soci::use(member), soci::use(household));
    for (const auto& row : rows) found = memberJson(row);
  }
  if (found.is_null())
    throw sdk::NotFound("no member " + std::to_string(member_id) + " in household " +
                        std::to_string(id));
  if (!found["left_on"].is_null())
    throw sdk::Conflict("member " + std::to_string(member_id) + " left the household on " +
                        found["left_on"].get<std::string>() +
                        "; a former member's record is history and is not corrected");
  json before = json::object(), after = json::object();
  for (const auto& field : kMemberTyped) before[field] = found.value(field, json(nullptr));
  after = before;
  for (const auto& item : body.items()) after[item.key()] = item.value();
  if (!after["disability_type"].is_null() && after["disability_grade"].is_null())
    throw sdk::ValidationError(
        body.contains("disability_type") ? "disability_type" : "disability_grade",
        "type-with-grade", "a disability type is recorded with its grade (1-4)");
  const json changes = sdk::changedFields(before, after);
  if (changes.empty()) sdk::refuseUnchanged(body);
  const std::string relationship = after["relationship"], reason = after["inclusion_reason"],
                    capacity = after["work_capacity"];
  const int lives_together = after["lives_together"].get<bool>() ? 1 : 0;
  long long grade =
      after["disability_grade"].is_null() ? 0 : after["disability_grade"].get<long long>();
  soci::indicator grade_present = after["disability_grade"].is_null() ? soci::i_null : soci::i_ok;
  std::string type =
      after["disability_type"].is_null() ? "" : after["disability_type"].get<std::string>();
  soci::indicator type_present = type.empty() ? soci::i_null : soci::i_ok;
  const int ill = after["serious_illness"].get<bool>() ? 1 : 0;
  const int student = after["student"].get<bool>() ? 1 : 0;
  const int care = after["needs_long_term_care"].get<bool>() ? 1 : 0;
  db << "UPDATE sa_members SET relationship = :rel, lives_together = :lt, inclusion_reason ="
        " :reason, work_capacity = :cap, disability_grade = :grade, disability_type = :type,"
        " serious_illness = :ill, student = :student, needs_long_term_care = :care WHERE id = :m",
      soci::use(relationship), soci::use(lives_together), soci::use(reason), soci::use(capacity),
      soci::use(grade, grade_present), soci::use(type, type_present), soci::use(ill),
      soci::use(student), soci::use(care), soci::use(member);
  // Who is counted and the add-ons: each unpaid month's amount follows them.
  bool counted = false;
  for (const auto& field : kMemberCounted) counted = counted || changes.contains(field);
  if (counted)
    householdChanged(*context_, db, id, request.county(), request.today(), "member_corrected");
  request.audit({sizeof(sdk::AuditRecord), "household.member_correct", "household",
                 std::to_string(id),
                 prefixed(changes, "member_" + std::to_string(member_id) + ".")});
  return sdk::Response::ok(householdJson(db, id));
}

sdk::Response SocialAssistancePlugin::listIncomeItems(sdk::Request& request) {
  const auto id = request.pathId("id");
  auto& db = request.db();
  requireHouseholdInScope(request, *queries_, id);
  const auto page = sdk::ListRequest::from(request, kIncomeItemList);
  sdk::ListQuery query("h.county_code", request.county());
  query.add("i.household_id = " + query.number(id));
  addWithdrawnFilter(query, request);
  if (auto treatment = request.queryParam("treatment"))
    query.add("i.treatment = " + query.text(*treatment));
  const std::string tables =
      std::string(kIncomeTables) + " JOIN sa_households h ON h.id = i.household_id";
  const auto total = query.count(queries_->lists, db, tables);
  soci::rowset<soci::row> rows = query.rows(
      db,
      std::string("SELECT ") + kIncomeColumns + tables + query.clause() + " AND " +
          page.keysetCondition("i.id") +
          page.orderAndLimit(
              {{"id", "i.id"}, {"period_from", "i.period_from"}, {"period_to", "i.period_to"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    ids.push_back(sdk::sql::int64At(row, 0));
    items.push_back(incomeJson(row));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response SocialAssistancePlugin::correctIncomeItem(sdk::Request& request) {
  const auto id = request.pathId("id");
  const auto item_id = request.pathId("item_id");
  auto& db = request.db();
  requireHouseholdInScope(request, *queries_, id);
  const json& body = request.body();
  sdk::requireSomeField(
      body, "citizen_id, category, treatment, amount, period_from, period_to, description");
  const json found = incomeItem(db, id, item_id);
  requireNotWithdrawn(found, "income item");
  json before = found;
  for (const char* field :
       {"id", "household_id", "recorded_on", "withdrawn_on", "withdrawal_reason"})
    before.erase(field);
  json after = before;
  for (const auto& item : body.items()) after[item.key()] = item.value();
  if (body.contains("amount")) after["amount"] = money(fenOf(body["amount"]));
  const long long household = id;
  long long person = 0;
  soci::indicator person_present = soci::i_null;
  if (!after["citizen_id"].is_null()) {
    const std::string citizen_id = after["citizen_id"];
    db << "SELECT p.id FROM sa_members m JOIN civ_persons p ON p.id = m.person_id"
          " WHERE m.household_id = :h AND p.citizen_id = :c",
        soci::into(person), soci::use(household), soci::use(citizen_id);
    if (!db.got_data())
      throw sdk::ValidationError("citizen_id", "member-of-household",
                                 "the person is not a member of this household");
    person_present = soci::i_ok;
  }
  const auto from = *sdk::Date::parse(after["period_from"].get<std::string>());
  const auto to = *sdk::Date::parse(after["period_to"].get<std::string>());
  const std::string period_field = body.contains("period_to") ? "period_to" : "period_from";
  if (to < from)
    throw sdk::ValidationError(period_field, "period-order", "period_to is before period_from");
  if (to > request.today())
    throw sdk::ValidationError("period_to", "not-in-future",
                               "income is recorded for periods that have passed; end the item "
                               "at the last day that has passed");
  json changes = sdk::changedFields(before, after);
  if (changes.empty()) sdk::refuseUnchanged(body);
  const std::string category = after["category"], treatment = after["treatment"],
                    description = after["description"], from_text = from.toString(),
                    to_text = to.toString();
  const long long amount = fenOf(after["amount"]);
  const long long key = item_id;
  db << "UPDATE sa_income_items SET person_id = :p, category = :c, treatment = :t, amount_fen ="
        " :a, period_from = :f, period_to = :to, description = :d WHERE id = :i",
      soci::use(person, person_present), soci::use(category), soci::use(treatment),
      soci::use(amount), soci::use(from_text), soci::use(to_text), soci::use(description),
      soci::use(key);
  changes = prefixed(changes, "income_item_" + std::to_string(item_id) + ".");
  flagForReview(db, id,
                "an income item was corrected on " + request.today().toString() +
                    ": re-review to apply it to the case",
                changes);
  request.audit({sizeof(sdk::AuditRecord), "household.income_correct", "household",
                 std::to_string(id), changes});
  return sdk::Response::ok(incomeItem(db, id, item_id));
}

sdk::Response SocialAssistancePlugin::withdrawIncomeItem(sdk::Request& request) {
  const auto id = request.pathId("id");
  const auto item_id = request.pathId("item_id");
  auto& db = request.db();
  requireHouseholdInScope(request, *queries_, id);
  const json found = incomeItem(db, id, item_id);
  requireNotWithdrawn(found, "income item");
  withdrawItem(request, "sa_income_items", found, "income_item_" + std::to_string(item_id) + ".",
               "household.income_withdraw");
  return sdk::Response::ok(incomeItem(db, id, item_id));
}

sdk::Response SocialAssistancePlugin::listPropertyItems(sdk::Request& request) {
  const auto id = request.pathId("id");
  auto& db = request.db();
  requireHouseholdInScope(request, *queries_, id);
  const auto page = sdk::ListRequest::from(request, kPropertyItemList);
  sdk::ListQuery query("h.county_code", request.county());
  query.add("i.household_id = " + query.number(id));
  addWithdrawnFilter(query, request);
  if (auto kind = request.queryParam("kind")) query.add("i.kind = " + query.text(*kind));
  const std::string tables =
      std::string(kPropertyTables) + " JOIN sa_households h ON h.id = i.household_id";
  const auto total = query.count(queries_->lists, db, tables);
  soci::rowset<soci::row> rows =
      query.rows(db, std::string("SELECT ") + kPropertyColumns + tables + query.clause() + " AND " +
                         page.keysetCondition("i.id") +
                         page.orderAndLimit({{"id", "i.id"}, {"kind", "i.kind"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    ids.push_back(sdk::sql::int64At(row, 0));
    items.push_back(propertyJson(row));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response SocialAssistancePlugin::correctPropertyItem(sdk::Request& request) {
  const auto id = request.pathId("id");
  const auto item_id = request.pathId("item_id");
  auto& db = request.db();
  requireHouseholdInScope(request, *queries_, id);
  const json& body = request.body();
  sdk::requireSomeField(body, "kind, value, quantity, exempt, description");
  const json found = propertyItem(db, id, item_id);
  requireNotWithdrawn(found, "property item");
  json before = found;
  for (const char* field : {"id", "household_id", "withdrawn_on", "withdrawal_reason"})
    before.erase(field);
  json after = before;
  for (const auto& item : body.items()) after[item.key()] = item.value();
  if (body.contains("value")) after["value"] = money(fenOf(body["value"]));
  json changes = sdk::changedFields(before, after);
  if (changes.empty()) sdk::refuseUnchanged(body);
  const std::string kind = after["kind"], description = after["description"];
  const long long value = fenOf(after["value"]);
  const long long quantity = after["quantity"].get<long long>();
  const int exempt = after["exempt"].get<bool>() ? 1 : 0;
  const long long key = item_id;
  db << "UPDATE sa_property_items SET kind = :k, value_fen = :v, quantity = :q, exempt = :e,"
        " description = :d WHERE id = :i",
      soci::use(kind), soci::use(value), soci::use(quantity), soci::use(exempt),
      soci::use(description), soci::use(key);
  changes = prefixed(changes, "property_item_" + std::to_string(item_id) + ".");
  flagForReview(db, id,
                "a property item was corrected on " + request.today().toString() +
                    ": re-review to apply it to the case",
                changes);
  request.audit({sizeof(sdk::AuditRecord), "household.property_correct", "household",
                 std::to_string(id), changes});
  return sdk::Response::ok(propertyItem(db, id, item_id));
}

sdk::Response SocialAssistancePlugin::withdrawPropertyItem(sdk::Request& request) {
  const auto id = request.pathId("id");
  const auto item_id = request.pathId("item_id");
  auto& db = request.db();
  requireHouseholdInScope(request, *queries_, id);
  const json found = propertyItem(db, id, item_id);
  requireNotWithdrawn(found, "property item");
  withdrawItem(request, "sa_property_items", found,
               "property_item_" + std::to_string(item_id) + ".", "household.property_withdraw");
  return sdk::Response::ok(propertyItem(db, id, item_id));
}

}  // namespace civ::plugins::social_assistance
