// The marriage module: registration offices, marriage registration, divorce by agreement with
// the cooling-off period, certificates and replacements, court outcomes, indicators.
// Rules: ../shared/domain/rules.md §4 (婚姻登记条例 as revised with effect from 2025-05-10).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <civ/sdk/date.h>
#include <civ/sdk/kept_query.h>
#include <civ/sdk/list.h>
#include <civ/sdk/plugin.h>
#include <civ/sdk/request.h>
#include <civ/sdk/response.h>

namespace spdlog {
class logger;
}

namespace civ::plugins::marriage {

inline constexpr const char* kMarriageRegistered = "marriage.registered";
inline constexpr const char* kMarriageDivorced = "marriage.divorced";

// How each list pages and sorts (list.h): declared with its route, read by its handler.
inline const sdk::ListSpec kOfficeList{{"code", "name"}, "code", 50, 200};
inline const sdk::ListSpec kAppointmentList{{"date"}, "date", 20, 200};
inline const sdk::ListSpec kMarriageList{{"registered_on"}, "-id", 20, 200};
inline const sdk::ListSpec kDivorceApplicationList{{"received_on"}, "-id", 20, 200};
inline const sdk::ListSpec kCertificateList{{"issued_on", "number"}, "-id", 20, 200};

/// A registration office of the county (婚姻登记处).
struct Office {
  std::int64_t id = 0;
  std::string code;
  std::string name;
};

class MarriagePlugin : public sdk::Plugin {
 public:
  // sdk::Plugin
  void declare(sdk::Declarations& declarations) const override;
  void start(sdk::Context& context) override;
  void stop() noexcept override;

 private:
  // What declare() hands the host (marriage_plugin.cpp).
  std::vector<sdk::Migration> migrations() const;
  std::vector<sdk::IndicatorDeclaration> indicators() const;
  std::vector<sdk::EventDeclaration> events() const;

  // marriage_routes.cpp
  sdk::Response createOffice(sdk::Request& request);
  sdk::Response bookAppointment(sdk::Request& request);
  sdk::Response registerMarriage(sdk::Request& request);
  sdk::Response getMarriage(sdk::Request& request);
  sdk::Response maritalStatus(sdk::Request& request);
  sdk::Response replaceCertificate(sdk::Request& request);
  sdk::Response recordCourtOutcome(sdk::Request& request);
  sdk::Response correctMarriage(sdk::Request& request);
  // list_routes.cpp: search in the county's records (list.h)
  sdk::Response listOffices(sdk::Request& request);
  sdk::Response listAppointments(sdk::Request& request);
  sdk::Response listMarriages(sdk::Request& request);
  sdk::Response listCertificates(sdk::Request& request);
  // divorce_routes.cpp
  sdk::Response listDivorceApplications(sdk::Request& request);
  sdk::Response applyForDivorce(sdk::Request& request);
  sdk::Response getDivorceApplication(sdk::Request& request);
  sdk::Response withdrawDivorce(sdk::Request& request);
  sdk::Response registerDivorce(sdk::Request& request);

  Office office(soci::session& db, const std::string& county, const std::string& code) const;
  /// The marriage.divorced payload, with both parties so subscribers need not read our tables.
  static nlohmann::json divorcedPayload(soci::session& db, std::int64_t marriage_id,
                                        const std::string& divorced_on, const char* by);
  /// A marriage record with its certificates, corrections and divorce applications (their
  /// status on `today`).
  nlohmann::json marriageJson(soci::session& db, std::int64_t id, sdk::Date today) const;
  nlohmann::json applicationJson(soci::session& db, std::int64_t id, sdk::Date today) const;

  sdk::Context* context_ = nullptr;
  std::shared_ptr<spdlog::logger> log_;
  // The lists' statements, one per combination of filters (sdk::ListQuery): made in start(),
  // dropped in stop() before the host closes the database sessions.
  std::unique_ptr<sdk::KeptQueryCache> lists_;
};

}  // namespace civ::plugins::marriage
