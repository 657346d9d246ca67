// Bearer-token authentication on every request, with the lookup prepared once per pooled
// session: parsing it again on each request was 15 % of a household read (bench/RESULTS.md).
// The answer itself is never cached, so a revocation made by any host or the CLI applies to
// the next request.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <soci/session.h>

#include <civ/sdk/caller.h>

#include "host/storage/database.h"

namespace civ::host {

class TokenAuthenticator {
 public:
  explicit TokenAuthenticator(Database& database);
  ~TokenAuthenticator();
  TokenAuthenticator(const TokenAuthenticator&) = delete;
  TokenAuthenticator& operator=(const TokenAuthenticator&) = delete;

  /// The caller `token` stands for; nullopt when unknown or revoked. `db` must be a session of
  /// the pool (leased by the calling thread), which is what makes the kept statement safe.
  std::optional<sdk::Caller> authenticate(soci::session& db, const std::string& token);

 private:
  struct KeptLookup;
  Database& database_;
  std::vector<std::unique_ptr<KeptLookup>> kept_;  // by pool slot
};

}  // namespace civ::host
