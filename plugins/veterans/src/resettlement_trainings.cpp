// Training records (教育培训, 安置条例 §62–65; 退役军人保障法 §36): adaptive training by
// resettlement type, vocational skills, academic education and start-up courses, with course,
// provider, dates and whether it was completed. The training rate indicator reads them.
#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/correction.h>
#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/list.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/sql_json.h>

#include "resettlement_shared.h"

namespace civ::plugins::veterans::resettlement {

namespace {

using nlohmann::json;

const char* kColumns =
    "SELECT t.id, t.reception_id, p.name, r.township, t.kind, t.course, t.provider, t.start_on,"
    " t.end_on, t.completed, t.certificate FROM vt_trainings t JOIN vt_receptions r ON r.id ="
    " t.reception_id JOIN civ_persons p ON p.id = r.person_id";

json trainingRow(const soci::row& row) {
  return sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                          {"reception_id", sdk::sql::int64At(row, 1)},
                          {"name", sdk::sql::textAt(row, 2)},
                          {"township", sdk::sql::textAt(row, 3)},
                          {"kind", sdk::sql::textAt(row, 4)},
                          {"course", sdk::sql::textAt(row, 5)},
                          {"provider", sdk::sql::textAt(row, 6)},
                          {"start_on", sdk::sql::textAt(row, 7)},
                          {"end_on", sdk::sql::textOrNullAt(row, 8)},
                          {"completed", sdk::sql::int64At(row, 9) != 0},
                          {"certificate", sdk::sql::textOrNullAt(row, 10)}});
}

json trainingJson(soci::session& db, std::int64_t id) {
  const long long key = id;
  soci::rowset<soci::row> rows =
      (db.prepare << std::string(kColumns) + " WHERE t.id = :id", soci::use(key));
  for (const auto& row : rows) return trainingRow(row);
  throw sdk::NotFound("no training " + std::to_string(id));
}

/// The dates of a training record agree: it starts after the approval to leave (training of
/// retired soldiers), does not start in the future, ends on or after its start and not in the
/// future, and a completed training has its end.
void checkTraining(const json& state, const Reception& reception, sdk::Date today) {
  std::vector<sdk::FieldError> problems;
  const auto start = dateOf(state["start_on"]);
  const auto end = optionalDate(state, "end_on");
  if (start < reception.approved_on)
    problems.push_back({"start_on", "after-approval",
                        "the training starts before the approval to leave of " +
                            reception.approved_on.toString()});
  if (start > today) problems.push_back({"start_on", "not-in-future", "the date is after today"});
  if (end && *end < start)
    problems.push_back({"end_on", "end-after-start", "the training ends before it starts"});
  if (end && *end > today)
    problems.push_back({"end_on", "not-in-future", "the date is after today"});
  if (state.value("completed", false) && !end)
    problems.push_back({"end_on", "completed-end", "a completed training has its end date"});
  if (!problems.empty()) throw sdk::ValidationError(std::move(problems));
}

struct Training {
  std::int64_t id;
  std::int64_t reception_id;
};

Training scopedTraining(sdk::Request& request) {
  const long long key = request.pathId("id");
  soci::rowset<soci::row> rows =
      (request.db().prepare << "SELECT t.id, t.reception_id, r.township FROM vt_trainings t JOIN"
                               " vt_receptions r ON r.id = t.reception_id WHERE t.id = :id AND"
                               " t.county_code = :c",
       soci::use(key), soci::use(request.county()));
  for (const auto& row : rows) {
    sdk::requireTownship(request.caller(), sdk::sql::textAt(row, 2),
                         "training " + std::to_string(key));
    return {sdk::sql::int64At(row, 0), sdk::sql::int64At(row, 1)};
  }
  throw sdk::NotFound("no training " + std::to_string(key) + " in county " + request.county());
}

}  // namespace

