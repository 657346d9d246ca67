// The crash driver: one client sends a stream of acknowledged writes (households, applications
// through the whole 低保 workflow, decisions, payment runs, death registrations that end cases by
// event; an elderly care institution and a resident's admission, a veteran's file with an
// entitlement proposed and confirmed, a place name application, a foundation's registration
// application) while the test kill -9s civhost at a random moment, at least 30 times, restarting it
// each time. After every restart it checks what a county needs after a power cut: every
// acknowledged write is there, nothing is half-applied, a payment run is complete or absent and can
// be run again, the audit chain verifies. At the end every committed event has been delivered once.
//
// The write in flight at the kill may or may not have committed; both are allowed, a half of it
// is not. CIV_CRASH_SEED=<n> replays one sequence of kill moments.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <civ/sdk/citizen_id.h>
#include <civ/sdk/uscc.h>

#include "host/audit/audit_log.h"
#include "host/storage/database.h"
#include "tests/support/civhost_process.h"
#include "tests/support/http_client.h"
#include "tests/support/test_database.h"

namespace civ {
namespace {

using nlohmann::json;
using testing::CivhostProcess;
using testing::httpRequest;
using testing::HttpResult;

/// Kills per engine: 30, or CIV_CRASH_KILLS (the sanitizer pass runs fewer: the same code paths
/// at a tenth of the speed, already driven 30 times by the plain build).
int killCount() {
  const char* text = std::getenv("CIV_CRASH_KILLS");
  const int kills = text != nullptr ? std::atoi(text) : 0;
  return kills > 0 ? kills : 30;
}
const std::string kAssistance = "/api/v1/counties/610902/social_assistance";
const std::string kFuneral = "/api/v1/counties/610902/funeral";
const std::string kElderlyCare = "/api/v1/counties/610902/elderly_care";
const std::string kVeterans = "/api/v1/counties/610902/veterans";
const std::string kPlaceNames = "/api/v1/counties/610902/place_names";
const std::string kSocialOrgs = "/api/v1/counties/610902/social_orgs";

std::string citizenId(int birth_year, int sequence) {
  char text[40];
  std::snprintf(text, sizeof text, "610902%04d0101%03d", birth_year % 10000, sequence % 1000);
  const std::string first17(text);
  return first17 + sdk::CitizenId::checkCharacter(first17);
}

/// A valid unified social credit code (GB 32100) of a civil-affairs registered body, one per
/// round: 52 + the county + organisation code MJ<round> with its check character + check.
std::string usccOfRound(int round) {
  char body[16];
  std::snprintf(body, sizeof body, "MJ%06d", round % 1000000);
  const std::string body8(body);
  const std::string first17 =
      "52610902" + body8 + std::string(1, sdk::organisationCodeCheckCharacter(body8));
  return first17 + sdk::usccCheckCharacter(first17);
}

/// A street name's specific part, one per round below 900: two characters out of thirty whose
/// toneless readings all differ, so that no two rounds' names are duplicates or homophones.
std::string streetSpecific(int round) {
  static const char* const kCharacters[] = {
      "安", "宝", "春", "德", "福", "光", "华", "嘉", "康", "林", "明", "宁", "平", "庆", "瑞",
      "盛", "泰", "文", "祥", "新", "永", "泽", "丰", "金", "龙", "茂", "仁", "顺", "松", "阳"};
  return std::string(kCharacters[(round / 30) % 30]) + kCharacters[round % 30];
}

/// "YYYY-MM" of the month `offset` months after 2026-03.
std::string monthAfterMarch2026(int offset) {
  char text[24];
  const int index = 2026 * 12 + 2 + offset;
  std::snprintf(text, sizeof text, "%04d-%02d", index / 12, index % 12 + 1);
  return text;
}

/// The host died under the request: the write may or may not have committed.
struct HostGone {};

/// What the client was told, and the one write it was waiting for when the host died.
struct Ledger {
  std::vector<std::int64_t> households;
  std::map<std::int64_t, std::string> application_status;  // last acknowledged status
  std::vector<std::int64_t> cases;
  std::set<std::string> runs;                                // months acknowledged
  std::vector<std::string> deaths;                           // acknowledged
  std::set<std::string> deaths_attempted;                    // never registered twice
  std::vector<std::pair<std::string, std::int64_t>> payees;  // citizen id, case id
  std::map<std::int64_t, std::string> corrected_addresses;   // household → acknowledged address
  // The other modules' writes, acknowledged.
  std::vector<std::int64_t> institutions;                  // elderly_care
  std::vector<std::int64_t> residents;                     // admitted
  std::vector<std::int64_t> beneficiaries;                 // veterans' files
  std::map<std::int64_t, std::string> entitlement_status;  // proposed, then active
  std::vector<std::int64_t> place_names;                   // applied for (proposed)
  std::vector<std::int64_t> organisations;                 // applied for
  int acknowledged = 0;

