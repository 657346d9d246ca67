#include "funeral_plugin.h"

#include <tuple>

#include <soci/soci.h>

#include <civ/sdk/context.h>
#include <civ/sdk/error.h>
#include <civ/sdk/indicator.h>
#include <civ/sdk/platform_events.h>
#include <civ/sdk/policy.h>
#include <civ/sdk/sql.h>

#include "parameters.h"

namespace civ::plugins::funeral {

namespace {

using nlohmann::json;

/// part / whole × 1000, half up; 0 when there is nothing to share.
std::int64_t permille(const Share& share) {
  if (share.whole == 0) return 0;
  return sdk::divideRounded(share.part * 1000, share.whole, sdk::Rounding::HalfUp);
}

/// The county's share: of the sums of its townships' counts.
std::int64_t countyPermille(const SharesByTownship& shares) {
  Share county;
  for (const auto& [township, share] : shares) {
    county.part += share.part;
    county.whole += share.whole;
  }
  return permille(county);
}

/// Each township's own share (townships with nothing to share are left out).
std::vector<sdk::TownshipValue> townshipPermille(const SharesByTownship& shares) {
  std::vector<sdk::TownshipValue> values;
  for (const auto& [township, share] : shares)
    if (share.whole > 0) values.push_back({township, permille(share)});
  return values;
}

/// Green burials of all burials (plot, green, body) in the period, by the death's township.
SharesByTownship greenBurials(soci::session& db, const sdk::IndicatorQuery& query) {
  const std::string from = query.from.toString(), to = query.to.toString();
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT d.township, COUNT(CASE WHEN x.kind = 'green_burial' THEN 1 END),"
                     " COUNT(*) FROM fu_dispositions x JOIN fu_deaths d ON d.id = x.death_id"
                     " WHERE d.county_code = :c AND x.kind IN ('cemetery_plot', 'green_burial',"
                     " 'body_burial') AND x.on_date >= :f AND x.on_date <= :t GROUP BY d.township",
       soci::use(query.county), soci::use(from), soci::use(to));
  SharesByTownship shares;
  for (const auto& row : rows)
    shares[sdk::sql::textAt(row, 0)] = {sdk::sql::int64At(row, 1), sdk::sql::int64At(row, 2)};
  return shares;
}

}  // namespace

namespace {

/// The legal or statistical source of each indicator (SDK 1.4), for the statistician who checks it.
sdk::LocalizedText indicatorSource(const std::string& id) {
  if (id.starts_with("exemptions"))
    return {"《关于全面推行惠民殡葬政策的指导意见》（民发〔2012〕211号）",
            "Guiding Opinions on basic funeral services free of charge (Min Fa [2012] No. 211)"};
  if (id.starts_with("green_burial") || id.starts_with("plots"))
    return {"《殡葬管理条例》第十至十二条；民政统计 公墓与节地生态安葬",
            "Funeral Administration Regulations arts. 10-12; civil-affairs statistics, cemeteries "
            "and land-saving burial"};
  return {"《殡葬管理条例》（1997年，2012年修订）；民政事业发展统计公报 火化率口径",
          "Funeral Administration Regulations (1997, revised 2012); the civil-affairs statistical "
          "bulletin's cremation-rate definition"};
}

}  // namespace

void FuneralPlugin::declare(sdk::Declarations& declarations) const {
  for (const auto& step : migrations()) declarations.migration(step);
  declarations.parameter(kCremationZone);
  declarations.parameter(kPlotMaxAreaAshes);
  declarations.parameter(kPlotMaxAreaBodySingle);
  declarations.parameter(kPlotMaxAreaBodyDouble);
  declarations.parameter(kPlotUseYears);
  declarations.parameter(kExemptionTekun);
  declarations.parameter(kExemptionDibao);
  declarations.parameter(kExemptionVeteran);
  declarations.parameter(kExemptionUnidentified);
  declarations.parameter(kExemptionAllResidents);
  declarations.parameter(kExemptionCapCollection);
  declarations.parameter(kExemptionCapStorage);
  declarations.parameter(kExemptionCapCremation);
  declarations.parameter(kExemptionCapAshStorage);
  declarations.parameter(kExemptionCapUrn);
  for (auto declaration : indicators()) {
    declaration.source = indicatorSource(declaration.id);
    declarations.indicator(declaration);
  }
  for (const auto& event : events()) declarations.event(event);
}

