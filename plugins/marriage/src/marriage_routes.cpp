// Offices, appointments, marriage registration, marital status, replacements, court outcomes.
#include <map>

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/citizen_id.h>
#include <civ/sdk/context.h>
#include <civ/sdk/error.h>
#include <civ/sdk/events.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/persons.h>
#include <civ/sdk/policy.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/sql_json.h>

#include "certificates.h"
#include "cooling_off.h"
#include "marriage_plugin.h"
#include "parameters.h"

namespace civ::plugins::marriage {

namespace {

using nlohmann::json;

constexpr int kMinimumAgeMan = 22;  // 民法典 §1047
constexpr int kMinimumAgeWoman = 20;

/// The current marriage of a person, in any county.
/// The marriage in force of a person, in any county. A marriage whose other party has died
/// has ended (the survivor is widowed and may marry).
std::optional<std::pair<std::int64_t, std::string>> currentMarriage(
    soci::session& db, const sdk::PersonsRegistry& persons, std::int64_t person_id) {
  const long long person = person_id;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT id, county_code, husband_id, wife_id FROM marriage_records WHERE "
                     "status = 'married'"
                     " AND (husband_id = :person OR wife_id = :person2) ORDER BY id DESC",
       soci::use(person), soci::use(person));
  std::vector<std::tuple<std::int64_t, std::string, std::int64_t>> married;
  for (const auto& row : rows) {
    const std::int64_t husband = sdk::sql::int64At(row, 2);
    married.emplace_back(sdk::sql::int64At(row, 0), sdk::sql::textAt(row, 1),
                         husband == person_id ? sdk::sql::int64At(row, 3) : husband);
  }
  for (const auto& [id, county, spouse_id] : married) {
    const auto spouse = persons.findById(db, spouse_id);
    if (spouse && spouse->deceased()) continue;
    return std::make_pair(id, county);
  }
  return std::nullopt;
}

void audit(sdk::Request& request, const std::string& action, const std::string& entity_type,
           std::int64_t id, json changes) {
  sdk::AuditRecord record;
  record.action = action;
  record.entity_type = entity_type;
  record.entity_id = std::to_string(id);
  record.changes = std::move(changes);
  request.audit(record);
}

}  // namespace

Office MarriagePlugin::office(soci::session& db, const std::string& county,
                              const std::string& code) const {
  Office found;
  long long id = 0;
  db << "SELECT id, code, name FROM marriage_offices WHERE code = :code AND county_code = :county",
      soci::into(id), soci::into(found.code), soci::into(found.name), soci::use(code),
      soci::use(county);
  if (!db.got_data())
    throw sdk::ValidationError("office_code", "known_office",
                               "county " + county + " has no registration office '" + code + "'");
  found.id = id;
  return found;
}

sdk::Response MarriagePlugin::createOffice(sdk::Request& request) {
  const std::string code = request.body()["code"];
  const std::string name = request.body()["name"];
  long long existing = 0;
  request.db() << "SELECT COUNT(*) FROM marriage_offices WHERE code = :code", soci::into(existing),
      soci::use(code);
  if (existing > 0) throw sdk::Conflict("an office with code " + code + " already exists");
  long long id = 0;
  request.db() << "INSERT INTO marriage_offices (county_code, code, name) VALUES (:county, :code, "
                  ":name) RETURNING id",
      soci::use(request.county()), soci::use(code), soci::use(name), soci::into(id);
  audit(request, "office.create", "office", id, sdk::changedFields(nullptr, request.body()));
  return sdk::Response::created({{"id", id}, {"code", code}, {"name", name}}, "/offices");
}