  // In flight at the kill: an application transition to this status, or a payment run.
  std::optional<std::pair<std::int64_t, std::string>> transition_in_flight;
  std::optional<std::string> run_in_flight;
  std::optional<std::string> death_in_flight;
  std::optional<std::int64_t> confirmation_in_flight;  // an entitlement's confirmation
};

class Client {
 public:
  Client(int port, std::map<std::string, std::string> tokens, Ledger& ledger)
      : port_(port), tokens_(std::move(tokens)), ledger_(ledger) {}

  /// A write that must succeed with `want` while the host lives.
  json write(const std::string& path, const json& body, const std::string& who, int want) {
    HttpResult result;
    try {
      result = httpRequest(port_, "POST", path, body.dump(), tokens_.at(who));
    } catch (const std::exception&) {
      throw HostGone{};
    }
    if (result.status != want)
      throw std::runtime_error(path + " answered " + std::to_string(result.status) + ": " +
                               result.body);
    ++ledger_.acknowledged;
    return json::parse(result.body);
  }

  /// A correction (PATCH) that must succeed with 200 while the host lives.
  json correct(const std::string& path, const json& body, const std::string& who) {
    HttpResult result;
    try {
      result = httpRequest(port_, "PATCH", path, body.dump(), tokens_.at(who));
    } catch (const std::exception&) {
      throw HostGone{};
    }
    if (result.status != 200)
      throw std::runtime_error(path + " answered " + std::to_string(result.status) + ": " +
                               result.body);
    ++ledger_.acknowledged;
    return json::parse(result.body);
  }

  void today(const std::string& date) {
    HttpResult result;
    try {
      result = httpRequest(port_, "POST", "/api/v1/admin/clock", json{{"today", date}}.dump(),
                           tokens_.at("admin"));
    } catch (const std::exception&) {
      throw HostGone{};
    }
    if (result.status != 200) throw std::runtime_error("clock refused: " + result.body);
  }

  /// An application step; records the status it leads to as in flight until acknowledged.
  void step(std::int64_t application, const std::string& action, const json& body,
            const std::string& who, const std::string& leads_to) {
    ledger_.transition_in_flight = {application, leads_to};
    const json answer =
        write(kAssistance + "/applications/" + std::to_string(application) + "/" + action, body,
              who, 200);
    ledger_.application_status[application] = answer["status"];
    ledger_.transition_in_flight.reset();
  }

