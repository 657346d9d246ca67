// 惠民殡葬: the basic-fee exemption of one death, decided through the coverage directory (or a
// recorded certificate where no module answers), and its settlement with the funeral homes.
#include <set>

#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/context.h>
#include <civ/sdk/coverage.h>
#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/list.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/policy.h>
#include <civ/sdk/sql.h>

#include "funeral_plugin.h"
#include "funeral_rules.h"
#include "parameters.h"

namespace civ::plugins::funeral {

namespace {

using nlohmann::json;

}  // namespace

sdk::Response FuneralPlugin::grantExemption(sdk::Request& request) {
  auto& db = request.db();
  const long long death_id = request.pathId("id");
  const json& body = request.body();
  std::string county, death_text, township;
  long long person_id = 0;
  soci::indicator person_present = soci::i_null;
  db << "SELECT county_code, death_date, person_id, township FROM fu_deaths WHERE id = :id",
      soci::into(county), soci::into(death_text), soci::into(person_id, person_present),
      soci::into(township), soci::use(death_id);
  if (!db.got_data() || county != request.county())
    throw sdk::NotFound("no death registration " + std::to_string(death_id));
  sdk::requireTownship(request.caller(), township, "death " + std::to_string(death_id));
  long long existing = 0;
  db << "SELECT COUNT(*) FROM fu_exemptions WHERE death_id = :d", soci::into(existing),
      soci::use(death_id);
  if (existing > 0) throw sdk::Conflict("the exemption for this death is already recorded");
  const auto death_date = *sdk::Date::parse(death_text);
  const auto home = facility(db, request.county(), body["facility_code"]);
  requireApproved(db, home, request.today(), "facility_code");

  const auto& policy = context_->policy();
  std::vector<std::string> enabled;
  for (const auto& flag : kExemptionFlags)
    if (policy.get(*flag.parameter, request.county(), death_date))
      enabled.emplace_back(flag.category);
  sdk::CoverageAnswer coverage;
  if (person_present == soci::i_ok)
    coverage = context_->coverage().coverageOn(db, request.county(), person_id, death_date);
  std::optional<CategoryCertificate> certificate;
  if (body.contains("certificate"))
    certificate = CategoryCertificate{body["certificate"]["category"],
                                      body["certificate"]["number"], body["certificate"]["issuer"]};
  const auto decision =
      decideExemption(enabled, coverage, certificate, person_present != soci::i_ok);
  if (!decision.category)
    throw sdk::ValidationError("certificate", "exemption-eligibility", decision.refusal);

  json items = json::array();
  sdk::Money charged, exempt;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < body["items"].size(); ++i) {
    const auto& line = body["items"][i];
    const std::string item = line["item"];
    if (!seen.insert(item).second)
      throw sdk::ValidationError("items[" + std::to_string(i) + "].item", "once-per-item",
                                 "item " + item + " is listed twice");
    const auto amount = *sdk::Money::parse(line["charged"].get<std::string>());
    const auto capped =
        capItem(item, amount, policy.get(exemptionCap(item), request.county(), death_date));
    charged += capped.charged;
    exempt += capped.exempt;
    items.push_back(sdk::jsonObject({{"item", item},
                                     {"charged", capped.charged.toString()},
                                     {"exempt", capped.exempt.toString()}}));
  }
  const long long facility_id = home.id, charged_fen = charged.fen(), exempt_fen = exempt.fen();
  const std::string category = *decision.category, items_text = items.dump(),
                    today = request.today().toString();
  long long id = 0;
  db << "INSERT INTO fu_exemptions (death_id, facility_id, category, basis, evidence, note,"
        " items, charged_fen, exempt_fen, granted_on, granted_by) VALUES (:d, :f, :c, :b, :e,"
        " :n, :i, :ch, :ex, :on, :by) RETURNING id",
      soci::use(death_id), soci::use(facility_id), soci::use(category), soci::use(decision.basis),
      soci::use(decision.evidence), soci::use(decision.note), soci::use(items_text),
      soci::use(charged_fen), soci::use(exempt_fen), soci::use(today),
      soci::use(request.caller().user), soci::into(id);
  const json answer = {{"id", id},
                       {"death_id", death_id},
                       {"category", category},
                       {"basis", decision.basis},
                       {"evidence", decision.evidence},
                       {"note", decision.note},
                       {"items", items},
                       {"charged", charged.toString()},
                       {"exempt", exempt.toString()},
                       {"family_pays", (charged - exempt).toString()}};
  request.audit({sizeof(sdk::AuditRecord), "exemption.grant", "death", std::to_string(death_id),
                 sdk::changedFields(nullptr, answer)});
  return sdk::Response::created(answer, "/deaths/" + std::to_string(death_id));
}