sdk::Response MarriagePlugin::bookAppointment(sdk::Request& request) {
  const json& body = request.body();
  const Office found = office(request.db(), request.county(), body["office_code"]);
  const sdk::Date date = *sdk::Date::parse(body["date"].get<std::string>());
  if (date < request.today())
    throw sdk::ValidationError(
        "date", "not_past",
        "an appointment cannot be booked for " + date.toString() + ", which is before today");
  const auto quota = context_->policy().get(kAppointmentDailyQuota, request.county(), date);
  long long booked = 0;
  const long long office_id = found.id;
  const std::string day = date.toString();
  request.db() << "SELECT COUNT(*) FROM marriage_appointments WHERE office_id = :office AND "
                  "appointment_date = :day",
      soci::into(booked), soci::use(office_id), soci::use(day);
  if (booked >= quota)
    throw sdk::Conflict("office " + found.code + " is fully booked on " + day + " (" +
                        std::to_string(quota) + " appointments a day); choose another day");
  auto& persons = context_->persons();
  const auto a =
      persons.ensureRegistered(request.db(), body["party_a"]["citizen_id"].get<std::string>(),
                               body["party_a"]["name"].get<std::string>(), "party_a.citizen_id");
  const auto b =
      persons.ensureRegistered(request.db(), body["party_b"]["citizen_id"].get<std::string>(),
                               body["party_b"]["name"].get<std::string>(), "party_b.citizen_id");
  long long id = 0;
  const long long a_id = a.id, b_id = b.id;
  request.db() << "INSERT INTO marriage_appointments (county_code, office_id, appointment_date, "
                  "party_a_id, party_b_id)"
                  " VALUES (:county, :office, :day, :a, :b) RETURNING id",
      soci::use(request.county()), soci::use(office_id), soci::use(day), soci::use(a_id),
      soci::use(b_id), soci::into(id);
  audit(request, "appointment.book", "appointment", id,
        {{"date", {{"old", nullptr}, {"new", day}}}});
  return sdk::Response::created(
      {{"id", id}, {"office_code", found.code}, {"date", day}, {"remaining", quota - booked - 1}},
      "/appointments/" + std::to_string(id));
}

