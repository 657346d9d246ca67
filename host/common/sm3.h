// SM3 (GB/T 32905-2016, the national hash algorithm 密评 expects) as lower-case hex, through
// OpenSSL 3's default provider, for the audit chain when host.yaml asks for it.
#pragma once

#include <string>
#include <string_view>

namespace civ::host {

/// Throws std::runtime_error when the OpenSSL build has no SM3.
std::string sm3Hex(std::string_view data);

}  // namespace civ::host
