// Receptions (接收): the soldier's file and report (§51), corrections, the late-report reason and
// its review, the waiver of a soldier who never reports, the overdue list, the eligibility of
// each resettlement type and the decision of the type with the 自主就业 lump sums (§20–25,
// §35–38).
#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/correction.h>
#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/list.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/persons.h>
#include <civ/sdk/policy.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/sql_json.h>

#include "resettlement_parameters.h"
#include "resettlement_shared.h"

namespace civ::plugins::veterans::resettlement {

namespace {

using nlohmann::json;

const char* kColumns =
    "SELECT r.id, r.person_id, p.citizen_id, p.name, p.birth_date, r.township, r.rank_type,"
    " r.enlisted_on, r.approved_on, r.enlistment_hukou_county, r.placement_basis,"
    " r.basis_document, r.file_received_on, r.report_by, r.report_due, r.waived_after,"
    " r.reported_on, r.report_timing, r.late_reason, r.reason_status, r.reason_recorded_by,"
    " r.waived_on, r.awards, r.disability_nature, r.disability_grade, r.martyr_child,"
    " r.serious_illness, r.party_expelled, r.criminal_record, r.forced_discharge, r.status,"
    " r.type, r.type_decided_on, r.type_conditions, r.placement_due, r.placement_ended_on,"
    " r.service_half_years, r.lump_per_year_fen, r.lump_base_fen, r.honours_percent,"
    " r.honours_award, r.honours_supplement_fen, r.lump_sum_fen, r.local_grant_fen,"
    " r.deceased_on FROM vt_receptions r JOIN civ_persons p ON p.id = r.person_id";

// Column positions of kColumns.
enum Column : std::size_t {
  kId,
  kPersonId,
  kCitizenId,
  kName,
  kBirthDate,
  kTownship,
  kRankType,
  kEnlistedOn,
  kApprovedOn,
  kHukouCounty,
  kBasis,
  kBasisDocument,
  kFileReceivedOn,
  kReportBy,
  kReportDue,
  kWaivedAfter,
  kReportedOn,
  kReportTiming,
  kLateReason,
  kReasonStatus,
  kReasonRecordedBy,
  kWaivedOn,
  kAwards,
  kNature,
  kGrade,
  kMartyrChild,
  kSeriousIllness,
  kPartyExpelled,
  kCriminalRecord,
  kForcedDischarge,
  kStatus,
  kType,
  kTypeDecidedOn,
  kTypeConditions,
  kPlacementDue,
  kPlacementEndedOn,
  kHalfYears,
  kPerYear,
  kBase,
  kHonoursPercent,
  kHonoursAward,
  kSupplement,
  kLumpSum,
  kLocalGrant,
  kDeceasedOn,
};

std::optional<sdk::Date> dateAt(const soci::row& row, std::size_t index) {
  if (auto text = sdk::sql::optionalTextAt(row, index)) return sdk::Date::parse(*text);
  return std::nullopt;
}

Reception receptionOf(const soci::row& row) {
  Reception reception;
  reception.id = sdk::sql::int64At(row, kId);
  reception.person_id = sdk::sql::int64At(row, kPersonId);
  reception.township = sdk::sql::textAt(row, kTownship);
  reception.status = sdk::sql::textAt(row, kStatus);
  reception.rank_type = sdk::sql::textAt(row, kRankType);
  reception.birth_date = *dateAt(row, kBirthDate);
  reception.enlisted_on = *dateAt(row, kEnlistedOn);
  reception.approved_on = *dateAt(row, kApprovedOn);
  reception.report_by = dateAt(row, kReportBy);
  reception.report_due = *dateAt(row, kReportDue);
  reception.waived_after = *dateAt(row, kWaivedAfter);
  reception.reported_on = dateAt(row, kReportedOn);
  reception.reason_status = sdk::sql::optionalTextAt(row, kReasonStatus);
  reception.reason_recorded_by = sdk::sql::optionalTextAt(row, kReasonRecordedBy);
  reception.type = sdk::sql::optionalTextAt(row, kType);
  reception.placement_due = dateAt(row, kPlacementDue);
  reception.placement_ended_on = dateAt(row, kPlacementEndedOn);
  reception.deceased_on = dateAt(row, kDeceasedOn);
  auto& facts = reception.facts;
  facts.rank_type = reception.rank_type;
  facts.birth_date = reception.birth_date;
  facts.enlisted_on = reception.enlisted_on;
  facts.approved_on = reception.approved_on;
  facts.awards = splitCodes(sdk::sql::textAt(row, kAwards));
  facts.disability_nature = sdk::sql::optionalTextAt(row, kNature);
  if (auto grade = sdk::sql::optionalInt64At(row, kGrade))
    facts.disability_grade = static_cast<int>(*grade);
  facts.martyr_child = sdk::sql::int64At(row, kMartyrChild) != 0;
  facts.serious_illness = sdk::sql::int64At(row, kSeriousIllness) != 0;
  facts.party_expelled = sdk::sql::int64At(row, kPartyExpelled) != 0;
  facts.criminal_record = sdk::sql::int64At(row, kCriminalRecord) != 0;
  facts.forced_discharge = sdk::sql::int64At(row, kForcedDischarge) != 0;
  return reception;
}

json moneyOrNull(const soci::row& row, std::size_t index) {
  if (auto fen = sdk::sql::optionalInt64At(row, index)) return sdk::Money::fromFen(*fen).toString();
  return nullptr;
}

/// Half years as an exact decimal text: 5 → "2.5", 4 → "2".
std::string halfYearsText(long long half_years) {
  return std::to_string(half_years / 2) + (half_years % 2 != 0 ? ".5" : "");
}

json receptionRow(const soci::row& row) {
  const Reception reception = receptionOf(row);
  json conditions = json::array();
  if (auto text = sdk::sql::optionalTextAt(row, kTypeConditions)) conditions = json::parse(*text);
  json self_employment = nullptr;
  if (sdk::sql::optionalInt64At(row, kLumpSum))
    self_employment = {{"service_years", halfYearsText(sdk::sql::int64At(row, kHalfYears))},
                       {"per_year", moneyOrNull(row, kPerYear)},
                       {"base", moneyOrNull(row, kBase)},
                       {"honours_percent", sdk::sql::int64At(row, kHonoursPercent)},
                       {"honours_award", sdk::sql::textOrNullAt(row, kHonoursAward)},
                       {"supplement", moneyOrNull(row, kSupplement)},
                       {"lump_sum", moneyOrNull(row, kLumpSum)},
                       {"local_grant", moneyOrNull(row, kLocalGrant)}};
  return sdk::jsonObject(
      {{"id", reception.id},
       {"person_id", reception.person_id},
       {"citizen_id", sdk::sql::textAt(row, kCitizenId)},
       {"name", sdk::sql::textAt(row, kName)},
       {"township", reception.township},
       {"rank_type", reception.rank_type},
       {"enlisted_on", reception.enlisted_on.toString()},
       {"approved_on", reception.approved_on.toString()},
       {"service_years", serviceYears(reception.enlisted_on, reception.approved_on)},
       {"enlistment_hukou_county", sdk::sql::textAt(row, kHukouCounty)},
       {"placement_basis", sdk::sql::textAt(row, kBasis)},
       {"basis_document", sdk::sql::textOrNullAt(row, kBasisDocument)},
       {"file_received_on", sdk::sql::textOrNullAt(row, kFileReceivedOn)},
       {"report_by", sdk::sql::textOrNullAt(row, kReportBy)},
       {"report_due", reception.report_due.toString()},
       {"waived_after", reception.waived_after.toString()},
       {"reported_on", sdk::sql::textOrNullAt(row, kReportedOn)},
       {"report_timing", sdk::sql::textOrNullAt(row, kReportTiming)},
       {"late_reason", sdk::sql::textOrNullAt(row, kLateReason)},
       {"reason_status", sdk::sql::textOrNullAt(row, kReasonStatus)},
       {"waived_on", sdk::sql::textOrNullAt(row, kWaivedOn)},
       {"awards", reception.facts.awards},
       {"disability_nature", sdk::sql::textOrNullAt(row, kNature)},
       {"disability_grade", sdk::sql::int64OrNullAt(row, kGrade)},
       {"martyr_child", reception.facts.martyr_child},
       {"serious_illness", reception.facts.serious_illness},
       {"party_expelled", reception.facts.party_expelled},
       {"criminal_record", reception.facts.criminal_record},
       {"forced_discharge", reception.facts.forced_discharge},
       {"status", reception.status},
       {"type", sdk::sql::textOrNullAt(row, kType)},
       {"type_decided_on", sdk::sql::textOrNullAt(row, kTypeDecidedOn)},
       {"type_conditions", conditions},
       {"placement_due", sdk::sql::textOrNullAt(row, kPlacementDue)},
       {"placement_ended_on", sdk::sql::textOrNullAt(row, kPlacementEndedOn)},
       {"self_employment", self_employment},
       {"deceased_on", sdk::sql::textOrNullAt(row, kDeceasedOn)}});
}

/// The facts a body (create, or a correction's result) states, with the person's birth date.
ServiceFacts factsOf(const json& state, sdk::Date birth_date) {
  ServiceFacts facts;
  facts.rank_type = state["rank_type"];
  facts.birth_date = birth_date;
  facts.enlisted_on = dateOf(state["enlisted_on"]);
  facts.approved_on = dateOf(state["approved_on"]);
  for (const auto& award : state.value("awards", json::array()))
    facts.awards.push_back(award.get<std::string>());
  if (state.contains("disability_nature") && !state["disability_nature"].is_null())
    facts.disability_nature = state["disability_nature"].get<std::string>();
  if (state.contains("disability_grade") && !state["disability_grade"].is_null())
    facts.disability_grade = state["disability_grade"].get<int>();
  facts.martyr_child = state.value("martyr_child", false);
  facts.serious_illness = state.value("serious_illness", false);
  facts.party_expelled = state.value("party_expelled", false);
  facts.criminal_record = state.value("criminal_record", false);
  facts.forced_discharge = state.value("forced_discharge", false);
  return facts;
}

/// The checks a file's typed facts must pass, at creation and after every correction: the
/// facts agree with each other, the dates are in order, the resettlement place has its basis
/// (§45).
void checkFile(const json& state, const ServiceFacts& facts, const std::string& county,
               sdk::Date today) {
  auto problems = checkFacts(facts);
  notInFuture(facts.approved_on, today, "approved_on");
  const auto received = optionalDate(state, "file_received_on");
  if (received && *received < facts.approved_on)
    problems.push_back({"file_received_on", "after-approval",
                        "the file (档案) is handed over after the approval to leave"});
  if (received && *received > today)
    problems.push_back({"file_received_on", "not-in-future", "the date is after today"});
  const auto report_by = optionalDate(state, "report_by");
  if (report_by && *report_by < facts.approved_on)
    problems.push_back(
        {"report_by", "after-approval", "the report time set is before the approval to leave"});
  const std::string basis = state["placement_basis"];
  const bool has_document = state.contains("basis_document") &&
                            state["basis_document"].is_string() &&
                            !state["basis_document"].get<std::string>().empty();
  if (basis == "enlistment_hukou" && state["enlistment_hukou_county"] != county)
    problems.push_back({"enlistment_hukou_county", "placement-hukou",
                        "§45: the resettlement place is the hukou at enlistment; this county is " +
                            county + ": give the basis of resettling here (易地安置)"});
  if (basis != "enlistment_hukou" && !has_document)
    problems.push_back({"basis_document", "basis-document",
                        "§45–49: resettling elsewhere than the hukou at enlistment needs the "
                        "document it rests on (certificate, marriage record, approval)"});
  if ((basis == "spouse_hukou" || basis == "military_spouse") && !isNco(facts.rank_type))
    problems.push_back({"placement_basis", "basis-rank",
                        "§45 ¶2 (2)(3): resettling with the spouse is for 退役军士 only"});
  if (!problems.empty()) throw sdk::ValidationError(std::move(problems));
}

ReportLimits limitsFor(sdk::Context& context, const std::string& county, sdk::Date approved_on,
                       std::optional<sdk::Date> report_by) {
  const auto days = context.policy().get(kReportDays, county, approved_on);
  const auto grace = context.policy().get(kWaiverGraceDays, county, approved_on);
  return reportLimits(approved_on, report_by, static_cast<int>(days), static_cast<int>(grace));
}

SelfEmploymentAmounts amountsFor(sdk::Context& context, const std::string& county,
                                 const ServiceFacts& facts) {
  // The standards in force on the day the soldier left (the approval): the lump sum belongs to
  // that discharge.
  const auto& policy = context.policy();
  return selfEmploymentAmounts(serviceHalfYears(facts.enlisted_on, facts.approved_on),
                               policy.get(kLumpSumPerYear, county, facts.approved_on), facts.awards,
                               policy.get(kLocalGrantBase, county, facts.approved_on),
                               policy.get(kLocalGrantPerYear, county, facts.approved_on));
}

void storeAmounts(soci::session& db, std::int64_t id, const SelfEmploymentAmounts& amounts) {
  const long long key = id, half_years = amounts.service_half_years,
                  per_year = amounts.per_year.fen(), base = amounts.base.fen(),
                  percent = amounts.honours.percent, supplement = amounts.supplement.fen(),
                  lump_sum = amounts.lump_sum.fen(), grant = amounts.local_grant.fen();
  const std::string award = amounts.honours.award;
  soci::indicator award_i = award.empty() ? soci::i_null : soci::i_ok;
  db << "UPDATE vt_receptions SET service_half_years = :h, lump_per_year_fen = :py,"
        " lump_base_fen = :b, honours_percent = :p, honours_award = :a,"
        " honours_supplement_fen = :s, lump_sum_fen = :l, local_grant_fen = :g WHERE id = :id",
      soci::use(half_years), soci::use(per_year), soci::use(base), soci::use(percent),
      soci::use(award, award_i), soci::use(supplement), soci::use(lump_sum), soci::use(grant),
      soci::use(key);
}

json amountsJson(const SelfEmploymentAmounts& amounts) {
  return {{"lump_sum", amounts.lump_sum.toString()},
          {"honours_percent", amounts.honours.percent},
          {"local_grant", amounts.local_grant.toString()}};
}

/// Writes one column of a reception from a JSON value (null, text, integer or boolean).
void setColumn(soci::session& db, std::int64_t id, const std::string& column, const json& value) {
  const long long key = id;
  const std::string sql = "UPDATE vt_receptions SET " + column + " = :v WHERE id = :id";
  if (value.is_null()) {
    std::string none;
    soci::indicator null = soci::i_null;
    db << sql, soci::use(none, null), soci::use(key);
  } else if (value.is_boolean() || value.is_number_integer()) {
    const long long number =
        value.is_boolean() ? (value.get<bool>() ? 1 : 0) : value.get<long long>();
    db << sql, soci::use(number), soci::use(key);
  } else if (value.is_array()) {
    std::vector<std::string> codes;
    for (const auto& code : value) codes.push_back(code.get<std::string>());
    const std::string text = joinCodes(codes);
    db << sql, soci::use(text), soci::use(key);
  } else {
    const std::string text = value.get<std::string>();
    db << sql, soci::use(text), soci::use(key);
  }
}

/// The fields a clerk may correct (PATCH), as the reception JSON names them.
const std::vector<std::string>& correctableFields() {
  static const std::vector<std::string> fields = {"township",
                                                  "rank_type",
                                                  "enlisted_on",
                                                  "approved_on",
                                                  "enlistment_hukou_county",
                                                  "placement_basis",
                                                  "basis_document",
                                                  "file_received_on",
                                                  "report_by",
                                                  "awards",
                                                  "disability_nature",
                                                  "disability_grade",
                                                  "martyr_child",
                                                  "serious_illness",
                                                  "party_expelled",
                                                  "criminal_record",
                                                  "forced_discharge"};
  return fields;
}

bool amountRelevant(const std::string& field) {
  return field == "rank_type" || field == "enlisted_on" || field == "approved_on" ||
         field == "awards";
}

}  // namespace

// --- Shared helpers ---------------------------------------------------------------------------

sdk::Date dateOf(const json& value) { return *sdk::Date::parse(value.get<std::string>()); }

std::optional<sdk::Date> optionalDate(const json& body, const char* field) {
  if (!body.contains(field) || body[field].is_null()) return std::nullopt;
  return dateOf(body[field]);
}

void notInFuture(sdk::Date date, sdk::Date today, const std::string& field) {
  if (date > today)
    throw sdk::ValidationError(
        field, "not-in-future",
        "the date " + date.toString() + " is after today " + today.toString());
}

std::string joinCodes(const std::vector<std::string>& codes) {
  std::string text;
  for (const auto& code : codes) text += (text.empty() ? "" : ",") + code;
  return text;
}

std::vector<std::string> splitCodes(const std::string& text) {
  std::vector<std::string> codes;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto comma = text.find(',', start);
    const auto end = comma == std::string::npos ? text.size() : comma;
    if (end > start) codes.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return codes;
}

std::optional<Reception> findReception(soci::session& db, const std::string& county,
                                       std::int64_t id) {
  const long long key = id;
  soci::rowset<soci::row> rows =
      (db.prepare << std::string(kColumns) + " WHERE r.id = :id AND r.county_code = :c",
       soci::use(key), soci::use(county));
  for (const auto& row : rows) return receptionOf(row);
  return std::nullopt;
}

Reception scopedReception(sdk::Request& request, const std::string& path_name) {
  const auto id = request.pathId(path_name);
  auto found = findReception(request.db(), request.county(), id);
  if (!found)
    throw sdk::NotFound("no reception " + std::to_string(id) + " in county " + request.county());
  sdk::requireTownship(request.caller(), found->township, "reception " + std::to_string(id));
  return *found;
}

Reception receptionField(sdk::Request& request, std::int64_t id, const std::string& field) {
  auto found = findReception(request.db(), request.county(), id);
  if (!found)
    throw sdk::ValidationError(
        field, "known-reception",
        "no reception " + std::to_string(id) + " in county " + request.county());
  sdk::requireTownship(request.caller(), found->township, "reception " + std::to_string(id));
  return *found;
}

json receptionJson(soci::session& db, std::int64_t id) {
  const long long key = id;
  soci::rowset<soci::row> rows =
      (db.prepare << std::string(kColumns) + " WHERE r.id = :id", soci::use(key));
  for (const auto& row : rows) return receptionRow(row);
  throw sdk::NotFound("no reception " + std::to_string(id));
}

// --- Handlers ---------------------------------------------------------------------------------

sdk::Response createReception(sdk::Context& context, sdk::Request& request) {
  auto& db = request.db();
  const json& body = request.body();
  const std::string township = body["township"];
  sdk::requireTownship(request.caller(), township, "township " + township);
  const auto person = context.persons().ensureRegistered(db, body["citizen_id"].get<std::string>(),
                                                         body["name"].get<std::string>());
  if (person.deceased())
    throw sdk::ValidationError(
        "citizen_id", "deceased",
        "the person is recorded deceased on " + person.death_date->toString());
  const ServiceFacts facts = factsOf(body, person.birth_date);
  checkFile(body, facts, request.county(), request.today());
  const long long person_key = person.id;
  const std::string approved = facts.approved_on.toString();
  long long same = 0;
  db << "SELECT COUNT(*) FROM vt_receptions WHERE person_id = :p AND approved_on = :a",
      soci::into(same), soci::use(person_key), soci::use(approved);
  if (same > 0)
    throw sdk::ValidationError("citizen_id", "one-reception",
                               "the soldier's reception for the approval of " + approved +
                                   " is recorded already (here or in another county)");
  const auto report_by = optionalDate(body, "report_by");
  const auto limits = limitsFor(context, request.county(), facts.approved_on, report_by);
  const std::string rank = facts.rank_type, enlisted = facts.enlisted_on.toString(),
                    hukou = body["enlistment_hukou_county"], basis = body["placement_basis"],
                    document = body.value("basis_document", ""),
                    received = body.contains("file_received_on")
                                   ? body["file_received_on"].get<std::string>()
                                   : "",
                    report_by_text = report_by ? report_by->toString() : "",
                    due = limits.due.toString(), waived_after = limits.waived_after.toString(),
                    awards = joinCodes(facts.awards), nature = facts.disability_nature.value_or(""),
                    today = request.today().toString();
  const long long grade = facts.disability_grade.value_or(0), martyr = facts.martyr_child,
                  illness = facts.serious_illness, expelled = facts.party_expelled,
                  criminal = facts.criminal_record, forced = facts.forced_discharge;
  soci::indicator document_i = document.empty() ? soci::i_null : soci::i_ok,
                  received_i = received.empty() ? soci::i_null : soci::i_ok,
                  report_by_i = report_by_text.empty() ? soci::i_null : soci::i_ok,
                  nature_i = nature.empty() ? soci::i_null : soci::i_ok,
                  grade_i = facts.disability_grade ? soci::i_ok : soci::i_null;
  long long id = 0;
  db << "INSERT INTO vt_receptions (county_code, person_id, township, rank_type, enlisted_on,"
        " approved_on, enlistment_hukou_county, placement_basis, basis_document,"
        " file_received_on, report_by, report_due, waived_after, awards, disability_nature,"
        " disability_grade, martyr_child, serious_illness, party_expelled, criminal_record,"
        " forced_discharge, status, created_by, created_on) VALUES (:c, :p, :t, :r, :e, :a, :h,"
        " :b, :bd, :fr, :rb, :due, :wa, :aw, :n, :g, :m, :si, :pe, :cr, :fd, 'awaiting_report',"
        " :by, :on) RETURNING id",
      soci::use(request.county()), soci::use(person_key), soci::use(township), soci::use(rank),
      soci::use(enlisted), soci::use(approved), soci::use(hukou), soci::use(basis),
      soci::use(document, document_i), soci::use(received, received_i),
      soci::use(report_by_text, report_by_i), soci::use(due), soci::use(waived_after),
      soci::use(awards), soci::use(nature, nature_i), soci::use(grade, grade_i), soci::use(martyr),
      soci::use(illness), soci::use(expelled), soci::use(criminal), soci::use(forced),
      soci::use(request.caller().user), soci::use(today), soci::into(id);
  request.audit({sizeof(sdk::AuditRecord), "reception.create", "reception", std::to_string(id),
                 sdk::changedFields(nullptr, {{"person_id", person.id},
                                              {"township", township},
                                              {"rank_type", rank},
                                              {"approved_on", approved},
                                              {"placement_basis", basis},
                                              {"report_due", due},
                                              {"waived_after", waived_after}})});
  return sdk::Response::created(receptionJson(db, id),
                                "/resettlement/receptions/" + std::to_string(id));
}

sdk::Response listReceptions(sdk::Context& /*context*/, sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kReceptionList);
  sdk::ListQuery query("r.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "r.township"));
  if (auto township = request.queryParam("township"))
    query.add("r.township = " + query.text(*township));
  if (auto status = request.queryParam("status")) query.add("r.status = " + query.text(*status));
  if (auto type = request.queryParam("type")) query.add("r.type = " + query.text(*type));
  if (auto rank = request.queryParam("rank_type")) query.add("r.rank_type = " + query.text(*rank));
  if (auto name = request.queryParam("name")) query.add("p.name " + query.containing(*name));
  if (auto citizen = request.queryParam("citizen_id"))
    query.add("p.citizen_id = " + query.text(*citizen));
  if (auto reported = request.queryParam("reported"))
    query.add(*reported == "true" ? "r.reported_on IS NOT NULL" : "r.reported_on IS NULL");
  query.addPeriod(request, "r.approved_on", "approved_from", "approved_to");
  const std::string tables = " FROM vt_receptions r JOIN civ_persons p ON p.id = r.person_id";
  const auto total = query.count(db, tables);
  soci::rowset<soci::row> rows = query.rows(
      db, std::string(kColumns) + query.clause() + " AND " + page.keysetCondition("r.id") +
              page.orderAndLimit({{"id", "r.id"},
                                  {"approved_on", "r.approved_on"},
                                  {"reported_on", "r.reported_on"},
                                  {"name", "p.name"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    items.push_back(receptionRow(row));
    ids.push_back(sdk::sql::int64At(row, kId));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response getReception(sdk::Context& /*context*/, sdk::Request& request) {
  const auto reception = scopedReception(request);
  return sdk::Response::ok(receptionJson(request.db(), reception.id));
}

sdk::Response correctReception(sdk::Context& context, sdk::Request& request) {
  auto& db = request.db();
  const auto reception = scopedReception(request);
  const json& body = request.body();
  sdk::requireSomeField(body,
                        "township, rank_type, enlisted_on, approved_on, "
                        "enlistment_hukou_county, placement_basis, basis_document, "
                        "file_received_on, report_by, awards, disability_nature, "
                        "disability_grade, martyr_child, serious_illness, party_expelled, "
                        "criminal_record, forced_discharge");
  const json current = receptionJson(db, reception.id);
  json before = json::object();
  for (const auto& field : correctableFields()) before[field] = current[field];
  json after = before;
  for (const auto& item : body.items()) after[item.key()] = item.value();
  const json changes = sdk::changedFields(before, after);
  if (changes.empty()) sdk::refuseUnchanged(body);
  if (after["township"] != before["township"])
    sdk::requireTownship(request.caller(), after["township"].get<std::string>(),
                         "township " + after["township"].get<std::string>());
  // The report was judged against the limits of the approval date and the time set: once it is
  // recorded those facts stand (a different judgement would be a new decision, not a typo).
  if (reception.reported_on)
    for (const char* field : {"approved_on", "report_by"})
      if (changes.contains(field))
        throw sdk::ValidationError(field, "report-recorded",
                                   "the report of " + reception.reported_on->toString() +
                                       " was judged against this date: it can no longer change");
  const ServiceFacts facts = factsOf(after, reception.birth_date);
  checkFile(after, facts, request.county(), request.today());
  json extra = json::object();
  bool recompute_amounts = false;
  if (reception.type && reception.status != "waived" && reception.status != "deceased") {
    // The type decided must still fit the corrected facts.
    requireEligible(*reception.type, facts);
    if (*reception.type == "self_employment")
      for (const auto& item : changes.items())
        if (amountRelevant(item.key())) recompute_amounts = true;
  }
  if (recompute_amounts) {
    const long long key = reception.id;
    long long paid = 0;
    db << "SELECT COUNT(*) FROM vt_resettlement_payments WHERE reception_id = :r AND kind IN"
          " ('lump_sum', 'local_grant') AND status <> 'cancelled'",
        soci::into(paid), soci::use(key);
    if (paid > 0) {
      std::string field;
      for (const auto& item : changes.items())
        if (amountRelevant(item.key())) field = item.key();
      throw sdk::ValidationError(field, "payment-prepared",
                                 "the lump sums were prepared for payment on these facts: "
                                 "cancel the prepared payment first");
    }
  }
  for (const auto& item : changes.items())
    setColumn(db, reception.id, item.key(), after[item.key()]);
  if (!reception.reported_on &&
      (changes.contains("approved_on") || changes.contains("report_by"))) {
    const auto limits =
        limitsFor(context, request.county(), facts.approved_on, optionalDate(after, "report_by"));
    setColumn(db, reception.id, "report_due", limits.due.toString());
    setColumn(db, reception.id, "waived_after", limits.waived_after.toString());
    extra["report_due"] = {{"old", current["report_due"]}, {"new", limits.due.toString()}};
    extra["waived_after"] = {{"old", current["waived_after"]},
                             {"new", limits.waived_after.toString()}};
  }
  if (recompute_amounts) {
    const auto amounts = amountsFor(context, request.county(), facts);
    storeAmounts(db, reception.id, amounts);
    const json old_amounts = current["self_employment"];
    const json new_amounts = amountsJson(amounts);
    for (const auto& item : new_amounts.items())
      if (old_amounts.is_null() || old_amounts[item.key()] != item.value())
        extra[item.key()] = {
            {"old", old_amounts.is_null() ? json(nullptr) : old_amounts[item.key()]},
            {"new", item.value()}};
  }
  json audited = changes;
  for (const auto& item : extra.items()) audited[item.key()] = item.value();
  request.audit({sizeof(sdk::AuditRecord), "reception.correct", "reception",
                 std::to_string(reception.id), audited});
  return sdk::Response::ok(receptionJson(db, reception.id));
}

sdk::Response reportReception(sdk::Context& /*context*/, sdk::Request& request) {
  auto& db = request.db();
  const auto reception = scopedReception(request);
  const json& body = request.body();
  if (reception.status != "awaiting_report")
    throw sdk::ValidationError("reported_on", "awaiting-report",
                               "the reception is " + reception.status + ": the report is recorded");
  const auto reported = dateOf(body["reported_on"]);
  notInFuture(reported, request.today(), "reported_on");
  if (reported < reception.approved_on)
    throw sdk::ValidationError(
        "reported_on", "after-approval",
        "the report is before the approval to leave of " + reception.approved_on.toString());
  const ReportLimits limits{reception.report_due, reception.waived_after};
  const auto timing = reportTiming(limits, reported);
  const std::string reason = body.value("late_reason", "");
  std::string status = "reported";
  std::string reason_status;
  std::string waived_on;
  if (timing == ReportTiming::PastWaiver) {
    // §51: more than the grace late without good reason: treated as waived. A reason recorded
    // waits for a reviewer, who accepts it (reported) or not (waived).
    if (reason.empty()) {
      status = "waived";
      waived_on = reported.toString();
    } else {
      status = "reason_pending";
      reason_status = "pending";
    }
  }
  const std::string day = reported.toString(), timing_text = toString(timing);
  soci::indicator reason_i = reason.empty() ? soci::i_null : soci::i_ok,
                  status_i = reason_status.empty() ? soci::i_null : soci::i_ok,
                  by_i = reason_status.empty() ? soci::i_null : soci::i_ok,
                  waived_i = waived_on.empty() ? soci::i_null : soci::i_ok;
  const long long key = reception.id;
  db << "UPDATE vt_receptions SET reported_on = :d, report_timing = :t, late_reason = :r,"
        " reason_status = :rs, reason_recorded_by = :by, waived_on = :w, status = :s WHERE id ="
        " :id",
      soci::use(day), soci::use(timing_text), soci::use(reason, reason_i),
      soci::use(reason_status, status_i), soci::use(request.caller().user, by_i),
      soci::use(waived_on, waived_i), soci::use(status), soci::use(key);
  json changes = {{"reported_on", {{"old", nullptr}, {"new", day}}},
                  {"report_timing", {{"old", nullptr}, {"new", timing_text}}},
                  {"status", {{"old", reception.status}, {"new", status}}}};
  if (!reason.empty()) changes["late_reason"] = {{"old", nullptr}, {"new", reason}};
  if (!waived_on.empty()) changes["waived_on"] = {{"old", nullptr}, {"new", waived_on}};
  request.audit({sizeof(sdk::AuditRecord), "reception.report", "reception",
                 std::to_string(reception.id), changes});
  return sdk::Response::ok(receptionJson(db, reception.id));
}

sdk::Response reviewLateReason(sdk::Context& /*context*/, sdk::Request& request) {
  auto& db = request.db();
  const auto reception = scopedReception(request);
  const json& body = request.body();
  if (reception.status != "reason_pending")
    throw sdk::ValidationError(
        "accepted", "reason-pending",
        "the reception is " + reception.status + ": no late-report reason waits for review");
  sdk::requireFourEyes(request.caller(), reception.reason_recorded_by.value_or(""),
                       "the late-report reason of reception " + std::to_string(reception.id));
  const bool accepted = body["accepted"];
  const std::string note = body["note"], reviewed = accepted ? "accepted" : "rejected",
                    status = accepted ? "reported" : "waived", today = request.today().toString();
  std::string waived_on = accepted ? "" : today;
  soci::indicator waived_i = accepted ? soci::i_null : soci::i_ok;
  const long long key = reception.id;
  db << "UPDATE vt_receptions SET reason_status = :rs, reason_reviewed_by = :by,"
        " reason_reviewed_on = :on, reason_review_note = :n, status = :s, waived_on = :w WHERE"
        " id = :id",
      soci::use(reviewed), soci::use(request.caller().user), soci::use(today), soci::use(note),
      soci::use(status), soci::use(waived_on, waived_i), soci::use(key);
  json changes = {{"reason_status", {{"old", "pending"}, {"new", reviewed}}},
                  {"status", {{"old", reception.status}, {"new", status}}},
                  {"reason_review_note", {{"old", nullptr}, {"new", note}}}};
  if (!accepted) changes["waived_on"] = {{"old", nullptr}, {"new", today}};
  request.audit({sizeof(sdk::AuditRecord), "reception.late_reason_review", "reception",
                 std::to_string(reception.id), changes});
  return sdk::Response::ok(receptionJson(db, reception.id));
}

sdk::Response waiveReception(sdk::Context& /*context*/, sdk::Request& request) {
  auto& db = request.db();
  const auto reception = scopedReception(request);
  if (reception.status != "awaiting_report")
    throw sdk::ValidationError("(body)", "awaiting-report",
                               "the reception is " + reception.status +
                                   ": only a soldier who has not reported is closed this way");
  if (request.today() <= reception.waived_after)
    throw sdk::ValidationError("(body)", "past-waiver",
                               "§51: the soldier may still report without losing resettlement "
                               "until " +
                                   reception.waived_after.toString());
  const std::string today = request.today().toString();
  const long long key = reception.id;
  db << "UPDATE vt_receptions SET status = 'waived', waived_on = :d WHERE id = :id",
      soci::use(today), soci::use(key);
  request.audit({sizeof(sdk::AuditRecord),
                 "reception.waive",
                 "reception",
                 std::to_string(reception.id),
                 {{"status", {{"old", reception.status}, {"new", "waived"}}},
                  {"waived_on", {{"old", nullptr}, {"new", today}}}}});
  return sdk::Response::ok(receptionJson(db, reception.id));
}

sdk::Response overdueReports(sdk::Context& /*context*/, sdk::Request& request) {
  auto& db = request.db();
  const std::string today = request.today().toString();
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT r.id, p.name, r.township, r.approved_on, r.report_due,"
                     " r.waived_after FROM vt_receptions r JOIN civ_persons p ON p.id ="
                     " r.person_id WHERE r.county_code = :c AND r.status = 'awaiting_report' AND"
                     " r.report_due < :d AND " +
                         sdk::townshipCondition(request.caller(), "r.township") +
                         " ORDER BY r.report_due, r.id",
       soci::use(request.county()), soci::use(today));
  json items = json::array();
  for (const auto& row : rows) {
    const auto due = *sdk::Date::parse(sdk::sql::textAt(row, 4));
    const auto waived_after = *sdk::Date::parse(sdk::sql::textAt(row, 5));
    items.push_back(sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                                     {"name", sdk::sql::textAt(row, 1)},
                                     {"township", sdk::sql::textAt(row, 2)},
                                     {"approved_on", sdk::sql::textAt(row, 3)},
                                     {"report_due", due.toString()},
                                     {"days_overdue", due.daysUntil(request.today())},
                                     {"waived_after", waived_after.toString()},
                                     {"past_waiver", request.today() > waived_after}}));
  }
  const auto total = static_cast<std::int64_t>(items.size());
  return sdk::Response::ok({{"items", items}, {"total", total}});
}

sdk::Response receptionEligibility(sdk::Context& /*context*/, sdk::Request& request) {
  const auto reception = scopedReception(request);
  json checks = json::array();
  for (const char* type : kTypes) {
    const auto result = eligibility(type, reception.facts);
    checks.push_back(
        sdk::jsonObject({{"type", result.type},
                         {"eligible", result.eligible},
                         {"conditions", result.conditions},
                         {"exclusions", result.exclusions},
                         {"rule", result.eligible ? json(nullptr) : json(result.rule)},
                         {"message", result.eligible ? json(nullptr) : json(result.message)}}));
  }
  return sdk::Response::ok({{"reception_id", reception.id}, {"checks", checks}});
}

sdk::Response decideType(sdk::Context& context, sdk::Request& request) {
  auto& db = request.db();
  const auto reception = scopedReception(request);
  const json& body = request.body();
  const std::string type = body["type"];
  if (reception.status != "reported")
    throw sdk::ValidationError(
        "type", reception.type ? "type-decided" : "reported",
        reception.type ? "the resettlement type is decided: " + *reception.type
                       : "the reception is " + reception.status +
                             ": a type is decided for a soldier who has reported in time (or "
                             "whose late reason was accepted)");
  const sdk::Date decided =
      body.contains("decided_on") ? dateOf(body["decided_on"]) : request.today();
  notInFuture(decided, request.today(), "decided_on");
  if (decided < *reception.reported_on)
    throw sdk::ValidationError(
        "decided_on", "after-report",
        "the decision is before the report of " + reception.reported_on->toString());
  requireEligible(type, reception.facts);
  const auto result = eligibility(type, reception.facts);
  const std::string conditions = json(result.conditions).dump(), day = decided.toString();
  std::string status = "resettled";
  std::string placement_due;
  if (type == "job_placement") {
    status = "awaiting_placement";
    placement_due = placementDue(*reception.reported_on).toString();
  }
  soci::indicator due_i = placement_due.empty() ? soci::i_null : soci::i_ok;
  const long long key = reception.id;
  db << "UPDATE vt_receptions SET type = :t, type_decided_on = :d, type_decided_by = :by,"
        " type_conditions = :c, status = :s, placement_due = :pd WHERE id = :id",
      soci::use(type), soci::use(day), soci::use(request.caller().user), soci::use(conditions),
      soci::use(status), soci::use(placement_due, due_i), soci::use(key);
  json changes = {{"type", {{"old", nullptr}, {"new", type}}},
                  {"type_decided_on", {{"old", nullptr}, {"new", day}}},
                  {"status", {{"old", reception.status}, {"new", status}}},
                  {"type_conditions", {{"old", nullptr}, {"new", result.conditions}}}};
  if (!placement_due.empty()) changes["placement_due"] = {{"old", nullptr}, {"new", placement_due}};
  if (type == "self_employment") {
    const auto amounts = amountsFor(context, request.county(), reception.facts);
    storeAmounts(db, reception.id, amounts);
    const json computed = amountsJson(amounts);
    for (const auto& item : computed.items())
      changes[item.key()] = {{"old", nullptr}, {"new", item.value()}};
  }
  request.audit({sizeof(sdk::AuditRecord), "reception.type", "reception",
                 std::to_string(reception.id), changes});
  return sdk::Response::ok(receptionJson(db, reception.id));
}

}  // namespace civ::plugins::veterans::resettlement
