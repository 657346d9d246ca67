// Certificate numbers: unique per registration office and year, issued in sequence.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <civ/sdk/date.h>

namespace soci {
class session;
}

namespace civ::plugins::marriage {

enum class CertificateKind { Marriage, Divorce };

struct Certificate {
  std::int64_t id = 0;
  std::string number;  ///< e.g. "J610902-01-2026-000001" (J 结婚, L 离婚; replacements prefixed B)
  std::string kind;  ///< "marriage", "divorce"
  std::int64_t marriage_id = 0;
  std::optional<std::int64_t> divorce_application_id;
  std::optional<std::int64_t> replaces_id;  ///< the original, for a replacement (补领)
  sdk::Date issued_on;
  std::string county;
};

class Certificates {
 public:
  /// Issues the next number of `office_code` for the year of `issued_on`, in the caller's
  /// transaction (the counter row serialises concurrent issues).
  static Certificate issue(soci::session& db, const std::string& county, std::int64_t office_id,
                           const std::string& office_code, CertificateKind kind,
                           std::int64_t marriage_id,
                           std::optional<std::int64_t> divorce_application_id, sdk::Date issued_on,
                           std::optional<std::int64_t> replaces_id = std::nullopt,
                           std::optional<std::string> fixed_number = std::nullopt);
  static std::optional<Certificate> findByNumber(soci::session& db, const std::string& number);
};

}  // namespace civ::plugins::marriage
