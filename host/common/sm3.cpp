#include "host/common/sm3.h"

#include <memory>
#include <openssl/evp.h>
#include <stdexcept>

namespace civ::host {

std::string sm3Hex(std::string_view data) {
  const std::unique_ptr<EVP_MD, decltype(&EVP_MD_free)> sm3(EVP_MD_fetch(nullptr, "SM3", nullptr),
                                                            &EVP_MD_free);
  if (!sm3) throw std::runtime_error("this OpenSSL has no SM3 digest");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, sm3.get(), nullptr) != 1)
    throw std::runtime_error("the SM3 digest failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0x0f];
  }
  return hex;
}

}  // namespace civ::host
