#include "host/security/password_hasher.h"

#include <argon2.h>
#include <stdexcept>
#include <vector>

#include <Poco/RandomStream.h>

namespace civ::host {

namespace {

constexpr std::uint32_t kPasses = 2;
constexpr std::uint32_t kMemoryKiB = 19 * 1024;
constexpr std::uint32_t kLanes = 1;
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

}  // namespace

std::string PasswordHasher::hash(const std::string& password) {
  std::vector<unsigned char> salt(kSaltBytes);
  Poco::RandomInputStream random;  // the kernel's CSPRNG
  for (auto& byte : salt) byte = static_cast<unsigned char>(random.get());
  const std::size_t length =
      argon2_encodedlen(kPasses, kMemoryKiB, kLanes, kSaltBytes, kHashBytes, Argon2_id);
  std::string encoded(length, '\0');
  const int result =
      argon2id_hash_encoded(kPasses, kMemoryKiB, kLanes, password.data(), password.size(),
                            salt.data(), salt.size(), kHashBytes, encoded.data(), length);
  if (result != ARGON2_OK)
    throw std::runtime_error(std::string("argon2id failed: ") + argon2_error_message(result));
  encoded.resize(encoded.find('\0'));  // argon2_encodedlen counts the terminating NUL
  return encoded;
}

bool PasswordHasher::verify(const std::string& encoded, const std::string& password) {
  if (!encoded.starts_with("$argon2id$")) return false;
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

}  // namespace civ::host
