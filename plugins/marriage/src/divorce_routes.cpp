// Divorce by agreement: application, the cooling-off period, withdrawal, the certificate.
#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/calendar.h>
#include <civ/sdk/context.h>
#include <civ/sdk/error.h>
#include <civ/sdk/events.h>
#include <civ/sdk/list.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/persons.h>
#include <civ/sdk/sql.h>

#include "certificates.h"
#include "cooling_off.h"
#include "marriage_plugin.h"

namespace civ::plugins::marriage {

namespace {

using nlohmann::json;

/// A divorce dissolves a marriage in force (rules.md §4.2: an agreement of two living parties
/// who both appear). A court's divorce or annulment has set the record's status; a death leaves
/// it "married" (the survivor shows as widowed, marriage_routes.cpp), so both parties are looked
/// up. Conflict naming what ended it; false when no such marriage is registered.
bool requireMarriageInForce(soci::session& db, const sdk::PersonsRegistry& persons,
                            std::int64_t marriage_id) {
  std::string status;
  long long husband = 0;
  long long wife = 0;
  const long long key = marriage_id;
  db << "SELECT status, husband_id, wife_id FROM marriage_records WHERE id = :id",
      soci::into(status), soci::into(husband), soci::into(wife), soci::use(key);
  if (!db.got_data()) return false;
  const std::string marriage = "marriage " + std::to_string(marriage_id);
  if (status != "married") throw sdk::Conflict(marriage + " is " + status + ", not in force");
  for (const auto& [party, id] : {std::pair{"husband", husband}, std::pair{"wife", wife}}) {
    const auto person = persons.findById(db, id);
    if (person && person->deceased())
      throw sdk::Conflict(marriage + " ended with the " + party + "'s death on " +
                          person->death_date->toString() + "; there is nothing to dissolve");
  }
  return true;
}

struct Application {
  std::int64_t id = 0;
  std::string county;
  std::int64_t marriage_id = 0;
  std::string status;  ///< stored: received, withdrawn, registered
  sdk::Date received_on;
  sdk::Date withdraw_until;
  sdk::Date collect_from;
  sdk::Date collect_until;
};

std::optional<Application> findApplication(soci::session& db, std::int64_t id) {
  const long long key = id;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT county_code, marriage_id, status, received_on, withdraw_until, "
                     "collect_from, collect_until"
                     " FROM marriage_divorce_applications WHERE id = :id",
       soci::use(key));
  for (const auto& row : rows) {
    return Application{id,
                       sdk::sql::textAt(row, 0),
                       sdk::sql::int64At(row, 1),
                       sdk::sql::textAt(row, 2),
                       *sdk::Date::parse(sdk::sql::textAt(row, 3)),
                       *sdk::Date::parse(sdk::sql::textAt(row, 4)),
                       *sdk::Date::parse(sdk::sql::textAt(row, 5)),
                       *sdk::Date::parse(sdk::sql::textAt(row, 6))};
  }
  return std::nullopt;
}

/// What the application is on `today`: lapse is derived from the dates, never stored.
std::string statusOn(const Application& application, sdk::Date today) {
  return divorceStatusOn(application.status, application.withdraw_until, application.collect_until,
                         today);
}

/// The answer for an application (applicationSchema), from its row.
json applicationBody(const Application& application, const sdk::WorkingDayCalendar& calendar,
                     sdk::Date today) {
  const auto period = coolingOffPeriod(application.received_on, calendar);
  json body = {{"id", application.id},
               {"marriage_id", application.marriage_id},
               {"status", statusOn(application, today)},
               {"received_on", application.received_on.toString()},
               {"withdraw_until", application.withdraw_until.toString()},
               {"collect_from", application.collect_from.toString()},
               {"collect_until", application.collect_until.toString()},
               {"calendar_complete", period.complete}};
  if (!period.complete) body["years_without_calendar"] = period.years_without_calendar;
  return body;
}

Application applicationInCounty(soci::session& db, std::int64_t id, const std::string& county) {
  auto application = findApplication(db, id);
  if (!application || application->county != county)
    throw sdk::NotFound("no divorce application " + std::to_string(id) + " in county " + county);
  return *application;
}

}  // namespace

json MarriagePlugin::applicationJson(soci::session& db, std::int64_t id, sdk::Date today) const {
  const auto application = findApplication(db, id);
  if (!application) throw sdk::NotFound("no divorce application " + std::to_string(id));
  return applicationBody(*application, context_->calendar(), today);
}

