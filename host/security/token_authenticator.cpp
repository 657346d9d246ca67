#include "host/security/token_authenticator.h"

#include <soci/soci.h>

#include "host/common/comma_list.h"
#include "host/common/sha256.h"
#include "host/security/token_store.h"
#include "host/storage/statement_release.h"

namespace civ::host {

struct TokenAuthenticator::KeptLookup {
  explicit KeptLookup(soci::session& db)
      : statement((db.prepare << "SELECT user_name, role, counties, modules FROM civ_tokens"
                                 " WHERE token_hash = :hash AND revoked_at IS NULL",
                   soci::into(user), soci::into(role), soci::into(counties), soci::into(modules),
                   soci::use(hash))) {}

  std::string hash, user, role, counties, modules;
  soci::statement statement;
};

TokenAuthenticator::TokenAuthenticator(Database& database)
    : database_(database), kept_(database.poolSize()) {}

TokenAuthenticator::~TokenAuthenticator() = default;

std::optional<sdk::Caller> TokenAuthenticator::authenticate(soci::session& db,
                                                            const std::string& token) {
  const auto slot = database_.poolIndexOf(db);
  if (!slot) return TokenStore::authenticate(db, token);  // not a pooled session: plain query
  if (token.size() != 68 || !token.starts_with("civ_")) return std::nullopt;
  auto& kept = kept_[*slot];
  if (!kept) kept = std::make_unique<KeptLookup>(db);
  kept->hash = sha256Hex(token);
  kept->statement.execute(true);
  const bool found = kept->statement.got_data();
  releaseStatement(kept->statement, database_.dialect());
  if (!found) return std::nullopt;
  return sdk::Caller{kept->user, kept->role, splitCommaList(kept->counties),
                     splitCommaList(kept->modules)};
}

}  // namespace civ::host