sdk::Response recordTraining(sdk::Context& /*context*/, sdk::Request& request) {
  auto& db = request.db();
  const json& body = request.body();
  const auto reception =
      receptionField(request, body["reception_id"].get<std::int64_t>(), "reception_id");
  checkTraining(body, reception, request.today());
  const std::string kind = body["kind"], course = body["course"], provider = body["provider"],
                    start = body["start_on"],
                    end = body.contains("end_on") ? body["end_on"].get<std::string>() : "",
                    certificate = body.value("certificate", "");
  const long long reception_key = reception.id, completed = body["completed"].get<bool>() ? 1 : 0;
  soci::indicator end_i = end.empty() ? soci::i_null : soci::i_ok,
                  certificate_i = certificate.empty() ? soci::i_null : soci::i_ok;
  long long id = 0;
  db << "INSERT INTO vt_trainings (county_code, reception_id, kind, course, provider, start_on,"
        " end_on, completed, certificate, created_by) VALUES (:c, :r, :k, :co, :p, :s, :e, :done,"
        " :cert, :by) RETURNING id",
      soci::use(request.county()), soci::use(reception_key), soci::use(kind), soci::use(course),
      soci::use(provider), soci::use(start), soci::use(end, end_i), soci::use(completed),
      soci::use(certificate, certificate_i), soci::use(request.caller().user), soci::into(id);
  request.audit({sizeof(sdk::AuditRecord), "training.create", "training", std::to_string(id),
                 sdk::changedFields(nullptr, {{"reception_id", reception.id},
                                              {"kind", kind},
                                              {"course", course},
                                              {"provider", provider},
                                              {"start_on", start},
                                              {"completed", completed != 0}})});
  return sdk::Response::created(trainingJson(db, id),
                                "/resettlement/trainings/" + std::to_string(id));
}

sdk::Response listTrainings(sdk::Context& /*context*/, sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kTrainingList);
  sdk::ListQuery query("t.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "r.township"));
  if (auto reception = request.queryParam("reception_id"))
    query.add("t.reception_id = " + query.number(std::stoll(*reception)));
  if (auto kind = request.queryParam("kind")) query.add("t.kind = " + query.text(*kind));
  if (auto township = request.queryParam("township"))
    query.add("r.township = " + query.text(*township));
  if (auto completed = request.queryParam("completed"))
    query.add(std::string("t.completed = ") + (*completed == "true" ? "1" : "0"));
  if (auto course = request.queryParam("course"))
    query.add("t.course " + query.containing(*course));
  if (auto name = request.queryParam("name")) query.add("p.name " + query.containing(*name));
  query.addPeriod(request, "t.start_on", "start_from", "start_to");
  const std::string tables =
      " FROM vt_trainings t JOIN vt_receptions r ON r.id = t.reception_id JOIN civ_persons p ON"
      " p.id = r.person_id";
  const auto total = query.count(db, tables);
  soci::rowset<soci::row> rows = query.rows(
      db, std::string(kColumns) + query.clause() + " AND " + page.keysetCondition("t.id") +
              page.orderAndLimit({{"id", "t.id"}, {"start_on", "t.start_on"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    items.push_back(trainingRow(row));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response getTraining(sdk::Context& /*context*/, sdk::Request& request) {
  const auto training = scopedTraining(request);
  return sdk::Response::ok(trainingJson(request.db(), training.id));
}

sdk::Response correctTraining(sdk::Context& /*context*/, sdk::Request& request) {
  auto& db = request.db();
  const auto training = scopedTraining(request);
  const json& body = request.body();
  sdk::requireSomeField(body, "kind, course, provider, start_on, end_on, completed, certificate");
  const json current = trainingJson(db, training.id);
  json before = json::object();
  for (const char* field :
       {"kind", "course", "provider", "start_on", "end_on", "completed", "certificate"})
    before[field] = current[field];
  json after = before;
  for (const auto& item : body.items()) after[item.key()] = item.value();
  const json changes = sdk::changedFields(before, after);
  if (changes.empty()) sdk::refuseUnchanged(body);
  const auto reception = *findReception(db, request.county(), training.reception_id);
  checkTraining(after, reception, request.today());
  const std::string kind = after["kind"], course = after["course"], provider = after["provider"],
                    start = after["start_on"],
                    end = after["end_on"].is_null() ? "" : after["end_on"].get<std::string>(),
                    certificate = after["certificate"].is_null()
                                      ? ""
                                      : after["certificate"].get<std::string>();
  const long long completed = after["completed"].get<bool>() ? 1 : 0, key = training.id;
  soci::indicator end_i = end.empty() ? soci::i_null : soci::i_ok,
                  certificate_i = certificate.empty() ? soci::i_null : soci::i_ok;
  db << "UPDATE vt_trainings SET kind = :k, course = :co, provider = :p, start_on = :s, end_on ="
        " :e, completed = :done, certificate = :cert WHERE id = :id",
      soci::use(kind), soci::use(course), soci::use(provider), soci::use(start),
      soci::use(end, end_i), soci::use(completed), soci::use(certificate, certificate_i),
      soci::use(key);
  request.audit({sizeof(sdk::AuditRecord), "training.correct", "training",
                 std::to_string(training.id), changes});
  return sdk::Response::ok(trainingJson(db, training.id));
}

}  // namespace civ::plugins::veterans::resettlement
