#include <sstream>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "host/logging/logging.h"

namespace civ::host {
namespace {

TEST(LogMasking, EveryLineHasCitizenIdsMasked) {
  std::ostringstream out;
  auto inner = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  inner->set_pattern("%v");
  spdlog::logger logger("masking_test", maskingSink(inner));
  logger.info("registered {} for household {}", "11010519491231002X", 42);
  logger.warn("GET /persons/440524188001010014 404");
  EXPECT_EQ(out.str(),
            "registered 110105********002X for household 42\n"
            "GET /persons/440524********0014 404\n");
}

}  // namespace
}  // namespace civ::host
