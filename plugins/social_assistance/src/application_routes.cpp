// Applications through the workflow: receipt (one-time notice of missing documents), acceptance,
// investigation with at least two investigators, township review, public notice with objections,
// county decision (four-eyes; a refusal states its reason), and the overdue list.
#include <set>

#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/calendar.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/context.h>
#include <civ/sdk/error.h>
#include <civ/sdk/events.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/persons.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/sql_json.h>

#include "assistance_parameters.h"
#include "benefit_formula.h"
#include "case_store.h"
#include "household_assessment.h"
#include "household_store.h"
#include "kept_queries.h"
#include "parameters.h"
#include "schemas.h"
#include "social_assistance_plugin.h"
#include "workflow.h"

namespace civ::plugins::social_assistance {

namespace {

using nlohmann::json;

struct ApplicationRow {
  std::int64_t id = 0;
  std::string county;
  std::string number;
  std::int64_t household_id = 0;
  std::int64_t applicant_person_id = 0;
  std::optional<std::int64_t> person_id;
  std::string program;
  std::string status;
  std::string submitted_by;
  std::optional<std::string> notice_until;
  std::optional<std::int64_t> requested_amount_fen;
  std::string township;                       ///< the household's
  std::optional<std::string> temporary_kind;  ///< 临时救助: emergency (急难型) or spending (支出型)

