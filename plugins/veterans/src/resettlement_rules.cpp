#include "resettlement_rules.h"

#include <algorithm>

namespace civ::plugins::veterans::resettlement {

namespace {

bool has(const std::vector<std::string>& awards, const char* award) {
  return std::find(awards.begin(), awards.end(), award) != awards.end();
}

bool hasAny(const std::vector<std::string>& awards, std::initializer_list<const char*> wanted) {
  for (const char* award : wanted)
    if (has(awards, award)) return true;
  return false;
}

bool graded(const ServiceFacts& facts, int worst, int best) {
  return facts.disability_grade && *facts.disability_grade >= worst &&
         *facts.disability_grade <= best;
}

bool natureIs(const ServiceFacts& facts, const char* nature) {
  return facts.disability_nature && *facts.disability_nature == nature;
}

/// 因战 or 因公.
bool inServiceDisability(const ServiceFacts& facts) {
  return natureIs(facts, "war") || natureIs(facts, "duty");
}

/// The §36 conditions met (empty for a rank §36 does not cover).
std::vector<std::string> retirementConditions(const ServiceFacts& facts) {
  std::vector<std::string> met;
  if (!isIntermediateOrAbove(facts.rank_type)) return met;
  if (facts.birth_date.yearsUntil(facts.approved_on) >= 55)
    met.emplace_back("§36(1) 退出现役时年满55周岁");
  if (serviceYears(facts.enlisted_on, facts.approved_on) >= 30)
    met.emplace_back("§36(2) 服现役满30年");
  if (inServiceDisability(facts) && graded(facts, 1, 6))
    met.emplace_back("§36(3) 因战、因公致残被评定为1级至6级残疾等级");
  if (facts.serious_illness) met.emplace_back("§36(4) 患有严重疾病且经医学鉴定基本丧失工作能力");
  return met;
}

/// The §38 condition met, or "".
std::string stateCareCondition(const ServiceFacts& facts) {
  if (!graded(facts, 1, 4)) return "";
  if (!isIntermediateOrAbove(facts.rank_type))
    return "§38 ¶1 初级军士和义务兵被评定为1级至4级残疾等级";
  if (inServiceDisability(facts))
    return "§38 ¶2 因战、因公致残1级至4级的中级以上军士，自愿放弃退休安置";
  return "";
}

/// §38 ¶1: a 初级军士 or 义务兵 of grade 1–4 is kept by the state (no choice).
bool stateCareRequired(const ServiceFacts& facts) {
  return !isIntermediateOrAbove(facts.rank_type) && graded(facts, 1, 4);
}

std::string joined(const std::vector<std::string>& parts) {
  std::string text;
  for (const auto& part : parts) text += (text.empty() ? "" : "; ") + part;
  return text;
}

Eligibility refused(Eligibility result, std::string rule, std::string message) {
  result.eligible = false;
  result.rule = std::move(rule);
  result.message = std::move(message);
  return result;
}

}  // namespace

bool isNco(const std::string& rank_type) { return rank_type != "conscript"; }

bool isIntermediateOrAbove(const std::string& rank_type) {
  return rank_type == "intermediate_nco" || rank_type == "senior_nco";
}

// --- Report --------------------------------------------------------------------------------------

ReportLimits reportLimits(sdk::Date approved_on, std::optional<sdk::Date> report_by,
                          int report_days, int grace_days) {
  const sdk::Date due = report_by ? *report_by : approved_on.addDays(report_days);
  return {due, due.addDays(grace_days)};
}

ReportTiming reportTiming(const ReportLimits& limits, sdk::Date reported_on) {
  if (reported_on <= limits.due) return ReportTiming::OnTime;
  if (reported_on <= limits.waived_after) return ReportTiming::Late;
  return ReportTiming::PastWaiver;
}

const char* toString(ReportTiming timing) {
  switch (timing) {
    case ReportTiming::OnTime:
      return "on_time";
    case ReportTiming::Late:
      return "late";
    case ReportTiming::PastWaiver:
      return "past_waiver";
  }
  return "on_time";
}

bool reportOverdue(const ReportLimits& limits, sdk::Date today) { return today > limits.due; }

// --- Service
// --------------------------------------------------------------------------------------

int serviceYears(sdk::Date enlisted_on, sdk::Date approved_on) {
  return enlisted_on.yearsUntil(approved_on);
}

int serviceHalfYears(sdk::Date enlisted_on, sdk::Date approved_on) {
  if (approved_on <= enlisted_on) return 0;
  const int years = serviceYears(enlisted_on, approved_on);
  const sdk::Date anniversary = enlisted_on.addMonths(12 * years);
  if (anniversary >= approved_on) return 2 * years;
  // A remainder of up to six months is half a year; more than six months, a whole year.
  if (anniversary.addMonths(6) >= approved_on) return 2 * years + 1;
  return 2 * years + 2;
}

std::vector<sdk::FieldError> checkFacts(const ServiceFacts& facts) {
  std::vector<sdk::FieldError> problems;
  if (facts.enlisted_on <= facts.birth_date)
    problems.push_back({"enlisted_on", "after-birth", "the enlistment is not after the birth"});
  if (facts.approved_on <= facts.enlisted_on)
    problems.push_back(
        {"approved_on", "after-enlistment",
         "the approval to leave is not after the enlistment " + facts.enlisted_on.toString()});
  if (facts.disability_grade && !facts.disability_nature)
    problems.push_back({"disability_nature", "nature-with-grade",
                        "a disability grade needs its nature (因战, 因公 or 因病)"});
  if (facts.disability_nature && !facts.disability_grade)
    problems.push_back(
        {"disability_grade", "grade-with-nature", "a disability nature needs its grade (1 to 10)"});
  // 军人抚恤优待条例 2024 §27: disabilities from illness are graded 1 to 6 only.
  if (natureIs(facts, "illness") && facts.disability_grade && *facts.disability_grade > 6)
    problems.push_back({"disability_grade", "illness-grade",
                        "a disability from illness (因病) is graded 1 to 6 only"});
  return problems;
}

// --- Lump sums --------------------------------------------------------------------------------

HonoursSupplement honoursSupplement(const std::vector<std::string>& awards) {
  // §22, highest tier first: the first tier with an award held sets the percent.
  struct Tier {
    int percent;
    std::initializer_list<const char*> awards;
  };
  static const Tier kTiers[] = {
      {25, {"medal", "honorary_title"}},
      {20, {"first_class_war_merit", "first_level_commendation"}},
      {15, {"second_class_war_merit", "first_class_merit", "second_level_commendation"}},
      {10, {"third_class_war_merit", "second_class_merit"}},
      {5, {"fourth_class_war_merit", "third_class_merit"}},
  };
  for (const auto& tier : kTiers)
    for (const char* award : tier.awards)
      if (has(awards, award)) return {tier.percent, award};
  return {};
}

SelfEmploymentAmounts selfEmploymentAmounts(int service_half_years, sdk::Money per_year,
                                            const std::vector<std::string>& awards,
                                            sdk::Money grant_base, sdk::Money grant_per_year) {
  SelfEmploymentAmounts amounts;
  amounts.service_half_years = service_half_years;
  amounts.per_year = per_year;
  // 四舍五入 to the fen: only an odd number of fen times an odd number of half years has a half.
  amounts.base = sdk::Money::fromFen(
      sdk::divideRounded(per_year.fen() * service_half_years, 2, sdk::Rounding::HalfUp));
  amounts.honours = honoursSupplement(awards);
  amounts.supplement = sdk::Money::fromFen(
      sdk::divideRounded(amounts.base.fen() * amounts.honours.percent, 100, sdk::Rounding::HalfUp));
  amounts.lump_sum = amounts.base + amounts.supplement;
  amounts.local_grant =
      grant_base + sdk::Money::fromFen(sdk::divideRounded(grant_per_year.fen() * service_half_years,
                                                          2, sdk::Rounding::HalfUp));
  return amounts;
}

// --- Eligibility ------------------------------------------------------------------------------

Eligibility jobPlacement(const ServiceFacts& facts) {
  Eligibility result;
  result.type = "job_placement";
  if (isNco(facts.rank_type) && serviceYears(facts.enlisted_on, facts.approved_on) >= 12)
    result.conditions.emplace_back("§25(1) 军士服现役满12年");
  if (hasAny(facts.awards, {"medal", "honorary_title"}))
    result.conditions.emplace_back("§25(2) 服现役期间个人获得勋章、荣誉称号");
  if (hasAny(facts.awards, {"first_class_war_merit", "second_class_war_merit",
                            "third_class_war_merit", "first_class_merit", "second_class_merit"}))
    result.conditions.emplace_back("§25(3) 服现役期间个人荣获三等战功、二等功以上奖励");
  if (has(facts.awards, "first_level_commendation"))
    result.conditions.emplace_back("§25(4) 服现役期间个人获得一级表彰");
  if (natureIs(facts, "war") && graded(facts, 5, 8))
    result.conditions.emplace_back("§25(5) 因战致残被评定为5级至8级残疾等级");
  if (facts.martyr_child) result.conditions.emplace_back("§25(6) 烈士子女");
  if (facts.party_expelled) result.exclusions.emplace_back("§35(1) 被开除中国共产党党籍");
  if (facts.criminal_record) result.exclusions.emplace_back("§35(2) 受过刑事处罚");
  if (facts.forced_discharge)
    result.exclusions.emplace_back("§35(3) 因被强制退役等原因不宜以安排工作方式安置");
  if (!result.exclusions.empty())
    return refused(result, "job-placement-excluded",
                   "not resettled by job placement: " + joined(result.exclusions));
  if (result.conditions.empty())
    return refused(result, "job-placement-conditions",
                   "none of the six conditions of §25 is met (军士 12 years, 勋章/荣誉称号, "
                   "三等战功/二等功 or higher, 一级表彰, 因战 grade 5–8, 烈士子女)");
  const auto retire = retirementConditions(facts);
  // §25 ¶3: a 中级以上军士 disabled in war at grade 5–6 may give up retirement for a job.
  const bool may_waive_retirement = natureIs(facts, "war") && graded(facts, 5, 6);
  if (!retire.empty() && !may_waive_retirement)
    return refused(result, "retirement-applies",
                   "the soldier is resettled by retirement (" + joined(retire) + ")");
  if (stateCareRequired(facts))
    return refused(result, "state-care-applies",
                   "the soldier is kept by the state: §38 ¶1 (grade 1–4)");
  if (!retire.empty())
    result.conditions.emplace_back("§25 ¶3 因战致残5级至6级的中级以上军士，自愿放弃退休安置");
  result.eligible = true;
  return result;
}

Eligibility retirement(const ServiceFacts& facts) {
  Eligibility result;
  result.type = "retirement";
  if (!isIntermediateOrAbove(facts.rank_type))
    return refused(result, "retirement-rank",
                   "§36 retires 中级以上军士 only; this soldier is " + facts.rank_type);
  result.conditions = retirementConditions(facts);
  if (result.conditions.empty())
    return refused(result, "retirement-conditions",
                   "none of the conditions of §36 is met (age 55 on leaving, 30 years of "
                   "service, 因战/因公 grade 1–6, serious illness with lost work capacity)");
  result.eligible = true;
  return result;
}

Eligibility stateCare(const ServiceFacts& facts) {
  Eligibility result;
  result.type = "state_care";
  const std::string condition = stateCareCondition(facts);
  if (condition.empty())
    return refused(result, "state-care-conditions",
                   "§38 keeps by the state 初级军士 and 义务兵 of disability grade 1–4, and "
                   "中级以上军士 of grade 1–4 disabled in war or on duty");
  result.conditions.push_back(condition);
  result.eligible = true;
  return result;
}

Eligibility selfEmployment(const ServiceFacts& facts) {
  Eligibility result;
  result.type = "self_employment";
  const auto retire = retirementConditions(facts);
  if (!retire.empty())
    return refused(result, "retirement-applies",
                   "§20: self-employment is for soldiers not to be retired; this soldier is "
                   "retired (" +
                       joined(retire) + ")");
  if (stateCareRequired(facts))
    return refused(result, "state-care-applies",
                   "§20: self-employment is for soldiers not kept by the state; §38 ¶1 keeps "
                   "this soldier (grade 1–4)");
  result.conditions.emplace_back("§20 以自主就业方式安置");
  if (jobPlacement(facts).eligible)
    result.conditions.emplace_back("§20 ¶2 符合安排工作条件，选择自主就业");
  result.eligible = true;
  return result;
}

Eligibility eligibility(const std::string& type, const ServiceFacts& facts) {
  if (type == "job_placement") return jobPlacement(facts);
  if (type == "retirement") return retirement(facts);
  if (type == "state_care") return stateCare(facts);
  return selfEmployment(facts);
}

void requireEligible(const std::string& type, const ServiceFacts& facts) {
  const auto result = eligibility(type, facts);
  if (!result.eligible) throw sdk::ValidationError("type", result.rule, result.message);
}

// --- Placement
// ------------------------------------------------------------------------------------

sdk::Date placementDue(sdk::Date received_on) { return received_on.addMonths(6); }

sdk::Date postDue(sdk::Date letter_on) { return letter_on.addDays(30); }

int employerOwedMonths(sdk::Date letter_on, std::optional<sdk::Date> posted_on, sdk::Date today) {
  const sdk::Date end = posted_on.value_or(today);
  if (end <= postDue(letter_on)) return 0;
  return sdk::Month::of(letter_on).monthsUntil(sdk::Month::of(end)) + 1;
}

Allowance livingAllowance(sdk::Date from, sdk::Date until,
                          const std::function<sdk::Money(sdk::Date)>& wage_on) {
  Allowance allowance;
  for (sdk::Month month = sdk::Month::of(from); month.firstDay() < until; month = month.plus(1)) {
    const sdk::Date first = month.firstDay();
    const sdk::Date after = month.plus(1).firstDay();
    const sdk::Date start = std::max(from, first);
    const sdk::Date end = std::min(until, after);
    if (end <= start) continue;
    AllowanceMonth line;
    line.month = month;
    line.days = start.daysUntil(end);
    line.month_days = first.daysUntil(after);
    line.wage = wage_on(start);
    line.amount = line.days == line.month_days
                      ? line.wage
                      : sdk::Money::fromFen(sdk::divideRounded(
                            line.wage.fen() * line.days, line.month_days, sdk::Rounding::HalfUp));
    allowance.total += line.amount;
    allowance.months.push_back(line);
  }
  return allowance;
}

// --- Announcement --------------------------------------------------------------------------------

std::string maskName(const std::string& name) {
  std::string masked;
  std::size_t i = 0;
  int characters = 0;
  while (i < name.size()) {
    const auto lead = static_cast<unsigned char>(name[i]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    masked += characters == 0 ? name.substr(i, length) : "*";
    ++characters;
    i += length;
  }
  return masked;
}

long long permille(long long part, long long whole) {
  if (whole <= 0) return 0;
  return sdk::divideRounded(part * 1000, whole, sdk::Rounding::HalfUp);
}

}  // namespace civ::plugins::veterans::resettlement
