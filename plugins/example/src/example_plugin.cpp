#include "example_plugin.h"

#include <spdlog/spdlog.h>

#include <civ/sdk/context.h>
#include <civ/sdk/error.h>
#include <civ/sdk/persons.h>
#include <civ/sdk/policy.h>
#include <civ/sdk/router.h>

#include "note_repository.h"

namespace civ::plugins::example {

namespace {

using nlohmann::json;

constexpr const char* kMaxNoteLength = "max_note_length";

json noteJson(const Note& note, const sdk::Person& person) {
  return {{"id", note.id},
          {"county", note.county},
          {"person", {{"id", person.id}, {"name", person.name}, {"citizen_id", person.citizen_id}}},
          {"text", note.text},
          {"written_on", note.written_on.toString()}};
}

std::size_t characterCount(const std::string& text) {
  std::size_t count = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++count;
  return count;
}

}  // namespace

std::vector<sdk::Migration> ExamplePlugin::migrations() const {
  return {{1,
           "notes",
           {"CREATE TABLE example_notes ("
            " id {{ID_PRIMARY_KEY}},"
            " county_code TEXT NOT NULL,"
            " person_id BIGINT NOT NULL REFERENCES civ_persons(id),"
            " text TEXT NOT NULL,"
            " written_on TEXT NOT NULL)",
            "CREATE INDEX example_notes_county_written ON example_notes (county_code, written_on)"},
           {}}};
}

std::vector<sdk::ParameterDeclaration> ExamplePlugin::parameters() const {
  sdk::ParameterDeclaration max_length;
  max_length.key = kMaxNoteLength;
  max_length.type = sdk::ParameterType::Integer;
  max_length.unit = "characters";
  max_length.default_value = "500";
  max_length.minimum = "10";
  max_length.maximum = "4000";
  max_length.description = {"备注最大字数", "Longest note accepted, in characters"};
  return {max_length};
}

std::vector<sdk::IndicatorDeclaration> ExamplePlugin::indicators() const {
  sdk::IndicatorDeclaration written;
  written.id = "notes_written";
  written.name = {"备注条数", "Notes written"};
  written.unit = "count";
  written.description = {"期间内登记的备注条数", "Notes whose written_on date lies in the period"};
  written.compute = [](soci::session& db, const sdk::IndicatorQuery& query) {
    return NoteRepository::countWritten(db, query.county, query.from, query.to);
  };
  return {written};
}

void ExamplePlugin::start(sdk::Context& context) {
  context_ = &context;
  log_ = context.logger();

  sdk::RouteDeclaration create;
  create.method = sdk::Method::Post;
  create.path = "/notes";
  create.permission = sdk::Permission::Edit;
  create.summary = "Write a note about a person (registers the person if new)";
  create.request_schema = {
      {"type", "object"},
      {"required", {"citizen_id", "name", "text"}},
      {"properties",
       {{"citizen_id", {{"type", "string"}, {"format", "citizen-id"}}},
        {"name", {{"type", "string"}, {"minLength", 1}, {"maxLength", 50}}},
        {"text", {{"type", "string"}, {"minLength", 1}, {"maxLength", 4000}}}}}};
  create.response_schema = {{"type", "object"}};
  context.router().add(create, [this](sdk::Request& request) { return createNote(request); });

  sdk::RouteDeclaration get;
  get.method = sdk::Method::Get;
  get.path = "/notes/{id}";
  get.permission = sdk::Permission::Read;
  get.summary = "Read one note";
  get.response_schema = {{"type", "object"}};
  context.router().add(get, [this](sdk::Request& request) { return getNote(request); });
}

sdk::Response ExamplePlugin::createNote(sdk::Request& request) {
  const json& body = request.body();
  const std::string text = body["text"].get<std::string>();
  // The limit is policy: each county (or its province) may set it, from a date on.
  const auto limit = context_->policy().integer(request.county(), kMaxNoteLength, request.today());
  if (static_cast<std::int64_t>(characterCount(text)) > limit)
    throw sdk::ValidationError("text", "max_note_length",
                               "a note may have at most " + std::to_string(limit) +
                                   " characters in county " + request.county());
  const sdk::Person person = context_->persons().ensureRegistered(
      request.db(), body["citizen_id"].get<std::string>(), body["name"].get<std::string>());
  if (person.deceased())
    throw sdk::Conflict("person " + std::to_string(person.id) + " is recorded deceased");
  Note note{0, request.county(), person.id, text, request.today()};
  note.id = NoteRepository::insert(request.db(), note);
  log_->info("note {} written for person {} ({})", note.id, person.id, person.citizen_id);
  return sdk::Response::created(noteJson(note, person), "/notes/" + std::to_string(note.id));
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