std::vector<sdk::Migration> FuneralPlugin::migrations() const {
  return {{1,
           "facilities and approvals, zones, deaths and corrections, services, dispositions, "
           "plots, exemptions, violations",
           {"CREATE TABLE fu_facilities ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, code TEXT NOT NULL UNIQUE,"
            " kind TEXT NOT NULL CHECK (kind IN ('funeral_home', 'crematorium', 'ash_hall',"
            " 'service_station', 'cemetery')),"
            " name TEXT NOT NULL, township TEXT NOT NULL, furnaces INTEGER NOT NULL,"
            " cemetery_type TEXT, area_hundredths BIGINT, plots_planned INTEGER)",
            "CREATE TABLE fu_approvals ("
            " id {{ID_PRIMARY_KEY}}, facility_id BIGINT NOT NULL REFERENCES fu_facilities(id),"
            " authority TEXT NOT NULL, document_number TEXT NOT NULL, approved_on TEXT NOT NULL,"
            " valid_until TEXT)",
            "CREATE TABLE fu_zones ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, township TEXT NOT NULL,"
            " zone TEXT NOT NULL CHECK (zone IN ('cremation', 'burial_reform')),"
            " effective_from TEXT NOT NULL, document TEXT NOT NULL,"
            " UNIQUE (county_code, township, effective_from))",
            "CREATE TABLE fu_deaths ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, number TEXT NOT NULL UNIQUE,"
            " person_id BIGINT REFERENCES civ_persons(id), unidentified_case TEXT,"
            " death_date TEXT NOT NULL, place TEXT NOT NULL, township TEXT NOT NULL,"
            " manner TEXT NOT NULL CHECK (manner IN ('normal', 'abnormal')),"
            " certificate_number TEXT NOT NULL, certificate_issuer TEXT NOT NULL,"
            " registered_on TEXT NOT NULL, registered_by TEXT NOT NULL)",
            "CREATE INDEX fu_deaths_county ON fu_deaths (county_code, death_date)",
            "CREATE TABLE fu_death_corrections ("
            " id {{ID_PRIMARY_KEY}}, death_id BIGINT NOT NULL REFERENCES fu_deaths(id),"
            " kind TEXT NOT NULL CHECK (kind IN ('wrong_date', 'wrong_person')),"
            " old_person_id BIGINT, new_person_id BIGINT, old_date TEXT NOT NULL, new_date TEXT"
            " NOT NULL, reason TEXT NOT NULL, corrected_on TEXT NOT NULL, corrected_by TEXT NOT "
            "NULL)",
            "CREATE TABLE fu_services ("
            " id {{ID_PRIMARY_KEY}}, death_id BIGINT NOT NULL REFERENCES fu_deaths(id),"
            " kind TEXT NOT NULL CHECK (kind IN ('collection', 'storage', 'cremation')),"
            " facility_id BIGINT NOT NULL REFERENCES fu_facilities(id), on_date TEXT NOT NULL,"
            " vehicle TEXT, distance_km INTEGER, storage_days INTEGER, certificate_number TEXT,"
            " recorded_by TEXT NOT NULL)",
            "CREATE UNIQUE INDEX fu_services_one_cremation ON fu_services (death_id) WHERE kind "
            "= 'cremation'",
            "CREATE TABLE fu_plots ("
            " id {{ID_PRIMARY_KEY}}, cemetery_id BIGINT NOT NULL REFERENCES fu_facilities(id),"
            " number TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('ashes', 'body_single',"
            " 'body_double')), area_hundredths INTEGER NOT NULL, sold_on TEXT, use_until TEXT,"
            " holder TEXT, death_id BIGINT REFERENCES fu_deaths(id), price_fen BIGINT,"
            " UNIQUE (cemetery_id, number))",
            "CREATE TABLE fu_dispositions ("
            " id {{ID_PRIMARY_KEY}}, death_id BIGINT NOT NULL UNIQUE REFERENCES fu_deaths(id),"
            " kind TEXT NOT NULL CHECK (kind IN ('stored', 'cemetery_plot', 'green_burial',"
            " 'taken_home', 'body_burial')),"
            " green_type TEXT, facility_id BIGINT REFERENCES fu_facilities(id),"
            " plot_id BIGINT REFERENCES fu_plots(id), on_date TEXT NOT NULL)",
            "CREATE TABLE fu_exemptions ("
            " id {{ID_PRIMARY_KEY}}, death_id BIGINT NOT NULL UNIQUE REFERENCES fu_deaths(id),"
            " facility_id BIGINT NOT NULL REFERENCES fu_facilities(id), category TEXT NOT NULL,"
            " basis TEXT NOT NULL, evidence TEXT NOT NULL, note TEXT NOT NULL,"
            " items TEXT NOT NULL, charged_fen BIGINT NOT NULL, exempt_fen BIGINT NOT NULL,"
            " granted_on TEXT NOT NULL, granted_by TEXT NOT NULL)",
            "CREATE TABLE fu_violations ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL,"
            " kind TEXT NOT NULL CHECK (kind IN ('illegal_burial', 'unapproved_facility',"
            " 'oversized_plot')),"
            " location TEXT NOT NULL, township TEXT NOT NULL, found_on TEXT NOT NULL,"
            " description TEXT NOT NULL, status TEXT NOT NULL, closed_on TEXT)",
            "CREATE TABLE fu_violation_steps ("
            " id {{ID_PRIMARY_KEY}}, violation_id BIGINT NOT NULL REFERENCES fu_violations(id),"
            " status TEXT NOT NULL, on_date TEXT NOT NULL, note TEXT NOT NULL, by_user TEXT NOT "
            "NULL)",
            "CREATE TABLE fu_counters ("
            " county_code TEXT NOT NULL, year INTEGER NOT NULL, last_value BIGINT NOT NULL,"
            " PRIMARY KEY (county_code, year))"},
           {}},
          {2,
           "an index on every column that points at another row: lookups by it, and changes to the "
           "row it points at, never scan the table",
           {"CREATE INDEX fu_approvals_facility ON fu_approvals (facility_id)",
            "CREATE INDEX fu_deaths_person ON fu_deaths (person_id)",
            "CREATE INDEX fu_death_corrections_death ON fu_death_corrections (death_id)",
            "CREATE INDEX fu_services_facility ON fu_services (facility_id)",
            "CREATE INDEX fu_plots_death ON fu_plots (death_id)",
            "CREATE INDEX fu_dispositions_plot ON fu_dispositions (plot_id)",
            "CREATE INDEX fu_dispositions_facility ON fu_dispositions (facility_id)",
            "CREATE INDEX fu_exemptions_facility ON fu_exemptions (facility_id)",
            "CREATE INDEX fu_violation_steps_violation ON fu_violation_steps (violation_id)"},
           {}},
          {3,
           "lists: facilities and violations by county, deaths by township",
           {"CREATE INDEX fu_facilities_county ON fu_facilities (county_code, township)",
            "CREATE INDEX fu_violations_county ON fu_violations (county_code, found_on)",
            "CREATE INDEX fu_deaths_township ON fu_deaths (county_code, township)"},
           {}}};
}