  /// 急难型 临时救助 alone may be approved before the check and the notice ("小金额先行救助",
  /// rules.md §1.6); 支出型 goes through 审核 and 公示 like any other application.
  bool approvedAheadOfNotice() const {
    return program == "temporary" && temporary_kind == std::optional<std::string>("emergency");
  }
};

/// What a public notice shows of a household: its size and, for 低保, the monthly amount
/// proposed from the month after the notice's first day, assessed as of that day.
struct NoticeFigures {
  int household_size = 0;
  std::optional<std::int64_t> amount_fen;  ///< 低保 only; 0 when not eligible
};

NoticeFigures noticeFigures(soci::session& db, std::int64_t household, const std::string& program,
                            const sdk::PolicyReader& reader, const std::string& county,
                            sdk::Date published_on) {
  const sdk::Date month = firstOfNextMonth(published_on);
  const AssistancePolicy policy(reader, county, month);
  const auto assessment =
      social_assistance::assessHousehold(db, household, policy, month, published_on);
  NoticeFigures figures;
  figures.household_size = assessment.members;
  if (program == "dibao")
    figures.amount_fen = assessment.dibao.eligible ? assessment.dibao.total.fen() : 0;
  return figures;
}

/// 支出型 临时救助 is approved only after its check and 公示; a clearer refusal than the
/// workflow's own for the step it would skip.
void requireSpendingNoticed(const ApplicationRow& application) {
  if (application.program == "temporary" && !application.approvedAheadOfNotice() &&
      application.status != "in_notice")
    throw sdk::Conflict(
        "支出型 temporary assistance is approved after its check and public "
        "notice (rules.md §1.6); only 急难型 is paid ahead of them; the "
        "application is '" +
        application.status + "'");
}

/// 特困 and 低保 exclude each other (rules.md §1.3), checked when either is applied for and again
/// when either is decided (the other may have been granted meanwhile): the 特困 cases active
/// among a household's current members, and the active 低保 cases of a person's households.
long long activeTekunMembers(soci::session& db, std::int64_t household_id) {
  long long count = 0;
  const long long household = household_id;
  db << "SELECT COUNT(*) FROM sa_members m JOIN sa_cases c ON c.person_id = m.person_id"
        " WHERE m.household_id = :h AND m.left_on IS NULL AND c.program = 'tekun'"
        " AND c.status = 'active'",
      soci::into(count), soci::use(household);
  return count;
}

long long activeDibaoOfPerson(soci::session& db, std::int64_t person_id) {
  long long count = 0;
  const long long person = person_id;
  db << "SELECT COUNT(*) FROM sa_cases c JOIN sa_members m ON m.household_id = c.household_id"
        " WHERE m.person_id = :p AND m.left_on IS NULL AND c.program = 'dibao' AND c.status "
        "= 'active'",
      soci::into(count), soci::use(person);
  return count;
}

const sdk::FieldError kDibaoExcludesTekun{
    "household_id", "dibao-excludes-tekun",
    "a current member of the household is supported as 特困; 特困 and 低保 exclude each other "
    "(rules.md §1.3: terminate the 特困 coverage, or the member leaves the household, first)"};
const sdk::FieldError kTekunExcludesDibao{
    "person_citizen_id", "tekun-excludes-dibao",
    "the person is covered by an active 低保 case; 特困 and 低保 exclude each other (terminate "
    "the 低保 coverage first)"};

/// The application of the request's county (NotFound otherwise) within the caller's township
/// scope (Forbidden otherwise).
ApplicationRow applicationInScope(sdk::Request& request, std::int64_t id) {
  auto& db = request.db();
  const std::string& county = request.county();
  const long long key = id;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT a.county_code, a.number, a.household_id, a.applicant_person_id,"
                     " a.person_id, a.program, a.status, a.submitted_by, a.notice_until,"
                     " a.requested_amount_fen, h.township, a.temporary_kind FROM sa_applications a"
                     " JOIN sa_households h ON h.id = a.household_id WHERE a.id = :id",
       soci::use(key));
  for (const auto& row : rows) {
    ApplicationRow a;
    a.id = id;
    a.county = sdk::sql::textAt(row, 0);
    if (a.county != county) break;
    a.number = sdk::sql::textAt(row, 1);
    a.household_id = sdk::sql::int64At(row, 2);
    a.applicant_person_id = sdk::sql::int64At(row, 3);
    a.person_id = sdk::sql::optionalInt64At(row, 4);
    a.program = sdk::sql::textAt(row, 5);
    a.status = sdk::sql::textAt(row, 6);
    a.submitted_by = sdk::sql::textAt(row, 7);
    a.notice_until = sdk::sql::optionalTextAt(row, 8);
    a.requested_amount_fen = sdk::sql::optionalInt64At(row, 9);
    a.township = sdk::sql::textAt(row, 10);
    a.temporary_kind = sdk::sql::optionalTextAt(row, 11);
    sdk::requireTownship(request.caller(), a.township, "application " + a.number);
    return a;
  }
  throw sdk::NotFound("no application " + std::to_string(id) + " in county " + county);
}

/// Moves the application, records the dated transition and its audit row.
void move(sdk::Request& request, const ApplicationRow& application, const std::string& action_name,
          const std::string& note) {
  const auto& action = workflowAction(action_name);
  requireActionAllowed(action, application.status);
  auto& db = request.db();
  const long long id = application.id;
  const std::string to = action.to, today = request.today().toString();
  db << "UPDATE sa_applications SET status = :s WHERE id = :id", soci::use(to), soci::use(id);
  db << "INSERT INTO sa_transitions (application_id, from_status, to_status, on_date, by_user,"
        " note) VALUES (:id, :f, :t, :d, :u, :n)",
      soci::use(id), soci::use(application.status), soci::use(to), soci::use(today),
      soci::use(request.caller().user), soci::use(note);
  request.audit({sizeof(sdk::AuditRecord),
                 "application." + action_name,
                 "application",
                 std::to_string(application.id),
                 {{"status", {{"old", application.status}, {"new", to}}},
                  {"note", {{"old", nullptr}, {"new", note}}}}});
}

void setDate(soci::session& db, const char* column, std::int64_t id, sdk::Date date) {
  const long long key = id;
  const std::string text = date.toString();
  db << std::string("UPDATE sa_applications SET ") + column + " = :d WHERE id = :id",
      soci::use(text), soci::use(key);
}

std::optional<sdk::Date> optionalDate(const soci::row& row, std::size_t index) {
  if (auto text = sdk::sql::optionalTextAt(row, index)) return sdk::Date::parse(*text);
  return std::nullopt;
}

/// 张三 → 张*, 欧阳娜娜 → 欧***: the first character, the rest masked (审核确认办法 §24).
std::string maskName(const std::string& name) {
  std::string masked;
  std::size_t i = 0;
  int characters = 0;
  while (i < name.size()) {
    const unsigned char lead = static_cast<unsigned char>(name[i]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    if (characters == 0)
      masked += name.substr(i, length);
    else
      masked += "*";
    ++characters;
    i += length;
  }
  return masked;
}

std::string escapeHtml(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

/// Whether the household or person (`column` is "household_id" or "person_id") has an open
/// application or an active case of `program`.
// Whether the household or person `key` has an open application or an active case of `program`
// (the queries for households or for persons, from KeptQueries).
bool hasOpenApplicationOrCase(soci::session& db, sdk::KeptQuery& open_applications,
                              sdk::KeptQuery& active_cases, std::int64_t key,
                              const std::string& program) {
  std::int64_t found = 0;
  const auto add = [&](const soci::row& row) { found += sdk::sql::int64At(row, 0); };
  open_applications.forEach(db, {key, program}, add);
  active_cases.forEach(db, {key, program}, add);
  return found > 0;
}

const char* programKind(const std::string& program) {
  if (program == "dibao") return "DB";
  if (program == "dibao_edge") return "BY";
  if (program == "tekun") return "TK";
  if (program == "temporary") return "LS";
  if (program == "disability_living") return "CS";
  return "CH";  // disability_care
}

}  // namespace

namespace {

/// An application's answer from application_with_lists rows: the application's columns, the
/// same on every row, then one list entry (a transition, an investigator or an objection).
class ApplicationAnswer {
 public:
  void add(const soci::row& row) {
    if (body_.is_null()) {
      body_ = {{"number", sdk::sql::textAt(row, 0)},
               {"household_id", sdk::sql::int64At(row, 1)},
               {"program", sdk::sql::textAt(row, 2)},
               {"status", sdk::sql::textAt(row, 3)},
               {"received_on", sdk::sql::textOrNullAt(row, 4)},
               {"accepted_on", sdk::sql::textOrNullAt(row, 5)},
               {"investigation_started_on", sdk::sql::textOrNullAt(row, 6)},
               {"investigated_on", sdk::sql::textOrNullAt(row, 7)},
               {"township_reviewed_on", sdk::sql::textOrNullAt(row, 8)},
               {"township_opinion", sdk::sql::textOrNullAt(row, 9)},
               {"notice_location", sdk::sql::textOrNullAt(row, 10)},
               {"notice_from", sdk::sql::textOrNullAt(row, 11)},
               {"notice_until", sdk::sql::textOrNullAt(row, 12)},
               {"decided_on", sdk::sql::textOrNullAt(row, 13)},
               {"decision", sdk::sql::textOrNullAt(row, 14)},
               {"refusal_reason", sdk::sql::textOrNullAt(row, 15)},
               {"submitted_by", sdk::sql::textOrNullAt(row, 16)},
               {"decided_by", sdk::sql::textOrNullAt(row, 17)},
               {"missing_documents", json::parse(sdk::sql::optionalTextAt(row, 18).value_or("[]"))},
               {"extended", sdk::sql::int64At(row, 19) != 0},
               {"support_mode", sdk::sql::textOrNullAt(row, 20)},
               {"temporary_kind", sdk::sql::textOrNullAt(row, 22)}};
      if (auto items = sdk::sql::optionalInt64At(row, 21)) body_["self_care_failed_items"] = *items;
      if (auto amount = sdk::sql::optionalInt64At(row, 23))
        body_["requested_amount"] = sdk::Money::fromFen(*amount).toString();
      if (auto person = sdk::sql::optionalInt64At(row, 24)) body_["person_id"] = *person;
    }
    constexpr std::size_t at = kApplicationListColumn;
    const auto kind = sdk::sql::optionalTextAt(row, at);
    if (!kind) return;  // no list entry (not from the routes: each submission records one)
    if (*kind == "t") {
      transitions_.push_back(
          sdk::jsonObject({{"from", sdk::sql::optionalTextAt(row, at + 2).value_or("")},
                           {"to", sdk::sql::textAt(row, at + 3)},
                           {"on", sdk::sql::textAt(row, at + 4)},
                           {"by", sdk::sql::textAt(row, at + 5)},
                           {"note", sdk::sql::optionalTextAt(row, at + 6).value_or("")}}));
    } else if (*kind == "i") {
      investigators_.push_back(sdk::sql::textAt(row, at + 2));
    } else {
      objections_.push_back(sdk::jsonObject({{"raised_on", sdk::sql::textAt(row, at + 2)},
                                             {"content", sdk::sql::textAt(row, at + 3)},
                                             {"resolution", sdk::sql::textAt(row, at + 4)}}));
    }
  }

  /// The answer of application `id`; NotFound when no row came.
  json take(std::int64_t id) {
    if (body_.is_null()) throw sdk::NotFound("no application " + std::to_string(id));
    body_["id"] = id;
    body_["transitions"] = std::move(transitions_);
    body_["investigators"] = std::move(investigators_);
    body_["objections"] = std::move(objections_);
    return std::move(body_);
  }

 private:
  json body_;
  json transitions_ = json::array();
  json investigators_ = json::array();
  json objections_ = json::array();
};

}  // namespace

json SocialAssistancePlugin::applicationJson(soci::session& db, std::int64_t id) const {
  ApplicationAnswer answer;
  queries_->application_with_lists.forEach(db, {id, id, id, id, id},
                                           [&](const soci::row& row) { answer.add(row); });
  return answer.take(id);
}

sdk::Response SocialAssistancePlugin::submitApplication(sdk::Request& request) {
  const json& body = request.body();
  auto& db = request.db();
  const std::int64_t household_id = body["household_id"];
  requireHouseholdInScope(request, *queries_, household_id);
  const std::string program = body["program"];
  const long long household = household_id;

  const auto memberPerson = [&](const char* field) -> std::int64_t {
    std::optional<std::int64_t> person;
    queries_->current_member.forEach(
        db, {household_id, body[field].get<std::string>()},
        [&](const soci::row& row) { person = sdk::sql::int64At(row, 0); });
    if (!person)
      throw sdk::ValidationError(
          field, "member-of-household",
          "the person is not a current member of household " + std::to_string(household_id));
    return *person;
  };
  const std::int64_t applicant = memberPerson("applicant_citizen_id");
  std::optional<std::int64_t> person;
  const AssistancePolicy policy(context_->policy(), request.county(), request.today());
  std::vector<sdk::FieldError> problems;

  if (program == "dibao" || program == "dibao_edge" || program == "temporary") {
    if (program != "temporary") {
      if (hasOpenApplicationOrCase(db, queries_->open_household_applications,
                                   queries_->active_household_cases, household, program))
        problems.push_back(
            {"household_id", "one-application-per-household",
             "the household already has an open " + program + " application or an active case"});
    }
    if (program == "dibao" && activeTekunMembers(db, household_id) > 0)
      problems.push_back(kDibaoExcludesTekun);
  } else {
    if (!body.contains("person_citizen_id"))
      throw sdk::ValidationError("person_citizen_id", "required",
                                 program + " is granted to one person: name them");
    person = memberPerson("person_citizen_id");
    const long long person_key = *person;
    long long grade = 0;
    soci::indicator grade_present = soci::i_null;
    std::string type;
    soci::indicator type_present = soci::i_null;
    int care = 0;
    std::string birth;
    db << "SELECT m.disability_grade, m.disability_type, m.needs_long_term_care, p.birth_date"
          " FROM sa_members m JOIN civ_persons p ON p.id = m.person_id"
          " WHERE m.household_id = :h AND m.person_id = :p AND m.left_on IS NULL",
        soci::into(grade, grade_present), soci::into(type, type_present), soci::into(care),
        soci::into(birth), soci::use(household), soci::use(person_key);
    const std::optional<int> disability =
        grade_present == soci::i_ok ? std::optional<int>(static_cast<int>(grade)) : std::nullopt;
    if (hasOpenApplicationOrCase(db, queries_->open_person_applications,
                                 queries_->active_person_cases, person_key, program))
      problems.push_back(
          {"person_citizen_id", "one-application-per-person",
           "the person already has an open " + program + " application or an active case"});
    if (program == "tekun") {
      if (!body.contains("support_mode"))
        problems.push_back({"support_mode", "required",
                            "特困 needs 集中 or 分散 (concentrated "
                            "or dispersed)"});
      if (!body.contains("self_care_failed_items"))
        problems.push_back({"self_care_failed_items", "required",
                            "the six-item self-care assessment: how many items failed (0-6)"});
      const int age = sdk::Date::parse(birth)->yearsUntil(request.today());
      if (!tekunUnableToWork(age, disability, type_present == soci::i_ok ? type : ""))
        problems.push_back({"person_citizen_id", "tekun-unable-to-work",
                            "特困 requires no work capacity: aged 60 or over, under 16, or "
                            "disabled at the listed grades (认定办法 §6)"});
      if (activeDibaoOfPerson(db, *person) > 0) problems.push_back(kTekunExcludesDibao);
    } else if (program == "disability_living") {
      long long on_dibao = 0;
      db << "SELECT COUNT(*) FROM sa_cases WHERE household_id = :h AND program = 'dibao' AND "
            "status = 'active'",
          soci::into(on_dibao), soci::use(household);
      if (!disabilityLivingEligible(disability, on_dibao > 0))
        problems.push_back({"person_citizen_id", "disability-living-eligibility",
                            "the living subsidy is for members with a disability grade 1-4 of a "
                            "household with an active 低保 case"});
    } else if (program == "disability_care") {
      if (!disabilityCareEligible(disability, care != 0))
        problems.push_back({"person_citizen_id", "disability-care-eligibility",
                            "the care subsidy is for disability grades 1-2 needing long-term "
                            "care (6 months or more)"});
    }
  }
  if (program == "temporary") {
    if (!body.contains("temporary_kind"))
      problems.push_back({"temporary_kind", "required", "急难型 (emergency) or 支出型 (spending)"});
    if (!body.contains("requested_amount")) {
      problems.push_back({"requested_amount", "required", "the amount applied for"});
    } else {
      const auto cap = policy.temporaryCap();
      if (fenOf(body["requested_amount"]) > cap.fen())
        problems.push_back({"requested_amount", kTemporaryCapMonths.key,
                            "above the cap of one grant, " + cap.toString() + " yuan"});
    }
  }
  if (!problems.empty()) throw sdk::ValidationError(problems);

  json missing = body.value("missing_documents", json::array());
  const std::string status = missing.empty() ? "accepted" : "pending_documents";
  const std::string number_kind = std::string("A") + programKind(program);
  const std::string today = request.today().toString();
  const std::string missing_text = missing.dump();
  using Value = sdk::KeptQuery::Parameter;  // std::monostate{} is NULL
  const auto textOrNull = [&](const char* field) {
    const std::string text = body.value(field, "");
    return text.empty() ? Value{} : Value{text};
  };
  const auto present = [&](const char* field, auto value) {
    return body.contains(field) ? Value{std::int64_t{value}} : Value{};
  };
  // The application's values from the household on, as insert_application takes them.
  const std::vector<Value> values = {
      household_id,
      applicant,
      person ? Value{*person} : Value{},
      program,
      status,
      today,
      status == "accepted" ? Value{today} : Value{},
      request.caller().user,
      missing_text,
      std::int64_t{body.value("extended", false) ? 1 : 0},
      textOrNull("support_mode"),
      present("self_care_failed_items", body.value("self_care_failed_items", 0)),
      textOrNull("temporary_kind"),
      present("requested_amount",
              body.contains("requested_amount") ? fenOf(body["requested_amount"]) : 0)};
  const std::string note =
      missing.empty() ? "materials complete" : "一次性告知补正: " + missing_text;
  std::int64_t id = 0;
  json answer;
  if (queries_->submit_application) {
    // PostgreSQL: number, application, transition and answer in one round trip
    // (kept_queries.h).
    std::vector<Value> parameters = {
        request.county(), number_kind, std::int64_t{request.today().year()}, request.county(),
        numberPrefix(number_kind, request.county(), request.today().year())};
    parameters.insert(parameters.end(), values.begin(), values.end());
    parameters.emplace_back(note);
    ApplicationAnswer written;
    queries_->submit_application->forEach(db, parameters, [&](const soci::row& row) {
      written.add(row);
      id = sdk::sql::int64At(row, kApplicationListColumn + 7);
    });
    answer = written.take(id);
  } else {
    const std::string number = nextNumber(queries_->next_number, db, request.county(), number_kind,
                                          request.today().year());
    std::vector<Value> parameters = {request.county(), number};
    parameters.insert(parameters.end(), values.begin(), values.end());
    queries_->insert_application.forEach(
        db, parameters, [&](const soci::row& row) { id = sdk::sql::int64At(row, 0); });
    queries_->insert_transition.forEach(
        db, {id, Value{}, status, today, request.caller().user, note}, [](const soci::row&) {});
    answer = applicationJson(db, id);
  }
  request.audit({sizeof(sdk::AuditRecord), "application.submit", "application", std::to_string(id),
                 sdk::changedFields(nullptr, {{"number", answer["number"]},
                                              {"program", program},
                                              {"household_id", household_id},
                                              {"status", status}})});
  return sdk::Response::created(std::move(answer), "/applications/" + std::to_string(id));
}

sdk::Response SocialAssistancePlugin::getApplication(sdk::Request& request) {
  const auto application = applicationInScope(request, request.pathId("id"));
  return sdk::Response::ok(applicationJson(request.db(), application.id));
}

sdk::Response SocialAssistancePlugin::documentsComplete(sdk::Request& request) {
  const auto application = applicationInScope(request, request.pathId("id"));
  move(request, application, "documents_complete", "materials completed");
  setDate(request.db(), "accepted_on", application.id, request.today());
  return sdk::Response::ok(applicationJson(request.db(), application.id));
}

sdk::Response SocialAssistancePlugin::startInvestigation(sdk::Request& request) {
  const auto application = applicationInScope(request, request.pathId("id"));
  move(request, application, "start_investigation", request.body().value("note", ""));
  setDate(request.db(), "investigation_started_on", application.id, request.today());
  return sdk::Response::ok(applicationJson(request.db(), application.id));
}

namespace {

/// The investigation round of an application: each objection that sends it back starts a new
/// round with signatures of its own.
int investigationRound(soci::session& db, std::int64_t application_id) {
  const long long id = application_id;
  int round = 0;
  db << "SELECT COUNT(*) FROM sa_transitions WHERE application_id = :a AND to_status = "
        "'investigated'",
      soci::into(round), soci::use(id);
  return round;
}

/// Who has signed the current round, as they signed.
std::vector<std::string> roundSigners(soci::session& db, std::int64_t application_id, int round) {
  const long long id = application_id;
  std::vector<std::string> signers;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT investigator FROM sa_investigators WHERE application_id = :a AND"
                     " round = :r ORDER BY signed_on, investigator",
       soci::use(id), soci::use(round));
  for (const auto& row : rows) signers.push_back(sdk::sql::textAt(row, 0));
  return signers;
}

}  // namespace

sdk::Response SocialAssistancePlugin::signInvestigation(sdk::Request& request) {
  auto& db = request.db();
  const auto application = applicationInScope(request, request.pathId("id"));
  if (application.status != "investigating")
    throw sdk::Conflict("application " + application.number + " is " + application.status +
                        "; investigators sign while it is investigating");
  const int round = investigationRound(db, application.id);
  const std::string& user = request.caller().user;
  for (const auto& signer : roundSigners(db, application.id, round))
    if (sdk::sameUser(signer, user))
      throw sdk::Error(
          409, "already-signed", "Already signed",
          user + " has already signed this investigation of application " + application.number);
  const long long id = application.id;
  const std::string today = request.today().toString();
  db << "INSERT INTO sa_investigators (application_id, round, investigator, signed_on) VALUES"
        " (:a, :r, :i, :d)",
      soci::use(id), soci::use(round), soci::use(user), soci::use(today);
  request.audit({sizeof(sdk::AuditRecord),
                 "application.investigation_signed",
                 "application",
                 application.number,
                 {{"investigator", {{"old", nullptr}, {"new", user}}},
                  {"round", round},
                  {"note", request.body().is_null() ? "" : request.body().value("note", "")}}});
  return sdk::Response::ok(applicationJson(db, application.id));
}

sdk::Response SocialAssistancePlugin::completeInvestigation(sdk::Request& request) {
  auto& db = request.db();
  const auto application = applicationInScope(request, request.pathId("id"));
  const json& body = request.body();
  // Two different people, each signing with their own account (审核确认办法 §16): names typed
  // into a form prove nothing.
  const int round = investigationRound(db, application.id);
  const auto signers = roundSigners(db, application.id, round);
  if (signers.size() < 2) {
    std::string signed_so_far;
    for (const auto& signer : signers)
      signed_so_far += (signed_so_far.empty() ? "" : ", ") + signer;
    throw sdk::ValidationError(
        "investigators", "two-investigators",
        "at least two different investigators must each sign with their own account (POST "
        ".../investigation/signatures) before the investigation is complete (审核确认办法 §16);"
        " signed so far: " +
            (signed_so_far.empty() ? std::string("nobody") : signed_so_far));
  }
  move(request, application, "complete_investigation", body.value("note", ""));
  const long long id = application.id;
  const json checks = body.value("data_checks", json::array());
  for (const auto& check : checks) {
    const std::string item = check["item"], result = check["result"];
    db << "INSERT INTO sa_data_checks (application_id, item, result) VALUES (:a, :i, :r)",
        soci::use(id), soci::use(item), soci::use(result);
  }
  setDate(db, "investigated_on", application.id, request.today());
  return sdk::Response::ok(applicationJson(db, application.id));
}

sdk::Response SocialAssistancePlugin::townshipReview(sdk::Request& request) {
  auto& db = request.db();
  const auto application = applicationInScope(request, request.pathId("id"));
  const std::string opinion = request.body()["opinion"];
  move(request, application, "township_review", "乡镇初审: " + opinion);
  setDate(db, "township_reviewed_on", application.id, request.today());
  const long long id = application.id;
  db << "UPDATE sa_applications SET township_opinion = :o WHERE id = :id", soci::use(opinion),
      soci::use(id);
  return sdk::Response::ok(applicationJson(db, application.id));
}

sdk::Response SocialAssistancePlugin::publishNotice(sdk::Request& request) {
  auto& db = request.db();
  const auto application = applicationInScope(request, request.pathId("id"));
  const json& body = request.body();
  const sdk::Date from =
      body.contains("from") ? *sdk::Date::parse(body["from"].get<std::string>()) : request.today();
  if (from < request.today())
    throw sdk::ValidationError("from", "not-in-past", "a notice cannot start before today");
  const int days = static_cast<int>(context_->policy().get(kNoticeDays, request.county(), from));
  const bool working = context_->policy().get(kNoticeWorkingDays, request.county(), from);
  const sdk::Date until = noticeLastDay(from, days, working, context_->calendar());
  move(request, application, "publish_notice",
       "公示 " + from.toString() + " to " + until.toString());
  const long long id = application.id;
  const std::string location = body["location"], from_text = from.toString(),
                    until_text = until.toString();
  // What the notice shows is kept with it (GET /notices): the household's size and, for 低保,
  // the monthly amount proposed from the month after publication.
  const NoticeFigures figures = noticeFigures(db, application.household_id, application.program,
                                              context_->policy(), request.county(), from);
  const int household_size = figures.household_size;
  soci::indicator amount_present = figures.amount_fen ? soci::i_ok : soci::i_null;
  const long long amount_fen = figures.amount_fen.value_or(0);
  db << "UPDATE sa_applications SET notice_location = :l, notice_from = :f, notice_until = :u,"
        " notice_household_size = :s, notice_amount_fen = :a WHERE id = :id",
      soci::use(location), soci::use(from_text), soci::use(until_text), soci::use(household_size),
      soci::use(amount_fen, amount_present), soci::use(id);
  return sdk::Response::ok(applicationJson(db, application.id));
}

sdk::Response SocialAssistancePlugin::raiseObjection(sdk::Request& request) {
  auto& db = request.db();
  const auto application = applicationInScope(request, request.pathId("id"));
  const json& body = request.body();
  if (application.status == "in_notice" && application.notice_until &&
      request.today() > *sdk::Date::parse(*application.notice_until))
    throw sdk::ValidationError("raised_on", "within-notice-period",
                               "the notice ended on " + *application.notice_until);
  const std::string resolution = body["resolution"];
  move(request, application,
       resolution == "reinvestigate" ? "objection_reinvestigate" : "objection_community_review",
       "公示异议: " + resolution);
  const long long id = application.id;
  const std::string today = request.today().toString(), content = body["content"];
  db << "INSERT INTO sa_objections (application_id, raised_on, content, resolution) VALUES (:a,"
        " :d, :c, :r)",
      soci::use(id), soci::use(today), soci::use(content), soci::use(resolution);
  // The notice is over: a new one is published after the new review. A re-investigation
  // starts again from its own start date; the overall limit may be extended (objection).
  db << "UPDATE sa_applications SET notice_from = NULL, notice_until = NULL, extended = 1"
        " WHERE id = :id",
      soci::use(id);
  if (resolution == "reinvestigate") setDate(db, "investigation_started_on", id, request.today());
  return sdk::Response::ok(applicationJson(db, application.id));
}

sdk::Response SocialAssistancePlugin::communityReview(sdk::Request& request) {
  auto& db = request.db();
  const auto application = applicationInScope(request, request.pathId("id"));
  const json& body = request.body();
  const std::string opinion = body["opinion"];
  move(request, application, "community_review",
       "民主评议 (" + std::to_string(body["participants"].get<int>()) +
           " participants): " + opinion);
  const long long id = application.id;
  db << "UPDATE sa_applications SET township_opinion = :o WHERE id = :id", soci::use(opinion),
      soci::use(id);
  setDate(db, "township_reviewed_on", application.id, request.today());
  return sdk::Response::ok(applicationJson(db, application.id));
}

std::int64_t SocialAssistancePlugin::grantCase(sdk::Request& request, std::int64_t application_id) {
  auto& db = request.db();
  const auto application = applicationInScope(request, application_id);
  const long long key = application_id;
  std::string support_mode;
  soci::indicator support_present = soci::i_null;
  long long failed_items = 0;
  soci::indicator failed_present = soci::i_null;
  db << "SELECT support_mode, self_care_failed_items FROM sa_applications WHERE id = :id",
      soci::into(support_mode, support_present), soci::into(failed_items, failed_present),
      soci::use(key);
  // Paid from the month after approval (§21); a temporary grant in the month it is decided.
  const sdk::Date start = application.program == "temporary"
                              ? *parseMonth(monthText(request.today()))
                              : firstOfNextMonth(request.today());
  const std::string start_month = monthText(start);
  std::optional<std::string> end_month;
  if (application.program == "temporary") end_month = start_month;

  std::string stability;
  const long long household = application.household_id;
  db << "SELECT income_stability FROM sa_households WHERE id = :h", soci::into(stability),
      soci::use(household);
  const AssistancePolicy policy(context_->policy(), request.county(), start);
  const auto review_months = policy.get(reviewMonths(stability == "unstable"));
  const std::string next_review =
      request.today().addMonths(static_cast<int>(review_months)).toString();

  const std::string number = nextNumber(queries_->next_number, db, request.county(),
                                        programKind(application.program), request.today().year());
  const long long person = application.person_id.value_or(0);
  soci::indicator person_present = application.person_id ? soci::i_ok : soci::i_null;
  const long long payee = application.person_id.value_or(application.applicant_person_id);
  std::string level =
      failed_present == soci::i_ok ? toString(selfCareLevel(static_cast<int>(failed_items))) : "";
  soci::indicator level_present = level.empty() ? soci::i_null : soci::i_ok;
  long long fixed = application.requested_amount_fen.value_or(0);
  soci::indicator fixed_present = application.program == "temporary" ? soci::i_ok : soci::i_null;
  std::string end = end_month.value_or("");
  soci::indicator end_present = end_month ? soci::i_ok : soci::i_null;
  const std::string decided = request.today().toString();
  long long id = 0;
  db << "INSERT INTO sa_cases (county_code, number, household_id, person_id, payee_person_id,"
        " program, application_id, status, start_month, end_month, support_mode,"
        " self_care_level, fixed_amount_fen, decided_on, next_review_due) VALUES (:county,"
        " :number, :h, :person, :payee, :program, :app, 'active', :start, :end, :mode, :level,"
        " :fixed, :decided, :review) RETURNING id",
      soci::use(request.county()), soci::use(number), soci::use(household),
      soci::use(person, person_present), soci::use(payee), soci::use(application.program),
      soci::use(key), soci::use(start_month), soci::use(end, end_present),
      soci::use(support_mode, support_present), soci::use(level, level_present),
      soci::use(fixed, fixed_present), soci::use(decided), soci::use(next_review), soci::into(id);
  if (application.program == "dibao" || application.program == "dibao_edge") {
    const auto assessment = social_assistance::assessHousehold(db, application.household_id, policy,
                                                               start, request.today());
    const long long income = assessment.household_income.fen();
    db << "INSERT INTO sa_case_incomes (case_id, from_month, household_income_fen) VALUES (:c,"
          " :m, :i)",
        soci::use(id), soci::use(start_month), soci::use(income);
    db << "UPDATE sa_applications SET household_income_fen = :i WHERE id = :id", soci::use(income),
        soci::use(key);
  }
  context_->events().publish(
      db, kAssistanceGranted, request.county(),
      {{"case_id", id},
       {"case_number", number},
       {"program", application.program},
       {"household_id", application.household_id},
       {"person_id", application.person_id ? json(*application.person_id) : json(nullptr)},
       {"month", start_month}});
  request.audit({sizeof(sdk::AuditRecord), "case.grant", "case", std::to_string(id),
                 sdk::changedFields(nullptr, {{"number", number},
                                              {"program", application.program},
                                              {"application", application.number},
                                              {"start_month", start_month}})});
  return id;
}

sdk::Response SocialAssistancePlugin::decide(sdk::Request& request) {
  auto& db = request.db();
  const auto application = applicationInScope(request, request.pathId("id"));
  const json& body = request.body();
  const std::string result = body["result"];
  requireFourEyesForStep(request.caller(), application.submitted_by,
                         "submitted application " + application.number, "take its county decision");
  const long long id = application.id;
  const std::string today = request.today().toString();
  if (result == "refuse") {
    const std::string reason = body.value("reason", "");
    if (reason.empty())
      throw sdk::ValidationError("reason", "refusal-reason-required",
                                 "a refusal states its reasons in writing (审核确认办法 §21)");
    move(request, application, "refuse", reason);
    db << "UPDATE sa_applications SET decided_on = :d, decision = 'refused', refusal_reason = :r,"
          " decided_by = :u WHERE id = :id",
        soci::use(today), soci::use(reason), soci::use(request.caller().user), soci::use(id);
    return sdk::Response::ok(applicationJson(db, application.id));
  }
  const bool ahead_of_notice = application.approvedAheadOfNotice();
  if (application.program == "dibao" && activeTekunMembers(db, application.household_id) > 0)
    throw sdk::ValidationError({kDibaoExcludesTekun});
  if (application.program == "tekun" && application.person_id &&
      activeDibaoOfPerson(db, *application.person_id) > 0)
    throw sdk::ValidationError({kTekunExcludesDibao});
  requireSpendingNoticed(application);
  if (!ahead_of_notice && application.status == "in_notice" && application.notice_until &&
      request.today() <= *sdk::Date::parse(*application.notice_until))
    throw sdk::Conflict("the public notice runs until " + *application.notice_until +
                        "; decide after it ends");
  if (application.program == "dibao" || application.program == "dibao_edge") {
    const sdk::Date start = firstOfNextMonth(request.today());
    const AssistancePolicy policy(context_->policy(), request.county(), start);
    const auto assessment = social_assistance::assessHousehold(db, application.household_id, policy,
                                                               start, request.today());
    std::vector<sdk::FieldError> problems = assessment.property_failures;
    const bool income_ok =
        application.program == "dibao" ? assessment.dibao.eligible : assessment.dibao.edge_eligible;
    if (!income_ok)
      problems.push_back(
          {"household_income",
           application.program == "dibao" ? "income-below-standard" : "income-below-edge-limit",
           "per-capita income " + assessment.dibao.per_capita_income.toString() +
               (application.program == "dibao" ? " is not below the standard "
                                               : " is not in the 低保边缘 band below ") +
               policy.dibao(assessment.category).standard.toString()});
    if (!problems.empty()) throw sdk::ValidationError(problems);
  }
  if (application.program == "tekun") {
    const int recheck = body.value("county_rechecked", false) ? 1 : 0;
    db << "UPDATE sa_applications SET county_rechecked = :r WHERE id = :id", soci::use(recheck),
        soci::use(id);
  }
  move(request, application, ahead_of_notice ? "approve_temporary" : "approve",
       body.value("reason", "审核确认"));
  db << "UPDATE sa_applications SET decided_on = :d, decision = 'approved', decided_by = :u"
        " WHERE id = :id",
      soci::use(today), soci::use(request.caller().user), soci::use(id);
  const auto case_id = grantCase(request, application.id);
  auto answer = applicationJson(db, application.id);
  answer["case"] = caseJson(db, case_id);
  return sdk::Response::ok(answer);
}

sdk::Response SocialAssistancePlugin::townshipApproval(sdk::Request& request) {
  auto& db = request.db();
  const auto application = applicationInScope(request, request.pathId("id"));
  if (application.program != "temporary")
    throw sdk::ValidationError("program", "township-approves-temporary-only",
                               "a township approves temporary assistance only");
  const AssistancePolicy policy(context_->policy(), request.county(), request.today());
  const auto limit = policy.temporaryTownshipLimit();
  if (application.requested_amount_fen.value_or(0) > limit.fen())
    throw sdk::ValidationError(
        "requested_amount", kTemporaryTownshipLimit.key,
        "above the township's approval limit of " + limit.toString() + " yuan: the county decides");
  requireFourEyesForStep(request.caller(), application.submitted_by,
                         "submitted application " + application.number,
                         "give its township approval");
  // Within the township's delegated limit, 支出型 still comes after its check and notice.
  requireSpendingNoticed(application);
  if (!application.approvedAheadOfNotice() && application.status == "in_notice" &&
      application.notice_until && request.today() <= *sdk::Date::parse(*application.notice_until))
    throw sdk::Conflict("the public notice runs until " + *application.notice_until +
                        "; decide after it ends");
  move(request, application, application.approvedAheadOfNotice() ? "approve_temporary" : "approve",
       "乡镇审批（授权额度内）");
  const long long id = application.id;
  const std::string today = request.today().toString();
  db << "UPDATE sa_applications SET decided_on = :d, decision = 'approved', decided_by = :u"
        " WHERE id = :id",
      soci::use(today), soci::use(request.caller().user), soci::use(id);
  const auto case_id = grantCase(request, application.id);
  auto answer = applicationJson(db, application.id);
  answer["case"] = caseJson(db, case_id);
  return sdk::Response::ok(answer);
}

sdk::Response SocialAssistancePlugin::discontinue(sdk::Request& request) {
  auto& db = request.db();
  const auto application = applicationInScope(request, request.pathId("id"));
  move(request, application, "discontinue", request.body()["reason"].get<std::string>());
  return sdk::Response::ok(applicationJson(db, application.id));
}

json SocialAssistancePlugin::overdueSteps(sdk::Request& request) const {
  auto& db = request.db();
  const sdk::Date today = request.today();
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT a.id, a.number, a.program, a.status, a.accepted_on,"
                     " a.investigation_started_on, a.township_reviewed_on, a.notice_until,"
                     " a.extended FROM sa_applications a JOIN sa_households h ON h.id ="
                     " a.household_id WHERE a.county_code = :county AND a.status NOT IN"
                     " ('approved', 'refused', 'discontinued') AND " +
                         sdk::townshipCondition(request.caller(), "h.township") + " ORDER BY a.id",
       soci::use(request.county()));
  json list = json::array();
  for (const auto& row : rows) {
    ApplicationDates dates;
    dates.program = sdk::sql::textAt(row, 2);
    dates.status = sdk::sql::textAt(row, 3);
    dates.accepted_on = optionalDate(row, 4);
    dates.investigation_started_on = optionalDate(row, 5);
    dates.township_reviewed_on = optionalDate(row, 6);
    dates.notice_until = optionalDate(row, 7);
    dates.extended = sdk::sql::int64At(row, 8) != 0;
    for (const auto& step : social_assistance::overdueSteps(dates, today, context_->calendar(),
                                                            context_->policy(), request.county()))
      list.push_back(sdk::jsonObject({{"application_id", sdk::sql::int64At(row, 0)},
                                      {"number", sdk::sql::textAt(row, 1)},
                                      {"program", dates.program},
                                      {"status", dates.status},
                                      {"step", step.step},
                                      {"due_on", step.due_on.toString()},
                                      {"working_days_late", step.working_days_late}}));
  }
  return list;
}