sdk::Response MarriagePlugin::registerMarriage(sdk::Request& request) {
  const json& body = request.body();
  soci::session& db = request.db();
  const Office found = office(db, request.county(), body["office_code"]);
  const bool back_entry = body.contains("back_entry");
  const sdk::Date registered_on =
      back_entry ? *sdk::Date::parse(body["back_entry"]["registered_on"].get<std::string>())
                 : request.today();
  if (back_entry &&
      (registered_on < *sdk::Date::parse("1950-01-01") || registered_on > request.today()))
    throw sdk::ValidationError("back_entry.registered_on", "range",
                               "a back-entered marriage is dated from 1950-01-01 to today");
  auto& persons = context_->persons();
  const auto husband =
      persons.ensureRegistered(db, body["husband"]["citizen_id"].get<std::string>(),
                               body["husband"]["name"].get<std::string>(), "husband.citizen_id");
  const auto wife =
      persons.ensureRegistered(db, body["wife"]["citizen_id"].get<std::string>(),
                               body["wife"]["name"].get<std::string>(), "wife.citizen_id");
  // Refusal grounds, each named (不予登记 with the reason).
  std::vector<sdk::FieldError> grounds;
  if (husband.id == wife.id)
    grounds.push_back({"wife.citizen_id", "same_person", "both parties have the same citizen ID"});
  if (husband.sex == wife.sex)
    grounds.push_back({"wife.citizen_id", "same_sex",
                       std::string("both parties are ") +
                           (husband.sex == sdk::Sex::Male ? "men" : "women") +
                           "; a marriage is registered between a man and a woman"});
  else if (husband.sex != sdk::Sex::Male)
    grounds.push_back(
        {"husband.citizen_id", "sex", "the husband's citizen ID is a woman's; swap the parties"});
  if (!back_entry) {
    // Back-entered records keep the age rule of their time, which is not checked here.
    const int husband_age = husband.birth_date.yearsUntil(registered_on);
    const int wife_age = wife.birth_date.yearsUntil(registered_on);
    if (husband.sex == sdk::Sex::Male && husband_age < kMinimumAgeMan)
      grounds.push_back({"husband.citizen_id", "under_age",
                         "the husband is " + std::to_string(husband_age) + " on " +
                             registered_on.toString() + "; a man may marry from 22 (" +
                             husband.birth_date.addMonths(22 * 12).toString() + ")"});
    if (wife.sex == sdk::Sex::Female && wife_age < kMinimumAgeWoman)
      grounds.push_back({"wife.citizen_id", "under_age",
                         "the wife is " + std::to_string(wife_age) + " on " +
                             registered_on.toString() + "; a woman may marry from 20 (" +
                             wife.birth_date.addMonths(20 * 12).toString() + ")"});
  }
  for (const auto* party : {&husband, &wife}) {
    const std::string field = party == &husband ? "husband.citizen_id" : "wife.citizen_id";
    if (registered_on < party->birth_date)
      grounds.push_back(
          {field, "before_birth",
           "was born on " + party->birth_date.toString() + ", after " + registered_on.toString()});
    if (party->deceased())
      grounds.push_back(
          {field, "deceased", "is recorded deceased on " + party->death_date->toString()});
    if (auto current = currentMarriage(db, persons, party->id))
      grounds.push_back({field, "already_married",
                         "is married (record " + std::to_string(current->first) + ", county " +
                             current->second + "); a divorce or a death must be registered first"});
  }
  if (body["declared_relationship"] != "none")
    grounds.push_back(
        {"declared_relationship", "prohibited_kinship",
         "direct blood relatives and collateral relatives within the third degree may not marry"});
  if (!body["statement_signed"].get<bool>())
    grounds.push_back(
        {"statement_signed", "statement_required",
         "both parties must sign the statement of no spouse and no prohibited kinship"});
  if (!grounds.empty()) throw sdk::ValidationError(std::move(grounds));

  // A divorced pair marrying again: link the new record to their last one (复婚).
  std::optional<long long> previous;
  {
    long long previous_id = 0;
    const long long h = husband.id, w = wife.id;
    db << "SELECT id FROM marriage_records WHERE husband_id = :h AND wife_id = :w AND status = "
          "'divorced'"
          " ORDER BY id DESC LIMIT 1",
        soci::into(previous_id), soci::use(h), soci::use(w);
    if (db.got_data()) previous = previous_id;
  }
  long long id = 0;
  const long long office_id = found.id, h = husband.id, w = wife.id,
                  previous_value = previous.value_or(0);
  soci::indicator previous_indicator = previous ? soci::i_ok : soci::i_null;
  const std::string registered = registered_on.toString();
  const int back_entered = back_entry ? 1 : 0;
  const int signed_statement = 1;
  db << "INSERT INTO marriage_records (county_code, office_id, husband_id, wife_id, registered_on, "
        "status,"
        " previous_marriage_id, back_entered, statement_signed, registrar)"
        " VALUES (:county, :office, :h, :w, :registered, 'married', :previous, :back, :signed, "
        ":registrar) RETURNING id",
      soci::use(request.county()), soci::use(office_id), soci::use(h), soci::use(w),
      soci::use(registered), soci::use(previous_value, previous_indicator), soci::use(back_entered),
      soci::use(signed_statement), soci::use(request.caller().user), soci::into(id);
  const auto certificate = Certificates::issue(
      db, request.county(), found.id, found.code, CertificateKind::Marriage, id, std::nullopt,
      registered_on, std::nullopt,
      back_entry ? std::optional(body["back_entry"]["certificate_number"].get<std::string>())
                 : std::nullopt);
  audit(request, back_entry ? "marriage.back_enter" : "marriage.register", "marriage", id,
        {{"husband", {{"old", nullptr}, {"new", husband.citizen_id}}},
         {"wife", {{"old", nullptr}, {"new", wife.citizen_id}}},
         {"registered_on", {{"old", nullptr}, {"new", registered}}},
         {"certificate", {{"old", nullptr}, {"new", certificate.number}}}});
  context_->events().publish(db, kMarriageRegistered, request.county(),
                             {{"marriage_id", id},
                              {"husband_person_id", husband.id},
                              {"wife_person_id", wife.id},
                              {"registered_on", registered},
                              {"remarriage_of", previous ? json(*previous) : json(nullptr)}});
  return sdk::Response::created(marriageJson(db, id, request.today()),
                                "/marriages/" + std::to_string(id));
}

