// The fairness probe of ../shared/design/perf-notes.md: wrk only times requests that complete,
// so a server that never answers some connections can still show a fine p99. This client holds
// N keep-alive connections in a closed loop (each sends its next request as soon as the previous
// answer is in) for a fixed time, single-threaded over poll(), and reports responses per
// connection, connections that got none, and the worst single wait.
//
//   civ-fairness-probe PORT PATH [--connections 64] [--seconds 8] [--token T]
// Prints one line of key=value pairs for bench/run.
#include <algorithm>
#include <arpa/inet.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Connection {
  int fd = -1;
  std::string pending;  // bytes of the answer read so far
  Clock::time_point sent_at;
  double worst_wait_ms = 0;
  long responses = 0;
  long reconnects = 0;
};

int connectTo(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool sendAll(int fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const auto n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

/// The length of the first complete answer in `bytes` (headers + Content-Length body), or 0.
std::size_t completeAnswer(const std::string& bytes) {
  const auto end = bytes.find("\r\n\r\n");
  if (end == std::string::npos) return 0;
  std::size_t length = 0;
  std::string headers = bytes.substr(0, end);
  std::transform(headers.begin(), headers.end(), headers.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (const auto at = headers.find("content-length:"); at != std::string::npos)
    length = std::strtoul(headers.c_str() + at + 15, nullptr, 10);
  return bytes.size() >= end + 4 + length ? end + 4 + length : 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: civ-fairness-probe PORT PATH [--connections N] [--seconds S] "
                 "[--token T]\n");
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const std::string path = argv[2];
  int connections = 64;
  int seconds = 8;
  std::string token;
  for (int i = 3; i + 1 < argc; i += 2) {
    const std::string option = argv[i];
    if (option == "--connections") connections = std::atoi(argv[i + 1]);
    if (option == "--seconds") seconds = std::atoi(argv[i + 1]);
    if (option == "--token") token = argv[i + 1];
  }
  std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!token.empty()) request += "Authorization: Bearer " + token + "\r\n";
  request += "\r\n";

  std::vector<Connection> pool(static_cast<std::size_t>(connections));
  for (auto& connection : pool) {
    connection.fd = connectTo(port);
    if (connection.fd < 0) {
      std::perror("connect");
      return 1;
    }
  }
  const auto started = Clock::now();
  for (auto& connection : pool) {
    connection.sent_at = Clock::now();
    sendAll(connection.fd, request);
  }
  const auto deadline = started + std::chrono::seconds(seconds);
  std::vector<pollfd> polls(pool.size());
  char buffer[65536];
  while (Clock::now() < deadline) {
    for (std::size_t i = 0; i < pool.size(); ++i) polls[i] = {pool[i].fd, POLLIN, 0};
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (poll(polls.data(), polls.size(), static_cast<int>(std::max<long>(left, 1))) <= 0) continue;
    for (std::size_t i = 0; i < pool.size(); ++i) {
      if ((polls[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      auto& connection = pool[i];
      const auto n = recv(connection.fd, buffer, sizeof buffer, 0);
      if (n <= 0) {  // the server closed it: reconnect and ask again, the wait goes on
        close(connection.fd);
        connection.fd = connectTo(port);
        connection.pending.clear();
        ++connection.reconnects;
        if (connection.fd < 0 || !sendAll(connection.fd, request)) return 1;
        continue;
      }
      connection.pending.append(buffer, static_cast<std::size_t>(n));
      while (const auto length = completeAnswer(connection.pending)) {
        const auto now = Clock::now();
        const double waited =
            std::chrono::duration<double, std::milli>(now - connection.sent_at).count();
        connection.worst_wait_ms = std::max(connection.worst_wait_ms, waited);
        ++connection.responses;
        connection.pending.erase(0, length);
        connection.sent_at = now;
        if (!sendAll(connection.fd, request)) return 1;
      }
    }
  }
  // A request still unanswered at the end has waited since it was sent.
  const auto end = Clock::now();
  long total = 0, reconnects = 0;
  int starved = 0;
  double worst = 0;
  std::vector<long> counts;
  for (auto& connection : pool) {
    const double waiting =
        std::chrono::duration<double, std::milli>(end - connection.sent_at).count();
    worst = std::max({worst, connection.worst_wait_ms, waiting});
    total += connection.responses;
    reconnects += connection.reconnects;
    starved += connection.responses == 0 ? 1 : 0;
    counts.push_back(connection.responses);
    close(connection.fd);
  }
  std::sort(counts.begin(), counts.end());
  std::printf(
      "probe: connections=%d seconds=%d responses=%ld per_connection_min=%ld "
      "per_connection_median=%ld per_connection_max=%ld starved=%d worst_wait_ms=%.1f "
      "reconnects=%ld\n",
      connections, seconds, total, counts.front(), counts[counts.size() / 2], counts.back(),
      starved, worst, reconnects);
  return 0;
}
