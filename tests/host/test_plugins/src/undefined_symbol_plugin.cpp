// Calls a function no library defines: with immediate binding (RTLD_NOW) the host's dlopen
// fails at load time instead of mid-request.
#include <civ/sdk/plugin_entry.h>

extern "C" int civ_test_function_that_does_not_exist();

namespace civ::plugins::test {
class UndefinedSymbolPlugin : public sdk::Plugin {
 public:
  void start(sdk::Context&) override { civ_test_function_that_does_not_exist(); }
};
}  // namespace civ::plugins::test

CIV_PLUGIN(civ::plugins::test::UndefinedSymbolPlugin);
