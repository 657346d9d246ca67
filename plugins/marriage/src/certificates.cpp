#include "certificates.h"

#include <cstdio>

#include <soci/soci.h>

#include <civ/sdk/error.h>

namespace civ::plugins::marriage {

Certificate Certificates::issue(soci::session& db, const std::string& county,
                                std::int64_t office_id, const std::string& office_code,
                                CertificateKind kind, std::int64_t marriage_id,
                                std::optional<std::int64_t> divorce_application_id,
                                sdk::Date issued_on, std::optional<std::int64_t> replaces_id,
                                std::optional<std::string> fixed_number) {
  Certificate certificate;
  certificate.kind = kind == CertificateKind::Marriage ? "marriage" : "divorce";
  certificate.marriage_id = marriage_id;
  certificate.divorce_application_id = divorce_application_id;
  certificate.replaces_id = replaces_id;
  certificate.issued_on = issued_on;
  certificate.county = county;
  if (fixed_number) {
    certificate.number = *fixed_number;  // back-entry: the historical number as printed
  } else {
    const long long office = office_id;
    const int year = issued_on.year();
    long long sequence = 0;
    db << "INSERT INTO marriage_certificate_counters (office_id, year, last_sequence) VALUES "
          "(:office, :year, 1)"
          " ON CONFLICT (office_id, year) DO UPDATE SET last_sequence = "
          "marriage_certificate_counters.last_sequence + 1"
          " RETURNING last_sequence",
        soci::use(office), soci::use(year), soci::into(sequence);
    char buffer[96];
    std::snprintf(buffer, sizeof buffer, "%s%s%s-%04d-%06lld", replaces_id ? "B" : "",
                  kind == CertificateKind::Marriage ? "J" : "L", office_code.c_str(), year,
                  sequence);
    certificate.number = buffer;
  }
  if (findByNumber(db, certificate.number))
    throw sdk::Conflict("certificate number " + certificate.number +
                        " already exists in the archive");
  const long long marriage = marriage_id;
  long long application = divorce_application_id.value_or(0);
  long long replaces = replaces_id.value_or(0);
  soci::indicator application_indicator = divorce_application_id ? soci::i_ok : soci::i_null;
  soci::indicator replaces_indicator = replaces_id ? soci::i_ok : soci::i_null;
  const std::string issued = issued_on.toString();
  long long id = 0;
  db << "INSERT INTO marriage_certificates (county_code, number, kind, marriage_id, "
        "divorce_application_id,"
        " replaces_id, issued_on) VALUES (:county, :number, :kind, :marriage, :application, "
        ":replaces, :issued)"
        " RETURNING id",
      soci::use(county), soci::use(certificate.number), soci::use(certificate.kind),
      soci::use(marriage), soci::use(application, application_indicator),
      soci::use(replaces, replaces_indicator), soci::use(issued), soci::into(id);
  certificate.id = id;
  return certificate;
}

std::optional<Certificate> Certificates::findByNumber(soci::session& db,
                                                      const std::string& number) {
  Certificate certificate;
  long long id = 0, marriage = 0, application = 0, replaces = 0;
  soci::indicator application_indicator = soci::i_null, replaces_indicator = soci::i_null;
  std::string issued;
  db << "SELECT id, county_code, kind, marriage_id, divorce_application_id, replaces_id, issued_on"
        " FROM marriage_certificates WHERE number = :number",
      soci::into(id), soci::into(certificate.county), soci::into(certificate.kind),
      soci::into(marriage), soci::into(application, application_indicator),
      soci::into(replaces, replaces_indicator), soci::into(issued), soci::use(number);
  if (!db.got_data()) return std::nullopt;
  certificate.id = id;
  certificate.number = number;
  certificate.marriage_id = marriage;
  if (application_indicator == soci::i_ok) certificate.divorce_application_id = application;
  if (replaces_indicator == soci::i_ok) certificate.replaces_id = replaces;
  certificate.issued_on = *sdk::Date::parse(issued);
  return certificate;
}

}  // namespace civ::plugins::marriage
