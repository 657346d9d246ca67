#include "host/security/token_authenticator.h"

#include <soci/soci.h>

#include <civ/sdk/sql.h>

#include "host/common/comma_list.h"
#include "host/common/sha256.h"
#include "host/common/timestamp.h"

namespace civ::host {

TokenAuthenticator::TokenAuthenticator(sdk::Storage& storage)
    : lookup_(storage,
              // The user record's name (the canonical spelling) and its state: a disabled user's
              // tokens stop at once, whichever host disabled them.
              "SELECT u.name, t.role, t.counties, t.modules, t.townships, t.id, t.expires_at"
              " FROM civ_tokens t JOIN civ_users u ON u.id = t.user_id"
              " WHERE t.token_hash = :hash AND t.revoked_at IS NULL AND u.disabled_at IS NULL") {}

std::optional<sdk::Caller> TokenAuthenticator::authenticate(soci::session& db,
                                                            const std::string& token,
                                                            std::optional<std::int64_t>* token_id,
                                                            bool* expired) {
  if (token.size() != 68 || !token.starts_with("civ_")) return std::nullopt;
  std::optional<sdk::Caller> caller;
  const std::string now = isoTimestamp(std::chrono::system_clock::now());
  lookup_.forEach(db, {sha256Hex(token)}, [&](const soci::row& row) {
    if (token_id != nullptr) *token_id = sdk::sql::int64At(row, 5);
    const auto expires_at = sdk::sql::optionalTextAt(row, 6);
    if (expires_at && *expires_at <= now) {
      if (expired != nullptr) *expired = true;
      return;
    }
    caller = sdk::Caller{sdk::sql::textAt(row, 0), sdk::sql::textAt(row, 1),
                         splitCommaList(sdk::sql::textAt(row, 2)),
                         splitCommaList(sdk::sql::textAt(row, 3)),
                         splitCommaList(sdk::sql::textAt(row, 4))};
  });
  return caller;
}

}  // namespace civ::host
