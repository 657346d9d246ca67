// This module's part of the SDK's monthly payment runs (payment_run.h): what a month owes —
// every periodic entitlement in force and not suspended, and the lines owed once (adjustments,
// funeral aid, one-time payments, visits) — and the bank roll with each payee's account.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <civ/sdk/payment_run.h>

namespace civ::sdk {
class Context;
}

namespace civ::plugins::veterans {

/// The runs' names and tables: prefix vt, lines pay an entitlement (待遇编号).
sdk::PaymentRunSpec paymentRunSpec();

class VeteransPayments : public sdk::PaymentRunSource {
 public:
  explicit VeteransPayments(sdk::Context& context) : context_(context) {}

  std::optional<sdk::Month> firstPayableMonth(sdk::Request& request) override;
  std::vector<sdk::PaymentLine> linesOf(sdk::Request& request, sdk::Month month) override;
  void prepared(sdk::Request& request, std::int64_t run_id,
                const std::vector<sdk::PaymentLine>& lines) override;
  void cancelled(sdk::Request& request, std::int64_t run_id, const std::string& month) override;
  std::vector<sdk::PaymentRunWarning> warnings(soci::session& db, std::int64_t run_id) override;
  std::vector<sdk::BankRollLine> bankRoll(soci::session& db, std::int64_t run_id) override;

 private:
  sdk::Context& context_;
};

}  // namespace civ::plugins::veterans
