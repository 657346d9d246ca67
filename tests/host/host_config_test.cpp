#include "host/config/host_config.h"

#include <cstdio>
#include <fstream>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <gtest/gtest.h>

#include <civ/sdk/testing/published_calendars.h>

#include "tests/support/test_database.h"

namespace civ::host {
namespace {

namespace fs = std::filesystem;

class ConfigDirectory {
 public:
  ConfigDirectory() : root_(testing::makeTempDirectory("civ-config")) {
    write("host.yaml", "listen: 127.0.0.1:8080\ndatabase: var/civ.db\n");
    write("counties/610902.yaml",
          "code: \"610902\"\nname: {zh: 汉滨区, en: Hanbin}\nmodules: [example]\n");
  }
  ~ConfigDirectory() { fs::remove_all(root_); }
  void write(const std::string& relative, const std::string& text) {
    fs::create_directories((root_ / relative).parent_path());
    std::ofstream(root_ / relative) << text;
  }
  const fs::path& root() const { return root_; }

 private:
  fs::path root_;
};

std::vector<std::string> described(const Config& config) {
  std::vector<std::string> lines;
  for (const auto& problem : config.problems) lines.push_back(problem.describe());
  return lines;
}

TEST(HostConfig, TheShippedDemoConfigurationLoadsWithoutProblems) {
  const Config config = loadConfig(fs::path(CIV_SOURCE_DIR) / "config");
  EXPECT_TRUE(config.problems.empty()) << ::testing::PrintToString(described(config));
  ASSERT_EQ(config.counties.size(), 2u);
  EXPECT_NE(config.county("610902"), nullptr);
  EXPECT_EQ(config.county("350502")->name.zh, "鲤城区");
  EXPECT_TRUE(config.calendar.hasYear(2025));
  EXPECT_TRUE(config.calendar.hasYear(2026));
  EXPECT_FALSE(config.calendar.isWorkingDay(*sdk::Date::parse("2026-02-16")));  // 春节
  EXPECT_TRUE(config.calendar.isWorkingDay(*sdk::Date::parse("2026-02-28")));   // make-up Saturday
}

TEST(HostConfig, TheShippedCalendarFilesMatchTheSdksTestCalendar) {
  // Two copies of the State Council schedules exist (config/calendar for civhost, the SDK's
  // publishedCalendar() for plugin tests); they must agree on every day.
  const Config config = loadConfig(fs::path(CIV_SOURCE_DIR) / "config");
  const auto published = sdk::testing::publishedCalendar();
  for (sdk::Date day = *sdk::Date::parse("2025-01-01"); day <= *sdk::Date::parse("2026-12-31");
       day = day.addDays(1))
    EXPECT_EQ(config.calendar.isWorkingDay(day), published.isWorkingDay(day)) << day.toString();
}

TEST(HostConfig, ACountyFileNamesItsCodeAndModules) {
  ConfigDirectory dir;
  dir.write("counties/610903.yaml", "code: \"610900\"\nname: {zh: 某区}\nmodules: [example]\n");
  const Config config = loadConfig(dir.root());
  ASSERT_EQ(config.problems.size(), 1u);
  EXPECT_EQ(config.problems[0].file, (dir.root() / "counties/610903.yaml").string());
  EXPECT_EQ(config.problems[0].key, "code");
  EXPECT_NE(config.problems[0].reason.find("six-digit GB/T 2260 county code"), std::string::npos);
}

TEST(HostConfig, AFileNamedAfterAnotherCodeIsAProblem) {
  ConfigDirectory dir;
  dir.write("counties/610903.yaml", "code: \"610902\"\nname: {zh: 某区}\nmodules: []\n");
  const auto lines = described(loadConfig(dir.root()));
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(lines[0].find("name the file after the code"), std::string::npos) << lines[0];
}

TEST(HostConfig, BrokenYamlIsReportedWithItsLine) {
  ConfigDirectory dir;
  dir.write("policy/61.yaml", "values:\n  example.max_note_length:\n    - effective_from: [2025\n");
  const Config config = loadConfig(dir.root());
  ASSERT_EQ(config.problems.size(), 1u);
  EXPECT_EQ(config.problems[0].file, (dir.root() / "policy/61.yaml").string());
  EXPECT_NE(config.problems[0].reason.find("not valid YAML at line"), std::string::npos);
}

TEST(HostConfig, PolicyValuesNeedARealEffectiveDate) {
  ConfigDirectory dir;
  dir.write("policy/6109.yaml",
            "values:\n  example.max_note_length:\n    - {effective_from: 2026-02-30, value: 10}\n"
            "    - {effective_from: 2026-03-01, value: 20}\n");
  const Config config = loadConfig(dir.root());
  ASSERT_EQ(config.problems.size(), 1u);
  EXPECT_EQ(config.problems[0].key, "values.example.max_note_length[0].effective_from");
  ASSERT_EQ(config.policy_values.size(), 1u);
  EXPECT_EQ(config.policy_values[0].level, "6109");
  EXPECT_EQ(config.policy_values[0].value, "20");
}

TEST(HostConfig, APolicyFileMustBeNamedAfterARegionPrefix) {
  ConfigDirectory dir;
  dir.write("policy/shaanxi.yaml", "values: {}\n");
  const auto lines = described(loadConfig(dir.root()));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("GB/T 2260 prefix"), std::string::npos);
}

TEST(HostConfig, UnknownSettingsAndBadListenAddressesAreProblems) {
  ConfigDirectory dir;
  dir.write("host.yaml", "listen: localhost\nlisten_port: 80\nhttp: {max_threads: 1}\n");
  const auto lines = described(loadConfig(dir.root()));
  ASSERT_EQ(lines.size(), 3u) << ::testing::PrintToString(lines);
  EXPECT_NE(lines[0].find("listen_port: unknown setting"), std::string::npos);
  EXPECT_NE(lines[1].find("listen: must be HOST:PORT"), std::string::npos);
  EXPECT_NE(lines[2].find("http.max_threads: must be between 2 and 4096"), std::string::npos);
}

TEST(HostConfig, CalendarDatesMustLieInTheFilesYear) {
  ConfigDirectory dir;
  dir.write("calendar/2027.yaml",
            "holidays:\n  - {name: 元旦, from: 2026-12-31, to: 2027-01-01}\n");
  const auto lines = described(loadConfig(dir.root()));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("holidays[0]: lies outside the file's year 2027"), std::string::npos)
      << lines[0];
}

