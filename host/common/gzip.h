// gzip (RFC 1952) of a whole body, for answers worth compressing (the console's files, the API
// document).
#pragma once

#include <string>

namespace civ::host {

std::string gzip(const std::string& body);

}  // namespace civ::host
