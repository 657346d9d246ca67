#include "veterans_plugin.h"

#include <cstdio>

#include <soci/soci.h>

#include <civ/sdk/context.h>
#include <civ/sdk/declarations.h>
#include <civ/sdk/error.h>
#include <civ/sdk/indicator.h>
#include <civ/sdk/payment_run.h>

#include "national_table.h"
#include "parameters.h"
#include "payment_source.h"
#include "resettlement.h"

namespace civ::plugins::veterans {

VeteransPlugin::VeteransPlugin() = default;
VeteransPlugin::~VeteransPlugin() = default;

void VeteransPlugin::declare(sdk::Declarations& declarations) const {
  for (const auto& step : migrations()) declarations.migration(step);
  declarations.parameter(kAverageMonthlyWage);
  declarations.parameter(kHardshipMonthly);
  declarations.parameter(kTransferDays);
  for (const auto& parameter : resettlementParameters()) declarations.parameter(parameter);
  for (const auto& declaration : indicators()) declarations.indicator(declaration);
}

std::vector<sdk::Migration> VeteransPlugin::migrations() const {
  std::vector<std::string> statements = {
      // 牺牲、病故军人: the record a survivor's file and the one-time payments point at.
      "CREATE TABLE vt_fallen ("
      " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, number TEXT NOT NULL,"
      " person_id BIGINT NOT NULL REFERENCES civ_persons(id), death_kind TEXT NOT NULL CHECK"
      " (death_kind IN ('martyr', 'duty', 'illness')), died_on TEXT NOT NULL, rank_type TEXT"
      " CHECK (rank_type IN ('officer', 'nco', 'conscript')), monthly_pay_fen BIGINT,"
      " unit_name TEXT NOT NULL, certificate_number TEXT NOT NULL, township TEXT NOT NULL,"
      " awards TEXT NOT NULL, recorded_by TEXT NOT NULL, recorded_on TEXT NOT NULL,"
      " UNIQUE (county_code, number), UNIQUE (county_code, person_id))",
      "CREATE INDEX vt_fallen_person ON vt_fallen (person_id)",
      "CREATE INDEX vt_fallen_county ON vt_fallen (county_code, township)",
      // 一人一档: one file per person and county.
      "CREATE TABLE vt_beneficiaries ("
      " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, number TEXT NOT NULL,"
      " person_id BIGINT NOT NULL REFERENCES civ_persons(id), category TEXT NOT NULL CHECK"
      " (category IN ('serviceman', 'disabled_serviceman', 'martyr_survivor',"
      " 'duty_death_survivor', 'illness_death_survivor', 'family', 'veteran')),"
      " subsidy_group TEXT, hukou TEXT NOT NULL CHECK (hukou IN ('rural', 'urban')),"
      " township TEXT NOT NULL, village TEXT NOT NULL, address TEXT NOT NULL, phone TEXT,"
      " enlisted_on TEXT, discharged_on TEXT, rank_type TEXT CHECK (rank_type IN ('officer',"
      " 'nco', 'conscript')), awards TEXT NOT NULL, fallen_id BIGINT REFERENCES vt_fallen(id),"
      " relationship TEXT, documents TEXT NOT NULL, missing_documents TEXT NOT NULL, bank_name"
      " TEXT, bank_account TEXT,"
      " agent_person_id BIGINT REFERENCES civ_persons(id), agent_relationship TEXT,"
      " transfer_received_on TEXT, status TEXT NOT NULL CHECK (status IN ('active',"
      " 'deceased')), death_date TEXT, registered_on TEXT NOT NULL, registered_by TEXT NOT NULL,"
      " UNIQUE (county_code, number), UNIQUE (county_code, person_id))",
      "CREATE INDEX vt_beneficiaries_county ON vt_beneficiaries (county_code, township)",
      "CREATE INDEX vt_beneficiaries_person ON vt_beneficiaries (person_id)",
      "CREATE INDEX vt_beneficiaries_fallen ON vt_beneficiaries (fallen_id)",
      "CREATE INDEX vt_beneficiaries_agent ON vt_beneficiaries (agent_person_id)",
      "CREATE INDEX vt_beneficiaries_category ON vt_beneficiaries (county_code, category)",
      // Disability assessments over time (§27, §29): the one in force in a month is the latest
      // whose effective month is not after it.
      "CREATE TABLE vt_disability_assessments ("
      " id {{ID_PRIMARY_KEY}}, beneficiary_id BIGINT NOT NULL REFERENCES vt_beneficiaries(id),"
      " nature TEXT NOT NULL CHECK (nature IN ('war', 'duty', 'illness')), grade INTEGER NOT"
      " NULL CHECK (grade BETWEEN 1 AND 10), mental_illness INTEGER NOT NULL, certificate_number"
      " TEXT NOT NULL, assessed_on TEXT NOT NULL, effective_month TEXT NOT NULL, reason TEXT NOT"
      " NULL, recorded_by TEXT NOT NULL, recorded_on TEXT NOT NULL)",
      "CREATE INDEX vt_disability_assessments_beneficiary ON vt_disability_assessments"
      " (beneficiary_id, effective_month)",
      // The dated national table: imports (county_code NULL: the bundled table) and their rows.
      "CREATE TABLE vt_standard_imports ("
      " id {{ID_PRIMARY_KEY}}, county_code TEXT, source TEXT NOT NULL, format TEXT NOT NULL,"
      " row_count INTEGER NOT NULL, imported_by TEXT NOT NULL, imported_on TEXT NOT NULL,"
      " note TEXT NOT NULL)",
      "CREATE INDEX vt_standard_imports_county ON vt_standard_imports (county_code)",
      "CREATE TABLE vt_national_standards ("
      " id {{ID_PRIMARY_KEY}}, import_id BIGINT NOT NULL REFERENCES vt_standard_imports(id),"
      " county_code TEXT, item TEXT NOT NULL, item_key TEXT NOT NULL, amount_fen BIGINT NOT"
      " NULL, effective_from TEXT NOT NULL)",
      "CREATE INDEX vt_national_standards_import ON vt_national_standards (import_id)",
      "CREATE INDEX vt_national_standards_item ON vt_national_standards (item, item_key,"
      " effective_from)",
      // 待遇: periodic (paid monthly from start_month) and one-time ones (paid once).
      "CREATE TABLE vt_entitlements ("
      " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, number TEXT NOT NULL,"
      " beneficiary_id BIGINT NOT NULL REFERENCES vt_beneficiaries(id), type TEXT NOT NULL CHECK"
      " (type IN ('disability_pension', 'survivor_pension', 'living_subsidy', 'care_allowance',"
      " 'hardship', 'martyr_honour', 'death_lump_sum', 'visit')), status TEXT NOT NULL CHECK"
      " (status IN ('proposed', 'active', 'ended', 'cancelled')), start_month TEXT, end_month"
      " TEXT, end_reason TEXT, approved_on TEXT, fallen_id BIGINT REFERENCES vt_fallen(id),"
      " amount_fen BIGINT, computation TEXT, note TEXT NOT NULL, proposed_by TEXT NOT NULL,"
      " proposed_on TEXT NOT NULL, confirmed_by TEXT, confirmed_on TEXT, ended_by TEXT, ended_on"
      " TEXT, UNIQUE (county_code, number))",
      "CREATE INDEX vt_entitlements_county ON vt_entitlements (county_code, status, type)",
      "CREATE INDEX vt_entitlements_beneficiary ON vt_entitlements (beneficiary_id)",
      "CREATE INDEX vt_entitlements_fallen ON vt_entitlements (fallen_id)",
      // One open periodic entitlement of a type per file, one open one-time payment of a type
      // per fallen serviceman.
      "CREATE UNIQUE INDEX vt_entitlements_open ON vt_entitlements (beneficiary_id, type) WHERE"
      " status IN ('proposed', 'active') AND fallen_id IS NULL",
      "CREATE UNIQUE INDEX vt_entitlements_open_one_time ON vt_entitlements (fallen_id, type)"
      " WHERE status IN ('proposed', 'active') AND fallen_id IS NOT NULL",
      "CREATE TABLE vt_suspensions ("
      " id {{ID_PRIMARY_KEY}}, entitlement_id BIGINT NOT NULL REFERENCES vt_entitlements(id),"
      " from_month TEXT NOT NULL, to_month TEXT, reason TEXT NOT NULL, note TEXT NOT NULL,"
      " recorded_by TEXT NOT NULL, recorded_on TEXT NOT NULL, resumed_by TEXT, resumed_on TEXT)",
      "CREATE INDEX vt_suspensions_entitlement ON vt_suspensions (entitlement_id)",
      // Holiday visits (慰问金): campaigns and their recipients.
      "CREATE TABLE vt_visit_campaigns ("
      " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, number TEXT NOT NULL, name TEXT NOT"
      " NULL, season TEXT NOT NULL, visit_date TEXT NOT NULL, month TEXT NOT NULL, groups TEXT"
      " NOT NULL, status TEXT NOT NULL CHECK (status IN ('draft', 'confirmed')), prepared_by"
      " TEXT NOT NULL, prepared_on TEXT NOT NULL, confirmed_by TEXT, confirmed_on TEXT,"
      " UNIQUE (county_code, number))",
      "CREATE INDEX vt_visit_campaigns_county ON vt_visit_campaigns (county_code, visit_date)",
      // Lines owed once: adjustments of months already run, funeral aid, one-time payments and
      // visits; each is paid by the next run (from payable_from) and marked with it.
      "CREATE TABLE vt_adjustments ("
      " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, entitlement_id BIGINT NOT NULL"
      " REFERENCES vt_entitlements(id), kind TEXT NOT NULL CHECK (kind IN ('adjustment',"
      " 'funeral_aid', 'one_time', 'visit')), source TEXT NOT NULL, month TEXT NOT NULL,"
      " payable_from TEXT, amount_fen BIGINT NOT NULL, reason TEXT NOT NULL, recorded_on TEXT"
      " NOT NULL, recorded_by TEXT NOT NULL, paid_in_run BIGINT, withdrawn_on TEXT, withdrawn_by"
      " TEXT, withdrawal_reason TEXT, campaign_id BIGINT REFERENCES vt_visit_campaigns(id))",
      "CREATE INDEX vt_adjustments_entitlement ON vt_adjustments (entitlement_id, month)",
      "CREATE INDEX vt_adjustments_county ON vt_adjustments (county_code, paid_in_run)",
      "CREATE INDEX vt_adjustments_run ON vt_adjustments (paid_in_run)",
      "CREATE INDEX vt_adjustments_campaign ON vt_adjustments (campaign_id)",
      "CREATE TABLE vt_visit_recipients ("
      " id {{ID_PRIMARY_KEY}}, campaign_id BIGINT NOT NULL REFERENCES vt_visit_campaigns(id),"
      " beneficiary_id BIGINT NOT NULL REFERENCES vt_beneficiaries(id), group_code TEXT NOT NULL,"
      " amount_fen BIGINT NOT NULL, included INTEGER NOT NULL, note TEXT NOT NULL, added_by TEXT"
      " NOT NULL, edited_by TEXT, adjustment_id BIGINT REFERENCES vt_adjustments(id),"
      " UNIQUE (campaign_id, beneficiary_id))",
      "CREATE INDEX vt_visit_recipients_beneficiary ON vt_visit_recipients (beneficiary_id)",
      "CREATE INDEX vt_visit_recipients_adjustment ON vt_visit_recipients (adjustment_id)",
      "CREATE TABLE vt_counters ("
      " county_code TEXT NOT NULL, kind TEXT NOT NULL, year INTEGER NOT NULL, last_value"
      " BIGINT NOT NULL, PRIMARY KEY (county_code, kind, year))"};
  // The payment runs in the SDK's shape, paying entitlements.
  for (auto& statement : sdk::PaymentRuns::tableStatements(paymentRunSpec(), "vt_entitlements"))
    statements.push_back(std::move(statement));
  // The bundled national table.
  for (auto& statement : bundledTableStatements()) statements.push_back(std::move(statement));
  // Reception and resettlement (resettlement.h) share the first step.
  for (auto& statement : resettlementTableStatements()) statements.push_back(std::move(statement));
  return {{1,
           "veterans: beneficiaries, fallen servicemen, disability assessments, the national "
           "table, entitlements, suspensions, adjustments, visits, payment runs, resettlement",
           std::move(statements),
           {}}};
}

void VeteransPlugin::start(sdk::Context& context) {
  lists_ = std::make_unique<sdk::KeptQueryCache>(context.storage());
  context_ = &context;
  payments_ = std::make_unique<VeteransPayments>(context);
  payment_runs_ = std::make_unique<sdk::PaymentRuns>(context, paymentRunSpec(), *payments_);
  addRoutes();
  payment_runs_->addRoutes(context.router());
  addResettlementRoutes(context);
  subscribeToEvents();
}

void VeteransPlugin::stop() noexcept { lists_.reset(); }

// --- Shared helpers ---------------------------------------------------------------------------

sdk::Date dateOf(const nlohmann::json& value) {
  return *sdk::Date::parse(value.get<std::string>());
}

void notInFuture(sdk::Date date, sdk::Date today, const std::string& field) {
  if (date > today)
    throw sdk::ValidationError(
        field, "not-in-future",
        "the date " + date.toString() + " is after today " + today.toString());
}

std::string nextNumber(soci::session& db, const std::string& county, const std::string& kind,
                       int year) {
  long long sequence = 0;
  db << "INSERT INTO vt_counters (county_code, kind, year, last_value) VALUES (:c, :k, :y, 1)"
        " ON CONFLICT (county_code, kind, year) DO UPDATE SET last_value ="
        " vt_counters.last_value + 1 RETURNING last_value",
      soci::use(county), soci::use(kind), soci::use(year), soci::into(sequence);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s%s-%04d-%06lld", kind.c_str(), county.c_str(), year,
                sequence);
  return buffer;
}

}  // namespace civ::plugins::veterans
