// Bearer-token authentication on every request, with the lookup a KeptQuery (prepared once per
// pooled session: parsing it again on each request was 15 % of a household read,
// bench/RESULTS.md). The answer itself is never cached, so a revocation made by any host or the
// CLI applies to the next request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <civ/sdk/caller.h>
#include <civ/sdk/kept_query.h>

namespace civ::host {

class TokenAuthenticator {
 public:
  /// `storage` is the pool's; it must outlive the authenticator.
  explicit TokenAuthenticator(sdk::Storage& storage);

  /// Why a known token was refused.
  enum class Refusal { None, Expired, Revoked, UserDisabled };

  /// The caller `token` stands for; nullopt when unknown, revoked, expired or its user disabled.
  /// `token_id` gets the token's row id whenever the token is known (a refused one too, for the
  /// security event), `user` its user's name, and `refusal` why a known token was refused.
  std::optional<sdk::Caller> authenticate(soci::session& db, const std::string& token,
                                          std::optional<std::int64_t>* token_id = nullptr,
                                          Refusal* refusal = nullptr, std::string* user = nullptr);

 private:
  sdk::KeptQuery lookup_;
};

}  // namespace civ::host
