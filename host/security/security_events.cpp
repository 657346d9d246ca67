#include "host/security/security_events.h"

#include <algorithm>

#include <soci/soci.h>

#include <civ/sdk/citizen_id.h>
#include <civ/sdk/sql.h>

namespace civ::host {

bool SecurityEvents::record(Database& database, const SecurityEvent& event) {
  try {
    PooledSession lease(database);
    const std::string path = sdk::maskCitizenIds(event.path);
    const std::string reason = sdk::maskCitizenIds(event.reason.substr(0, 1000));
    long long token = event.token_id.value_or(0);
    soci::indicator token_present = event.token_id ? soci::i_ok : soci::i_null;
    const int status = event.status;
    lease.session() << "INSERT INTO civ_security_events (at, county_code, status, user_name,"
                       " token_id, method, path, reason) VALUES (:at, :county, :status, :user,"
                       " :token, :method, :path, :reason)",
        soci::use(event.at), soci::use(event.county), soci::use(status), soci::use(event.user),
        soci::use(token, token_present), soci::use(event.method), soci::use(path),
        soci::use(reason);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

std::vector<SecurityEvent> SecurityEvents::list(soci::session& db, const std::string& county,
                                                const sdk::ListRequest& page, std::int64_t& total) {
  long long count = 0;
  db << "SELECT COUNT(*) FROM civ_security_events WHERE county_code = :county", soci::into(count),
      soci::use(county);
  total = count;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT id, at, county_code, status, user_name, token_id, method, path,"
                     " reason FROM civ_security_events WHERE county_code = :county AND " +
                         page.keysetCondition("id") + page.orderAndLimit({{"id", "id"}}),
       soci::use(county));
  std::vector<SecurityEvent> events;
  for (const auto& row : rows)
    events.push_back({sdk::sql::int64At(row, 0), sdk::sql::textAt(row, 1), sdk::sql::textAt(row, 2),
                      static_cast<int>(sdk::sql::int64At(row, 3)), sdk::sql::textAt(row, 4),
                      sdk::sql::optionalInt64At(row, 5), sdk::sql::textAt(row, 6),
                      sdk::sql::textAt(row, 7), sdk::sql::textAt(row, 8)});
  return events;
}

bool RefusalThrottle::admit(std::chrono::steady_clock::time_point now, std::int64_t& left_out) {
  std::lock_guard lock(mutex_);
  if (last_)
    tokens_ = std::min(burst_,
                       tokens_ + per_second_ * std::chrono::duration<double>(now - *last_).count());
  last_ = now;
  if (tokens_ < 1) {
    ++left_out_;
    return false;
  }
  tokens_ -= 1;
  left_out = left_out_;
  left_out_ = 0;
  return true;
}

}  // namespace civ::host
