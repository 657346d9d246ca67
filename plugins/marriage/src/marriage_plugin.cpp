#include "marriage_plugin.h"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <civ/sdk/context.h>
#include <civ/sdk/persons.h>
#include <civ/sdk/router.h>
#include <civ/sdk/sql.h>

namespace civ::plugins::marriage {

namespace {

using nlohmann::json;

const json kString = {{"type", "string"}};
const json kDate = {{"type", "string"}, {"format", "date"}};
const json kParty = {{"type", "object"},
                     {"required", {"citizen_id", "name"}},
                     {"properties",
                      {{"citizen_id", {{"type", "string"}, {"format", "citizen-id"}}},
                       {"name", {{"type", "string"}, {"minLength", 1}, {"maxLength", 50}}}}}};

std::int64_t countRows(soci::session& db, const std::string& sql,
                       const sdk::IndicatorQuery& query) {
  long long count = 0;
  const std::string from = query.from.toString();
  const std::string to = query.to.toString();
  db << sql, soci::into(count), soci::use(query.county), soci::use(from), soci::use(to);
  return count;
}

sdk::IndicatorDeclaration countIndicator(const std::string& id, sdk::LocalizedText name,
                                         sdk::LocalizedText how, std::string sql) {
  sdk::IndicatorDeclaration indicator;
  indicator.id = id;
  indicator.name = std::move(name);
  indicator.unit = "count";
  indicator.description = std::move(how);
  indicator.compute = [sql = std::move(sql)](soci::session& db, const sdk::IndicatorQuery& query) {
    return countRows(db, sql, query);
  };
  return indicator;
}

}  // namespace

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
       {}}};
}

std::vector<sdk::ParameterDeclaration> MarriagePlugin::parameters() const {
  sdk::ParameterDeclaration quota;
  quota.key = "appointment_daily_quota";
  quota.type = sdk::ParameterType::Integer;
  quota.unit = "appointments/office/day";
  quota.default_value = "40";
  quota.minimum = "1";
  quota.maximum = "1000";
  quota.description = {"每个登记处每日预约名额", "Appointments an office takes per day"};
  return {quota};
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
        {"registered_on", kDate},
        {"remarriage_of", {{"type", {"integer", "null"}}}}}}};
  sdk::EventDeclaration divorced;
  divorced.name = kMarriageDivorced;
  divorced.description = {"离婚", "A marriage ended in divorce (registry or court)"};
  divorced.payload_schema = {{"type", "object"},
                             {"required", {"marriage_id", "divorced_on", "by"}},
                             {"properties",
                              {{"marriage_id", {{"type", "integer"}}},
                               {"husband_person_id", {{"type", "integer"}}},
                               {"wife_person_id", {{"type", "integer"}}},
                               {"divorced_on", kDate},
                               {"by", {{"type", "string"}, {"enum", {"registry", "court"}}}}}}};
  return {registered, divorced};
}