  /// The other modules' writes of a round: an elderly care institution and a resident admitted
  /// to it, a veteran's file with a living subsidy proposed and confirmed, a street name applied
  /// for, a foundation's registration applied for. Each person, code and name is the round's own.
  void otherModules(int number, const std::string& day) {
    const json institution = write(kElderlyCare + "/institutions",
                                   {{"name", "汉滨区第" + std::to_string(number) + "养老院"},
                                    {"uscc", usccOfRound(number)},
                                    {"profit", "non_profit"},
                                    {"ownership", "public"},
                                    {"registration_authority", "civil_affairs"},
                                    {"address", "汉滨区江北大道" + std::to_string(number) + "号"},
                                    {"township", "江北街道"},
                                    {"legal_representative", "李主任"},
                                    {"beds", 40},
                                    {"nursing_beds", 22},
                                    {"floor_area_m2", 1500}},
                                   "clerk", 201);
    const std::int64_t institution_id = institution["id"];
    ledger_.institutions.push_back(institution_id);
    const json resident =
        write(kElderlyCare + "/residents",
              {{"institution_id", institution_id},
               {"citizen_id", citizenId(1936 + number % 4, number)},
               {"name", "周桂兰"},
               {"admitted_on", day},
               {"bed_number", "A" + std::to_string(100 + number % 40)},
               {"dimensions",
                {{"daily_living", "moderate"},
                 {"mental_state", "mild"},
                 {"perception_communication", "intact"},
                 {"social_participation", "mild"}}},
               {"care_level", "nursing"},
               {"agreement_number", "HT-" + std::to_string(number)},
               {"agreement_signed_on", day},
               {"emergency_contact", {{"name", "周强"}, {"phone", "13900000000"}}},
               {"funding", "subsidy"}},
              "clerk", 201);
    ledger_.residents.push_back(resident["id"]);

    const json beneficiary = write(kVeterans + "/beneficiaries",
                                   {{"citizen_id", citizenId(1926 + number % 4, number)},
                                    {"name", "刘长顺"},
                                    {"category", "veteran"},
                                    {"subsidy_group", "enlisted_before_1954"},
                                    {"hukou", "rural"},
                                    {"township", "江北街道"},
                                    {"village", "东坝村"},
                                    {"address", "东坝村一组"},
                                    {"enlisted_on", "1950-12-01"},
                                    {"discharged_on", "1955-06-01"},
                                    {"rank_type", "conscript"},
                                    {"bank_name", "汉滨农商银行"},
                                    {"bank_account", "62301000" + std::to_string(100000 + number)}},
                                   "clerk", 201);
    const std::int64_t beneficiary_id = beneficiary["id"];
    ledger_.beneficiaries.push_back(beneficiary_id);
    const json entitlement =
        write(kVeterans + "/entitlements",
              {{"beneficiary_id", beneficiary_id}, {"type", "living_subsidy"}}, "clerk", 201);
    const std::int64_t entitlement_id = entitlement["id"];
    ledger_.entitlement_status[entitlement_id] = entitlement["status"];
    ledger_.confirmation_in_flight = entitlement_id;
    const json confirmed =
        write(kVeterans + "/entitlements/" + std::to_string(entitlement_id) + "/confirmation",
              json::object(), "county", 200);
    ledger_.entitlement_status[entitlement_id] = confirmed["status"];
    ledger_.confirmation_in_flight.reset();

    const json name = write(kPlaceNames + "/names",
                            {{"specific", streetSpecific(number)},
                             {"generic", "路"},
                             {"category", "street"},
                             {"division_code", "610902003"},
                             {"built_up_area", "汉滨城区"},
                             {"reason", "新建道路需要命名"}},
                            "clerk", 201);
    ledger_.place_names.push_back(name["id"]);

    const json organisation =
        write(kSocialOrgs + "/organisations",
              {{"type", "foundation"},
               {"name", "汉滨区第" + std::to_string(number) + "教育基金会"},
               {"foundation_kind", "non_public"},
               {"legal_representative",
                {{"citizen_id", citizenId(1940 + number % 5, number)}, {"name", "王五"}}},
               {"address", "汉滨区新城街道3号"},
               {"township", "新城街道"},
               {"funds", "2000000.00"}},
              "clerk", 201);
    ledger_.organisations.push_back(organisation["id"]);
  }

