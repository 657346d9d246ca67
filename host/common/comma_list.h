// "a,b,c" lists, as in --county 610902,350502 and the token table's scope columns.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace civ::host {

/// Items between commas; empty items are dropped.
std::vector<std::string> splitCommaList(std::string_view text);
std::string joinCommaList(const std::vector<std::string>& items);

}  // namespace civ::host
