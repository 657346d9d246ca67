// The example module: notes about persons, per county. Shows every part of the SDK a module
// uses: a migration, routes with schemas, a policy parameter, the persons registry, an
// indicator and the logger.
#pragma once

#include <memory>
#include <vector>

#include <civ/sdk/plugin.h>
#include <civ/sdk/request.h>
#include <civ/sdk/response.h>

namespace spdlog {
class logger;
}

namespace civ::plugins::example {

class ExamplePlugin : public sdk::Plugin {
 public:
  // sdk::Plugin
  void declare(sdk::Declarations& declarations) const override;
  void start(sdk::Context& context) override;

 private:
  sdk::Response createNote(sdk::Request& request);
  sdk::Response listNotes(sdk::Request& request);
  sdk::Response getNote(sdk::Request& request);
  sdk::Response confirmNote(sdk::Request& request);

  sdk::Context* context_ = nullptr;
  std::shared_ptr<spdlog::logger> log_;
};

}  // namespace civ::plugins::example