json MarriagePlugin::marriageJson(soci::session& db, std::int64_t id, sdk::Date today) const {
  const long long key = id;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT m.county_code, o.code, m.husband_id, m.wife_id, m.registered_on, "
                     "m.status, m.ended_on,"
                     " m.ended_by, m.previous_marriage_id, m.back_entered FROM marriage_records m"
                     " JOIN marriage_offices o ON o.id = m.office_id WHERE m.id = :id",
       soci::use(key));
  for (const auto& row : rows) {
    const auto husband = context_->persons().findById(db, sdk::sql::int64At(row, 2));
    const auto wife = context_->persons().findById(db, sdk::sql::int64At(row, 3));
    json certificates = json::array();
    soci::rowset<soci::row> certs =
        (db.prepare << "SELECT number, kind, issued_on, replaces_id FROM marriage_certificates "
                       "WHERE marriage_id = :id"
                       " ORDER BY id",
         soci::use(key));
    for (const auto& cert : certs)
      certificates.push_back(
          sdk::jsonObject({{"number", sdk::sql::textAt(cert, 0)},
                           {"kind", sdk::sql::textAt(cert, 1)},
                           {"issued_on", sdk::sql::textAt(cert, 2)},
                           {"replacement", sdk::sql::optionalInt64At(cert, 3).has_value()}}));
    // The archived values, overlaid by the latest correction of each field.
    std::map<std::string, std::string> current = {{"husband_name", husband->name},
                                                  {"wife_name", wife->name},
                                                  {"registered_on", sdk::sql::textAt(row, 4)}};
    json corrections = json::array();
    soci::rowset<soci::row> fixes =
        (db.prepare << "SELECT field, old_value, new_value, reason, corrected_by, corrected_on "
                       "FROM marriage_corrections"
                       " WHERE marriage_id = :id ORDER BY id",
         soci::use(key));
    for (const auto& fix : fixes) {
      current[sdk::sql::textAt(fix, 0)] = sdk::sql::textAt(fix, 2);
      corrections.push_back(sdk::jsonObject({{"field", sdk::sql::textAt(fix, 0)},
                                             {"old", sdk::sql::textAt(fix, 1)},
                                             {"new", sdk::sql::textAt(fix, 2)},
                                             {"reason", sdk::sql::textAt(fix, 3)},
                                             {"by", sdk::sql::textAt(fix, 4)},
                                             {"on", sdk::sql::textAt(fix, 5)}}));
    }
    json applications = json::array();
    soci::rowset<soci::row> divorces =
        (db.prepare << "SELECT id, status, received_on, withdraw_until, collect_from,"
                       " collect_until, withdrawn_on, registered_on FROM"
                       " marriage_divorce_applications WHERE marriage_id = :id ORDER BY id",
         soci::use(key));
    for (const auto& divorce : divorces) {
      const auto withdraw_until = *sdk::Date::parse(sdk::sql::textAt(divorce, 3));
      const auto collect_until = *sdk::Date::parse(sdk::sql::textAt(divorce, 5));
      applications.push_back(
          sdk::jsonObject({{"id", sdk::sql::int64At(divorce, 0)},
                           {"status", divorceStatusOn(sdk::sql::textAt(divorce, 1), withdraw_until,
                                                      collect_until, today)},
                           {"received_on", sdk::sql::textAt(divorce, 2)},
                           {"withdraw_until", withdraw_until.toString()},
                           {"collect_from", sdk::sql::textAt(divorce, 4)},
                           {"collect_until", collect_until.toString()},
                           {"withdrawn_on", sdk::sql::textOrNullAt(divorce, 6)},
                           {"registered_on", sdk::sql::textOrNullAt(divorce, 7)}}));
    }
    return {{"id", id},
            {"county", sdk::sql::textAt(row, 0)},
            {"office_code", sdk::sql::textAt(row, 1)},
            {"husband",
             {{"person_id", husband->id},
              {"name", current["husband_name"]},
              {"citizen_id", husband->citizen_id}}},
            {"wife",
             {{"person_id", wife->id},
              {"name", current["wife_name"]},
              {"citizen_id", wife->citizen_id}}},
            {"registered_on", current["registered_on"]},
            {"corrections", corrections},
            {"status", sdk::sql::textAt(row, 5)},
            {"ended_on", sdk::sql::textOrNullAt(row, 6)},
            {"ended_by", sdk::sql::textOrNullAt(row, 7)},
            {"remarriage_of", sdk::sql::int64OrNullAt(row, 8)},
            {"back_entered", sdk::sql::int64At(row, 9) != 0},
            {"certificates", certificates},
            {"divorce_applications", applications}};
  }
  throw sdk::NotFound("no marriage record " + std::to_string(id));
}

sdk::Response MarriagePlugin::getMarriage(sdk::Request& request) {
  const std::int64_t id = request.pathId("id");
  const json record = marriageJson(request.db(), id, request.today());
  if (record["county"] != request.county())
    throw sdk::NotFound("no marriage record " + std::to_string(id) + " in county " +
                        request.county());
  return sdk::Response::ok(record);
}

