// SHA-256 as lower-case hex (Poco's SHA2Engine), for token hashes and the audit chain.
#pragma once

#include <string>
#include <string_view>

namespace civ::host {

std::string sha256Hex(std::string_view data);

}  // namespace civ::host
