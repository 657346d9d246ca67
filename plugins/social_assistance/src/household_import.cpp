#include "household_import.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/citizen_id.h>
#include <civ/sdk/context.h>
#include <civ/sdk/money.h>
#include <civ/sdk/persons.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/storage.h>

namespace civ::plugins::social_assistance {

namespace {

constexpr std::size_t kMaxReported = 1000;

/// The layout's columns, in the order the template lists them (docs/import-layout.md).
enum Column : std::size_t {
  kHouseholdRef,
  kCategory,
  kTownship,
  kVillage,
  kHukouAddress,
  kResidenceAddress,
  kIncomeStability,
  kBankName,
  kBankAccount,
  kCitizenId,
  kName,
  kRelationship,
  kLivesTogether,
  kInclusionReason,
  kWorkCapacity,
  kDisabilityGrade,
  kDisabilityType,
  kSeriousIllness,
  kStudent,
  kNeedsLongTermCare,
  kIncomeCategory,
  kIncomeAmount,
  kIncomePeriodFrom,
  kIncomePeriodTo,
  kColumnCount
};

constexpr std::array<const char*, kColumnCount> kColumnNames = {"household_ref",
                                                                "category",
                                                                "township",
                                                                "village",
                                                                "hukou_address",
                                                                "residence_address",
                                                                "income_stability",
                                                                "bank_name",
                                                                "bank_account",
                                                                "citizen_id",
                                                                "name",
                                                                "relationship",
                                                                "lives_together",
                                                                "inclusion_reason",
                                                                "work_capacity",
                                                                "disability_grade",
                                                                "disability_type",
                                                                "serious_illness",
                                                                "student",
                                                                "needs_long_term_care",
                                                                "income_category",
                                                                "income_amount",
                                                                "income_period_from",
                                                                "income_period_to"};

/// The columns every row of a household must repeat alike (the household's own fields).
constexpr std::array<Column, 8> kHouseholdColumns = {
    kCategory,         kTownship,        kVillage,  kHukouAddress,
    kResidenceAddress, kIncomeStability, kBankName, kBankAccount};

bool oneOf(const std::string& value, std::initializer_list<const char*> allowed) {
  for (const char* option : allowed)
    if (value == option) return true;
  return false;
}

std::optional<bool> parseFlag(const std::string& text) {
  if (text == "true" || text == "1" || text == "是") return true;
  if (text == "false" || text == "0" || text == "否" || text.empty()) return false;
  return std::nullopt;
}

bool emptyRow(const std::vector<std::string>& cells) {
  return std::all_of(cells.begin(), cells.end(), [](const std::string& c) { return c.empty(); });
}

/// One row's cells read by layout column, in place in the parsed file: a county's file is
/// about 243,000 rows, and a copy of each in layout order cost a quarter of the import's memory.
class RowFields {
 public:
  RowFields(const std::vector<std::string>& cells, const std::vector<std::size_t>& source_of)
      : cells_(&cells), source_of_(&source_of) {}
  const std::string& operator[](Column column) const { return (*cells_)[(*source_of_)[column]]; }

