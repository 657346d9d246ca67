#include "host/logging/logging.h"

#include <mutex>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <civ/sdk/citizen_id.h>

namespace civ::host {

namespace {

class MaskingSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit MaskingSink(std::shared_ptr<spdlog::sinks::sink> inner) : inner_(std::move(inner)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    const std::string masked =
        sdk::maskCitizenIds(std::string_view(message.payload.data(), message.payload.size()));
    spdlog::details::log_msg copy = message;
    copy.payload = masked;
    inner_->log(copy);
  }
  void flush_() override { inner_->flush(); }

 private:
  std::shared_ptr<spdlog::sinks::sink> inner_;
};

std::mutex g_mutex;
std::shared_ptr<spdlog::sinks::sink> g_sink;
spdlog::level::level_enum g_level = spdlog::level::info;

std::shared_ptr<spdlog::sinks::sink> stderrSink() {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  sink->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l [%n] %v");
  return sink;
}

}  // namespace

std::shared_ptr<spdlog::sinks::sink> maskingSink(std::shared_ptr<spdlog::sinks::sink> inner) {
  return std::make_shared<MaskingSink>(std::move(inner));
}

void setupLogging(const std::string& level) {
  std::lock_guard lock(g_mutex);
  g_level = spdlog::level::from_str(level);
  g_sink = maskingSink(stderrSink());
  spdlog::set_level(g_level);
}

std::shared_ptr<spdlog::logger> namedLogger(const std::string& name) {
  std::lock_guard lock(g_mutex);
  if (auto existing = spdlog::get(name)) return existing;
  if (!g_sink) g_sink = maskingSink(stderrSink());
  auto logger = std::make_shared<spdlog::logger>(name, g_sink);
  logger->set_level(g_level);
  logger->flush_on(spdlog::level::info);
  spdlog::register_logger(logger);
  return logger;
}

}  // namespace civ::host