  /// One month of a county office: a new two-person household through the workflow to a case,
  /// the next month's roll, and the death of an earlier round's recipient; and the other
  /// modules' writes.
  void round(int number) {
    const std::string month = monthAfterMarch2026(number);
    today(month + "-02");
    otherModules(number, month + "-02");
    const auto applicant = citizenId(1950 + number % 40, 2 * number + 1);
    const auto spouse = citizenId(1951 + number % 40, 2 * number + 2);
    const auto member = [](const std::string& id, const char* name, const char* relationship) {
      return json{{"citizen_id", id},
                  {"name", name},
                  {"relationship", relationship},
                  {"lives_together", true},
                  {"inclusion_reason", "共同生活"},
                  {"work_capacity", "none"}};
    };
    const json household =
        write(kAssistance + "/households",
              {{"category", "urban"},
               {"township", "江北街道"},
               {"village", "东坝社区"},
               {"hukou_address", "汉滨区东坝路3号"},
               {"residence_address", "汉滨区东坝路3号"},
               {"bank_name", "汉滨农商银行"},
               {"bank_account", "62309999" + std::to_string(10000000 + number)},
               {"members",
                {member(applicant, "陈秀英", "applicant"), member(spouse, "王德发", "spouse")}}},
              "clerk", 201);
    const std::int64_t household_id = household["id"];
    ledger_.households.push_back(household_id);
    // A clerk corrects what was typed: the new address and its audit row are one write.
    const std::string corrected = "汉滨区东坝路3号" + std::to_string(number) + "室（更正）";
    correct(kAssistance + "/households/" + std::to_string(household_id),
            {{"residence_address", corrected}}, "clerk");
    ledger_.corrected_addresses[household_id] = corrected;
    write(kAssistance + "/households/" + std::to_string(household_id) + "/income-items",
          {{"category", "transfer"},
           {"treatment", "counted"},
           {"amount", "1200.00"},
           {"period_from", "2025-09-01"},
           {"period_to", "2026-02-28"},
           {"description", "子女赡养费"}},
          "clerk", 201);
    const json application = write(
        kAssistance + "/applications",
        {{"household_id", household_id}, {"program", "dibao"}, {"applicant_citizen_id", applicant}},
        "clerk", 201);
    const std::int64_t application_id = application["id"];
    ledger_.application_status[application_id] = application["status"];
    step(application_id, "investigation/start", json::object(), "clerk", "investigating");
    // Two investigators sign with their own accounts; the status stays investigating.
    const std::string signatures = kAssistance + "/applications/" + std::to_string(application_id) +
                                   "/investigation/signatures";
    write(signatures, json::object(), "clerk", 200);
    write(signatures, json::object(), "investigator", 200);
    step(application_id, "investigation/complete",
         {{"data_checks", {{{"item", "deposits"}, {"result", "match"}}}}}, "clerk", "investigated");
    step(application_id, "township-review", {{"opinion", "recommend"}}, "township",
         "township_reviewed");
    step(application_id, "notice", {{"location", "东坝社区公示栏"}}, "clerk", "in_notice");
    today(month + "-17");
    ledger_.transition_in_flight = {application_id, "approved"};
    const json decided =
        write(kAssistance + "/applications/" + std::to_string(application_id) + "/decision",
              {{"result", "approve"}}, "county", 200);
    ledger_.application_status[application_id] = decided["status"];
    ledger_.transition_in_flight.reset();
    ledger_.cases.push_back(decided["case"]["id"]);
    ledger_.payees.emplace_back(applicant, decided["case"]["id"]);

    today(month + "-25");
    const std::string next = monthAfterMarch2026(number + 1);
    ledger_.run_in_flight = next;
    write(kAssistance + "/payment-runs", {{"month", next}}, "county", 201);
    ledger_.runs.insert(next);
    ledger_.run_in_flight.reset();

    // The recipient of two rounds ago dies on the 20th; registered on the 26th.
    if (ledger_.payees.size() > 2) {
      const auto [deceased, case_id] = ledger_.payees[ledger_.payees.size() - 3];
      if (ledger_.deaths_attempted.insert(deceased).second) {
        today(month + "-26");
        ledger_.death_in_flight = deceased;
        write(kFuneral + "/deaths",
              {{"citizen_id", deceased},
               {"name", "陈秀英"},
               {"death_date", month + "-20"},
               {"place", "汉滨区人民医院"},
               {"township", "江北街道"},
               {"manner", "normal"},
               {"certificate_number", "YX-" + std::to_string(number)},
               {"certificate_issuer", "medical"}},
              "clerk", 201);
        ledger_.deaths.push_back(deceased);
        ledger_.death_in_flight.reset();
      }
    }
  }

