// Storage of notes: the plugin's only table, example_notes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <civ/sdk/date.h>
#include <civ/sdk/list.h>

namespace soci {
class session;
}

namespace civ::plugins::example {

struct Note {
  std::int64_t id = 0;
  std::string county;
  std::int64_t person_id = 0;
  std::string text;
  sdk::Date written_on;
  std::string written_by;    ///< user who wrote it
  std::string confirmed_by;  ///< user who confirmed it; empty until then
};

class NoteRepository {
 public:
  static std::int64_t insert(soci::session& db, const Note& note);
  /// The note with `id` in `county`; a note of another county is not found.
  static std::optional<Note> find(soci::session& db, const std::string& county, std::int64_t id);
  /// One page of the county's notes (list.h), optionally of one person or only unconfirmed;
  /// `total` receives the count of every matching note.
  static std::vector<Note> list(soci::session& db, const std::string& county,
                                std::optional<std::int64_t> person_id, bool unconfirmed_only,
                                const sdk::ListRequest& page, std::int64_t& total);
  static void confirm(soci::session& db, std::int64_t id, const std::string& user);
};

}  // namespace civ::plugins::example