sdk::Response MarriagePlugin::maritalStatus(sdk::Request& request) {
  const std::string& citizen_id = request.pathParam("citizen_id");
  // A malformed number names no person: say so instead of answering "unmarried".
  sdk::CitizenId::parse(citizen_id, request.today(), "citizen_id");
  const auto person = context_->persons().findByCitizenId(request.db(), citizen_id);
  if (!person)
    return sdk::Response::ok({{"marital_status", "unmarried"}, {"marriages", json::array()}});
  const long long key = person->id;
  soci::rowset<soci::row> rows =
      (request.db().prepare << "SELECT id, status, husband_id, wife_id, registered_on, ended_on "
                               "FROM marriage_records"
                               " WHERE husband_id = :p OR wife_id = :p2 ORDER BY registered_on, id",
       soci::use(key), soci::use(key));
  std::string status = "unmarried";
  json marriages = json::array();
  for (const auto& row : rows) {
    const std::string record_status = sdk::sql::textAt(row, 1);
    const std::int64_t spouse_id = sdk::sql::int64At(row, 2) == person->id
                                       ? sdk::sql::int64At(row, 3)
                                       : sdk::sql::int64At(row, 2);
    marriages.push_back(sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                                         {"status", record_status},
                                         {"registered_on", sdk::sql::textAt(row, 4)}}));
    if (record_status == "married") {
      const auto spouse = context_->persons().findById(request.db(), spouse_id);
      status = spouse && spouse->deceased() ? "widowed" : "married";
    } else if (record_status == "divorced") {
      status = "divorced";
    }
  }
  return sdk::Response::ok({{"marital_status", status}, {"marriages", marriages}});
}

sdk::Response MarriagePlugin::replaceCertificate(sdk::Request& request) {
  const std::string& number = request.pathParam("number");
  auto original = Certificates::findByNumber(request.db(), number);
  if (!original || original->county != request.county())
    throw sdk::NotFound("no certificate " + number + " in the archive of county " +
                        request.county());
  long long office_id = 0;
  std::string office_code;
  const long long marriage = original->marriage_id;
  request.db()
      << "SELECT o.id, o.code FROM marriage_records m JOIN marriage_offices o ON o.id = m.office_id"
         " WHERE m.id = :id",
      soci::into(office_id), soci::into(office_code), soci::use(marriage);
  const auto replacement = Certificates::issue(
      request.db(), request.county(), office_id, office_code,
      original->kind == "marriage" ? CertificateKind::Marriage : CertificateKind::Divorce,
      original->marriage_id, original->divorce_application_id, request.today(), original->id);
  audit(request, "certificate.replace", "certificate", replacement.id,
        {{"replaces", {{"old", nullptr}, {"new", original->number}}},
         {"number", {{"old", nullptr}, {"new", replacement.number}}}});
  return sdk::Response::created({{"number", replacement.number},
                                 {"replaces", original->number},
                                 {"kind", replacement.kind},
                                 {"issued_on", replacement.issued_on.toString()}},
                                "/marriages/" + std::to_string(original->marriage_id));
}