 private:
  int port_;
  std::map<std::string, std::string> tokens_;
  Ledger& ledger_;
};

class CrashDriver : public ::testing::TestWithParam<sdk::Dialect> {
 protected:
  long long count(const std::string& sql) {
    long long n = 0;
    db_->pool().at(0) << sql, soci::into(n);
    return n;
  }

  /// Everything a restarted host must find, whatever moment the kill hit.
  void checkNothingLostNothingHalfApplied(const Ledger& ledger, const std::string& when) {
    SCOPED_TRACE(when);
    for (auto id : ledger.households)
      EXPECT_EQ(count("SELECT COUNT(*) FROM sa_members WHERE household_id = " + std::to_string(id)),
                2)
          << "household " << id;
    // No household of any round (acknowledged or not) with only some of its members.
    EXPECT_EQ(count("SELECT COUNT(*) FROM sa_households h WHERE (SELECT COUNT(*) FROM sa_members"
                    " m WHERE m.household_id = h.id) <> 2"),
              0);
    for (const auto& [id, status] : ledger.application_status) {
      std::string stored;
      db_->pool().at(0) << "SELECT status FROM sa_applications WHERE id = :id", soci::use(id),
          soci::into(stored);
      const bool in_flight =
          ledger.transition_in_flight && ledger.transition_in_flight->first == id;
      if (in_flight && stored == ledger.transition_in_flight->second) continue;
      EXPECT_EQ(stored, status) << "application " << id;
    }
    // An approval and its case are one write; so are a transition and its dated row.
    EXPECT_EQ(count("SELECT COUNT(*) FROM sa_applications a WHERE a.status = 'approved' AND"
                    " (SELECT COUNT(*) FROM sa_cases c WHERE c.application_id = a.id) <> 1"),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM sa_cases c WHERE NOT EXISTS (SELECT 1 FROM"
                    " sa_applications a WHERE a.id = c.application_id AND a.status = 'approved')"),
              0);
    for (auto id : ledger.cases)
      EXPECT_EQ(count("SELECT COUNT(*) FROM sa_cases WHERE id = " + std::to_string(id)), 1);
    // Every acknowledged correction is there, and no correction is without its audit row.
    for (const auto& [id, address] : ledger.corrected_addresses) {
      std::string stored;
      db_->pool().at(0) << "SELECT residence_address FROM sa_households WHERE id = :id",
          soci::use(id), soci::into(stored);
      EXPECT_EQ(stored, address) << "household " << id;
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM sa_households WHERE residence_address LIKE '%（更正）'"),
              count("SELECT COUNT(*) FROM civ_audit WHERE action = 'household.correct'"));
    // A run is complete or absent: its header agrees with its lines, and it has its audit row.
    EXPECT_EQ(count("SELECT COUNT(*) FROM sa_payment_runs r WHERE r.line_count <> (SELECT"
                    " COUNT(*) FROM sa_payment_lines l WHERE l.run_id = r.id) OR r.total_fen <>"
                    " (SELECT COALESCE(SUM(amount_fen), 0) FROM sa_payment_lines l WHERE"
                    " l.run_id = r.id)"),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM sa_payment_runs"),
              count("SELECT COUNT(*) FROM civ_audit WHERE action = 'payment_run.create'"));
    for (const auto& month : ledger.runs)
      EXPECT_EQ(count("SELECT COUNT(*) FROM sa_payment_runs WHERE month = '" + month + "'"), 1)
          << month;
    for (const auto& citizen_id : ledger.deaths)
      EXPECT_EQ(count("SELECT COUNT(*) FROM fu_deaths d JOIN civ_persons p ON p.id = d.person_id"
                      " WHERE p.death_date IS NOT NULL AND p.citizen_id = '" +
                      citizen_id + "'"),
                1)
          << citizen_id;
    const auto deaths = static_cast<long long>(ledger.deaths.size());
    EXPECT_GE(count("SELECT COUNT(*) FROM fu_deaths"), deaths);
    EXPECT_LE(count("SELECT COUNT(*) FROM fu_deaths"), deaths + (ledger.death_in_flight ? 1 : 0));
    EXPECT_EQ(count("SELECT COUNT(*) FROM fu_deaths"),
              count("SELECT COUNT(*) FROM civ_outbox WHERE name = 'person.deceased'"));
    EXPECT_EQ(count("SELECT COUNT(*) FROM fu_deaths"),
              count("SELECT COUNT(*) FROM civ_persons WHERE death_date IS NOT NULL"));
    checkOtherModules(ledger);
    const auto audit = host::AuditLog::verify(db_->pool().at(0));
    EXPECT_FALSE(audit.first_bad_id.has_value()) << audit.problem;
  }

