// Today's administrative divisions (SDK 1.4): what a township a record holds became after the
// merges, splits and renames of later adjustments (行政区划调整). Records keep the township they
// were made with; a report that groups them by today's townships asks this service.
//
// The host offers it when a module that keeps the divisions' history implements it (place_names
// does). Find it with `context.find<sdk::Divisions>()`; the host answers nullptr when it offers
// no such service, and otherwise an object that stays valid until the plugin's stop(). An empty
// answer means "not known to the register" (the county does not run the register, or the value
// is not a division): group by the value the records hold.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <civ/sdk/date.h>

namespace soci {
class session;
}

namespace civ::sdk {

/// One division in force on the asked day.
struct CurrentDivision {
  std::string code;  ///< GB/T 2260 code, or the 9- or 12-digit statistical code below a county
  std::string name;  ///< "江北街道"
};

/// Implemented by a module (Plugin::capability) and offered to every module by the host
/// (Context::capability). Called concurrently; reads only through `db`.
class Divisions {
 public:
  static constexpr std::string_view kInterfaceId = "civ.Divisions/1";

  /// The divisions of `county` in force on `on` that `recorded` (a division's code, or its name
  /// as records hold townships) became: itself while still in force, its successor after a
  /// rename or merge, several after a split, none when the register does not know it or it
  /// ended without a successor. A name matches the division that last bore it. Reads in `db`
  /// (the caller's session and transaction).
  virtual std::vector<CurrentDivision> currentOf(soci::session& db, const std::string& county,
                                                 const std::string& recorded, Date on) const = 0;

 protected:
  ~Divisions() = default;
};

}  // namespace civ::sdk
