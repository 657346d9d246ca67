#include "social_orgs_rules.h"

#include <civ/sdk/uscc.h>

namespace civ::plugins::social_orgs {

namespace {

std::string yuan(sdk::Money money) { return money.toString() + " 元"; }

sdk::Date dateOf(int year, unsigned month, unsigned day) {
  return *sdk::Date::fromParts(year, month, day);
}

bool failing(const std::string& outcome) { return outcome == "absent" || outcome == "failed"; }

}  // namespace

bool hasNationalPrefix(const std::string& name) {
  for (const char* prefix : {"中国", "全国", "中华"})
    if (name.rfind(prefix, 0) == 0) return true;
  return false;
}

std::vector<sdk::FieldError> registrationProblems(const RegistrationFacts& facts,
                                                  const RegistrationMinimums& minimums) {
  std::vector<sdk::FieldError> problems;
  if (hasNationalPrefix(facts.name))
    problems.push_back({"name", "local-name-prefix",
                        "a body registered by the county may not start its name with 中国, 全国 or "
                        "中华 (社会团体登记管理条例 §10)"});
  if (facts.type == kGroup) {
    const auto individuals = facts.individual_members, units = facts.unit_members;
    if (individuals > 0 && units > 0) {
      if (individuals + units < minimums.mixed_members)
        problems.push_back({"individual_members", "member-count",
                            "individual and unit members together number " +
                                std::to_string(individuals + units) + "; at least " +
                                std::to_string(minimums.mixed_members) + " (§10(一))"});
    } else if (units > 0) {
      if (units < minimums.unit_members)
        problems.push_back({"unit_members", "member-count",
                            std::to_string(units) + " unit members; at least " +
                                std::to_string(minimums.unit_members) + " (§10(一))"});
    } else if (individuals < minimums.individual_members) {
      problems.push_back({"individual_members", "member-count",
                          std::to_string(individuals) + " individual members; at least " +
                              std::to_string(minimums.individual_members) + " (§10(一))"});
    }
  }
  if (facts.funds < minimums.funds) {
    const char* what = facts.type == kGroup ? "working funds (活动资金)"
                       : facts.type == kPne ? "start-up funds (开办资金)"
                                            : "founding funds (原始基金)";
    problems.push_back({"funds", "minimum-funds",
                        std::string(what) + " of " + yuan(facts.funds) + " are below the minimum " +
                            yuan(minimums.funds)});
  }
  if (facts.type == kPne) {
    if (!facts.non_state_assets || *facts.non_state_assets > facts.funds ||
        facts.non_state_assets->fen() * 3 < facts.funds.fen() * 2)
      problems.push_back({"non_state_assets", "non-state-share",
                          "non-state assets must be at least two thirds of the start-up funds "
                          "(and not more than them)"});
  }
  if ((facts.type == kGroup || facts.type == kPne) && facts.sponsor_unit.empty())
    problems.push_back({"sponsor_unit", "sponsor-approval",
                        "a social group or 民非 is registered with its sponsoring unit's "
                        "(业务主管单位) approval"});
  if (facts.type == kFoundation && facts.foundation_kind != "public" &&
      facts.foundation_kind != "non_public")
    problems.push_back({"foundation_kind", "foundation-kind",
                        "a foundation is public (公募) or non-public (非公募)"});
  return problems;
}

sdk::Date decisionDue(sdk::Date complete_on, int days) { return complete_on.addDays(days); }

std::optional<sdk::FieldError> usccProblem(const std::string& code, const std::string& type) {
  if (auto problem = sdk::checkUscc(code))
    return sdk::FieldError{"uscc", "uscc-" + problem->rule, problem->message};
  if (code[0] != '5')
    return sdk::FieldError{"uscc", "uscc-registry",
                           "a code registered by 民政 starts with 5, not " + code.substr(0, 1)};
  const char expected = type == kGroup ? '1' : type == kPne ? '2' : '3';
  if (code[1] != expected)
    return sdk::FieldError{"uscc", "uscc-type",
                           "the second character of a " + type + "'s code is " +
                               std::string(1, expected) + ", not " + code.substr(1, 1)};
  return std::nullopt;
}

std::string assignedUscc(const std::string& type, const std::string& county,
                         std::int64_t sequence) {
  std::string digits = std::to_string(sequence % 1000000);
  digits.insert(0, 6 - digits.size(), '0');
  const std::string body = "MJ" + digits;
  const char type_digit = type == kGroup ? '1' : type == kPne ? '2' : '3';
  const std::string first17 =
      std::string("5") + type_digit + county + body + sdk::organisationCodeCheckCharacter(body);
  return first17 + sdk::usccCheckCharacter(first17);
}

InspectionDates inspectionDates(const std::string& type, int year) {
  if (type == kFoundation) return {std::nullopt, dateOf(year + 1, 3, 31)};
  return {dateOf(year + 1, 3, 31), dateOf(year + 1, 5, 31)};
}

bool inspectionRequired(const std::string& type, sdk::Date registered_on, int year) {
  const auto year_end = dateOf(year, 12, 31);
  if (registered_on > year_end) return false;
  if (type == kPne && registered_on > year_end.addMonths(-6)) return false;
  return true;
}

std::optional<int> twoYearRevocationYear(const std::string& type,
                                         const std::map<int, std::string>& outcomes) {
  if (type != kPne) return std::nullopt;
  for (const auto& [year, outcome] : outcomes) {
    const auto before = outcomes.find(year - 1);
    if (before != outcomes.end() && failing(before->second) && failing(outcome)) return year;
  }
  return std::nullopt;
}

bool inactiveAfterRegistration(const std::string& type, sdk::Date registered_on,
                               std::optional<sdk::Date> first_activity_on, sdk::Date today) {
  if (type != kGroup) return false;
  const auto year_after = registered_on.addMonths(12);
  if (today < year_after) return false;
  return !first_activity_on || *first_activity_on > year_after;
}

bool needsRectification(const std::string& result) {
  return result == "basic" || result == "failed";
}

sdk::Date rectificationDue(sdk::Date result_on, int months) { return result_on.addMonths(months); }

sdk::Date gradeValidUntil(sdk::Date awarded_on) { return awarded_on.addMonths(60).addDays(-1); }

std::vector<sdk::FieldError> gradeProblems(const GradeFacts& facts) {
  std::vector<sdk::FieldError> problems;
  if (facts.registered_on.addMonths(24) > facts.applied_on)
    problems.push_back({"applied_on", "registered-two-years",
                        "an organisation is graded once registered for two full years (from " +
                            facts.registered_on.addMonths(24).toString() + ")"});
  const int last = facts.applied_on.year() - 1;
  if (!facts.last_year_outcome || *facts.last_year_outcome == "absent")
    problems.push_back({"inspection", "attended-last-inspection",
                        "did not attend the annual inspection of " + std::to_string(last)});
  else if (*facts.last_year_outcome == "failed")
    problems.push_back({"inspection", "passed-last-inspection",
                        "failed (不合格) the annual inspection of " + std::to_string(last)});
  else if (*facts.last_year_outcome == "basic" && facts.year_before_outcome == "basic")
    problems.push_back(
        {"inspection", "basic-two-years",
         "基本合格 in " + std::to_string(last - 1) + " and " + std::to_string(last)});
  if (facts.penalised_last_year)
    problems.push_back(
        {"penalties", "no-penalty-last-year", "penalised in " + std::to_string(last)});
  if (facts.under_investigation)
    problems.push_back({"penalties", "under-investigation",
                        "a penalty case on the organisation is open (立案调查中)"});
  if (facts.last_downgraded_on && facts.last_downgraded_on->addMonths(24) > facts.applied_on)
    problems.push_back({"grade", "downgrade-bar",
                        "downgraded on " + facts.last_downgraded_on->toString() +
                            ": no new application before " +
                            facts.last_downgraded_on->addMonths(24).toString()});
  if (facts.last_cancelled_on && facts.last_cancelled_on->addMonths(36) > facts.applied_on)
    problems.push_back({"grade", "cancellation-bar",
                        "grade cancelled on " + facts.last_cancelled_on->toString() +
                            ": no new application before " +
                            facts.last_cancelled_on->addMonths(36).toString()});
  return problems;
}

GradeConsequences gradeConsequences(int grade) { return {grade >= 3, grade >= 4}; }

sdk::Date changeDue(sdk::Date sponsor_approved_on) { return sponsor_approved_on.addDays(30); }

sdk::Date deregistrationDue(sdk::Date liquidation_ended_on) {
  return liquidation_ended_on.addDays(15);
}

sdk::CalendarResult abnormalListingDue(const sdk::WorkingDayCalendar& calendar,
                                       sdk::Date cause_on) {
  return calendar.addWorkingDays(cause_on, 5);
}

sdk::Date seriousListingDue(sdk::Date abnormal_listed_on) {
  return abnormal_listed_on.addMonths(24);
}

bool isPenaltyKind(const std::string& kind) {
  for (const char* known : {"warning", "fine", "confiscation", "suspension", "revocation"})
    if (kind == known) return true;
  return false;
}

sdk::Date penaltyDecisionDue(sdk::Date opened_on, int days) { return opened_on.addDays(days); }

bool hearingRequired(const std::string& kind, std::optional<sdk::Money> fine,
                     std::optional<sdk::Money> confiscated, sdk::Money large_amount) {
  if (kind == "suspension" || kind == "revocation") return true;
  if (fine && !(*fine < large_amount)) return true;
  if (confiscated && !(*confiscated < large_amount)) return true;
  return false;
}

std::vector<sdk::FieldError> penaltyDecisionProblems(const PenaltyDecisionFacts& facts,
                                                     const FineMultiples& multiples) {
  std::vector<sdk::FieldError> problems;
  const bool fine = facts.kind == "fine";
  if (fine) {
    if (!facts.fine || facts.fine->fen() <= 0)
      problems.push_back({"fine", "fine-required", "a fine names its amount, above zero"});
    if (facts.illegal_turnover.has_value() == facts.illegal_income.has_value()) {
      problems.push_back({"illegal_turnover", "fine-base",
                          "a fine is a multiple of the illegal turnover or of the illegal income: "
                          "name exactly one (社团条例 §30, 民非条例 §25)"});
    } else if (facts.fine && facts.fine->fen() > 0) {
      const bool turnover = facts.illegal_turnover.has_value();
      const auto base = turnover ? facts.illegal_turnover->fen() : facts.illegal_income->fen();
      const auto low = (turnover ? multiples.turnover_min : multiples.income_min);
      const auto high = (turnover ? multiples.turnover_max : multiples.income_max);
      const auto amount = facts.fine->fen();
      if (amount < low * base || amount > high * base)
        problems.push_back({"fine", "fine-range",
                            "a fine of " + facts.fine->toString() + " 元 is outside " +
                                std::to_string(low) + "-" + std::to_string(high) +
                                " times the illegal " + (turnover ? "turnover" : "income") +
                                " of " + sdk::Money::fromFen(base).toString() +
                                " 元: " + sdk::Money::fromFen(low * base).toString() + " to " +
                                sdk::Money::fromFen(high * base).toString() + " 元"});
    }
  } else {
    for (const auto& [field, given] : {std::pair<const char*, bool>{"fine", facts.fine.has_value()},
                                       {"illegal_turnover", facts.illegal_turnover.has_value()},
                                       {"illegal_income", facts.illegal_income.has_value()}})
      if (given) problems.push_back({field, "fine-only", "only a fine names this amount"});
  }
  if (facts.kind == "confiscation" && (!facts.confiscated || facts.confiscated->fen() <= 0))
    problems.push_back(
        {"confiscated", "confiscated-required", "a confiscation names the amount, above zero"});
  if (facts.confiscated && facts.kind != "confiscation" && !fine)
    problems.push_back({"confiscated", "fine-only",
                        "an amount is confiscated by a confiscation or beside a fine"});
  if (facts.kind == "suspension") {
    if (!facts.suspended_from || !facts.suspended_until ||
        *facts.suspended_from < facts.decided_on || *facts.suspended_until < *facts.suspended_from)
      problems.push_back({"suspended_from", "suspension-dates",
                          "a suspension runs from the decision day or later to a day not before "
                          "its start"});
  } else if (facts.suspended_from || facts.suspended_until) {
    problems.push_back({facts.suspended_from ? "suspended_from" : "suspended_until",
                        "suspension-only", "only a suspension has dates"});
  }
  return problems;
}

sdk::Date hearingRequestDeadline(const sdk::WorkingDayCalendar& calendar, sdk::Date notified_on) {
  return calendar.addWorkingDays(notified_on, 5).date;
}

sdk::Date earliestHearing(const sdk::WorkingDayCalendar& calendar, sdk::Date requested_on) {
  return calendar.addWorkingDays(requested_on, 7).date;
}

std::vector<sdk::FieldError> hearingProblems(const sdk::WorkingDayCalendar& calendar,
                                             const HearingFacts& hearing, sdk::Date on) {
  if (!hearing.notified_on)
    return {{"kind", "hearing-notice",
             "the party is told of its right to a hearing before a suspension, a revocation or "
             "a large fine or confiscation (行政处罚法 §63)"}};
  const sdk::Date request_by = hearingRequestDeadline(calendar, *hearing.notified_on);
  if (!hearing.requested_on && on <= request_by)
    return {{"kind", "hearing-window",
             "the party may ask for a hearing until " + request_by.toString() +
                 " (five working days, 行政处罚法 §64, §85)"}};
  if (hearing.requested_on && !hearing.held_on)
    return {{"kind", "hearing-held", "the hearing the party asked for has not been held"}};
  return {};
}

}  // namespace civ::plugins::social_orgs
