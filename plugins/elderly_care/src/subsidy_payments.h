// This module's part of the SDK's monthly payment runs (civ/sdk/payment_run.h): what a month
// owes the county's filed institutions (the operating subsidy per resident-month by care level,
// one line per institution, plus the construction subsidies confirmed since the last run), how
// the lines read in the bank file (the institution is the payee: its name, credit code and
// account), and what a run does to the construction subsidies it pays.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <civ/sdk/money.h>
#include <civ/sdk/month.h>
#include <civ/sdk/payment_run.h>

namespace soci {
class session;
}

namespace civ::sdk {
class Context;
class PolicyReader;
}  // namespace civ::sdk

namespace civ::plugins::elderly_care {

/// The runs' names and tables: ec_payment_runs, ec_payment_lines (institution_id),
/// ec_cancelled_runs; programmes "operating" and "construction".
sdk::PaymentRunSpec subsidyRunSpec();

/// Migration 2's statements: the SDK's tables, the care-level detail of each operating line
/// (ec_subsidy_line_levels), the institutions' bank account, the construction subsidies' run,
/// and the runs made before (ec_runs, ec_run_lines) carried over, then dropped.
std::vector<std::string> subsidyRunMigration();

/// One care level of an institution's operating subsidy for a month.
struct LevelMonths {
  std::string care_level;
  long long resident_months = 0;
  sdk::Money rate;
  sdk::Money amount;
};

/// Institution id → its care levels with resident-months, in care-level order.
using OperatingBreakdown = std::map<std::int64_t, std::vector<LevelMonths>>;

/// The operating subsidy of `month` for every institution of `county` filed by the month's
/// end, at the rates in force on the month's first day.
OperatingBreakdown operatingBreakdown(soci::session& db, const sdk::PolicyReader& policy,
                                      const std::string& county, sdk::Month month);

class SubsidyPayments : public sdk::PaymentRunSource {
 public:
  explicit SubsidyPayments(sdk::Context& context) : context_(context) {}

  /// The month of the county's first filing (subsidies go only to filed institutions).
  std::optional<sdk::Month> firstPayableMonth(sdk::Request& request) override;
  /// One operating line per filed institution with residents in the month, and one line per
  /// construction subsidy confirmed and not yet paid by a run.
  std::vector<sdk::PaymentLine> linesOf(sdk::Request& request, sdk::Month month) override;
  /// Writes each operating line's care levels; marks the construction subsidies as paid by
  /// the run.
  void prepared(sdk::Request& request, std::int64_t run_id,
                const std::vector<sdk::PaymentLine>& lines) override;
  /// Releases the run's construction subsidies for the next run (the care levels went with
  /// the lines).
  void cancelled(sdk::Request& request, std::int64_t run_id, const std::string& month) override;
  /// Institutions without a bank account (rule "bank-account").
  std::vector<sdk::PaymentRunWarning> warnings(soci::session& db, std::int64_t run_id) override;
  std::vector<sdk::BankRollLine> bankRoll(soci::session& db, std::int64_t run_id) override;

 private:
  sdk::Context& context_;
  /// The breakdown linesOf computed, taken by prepared() in the same transaction: computing it
  /// again was a second pass over every resident of the county. Kept by session: the two calls
  /// run on the request's session with nothing else on it between them; a run refused after
  /// linesOf leaves its entry until that session's next linesOf replaces it.
  struct Computed {
    std::string county;
    sdk::Month month;
    OperatingBreakdown breakdown;
  };
  std::mutex computed_mutex_;
  std::map<const soci::session*, Computed> computed_;
};

}  // namespace civ::plugins::elderly_care