 private:
  const std::vector<std::string>* cells_;
  const std::vector<std::size_t>* source_of_;  // layout column -> file column
};

/// One validated member row.
struct MemberRow {
  std::size_t row = 0;
  RowFields fields;
};

}  // namespace

const std::vector<std::string>& importColumns() {
  static const std::vector<std::string> columns(kColumnNames.begin(), kColumnNames.end());
  return columns;
}

ImportResult importHouseholds(sdk::Context& context, soci::session& db, const std::string& county,
                              const sdk::Caller& caller, const std::string& csv_text,
                              sdk::Date today) {
  return importHouseholds(context, db, county, caller, sdk::readCsv(csv_text), today);
}

sdk::Response answerHouseholdImport(sdk::Context& context, sdk::Request& request) {
  sdk::Table rows = sdk::uploadedTable(request);
  const auto result = importHouseholds(context, request.db(), request.county(), request.caller(),
                                       std::move(rows), request.today());
  const nlohmann::json answer = {{"households", result.households},
                                 {"members", result.members},
                                 {"income_items", result.income_items}};
  nlohmann::json audited = answer;
  audited["format"] = sdk::uploadedFormat(request);
  request.audit({sizeof(sdk::AuditRecord), "household.import", "import", request.today().toString(),
                 sdk::changedFields(nullptr, audited)});
  return sdk::Response::created(answer, "/households");
}

ImportResult importHouseholds(sdk::Context& context, soci::session& db, const std::string& county,
                              const sdk::Caller& caller, sdk::Table rows, sdk::Date today) {
  std::vector<sdk::FieldError> problems;
  const auto problem = [&](std::size_t row, const std::string& column, const std::string& rule,
                           const std::string& message) {
    if (problems.size() < kMaxReported)
      problems.push_back({"rows[" + std::to_string(row) + "]." + column, rule, message});
  };
  if (rows.empty()) throw sdk::ValidationError("rows", "not-empty", "the file has no header row");

  // Header: every column of the layout, nothing else, in any order. A column without a name
  // and without values (a trailing comma on every line, a spreadsheet's empty column) is no
  // column; one without a name that holds values is refused.
  std::map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < rows[0].size(); ++i) {
    const auto& name = rows[0][i];
    if (name.empty()) {
      const bool holds_values = std::any_of(rows.begin() + 1, rows.end(), [&](const auto& cells) {
        return i < cells.size() && !cells[i].empty();
      });
      if (holds_values && problems.size() < kMaxReported)
        problems.push_back({"rows[1]", "unnamed-column",
                            "column " + std::to_string(i + 1) +
                                " holds values but has no name in the header row"});
      continue;
    }
    if (std::find(importColumns().begin(), importColumns().end(), name) == importColumns().end())
      problem(1, name, "unknown-column", "not a column of the import layout");
    else if (!position.emplace(name, i).second)
      problem(1, name, "duplicate-column", "the column appears twice");
  }
  for (const auto& name : importColumns())
    if (!position.contains(name)) problem(1, name, "missing-column", "the layout needs it");
  if (!problems.empty()) throw sdk::ValidationError(problems);
  if (std::all_of(rows.begin() + 1, rows.end(), emptyRow))
    throw sdk::ValidationError("rows", "not-empty", "the file has no rows");
  std::vector<std::size_t> source_of;  // layout column -> file column
  for (const auto& name : importColumns()) source_of.push_back(position[name]);

  // Who may not be imported: the deceased, and members of active 低保 households.
  std::unordered_set<std::string> deceased, in_dibao;
  {
    soci::rowset<std::string> ids =
        (db.prepare << "SELECT citizen_id FROM civ_persons WHERE death_date IS NOT NULL");
    for (const auto& id : ids) deceased.insert(id);
    soci::rowset<std::string> covered =
        (db.prepare << "SELECT DISTINCT p.citizen_id FROM sa_members m JOIN civ_persons p ON "
                       "p.id = m.person_id WHERE m.left_on IS NULL AND (EXISTS (SELECT 1 FROM "
                       "sa_cases c WHERE c.household_id = m.household_id AND c.program = 'dibao'"
                       " AND c.status = 'active') OR EXISTS (SELECT 1 FROM sa_applications a "
                       "WHERE a.household_id = m.household_id AND a.program = 'dibao' AND "
                       "a.status NOT IN ('approved', 'refused', 'discontinued')))");
    for (const auto& id : covered) in_dibao.insert(id);
  }