  long long audited(const std::string& module, const std::string& action) {
    return count("SELECT COUNT(*) FROM civ_audit WHERE module = '" + module + "' AND action = '" +
                 action + "'");
  }

  /// elderly_care, veterans, place_names, social_orgs: every acknowledged record is there, and
  /// every record (acknowledged or in flight at a kill) is whole: with its audit row, its
  /// admission assessment, its number counted.
  void checkOtherModules(const Ledger& ledger) {
    for (auto id : ledger.institutions)
      EXPECT_EQ(count("SELECT COUNT(*) FROM ec_institutions WHERE status = 'operating' AND id = " +
                      std::to_string(id)),
                1)
          << "institution " << id;
    for (auto id : ledger.residents)
      EXPECT_EQ(count("SELECT COUNT(*) FROM ec_residents WHERE discharged_on IS NULL AND id = " +
                      std::to_string(id)),
                1)
          << "resident " << id;
    EXPECT_EQ(count("SELECT COUNT(*) FROM ec_institutions"),
              audited("elderly_care", "institution.create"));
    EXPECT_EQ(count("SELECT COUNT(*) FROM ec_residents"),
              audited("elderly_care", "resident.admit"));
    // An admission, its assessment and the institution's first admission date are one write.
    EXPECT_EQ(
        count("SELECT COUNT(*) FROM ec_residents r WHERE (SELECT COUNT(*) FROM"
              " ec_assessments a WHERE a.resident_id = r.id AND a.reason = 'admission') <> 1"),
        0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM ec_residents r JOIN ec_institutions i ON i.id ="
                    " r.institution_id WHERE i.first_admission_on IS NULL"),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM ec_institutions WHERE first_admission_on IS NOT NULL"),
              audited("elderly_care", "institution.first_admission"));

    for (auto id : ledger.beneficiaries)
      EXPECT_EQ(count("SELECT COUNT(*) FROM vt_beneficiaries WHERE id = " + std::to_string(id)), 1)
          << "beneficiary " << id;
    for (const auto& [id, status] : ledger.entitlement_status) {
      std::string stored;
      db_->pool().at(0) << "SELECT status FROM vt_entitlements WHERE id = :id", soci::use(id),
          soci::into(stored);
      if (ledger.confirmation_in_flight == id && stored == "active") continue;
      EXPECT_EQ(stored, status) << "entitlement " << id;
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM vt_beneficiaries"),
              audited("veterans", "beneficiary.create"));
    EXPECT_EQ(count("SELECT COUNT(*) FROM vt_entitlements"),
              audited("veterans", "entitlement.propose"));
    EXPECT_EQ(count("SELECT COUNT(*) FROM vt_entitlements WHERE status = 'active' AND start_month"
                    " IS NOT NULL AND confirmed_by IS NOT NULL"),
              audited("veterans", "entitlement.confirm"));
    // A file's or an entitlement's number and the counter it came from are one write: no
    // number lost, none given twice.
    EXPECT_EQ(count("SELECT COUNT(*) FROM vt_beneficiaries"),
              count("SELECT COALESCE(SUM(last_value), 0) FROM vt_counters WHERE kind = 'YF'"));
    EXPECT_EQ(count("SELECT COUNT(*) FROM vt_entitlements"),
              count("SELECT COALESCE(SUM(last_value), 0) FROM vt_counters WHERE kind = 'DY'"));
    EXPECT_EQ(count("SELECT COUNT(DISTINCT number) FROM vt_entitlements"),
              count("SELECT COUNT(*) FROM vt_entitlements"));