std::vector<sdk::IndicatorDeclaration> MarriagePlugin::indicators() const {
  std::vector<sdk::IndicatorDeclaration> list = {
      countIndicator(
          "marriages", {"结婚登记对数", "Marriages registered"},
          {"期间内登记的结婚（含复婚、补录）", "Marriage records with registered_on in the period"},
          "SELECT COUNT(*) FROM marriage_records WHERE county_code = :county"
          " AND registered_on BETWEEN :from_date AND :to_date"),
      countIndicator(
          "remarriages", {"复婚对数", "Remarriages"},
          {"与原配偶再次登记结婚", "Marriages linked to an earlier marriage of the same pair"},
          "SELECT COUNT(*) FROM marriage_records WHERE county_code = :county"
          " AND previous_marriage_id IS NOT NULL AND registered_on BETWEEN :from_date AND "
          ":to_date"),
      countIndicator(
          "divorces_registry", {"登记离婚对数", "Divorces registered"},
          {"冷静期后登记的协议离婚", "Divorce applications registered in the period"},
          "SELECT COUNT(*) FROM marriage_divorce_applications WHERE county_code = :county"
          " AND status = 'registered' AND registered_on BETWEEN :from_date AND :to_date"),
      countIndicator("divorces_court", {"法院判决离婚", "Divorces by court"},
                     {"判决日期在期间内的离婚判决", "Court divorce judgments dated in the period"},
                     "SELECT COUNT(*) FROM marriage_court_outcomes WHERE county_code = :county"
                     " AND kind = 'divorce' AND judgment_date BETWEEN :from_date AND :to_date"),
      countIndicator(
          "cooling_off_withdrawn", {"冷静期内撤回", "Withdrawn in cooling-off"},
          {"期间内撤回的离婚申请", "Divorce applications withdrawn in the period"},
          "SELECT COUNT(*) FROM marriage_divorce_applications WHERE county_code = :county"
          " AND status = 'withdrawn' AND withdrawn_on BETWEEN :from_date AND :to_date"),
  };
  sdk::IndicatorDeclaration lapsed;
  lapsed.id = "cooling_off_lapsed";
  lapsed.name = {"期满视为撤回", "Lapsed after cooling-off"};
  lapsed.unit = "count";
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
  context_ = &context;
  log_ = context.logger();
  auto& router = context.router();
  const auto add = [&](sdk::Method method, const char* path, sdk::Permission permission,
                       const char* summary, nlohmann::json request_schema,
                       sdk::Response (MarriagePlugin::*handler)(sdk::Request&)) {
    sdk::RouteDeclaration route;
    route.method = method;
    route.path = path;
    route.permission = permission;
    route.summary = summary;
    route.request_schema = std::move(request_schema);
    route.response_schema = {{"type", "object"}};
    router.add(route, [this, handler](sdk::Request& request) { return (this->*handler)(request); });
  };
  using sdk::Method;
  using sdk::Permission;
  add(Method::Post, "/offices", Permission::Administer, "Add a registration office of the county",
      {{"type", "object"},
       {"required", {"code", "name"}},
       {"properties",
        {{"code", {{"type", "string"}, {"pattern", "^[0-9A-Za-z]{2,12}$"}}},
         {"name", {{"type", "string"}, {"minLength", 1}, {"maxLength", 100}}}}}},
      &MarriagePlugin::createOffice);
  add(Method::Get, "/offices", Permission::Read, "The county's registration offices", nullptr,
      &MarriagePlugin::listOffices);
  add(Method::Post, "/appointments", Permission::Edit,
      "Book an appointment (daily quota per office)",
      {{"type", "object"},
       {"required", {"office_code", "date", "party_a", "party_b"}},
       {"properties",
        {{"office_code", kString}, {"date", kDate}, {"party_a", kParty}, {"party_b", kParty}}}},
      &MarriagePlugin::bookAppointment);
  add(Method::Post, "/marriages", Permission::Edit,
      "Register a marriage (or back-enter a historical one)",
      {{"type", "object"},
       {"required",
        {"office_code", "husband", "wife", "declared_relationship", "statement_signed"}},
       {"properties",
        {{"office_code", kString},
         {"husband", kParty},
         {"wife", kParty},
         {"declared_relationship",
          {{"type", "string"},
           {"enum", {"none", "direct_blood", "collateral_within_third_degree"}}}},
         {"statement_signed", {{"type", "boolean"}}},
         {"back_entry",
          {{"type", "object"},
           {"required", {"registered_on", "certificate_number"}},
           {"properties",
            {{"registered_on", kDate},
             {"certificate_number",
              {{"type", "string"}, {"minLength", 1}, {"maxLength", 40}}}}}}}}}},
      &MarriagePlugin::registerMarriage);
  add(Method::Get, "/marriages/{id}", Permission::Read, "One marriage record with its certificates",
      nullptr, &MarriagePlugin::getMarriage);
  add(Method::Get, "/persons/{citizen_id}/marital-status", Permission::Read,
      "A person's marital status across every county", nullptr, &MarriagePlugin::maritalStatus);
  add(Method::Post, "/certificates/{number}/replacement", Permission::Edit,
      "Issue a replacement certificate (补领) from the archive", nullptr,
      &MarriagePlugin::replaceCertificate);
  add(Method::Post, "/marriages/{id}/court-outcomes", Permission::Edit,
      "Record a court judgment (divorce, void or annulled marriage)",
      {{"type", "object"},
       {"required", {"kind", "document_number", "court", "judgment_date"}},
       {"properties",
        {{"kind", {{"type", "string"}, {"enum", {"divorce", "void", "annulled"}}}},
         {"document_number", {{"type", "string"}, {"minLength", 1}, {"maxLength", 80}}},
         {"court", {{"type", "string"}, {"minLength", 1}, {"maxLength", 100}}},
         {"judgment_date", kDate}}}},
      &MarriagePlugin::recordCourtOutcome);
  add(Method::Post, "/marriages/{id}/corrections", Permission::Edit,
      "Correct a name or (for a back-entered record) the date; the archived record stays as it was",
      {{"type", "object"},
       {"required", {"field", "value", "reason"}},
       {"properties",
        {{"field", {{"type", "string"}, {"enum", {"husband_name", "wife_name", "registered_on"}}}},
         {"value", {{"type", "string"}, {"minLength", 1}, {"maxLength", 50}}},
         {"reason", {{"type", "string"}, {"minLength", 1}, {"maxLength", 500}}}}}},
      &MarriagePlugin::correctMarriage);
  add(Method::Post, "/marriages/{id}/divorce-applications", Permission::Edit,
      "Apply for divorce by agreement (starts the cooling-off period)",
      {{"type", "object"},
       {"required", {"office_code", "agreement", "full_capacity"}},
       {"properties",
        {{"office_code", kString},
         {"agreement",
          {{"type", "object"},
           {"required", {"children", "property", "debts"}},
           {"properties",
            {{"children", {{"type", "string"}, {"maxLength", 4000}}},
             {"property", {{"type", "string"}, {"maxLength", 4000}}},
             {"debts", {{"type", "string"}, {"maxLength", 4000}}}}}}},
         {"full_capacity",
          {{"type", "object"},
           {"required", {"husband", "wife"}},
           {"properties",
            {{"husband", {{"type", "boolean"}}}, {"wife", {{"type", "boolean"}}}}}}}}}},
      &MarriagePlugin::applyForDivorce);
  add(Method::Get, "/divorce-applications/{id}", Permission::Read,
      "A divorce application with its cooling-off dates and status", nullptr,
      &MarriagePlugin::getDivorceApplication);
  add(Method::Post, "/divorce-applications/{id}/withdraw", Permission::Edit,
      "Withdraw during the cooling-off period (either party alone)",
      {{"type", "object"},
       {"required", {"party"}},
       {"properties", {{"party", {{"type", "string"}, {"enum", {"husband", "wife"}}}}}}},
      &MarriagePlugin::withdrawDivorce);
  add(Method::Post, "/divorce-applications/{id}/certificate", Permission::Edit,
      "Both parties apply for the divorce certificate (days 31 to 60)",
      {{"type", "object"},
       {"required", {"both_present"}},
       {"properties", {{"both_present", {{"type", "boolean"}}}}}},
      &MarriagePlugin::registerDivorce);
}

}  // namespace civ::plugins::marriage
