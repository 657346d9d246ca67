// This module's part of the SDK's monthly payment runs (civ/sdk/payment_run.h): what a month
// owes (every case in force with that month's amount, plus confirmed adjustments of past
// months), how its lines read in the bank file, and what a run does to adjustments.
#pragma once

#include <civ/sdk/payment_run.h>

namespace civ::sdk {
class Context;
}

namespace civ::plugins::social_assistance {

/// The runs' names and tables: sa_payment_runs, sa_payment_lines (case_id), sa_cancelled_runs.
sdk::PaymentRunSpec paymentRunSpec();

class AssistancePayments : public sdk::PaymentRunSource {
 public:
  explicit AssistancePayments(sdk::Context& context) : context_(context) {}

  std::optional<sdk::Month> firstPayableMonth(sdk::Request& request) override;
  std::vector<sdk::PaymentLine> linesOf(sdk::Request& request, sdk::Month month) override;
  /// Marks the adjustments the run pays as paid by it.
  void prepared(sdk::Request& request, std::int64_t run_id,
                const std::vector<sdk::PaymentLine>& lines) override;
  /// Releases the run's adjustments for the next run; drops the recoveries a death recorded
  /// against the cancelled month's lines (those lines no longer exist).
  void cancelled(sdk::Request& request, std::int64_t run_id, const std::string& month) override;
  /// Cases whose household has no bank account.
  std::vector<sdk::PaymentRunWarning> warnings(soci::session& db, std::int64_t run_id) override;
  std::vector<sdk::BankRollLine> bankRoll(soci::session& db, std::int64_t run_id) override;

 private:
  sdk::Context& context_;
};

}  // namespace civ::plugins::social_assistance
