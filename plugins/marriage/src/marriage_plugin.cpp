#include "marriage_plugin.h"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <civ/sdk/context.h>
#include <civ/sdk/indicator.h>
#include <civ/sdk/persons.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/router.h>
#include <civ/sdk/schema.h>
#include <civ/sdk/sql.h>

#include "parameters.h"

namespace civ::plugins::marriage {

namespace {

using nlohmann::json;

using namespace sdk::schema;

// --- Request schemas -------------------------------------------------------------------------

/// An office code as the body names it (an unknown code is refused by the handler, naming it).
json officeCodeInput() { return {{"type", "string"}}; }

/// A party as the clerk enters it: the person is registered when new.
json partyInput() { return object({{"citizen_id", citizenId()}, {"name", text(50)}}); }

// --- Answer schemas (one per entity, shared by every route that returns it) -----------------

/// An office code as stored: created only through POST /offices, which checks the pattern.
json officeCode() { return {{"type", "string"}, {"pattern", "^[0-9A-Za-z]{2,12}$"}}; }

/// A certificate number: generated ("J<office>-<year>-<seq>", "B" in front for a replacement)
/// or, for a back-entered marriage, the historical number as printed (at most 40 characters).
json certificateNumber() { return text(40); }

/// A user name as the host records it (registrar, corrected_by).
json userName() { return text(100); }

/// A name from the persons registry, which keeps names of 1 to 200 bytes.
json personName() { return text(200); }

json officeSchema() { return object({{"id", id()}, {"code", officeCode()}, {"name", text(100)}}); }

json appointmentSchema() {
  return object(
      {{"id", id()},
       {"office_code", officeCode()},
       {"date", date()},
       {"remaining", describe(integer(0), {"当日剩余名额", "Appointments left that day"})}});
}

json marriageStatus() {
  return enumOf({{"married", {"婚姻存续", "married"}},
                 {"divorced", {"已离婚", "divorced"}},
                 {"void", {"婚姻无效", "void"}},
                 {"annulled", {"婚姻被撤销", "annulled"}}});
}

json certificateKind() {
  return enumOf({{"marriage", {"结婚证", "marriage certificate"}},
                 {"divorce", {"离婚证", "divorce certificate"}}});
}

json spouseSchema() {
  return object({{"person_id", id()}, {"name", personName()}, {"citizen_id", citizenId()}});
}

/// A divorce application's status on the day it is read (lapse is derived from the dates).
json applicationStatus() {
  return enumOf({{"cooling_off", {"冷静期内", "in the cooling-off period"}},
                 {"awaiting_certificate", {"待申领离婚证", "awaiting the certificate"}},
                 {"lapsed", {"期满未申领（视为撤回）", "lapsed (counts as withdrawn)"}},
                 {"withdrawn", {"已撤回", "withdrawn"}},
                 {"registered", {"已登记离婚", "divorce registered"}}});
}

json correctionField() {
  return enumOf({{"husband_name", {"男方姓名", "husband's name"}},
                 {"wife_name", {"女方姓名", "wife's name"}},
                 {"registered_on", {"登记日期", "registration date"}}});
}

/// A marriage record (marriageJson): the archived values overlaid by the latest corrections.
json marriageSchema() {
  return object(
      {{"id", id()},
       {"county", countyCode()},
       {"office_code", officeCode()},
       {"husband", spouseSchema()},
       {"wife", spouseSchema()},
       {"registered_on", date()},
       {"corrections", arrayOf(object({{"field", correctionField()},
                                       {"old", personName()},
                                       {"new", text(50)},
                                       {"reason", text(500)},
                                       {"by", userName()},
                                       {"on", date()}}))},
       {"status", marriageStatus()},
       {"ended_on", nullable(date())},
       {"ended_by", describe(nullable(text(100)),
                             {"终止依据", "\"court:<document>\" or \"registry:<application>\""})},
       {"remarriage_of", describe(nullable(id()), {"复婚前的婚姻", "The pair's earlier marriage"})},
       {"back_entered", boolean()},
       {"certificates", arrayOf(object({{"number", certificateNumber()},
                                        {"kind", certificateKind()},
                                        {"issued_on", date()},
                                        {"replacement", boolean()}}))},
       {"divorce_applications",
        describe(arrayOf(object({{"id", id()},
                                 {"status", applicationStatus()},
                                 {"received_on", date()},
                                 {"withdraw_until", date()},
                                 {"collect_from", date()},
                                 {"collect_until", date()},
                                 {"withdrawn_on", nullable(date())},
                                 {"registered_on", nullable(date())}})),
                 {"离婚登记申请", "The divorce applications of this marriage, oldest first"})}});
}

/// One marriage of GET /marriages: the record without its certificates, corrections and
/// applications (GET /marriages/{id} has them), names and date as corrected.
json marriageItemSchema() {
  return object({{"id", id()},
                 {"office_code", officeCode()},
                 {"husband", spouseSchema()},
                 {"wife", spouseSchema()},
                 {"registered_on", date()},
                 {"status", marriageStatus()},
                 {"ended_on", nullable(date())},
                 {"remarriage_of", nullable(id())},
                 {"back_entered", boolean()}});
}

/// One appointment of GET /appointments.
json appointmentItemSchema() {
  return object({{"id", id()},
                 {"office_code", officeCode()},
                 {"date", date()},
                 {"party_a", spouseSchema()},
                 {"party_b", spouseSchema()}});
}

/// One certificate of GET /certificates.
json certificateItemSchema() {
  return object(
      {{"id", id()},
       {"number", certificateNumber()},
       {"kind", certificateKind()},
       {"marriage_id", id()},
       {"divorce_application_id", nullable(id())},
       {"issued_on", date()},
       {"replaces", describe(nullable(certificateNumber()),
                             {"补领所替代的证书", "The certificate a replacement replaces"})}});
}

/// Query filters shared by several lists.
json citizenIdFilter() {
  return describe(citizenId(), {"当事人身份证号", "Only records with this party (either one)"});
}
json officeFilter() { return describe(officeCode(), {"登记处", "Only this office's records"}); }

json maritalStatusSchema() {
  return object(
      {{"marital_status", enumOf({{"unmarried", {"未婚", "unmarried"}},
                                  {"married", {"有配偶", "married"}},
                                  {"widowed", {"丧偶", "widowed"}},
                                  {"divorced", {"离婚", "divorced"}}})},
       {"marriages",
        arrayOf(object({{"id", id()}, {"status", marriageStatus()}, {"registered_on", date()}}))}});
}

json replacementSchema() {
  return object({{"number", certificateNumber()},
                 {"replaces", certificateNumber()},
                 {"kind", certificateKind()},
                 {"issued_on", date()}});
}

/// A divorce application (applicationJson); with the divorce certificate's number once
/// registered.
json applicationSchema(bool with_certificate = false) {
  Properties properties = sdk::schema::properties(
      {{"id", id()},
       {"marriage_id", id()},
       {"status", applicationStatus()},
       {"received_on", date()},
       {"withdraw_until", date()},
       {"collect_from", date()},
       {"collect_until", date()},
       {"calendar_complete", boolean()},
       {"years_without_calendar",
        optional(
            describe(arrayOf(integer(1)),
                     {"缺少节假日安排的年份", "Years whose holiday calendar is not published"}))}});
  if (with_certificate) properties.emplace_back("certificate_number", certificateNumber());
  return object(std::move(properties));
}

}  // namespace

namespace {

/// The legal or statistical source of each indicator (SDK 1.4), for the statistician who checks it.
sdk::LocalizedText indicatorSource(const std::string& id) {
  if (id.starts_with("cooling_off"))
    return {"《中华人民共和国民法典》第一千零七十七条 离婚冷静期",
            "Civil Code art. 1077, the divorce cooling-off period"};
  if (id.starts_with("divorces_court"))
    return {"《中华人民共和国民法典》第一千零七十九条；民政统计 离婚（法院判决、调解）",
            "Civil Code art. 1079; civil-affairs statistics, divorces by court"};
  return {"《婚姻登记条例》（国务院令第804号修订）；民政统计 婚姻登记",
          "Marriage Registration Regulations (revised by State Council Decree 804); civil-affairs "
          "statistics, marriage registration"};
}

}  // namespace

void MarriagePlugin::declare(sdk::Declarations& declarations) const {
  for (const auto& step : migrations()) declarations.migration(step);
  declarations.parameter(kAppointmentDailyQuota);
  for (auto indicator : indicators()) {
    indicator.source = indicatorSource(indicator.id);
    declarations.indicator(indicator);
  }
  for (const auto& event : events()) declarations.event(event);
}

std::vector<sdk::Migration> MarriagePlugin::migrations() const {
  return {
      {1,
       "offices, appointments, marriages, divorce applications, certificates, court outcomes",
       {"CREATE TABLE marriage_offices ("
        " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, code TEXT NOT NULL UNIQUE, name "
        "TEXT NOT NULL)",
        "CREATE TABLE marriage_appointments ("
        " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL,"
        " office_id BIGINT NOT NULL REFERENCES marriage_offices(id), appointment_date TEXT NOT "
        "NULL,"
        " party_a_id BIGINT NOT NULL REFERENCES civ_persons(id), party_b_id BIGINT NOT NULL "
        "REFERENCES civ_persons(id))",
        "CREATE INDEX marriage_appointments_day ON marriage_appointments (office_id, "
        "appointment_date)",
        "CREATE TABLE marriage_records ("
        " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL,"
        " office_id BIGINT NOT NULL REFERENCES marriage_offices(id),"
        " husband_id BIGINT NOT NULL REFERENCES civ_persons(id), wife_id BIGINT NOT NULL "
        "REFERENCES civ_persons(id),"
        " registered_on TEXT NOT NULL,"
        " status TEXT NOT NULL CHECK (status IN ('married', 'divorced', 'void', 'annulled')),"
        " ended_on TEXT, ended_by TEXT,"
        " previous_marriage_id BIGINT REFERENCES marriage_records(id),"
        " back_entered INTEGER NOT NULL, statement_signed INTEGER NOT NULL, registrar TEXT NOT "
        "NULL)",
        "CREATE INDEX marriage_records_husband ON marriage_records (husband_id, status)",
        "CREATE INDEX marriage_records_wife ON marriage_records (wife_id, status)",
        "CREATE INDEX marriage_records_county ON marriage_records (county_code, registered_on)",
        "CREATE TABLE marriage_divorce_applications ("
        " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL,"
        " marriage_id BIGINT NOT NULL REFERENCES marriage_records(id),"
        " received_on TEXT NOT NULL, withdraw_until TEXT NOT NULL, collect_from TEXT NOT NULL,"
        " collect_until TEXT NOT NULL,"
        " status TEXT NOT NULL CHECK (status IN ('received', 'withdrawn', 'registered')),"
        " agreement TEXT NOT NULL, withdrawn_on TEXT, withdrawn_by TEXT, registered_on TEXT)",
        "CREATE TABLE marriage_certificates ("
        " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, number TEXT NOT NULL UNIQUE, kind "
        "TEXT NOT NULL,"
        " marriage_id BIGINT NOT NULL REFERENCES marriage_records(id),"
        " divorce_application_id BIGINT REFERENCES marriage_divorce_applications(id),"
        " replaces_id BIGINT REFERENCES marriage_certificates(id), issued_on TEXT NOT NULL)",
        "CREATE TABLE marriage_certificate_counters ("
        " office_id BIGINT NOT NULL, year INTEGER NOT NULL, last_sequence BIGINT NOT NULL,"
        " PRIMARY KEY (office_id, year))",
        "CREATE TABLE marriage_court_outcomes ("
        " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL,"
        " marriage_id BIGINT NOT NULL REFERENCES marriage_records(id),"
        " kind TEXT NOT NULL CHECK (kind IN ('divorce', 'void', 'annulled')), document_number "
        "TEXT NOT NULL,"
        " court TEXT NOT NULL, judgment_date TEXT NOT NULL, recorded_by TEXT NOT NULL)"},
       {}},
      {2,
       "corrections: new records linked to the archived one, which is never changed",
       {"CREATE TABLE marriage_corrections ("
        " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL,"
        " marriage_id BIGINT NOT NULL REFERENCES marriage_records(id),"
        " field TEXT NOT NULL CHECK (field IN ('husband_name', 'wife_name', 'registered_on')),"
        " old_value TEXT NOT NULL, new_value TEXT NOT NULL, reason TEXT NOT NULL,"
        " corrected_by TEXT NOT NULL, corrected_on TEXT NOT NULL)"},
       {}},
      {3,
       "an index on every column that points at another row: lookups by it, and changes "
       "to the row it points at, never scan the table",
       {"CREATE INDEX marriage_appointments_party_a ON marriage_appointments (party_a_id)",
        "CREATE INDEX marriage_appointments_party_b ON marriage_appointments (party_b_id)",
        "CREATE INDEX marriage_records_previous ON marriage_records (previous_marriage_id)",
        "CREATE INDEX marriage_records_office ON marriage_records (office_id)",
        "CREATE INDEX marriage_divorce_applications_marriage ON marriage_divorce_applications "
        "(marriage_id)",
        "CREATE INDEX marriage_certificates_marriage ON marriage_certificates (marriage_id)",
        "CREATE INDEX marriage_certificates_replaces ON marriage_certificates (replaces_id)",
        "CREATE INDEX marriage_certificates_divorce_application ON marriage_certificates "
        "(divorce_application_id)",
        "CREATE INDEX marriage_court_outcomes_marriage ON marriage_court_outcomes (marriage_id)",
        "CREATE INDEX marriage_corrections_marriage ON marriage_corrections (marriage_id)"},
       {}},
      {4,
       "lists: the county's applications, appointments and certificates by their date",
       {"CREATE INDEX marriage_divorce_applications_county ON marriage_divorce_applications "
        "(county_code, received_on)",
        "CREATE INDEX marriage_appointments_county ON marriage_appointments "
        "(county_code, appointment_date)",
        "CREATE INDEX marriage_certificates_county ON marriage_certificates "
        "(county_code, issued_on)"},
       {}}};
}

std::vector<sdk::EventDeclaration> MarriagePlugin::events() const {
  sdk::EventDeclaration registered;
  registered.name = kMarriageRegistered;
  registered.description = {"结婚登记", "A marriage was registered"};
  registered.payload_schema = {
      {"type", "object"},
      {"required", {"marriage_id", "husband_person_id", "wife_person_id", "registered_on"}},
      {"properties",
       {{"marriage_id", {{"type", "integer"}}},
        {"husband_person_id", {{"type", "integer"}}},
        {"wife_person_id", {{"type", "integer"}}},
        {"registered_on", date()},
        {"remarriage_of", {{"type", "integer"}, {"nullable", true}}}}}};
  sdk::EventDeclaration divorced;
  divorced.name = kMarriageDivorced;
  divorced.description = {"离婚", "A marriage ended in divorce (registry or court)"};
  divorced.payload_schema = {{"type", "object"},
                             {"required", {"marriage_id", "divorced_on", "by"}},
                             {"properties",
                              {{"marriage_id", {{"type", "integer"}}},
                               {"husband_person_id", {{"type", "integer"}}},
                               {"wife_person_id", {{"type", "integer"}}},
                               {"divorced_on", date()},
                               {"by", {{"type", "string"}, {"enum", {"registry", "court"}}}}}}};
  return {registered, divorced};
}

std::vector<sdk::IndicatorDeclaration> MarriagePlugin::indicators() const {
  // The records have no township, so no indicator has a township breakdown.
  std::vector<sdk::IndicatorDeclaration> list = {
      sdk::sqlIndicator(
          "marriages", {"结婚登记对数", "Marriages registered"}, sdk::Measure::Count, "couples",
          {"期间内登记的结婚（含复婚、补录）", "Marriage records with registered_on in the period"},
          "SELECT COUNT(*) FROM marriage_records WHERE county_code = :county"
          " AND registered_on BETWEEN :from AND :to"),
      sdk::sqlIndicator(
          "remarriages", {"复婚对数", "Remarriages"}, sdk::Measure::Count, "couples",
          {"与原配偶再次登记结婚", "Marriages linked to an earlier marriage of the same pair"},
          "SELECT COUNT(*) FROM marriage_records WHERE county_code = :county"
          " AND previous_marriage_id IS NOT NULL AND registered_on BETWEEN :from AND :to"),
      sdk::sqlIndicator(
          "divorces_registry", {"登记离婚对数", "Divorces registered"}, sdk::Measure::Count,
          "couples", {"冷静期后登记的协议离婚", "Divorce applications registered in the period"},
          "SELECT COUNT(*) FROM marriage_divorce_applications WHERE county_code = :county"
          " AND status = 'registered' AND registered_on BETWEEN :from AND :to"),
      sdk::sqlIndicator(
          "divorces_court", {"法院判决离婚", "Divorces by court"}, sdk::Measure::Count, "couples",
          {"判决日期在期间内的离婚判决", "Court divorce judgments dated in the period"},
          "SELECT COUNT(*) FROM marriage_court_outcomes WHERE county_code = :county"
          " AND kind = 'divorce' AND judgment_date BETWEEN :from AND :to"),
      sdk::sqlIndicator(
          "cooling_off_withdrawn", {"冷静期内撤回", "Withdrawn in cooling-off"},
          sdk::Measure::Count, "applications",
          {"期间内撤回的离婚申请", "Divorce applications withdrawn in the period"},
          "SELECT COUNT(*) FROM marriage_divorce_applications WHERE county_code = :county"
          " AND status = 'withdrawn' AND withdrawn_on BETWEEN :from AND :to"),
  };
  sdk::IndicatorDeclaration lapsed;
  lapsed.id = "cooling_off_lapsed";
  lapsed.name = {"期满视为撤回", "Lapsed after cooling-off"};
  lapsed.measure = sdk::Measure::Count;
  lapsed.unit = "applications";
  lapsed.description = {"第60日（顺延后）仍未申领、失效日在期间内",
                        "Applications nobody collected, whose lapse day (the day after day 60, "
                        "moved) is in the period"};
  lapsed.compute = [](soci::session& db, const sdk::IndicatorQuery& query) -> std::int64_t {
    // Lapse is derived from the dates: the application stays 'received' in the table.
    long long count = 0;
    const std::string from = query.from.addDays(-1).toString();
    const std::string to = query.to.addDays(-1).toString();
    db << "SELECT COUNT(*) FROM marriage_divorce_applications WHERE county_code = :county"
          " AND status = 'received' AND collect_until BETWEEN :from_date AND :to_date",
        soci::into(count), soci::use(query.county), soci::use(from), soci::use(to);
    return count;
  };
  list.push_back(lapsed);
  // Age groups of the persons married in the period (two per marriage).
  const std::vector<std::tuple<std::string, int, int, sdk::LocalizedText>> groups = {
      {"marriage_age_under_25", 0, 24, {"结婚年龄 25 岁以下（人）", "Persons marrying under 25"}},
      {"marriage_age_25_29", 25, 29, {"结婚年龄 25-29 岁（人）", "Persons marrying at 25-29"}},
      {"marriage_age_30_34", 30, 34, {"结婚年龄 30-34 岁（人）", "Persons marrying at 30-34"}},
      {"marriage_age_35_plus",
       35,
       200,
       {"结婚年龄 35 岁及以上（人）", "Persons marrying at 35 or older"}}};
  for (const auto& [id, low, high, name] : groups) {
    sdk::IndicatorDeclaration group;
    group.id = id;
    group.name = name;
    group.measure = sdk::Measure::Count;
    group.unit = "persons";
    group.description = {"按登记日的周岁计", "Completed years on the registration date"};
    group.compute = [this, low = low, high = high](
                        soci::session& db, const sdk::IndicatorQuery& query) -> std::int64_t {
      const std::string from = query.from.toString();
      const std::string to = query.to.toString();
      soci::rowset<soci::row> rows =
          (db.prepare
               << "SELECT registered_on, husband_id, wife_id FROM marriage_records"
                  " WHERE county_code = :county AND registered_on BETWEEN :from_date AND :to_date",
           soci::use(query.county), soci::use(from), soci::use(to));
      std::vector<std::pair<sdk::Date, std::int64_t>> parties;
      for (const auto& row : rows) {
        const auto registered = *sdk::Date::parse(sdk::sql::textAt(row, 0));
        parties.emplace_back(registered, sdk::sql::int64At(row, 1));
        parties.emplace_back(registered, sdk::sql::int64At(row, 2));
      }
      std::int64_t count = 0;
      for (const auto& [registered, person_id] : parties) {
        const auto person = context_->persons().findById(db, person_id);
        if (!person) continue;
        const int age = person->birth_date.yearsUntil(registered);
        if (age >= low && age <= high) ++count;
      }
      return count;
    };
    list.push_back(group);
  }
  return list;
}

nlohmann::json MarriagePlugin::divorcedPayload(soci::session& db, std::int64_t marriage_id,
                                               const std::string& divorced_on, const char* by) {
  const long long key = marriage_id;
  long long husband = 0, wife = 0;
  db << "SELECT husband_id, wife_id FROM marriage_records WHERE id = :id", soci::into(husband),
      soci::into(wife), soci::use(key);
  return {{"marriage_id", marriage_id},
          {"husband_person_id", husband},
          {"wife_person_id", wife},
          {"divorced_on", divorced_on},
          {"by", by}};
}

void MarriagePlugin::start(sdk::Context& context) {
  lists_ = std::make_unique<sdk::KeptQueryCache>(context.storage());
  context_ = &context;
  log_ = context.logger();
  auto& router = context.router();
  const auto handle = [this](sdk::Response (MarriagePlugin::*handler)(sdk::Request&)) {
    return [this, handler](sdk::Request& request) { return (this->*handler)(request); };
  };
  using sdk::Permission;
  using sdk::Route;

  router.add(Route::post("/offices")
                 .permission(Permission::Administer)
                 .summary("新增婚姻登记处", "Add a registration office of the county")
                 .body(object({{"code", officeCode()}, {"name", text(100)}}))
                 .created(officeSchema()),
             handle(&MarriagePlugin::createOffice));
  router.add(Route::get("/offices")
                 .summary("婚姻登记处列表", "The county's registration offices, by code")
                 .list(officeSchema(), kOfficeList),
             handle(&MarriagePlugin::listOffices));
  router.add(Route::get("/appointments")
                 .summary("婚姻登记预约列表", "The county's appointments, by date")
                 .list(appointmentItemSchema(), kAppointmentList)
                 .query("date", describe(date(), {"预约日期", "Only appointments on this day"}))
                 .query("office", officeFilter())
                 .query("citizen_id", citizenIdFilter()),
             handle(&MarriagePlugin::listAppointments));
  router.add(Route::post("/appointments")
                 .summary("预约婚姻登记", "Book an appointment (daily quota per office)")
                 .body(object({{"office_code", officeCodeInput()},
                               {"date", date()},
                               {"party_a", partyInput()},
                               {"party_b", partyInput()}}))
                 .created(appointmentSchema()),
             handle(&MarriagePlugin::bookAppointment));
  router.add(
      Route::post("/marriages")
          .summary("结婚登记（含历史补录）", "Register a marriage (or back-enter a historical one)")
          .body(object(
              {{"office_code", officeCodeInput()},
               {"husband", partyInput()},
               {"wife", partyInput()},
               {"declared_relationship",
                enumOf({{"none", {"无禁止结婚的亲属关系", "no prohibited kinship"}},
                        {"direct_blood", {"直系血亲", "direct blood relatives"}},
                        {"collateral_within_third_degree",
                         {"三代以内旁系血亲", "collateral relatives within the third degree"}}})},
               {"statement_signed", boolean()},
               {"back_entry",
                optional(describe(
                    object(
                        {{"registered_on", date()}, {"certificate_number", certificateNumber()}}),
                    {"历史婚姻补录", "A historical marriage entered from the archive"}))}}))
          .created(marriageSchema()),
      handle(&MarriagePlugin::registerMarriage));
  router.add(
      Route::get("/marriages")
          .summary("婚姻登记记录查询",
                   "Find marriage records: by a party, a name, a period, an office")
          .list(marriageItemSchema(), kMarriageList)
          .query("citizen_id", citizenIdFilter())
          .query("name", describe(text(50), {"当事人姓名（包含）",
                                             "A party's name contains this (either party, "
                                             "as registered or corrected)"}))
          .query("registered_from", describe(date(), {"登记日期起", "Registered on or after"}))
          .query("registered_to", describe(date(), {"登记日期止", "Registered on or before"}))
          .query("office", officeFilter())
          .query("status", describe(marriageStatus(), {"状态", "Only records in this status"})),
      handle(&MarriagePlugin::listMarriages));
  router.add(Route::get("/marriages/{id}")
                 .console({{"record", "marriage"}})
                 .pathId("id")
                 .summary("婚姻登记记录", "One marriage record with its certificates")
                 .ok(marriageSchema()),
             handle(&MarriagePlugin::getMarriage));
  router.add(Route::get("/persons/{citizen_id}/marital-status")
                 .pathParam("citizen_id", citizenId())
                 .summary("婚姻状况查询", "A person's marital status across every county")
                 .ok(maritalStatusSchema()),
             handle(&MarriagePlugin::maritalStatus));
  router.add(
      Route::get("/certificates")
          .summary("婚姻登记证查询", "Find certificates: by number, kind, marriage")
          .list(certificateItemSchema(), kCertificateList)
          .query("number", describe(certificateNumber(), {"证书编号", "This number"}))
          .query("kind", describe(certificateKind(), {"证书种类", "Only this kind"}))
          .query("marriage_id", describe(id(), {"婚姻记录", "Only this marriage's certificates"})),
      handle(&MarriagePlugin::listCertificates));
  router.add(
      Route::post("/certificates/{number}/replacement")
          .pathParam("number", certificateNumber())
          .summary("补领婚姻登记证", "Issue a replacement certificate (补领) from the archive")
          .created(replacementSchema()),
      handle(&MarriagePlugin::replaceCertificate));
  router.add(Route::post("/marriages/{id}/court-outcomes")
                 .pathId("id")
                 .summary("登记法院判决（离婚、婚姻无效或撤销）",
                          "Record a court judgment (divorce, void or annulled marriage)")
                 .body(object({{"kind", enumOf({{"divorce", {"判决离婚", "divorce"}},
                                                {"void", {"宣告婚姻无效", "void marriage"}},
                                                {"annulled", {"撤销婚姻", "annulled marriage"}}})},
                               {"document_number", text(80)},
                               {"court", text(100)},
                               {"judgment_date", date()}}))
                 .ok(marriageSchema()),
             handle(&MarriagePlugin::recordCourtOutcome));
  router.add(
      Route::post("/marriages/{id}/corrections")
          .pathId("id")
          .summary("更正婚姻登记记录（原档案保持不变）",
                   "Correct a name or (for a back-entered record) the date; the archived "
                   "record stays as it was")
          .body(object({{"field", correctionField()}, {"value", text(50)}, {"reason", text(500)}}))
          .created(marriageSchema()),
      handle(&MarriagePlugin::correctMarriage));
  router.add(
      Route::post("/marriages/{id}/divorce-applications")
          .pathId("id")
          .summary("申请协议离婚（开始冷静期）",
                   "Apply for divorce by agreement (starts the cooling-off period)")
          .body(object({{"office_code", officeCodeInput()},
                        {"agreement", object({{"children", text(4000)},
                                              {"property", text(4000)},
                                              {"debts", text(4000)}})},
                        {"full_capacity", object({{"husband", boolean()}, {"wife", boolean()}})}}))
          .created(applicationSchema()),
      handle(&MarriagePlugin::applyForDivorce));
  router.add(
      Route::get("/divorce-applications")
          .summary("离婚登记申请查询", "Find divorce applications: by status, marriage, period")
          .list(applicationSchema(), kDivorceApplicationList)
          .query("status", describe(applicationStatus(), {"状态", "Status today"}))
          .query("marriage_id", describe(id(), {"婚姻记录", "Only this marriage's applications"}))
          .query("from", describe(date(), {"受理日期起", "Received on or after"}))
          .query("to", describe(date(), {"受理日期止", "Received on or before"})),
      handle(&MarriagePlugin::listDivorceApplications));
  router.add(
      Route::get("/divorce-applications/{id}")
          .console({{"record", "divorce_application"}})
          .pathId("id")
          .summary("离婚登记申请", "A divorce application with its cooling-off dates and status")
          .ok(applicationSchema()),
      handle(&MarriagePlugin::getDivorceApplication));
  router.add(
      Route::post("/divorce-applications/{id}/withdraw")
          .pathId("id")
          .summary("冷静期内撤回离婚申请",
                   "Withdraw during the cooling-off period (either party alone)")
          .body(object(
              {{"party", enumOf({{"husband", {"男方", "husband"}}, {"wife", {"女方", "wife"}}})}}))
          .ok(applicationSchema()),
      handle(&MarriagePlugin::withdrawDivorce));
  router.add(Route::post("/divorce-applications/{id}/certificate")
                 .pathId("id")
                 .summary("双方申领离婚证（第31至60日）",
                          "Both parties apply for the divorce certificate (days 31 to 60)")
                 .body(object({{"both_present", boolean()}}))
                 .ok(applicationSchema(true)),
             handle(&MarriagePlugin::registerDivorce));
}

void MarriagePlugin::stop() noexcept { lists_.reset(); }

}  // namespace civ::plugins::marriage
