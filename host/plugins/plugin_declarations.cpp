#include "host/plugins/plugin_declarations.h"

namespace civ::host {

namespace {

// Each struct's sizeof in SDK 1.0.0 (x86_64, libstdc++: the one platform civ builds for), the
// least a plugin may send. An appended field must start at or after the size of the release
// before it, never in that release's tail padding, or a 1.0 struct would seem to carry it.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
static_assert(offsetof(sdk::RouteDeclaration, console) >= kRouteDeclarationSize10,
              "RouteDeclaration::console (1.1) must lie beyond the 1.0 struct");
static_assert(offsetof(sdk::RouteDeclaration, accepts_file) >=
                  offsetof(sdk::RouteDeclaration, console) + sizeof(nlohmann::json),
              "RouteDeclaration::accepts_file (1.5) must lie beyond the 1.1-1.4 struct");
// The 1.5 struct's size, tail padding included: a field appended in 1.6 starts at or after it
// (a bool placed in the padding after accepts_file would seem carried by a 1.5 plugin).
constexpr std::size_t kRouteDeclarationSize15 = 200;
static_assert(sizeof(sdk::RouteDeclaration) == kRouteDeclarationSize15,
              "RouteDeclaration grew: freeze the new size here and start the next field after it");
#pragma GCC diagnostic pop
constexpr std::size_t kParameterSize10 = 312;
constexpr std::size_t kIndicatorSize10 = 232;
constexpr std::size_t kEventSize10 = 120;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
static_assert(offsetof(sdk::IndicatorDeclaration, measure) >= kIndicatorSize10,
              "IndicatorDeclaration::measure (1.1) must lie beyond the 1.0 struct");
#pragma GCC diagnostic pop

class Collector : public sdk::Declarations {
 public:
  explicit Collector(PluginDeclarations& out) : out_(out) {}
  void migration(const sdk::Migration& step) override { out_.migrations.push_back(step); }
  void parameter(const sdk::ParameterDeclaration& parameter) override {
    out_.parameters.push_back(readDeclaration(parameter));
  }
  void indicator(const sdk::IndicatorDeclaration& indicator) override {
    out_.indicators.push_back(readDeclaration(indicator));
  }
  void event(const sdk::EventDeclaration& event) override {
    out_.events.push_back(readDeclaration(event));
  }

 private:
  PluginDeclarations& out_;
};

}  // namespace

void checkStructSize(std::uint32_t struct_size, std::size_t first_release_size,
                     std::size_t host_size, const char* what) {
  if (struct_size < first_release_size || struct_size > host_size)
    throw std::invalid_argument(
        std::string(what) + " has struct_size " + std::to_string(struct_size) + ", expected " +
        std::to_string(first_release_size) + " to " + std::to_string(host_size) +
        "; fix: build the plugin against an installed civ SDK 1.x");
}

namespace {

// Layout rule: every field present in 1.0 is read unconditionally (the size check proves it is
// there); fields appended later are read with readIfCarried. `Declared` is a const declaration
// (Router::add: copied) or one the plugin handed over (Router::adopt, SDK 1.6: moved, which
// spares start-up a deep copy of every route's JSON schemas).
template <class Declared>
sdk::RouteDeclaration readRoute(Declared&& declared) {
  checkStructSize(declared.struct_size, kRouteDeclarationSize10, sizeof(sdk::RouteDeclaration),
                  "a route");
  sdk::RouteDeclaration read;
  // Each std::forward hands on one member (moved when handed over); none is read twice.
  read.method = declared.method;
  read.path = std::forward<Declared>(declared).path;
  read.permission = declared.permission;
  read.summary = std::forward<Declared>(declared).summary;
  read.parameters = std::forward<Declared>(declared).parameters;
  read.request_schema = std::forward<Declared>(declared).request_schema;
  read.responses = std::forward<Declared>(declared).responses;
  readIfCarried(read, std::forward<Declared>(declared), &sdk::RouteDeclaration::console);  // 1.1
  readIfCarried(read, std::forward<Declared>(declared),
                &sdk::RouteDeclaration::accepts_file);  // 1.5
  return read;
}

}  // namespace

sdk::RouteDeclaration readDeclaration(const sdk::RouteDeclaration& declared) {
  return readRoute(declared);
}

sdk::RouteDeclaration readDeclaration(sdk::RouteDeclaration&& declared) {
  return readRoute(std::move(declared));
}

sdk::ParameterDeclaration readDeclaration(const sdk::ParameterDeclaration& declared) {
  checkStructSize(declared.struct_size, kParameterSize10, sizeof(sdk::ParameterDeclaration),
                  "a parameter declaration");
  sdk::ParameterDeclaration copy;
  copy.key = declared.key;
  copy.type = declared.type;
  copy.unit = declared.unit;
  copy.default_value = declared.default_value;
  copy.minimum = declared.minimum;
  copy.maximum = declared.maximum;
  copy.allowed = declared.allowed;
  copy.description = declared.description;
  copy.allowed_labels = declared.allowed_labels;
  copy.lowest_level = declared.lowest_level;
  return copy;
}

sdk::IndicatorDeclaration readDeclaration(const sdk::IndicatorDeclaration& declared) {
  checkStructSize(declared.struct_size, kIndicatorSize10, sizeof(sdk::IndicatorDeclaration),
                  "an indicator declaration");
  sdk::IndicatorDeclaration copy;
  copy.id = declared.id;
  copy.name = declared.name;
  copy.unit = declared.unit;
  copy.description = declared.description;
  copy.compute = declared.compute;
  readIfCarried(copy, declared, &sdk::IndicatorDeclaration::measure);      // SDK 1.1
  readIfCarried(copy, declared, &sdk::IndicatorDeclaration::by_township);  // SDK 1.1
  readIfCarried(copy, declared, &sdk::IndicatorDeclaration::source);       // SDK 1.4
  return copy;
}

sdk::EventDeclaration readDeclaration(const sdk::EventDeclaration& declared) {
  checkStructSize(declared.struct_size, kEventSize10, sizeof(sdk::EventDeclaration),
                  "an event declaration");
  sdk::EventDeclaration copy;
  copy.name = declared.name;
  copy.description = declared.description;
  copy.payload_schema = declared.payload_schema;
  return copy;
}

PluginDeclarations collectDeclarations(const sdk::Plugin& plugin) {
  PluginDeclarations declarations;
  Collector collector(declarations);
  plugin.declare(collector);
  return declarations;
}

}  // namespace civ::host