std::vector<sdk::EventDeclaration> FuneralPlugin::events() const {
  // The platform's death events, with the payloads the SDK fixes for every publisher.
  return {sdk::platform::personDeceased(), sdk::platform::personDeathCorrected()};
}

std::vector<sdk::IndicatorDeclaration> FuneralPlugin::indicators() const {
  // Counts and amounts are SQL, in total and by the township of the death (a plot: of its
  // cemetery); the two shares count per township in C++ (the zone of a township is policy).
  const std::string deaths =
      " FROM fu_deaths WHERE county_code = :county AND death_date >= :from AND death_date <= :to";
  const std::string cremations =
      " FROM fu_services s JOIN fu_deaths d ON d.id = s.death_id WHERE d.county_code = :county"
      " AND s.kind = 'cremation' AND s.on_date >= :from AND s.on_date <= :to";
  const std::string exemptions =
      " FROM fu_exemptions e JOIN fu_deaths d ON d.id = e.death_id WHERE d.county_code = :county"
      " AND e.granted_on >= :from AND e.granted_on <= :to";
  const std::string plots =
      " FROM fu_plots p JOIN fu_facilities f ON f.id = p.cemetery_id WHERE f.county_code ="
      " :county AND p.sold_on >= :from AND p.sold_on <= :to";
  return {
      sdk::sqlIndicator("deaths", {"死亡人数", "Deaths"}, sdk::Measure::Count, "persons",
                        {"死亡日期在期间内的登记", "Registered deaths dated in the period"},
                        "SELECT COUNT(*)" + deaths,
                        "SELECT township, COUNT(*)" + deaths + " GROUP BY township"),
      sdk::sqlIndicator("cremations", {"火化遗体数", "Cremations"}, sdk::Measure::Count, "bodies",
                        {"火化日期在期间内", "Cremations dated in the period"},
                        "SELECT COUNT(*)" + cremations,
                        "SELECT d.township, COUNT(*)" + cremations + " GROUP BY d.township"),
      sdk::IndicatorDeclaration{
          .id = "cremation_rate_permille",
          .name = {"火化率（‰）", "Cremation rate (per mille)"},
          .unit = "permille",
          .description = {"火葬区内：期间内死亡且已火化 / 期间内死亡 × 1000，四舍五入",
                          "In cremation zones: deaths in the period that were cremated / deaths "
                          "in the period, × 1000, half up"},
          .compute =
              [this](soci::session& db, const sdk::IndicatorQuery& query) {
                return countyPermille(cremationsInZones(db, query));
              },
          .measure = sdk::Measure::Ratio,
          .by_township =
              [this](soci::session& db, const sdk::IndicatorQuery& query) {
                return townshipPermille(cremationsInZones(db, query));
              }},
      sdk::IndicatorDeclaration{
          .id = "green_burial_permille",
          .name = {"节地生态安葬率（‰）", "Green burial share (per mille)"},
          .unit = "permille",
          .description = {"生态安葬 / 年安葬数（公墓、生态、遗体安葬）× 1000",
                          "Green burials / all burials (plot, green, body) in the period, × 1000"},
          .compute =
              [](soci::session& db, const sdk::IndicatorQuery& query) {
                return countyPermille(greenBurials(db, query));
              },
          .measure = sdk::Measure::Ratio,
          .by_township =
              [](soci::session& db, const sdk::IndicatorQuery& query) {
                return townshipPermille(greenBurials(db, query));
              }},
      sdk::sqlIndicator("exemptions", {"惠民殡葬减免（例）", "Fee exemptions granted"},
                        sdk::Measure::Count, "cases",
                        {"减免日期在期间内", "Exemptions granted in the period"},
                        "SELECT COUNT(*)" + exemptions,
                        "SELECT d.township, COUNT(*)" + exemptions + " GROUP BY d.township"),
      sdk::sqlIndicator(
          "exemptions_amount", {"惠民殡葬减免金额（分）", "Fee exemptions (fen)"},
          sdk::Measure::Money, "fen", {"期间内减免金额合计", "Total exempted in the period"},
          "SELECT SUM(e.exempt_fen)" + exemptions,
          "SELECT d.township, SUM(e.exempt_fen)" + exemptions + " GROUP BY d.township"),
      sdk::sqlIndicator("plots_sold", {"售出（安葬）墓穴", "Plots sold or allocated"},
                        sdk::Measure::Count, "plots",
                        {"出售日期在期间内", "Plots sold or allocated in the period"},
                        "SELECT COUNT(*)" + plots,
                        "SELECT f.township, COUNT(*)" + plots + " GROUP BY f.township"),
  };
}

