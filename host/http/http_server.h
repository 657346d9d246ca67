// civhost's HTTP front: a gate thread that collects whole requests under total deadlines and
// refuses ambiguous framing, and workers that answer them with Poco's HTTP message classes, so
// that no slow or idle connection holds a thread (see http_server.cpp); bound without
// SO_REUSEPORT so a second civhost on a taken port refuses to start.
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
