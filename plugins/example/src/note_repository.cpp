#include "note_repository.h"

#include <soci/soci.h>

#include <civ/sdk/sql.h>

namespace civ::plugins::example {

std::int64_t NoteRepository::insert(soci::session& db, const Note& note) {
  long long id = 0;
  const long long person_id = note.person_id;
  const std::string written_on = note.written_on.toString();
  db << "INSERT INTO example_notes (county_code, person_id, text, written_on, written_by)"
        " VALUES (:county, :person_id, :text, :written_on, :written_by) RETURNING id",
      soci::use(note.county), soci::use(person_id), soci::use(note.text), soci::use(written_on),
      soci::use(note.written_by), soci::into(id);
  return id;
}

std::optional<Note> NoteRepository::find(soci::session& db, const std::string& county,
                                         std::int64_t id) {
  const long long key = id;
  long long person_id = 0;
  std::string text;
  std::string written_on;
  std::string written_by;
  std::string confirmed_by;
  soci::indicator confirmed_indicator = soci::i_null;
  db << "SELECT person_id, text, written_on, written_by, confirmed_by FROM example_notes"
        " WHERE id = :id AND county_code = :county",
      soci::into(person_id), soci::into(text), soci::into(written_on), soci::into(written_by),
      soci::into(confirmed_by, confirmed_indicator), soci::use(key), soci::use(county);
  if (!db.got_data()) return std::nullopt;
  return Note{id,
              county,
              person_id,
              text,
              *sdk::Date::parse(written_on),
              written_by,
              confirmed_indicator == soci::i_ok ? confirmed_by : std::string()};
}

std::vector<Note> NoteRepository::list(soci::session& db, const std::string& county,
                                       std::optional<std::int64_t> person_id, bool unconfirmed_only,
                                       const sdk::ListRequest& page, std::int64_t& total) {
  // Filters are bound; the page's keyset and order are spliced by the SDK from checked values.
  const long long person = person_id.value_or(0);
  const std::string filters =
      " FROM example_notes WHERE county_code = :county AND (:person = 0 OR person_id = :person2)" +
      std::string(unconfirmed_only ? " AND confirmed_by IS NULL" : "");
  long long count = 0;
  db << "SELECT COUNT(*)" + filters, soci::into(count), soci::use(county), soci::use(person),
      soci::use(person);
  total = count;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT id, person_id, text, written_on, written_by, confirmed_by" + filters +
                         " AND " + page.keysetCondition("id") +
                         page.orderAndLimit({{"id", "id"}, {"written_on", "written_on"}}),
       soci::use(county), soci::use(person), soci::use(person));
  std::vector<Note> notes;
  for (const auto& row : rows)
    notes.push_back(Note{sdk::sql::int64At(row, 0), county, sdk::sql::int64At(row, 1),
                         sdk::sql::textAt(row, 2), *sdk::Date::parse(sdk::sql::textAt(row, 3)),
                         sdk::sql::textAt(row, 4), sdk::sql::textAt(row, 5)});
  return notes;
}

void NoteRepository::confirm(soci::session& db, std::int64_t id, const std::string& user) {
  const long long key = id;
  db << "UPDATE example_notes SET confirmed_by = :user WHERE id = :id", soci::use(user),
      soci::use(key);
}

}  // namespace civ::plugins::example