sdk::Response MarriagePlugin::correctMarriage(sdk::Request& request) {
  const std::int64_t id = request.pathId("id");
  const json record = marriageJson(request.db(), id, request.today());
  if (record["county"] != request.county())
    throw sdk::NotFound("no marriage record " + std::to_string(id) + " in county " +
                        request.county());
  const json& body = request.body();
  const std::string field = body["field"];
  const std::string value = body["value"];
  std::string old_value;
  if (field == "registered_on") {
    if (!record["back_entered"].get<bool>())
      throw sdk::ValidationError(
          "field", "back_entered_only",
          "only a back-entered record's date can be corrected; a record registered in civ "
          "carries the date it was registered");
    const auto date = sdk::Date::parse(value);
    if (!date || *date < *sdk::Date::parse("1950-01-01") || *date > request.today())
      throw sdk::ValidationError("value", "date",
                                 "a marriage date from 1950-01-01 to today, YYYY-MM-DD");
    // As at its back entry: not before either party was born, nor after the marriage ended.
    for (const char* party : {"husband", "wife"}) {
      const auto person = context_->persons().findById(
          request.db(), record[party]["person_id"].get<std::int64_t>());
      if (person && *date < person->birth_date)
        throw sdk::ValidationError("value", "before_birth",
                                   std::string("the ") + party + " was born on " +
                                       person->birth_date.toString() + ", after " + value);
      if (person && person->death_date && *date > *person->death_date)
        throw sdk::ValidationError("value", "after_end",
                                   std::string("the ") + party + " died on " +
                                       person->death_date->toString() + ", before " + value);
    }
    if (record["ended_on"].is_string() && value > record["ended_on"].get<std::string>())
      throw sdk::ValidationError(
          "value", "after_end",
          "the marriage ended on " + record["ended_on"].get<std::string>() + ", before " + value);
    old_value = record["registered_on"];
  } else {
    old_value = record[field == "husband_name" ? "husband" : "wife"]["name"];
  }
  if (old_value == value) throw sdk::Conflict(field + " is already '" + value + "'");
  const long long key = id;
  const std::string reason = body["reason"];
  const std::string today = request.today().toString();
  long long correction_id = 0;
  request.db() << "INSERT INTO marriage_corrections (county_code, marriage_id, field, old_value, "
                  "new_value, reason,"
                  " corrected_by, corrected_on) VALUES (:county, :id, :field, :old_value, "
                  ":new_value, :reason, :user,"
                  " :today) RETURNING id",
      soci::use(request.county()), soci::use(key), soci::use(field), soci::use(old_value),
      soci::use(value), soci::use(reason), soci::use(request.caller().user), soci::use(today),
      soci::into(correction_id);
  audit(request, "marriage.correct", "marriage", id,
        {{field, {{"old", old_value}, {"new", value}}},
         {"reason", {{"old", nullptr}, {"new", reason}}}});
  return sdk::Response::created(marriageJson(request.db(), id, request.today()),
                                "/marriages/" + std::to_string(id));
}

sdk::Response MarriagePlugin::recordCourtOutcome(sdk::Request& request) {
  const std::int64_t id = request.pathId("id");
  const json record = marriageJson(request.db(), id, request.today());
  if (record["county"] != request.county())
    throw sdk::NotFound("no marriage record " + std::to_string(id) + " in county " +
                        request.county());
  if (record["status"] != "married")
    throw sdk::Conflict("marriage " + std::to_string(id) + " is already " +
                        record["status"].get<std::string>());
  const json& body = request.body();
  const std::string kind = body["kind"];
  const sdk::Date judgment = *sdk::Date::parse(body["judgment_date"].get<std::string>());
  if (judgment > request.today())
    throw sdk::ValidationError("judgment_date", "not_future", "the judgment date is after today");
  if (judgment < *sdk::Date::parse(record["registered_on"].get<std::string>()))
    throw sdk::ValidationError("judgment_date", "after_registration",
                               "the judgment predates the marriage");
  const long long key = id;
  const std::string judgment_text = judgment.toString();
  const std::string document = body["document_number"];
  const std::string court = body["court"];
  request.db() << "INSERT INTO marriage_court_outcomes (county_code, marriage_id, kind, "
                  "document_number, court,"
                  " judgment_date, recorded_by) VALUES (:county, :id, :kind, :document, :court, "
                  ":judgment, :user)",
      soci::use(request.county()), soci::use(key), soci::use(kind), soci::use(document),
      soci::use(court), soci::use(judgment_text), soci::use(request.caller().user);
  const std::string status = kind == "divorce" ? "divorced" : kind;
  const std::string ended_by = "court:" + document;
  request.db()
      << "UPDATE marriage_records SET status = :status, ended_on = :ended_on, ended_by = :ended_by"
         " WHERE id = :id",
      soci::use(status), soci::use(judgment_text), soci::use(ended_by), soci::use(key);
  audit(request, "marriage.court_outcome", "marriage", id,
        {{"status", {{"old", "married"}, {"new", status}}},
         {"document_number", {{"old", nullptr}, {"new", document}}}});
  if (kind == "divorce")
    context_->events().publish(request.db(), kMarriageDivorced, request.county(),
                               divorcedPayload(request.db(), id, judgment_text, "court"));
  return sdk::Response::ok(marriageJson(request.db(), id, request.today()));
}

}  // namespace civ::plugins::marriage
