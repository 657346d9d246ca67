// civhost's HTTP front: Poco::Net::HTTPServer, tuned so that no connection starves, bound
// without SO_REUSEPORT so a second civhost on a taken port refuses to start.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "host/config/host_config.h"

namespace spdlog {
class logger;
}

namespace civ::host {

class ApiDispatcher;

class HttpServer {
 public:
  /// Binds and listens; throws std::runtime_error naming the address when it is taken.
  HttpServer(const HttpSettings& settings, ApiDispatcher& dispatcher,
             std::shared_ptr<spdlog::logger> request_log);
  ~HttpServer();

  void start();
  /// Stops accepting, then waits up to `drain_seconds` for requests in flight.
  void stop(int drain_seconds = 10);
  /// The bound port (useful with port 0).
  std::uint16_t port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace civ::host