  // Keys are views of the cells in `rows`, which outlives them: no copy of 243,000 IDs.
  std::vector<MemberRow> members;
  members.reserve(rows.size());
  std::unordered_map<std::string_view, std::size_t> first_member_of;  // household ref -> member
  first_member_of.reserve(rows.size());
  std::vector<std::string_view> household_order;
  std::unordered_set<std::string_view> seen_ids;
  seen_ids.reserve(rows.size());
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const std::size_t row = r + 1;  // as a spreadsheet numbers it, the header being row 1
    const auto& cells = rows[r];
    if (emptyRow(cells)) continue;  // a blank line, a spreadsheet's empty row
    if (cells.size() != rows[0].size()) {
      problem(row, "household_ref", "column-count",
              std::to_string(cells.size()) + " fields, the header has " +
                  std::to_string(rows[0].size()));
      continue;
    }
    const RowFields f(cells, source_of);
    for (std::size_t column = 0; column < kColumnCount; ++column) {
      const char* name = kColumnNames[column];
      const std::string& value = f[Column(column)];
      if (value.size() > 500) problem(row, name, "maxLength", "longer than 500 bytes");
      for (unsigned char c : value)
        if (c < 0x20 && c != '\t') {
          problem(row, name, "control-characters", "control characters are not allowed");
          break;
        }
    }
    for (Column column : {kHouseholdRef, kTownship, kVillage, kHukouAddress, kResidenceAddress,
                          kName, kInclusionReason})
      if (f[column].empty()) problem(row, kColumnNames[column], "required", "must not be empty");
    if (!f[kTownship].empty() && !sdk::coversTownship(caller, f[kTownship]))
      problem(row, "township", "in-scope", "outside the townships this user acts for");
    if (!oneOf(f[kCategory], {"urban", "rural"}))
      problem(row, "category", "enum", "urban or rural");
    if (!oneOf(f[kIncomeStability], {"stable", "unstable", ""}))
      problem(row, "income_stability", "enum", "stable or unstable");
    if (!f[kBankAccount].empty() &&
        (f[kBankAccount].size() < 8 || f[kBankAccount].size() > 30 ||
         f[kBankAccount].find_first_not_of("0123456789") != std::string::npos))
      problem(row, "bank_account", "pattern", "8 to 30 digits");
    if (auto check = sdk::CitizenId::check(f[kCitizenId], today))
      problem(row, "citizen_id", check->rule, check->message);
    else if (!seen_ids.insert(f[kCitizenId]).second)
      problem(row, "citizen_id", "duplicate-member", "the person is listed twice in the file");
    else if (deceased.contains(f[kCitizenId]))
      problem(row, "citizen_id", "person-deceased", "the person is recorded deceased");
    else if (in_dibao.contains(f[kCitizenId]))
      problem(row, "citizen_id", "one-active-dibao-household",
              "the person belongs to a household with an active 低保 case or application");
    if (!oneOf(f[kRelationship], {"applicant", "spouse", "child", "parent", "grandparent",
                                  "grandchild", "sibling", "other"}))
      problem(row, "relationship", "enum", "applicant, spouse, child, parent, ...");
    if (!oneOf(f[kWorkCapacity], {"full", "partial", "none"}))
      problem(row, "work_capacity", "enum", "full, partial or none");
    for (Column flag : {kLivesTogether, kSeriousIllness, kStudent, kNeedsLongTermCare})
      if (!parseFlag(f[flag]))
        problem(row, kColumnNames[flag], "boolean", "true/false, 1/0 or 是/否");
    if (!f[kDisabilityGrade].empty() && !oneOf(f[kDisabilityGrade], {"1", "2", "3", "4"}))
      problem(row, "disability_grade", "range", "1 to 4");
    if (!oneOf(f[kDisabilityType], {"", "visual", "hearing", "speech", "physical", "intellectual",
                                    "mental", "multiple"}))
      problem(row, "disability_type", "enum", "visual, hearing, speech, physical, ...");
    const bool has_income = !f[kIncomeAmount].empty() || !f[kIncomeCategory].empty();
    if (has_income) {
      if (!oneOf(f[kIncomeCategory], {"wages", "business", "property", "transfer", "other"}))
        problem(row, "income_category", "enum", "wages, business, property, transfer or other");
      const auto amount = sdk::Money::parse(f[kIncomeAmount]);
      if (!amount || amount->fen() < 0)
        problem(row, "income_amount", "money", "an amount in yuan, e.g. 1200.00");
      const auto from = sdk::Date::parse(f[kIncomePeriodFrom]);
      const auto to = sdk::Date::parse(f[kIncomePeriodTo]);
      if (!from) problem(row, "income_period_from", "date", "YYYY-MM-DD");
      if (!to) problem(row, "income_period_to", "date", "YYYY-MM-DD");
      if (from && to && *to < *from)
        problem(row, "income_period_to", "period-order", "before income_period_from");
      if (to && *to > today) problem(row, "income_period_to", "not-in-future", "after today");
    }
    // Household fields must agree across the household's rows.
    const auto [first, inserted] = first_member_of.try_emplace(f[kHouseholdRef], members.size());
    if (inserted) {
      household_order.push_back(f[kHouseholdRef]);
    } else {
      for (Column column : kHouseholdColumns)
        if (members[first->second].fields[column] != f[column])
          problem(row, kColumnNames[column], "household-fields-consistent",
                  "differs from the first row of household " + f[kHouseholdRef]);
    }
    members.push_back({row, f});
  }
  if (!problems.empty()) throw sdk::ValidationError(problems);

  // All rows pass: write. Household numbers are reserved as one block.
  const int year = today.year();
  const long long count = static_cast<long long>(household_order.size());
  const std::string kind = "HH";
  long long last = 0;
  db << "INSERT INTO sa_counters (county_code, kind, year, last_value) VALUES (:county, :kind, "
        ":year, :n1) ON CONFLICT (county_code, kind, year) DO UPDATE SET last_value = "
        "sa_counters.last_value + :n2 RETURNING last_value",
      soci::use(county), soci::use(kind), soci::use(year), soci::use(count), soci::use(count),
      soci::into(last);
  long long sequence = last - count;
  const std::string created = today.toString();

  // Households through the bulk writer too; their ids are read back by the reserved numbers
  // (fixed width, so the block is one range).
  std::unordered_map<std::string_view, long long> household_ids;  // by household ref
  household_ids.reserve(household_order.size());
  {
    std::unordered_map<std::string, std::string_view> ref_of_number;  // this block's numbers
    ref_of_number.reserve(household_order.size());
    std::string first, last;
    auto writer = context.storage().bulkWriter(
        db, "sa_households",
        {"county_code", "number", "category", "township", "village", "hukou_address",
         "residence_address", "income_stability", "bank_name", "bank_account", "created_on"});
    char buffer[64];
    const auto optional = [](const std::string& text) {
      return text.empty() ? sdk::BulkValue{} : sdk::BulkValue{text};
    };
    for (const auto& ref : household_order) {
      const auto& f = members[first_member_of.at(ref)].fields;
      std::snprintf(buffer, sizeof buffer, "HH%s-%04d-%06lld", county.c_str(), year, ++sequence);
      ref_of_number[buffer] = ref;
      // The block's least and greatest as text (a block crossing 999999 to 1000000 changes width).
      if (first.empty() || first > buffer) first = buffer;
      if (last.empty() || last < buffer) last = buffer;
      writer->add({county, std::string(buffer), f[kCategory], f[kTownship], f[kVillage],
                   f[kHukouAddress], f[kResidenceAddress],
                   f[kIncomeStability].empty() ? std::string("stable") : f[kIncomeStability],
                   optional(f[kBankName]), optional(f[kBankAccount]), created});
    }
    writer->finish();
    soci::rowset<soci::row> numbered =
        (db.prepare << "SELECT number, id FROM sa_households WHERE number >= :first AND number"
                       " <= :last",
         soci::use(first), soci::use(last));
    for (const auto& row : numbered) {
      // Only this block's (the range as text may also hold others of another width).
      const auto ours = ref_of_number.find(sdk::sql::textAt(row, 0));
      if (ours != ref_of_number.end()) household_ids[ours->second] = sdk::sql::int64At(row, 1);
    }
  }

  // Persons first: a bulk writer holds the session (COPY on PostgreSQL) until it finishes.
  std::vector<std::pair<std::string, std::string>> persons;
  persons.reserve(members.size());
  for (auto& member : members)
    persons.emplace_back(member.fields[kCitizenId], member.fields[kName]);
  const auto person_ids = context.persons().ensureRegisteredMany(db, persons, "rows");
  ImportResult result;
  result.households = count;
  {
    auto writer = context.storage().bulkWriter(
        db, "sa_members",
        {"household_id", "person_id", "relationship", "lives_together", "inclusion_reason",
         "work_capacity", "disability_grade", "disability_type", "serious_illness", "student",
         "needs_long_term_care", "joined_on"});
    for (std::size_t i = 0; i < members.size(); ++i) {
      const auto& f = members[i].fields;
      const auto flag = [&](Column column) -> sdk::BulkValue {
        return std::int64_t{*parseFlag(f[column]) ? 1 : 0};
      };
      writer->add(
          {std::int64_t{household_ids[f[kHouseholdRef]]}, person_ids[i], f[kRelationship],
           flag(kLivesTogether), f[kInclusionReason], f[kWorkCapacity],
           f[kDisabilityGrade].empty()
               ? sdk::BulkValue{}
               : sdk::BulkValue{std::int64_t{std::stoi(f[kDisabilityGrade])}},
           f[kDisabilityType].empty() ? sdk::BulkValue{} : sdk::BulkValue{f[kDisabilityType]},
           flag(kSeriousIllness), flag(kStudent), flag(kNeedsLongTermCare), created});
    }
    result.members = writer->finish();
  }
  {
    auto writer = context.storage().bulkWriter(
        db, "sa_income_items",
        {"household_id", "person_id", "category", "treatment", "amount_fen", "period_from",
         "period_to", "description", "recorded_on"});
    for (std::size_t i = 0; i < members.size(); ++i) {
      const auto& f = members[i].fields;
      if (f[kIncomeAmount].empty()) continue;
      writer->add({std::int64_t{household_ids[f[kHouseholdRef]]}, person_ids[i], f[kIncomeCategory],
                   std::string("counted"), sdk::Money::parse(f[kIncomeAmount])->fen(),
                   f[kIncomePeriodFrom], f[kIncomePeriodTo], std::string("import"), created});
    }
    result.income_items = writer->finish();
  }
  return result;
}

}  // namespace civ::plugins::social_assistance