sdk::Response SocialAssistancePlugin::overdue(sdk::Request& request) {
  return sdk::Response::ok(
      {{"today", request.today().toString()}, {"overdue", overdueSteps(request)}});
}

namespace {

/// Applications whose notice overlaps [from, to], optionally in one village, with the figures
/// each showed when published (a notice published before migration 10 is assessed as of its
/// first day).
json noticeRows(soci::session& db, const sdk::Request& request, const sdk::PolicyReader& reader) {
  const sdk::Date from = request.queryDate("from").value_or(request.today());
  const sdk::Date to = request.queryDate("to").value_or(from);
  if (to < from) throw sdk::ValidationError("to", "period-order", "'to' is before 'from'", 400);
  const std::string village = request.queryParam("village").value_or("");
  const std::string from_text = from.toString(), to_text = to.toString();
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT a.id, a.program, a.notice_location, a.notice_from, a.notice_until,"
                     " h.village, p.name, a.household_id, h.township, a.notice_household_size,"
                     " a.notice_amount_fen FROM sa_applications a"
                     " JOIN sa_households h ON h.id = a.household_id"
                     " JOIN civ_persons p ON p.id = a.applicant_person_id"
                     " WHERE a.county_code = :county AND a.notice_from IS NOT NULL"
                     " AND a.notice_from <= :to AND a.notice_until >= :from"
                     " AND (:village1 = '' OR h.village = :village2) AND " +
                         sdk::townshipCondition(request.caller(), "h.township") +
                         " ORDER BY h.township, h.village, a.id",
       soci::use(request.county()), soci::use(to_text), soci::use(from_text), soci::use(village),
       soci::use(village));
  struct Line {
    json row;
    std::int64_t household;
    std::string program;
    std::optional<std::int64_t> household_size;
    std::optional<std::int64_t> amount_fen;
  };
  std::vector<Line> lines;
  for (const auto& row : rows)
    lines.push_back({{{"program", sdk::sql::textAt(row, 1)},
                      {"program_name", programLabel(sdk::sql::textAt(row, 1))},
                      {"township", sdk::sql::textAt(row, 8)},
                      {"location", sdk::sql::optionalTextAt(row, 2).value_or("")},
                      {"notice_from", sdk::sql::textAt(row, 3)},
                      {"notice_until", sdk::sql::textAt(row, 4)},
                      {"village", sdk::sql::textAt(row, 5)},
                      {"applicant", maskName(sdk::sql::textAt(row, 6))}},
                     sdk::sql::int64At(row, 7),
                     sdk::sql::textAt(row, 1),
                     sdk::sql::optionalInt64At(row, 9),
                     sdk::sql::optionalInt64At(row, 10)});
  json list = json::array();
  for (auto& line : lines) {
    NoticeFigures figures;
    if (line.household_size) {
      figures.household_size = static_cast<int>(*line.household_size);
      figures.amount_fen = line.amount_fen;
    } else {
      figures = noticeFigures(db, line.household, line.program, reader, request.county(),
                              *sdk::Date::parse(line.row["notice_from"].get<std::string>()));
    }
    line.row["household_size"] = figures.household_size;
    if (figures.amount_fen)
      line.row["proposed_monthly_amount"] = sdk::Money::fromFen(*figures.amount_fen).toString();
    list.push_back(line.row);
  }
  return {{"county", request.county()},
          {"from", from_text},
          {"to", to_text},
          {"village", village},
          {"notices", list}};
}

}  // namespace

