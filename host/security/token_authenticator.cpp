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
              // Revoked tokens and disabled users are read too: their refusal names the token.
              "SELECT u.name, t.role, t.counties, t.modules, t.townships, t.id, t.expires_at,"
              " t.revoked_at, u.disabled_at FROM civ_tokens t JOIN civ_users u ON u.id ="
              " t.user_id WHERE t.token_hash = :hash") {}

std::optional<sdk::Caller> TokenAuthenticator::authenticate(soci::session& db,
                                                            const std::string& token,
                                                            std::optional<std::int64_t>* token_id,
                                                            Refusal* refusal, std::string* user) {
  if (token.size() != 68 || !token.starts_with("civ_")) return std::nullopt;
  std::optional<sdk::Caller> caller;
  const std::string now = isoTimestamp(std::chrono::system_clock::now());
  lookup_.forEach(db, {sha256Hex(token)}, [&](const soci::row& row) {
    if (token_id != nullptr) *token_id = sdk::sql::int64At(row, 5);
    if (user != nullptr) *user = sdk::sql::textAt(row, 0);
    const auto refuse = [&](Refusal why) {
      if (refusal != nullptr) *refusal = why;
    };
    if (sdk::sql::optionalTextAt(row, 7)) return refuse(Refusal::Revoked);
    if (sdk::sql::optionalTextAt(row, 8)) return refuse(Refusal::UserDisabled);
    const auto expires_at = sdk::sql::optionalTextAt(row, 6);
    if (expires_at && *expires_at <= now) return refuse(Refusal::Expired);
    caller = sdk::Caller{sdk::sql::textAt(row, 0), sdk::sql::textAt(row, 1),
                         splitCommaList(sdk::sql::textAt(row, 2)),
                         splitCommaList(sdk::sql::textAt(row, 3)),
                         splitCommaList(sdk::sql::textAt(row, 4))};
  });
  return caller;
}

}  // namespace civ::host