/// A self-signed EC certificate and its key under `directory`, as <name>.crt and <name>.key;
/// `passphrase`, when not empty, encrypts the key.
void writeCredentials(const fs::path& directory, const std::string& name,
                      const std::string& passphrase = "") {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* certificate = X509_new();
  X509_set_version(certificate, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate), 1);
  X509_gmtime_adj(X509_getm_notBefore(certificate), 0);
  X509_gmtime_adj(X509_getm_notAfter(certificate), 3600);
  X509_set_pubkey(certificate, key);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(certificate), "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(certificate, X509_get_subject_name(certificate));
  X509_sign(certificate, key, EVP_sha256());
  std::FILE* file = std::fopen((directory / (name + ".crt")).c_str(), "wb");
  PEM_write_X509(file, certificate);
  std::fclose(file);
  file = std::fopen((directory / (name + ".key")).c_str(), "wb");
  if (passphrase.empty())
    PEM_write_PrivateKey(file, key, nullptr, nullptr, 0, nullptr, nullptr);
  else
    PEM_write_PrivateKey(file, key, EVP_aes_256_cbc(),
                         reinterpret_cast<const unsigned char*>(passphrase.data()),
                         static_cast<int>(passphrase.size()), nullptr, nullptr);
  std::fclose(file);
  X509_free(certificate);
  EVP_PKEY_free(key);
}

std::string tlsHostYaml(const std::string& tls_block) {
  return "listen: 127.0.0.1:8443\nhttp:\n  tls:\n" + tls_block;
}

TEST(HostConfig, PlainHttpIsTheDefaultAndAUsableTlsBlockTurnsHttpsOn) {
  ConfigDirectory dir;
  EXPECT_FALSE(loadConfig(dir.root()).host.http.tls.enabled());
  // A tls key with everything under it commented out, as in the shipped host.yaml, is off too.
  dir.write("host.yaml", "listen: 127.0.0.1:8080\nhttp:\n  tls:\n  #  certificate: x.pem\n");
  const Config commented = loadConfig(dir.root());
  EXPECT_TRUE(commented.problems.empty()) << ::testing::PrintToString(described(commented));
  EXPECT_FALSE(commented.host.http.tls.enabled());

  writeCredentials(dir.root(), "server");
  const std::string certificate = (dir.root() / "server.crt").string();
  const std::string key = (dir.root() / "server.key").string();
  dir.write("host.yaml", tlsHostYaml("    certificate: " + certificate + "\n    private_key: " +
                                     key + "\n    hsts_max_age_seconds: 600\n"));
  const Config config = loadConfig(dir.root());
  EXPECT_TRUE(config.problems.empty()) << ::testing::PrintToString(described(config));
  EXPECT_TRUE(config.host.http.tls.enabled());
  EXPECT_EQ(config.host.http.tls.certificate, certificate);
  EXPECT_EQ(config.host.http.tls.private_key, key);
  EXPECT_EQ(config.host.http.tls.hsts_max_age_seconds, 600);

  dir.write("host.yaml",
            tlsHostYaml("    certificate: " + certificate + "\n    private_key: " + key + "\n"));
  EXPECT_EQ(loadConfig(dir.root()).host.http.tls.hsts_max_age_seconds, 31536000);  // one year
}

