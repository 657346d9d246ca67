#include "veterans_rules.h"

#include <algorithm>

#include <civ/sdk/error.h>

namespace civ::plugins::veterans {

namespace {

template <std::size_t N>
bool among(const char* const (&codes)[N], const std::string& code) {
  for (const char* value : codes)
    if (code == value) return true;
  return false;
}

[[noreturn]] void missingStandard(const std::string& item, const std::string& key,
                                  const std::string& when) {
  throw sdk::ValidationError("national_standards", "national-table",
                             "the national table has no " + item + (key.empty() ? "" : " " + key) +
                                 " in force " + when +
                                 ": import the year's table (POST .../national-standards/imports)");
}

}  // namespace

bool isPeriodic(const std::string& type) { return among(kPeriodicTypes, type); }

sdk::Money monthlyShare(sdk::Money annual, unsigned month_of_year) {
  const sdk::Money month = annual.dividedBy(12, sdk::Rounding::HalfUp);
  if (month_of_year == 12) return annual - month * 11;
  return month;
}

void requirePensionableGrade(const Disability& disability, const std::string& field) {
  if (disability.grade < 1 || disability.grade > 10)
    throw sdk::ValidationError(field, "grade-1-10", "disability grades are 1 to 10");
  if (disability.nature == "illness" && disability.grade > 6)
    throw sdk::ValidationError(field, "illness-grades-1-6",
                               "因病 disability qualifies at grades 1 to 6 only (军人抚恤优待条例 "
                               "§27); grade " +
                                   std::to_string(disability.grade) + " does not");
}

std::string disabilityKey(const Disability& disability) {
  return disability.nature + "_" + std::to_string(disability.grade);
}

std::optional<sdk::Ratio> careAllowanceShare(const Disability& disability) {
  const bool war_or_duty = disability.nature == "war" || disability.nature == "duty";
  if (war_or_duty && disability.grade <= 2) return sdk::Ratio::parse("0.5");
  if (war_or_duty && disability.grade <= 4) return sdk::Ratio::parse("0.4");
  if (disability.nature == "illness" && disability.grade <= 4) return sdk::Ratio::parse("0.3");
  if (disability.mental_illness && (disability.grade == 5 || disability.grade == 6))
    return sdk::Ratio::parse("0.25");
  return std::nullopt;
}

std::pair<std::string, std::string> tableEntry(const PeriodicFacts& facts) {
  if (facts.type == "disability_pension") {
    if (!facts.disability)
      throw sdk::ValidationError("beneficiary_id", "disability",
                                 "a disability pension needs the file's disability assessment");
    return {"disability_pension", disabilityKey(*facts.disability)};
  }
  if (facts.type == "survivor_pension") return {"survivor_pension", facts.survivor_of};
  if (facts.type == "living_subsidy") return {"living_subsidy", facts.subsidy_group};
  return {"", ""};
}

sdk::Money periodicMonthAmount(const PeriodicFacts& facts, sdk::Month month,
                               const NationalTable& table, const LocalFigures& local) {
  if (facts.type == "care_allowance") {
    const auto share = facts.disability ? careAllowanceShare(*facts.disability) : std::nullopt;
    if (!share) return sdk::Money();  // no longer in a §34 band (e.g. a grade changed): nothing
    return local.average_monthly_wage.times(*share, sdk::Rounding::HalfUp);
  }
  if (facts.type == "hardship") return local.hardship_monthly;
  const auto [item, key] = tableEntry(facts);
  if (item.empty()) return sdk::Money();
  const auto* row = table.inForce(item, key, month.firstDay());
  if (!row) missingStandard(item, key, "on " + month.firstDay().toString());
  return monthlyShare(row->amount, month.month());
}

bool suspendedIn(const std::vector<Suspension>& suspensions, sdk::Month month) {
  for (const auto& suspension : suspensions)
    if (suspension.from <= month && (!suspension.to || month <= *suspension.to)) return true;
  return false;
}

bool paysMonth(sdk::Month start, std::optional<sdk::Month> end,
               const std::vector<Suspension>& suspensions, sdk::Month month) {
  if (month < start) return false;
  if (end && month > *end) return false;
  return !suspendedIn(suspensions, month);
}

std::optional<FuneralAid> funeralAid(const PeriodicFacts& facts, sdk::Date death,
                                     bool died_of_illness, const NationalTable& table) {
  int months = 0;
  if (facts.type == "survivor_pension") months = 6;                        // §22
  if (facts.type == "disability_pension" && died_of_illness) months = 12;  // §32
  if (months == 0) return std::nullopt;
  const auto [item, key] = tableEntry(facts);
  const auto* row = table.inForce(item, key, death);
  if (!row) missingStandard(item, key, "on " + death.toString());
  // Months of the standard in force on the day of death. 12 months are a year's pension, the
  // annual figure (what twelve monthly payments add up to, December's remainder included);
  // 6 months are six monthly payments of annual ÷ 12 to the fen, half up ("6 more months are
  // paid": 19,880.00 a year pays 1,656.67 a month, so 9,940.02, not half the year's 9,940.00).
  const sdk::Money amount = months == 12 ? row->amount : monthlyShare(row->amount, 1) * 6;
  return FuneralAid{months, amount};
}

const HonourLevel* honourLevel(const std::string& code) {
  for (const auto& level : kHonourLevels)
    if (code == level.code) return &level;
  return nullptr;
}

std::optional<HonourLevel> highestHonour(const std::vector<Award>& awards) {
  std::optional<HonourLevel> best;
  for (const auto& award : awards) {
    const auto* level = honourLevel(award.level);
    if (level && level->percent > 0 && (!best || level->percent > best->percent)) best = *level;
  }
  return best;
}

namespace {
/// The income of the year before the death, or the refusal naming the missing year.
std::pair<int, sdk::Money> incomeBefore(sdk::Date death, const NationalTable& table) {
  const int year = death.year() - 1;
  const auto* row = table.urbanIncome(year);
  if (!row)
    missingStandard("urban_income", std::to_string(year),
                    "(上一年度, the year before " + death.toString() + ")");
  return {year, row->amount};
}
}  // namespace

MartyrHonourPayment martyrHonour(sdk::Date death, const NationalTable& table) {
  const auto [year, income] = incomeBefore(death, table);
  return {year, income, income * 30};
}

DeathLumpSum deathLumpSum(const std::string& death_kind, sdk::Date death,
                          std::optional<sdk::Money> own_monthly_pay,
                          const std::vector<Award>& awards, const NationalTable& table) {
  DeathLumpSum sum;
  std::tie(sum.income_year, sum.income) = incomeBefore(death, table);
  sum.income_multiple = death_kind == "illness" ? 2 : 20;
  const auto* lieutenant = table.inForce("lieutenant_pay", "base", death);
  if (!lieutenant) missingStandard("lieutenant_pay", "base", "on " + death.toString());
  sum.lieutenant_pay = lieutenant->amount;
  sum.monthly_pay = std::max(own_monthly_pay.value_or(sdk::Money()), sum.lieutenant_pay);
  sum.base = sum.income * sum.income_multiple + sum.monthly_pay * 40;
  sum.honour = highestHonour(awards);
  if (sum.honour)
    sum.supplement = sum.base.times(sdk::Ratio::fromMillionths(sum.honour->percent * 10'000),
                                    sdk::Rounding::HalfUp);
  sum.amount = sum.base + sum.supplement;
  return sum;
}

std::string survivorCategory(const std::string& death_kind) {
  if (death_kind == "martyr") return "martyr_survivor";
  if (death_kind == "duty") return "duty_death_survivor";
  if (death_kind == "illness") return "illness_death_survivor";
  return "";
}

void requireEntitlementFits(const std::string& type, const BeneficiaryFacts& facts, sdk::Date on) {
  if (type == "disability_pension") {
    if (!facts.disability)
      throw sdk::ValidationError("type", "disability",
                                 "the file records no disability assessment: a disability "
                                 "pension needs one (§27)");
    requirePensionableGrade(*facts.disability, "type");
    return;
  }
  if (type == "care_allowance") {
    if (!facts.disability || !careAllowanceShare(*facts.disability))
      throw sdk::ValidationError(
          "type", "care-allowance-band",
          "护理费 is for 因战/因公 grades 1–4, 因病 grades 1–4 and mental illness at grades 5–6 "
          "(§34); the file's disability is in none");
    return;
  }
  if (type == "survivor_pension") {
    if (facts.fallen_death_kind.empty() ||
        facts.category != survivorCategory(facts.fallen_death_kind))
      throw sdk::ValidationError(
          "type", "survivor-of-fallen",
          "定期抚恤金 is for a survivor (烈士、因公牺牲、病故军人遗属) linked "
          "to the fallen serviceman's record (§19)");
    return;
  }
  if (type == "living_subsidy") {
    const std::string& group = facts.subsidy_group;
    if (group.empty() || !among(kSubsidyGroups, group))
      throw sdk::ValidationError("type", "subsidy-group",
                                 "定期生活补助 is for the §62 groups; the file names none");
    const bool survivor = facts.category == "martyr_survivor";
    if (group == "martyr_child_60") {
      if (!survivor || facts.relationship != "child")
        throw sdk::ValidationError("type", "martyr-child",
                                   "the group is 烈士子女: a martyr's survivor who is the child");
    } else if (facts.category != "veteran" && facts.category != "disabled_serviceman") {
      throw sdk::ValidationError("type", "subsidy-group",
                                 "group " + group + " is of retired servicemen (退役军人)");
    }
    if ((group == "rural_veteran_60" || group == "martyr_child_60") &&
        facts.birth_date.yearsUntil(on) < 60)
      throw sdk::ValidationError("type", "aged-60",
                                 "the group is of persons aged 60 or more; the person is " +
                                     std::to_string(facts.birth_date.yearsUntil(on)) + " on " +
                                     on.toString());
    if (group == "rural_veteran_60" && facts.hukou != "rural")
      throw sdk::ValidationError("type", "rural-hukou", "the group is of 农村籍 veterans");
    if (group == "enlisted_before_1954" &&
        (!facts.enlisted_on || *facts.enlisted_on > *sdk::Date::fromParts(1954, 10, 31)))
      throw sdk::ValidationError("type", "enlisted-before-1954-10-31",
                                 "the group is of those who enlisted on or before 1954-10-31; "
                                 "the service record says otherwise");
    return;
  }
  if (type == "hardship") return;  // a county top-up: the county's own conditions, recorded
  throw sdk::ValidationError("type", "periodic-type", "'" + type + "' is not a periodic type");
}

std::vector<std::string> requiredDocuments(const BeneficiaryFacts& facts) {
  // Every file: identity and household register (一人一档, 退役军人保障法 §8), and the bank
  // account the money goes to.
  std::vector<std::string> documents = {"id_card", "hukou_register", "bank_account_proof"};
  const std::string& category = facts.category;
  if (category == "veteran" || category == "disabled_serviceman")
    documents.push_back("discharge_certificate");
  if (category == "disabled_serviceman" || facts.disability) {
    documents.push_back("disability_certificate");
    documents.push_back("disability_assessment");
  }
  if (category == "martyr_survivor") documents.push_back("martyr_certificate");
  if (category == "duty_death_survivor" || category == "illness_death_survivor")
    documents.push_back("death_certificate");
  if (category == "martyr_survivor" || category == "duty_death_survivor" ||
      category == "illness_death_survivor" || category == "family")
    documents.push_back("relationship_proof");
  if (!facts.subsidy_group.empty()) documents.push_back("group_proof");
  return documents;
}

std::vector<std::string> missingDocuments(const BeneficiaryFacts& facts,
                                          const std::vector<std::string>& received) {
  std::vector<std::string> missing;
  for (const auto& document : requiredDocuments(facts))
    if (std::find(received.begin(), received.end(), document) == received.end())
      missing.push_back(document);
  return missing;
}

int serviceYears(sdk::Date enlisted, std::optional<sdk::Date> discharged, sdk::Date today) {
  return std::max(0, enlisted.yearsUntil(discharged.value_or(today)));
}

}  // namespace civ::plugins::veterans
