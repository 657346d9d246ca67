// Passwords of people who sign in to the console, kept only as Argon2id hashes (RFC 9106) in
// the encoded form libargon2 writes ("$argon2id$v=19$m=...,t=...,p=...$salt$hash"), so the
// cost parameters travel with each hash and can be raised later without invalidating old ones.
#pragma once

#include <string>

namespace civ::host {

class PasswordHasher {
 public:
  /// A new salted Argon2id hash of `password`. The cost follows OWASP's minimum for Argon2id
  /// (19 MiB, 2 passes, 1 lane): about 30 ms on this project's 2-core reference machine, so a
  /// burst of sign-ins does not starve the API while offline guessing stays expensive.
  static std::string hash(const std::string& password);
  /// Whether `password` matches `encoded` (constant time in the hash comparison). False for a
  /// malformed hash rather than an exception: a damaged row must not sign anyone in.
  static bool verify(const std::string& encoded, const std::string& password);
};

}  // namespace civ::host