TEST(HostConfig, ATlsBlockNeedsBothFilesAndKnownKeysAndASaneHstsAge) {
  ConfigDirectory dir;
  dir.write("host.yaml", tlsHostYaml("    hsts_max_age_seconds: -1\n    protocols: [tls1.1]\n"));
  const auto lines = described(loadConfig(dir.root()));
  ASSERT_EQ(lines.size(), 4u) << ::testing::PrintToString(lines);
  EXPECT_NE(lines[0].find("http.tls.protocols: unknown setting; known: certificate, "
                          "hsts_max_age_seconds, private_key"),
            std::string::npos)
      << lines[0];
  EXPECT_NE(lines[1].find("http.tls.hsts_max_age_seconds: must be between 0 and 63072000"),
            std::string::npos)
      << lines[1];
  EXPECT_NE(lines[2].find("http.tls.certificate: is required when http.tls is set"),
            std::string::npos)
      << lines[2];
  EXPECT_NE(lines[3].find("http.tls.private_key: is required when http.tls is set"),
            std::string::npos)
      << lines[3];

  dir.write("host.yaml", "listen: 127.0.0.1:8443\nhttp:\n  tls: /etc/civ/tls/cert.pem\n");
  const auto scalar = described(loadConfig(dir.root()));
  ASSERT_EQ(scalar.size(), 1u) << ::testing::PrintToString(scalar);
  EXPECT_NE(scalar[0].find("http.tls: must be a mapping with certificate and private_key"),
            std::string::npos)
      << scalar[0];
}

TEST(HostConfig, TlsFilesMustBeReadablePemAndTheKeyMustBelongToTheCertificate) {
  ConfigDirectory dir;
  writeCredentials(dir.root(), "server");
  writeCredentials(dir.root(), "other");
  writeCredentials(dir.root(), "locked", "a passphrase");
  const auto path = [&dir](const std::string& name) { return (dir.root() / name).string(); };
  const auto only_problem = [&dir](const std::string& certificate, const std::string& key) {
    dir.write("host.yaml",
              tlsHostYaml("    certificate: " + certificate + "\n    private_key: " + key + "\n"));
    const Config config = loadConfig(dir.root());
    EXPECT_EQ(config.problems.size(), 1u) << ::testing::PrintToString(described(config));
    return config.problems.empty() ? ConfigProblem{} : config.problems.front();
  };

  auto problem = only_problem(path("missing.crt"), path("server.key"));
  EXPECT_EQ(problem.file, (dir.root() / "host.yaml").string());
  EXPECT_EQ(problem.key, "http.tls.certificate");
  EXPECT_EQ(problem.reason, path("missing.crt") + " does not exist");

  problem = only_problem(path("server.crt"), path("missing.key"));
  EXPECT_EQ(problem.key, "http.tls.private_key");
  EXPECT_EQ(problem.reason, path("missing.key") + " does not exist");

  problem = only_problem(dir.root().string(), path("server.key"));
  EXPECT_EQ(problem.key, "http.tls.certificate");
  EXPECT_EQ(problem.reason, dir.root().string() + " is not a file");

  problem = only_problem(path("server.key"), path("server.key"));
  EXPECT_EQ(problem.key, "http.tls.certificate");
  EXPECT_NE(problem.reason.find("holds no PEM certificate"), std::string::npos) << problem.reason;

  problem = only_problem(path("server.crt"), path("server.crt"));
  EXPECT_EQ(problem.key, "http.tls.private_key");
  EXPECT_NE(problem.reason.find("holds no PEM private key"), std::string::npos) << problem.reason;

  problem = only_problem(path("server.crt"), path("other.key"));
  EXPECT_EQ(problem.key, "http.tls.private_key");
  EXPECT_EQ(problem.reason, path("other.key") + " does not belong to the certificate in " +
                                "http.tls.certificate (" + path("server.crt") + ")");

  problem = only_problem(path("locked.crt"), path("locked.key"));
  EXPECT_EQ(problem.key, "http.tls.private_key");
  EXPECT_NE(problem.reason.find("is encrypted with a passphrase"), std::string::npos)
      << problem.reason;
}

}  // namespace
}  // namespace civ::host
