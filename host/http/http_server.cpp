#include "host/http/http_server.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <spdlog/spdlog.h>

#include "host/http/api_dispatcher.h"
#include "host/http/problem.h"

namespace civ::host {

namespace {

/// A body over the limit is still read (and dropped) up to this size, so the client gets to
/// read the 413 instead of a connection reset in the middle of its upload.
constexpr std::size_t kDrainLimit = 64 * 1024 * 1024;

/// Reads the body up to `limit` bytes; nullopt when the body is longer (what follows is
/// drained up to kDrainLimit).
std::optional<std::string> readBody(Poco::Net::HTTPServerRequest& request, std::size_t limit) {
  std::string body;
  std::istream& in = request.stream();
  char buffer[16384];
  std::size_t total = 0;
  const std::size_t stop_at = std::max(limit, kDrainLimit);
  while (in && total <= stop_at) {
    in.read(buffer, sizeof buffer);
    const auto got = static_cast<std::size_t>(in.gcount());
    total += got;
    if (total <= limit) body.append(buffer, got);
  }
  if (total > limit) return std::nullopt;
  return body;
}

/// Poco deletes a handler after each request, so it is a thin host adapter; the dispatcher
/// (and the plugin route it calls, pinned by the route table) outlives it.
class RequestHandler : public Poco::Net::HTTPRequestHandler {
 public:
  RequestHandler(ApiDispatcher& dispatcher, spdlog::logger& log, std::size_t max_body)
      : dispatcher_(dispatcher), log_(log), max_body_(max_body) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    const auto started = std::chrono::steady_clock::now();
    HttpExchange exchange;
    exchange.method = request.getMethod();
    exchange.target = request.getURI();
    exchange.content_type = request.getContentType();
    exchange.authorization = request.get("Authorization", "");
    HttpReply reply;
    const std::string path = exchange.target.substr(0, exchange.target.find('?'));
    const bool too_long_declared =
        request.hasContentLength() &&
        request.getContentLength64() > static_cast<Poco::Int64>(std::max(max_body_, kDrainLimit));
    std::optional<std::string> body;
    if (!too_long_declared) body = readBody(request, max_body_);
    if (!body) {
      reply = problemReply(
          413, "payload-too-large", "Payload too large",
          "the request body exceeds the limit of " + std::to_string(max_body_) + " bytes", path);
      reply.close_connection = true;  // the rest of the body is unread
    } else {
      exchange.body = std::move(*body);
      reply = dispatcher_.handle(exchange);
    }
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    for (const auto& [name, value] : reply.headers) response.set(name, value);
    if (reply.close_connection) response.setKeepAlive(false);
    if (reply.body.empty()) {
      response.setContentLength(0);
      response.send();
    } else {
      response.setContentType(reply.content_type);
      response.sendBuffer(reply.body.data(), reply.body.size());
    }
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    dispatcher_.metrics().observe(reply.metric_module, reply.metric_route, reply.status,
                                  ms / 1000.0);
    log_.info("{} {} {} {:.2f} ms", exchange.method, path, reply.status, ms);
  }

 private:
  ApiDispatcher& dispatcher_;
  spdlog::logger& log_;
  std::size_t max_body_;
};

class HandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  HandlerFactory(ApiDispatcher& dispatcher, std::shared_ptr<spdlog::logger> log,
                 std::size_t max_body)
      : dispatcher_(dispatcher), log_(std::move(log)), max_body_(max_body) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new RequestHandler(dispatcher_, *log_, max_body_);
  }

 private:
  ApiDispatcher& dispatcher_;
  std::shared_ptr<spdlog::logger> log_;
  std::size_t max_body_;
};

}  // namespace

struct HttpServer::Impl {
  std::unique_ptr<Poco::ThreadPool> pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  std::uint16_t port = 0;
};

HttpServer::HttpServer(const HttpSettings& settings, ApiDispatcher& dispatcher,
                       std::shared_ptr<spdlog::logger> request_log)
    : impl_(std::make_unique<Impl>()) {
  Poco::Net::ServerSocket socket;
  const std::string address = settings.listen_host + ":" + std::to_string(settings.listen_port);
  try {
    // reuseAddress so a restart is not blocked by TIME_WAIT; never reusePort (Poco 1.11's
    // default), which would let two civhosts share the port silently.
    socket.bind(Poco::Net::SocketAddress(settings.listen_host, settings.listen_port), true, false);
    socket.listen(1024);
  } catch (const Poco::Exception& error) {
    throw std::runtime_error("cannot listen on " + address + ": " + error.displayText() +
                             " (is another civhost running there? choose another --listen)");
  }
  impl_->port = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams();
  params->setMaxThreads(settings.max_threads);
  params->setMaxQueued(settings.max_queued);
  params->setKeepAlive(true);
  params->setMaxKeepAliveRequests(settings.max_keep_alive_requests);
  params->setKeepAliveTimeout(Poco::Timespan(settings.keep_alive_timeout_seconds, 0));
  params->setTimeout(Poco::Timespan(30, 0));
  params->setServerName("civhost");
  impl_->pool = std::make_unique<Poco::ThreadPool>(2, settings.max_threads, 60);
  impl_->server = std::make_unique<Poco::Net::HTTPServer>(
      new HandlerFactory(dispatcher, std::move(request_log), settings.max_body_bytes), *impl_->pool,
      socket, params);
}

HttpServer::~HttpServer() {
  if (impl_->server) impl_->server->stopAll(true);
}

void HttpServer::start() { impl_->server->start(); }

void HttpServer::stop(int drain_seconds) {
  impl_->server->stop();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(drain_seconds);
  while (impl_->server->currentThreads() > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  impl_->server->stopAll(true);
}

std::uint16_t HttpServer::port() const { return impl_->port; }

}  // namespace civ::host