    for (auto id : ledger.place_names)
      EXPECT_EQ(count("SELECT COUNT(*) FROM pn_names WHERE status = 'proposed' AND id = " +
                      std::to_string(id)),
                1)
          << "place name " << id;
    EXPECT_EQ(count("SELECT COUNT(*) FROM pn_names"), audited("place_names", "name.apply"));

    for (auto id : ledger.organisations)
      EXPECT_EQ(count("SELECT COUNT(*) FROM so_organisations WHERE status = 'applied' AND id = " +
                      std::to_string(id)),
                1)
          << "organisation " << id;
    EXPECT_EQ(count("SELECT COUNT(*) FROM so_organisations"),
              audited("social_orgs", "organisation.apply"));
  }

  std::unique_ptr<host::Database> db_;
};

TEST_P(CrashDriver, ThirtyKillsLoseNoAcknowledgedWriteAndHalfApplyNone) {
  testing::TestDatabase database(GetParam());
  const std::string url = database.url().connection;
  const std::vector<std::string> serve = {
      "serve",        "--config", std::string(CIV_SOURCE_DIR) + "/config",
      "--database",   url,        "--plugin-dir",
      CIV_PLUGIN_DIR, "--listen", "127.0.0.1:0"};
  const char* seed_env = std::getenv("CIV_CRASH_SEED");
  const unsigned seed = seed_env != nullptr
                            ? static_cast<unsigned>(std::strtoul(seed_env, nullptr, 10))
                            : std::random_device{}();
  std::printf("crash driver seed %u (CIV_CRASH_SEED=%u replays it)\n", seed, seed);
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> kill_after_ms(5, 400);

  setenv("CIV_TEST_CLOCK", "1", 1);
  std::map<std::string, std::string> tokens;
  Ledger ledger;
  int round = 0;
  int kills = 0;
  int in_flight_committed = 0;
  int in_flight_absent = 0;
  const int kills_wanted = killCount();
  for (int life = 0; life <= kills_wanted; ++life) {
    CivhostProcess civhost(serve);
    ASSERT_TRUE(civhost.waitUntilListening()) << civhost.stderrText();
    if (!db_) {
      db_ = std::make_unique<host::Database>(database.url(), 1);
      tokens = {{"admin", testing::issueToken(url, "root", "admin", "610902")},
                {"clerk", testing::issueToken(url, "wang", "clerk", "610902")},
                {"township", testing::issueToken(url, "li", "reviewer", "610902")},
                {"investigator", testing::issueToken(url, "chen", "clerk", "610902")},
                {"county", testing::issueToken(url, "zhao", "approver", "610902")}};
    }
    checkNothingLostNothingHalfApplied(ledger, "after restart " + std::to_string(life));
    if (::testing::Test::HasFailure()) {
      std::printf("stopped at restart %d; host log:\n%s\n", life, civhost.stderrText().c_str());
      return;
    }
    Client client(civhost.port(), tokens, ledger);
    // The run in flight at the kill is complete or absent; either way it can be asked again.
    if (ledger.run_in_flight) {
      const std::string month = *ledger.run_in_flight;
      const bool was_there =
          count("SELECT COUNT(*) FROM sa_payment_runs WHERE month = '" + month + "'") == 1;
      (was_there ? in_flight_committed : in_flight_absent)++;
      client.today(month + "-01");
      const json again = client.write(kAssistance + "/payment-runs", {{"month", month}}, "county",
                                      was_there ? 200 : 201);
      EXPECT_EQ(again["created"], !was_there);
      ledger.runs.insert(month);
      ledger.run_in_flight.reset();
    }
    if (ledger.transition_in_flight) {
      std::string stored;
      db_->pool().at(0) << "SELECT status FROM sa_applications WHERE id = :id",
          soci::use(ledger.transition_in_flight->first), soci::into(stored);
      (stored == ledger.transition_in_flight->second ? in_flight_committed : in_flight_absent)++;
      ledger.application_status[ledger.transition_in_flight->first] = stored;
      ledger.transition_in_flight.reset();
    }
    if (ledger.death_in_flight) {
      const bool found = count(
                             "SELECT COUNT(*) FROM civ_persons WHERE death_date IS NOT NULL AND"
                             " citizen_id = '" +
                             *ledger.death_in_flight + "'") == 1;
      (found ? in_flight_committed : in_flight_absent)++;
      if (found) ledger.deaths.push_back(*ledger.death_in_flight);
      ledger.death_in_flight.reset();
    }
    if (ledger.confirmation_in_flight) {
      std::string stored;
      db_->pool().at(0) << "SELECT status FROM vt_entitlements WHERE id = :id",
          soci::use(*ledger.confirmation_in_flight), soci::into(stored);
      (stored == "active" ? in_flight_committed : in_flight_absent)++;
      ledger.entitlement_status[*ledger.confirmation_in_flight] = stored;
      ledger.confirmation_in_flight.reset();
    }
    if (life == kills_wanted) break;  // the last life only checks and delivers

    std::atomic<bool> gone = false;
    std::string failure;
    std::thread writer([&] {
      try {
        for (;;) {
          client.round(round);
          ++round;
        }
      } catch (const HostGone&) {
        gone = true;
      } catch (const std::exception& error) {
        failure = error.what();
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(kill_after_ms(random)));
    civhost.killHard();
    ++kills;
    writer.join();
    ASSERT_TRUE(failure.empty()) << failure << "\nhost log:\n" << civhost.stderrText();
    ASSERT_TRUE(gone);
    ++round;  // the interrupted round's month is not reused
  }

  // The last life: every committed event reaches its subscriber, and each death took effect on
  // its recipient's household exactly once (the member left; one assistance.changed).
  const auto undelivered = [&] {
    return count(
        "SELECT COUNT(*) FROM civ_outbox o WHERE o.name = 'person.deceased' AND NOT"
        " EXISTS (SELECT 1 FROM civ_deliveries d WHERE d.event_id = o.id AND"
        " d.subscriber = 'social_assistance.end_coverage')");
  };
  {
    CivhostProcess last(serve);
    ASSERT_TRUE(last.waitUntilListening()) << last.stderrText();
    for (int i = 0; i < 400 && undelivered() > 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // more delivery passes run
    last.stop();
  }
  unsetenv("CIV_TEST_CLOCK");
  EXPECT_EQ(undelivered(), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM civ_delivery_failures"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sa_members m JOIN fu_deaths d ON d.person_id ="
                  " m.person_id WHERE m.left_on IS NULL"),
            0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM civ_outbox WHERE name = 'assistance.changed'"),
            count("SELECT COUNT(*) FROM fu_deaths"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM sa_cases WHERE death_review_due IS NOT NULL"),
            count("SELECT COUNT(*) FROM fu_deaths"));
  checkNothingLostNothingHalfApplied(ledger, "at the end");
  std::printf(
      "crash driver (%s): %d kills survived, %d rounds, %d acknowledged writes checked, "
      "%zu households, %zu cases, %zu payment runs, %lld deaths, %zu institutions, %zu "
      "residents, %zu veterans' files, %zu place names, %zu organisations; the write in flight "
      "at a kill was found committed %d times and absent %d times\n",
      testing::dialectName(GetParam()).c_str(), kills, round, ledger.acknowledged,
      ledger.households.size(), ledger.cases.size(), ledger.runs.size(),
      count("SELECT COUNT(*) FROM fu_deaths"), ledger.institutions.size(), ledger.residents.size(),
      ledger.beneficiaries.size(), ledger.place_names.size(), ledger.organisations.size(),
      in_flight_committed, in_flight_absent);
  EXPECT_GE(kills, kills_wanted);
}

INSTANTIATE_TEST_SUITE_P(Engines, CrashDriver,
                         ::testing::Values(sdk::Dialect::Sqlite, sdk::Dialect::Postgresql),
                         [](const auto& info) { return testing::dialectName(info.param); });

}  // namespace
}  // namespace civ