SharesByTownship FuneralPlugin::cremationsInZones(soci::session& db,
                                                  const sdk::IndicatorQuery& query) const {
  const std::string from = query.from.toString(), to = query.to.toString();
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT d.township, d.death_date, (SELECT COUNT(*) FROM fu_services s"
                     " WHERE s.death_id = d.id AND s.kind = 'cremation') FROM fu_deaths d"
                     " WHERE d.county_code = :c AND d.death_date >= :f AND d.death_date <= :t",
       soci::use(query.county), soci::use(from), soci::use(to));
  std::vector<std::tuple<std::string, std::string, bool>> deaths;
  for (const auto& row : rows)
    deaths.emplace_back(sdk::sql::textAt(row, 0), sdk::sql::textAt(row, 1),
                        sdk::sql::int64At(row, 2) > 0);
  SharesByTownship shares;
  for (const auto& [township, date, was_cremated] : deaths) {
    if (!cremationZone(db, query.county, township, *sdk::Date::parse(date))) continue;
    auto& share = shares[township];
    ++share.whole;
    if (was_cremated) ++share.part;
  }
  return shares;
}

void FuneralPlugin::start(sdk::Context& context) {
  lists_ = std::make_unique<sdk::KeptQueryCache>(context.storage());
  context_ = &context;
  addRoutes();
}

