#include "host/common/timestamp.h"

#include <cstdio>

namespace civ::host {

std::string isoTimestamp(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  const auto local = floor<seconds>(time) + hours{8};
  const auto day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss clock{local - day};
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d+08:00",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(clock.hours().count()),
                static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return buffer;
}

}  // namespace civ::host
