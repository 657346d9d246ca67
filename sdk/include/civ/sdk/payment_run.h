// Monthly payment runs for any benefit module: the month's roll of every line the module owes,
// prepared by one approver and confirmed by a second (四眼原则) before its bank file exists;
// idempotent per county and month; cancellable (with a reason, by a second approver) until
// confirmed; exported for the bank (一卡通) as CSV and XLSX.
//
// The module says what is owed (a PaymentRunSource); PaymentRuns does the rest: the routes,
// the bookkeeping in the module's own three tables, the audit rows, the bank files.
//
//   // in the plugin: a member, built in start() once the Context is known
//   payment_runs_ = std::make_unique<sdk::PaymentRuns>(*context_, spec, *this);
//   payment_runs_->addRoutes(context_->router());   // /payment-runs ...
//
//   // in the module's migration: its tables, in the SDK's shape
//   for (auto& statement : sdk::PaymentRuns::tableStatements(spec)) statements.push_back(...);
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <civ/sdk/abi.h>
#include <civ/sdk/localized_text.h>
#include <civ/sdk/month.h>

namespace soci {
class session;
}

namespace civ::sdk {

class Context;
class Request;
struct Response;
class Router;

/// One line of a run: money to one person for one month of one programme.
struct PaymentLine {
  std::int64_t subject_id = 0;  ///< the module's record the line pays (a case, a pension)
  /// The registry person who receives the money; none when the payee is an organisation (an
  /// institution's subsidy): the bank roll then names it (PaymentRunSource::bankRoll).
  std::optional<std::int64_t> payee_person_id;
  std::string program;                        ///< one of PaymentRunSpec::programs
  std::string month;                          ///< "YYYY-MM": the month the money is for
  std::string kind;                           ///< one of PaymentRunSpec::kinds
  std::int64_t amount_fen = 0;                ///< negative for a recovery
  std::optional<std::int64_t> adjustment_id;  ///< the module's adjustment this line pays, if any
};

/// A line as the bank file and the run's answer show it.
struct BankRollLine {
  std::int64_t line_id = 0;
  std::string payee;  ///< name
  std::string citizen_id;
  std::string bank_account;  ///< "" when none is on file
  std::string bank_name;
  std::string program;
  std::string month;
  std::string kind;
  std::int64_t amount_fen = 0;
  std::string reference;  ///< the module's record number (PaymentRunSpec::reference_field)
};

/// Something in a run the bank cannot pay as it stands (e.g. no account on file).
struct PaymentRunWarning {
  std::string reference;  ///< the module's record number
  std::string rule;       ///< e.g. "bank-account"
  std::string message;
};

/// How a module's runs are named and stored.
struct PaymentRunSpec {
  /// Table prefix: "<prefix>_payment_runs", "<prefix>_payment_lines", "<prefix>_cancelled_runs"
  /// (see tableStatements for their columns).
  std::string table_prefix;
  /// The lines' column naming the module's record (PaymentLine::subject_id).
  std::string subject_column = "case_id";
  /// The JSON name of the module's record number in warnings and roll lines, e.g. "case_number".
  std::string reference_field = "case_number";
  /// Column heading of the record number in the bank files, e.g. "案件编号".
  std::string reference_heading = "案件编号";
  /// Column heading of the payee's identifier in the bank files: "身份证号码" for persons,
  /// "统一社会信用代码" when the payees are organisations.
  std::string payee_id_heading = "身份证号码";
  /// Column heading of the programme in the bank files, e.g. "救助项目".
  std::string program_heading = "发放项目";
  /// The programmes (code → label); the Chinese label is what the bank file prints.
  std::vector<std::pair<std::string, LocalizedText>> programs;
  /// The kinds of line; the first is the month's regular payment.
  std::vector<std::pair<std::string, LocalizedText>> kinds = {
      {"regular", {"正常发放", "regular"}}, {"adjustment", {"补发/扣减", "adjustment"}}};
  /// Bank file names: "<file_prefix>-<county>-<month>.csv".
  std::string file_prefix = "payment-roll";
  /// The latest month a run may be prepared for, relative to today's month: 1 pays a month
  /// ahead (benefits paid at the start of their month; rule "not-beyond-next-month"), -1 only
  /// months that have ended (subsidies computed from the month's residents; rule "month-ended").
  int latest_month_offset = 1;
  /// What the module's records are called in messages ("case", "pension").
  std::string subject_noun = "case";
};

/// The module's part of a run. Called inside the request's transaction.
class CIV_SDK_API PaymentRunSource {
 public:
  virtual ~PaymentRunSource();
  /// The first month the county has anything to pay (nullopt: nothing yet); a run before it is
  /// refused, so a mistyped year does not lock a month as an empty roll.
  virtual std::optional<Month> firstPayableMonth(Request& request) = 0;
  /// Every line of `month` for the request's county, adjustments due included. Read only:
  /// the lines are written after this returns.
  virtual std::vector<PaymentLine> linesOf(Request& request, Month month) = 0;
  /// After the run's lines are written (e.g. mark the adjustments as paid by `run_id`).
  virtual void prepared(Request& request, std::int64_t run_id,
                        const std::vector<PaymentLine>& lines);
  /// After a prepared run was cancelled and its lines deleted (e.g. release its adjustments).
  virtual void cancelled(Request& request, std::int64_t run_id, const std::string& month);
  /// Lines of the run the bank cannot pay as they stand.
  virtual std::vector<PaymentRunWarning> warnings(soci::session& db, std::int64_t run_id);
  /// The run's lines with payee, account and record number, in line order.
  virtual std::vector<BankRollLine> bankRoll(soci::session& db, std::int64_t run_id) = 0;
};

/// The runs of one module. Routes (under `base`, default "/payment-runs"):
///   GET  base                        runs, newest month first (list conventions, ?status=)
///   POST base {month}                prepare the month (201; again: 200, nothing changes)
///   GET  base/{month}                the run with its roll
///   POST base/{month}/confirmation   a second approver confirms it for the bank
///   POST base/{month}/cancellation   {reason}: a second approver cancels a prepared run
///   GET  base/{month}/roll.csv|xlsx  the bank files, only of a confirmed run
/// All are county-wide work (403 for a caller confined to townships); writes need Approve.
class CIV_SDK_API PaymentRuns {
 public:
  /// `context` and `source` must outlive this object.
  PaymentRuns(Context& context, PaymentRunSpec spec, PaymentRunSource& source);
  ~PaymentRuns();
  PaymentRuns(const PaymentRuns&) = delete;
  PaymentRuns& operator=(const PaymentRuns&) = delete;

  /// Declares and binds the routes above.
  void addRoutes(Router& router, const std::string& base = "/payment-runs");

  /// The statements that create the three tables, for the module's migration (with the
  /// migration's {{ID_PRIMARY_KEY}} placeholder). `subject_table` is what subject_column
  /// references, e.g. "sa_cases".
  static std::vector<std::string> tableStatements(const PaymentRunSpec& spec,
                                                  const std::string& subject_table);

  /// The run's summary (status, lines, totals by programme and kind, warnings); null when the
  /// county has no run for the month. For modules that show it elsewhere.
  nlohmann::json summary(soci::session& db, const std::string& county, const std::string& month);

  /// The schema of one line of the run's roll (for modules that list lines themselves).
  nlohmann::json kindSchema() const;
  nlohmann::json programSchema() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace civ::sdk
