#include "example_plugin.h"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/context.h>
#include <civ/sdk/error.h>
#include <civ/sdk/events.h>
#include <civ/sdk/indicator.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/persons.h>
#include <civ/sdk/policy.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/schema.h>
#include <civ/sdk/sql.h>

#include "note_repository.h"

namespace civ::plugins::example {

namespace {

using nlohmann::json;
using namespace sdk::schema;

// A policy parameter, declared once as a typed constant and read through it.
constexpr sdk::IntegerParameter kMaxNoteLength{
    "max_note_length",
    "characters",
    "500",
    {"备注最大字数", "Longest note accepted, in characters"},
    "10",
    "4000"};
constexpr const char* kNoteConfirmed = "example.note_confirmed";

// How the note list pages and sorts (list.h).
const sdk::ListSpec kNoteList{{"written_on"}, "-id", 20, 200};

json personSchema() {
  return object({{"id", id()}, {"name", text(50)}, {"citizen_id", citizenId()}});
}

// The answer for a note: declared once, used by every route that returns a note.
json noteSchema() {
  return object({{"id", id()},
                 {"county", countyCode()},
                 {"person", personSchema()},
                 {"text", text(4000)},
                 {"written_on", date()},
                 {"written_by", text(100)},
                 {"confirmed_by", nullable(text(100))}});
}

json noteJson(const Note& note, const sdk::Person& person) {
  return sdk::jsonObject(
      {{"id", note.id},
       {"county", note.county},
       {"person", {{"id", person.id}, {"name", person.name}, {"citizen_id", person.citizen_id}}},
       {"text", note.text},
       {"written_on", note.written_on.toString()},
       {"written_by", note.written_by},
       {"confirmed_by", note.confirmed_by.empty() ? json(nullptr) : json(note.confirmed_by)}});
}

std::size_t characterCount(const std::string& text) {
  std::size_t count = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++count;
  return count;
}

}  // namespace

void ExamplePlugin::declare(sdk::Declarations& declarations) const {
  declarations.migration({1,
                          "notes",
                          {"CREATE TABLE example_notes ("
                           " id {{ID_PRIMARY_KEY}},"
                           " county_code TEXT NOT NULL,"
                           " person_id BIGINT NOT NULL REFERENCES civ_persons(id),"
                           " text TEXT NOT NULL,"
                           " written_on TEXT NOT NULL)",
                           "CREATE INDEX example_notes_county_written ON example_notes "
                           "(county_code, written_on)"},
                          {}});
  // A second step, as a shipped module grows: never edit step 1.
  declarations.migration({2,
                          "who wrote and who confirmed a note",
                          {"ALTER TABLE example_notes ADD COLUMN written_by TEXT NOT NULL "
                           "DEFAULT ''",
                           "ALTER TABLE example_notes ADD COLUMN confirmed_by TEXT"},
                          {}});
  declarations.migration({3,
                          "confirmation log fed by the example.note_confirmed event",
                          {"CREATE TABLE example_confirmations ("
                           " event_id BIGINT PRIMARY KEY,"
                           " county_code TEXT NOT NULL,"
                           " note_id BIGINT NOT NULL,"
                           " confirmed_by TEXT NOT NULL)"},
                          {}});
  declarations.migration(
      {4,
       "an index on every column that points at another row: lookups by it, and changes to the "
       "row it points at, never scan the table",
       {"CREATE INDEX example_notes_person ON example_notes (person_id)"},
       {}});

  declarations.parameter(kMaxNoteLength);

  // An indicator is usually one SQL count or sum: the SDK binds :county, :from and :to (the
  // period's days). Records with a township would give a second statement, the same count
  // "SELECT township, COUNT(*) ... GROUP BY township", for township-scoped callers.
  auto notes_written = sdk::sqlIndicator(
      "notes_written", {"备注条数", "Notes written"}, sdk::Measure::Count, "notes",
      {"期间内登记的备注条数", "Notes whose written_on date lies in the period"},
      "SELECT COUNT(*) FROM example_notes WHERE county_code = :county"
      " AND written_on BETWEEN :from AND :to");
  // SDK 1.4: where the definition comes from, so a statistician can check it.
  notes_written.source = {"示例模块，无法律依据", "The example module; no legal source"};
  declarations.indicator(notes_written);

  sdk::EventDeclaration confirmed;
  confirmed.name = kNoteConfirmed;
  confirmed.description = {"备注已确认", "A note was confirmed by an approver"};
  confirmed.payload_schema = object({{"note_id", id()}, {"confirmed_by", text(100)}});
  declarations.event(confirmed);
}

void ExamplePlugin::start(sdk::Context& context) {
  context_ = &context;
  log_ = context.logger();

  // A module usually subscribes to other modules' events (funeral's person.deceased stops
  // payments); the example listens to its own to keep the template self-contained. The effect,
  // its audit row and the delivery record commit together, so a redelivery cannot log twice.
  context.events().subscribe(
      kNoteConfirmed, "confirmation_log", [this](soci::session& db, const sdk::Event& event) {
        const long long event_id = event.id;
        const long long note_id = event.payload["note_id"].get<long long>();
        const std::string confirmed_by = event.payload["confirmed_by"];
        db << "INSERT INTO example_confirmations (event_id, county_code, note_id, confirmed_by)"
              " VALUES (:event_id, :county, :note_id, :confirmed_by)",
            soci::use(event_id), soci::use(event.county), soci::use(note_id),
            soci::use(confirmed_by);
        // What a handler changes is audited like a request's change, in the county of the
        // changed record; the row names the event and the request that published it.
        context_->events().audit(db, event, event.county,
                                 {sizeof(sdk::AuditRecord),
                                  "confirmation.log",
                                  "note",
                                  std::to_string(note_id),
                                  {{"confirmed_by", {{"old", nullptr}, {"new", confirmed_by}}}}});
      });

  // Every route says what it takes and answers; the host checks the parameters and body before
  // the handler runs and documents the route in /api/openapi.json.
  auto& router = context.router();
  router.add(sdk::Route::post("/notes")
                 .permission(sdk::Permission::Edit)
                 .summary("登记备注", "Write a note about a person (registers the person if new)")
                 .body(object({{"citizen_id", citizenId()},
                               {"name", text(50)},
                               {"text", describe(text(4000), {"备注", "The note"})}}))
                 .created(noteSchema()),
             [this](sdk::Request& request) { return createNote(request); });
  router.add(sdk::Route::get("/notes")
                 .summary("备注列表", "The county's notes, newest first")
                 .list(noteSchema(), kNoteList)
                 .query("person_id", describe(id(), {"人员", "Only this person's notes"}))
                 .query("unconfirmed", describe({{"type", "boolean"}, {"default", false}},
                                                {"仅未确认", "Only notes not yet confirmed"})),
             [this](sdk::Request& request) { return listNotes(request); });
  router.add(sdk::Route::get("/notes/{id}")
                 .console({{"record", "note"}})
                 .pathId("id")
                 .summary("备注详情", "Read one note")
                 .ok(noteSchema()),
             [this](sdk::Request& request) { return getNote(request); });
  router.add(sdk::Route::post("/notes/{id}/confirm")
                 .pathId("id")
                 .permission(sdk::Permission::Approve)
                 .summary("确认备注", "Confirm a note (four-eyes: not by the user who wrote it)")
                 .ok(noteSchema()),
             [this](sdk::Request& request) { return confirmNote(request); });
}

sdk::Response ExamplePlugin::listNotes(sdk::Request& request) {
  const auto page = sdk::ListRequest::from(request, kNoteList);
  std::optional<std::int64_t> person_id;
  if (auto text = request.queryParam("person_id")) person_id = std::stoll(*text);
  std::int64_t total = 0;
  const auto notes = NoteRepository::list(request.db(), request.county(), person_id,
                                          request.queryParam("unconfirmed") == "true", page, total);
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& note : notes) {
    auto person = context_->persons().findById(request.db(), note.person_id);
    if (!person) continue;
    items.push_back(noteJson(note, *person));
    ids.push_back(note.id);
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response ExamplePlugin::createNote(sdk::Request& request) {
  const json& body = request.body();
  const std::string text = body["text"].get<std::string>();
  // The limit is policy: each county (or its province) may set it, from a date on.
  const auto limit = context_->policy().get(kMaxNoteLength, request.county(), request.today());
  if (static_cast<std::int64_t>(characterCount(text)) > limit)
    throw sdk::ValidationError("text", "max_note_length",
                               "a note may have at most " + std::to_string(limit) +
                                   " characters in county " + request.county());
  const sdk::Person person = context_->persons().ensureRegistered(
      request.db(), body["citizen_id"].get<std::string>(), body["name"].get<std::string>());
  if (person.deceased())
    throw sdk::Conflict("person " + std::to_string(person.id) + " is recorded deceased");
  Note note{0, request.county(), person.id, text, request.today(), request.caller().user, {}};
  note.id = NoteRepository::insert(request.db(), note);
  sdk::AuditRecord record;
  record.action = "note.create";
  record.entity_type = "note";
  record.entity_id = std::to_string(note.id);
  record.changes = sdk::changedFields(
      nullptr, {{"person_id", person.id}, {"citizen_id", person.citizen_id}, {"text", text}});
  request.audit(record);
  log_->info("note {} written for person {} ({})", note.id, person.id, person.citizen_id);
  return sdk::Response::created(noteJson(note, person), "/notes/" + std::to_string(note.id));
}

sdk::Response ExamplePlugin::confirmNote(sdk::Request& request) {
  const std::int64_t id = request.pathId("id");
  auto note = NoteRepository::find(request.db(), request.county(), id);
  if (!note)
    throw sdk::NotFound("no note " + std::to_string(id) + " in county " + request.county());
  sdk::requireFourEyes(request.caller(), note->written_by, "note " + std::to_string(id));
  if (!note->confirmed_by.empty())
    throw sdk::Conflict("note " + std::to_string(id) + " was already confirmed by " +
                        note->confirmed_by);
  NoteRepository::confirm(request.db(), id, request.caller().user);
  sdk::AuditRecord record;
  record.action = "note.confirm";
  record.entity_type = "note";
  record.entity_id = std::to_string(id);
  record.changes =
      sdk::changedFields({{"confirmed_by", nullptr}}, {{"confirmed_by", request.caller().user}});
  request.audit(record);
  context_->events().publish(request.db(), kNoteConfirmed, request.county(),
                             {{"note_id", id}, {"confirmed_by", request.caller().user}});
  note->confirmed_by = request.caller().user;
  auto person = context_->persons().findById(request.db(), note->person_id);
  return sdk::Response::ok(noteJson(*note, *person));
}

sdk::Response ExamplePlugin::getNote(sdk::Request& request) {
  const std::int64_t id = request.pathId("id");
  auto note = NoteRepository::find(request.db(), request.county(), id);
  if (!note)
    throw sdk::NotFound("no note " + std::to_string(id) + " in county " + request.county());
  auto person = context_->persons().findById(request.db(), note->person_id);
  if (!person) throw sdk::NotFound("the person of note " + std::to_string(id) + " is gone");
  return sdk::Response::ok(noteJson(*note, *person));
}

}  // namespace civ::plugins::example