sdk::Response SocialAssistancePlugin::noticeList(sdk::Request& request) {
  return sdk::Response::ok(noticeRows(request.db(), request, context_->policy()));
}

sdk::Response SocialAssistancePlugin::noticeListHtml(sdk::Request& request) {
  // The printed notice is posted by township: each township's notices under its own heading,
  // each notice with its own period (the query's window only chooses which notices are shown).
  const json rows = noticeRows(request.db(), request, context_->policy());
  const auto text = [](const json& value) { return escapeHtml(value.get<std::string>()); };
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>社会救助公示"
      "</title><style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:"
      "1px solid #444;padding:4px 8px}@media print{a{display:none}}</style></head><body>\n<h1>"
      "社会救助审核公示</h1>\n<p>县（市、区）行政区划代码 " +
      text(rows["county"]) +
      "。以下对象经入户调查、乡镇（街道）审核，现予公示，公示期见各行。如有异议，请在公示期内向"
      "乡镇（街道）或县民政局反映。</p>\n";
  std::string township;
  bool open = false;
  for (const auto& row : rows["notices"]) {
    if (!open || row["township"] != township) {
      if (open) html += "</table>\n";
      township = row["township"];
      html += "<h2>" + escapeHtml(township) +
              "</h2>\n<table><tr><th>村（社区）</th><th>申请人</th><th>救助项目</th><th>家庭人口"
              "</th><th>拟保障金额（元/月）</th><th>公示期</th><th>公示地点</th></tr>\n";
      open = true;
    }
    html += "<tr><td>" + text(row["village"]) + "</td><td>" + text(row["applicant"]) + "</td><td>" +
            text(row["program_name"]) + "</td><td>" +
            std::to_string(row["household_size"].get<int>()) + "</td><td>" +
            escapeHtml(row.value("proposed_monthly_amount", "")) + "</td><td>" +
            text(row["notice_from"]) + " 至 " + text(row["notice_until"]) + "</td><td>" +
            text(row["location"]) + "</td></tr>\n";
  }
  if (open)
    html += "</table>\n";
  else
    html += "<p>没有公示中的对象。</p>\n";
  html += "</body></html>\n";
  return sdk::Response::file("text/html; charset=utf-8", html);
}

