// The credit lists (社会组织信用信息管理办法, 民政部令第60号): the abnormal-activity list, entered
// within 5 working days of its cause (platform calendar), and the serious-dishonesty list, after
// two years on the first or for a serious cause.
#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/context.h>
#include <civ/sdk/correction.h>
#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/list.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/sql_json.h>

#include "organisation_columns.h"
#include "social_orgs_plugin.h"
#include "social_orgs_rules.h"

namespace civ::plugins::social_orgs {

namespace {

using nlohmann::json;

json listingsWhere(soci::session& db, sdk::ListQuery& query, const std::string& tail,
                   std::vector<std::int64_t>* ids = nullptr) {
  soci::rowset<soci::row> rows =
      query.rows(db,
                 "SELECT l.id, l.organisation_id, o.name, l.list, l.cause, l.cause_on, l.entry_due,"
                 " l.listed_on, l.removed_on, l.removal_reason, o.township FROM so_listings l JOIN"
                 " so_organisations o ON o.id = l.organisation_id" +
                     query.clause() + tail);
  json items = json::array();
  for (const auto& row : rows) {
    using namespace sdk::sql;
    const std::string due = textAt(row, 6), listed = textAt(row, 7);
    items.push_back(sdk::jsonObject({{"id", int64At(row, 0)},
                                     {"organisation_id", int64At(row, 1)},
                                     {"organisation", textAt(row, 2)},
                                     {"list", textAt(row, 3)},
                                     {"cause", textAt(row, 4)},
                                     {"cause_on", textAt(row, 5)},
                                     {"entry_due", due},
                                     {"listed_on", listed},
                                     {"late", listed > due},
                                     {"removed_on", textOrNullAt(row, 8)},
                                     {"removal_reason", textOrNullAt(row, 9)},
                                     {"township", textAt(row, 10)}}));
    if (ids) ids->push_back(int64At(row, 0));
  }
  return items;
}

json listingAt(sdk::Request& request) {
  const long long id = request.pathId("id");
  sdk::ListQuery query("l.county_code", request.county());
  query.add("l.id = " + query.number(id));
  const json items = listingsWhere(request.db(), query, "");
  if (items.empty()) throw sdk::NotFound("no listing " + std::to_string(id));
  sdk::requireTownship(request.caller(), items[0]["township"].get<std::string>(),
                       "listing " + std::to_string(id));
  return items[0];
}

json listingById(sdk::Request& request, std::int64_t id) {
  sdk::ListQuery query("l.county_code", request.county());
  query.add("l.id = " + query.number(id));
  return listingsWhere(request.db(), query, "").at(0);
}

}  // namespace

std::optional<sdk::Date> abnormalListedOn(soci::session& db, std::int64_t organisation) {
  const long long key = organisation;
  std::string on;
  soci::indicator present = soci::i_null;
  db << "SELECT MIN(listed_on) FROM so_listings WHERE organisation_id = :o AND list = 'abnormal'"
        " AND removed_on IS NULL",
      soci::into(on, present), soci::use(key);
  if (present != soci::i_ok) return std::nullopt;
  return sdk::Date::parse(on);
}

bool onSeriousList(soci::session& db, std::int64_t organisation) {
  const long long key = organisation;
  long long count = 0;
  db << "SELECT COUNT(*) FROM so_listings WHERE organisation_id = :o AND list = 'serious' AND"
        " removed_on IS NULL",
      soci::into(count), soci::use(key);
  return count > 0;
}

sdk::Response SocialOrgsPlugin::listOrganisation(sdk::Request& request) {
  auto& db = request.db();
  const auto found = organisationAt(request);
  if ((found.status != "registered" && found.status != "liquidating") || !found.registered_on)
    throw sdk::ValidationError(
        "id", "registered-organisation",
        "only a registered organisation is listed; this one is " + found.status);
  const json& body = request.body();
  const std::string list = body["list"], cause = body["cause"];
  const auto cause_on = *sdk::Date::parse(body["cause_on"].get<std::string>());
  const auto today = request.today();
  if (cause_on > today)
    throw sdk::ValidationError("cause_on", "not-in-future", "the cause arose after today");
  if (cause_on < *found.registered_on)
    throw sdk::ValidationError("cause_on", "after-registration",
                               "the cause arose before registration");
  const auto abnormal_since = abnormalListedOn(db, found.id);
  const bool serious = onSeriousList(db, found.id);
  if (list == "abnormal") {
    if (cause != "no_annual_report" && cause != "unreachable")
      throw sdk::ValidationError("cause", "abnormal-cause",
                                 "the abnormal-activity list takes a missing annual report or an "
                                 "organisation unreachable at its address");
    if (abnormal_since || serious)
      throw sdk::ValidationError("list", "already-listed", "the organisation is already listed");
  } else {
    if (serious)
      throw sdk::ValidationError("list", "already-listed",
                                 "the organisation is already on the serious-dishonesty list");
    if (cause == "abnormal_two_years") {
      if (!abnormal_since || seriousListingDue(*abnormal_since) > cause_on)
        throw sdk::ValidationError("cause", "two-years-on-abnormal",
                                   abnormal_since
                                       ? "on the abnormal-activity list since " +
                                             abnormal_since->toString() + ": two years end on " +
                                             seriousListingDue(*abnormal_since).toString()
                                       : "the organisation is not on the abnormal-activity list");
    } else if (cause != "fake_change_registration" && cause != "court_defaulter") {
      throw sdk::ValidationError("cause", "serious-cause",
                                 "the serious-dishonesty list takes two years on the abnormal "
                                 "list, a fake change registration or a court debt defaulter");
    }
  }
  const std::string due = abnormalListingDue(context_->calendar(), cause_on).date.toString(),
                    cause_text = cause_on.toString(), listed = today.toString();
  const long long key = found.id;
  long long id = 0;
  db << "INSERT INTO so_listings (county_code, organisation_id, list, cause, cause_on,"
        " entry_due, listed_on) VALUES (:c, :o, :l, :ca, :co, :d, :lo) RETURNING id",
      soci::use(request.county()), soci::use(key), soci::use(list), soci::use(cause),
      soci::use(cause_text), soci::use(due), soci::use(listed), soci::into(id);
  sdk::ListQuery query("l.county_code", request.county());
  query.add("l.id = " + query.number(id));
  const json created = listingsWhere(db, query, "").at(0);
  request.audit({sizeof(sdk::AuditRecord), "listing." + list, "organisation",
                 std::to_string(found.id), sdk::changedFields(nullptr, created)});
  return sdk::Response::created(created, "/listings?organisation_id=" + std::to_string(found.id));
}

sdk::Response SocialOrgsPlugin::listListings(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kListingList);
  sdk::ListQuery query("l.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "o.township"));
  if (auto list = request.queryParam("list")) query.add("l.list = " + query.text(*list));
  if (auto organisation = request.queryParam("organisation_id"))
    query.add("l.organisation_id = " + query.number(std::stoll(*organisation)));
  if (auto current = request.queryParam("current"))
    query.add(*current == "true" ? "l.removed_on IS NULL" : "l.removed_on IS NOT NULL");
  const auto total = query.count(
      *lists_, db, " FROM so_listings l JOIN so_organisations o ON o.id = l.organisation_id");
  std::vector<std::int64_t> ids;
  json items = listingsWhere(db, query,
                             " AND " + page.keysetCondition("l.id") +
                                 page.orderAndLimit({{"id", "l.id"}, {"listed_on", "l.listed_on"}}),
                             &ids);
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response SocialOrgsPlugin::removeListing(sdk::Request& request) {
  auto& db = request.db();
  const json before = listingAt(request);
  if (!before["removed_on"].is_null())
    throw sdk::ValidationError("id", "on-the-list",
                               "the organisation was removed from this list on " +
                                   before["removed_on"].get<std::string>());
  const json& body = request.body();
  const auto removed = *sdk::Date::parse(body["removed_on"].get<std::string>());
  if (removed < *sdk::Date::parse(before["listed_on"].get<std::string>()) ||
      removed > request.today())
    throw sdk::ValidationError("removed_on", "date-range", "removed between the entry and today");
  const std::string removed_text = removed.toString(), reason = body["reason"];
  const long long id = before["id"];
  db << "UPDATE so_listings SET removed_on = :r, removal_reason = :why WHERE id = :id",
      soci::use(removed_text), soci::use(reason), soci::use(id);
  const json after = listingById(request, id);
  request.audit({sizeof(sdk::AuditRecord), "listing.remove", "listing", std::to_string(id),
                 sdk::changedFields(before, after)});
  return sdk::Response::ok(after);
}

sdk::Response SocialOrgsPlugin::correctListing(sdk::Request& request) {
  auto& db = request.db();
  const json& patch = request.body();
  sdk::requireSomeField(patch, "cause, cause_on");
  const json before = listingAt(request);
  json merged = before;
  for (const auto& item : patch.items()) merged[item.key()] = item.value();
  const std::string list = merged["list"], cause = merged["cause"];
  const bool abnormal_cause = cause == "no_annual_report" || cause == "unreachable";
  if ((list == "abnormal") != abnormal_cause)
    throw sdk::ValidationError("cause", list == "abnormal" ? "abnormal-cause" : "serious-cause",
                               "the cause does not belong to the " + list + " list");
  const auto cause_on = *sdk::Date::parse(merged["cause_on"].get<std::string>());
  const auto organisation = organisationJson(request, before["organisation_id"]);
  if (cause_on > *sdk::Date::parse(before["listed_on"].get<std::string>()) ||
      (!organisation["registered_on"].is_null() &&
       cause_on < *sdk::Date::parse(organisation["registered_on"].get<std::string>())))
    throw sdk::ValidationError("cause_on", "date-range",
                               "the cause arose between the registration and the entry");
  const std::string due = abnormalListingDue(context_->calendar(), cause_on).date.toString(),
                    cause_text = cause_on.toString();
  merged["entry_due"] = due;
  merged["late"] = before["listed_on"].get<std::string>() > due;
  if (sdk::changedFields(before, merged).empty()) sdk::refuseUnchanged(patch);
  const long long id = before["id"];
  db << "UPDATE so_listings SET cause = :c, cause_on = :o, entry_due = :d WHERE id = :id",
      soci::use(cause), soci::use(cause_text), soci::use(due), soci::use(id);
  const json after = listingById(request, id);
  request.audit({sizeof(sdk::AuditRecord), "listing.correct", "listing", std::to_string(id),
                 sdk::changedFields(before, after)});
  return sdk::Response::ok(after);
}

}  // namespace civ::plugins::social_orgs