sdk::Response FuneralPlugin::listExemptions(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kExemptionList);
  // An exemption is of a death: the death's county and township are the exemption's.
  sdk::ListQuery query("d.county_code", request.county());
  query.addPeriod(request, "e.granted_on");
  query.add(sdk::townshipCondition(request.caller(), "d.township"));
  if (auto category = request.queryParam("category"))
    query.add("e.category = " + query.text(*category));
  const std::string tables =
      " FROM fu_exemptions e JOIN fu_deaths d ON d.id = e.death_id"
      " JOIN fu_facilities f ON f.id = e.facility_id";
  const auto total = query.count(*lists_, db, tables);
  soci::rowset<soci::row> rows = query.rows(
      db,
      "SELECT e.id, e.death_id, d.number, f.code, e.category, e.basis, e.evidence, e.note,"
      " e.exempt_fen, e.charged_fen, e.items, e.granted_on" +
          tables + query.clause() + " AND " + page.keysetCondition("e.id") +
          page.orderAndLimit({{"id", "e.id"}, {"granted_on", "e.granted_on"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    items.push_back(
        sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                         {"death_id", sdk::sql::int64At(row, 1)},
                         {"death_number", sdk::sql::textAt(row, 2)},
                         {"facility_code", sdk::sql::textAt(row, 3)},
                         {"category", sdk::sql::textAt(row, 4)},
                         {"basis", sdk::sql::textAt(row, 5)},
                         {"evidence", sdk::sql::textAt(row, 6)},
                         {"note", sdk::sql::textAt(row, 7)},
                         {"exempt", sdk::Money::fromFen(sdk::sql::int64At(row, 8)).toString()},
                         {"charged", sdk::Money::fromFen(sdk::sql::int64At(row, 9)).toString()},
                         {"items", json::parse(sdk::sql::textAt(row, 10))},
                         {"granted_on", sdk::sql::textAt(row, 11)}}));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response FuneralPlugin::settlement(sdk::Request& request) {
  auto& db = request.db();
  const auto from = request.queryDate("from").value_or(request.today().addDays(-30));
  const auto to = request.queryDate("to").value_or(request.today());
  if (to < from) throw sdk::ValidationError("to", "period-order", "'to' is before 'from'", 400);
  const std::string from_text = from.toString(), to_text = to.toString();
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT f.code, f.name, e.category, COUNT(*), SUM(e.exempt_fen) FROM "
                     "fu_exemptions e JOIN fu_facilities f ON f.id = e.facility_id WHERE "
                     "f.county_code = :c AND e.granted_on >= :f AND e.granted_on <= :t GROUP BY"
                     " f.code, f.name, e.category ORDER BY f.code, e.category",
       soci::use(request.county()), soci::use(from_text), soci::use(to_text));
  json lines = json::array();
  sdk::Money total;
  for (const auto& row : rows) {
    const auto amount = sdk::Money::fromFen(sdk::sql::int64At(row, 4));
    total += amount;
    lines.push_back(sdk::jsonObject({{"facility_code", sdk::sql::textAt(row, 0)},
                                     {"facility", sdk::sql::textAt(row, 1)},
                                     {"category", sdk::sql::textAt(row, 2)},
                                     {"cases", sdk::sql::int64At(row, 3)},
                                     {"amount", amount.toString()}}));
  }
  return sdk::Response::ok(
      {{"from", from_text}, {"to", to_text}, {"lines", lines}, {"total", total.toString()}});
}

}  // namespace civ::plugins::funeral