sdk::Response SocialAssistancePlugin::tekunRecheck(sdk::Request& request) {
  sdk::requireCountyWide(request.caller(), "the county's 特困 recheck ratio");
  auto& db = request.db();
  const std::string year =
      request.queryParam("year").value_or(std::to_string(request.today().year()));
  if (year.size() != 4 || year.find_first_not_of("0123456789") != std::string::npos)
    throw sdk::ValidationError("year", "format", "year must be four digits", 400);
  const std::string from = year + "-01-01", to = year + "-12-31";
  long long decided = 0, rechecked = 0;
  soci::indicator rechecked_present = soci::i_ok;
  db << "SELECT COUNT(*), SUM(county_rechecked) FROM sa_applications WHERE county_code = :c"
        " AND program = 'tekun' AND decision = 'approved' AND decided_on >= :f AND decided_on "
        "<= :t",
      soci::into(decided), soci::into(rechecked, rechecked_present), soci::use(request.county()),
      soci::use(from), soci::use(to);
  if (rechecked_present != soci::i_ok) rechecked = 0;
  const sdk::Date as_of = *sdk::Date::parse(to);
  const auto required = context_->policy().get(kTekunRecheckRatio, request.county(),
                                               std::min(as_of, request.today()));
  // rechecked / decided >= required, exactly.
  const bool meets =
      decided == 0 || rechecked * sdk::Ratio::kScale >= decided * required.millionths();
  return sdk::Response::ok({{"year", year},
                            {"decided", decided},
                            {"rechecked", rechecked},
                            {"required_ratio", required.toString()},
                            {"meets_requirement", meets}});
}

}  // namespace civ::plugins::social_assistance