void FuneralPlugin::stop() noexcept { lists_.reset(); }

std::optional<Facility> FuneralPlugin::findFacility(soci::session& db, const std::string& county,
                                                    const std::string& code) const {
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT id, code, kind, name, cemetery_type, furnaces, township FROM"
                     " fu_facilities WHERE county_code = :c AND code = :code",
       soci::use(county), soci::use(code));
  for (const auto& row : rows)
    return Facility{sdk::sql::int64At(row, 0),
                    sdk::sql::textAt(row, 1),
                    sdk::sql::textAt(row, 2),
                    sdk::sql::textAt(row, 3),
                    sdk::sql::optionalTextAt(row, 4).value_or(""),
                    static_cast<int>(sdk::sql::int64At(row, 5)),
                    sdk::sql::textAt(row, 6)};
  return std::nullopt;
}

Facility FuneralPlugin::facility(soci::session& db, const std::string& county,
                                 const std::string& code) const {
  if (auto found = findFacility(db, county, code)) return *found;
  throw sdk::ValidationError("facility_code", "known-facility",
                             "no facility '" + code + "' in county " + county);
}

Facility FuneralPlugin::facilityAt(soci::session& db, const std::string& county,
                                   const std::string& code) const {
  if (auto found = findFacility(db, county, code)) return *found;
  throw sdk::NotFound("no facility '" + code + "' in county " + county);
}

void FuneralPlugin::requireApproved(soci::session& db, const Facility& facility, sdk::Date on,
                                    const std::string& field) const {
  const long long key = facility.id;
  const std::string day = on.toString();
  long long approvals = 0;
  db << "SELECT COUNT(*) FROM fu_approvals WHERE facility_id = :f AND approved_on <= :d1 AND "
        "(valid_until IS NULL OR valid_until >= :d2)",
      soci::into(approvals), soci::use(key), soci::use(day), soci::use(day);
  if (approvals == 0)
    throw sdk::ValidationError(field, "approved-facility",
                               "facility " + facility.code + " (" + facility.name +
                                   ") holds no approval in force on " + day +
                                   " (殡葬管理条例 §8); it cannot be used");
}

bool FuneralPlugin::cremationZone(soci::session& db, const std::string& county,
                                  const std::string& township, sdk::Date on) const {
  const std::string day = on.toString();
  std::string zone;
  db << "SELECT zone FROM fu_zones WHERE county_code = :c AND township = :t AND effective_from "
        "<= :d ORDER BY effective_from DESC LIMIT 1",
      soci::into(zone), soci::use(county), soci::use(township), soci::use(day);
  if (db.got_data()) return zone == "cremation";
  return context_->policy().get(kCremationZone, county, on);
}

}  // namespace civ::plugins::funeral