sdk::Response MarriagePlugin::listDivorceApplications(sdk::Request& request) {
  const auto page = sdk::ListRequest::from(request, kDivorceApplicationList);
  sdk::ListQuery query("county_code", request.county());
  query.addPeriod(request, "received_on");
  if (auto status = request.queryParam("status")) {
    // The stored status, or for a received application the dates that make its status today.
    const std::string today = request.today().toString();
    if (*status == "cooling_off")
      query.add("status = 'received' AND withdraw_until >= " + query.text(today));
    else if (*status == "awaiting_certificate")
      query.add("status = 'received' AND withdraw_until < " + query.text(today) +
                " AND collect_until >= " + query.text(today));
    else if (*status == "lapsed")
      query.add("status = 'received' AND collect_until < " + query.text(today));
    else
      query.add("status = " + query.text(*status));
  }
  if (auto marriage = request.queryParam("marriage_id"))
    query.add("marriage_id = " + query.number(std::stoll(*marriage)));
  soci::session& db = request.db();
  const std::string table = " FROM marriage_divorce_applications";
  const auto total = query.count(*lists_, db, table);
  soci::rowset<soci::row> rows =
      query.rows(db,
                 "SELECT id, marriage_id, status, received_on, withdraw_until, collect_from,"
                 " collect_until" +
                     table + query.clause() + " AND " + page.keysetCondition("id") +
                     page.orderAndLimit({{"id", "id"}, {"received_on", "received_on"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    const Application application{sdk::sql::int64At(row, 0),
                                  request.county(),
                                  sdk::sql::int64At(row, 1),
                                  sdk::sql::textAt(row, 2),
                                  *sdk::Date::parse(sdk::sql::textAt(row, 3)),
                                  *sdk::Date::parse(sdk::sql::textAt(row, 4)),
                                  *sdk::Date::parse(sdk::sql::textAt(row, 5)),
                                  *sdk::Date::parse(sdk::sql::textAt(row, 6))};
    items.push_back(applicationBody(application, context_->calendar(), request.today()));
    ids.push_back(application.id);
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response MarriagePlugin::applyForDivorce(sdk::Request& request) {
  const std::int64_t marriage_id = request.pathId("id");
  soci::session& db = request.db();
  const json& body = request.body();
  const Office found = office(db, request.county(), body["office_code"]);
  const long long key = marriage_id;
  // 不予受理 grounds, with the reason.
  if (!requireMarriageInForce(db, context_->persons(), marriage_id))
    throw sdk::ValidationError(
        "marriage_id", "registered_marriage",
        "no marriage " + std::to_string(marriage_id) +
            " is registered in the database; only a registered marriage can be dissolved "
            "by agreement (otherwise through a court)");
  std::vector<sdk::FieldError> grounds;
  for (const char* party : {"husband", "wife"})
    if (!body["full_capacity"][party].get<bool>())
      grounds.push_back(
          {std::string("full_capacity.") + party, "full_capacity",
           std::string("the ") + party +
               " lacks full civil capacity; a divorce by agreement is not accepted, go to court"});
  if (!grounds.empty()) throw sdk::ValidationError(std::move(grounds));
  long long open_applications = 0;
  const std::string today = request.today().toString();
  db << "SELECT COUNT(*) FROM marriage_divorce_applications WHERE marriage_id = :id AND status = "
        "'received'"
        " AND collect_until >= :today",
      soci::into(open_applications), soci::use(key), soci::use(today);
  if (open_applications > 0)
    throw sdk::Conflict("marriage " + std::to_string(marriage_id) +
                        " already has a divorce application in progress");
  const auto period = coolingOffPeriod(request.today(), context_->calendar());
  const std::string withdraw = period.withdraw_until.toString();
  const std::string collect_from = period.collect_from.toString();
  const std::string collect_until = period.collect_until.toString();
  const std::string agreement = body["agreement"].dump();
  long long id = 0;
  db << "INSERT INTO marriage_divorce_applications (county_code, marriage_id, received_on, "
        "withdraw_until,"
        " collect_from, collect_until, status, agreement)"
        " VALUES (:county, :marriage, :received, :withdraw, :from_date, :until, 'received', "
        ":agreement) RETURNING id",
      soci::use(request.county()), soci::use(key), soci::use(today), soci::use(withdraw),
      soci::use(collect_from), soci::use(collect_until), soci::use(agreement), soci::into(id);
  sdk::AuditRecord record;
  record.action = "divorce.apply";
  record.entity_type = "divorce_application";
  record.entity_id = std::to_string(id);
  record.changes = {{"marriage_id", {{"old", nullptr}, {"new", marriage_id}}},
                    {"office", {{"old", nullptr}, {"new", found.code}}},
                    {"received_on", {{"old", nullptr}, {"new", today}}}};
  request.audit(record);
  return sdk::Response::created(applicationJson(db, id, request.today()),
                                "/divorce-applications/" + std::to_string(id));
}

sdk::Response MarriagePlugin::getDivorceApplication(sdk::Request& request) {
  const auto application =
      applicationInCounty(request.db(), request.pathId("id"), request.county());
  return sdk::Response::ok(applicationJson(request.db(), application.id, request.today()));
}

sdk::Response MarriagePlugin::withdrawDivorce(sdk::Request& request) {
  const auto application =
      applicationInCounty(request.db(), request.pathId("id"), request.county());
  const std::string status = statusOn(application, request.today());
  if (status != "cooling_off")
    throw sdk::Conflict("the application can only be withdrawn until " +
                        application.withdraw_until.toString() +
                        " (day 30 of the cooling-off period); it is " + status);
  const std::string party = request.body()["party"];
  const std::string today = request.today().toString();
  const long long key = application.id;
  request.db()
      << "UPDATE marriage_divorce_applications SET status = 'withdrawn', withdrawn_on = :today,"
         " withdrawn_by = :party WHERE id = :id",
      soci::use(today), soci::use(party), soci::use(key);
  sdk::AuditRecord record;
  record.action = "divorce.withdraw";
  record.entity_type = "divorce_application";
  record.entity_id = std::to_string(application.id);
  record.changes = {{"status", {{"old", "cooling_off"}, {"new", "withdrawn"}}},
                    {"withdrawn_by", {{"old", nullptr}, {"new", party}}}};
  request.audit(record);
  return sdk::Response::ok(applicationJson(request.db(), application.id, request.today()));
}

sdk::Response MarriagePlugin::registerDivorce(sdk::Request& request) {
  soci::session& db = request.db();
  const auto application = applicationInCounty(db, request.pathId("id"), request.county());
  const sdk::Date today = request.today();
  const std::string status = statusOn(application, today);
  const std::string window =
      application.collect_from.toString() + " to " + application.collect_until.toString();
  if (status == "cooling_off")
    throw sdk::ValidationError("date", "cooling_off",
                               "the certificate can be applied for from " +
                                   application.collect_from.toString() + " (day 31) to " +
                                   application.collect_until.toString() + " (day 60); today is " +
                                   today.toString());
  if (status == "lapsed")
    throw sdk::Conflict(
        "the application lapsed: nobody applied for the certificate from " + window +
        "; it counts as withdrawn and a new application starts a new cooling-off period");
  if (status != "awaiting_certificate") throw sdk::Conflict("the application is " + status);
  if (!request.body()["both_present"].get<bool>())
    throw sdk::ValidationError("both_present", "both_present", "both parties must apply in person");
  // A court may have dissolved the marriage, or a party died, during the cooling-off period.
  requireMarriageInForce(db, context_->persons(), application.marriage_id);
  long long office_id = 0;
  std::string office_code;
  const long long marriage = application.marriage_id;
  db << "SELECT o.id, o.code FROM marriage_records m JOIN marriage_offices o ON o.id = m.office_id "
        "WHERE m.id = :id",
      soci::into(office_id), soci::into(office_code), soci::use(marriage);
  const std::string today_text = today.toString();
  const long long key = application.id;
  db << "UPDATE marriage_divorce_applications SET status = 'registered', registered_on = :today "
        "WHERE id = :id",
      soci::use(today_text), soci::use(key);
  const std::string ended_by = "registry:" + std::to_string(application.id);
  db << "UPDATE marriage_records SET status = 'divorced', ended_on = :today, ended_by = :ended_by "
        "WHERE id = :id",
      soci::use(today_text), soci::use(ended_by), soci::use(marriage);
  const auto certificate =
      Certificates::issue(db, request.county(), office_id, office_code, CertificateKind::Divorce,
                          application.marriage_id, application.id, today);
  sdk::AuditRecord record;
  record.action = "divorce.register";
  record.entity_type = "marriage";
  record.entity_id = std::to_string(application.marriage_id);
  record.changes = {{"status", {{"old", "married"}, {"new", "divorced"}}},
                    {"certificate", {{"old", nullptr}, {"new", certificate.number}}}};
  request.audit(record);
  context_->events().publish(db, kMarriageDivorced, request.county(),
                             divorcedPayload(db, application.marriage_id, today_text, "registry"));
  json body = applicationJson(db, application.id, today);
  body["certificate_number"] = certificate.number;
  return sdk::Response::ok(body);
}

}  // namespace civ::plugins::marriage
